"""``--start``/``--end`` shorten everything: annotated.mp4 holds only the analysed frames (its time 0 is the first
analysed frame), the report's player seeks to the frames the video marks, and every time a person reads (player,
key frames, steps table, steps.csv, analysis.json) is the clip's. Built from the sample clip's cached landmarks
(no pose model) and drawn on the sample video: a few seconds."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from formcheck.pipeline import reanalyze
from formcheck.trajectory_analysis import analyze_trajectories
from formcheck.video import probe_video
from formcheck.video.reader import VideoReader
from tests.fixtures.sample_landmarks import END_S, START_S, trimmed_sample, write_trimmed_clip_folder


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory) -> Path:
    return write_trimmed_clip_folder(tmp_path_factory.mktemp("trimmed"))


def _doc(clip_dir: Path) -> dict:
    return json.loads((clip_dir / "analysis.json").read_text(encoding="utf-8"))


def _player(clip_dir: Path) -> dict:
    html = (clip_dir / "report.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'id="fc-data">(.*?)</script>', html).group(1))


def _frames(path: Path) -> tuple[np.ndarray, list[np.ndarray]]:
    with VideoReader(str(path)) as reader:
        frames = [(f.time_s, f.rgb.astype(np.int16)) for f in reader]
    return np.array([t for t, _ in frames]), [rgb for _, rgb in frames]


def _landmark_times(clip_dir: Path) -> np.ndarray:
    from formcheck.report.landmarks import load_landmarks

    return load_landmarks(clip_dir / "landmarks.npz").time_s


def test_annotated_video_holds_only_the_analysed_frames(clip_dir):
    doc = _doc(clip_dir)
    t = _landmark_times(clip_dir)
    assert t[0] == pytest.approx(START_S, abs=1e-6) and t[-1] == pytest.approx(END_S, abs=1e-6)
    info = probe_video(str(clip_dir / "annotated.mp4"))
    assert info.n_frames == len(t) == doc["input"]["frames"] == 61  # 1.00 s to 3.00 s at 30 fps
    assert info.duration_s == pytest.approx(doc["input"]["duration_s"], abs=1e-3)
    assert doc["input"]["start_s"] == pytest.approx(START_S, abs=1e-6)
    assert doc["settings"]["start_s"] == START_S and doc["settings"]["end_s"] == END_S
    video_t, _ = _frames(clip_dir / "annotated.mp4")
    assert np.allclose(video_t, t - t[0], atol=1e-3)  # frame k of the video is analysed frame k, from 0


def test_player_times_land_on_the_frames_the_video_marks(clip_dir):
    data = _player(clip_dir)
    t = _landmark_times(clip_dir)
    rows = list(csv.DictReader((clip_dir / "steps.csv").open(encoding="utf-8")))
    video_t, annotated = _frames(clip_dir / "annotated.mp4")
    source_t, source = _frames(Path(_doc(clip_dir)["input"]["path"]))
    assert len(data["steps"]) == len(rows) >= 5
    for step in data["steps"]:
        contact = float(rows[step["i"]]["contact_s"])
        assert START_S <= contact <= END_S  # steps.csv: clip time
        assert step["c"] == pytest.approx(contact, abs=0.006)  # the player shows the clip's time
        j = int(np.argmin(np.abs(video_t - step["t"])))
        assert video_t[j] == pytest.approx(step["t"], abs=1e-3)  # a frame's own time in the video
        assert t[j] + 1e-6 >= contact and (
            j == 0 or t[j - 1] + 1e-6 < contact
        )  # first frame showing the marks
        # ... and that video frame is the clip's picture at that moment, not one a frame before or after.
        diffs = {}
        for d in (-1, 0, 1):
            k = int(np.argmin(np.abs(source_t - t[min(max(j + d, 0), len(t) - 1)])))
            diffs[d] = float(np.mean(np.abs(annotated[j] - source[k])))
        assert diffs[0] < min(diffs[-1], diffs[1]), (step, diffs)


def test_report_times_are_the_clips(clip_dir):
    html = (clip_dir / "report.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader((clip_dir / "steps.csv").open(encoding="utf-8")))
    contacts = {f"{float(r['contact_s']):.2f}" for r in rows}
    captions = re.findall(r"lands at ([0-9.]+) s", html)
    assert captions and set(captions) <= contacts  # key frames: clip time
    assert "1.00 s to 3.00 s" in html and "(1.0–3.0 s of the clip)" in html  # the span is said
    table = set(re.findall(r'<tr class="step-row[^"]*" data-step="\d+"><td[^>]*>[^<]*</td><td[^>]*>[^<]*</td>'
                           r'<td class="num">([0-9.]+)</td>', html))  # fmt: skip
    assert table <= contacts


def test_reanalyze_keeps_the_span_and_the_players_clock(clip_dir, tmp_path):
    folder = Path(shutil.copytree(clip_dir, tmp_path / "side_good_form"))
    before = _player(folder)
    from formcheck.config import AnalysisSettings

    reanalyze(folder, AnalysisSettings(write_video=False))  # as `formcheck reanalyze` does: the video is kept
    doc = _doc(folder)
    assert doc["settings"]["start_s"] == START_S and doc["settings"]["end_s"] == END_S
    assert probe_video(str(folder / "annotated.mp4")).n_frames == 61
    assert _player(folder) == before


def test_a_whole_clip_video_from_an_earlier_formcheck_keeps_its_clock(clip_dir, tmp_path):
    """A folder analysed with --start/--end by a formcheck that drew the whole clip: reanalyze keeps that video,
    so the player seeks on the whole clip's clock (and does not claim the video shows the analysed part only)."""
    from formcheck.config import AnalysisSettings
    from formcheck.render.video import render_annotated_video

    folder = Path(shutil.copytree(clip_dir, tmp_path / "side_good_form"))
    raw, settings = trimmed_sample("side_good_form", START_S, END_S)
    analysis = analyze_trajectories(raw, settings, pose_model="blazepose-full", input_sha256="")
    (folder / "annotated.mp4").unlink()
    render_annotated_video(analysis, folder / "annotated.mp4", start_s=0.0, key_frames=False)
    assert probe_video(str(folder / "annotated.mp4")).n_frames == 210
    reanalyze(folder, AnalysisSettings(write_video=False))
    trimmed = _player(clip_dir)
    legacy = _player(folder)
    shift = float(_landmark_times(folder)[0])
    assert [s["t"] for s in legacy["steps"]] == pytest.approx(
        [s["t"] + shift for s in trimmed["steps"]], abs=1e-3
    )
    assert "The video shows the analysed part" not in (folder / "report.html").read_text(encoding="utf-8")
