"""``reanalyze`` re-runs the analysis from a clip folder's landmarks without the pose pass: what that pass told (its
warnings: the zoomed search, the people tracked, the reader's notes; the person analysed; the picture rate) must
come back in analysis.json and the report, also for folders written before ``pose.warnings`` existed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
from formcheck.config import AnalysisSettings
from formcheck.outputs import write_outputs
from formcheck.report.json_out import load_analysis, person_track_of, pose_warnings_of
from tests.fixtures.fake_analysis import make_fake_analysis

NO_VIDEO = AnalysisSettings(write_video=False)
ZOOM = (
    "runner small in the frame (120 px, 17% of its height): searched zoomed tiles (363 crops posed in 9 s); legs "
    "seen in 40% -> 96% of the frames"
)
PEOPLE = "2 people in frame; analysed #2 (on screen longest). Tracked: #1 ..., #2 .... Pass --person N to analyse another"
READER = "run.mp4: skipped a corrupt frame at 2.300 s"
REJECTED = (
    "3 of 20 steps were rejected as implausible: treat the numbers as unreliable"  # an analysis-stage line
)


def _folder(tmp_path: Path, picture_fps: float | None = 24.0) -> Path:
    """A clip folder as ``analyze`` writes it for a 30 fps file of 24 pictures/s whose pose pass said three things
    and analysed person #2."""
    a = make_fake_analysis(path=str(tmp_path / "run.mp4"))
    video = dataclasses.replace(a.video, fps=30.0, picture_fps=picture_fps)
    told = (ZOOM, PEOPLE, READER)
    a = dataclasses.replace(
        a,
        video=video,
        raw=a.raw.replace(video=video),
        pose_warnings=told,
        warnings=told + a.warnings,
        person_track=2,
    )
    clip_dir = tmp_path / "run"
    write_outputs(a, clip_dir, write_video=False)
    return clip_dir


def test_the_pose_pass_warnings_and_facts_survive_reanalysis(tmp_path) -> None:
    clip_dir = _folder(tmp_path)
    first = load_analysis(clip_dir)
    assert first["pose"]["warnings"] == [ZOOM, PEOPLE, READER]
    for _ in range(2):  # twice: carried again from the re-analysis's own analysis.json, never doubled
        pipeline.reanalyze(clip_dir, NO_VIDEO)
        doc = load_analysis(clip_dir)
        assert doc["pose"]["warnings"] == [ZOOM, PEOPLE, READER]
        assert doc["warnings"][:3] == [ZOOM, PEOPLE, READER]
        assert sum(w == ZOOM for w in doc["warnings"]) == 1
        assert any(w.startswith("the file repeats its pictures: about 24") for w in doc["warnings"])
        assert doc["input"]["picture_fps"] == 24.0
        assert doc["processing"]["person_track"] == 2
        report = (clip_dir / "report.html").read_text(encoding="utf-8")
        assert (
            "searched zoomed tiles" in report
            and "analysed #2" in report
            and "skipped a corrupt frame" in report
        )
        assert "about 24 different pictures/s" in report


def test_a_folder_written_before_pose_warnings_gives_them_back_from_its_warnings(tmp_path) -> None:
    clip_dir = _folder(tmp_path)
    path = clip_dir / "analysis.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["pose"]["warnings"]  # as formcheck wrote it before
    doc["warnings"].append(REJECTED)  # an old analysis-stage line the re-analysis does not give again
    path.write_text(json.dumps(doc), encoding="utf-8")
    pipeline.reanalyze(clip_dir, NO_VIDEO)
    again = load_analysis(clip_dir)
    assert again["pose"]["warnings"] == [ZOOM, PEOPLE, READER]
    assert REJECTED not in again["warnings"]
    assert again["processing"]["person_track"] == 2


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"pose": None, "warnings": None, "processing": None, "input": None},
        {"pose": {"warnings": "not a list"}, "warnings": [3, None], "processing": {"person_track": True}},
        {"pose": {"model": "blazepose-full"}, "warnings": ["the runner is visible in 60% of the frames"]},
    ],
)
def test_missing_or_odd_records_read_as_unknown(doc) -> None:
    assert pose_warnings_of(doc) == ()
    assert person_track_of(doc) is None


def test_an_old_record_keeps_only_the_pose_pass_lines() -> None:
    doc = {
        "input": {"path": "/clips/run.mp4"},
        "warnings": [READER, "run.mp4 looks truncated: ...", "other.mp4: skipped", REJECTED, ZOOM],
        "processing": {"person_track": 3},
    }
    assert pose_warnings_of(doc) == (READER, "run.mp4 looks truncated: ...", ZOOM)
    assert person_track_of(doc) == 3
    assert pose_warnings_of({"pose": {"warnings": []}, "warnings": [ZOOM]}) == ()  # recorded: nothing said


def test_an_older_landmark_cache_without_a_picture_rate_reads_it_as_unknown(tmp_path) -> None:
    import numpy as np

    clip_dir = _folder(tmp_path)
    cache = clip_dir / "landmarks.npz"
    with np.load(cache) as z:
        arrays = {k: z[k] for k in z.files}
    video = json.loads(str(arrays["video"]))
    del video["picture_fps"]  # as written before the picture rate was measured
    arrays["video"] = np.array(json.dumps(video))
    with open(cache, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    analysis = pipeline.reanalyze(clip_dir, NO_VIDEO)
    assert analysis.video.picture_fps is None
    assert load_analysis(clip_dir)["input"]["picture_fps"] is None
    assert not any("repeats its pictures" in w for w in analysis.warnings)


def test_analyze_then_reanalyze_from_the_command_line(tmp_path, monkeypatch, capsys) -> None:
    """End to end: ``analyze`` records what the pose pass told (a stand-in pass on the sample's stored landmarks),
    and ``reanalyze`` with a coach's settings says it again."""
    import shutil

    from formcheck.cli import main
    from formcheck.pose.run import PoseResult
    from tests.fixtures.sample_landmarks import REPO_ROOT, load_sample

    video = tmp_path / "side_good_form.mp4"
    shutil.copy(REPO_ROOT / "sample_videos" / "side_good_form.mp4", video)
    raw, _ = load_sample("side_good_form")
    raw = raw.replace(video=dataclasses.replace(raw.video, path=str(video), picture_fps=24.0, fps=30.0))

    def pose_pass(path, settings, make_estimator=None, progress=None):
        return PoseResult(raw, "fake", warnings=(ZOOM, PEOPLE), track=2, tracks=("#1", "#2"))  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "estimate_landmarks", pose_pass)
    out = tmp_path / "out"
    assert main(["analyze", str(video), "-o", str(out), "--no-video", "--no-history", "--quiet"]) == 0
    analysed = load_analysis(out / "side_good_form")
    config = tmp_path / "coach.toml"
    config.write_text("[thresholds.cadence_spm]\ngood = [[175, inf]]\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "estimate_landmarks", None)  # never called again
    assert main(["reanalyze", str(out / "side_good_form"), "--config", str(config), "--quiet"]) == 0
    again = load_analysis(out / "side_good_form")
    assert again["settings"]["thresholds"]["cadence_spm"]["good"] == [[175.0, None]]
    for doc in (analysed, again):
        assert doc["pose"]["warnings"] == [ZOOM, PEOPLE]
        assert doc["warnings"][:2] == [ZOOM, PEOPLE]
        assert any(w.startswith("the file repeats its pictures: about 24") for w in doc["warnings"])
        assert (doc["input"]["picture_fps"], doc["processing"]["person_track"]) == (24.0, 2)
    assert again["warnings"] == analysed["warnings"]
