"""Issue 13: the second bad-input battery. Each case reproduces a fault at the command line and checks the
correct result, or exit 2 (3 for a partial batch) with one line on stderr, with no user file touched.

Most cases skip the pose pass (``fake_pose``: the synthetic runner's exact landmarks) and run batches in this
process (``serial_batch``); the cases about decoding run on tiny rendered clips, and those that need the real
pose model are marked slow.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from formcheck.batch.jobs import analyze_job
from formcheck.outputs import MARKER
from tests.integration import test_bad_input as battery
from tests.integration.test_bad_input import assert_clean_failure, run_cli

media = battery.media  # session fixtures shared with the first battery
fake_pose = battery.fake_pose


@pytest.fixture
def serial_batch(fake_pose: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``formcheck batch`` runs its clips in this process (so that ``fake_pose`` applies). Returns the clip."""
    import formcheck.batch as batch

    def run_here(jobs, settings, workers, sink, worker=analyze_job):
        for job in jobs:
            sink(worker(job, settings))

    monkeypatch.setattr(batch, "run_local", run_here)
    return fake_pose


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its content."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def summary_rows(outdir: Path) -> list[dict[str, str]]:
    with open(outdir / "summary.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- 1. user files are never deleted ---------------------------------------------------------------------------


def test_clip_folder_holding_the_input_is_not_replaced(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``runs/monday/`` holds ``monday.mp4`` and ``notes.txt``; ``analyze runs/monday/monday.mp4 -o runs``."""
    monday = tmp_path / "runs" / "monday"
    monday.mkdir(parents=True)
    (monday / "monday.mp4").write_bytes(fake_pose.read_bytes())
    (monday / "notes.txt").write_text("easy 5 km\n", encoding="utf-8")
    before = tree(tmp_path)
    code, lines = run_cli(["analyze", str(monday / "monday.mp4"), "-o", str(tmp_path / "runs")], capsys)
    message = assert_clean_failure(code, lines)
    assert "not written by formcheck" in message and "holds the video itself" in message
    assert tree(tmp_path) == before


def test_unrelated_folder_of_the_same_name_is_not_replaced(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``analyze notes.mp4 -o .`` beside an unrelated ``notes/`` folder; and a file in the way."""
    (tmp_path / "notes.mp4").write_bytes(fake_pose.read_bytes())
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "plan.txt").write_text("intervals\n", encoding="utf-8")
    (tmp_path / "runner").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "runner.mp4").write_bytes(fake_pose.read_bytes())
    before = tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, lines = run_cli(["analyze", "notes.mp4", "-o", ".", "--no-video"], capsys)
    assert "not written by formcheck" in assert_clean_failure(code, lines)
    code, lines = run_cli(["analyze", "runner.mp4", "-o", ".", "--no-video"], capsys)
    assert "is not a folder formcheck wrote" in assert_clean_failure(code, lines)
    assert tree(tmp_path) == before


def test_rerun_and_reanalyze_keep_the_users_files(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's file dropped into a clip folder survives ``analyze`` again and ``reanalyze``; formcheck's own
    stale files (annotated.mp4 after a --no-video run) go."""
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--quiet"], capsys)
    assert code == 0, lines
    clip = out / "runner"
    assert (clip / MARKER).is_file() and (clip / "annotated.mp4").is_file()
    (clip / "coach notes.txt").write_text("look at the left arm\n", encoding="utf-8")
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    assert (clip / "coach notes.txt").read_text(encoding="utf-8") == "look at the left arm\n"
    assert not (clip / "annotated.mp4").exists()
    code, lines = run_cli(["reanalyze", str(clip), "--quiet"], capsys)
    assert code == 0, lines
    assert (clip / "coach notes.txt").read_text(encoding="utf-8") == "look at the left arm\n"
    assert (clip / "analysis.json").is_file() and (clip / MARKER).is_file()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_clip_folder_from_before_the_marker_is_still_replaced(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    (out / "runner" / MARKER).unlink()
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    assert (out / "runner" / MARKER).is_file()


def test_stale_partial_folders_of_a_killed_run_are_cleaned(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kill -9`` leaves ``.<clip>.partial-<pid>-<host>`` (and ``.summary.csv.tmp-<pid>-<host>.*.tmp``): the
    next run on this machine removes them when their process is gone (a folder: and it holds the marker); a live
    run's, another machine's, or an unmarked one stays."""
    from formcheck.outputs import _HOST_TAG

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".other.partial-{dead.pid}-{_HOST_TAG}"
    live = out / f".other.partial-{os.getppid()}-{_HOST_TAG}"
    remote = out / f".other.partial-{dead.pid}-0badcafe"
    unmarked = out / f".mine.partial-{dead.pid}-{_HOST_TAG}"
    for folder in (stale, live, remote, unmarked):
        folder.mkdir()
        (folder / "steps.csv").write_text("index\n", encoding="utf-8")
    for folder in (stale, live, remote):
        (folder / MARKER).write_text("x", encoding="utf-8")
    stale_file = out / f".summary.csv.tmp-{dead.pid}-{_HOST_TAG}.k2j4.tmp"
    live_file = out / f".summary.csv.tmp-{os.getppid()}-{_HOST_TAG}.k2j4.tmp"
    for f in (stale_file, live_file):
        f.write_text("clip\n", encoding="utf-8")
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    assert not stale.exists() and not stale_file.exists()
    assert live.is_dir() and remote.is_dir() and unmarked.is_dir() and live_file.is_file()


# --- 2. clip names never take the batch's own files ------------------------------------------------------------


@pytest.mark.slow  # about 5 s: a batch of two clips
def test_clip_names_never_take_the_batch_files(
    serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    names = ("formcheck.db.mp4", "summary.csv.mp4", "index.html.mp4", "formcheck.db-journal.mp4")
    for i, name in enumerate(names):  # four recordings: identical files would be one clip, analysed once
        (folder / name).write_bytes(serial_batch.read_bytes() + b"\0" * i)
    out = tmp_path / "out"
    for _ in range(2):  # and the next batch works too
        code, lines = run_cli(["batch", str(folder), "-o", str(out), "--no-video", "--quiet"], capsys)
        assert code == 0, lines
    for name in ("formcheck.db", "summary.csv", "index.html"):
        assert (out / name).is_file(), name
    rows = summary_rows(out)
    assert len(rows) == 4 and {r["status"] for r in rows} == {"ok"}
    for r in rows:
        folder_name = r["output"].split("/")[0]
        assert folder_name not in ("formcheck.db", "summary.csv", "index.html", "formcheck.db-journal")
        assert (out / folder_name / "analysis.json").is_file()
    code, lines = run_cli(["history", "unknown", "--db", str(out / "formcheck.db")], capsys)
    assert code == 0, lines


# --- 6. re-runs do not feed on their own outputs ---------------------------------------------------------------


def test_batch_into_its_own_folder_twice(
    serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from formcheck.store import Store

    folder = tmp_path / "F"
    folder.mkdir()
    (folder / "run.mp4").write_bytes(serial_batch.read_bytes())
    for _ in range(2):
        code, lines = run_cli(["batch", str(folder), "-o", str(folder), "--quiet"], capsys)
        assert code == 0, lines
    assert (folder / "run" / "annotated.mp4").is_file()
    assert [r["clip"] for r in summary_rows(folder)] == ["run.mp4"]
    with Store(folder / "formcheck.db") as st:
        assert len(st.sessions("unknown")) == 1


# --- 7. same-stem clips --------------------------------------------------------------------------------------


def test_same_stem_clips_do_not_overwrite_each_other(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "run.mp4").write_bytes(fake_pose.read_bytes() + sub.encode())  # two different files
    out = tmp_path / "out"
    a, b = tmp_path / "a" / "run.mp4", tmp_path / "b" / "run.mp4"
    code, lines = run_cli(["analyze", str(a), str(b), "-o", str(out), "--no-video"], capsys)
    assert code == 0, lines
    folders = sorted(p.name for p in out.iterdir() if (p / "analysis.json").is_file())
    assert len(folders) == 2 and folders[0] == "run" and folders[1].startswith("run-"), folders
    paths = {
        json.loads((out / f / "analysis.json").read_text(encoding="utf-8"))["input"]["path"] for f in folders
    }
    assert {Path(p).parent.name for p in paths} == {"a", "b"}
    assert any(f"{out / folders[1]}" in line for line in lines), lines


# --- 13. batch -o FILE -----------------------------------------------------------------------------------------


def test_batch_output_is_a_file(fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "run.mp4").write_bytes(fake_pose.read_bytes())
    blocker = tmp_path / "results.txt"
    blocker.write_text("keep me\n", encoding="utf-8")
    code, lines = run_cli(["batch", str(folder), "-o", str(blocker)], capsys)
    assert "-o" in assert_clean_failure(code, lines)
    assert blocker.read_text(encoding="utf-8") == "keep me\n"


# --- 3. names that are not UTF-8 -------------------------------------------------------------------------------

LATIN1 = os.fsdecode(b"L\xe4ufer.mp4")  # 'L\udce4ufer.mp4': the bytes of a Latin-1 name on a UTF-8 system


def test_name_not_utf8_analyze(fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / LATIN1
    clip.write_bytes(fake_pose.read_bytes())
    out = tmp_path / "out"
    code = battery.main(["analyze", str(clip), "-o", str(out), "--no-video", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(captured.out)
    assert doc["input"]["path"].endswith("L\ufffdufer.mp4")
    folder = out / LATIN1.removesuffix(".mp4")
    on_disk = json.loads((folder / "analysis.json").read_bytes().decode("utf-8"))  # strict UTF-8
    assert on_disk["input"]["sha256"] == doc["input"]["sha256"]
    assert "L\ufffdufer" in (folder / "report.html").read_bytes().decode("utf-8")


def test_name_not_utf8_batch(serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The parent writes summary.csv, the roster and the history with the clip, and the clip after it runs."""
    folder = tmp_path / "clips"
    (folder / os.fsdecode(b"Gr\xfcn")).mkdir(parents=True)
    (folder / os.fsdecode(b"Gr\xfcn") / LATIN1).write_bytes(serial_batch.read_bytes())
    (folder / "z_after.mp4").write_bytes(serial_batch.read_bytes() + b"\0")  # another recording: not a copy
    out = tmp_path / "out"
    code, lines = run_cli(
        ["batch", str(folder), "-o", str(out), "--no-video", "--athlete-from-folder", "--quiet"], capsys
    )
    assert code == 0, lines
    rows = summary_rows(out)
    assert [r["clip"] for r in rows] == ["Gr\ufffdn/L\ufffdufer.mp4", "z_after.mp4"]
    assert {r["status"] for r in rows} == {"ok"}
    assert "L\ufffdufer" in (out / "index.html").read_text(encoding="utf-8")
    code, lines = run_cli(["history", "Gr\ufffdn", "--db", str(out / "formcheck.db")], capsys)
    assert code == 0, lines


# --- 17. output hygiene: formulas, terminal escapes ------------------------------------------------------------


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_formula_names_are_quoted_in_summary_csv(
    serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    names = ["=HYPERLINK(1).mp4", "+1.mp4", "-2.mp4", "@SUM(A1).mp4"]
    (folder / "@team").mkdir(parents=True)
    for i, name in enumerate(names):  # distinct recordings: identical files would be one clip
        (folder / name).write_bytes(serial_batch.read_bytes() + b"\0" * i)
    (folder / "@team" / "run.mp4").write_bytes(serial_batch.read_bytes() + b"\0" * 9)
    out = tmp_path / "out"
    code, lines = run_cli(
        ["batch", str(folder), "-o", str(out), "--no-video", "--athlete-from-folder", "--quiet"], capsys
    )
    assert code == 0, lines
    rows = summary_rows(out)
    assert sorted(r["clip"] for r in rows) == sorted(["'" + n for n in names] + ["'@team/run.mp4"])
    assert {r["athlete"] for r in rows} == {"unknown", "'@team"}
    assert all(float(r["trunk_lean_deg"]) == float(r["trunk_lean_deg"]) for r in rows)  # numbers stay numbers


def test_formula_text_is_quoted_in_steps_csv(tmp_path: Path) -> None:
    import dataclasses

    from formcheck.report.csv_out import write_steps_csv
    from tests.fixtures.fake_analysis import make_fake_analysis

    analysis = make_fake_analysis()
    steps = list(analysis.events.steps)
    steps[0] = dataclasses.replace(steps[0], valid=False, reject_reason="-contact too long")
    analysis = dataclasses.replace(analysis, events=dataclasses.replace(analysis.events, steps=tuple(steps)))
    rows = list(csv.DictReader(write_steps_csv(analysis, tmp_path / "steps.csv").read_text().splitlines()))
    assert rows[0]["reject_reason"] == "'-contact too long"
    assert any(r["contact_s"] and float(r["contact_s"]) >= 0 for r in rows)


def test_terminal_escapes_in_names_are_not_printed_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = tmp_path / "run\x1b]0;pwned\x07\x1b[2J.mp4"
    clip.write_text("not a video\n", encoding="utf-8")
    code, lines = run_cli(["analyze", str(clip), "-o", str(tmp_path / "out")], capsys)
    message = assert_clean_failure(code, lines)
    assert "\x1b" not in message and "\x07" not in message
    assert "\\x1b[2J" in message


# --- decoding: pixels, tracks, seeking (no pose model) ---------------------------------------------------------


def encode(
    path: Path,
    frames: list[np.ndarray],
    times_s: np.ndarray | list[float],
    *,
    fmt: str | None = None,
    sar: Fraction | None = None,
    gop: int | None = None,
    container: av.container.OutputContainer | None = None,
    codec: str = "libx264",
) -> Path:
    """H.264 (or ``codec``) of RGB ``frames`` at ``times_s`` into ``path`` (or as one more stream of
    ``container``, returning its packets)."""
    own = container is None
    c = av.open(str(path), "w", format=fmt) if own else container
    h, w = frames[0].shape[:2]
    s = c.add_stream(codec, rate=30)
    s.width, s.height = w, h
    s.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
    tb = Fraction(1, 90000)
    s.time_base = tb
    s.codec_context.time_base = tb
    if sar is not None:
        s.codec_context.sample_aspect_ratio = sar
    s.options = {
        "preset": "veryfast",
        "crf": "18",
        **({"g": str(gop), "keyint_min": str(gop)} if gop else {}),
    }
    packets = []
    for rgb, t in zip(frames, times_s, strict=True):
        f = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        f.pts, f.time_base = int(round(t / tb)), tb
        packets += s.encode(f)
    packets += s.encode(None)
    if own:
        for p in packets:
            c.mux(p)
        c.close()
        return path
    return packets  # type: ignore[return-value]


def numbered_frames(n: int, size: tuple[int, int] = (96, 64)) -> list[np.ndarray]:
    """Frames whose grey levels tell their index: the left half ``i % 50``, the right half ``i // 50``."""
    w, h = size
    frames = []
    for i in range(n):
        rgb = np.empty((h, w, 3), np.uint8)
        rgb[:, : w // 2] = 20 + 4 * (i % 50)
        rgb[:, w // 2 :] = 20 + 40 * (i // 50)
        frames.append(rgb)
    return frames


def frame_number(rgb: np.ndarray) -> int:
    w = rgb.shape[1]
    left, right = float(rgb[:, 4 : w // 2 - 4].mean()), float(rgb[:, w // 2 + 4 : -4].mean())
    return int(round((left - 20) / 4)) + 50 * int(round((right - 20) / 40))


def test_non_square_pixels_are_resampled_to_the_displayed_size(tmp_path: Path) -> None:
    """A circle stored squeezed to 3/4 width with SAR 4:3 is a circle again in the frames the reader yields,
    and VideoInfo gives the displayed size (4)."""
    from formcheck.video import VideoReader, probe_video

    square = np.zeros((120, 160, 3), np.uint8)
    cv2.circle(square, (80, 60), 40, (255, 255, 255), -1)
    squeezed = cv2.resize(square, (120, 120), interpolation=cv2.INTER_AREA)
    clip = encode(tmp_path / "anamorphic.mp4", [squeezed] * 10, np.arange(10) / 30, sar=Fraction(4, 3))
    info = probe_video(str(clip))
    assert (info.width, info.height) == (160, 120)
    with VideoReader(str(clip)) as reader:
        rgb = next(iter(reader)).rgb
    assert rgb.shape == (120, 160, 3)
    ys, xs = np.nonzero(rgb[:, :, 0] > 128)
    assert (xs.max() - xs.min()) == pytest.approx(ys.max() - ys.min(), abs=3)  # round, not an ellipse


@pytest.mark.slow
def test_non_square_pixels_give_the_metrics_of_the_square_clip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same run stored squeezed (3/4 of the width, SAR 4:3): the same metrics as the square original (4)."""
    from formcheck.synth.clip import render_frames

    params = battery.RUNNER.replace(duration_s=4.0, short_side_px=360)
    r, frames = render_frames(params)
    h, w = frames[0].shape[:2]
    square = encode(tmp_path / "square.mp4", frames, r.time_s)
    thin = [cv2.resize(f, (w * 3 // 8 * 2, h), interpolation=cv2.INTER_AREA) for f in frames]
    squeezed = encode(tmp_path / "squeezed.mp4", thin, r.time_s, sar=Fraction(w, w * 3 // 8 * 2))
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(square), str(squeezed), "-o", str(out), "--no-video"], capsys)
    assert code == 0, lines
    a = json.loads((out / "square" / "analysis.json").read_text(encoding="utf-8"))
    b = json.loads((out / "squeezed" / "analysis.json").read_text(encoding="utf-8"))
    assert (b["input"]["width"], b["input"]["height"]) == (a["input"]["width"], a["input"]["height"])
    # Measured: differences 1.0 %leg, 0.1 and 3.4 deg; before square pixels 6.6 %leg, 1.2 and 10.7 deg.
    for mid, tol in (("overstride_distance", 3.0), ("trunk_lean_deg", 0.8), ("arm_swing_deg", 6.0)):
        assert b["metrics"][mid]["value"] == pytest.approx(a["metrics"][mid]["value"], abs=tol), (
            mid,
            a["metrics"][mid]["value"],
            b["metrics"][mid]["value"],
        )
    assert b["metrics"]["foot_strike_type"]["value"] == a["metrics"]["foot_strike_type"]["value"]


def test_resolution_change_mid_stream_is_scaled_to_the_first_size(tmp_path: Path) -> None:
    """Two MPEG-TS segments of different sizes joined (as a camera switching mode writes them) (11)."""
    from formcheck.video import VideoReader

    a = encode(tmp_path / "a.ts", numbered_frames(15, (96, 64)), np.arange(15) / 30, fmt="mpegts")
    b = encode(tmp_path / "b.ts", numbered_frames(15, (144, 96)), (15 + np.arange(15)) / 30, fmt="mpegts")
    joined = tmp_path / "joined.ts"
    joined.write_bytes(a.read_bytes() + b.read_bytes())
    with VideoReader(str(joined)) as reader:
        shapes = {f.rgb.shape for f in reader}
        assert shapes == {(64, 96, 3)}
        assert any("picture size changes to 144x96" in w for w in reader.warnings), reader.warnings


def test_resolution_change_with_annotated_video(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The annotated-video writer gets frames of one size: exit 0, with the whole video at the first size (11)."""
    frames = []
    with av.open(str(fake_pose)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    h, w = frames[0].shape[:2]
    half = len(frames) // 2
    times = np.arange(len(frames)) / 30
    a = encode(tmp_path / "a.ts", frames[:half], times[:half], fmt="mpegts")
    bigger = [cv2.resize(f, (w * 3 // 4 * 2, h * 3 // 4 * 2)) for f in frames[half:]]
    b = encode(tmp_path / "b.ts", bigger, times[half:], fmt="mpegts")
    clip = tmp_path / "switch.ts"
    clip.write_bytes(a.read_bytes() + b.read_bytes())
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(clip), "-o", str(out)], capsys)
    assert code == 0, lines
    with av.open(str(out / "switch" / "annotated.mp4")) as c:
        s = c.streams.video[0]
        assert (s.width, s.height) == (w, h)
        assert sum(1 for _ in c.decode(s)) >= len(frames) - 3  # the join may cost a frame or two


def test_the_longest_video_track_is_chosen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """First track a one-frame thumbnail, second the clip (14)."""
    from formcheck.video import VideoReader, probe_video

    path = tmp_path / "thumb_first.mp4"
    with av.open(str(path), "w", format="mp4") as c:
        thumb = encode(path, [np.full((48, 64, 3), 200, np.uint8)], [0.0], container=c, codec="mjpeg")
        clip = encode(path, numbered_frames(40), np.arange(40) / 30, container=c)
        for p in [*thumb, *clip]:
            c.mux(p)
    with av.open(str(path)) as c:
        assert [s.frames for s in c.streams.video] == [1, 40]
    info = probe_video(str(path))
    assert (info.width, info.height, info.n_frames) == (96, 64, 40)
    with VideoReader(str(path), start_s=0.5) as reader:
        got = [frame_number(f.rgb) for f in reader]
    assert got == list(range(15, 40))


@pytest.mark.parametrize("gop", [250, 15])
def test_mpeg_ts_start_lands_on_the_start(gop: int, tmp_path: Path) -> None:
    """``--start`` on a .ts file: the first frame is the one at the start and none after it is lost (5)."""
    from formcheck.video import VideoReader

    clip = encode(tmp_path / "clip.ts", numbered_frames(300), np.arange(300) / 30, fmt="mpegts", gop=gop)
    with VideoReader(str(clip), start_s=6.0, end_s=8.0) as reader:
        got = [frame_number(f.rgb) for f in reader]
        assert not reader.warnings, reader.warnings
    assert got == list(range(180, 241))


def test_one_frame_clip_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = encode(tmp_path / "still.mp4", numbered_frames(1), [0.0])
    code, lines = run_cli(["analyze", str(clip), "-o", str(tmp_path / "out")], capsys)
    assert "single frame" in assert_clean_failure(code, lines, tmp_path / "out", "still")


def test_raw_h264_stream_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = encode(tmp_path / "clip.h264", numbered_frames(30), np.arange(30) / 30, fmt="h264")
    code, lines = run_cli(["analyze", str(clip), "-o", str(tmp_path / "out")], capsys)
    message = assert_clean_failure(code, lines, tmp_path / "out", "clip")
    assert "raw H.264 stream" in message and "truncated" not in message


# --- 8. re-analysis uses only the very video that was analysed -------------------------------------------------


def test_reanalyze_from_elsewhere_never_uses_another_video(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / "run.mp4").write_bytes(fake_pose.read_bytes())
    monkeypatch.chdir(home)
    code, lines = run_cli(["analyze", "run.mp4", "-o", "out", "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    clip = home / "out" / "run"
    doc = json.loads((clip / "analysis.json").read_text(encoding="utf-8"))
    assert doc["input"]["path"] == str(home / "run.mp4")  # absolute
    sha = doc["input"]["sha256"]
    # Another video at the same relative path, seen from another folder: never decoded for this clip.
    encode(elsewhere / "run.mp4", numbered_frames(90, (320, 240)), np.arange(90) / 30)
    monkeypatch.chdir(elsewhere)
    (clip / "keyframes.npz").unlink()
    code, lines = run_cli(["reanalyze", str(clip), "--quiet"], capsys)
    assert code == 0, lines
    assert (clip / "keyframes.npz").is_file()  # from the right video, by its absolute path
    from formcheck.render.frame_cache import load_source_frames

    assert load_source_frames(clip / "keyframes.npz", sha)
    # The original replaced by another file: not used, and nothing cached under the original's hash.
    (clip / "keyframes.npz").unlink()
    (home / "run.mp4").write_bytes((elsewhere / "run.mp4").read_bytes())
    code, lines = run_cli(["reanalyze", str(clip), "--quiet"], capsys)
    assert code == 0, lines
    assert not (clip / "keyframes.npz").exists()
    assert json.loads((clip / "analysis.json").read_text(encoding="utf-8"))["input"]["sha256"] == sha


# --- 15. messages that say what happened -----------------------------------------------------------------------


@pytest.mark.slow  # about 4 s: renders and analyses a fast-forwarded clip
def test_sped_up_clip_says_so() -> None:
    """2x fast-forward of a 3 s run: "sped up", not "film 6 s"; a longer one is analysed without timing."""
    from formcheck.config import AnalysisSettings
    from formcheck.errors import TooFewStepsError
    from formcheck.synth.params import RunnerParams
    from formcheck.trajectory_analysis import analyze_trajectories
    from tests.fixtures.synthetic import synthetic_trajectories

    traj, _ = synthetic_trajectories(RunnerParams(duration_s=3.0))
    with pytest.raises(TooFewStepsError) as e:
        analyze_trajectories(traj.replace(time_s=traj.time_s / 2.0), AnalysisSettings())
    assert "sped up" in str(e.value) and "6 s" not in str(e.value), str(e.value)
    traj, _ = synthetic_trajectories(RunnerParams(duration_s=12.0))
    analysis = analyze_trajectories(traj.replace(time_s=traj.time_s / 2.0), AnalysisSettings())
    assert any("sped up" in w for w in analysis.warnings), analysis.warnings
    assert analysis.metrics["cadence_spm"].value is None


def test_name_too_long_for_the_temporary_folder(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 250-byte stem fits the file system; the clip's temporary folder, with its suffix, must fit too."""
    clip = tmp_path / ("r" * 250 + ".mp4")
    clip.write_bytes(fake_pose.read_bytes())
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(clip), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    assert (out / ("r" * 250) / "analysis.json").is_file()


# --- 16. edge values ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fps", ["0", "1e308", "0.5", "5000"])
def test_capture_fps_out_of_range(
    fps: str, fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--capture-fps", fps], capsys)
    assert "--capture-fps" in assert_clean_failure(code, lines, out, "runner")


def test_keyframes_cache_with_scalar_times_is_ignored(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(fake_pose), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    cache = out / "runner" / "keyframes.npz"
    with np.load(cache) as z:
        arrays = dict(z)
    arrays["file_time_s"] = np.array(1.5)
    with open(cache, "wb") as fh:
        np.savez(fh, **arrays)
    code, lines = run_cli(["reanalyze", str(out / "runner"), "--quiet"], capsys)
    assert code == 0, lines
    with np.load(cache) as z:
        assert z["file_time_s"].ndim == 1  # decoded again and rewritten


# --- 9. a killed batch takes its workers with it ---------------------------------------------------------------


def _session_processes(sid: int) -> list[int]:
    import psutil

    found = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == sid:
                found.append(p.pid)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


def _start_batch(media, tmp_path: Path) -> subprocess.Popen:
    """``formcheck batch`` on four clips with two workers, in its own session (stderr to ``tmp_path/err.txt``);
    returns once both workers run."""
    import time

    import psutil

    folder = tmp_path / "clips"
    folder.mkdir()
    for i in range(4):
        (folder / f"run{i}.mp4").write_bytes(media.runner().read_bytes() + bytes([i]))
    cmd = [
        sys.executable,
        "-m",
        "formcheck.cli",
        "batch",
        str(folder),
        "-o",
        str(tmp_path / "out"),
        "--workers",
        "2",
    ]
    with open(tmp_path / "err.txt", "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = psutil.Process(proc.pid).children(recursive=True)
        if len(kids) >= 3:  # the forkserver (or resource tracker) and two workers
            time.sleep(1.0)  # the workers load the model
            return proc
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the batch's workers did not start")


def _left_running(sid: int, timeout_s: float = 20.0) -> list[int]:
    """The processes of session ``sid`` still running after ``timeout_s``; they are killed (only they: the
    session is the batch's own), so that none outlives the test."""
    import signal
    import time

    deadline = time.monotonic() + timeout_s
    while (left := _session_processes(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.slow
def test_workers_end_when_the_batch_is_killed(media, tmp_path: Path) -> None:
    import signal

    proc = _start_batch(media, tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    left = _left_running(proc.pid)
    assert not left, f"processes still running after the batch was killed: {left}"


@pytest.mark.slow
def test_sigterm_is_handled_like_ctrl_c(media, tmp_path: Path) -> None:
    import signal

    proc = _start_batch(media, tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    finally:
        left = _left_running(proc.pid)
    err = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("formcheck: terminated"), err
    assert "Traceback" not in err, err
    assert not left, f"processes still running after SIGTERM: {left}"
    assert not [p for p in (tmp_path / "out").iterdir() if ".partial-" in p.name]


# --- 10. history database failures after opening ---------------------------------------------------------------


def _damage_pages(db: Path) -> None:
    """Garbage over every page but the first (the header and schema stay intact)."""
    data = bytearray(db.read_bytes())
    assert len(data) > 4096
    data[4096:] = np.random.default_rng(0).integers(0, 256, len(data) - 4096, dtype=np.uint8).tobytes()
    db.write_bytes(bytes(data))


def test_damaged_history_database(
    serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "a.mp4").write_bytes(serial_batch.read_bytes())
    out = tmp_path / "out"
    code, lines = run_cli(["batch", str(folder), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    _damage_pages(out / "formcheck.db")
    code, lines = run_cli(["history", "unknown", "--db", str(out / "formcheck.db")], capsys)
    assert "damaged" in assert_clean_failure(code, lines)
    (folder / "b.mp4").write_bytes(serial_batch.read_bytes() + b"b")
    code, lines = run_cli(["batch", str(folder), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 3, lines
    assert [line for line in lines if line.startswith("formcheck: ")] == lines and len(lines) == 1, lines
    assert "not in the history database" in lines[0]
    rows = summary_rows(out)
    assert [(r["clip"], r["status"]) for r in rows] == [("a.mp4", "ok"), ("b.mp4", "ok")]
    assert (out / "b" / "analysis.json").is_file() and (out / "index.html").is_file()


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_history_database_locked_during_a_batch(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program takes the database after the batch opened it: the clip that just finished is in
    summary.csv, the next clips run, exit 3 with one line."""
    import sqlite3

    import formcheck.batch as batch
    import formcheck.store as store

    monkeypatch.setattr(store, "LOCK_TIMEOUT_S", 0.2)
    out = tmp_path / "out"
    holder: list[sqlite3.Connection] = []

    def run_here(jobs, settings, workers, sink, worker=analyze_job):
        for job in jobs:
            outcome = worker(job, settings)
            if job.rel == "b.mp4":
                conn = sqlite3.connect(str(out / "formcheck.db"))
                conn.execute("BEGIN EXCLUSIVE")
                holder.append(conn)
            sink(outcome)

    monkeypatch.setattr(batch, "run_local", run_here)
    folder = tmp_path / "clips"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.mp4").write_bytes(fake_pose.read_bytes() + name.encode())
    code, lines = run_cli(["batch", str(folder), "-o", str(out), "--no-video", "--quiet"], capsys)
    holder[0].rollback()
    holder[0].close()
    assert code == 3, lines
    assert len(lines) == 1 and "2 analysed clips are not in the history database" in lines[0], lines
    assert [(r["clip"], r["status"]) for r in summary_rows(out)] == [
        ("a.mp4", "ok"),
        ("b.mp4", "ok"),
        ("c.mp4", "ok"),
    ]


# --- 12. --scheduler ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["", "host", "http://x", "tcp://host:99999", "host:port", "a b:1"])
def test_bad_scheduler_address(address: str, fake_pose: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "run.mp4").write_bytes(fake_pose.read_bytes())
    code, lines = run_cli(["batch", str(folder), "-o", str(tmp_path / "out"), "--scheduler", address], capsys)
    assert "--scheduler" in assert_clean_failure(code, lines)
    assert not (tmp_path / "out").exists()


def test_dask_gets_absolute_paths(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative FOLDER and OUTDIR reach the Dask workers as absolute paths."""
    import formcheck.batch as batch

    sent = []

    def fake_dask(jobs, settings, scheduler, sink, worker=analyze_job):
        sent.extend(jobs)
        assert scheduler == "tcp://10.0.0.5:8786"

    monkeypatch.setattr(batch, "run_dask", fake_dask)
    (tmp_path / "clips" / "ann").mkdir(parents=True)
    (tmp_path / "clips" / "ann" / "run.mp4").write_bytes(fake_pose.read_bytes())
    monkeypatch.chdir(tmp_path)
    run_cli(["batch", "clips", "-o", "out", "--scheduler", "tcp://10.0.0.5:8786", "--quiet"], capsys)
    assert [j.rel for j in sent] == ["ann/run.mp4"]
    assert Path(sent[0].path) == tmp_path / "clips" / "ann" / "run.mp4"
    assert Path(sent[0].clip_dir) == tmp_path / "out" / "ann__run"


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "tcp://sched.local:8786", "tls://[::1]:8786"])
def test_good_scheduler_addresses(address: str) -> None:
    from formcheck.batch import check_scheduler

    assert check_scheduler(f" {address} ") == address


# --- 5. MPEG-TS at the command line ------------------------------------------------------------------------------


def test_mpeg_ts_report_has_key_frames_and_no_false_damage(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """``--no-video`` on a .ts file with a keyframe every 250 frames: key frames are decoded for the report, and
    nothing is called damaged or corrupt (5)."""
    from formcheck.render.frame_cache import load_source_frames

    with av.open(str(fake_pose)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    clip = encode(tmp_path / "run.ts", frames, np.arange(len(frames)) / 30, fmt="mpegts", gop=250)
    out = tmp_path / "out"
    with caplog.at_level("WARNING"):
        code, lines = run_cli(["analyze", str(clip), "-o", str(out), "--no-video"], capsys)
    assert code == 0, lines
    text = "\n".join([*lines, caplog.text])
    assert "damaged" not in text and "corrupt" not in text and "no key frames" not in text, text
    doc = json.loads((out / "run" / "analysis.json").read_text(encoding="utf-8"))
    assert load_source_frames(out / "run" / "keyframes.npz", doc["input"]["sha256"])


def test_thumbnail_first_track_at_the_command_line(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose first video track is a one-frame JPEG thumbnail is analysed, not rejected as an image (14)."""
    with av.open(str(fake_pose)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    path = tmp_path / "camera.mp4"
    with av.open(str(path), "w", format="mp4") as c:
        thumb = encode(path, [cv2.resize(frames[0], (64, 48))], [0.0], container=c, codec="mjpeg")
        clip = encode(path, frames, np.arange(len(frames)) / 30, container=c)
        for p in [*thumb, *clip]:
            c.mux(p)
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(path), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    doc = json.loads((out / "camera" / "analysis.json").read_text(encoding="utf-8"))
    assert doc["input"]["frames"] == len(frames)


def test_sped_up_clip_at_the_command_line(
    media, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pose of a 2x fast-forward (the runner's landmarks at half their times): "sped up", not "film 6 s"."""
    import formcheck.pipeline as pipeline
    from formcheck.model import VideoInfo
    from tests.fixtures.synthetic import synthetic_trajectories

    traj, _ = synthetic_trajectories(battery.RUNNER)
    fast = traj.replace(time_s=traj.time_s / 2.0)

    from formcheck.pose.run import PoseResult

    def fake(path, settings, make_estimator=None, progress=None):
        return PoseResult(fast.replace(video=VideoInfo(**{**fast.video.__dict__, "path": str(path)})), "fake")

    monkeypatch.setattr(pipeline, "estimate_landmarks", fake)
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(media.runner()), "-o", str(out)], capsys)
    message = assert_clean_failure(code, lines, out, "runner")
    assert "sped up" in message and "6 s" not in message


# --- fuzz: file and folder names through analyze and batch -------------------------------------------------------

_RESERVED = [
    "formcheck.db",
    "summary.csv",
    "index.html",
    ".formcheck",
    "analysis.json",
    "annotated",
    "CON",
    "nul",
    "--help",
    "-o",
    "=1+1",
    "@SUM(A1)",
    "..x",
    "~",
    "*?<>|",
    "run\x1b[2J",
]


def _fits(name: str) -> bool:
    raw = os.fsencode(name)
    return 0 < len(raw) <= 200 and b"/" not in raw and b"\x00" not in raw and name not in (".", "..")


_NAMES = st.one_of(
    st.binary(min_size=1, max_size=30).map(os.fsdecode),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
    st.sampled_from(_RESERVED),
).filter(_fits)

_FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _no_raw_controls(lines: list[str]) -> None:
    for line in lines:
        assert not any(ch in line for ch in "\x1b\x07\x08\r\x9b"), repr(line)


@pytest.mark.slow
@_FUZZ
@given(name=_NAMES)
@example(name="run\x1b]0;x\x07")
@example(name=os.fsdecode(b"L\xe4ufer"))
def test_fuzz_names_through_analyze(name: str, fake_pose: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / f"{name}.mp4"
        clip.write_bytes(fake_pose.read_bytes())
        out = Path(tmp) / "out"
        for _ in range(2):  # and again, over its own folder
            code, lines = run_cli(["analyze", str(clip), "-o", str(out), "--no-video", "--quiet"], capsys)
            assert code == 0, lines
            _no_raw_controls(lines)
        folder = out / Path(clip.name).stem
        assert (folder / MARKER).is_file()
        doc = json.loads((folder / "analysis.json").read_bytes().decode("utf-8"))
        assert doc["input"]["sha256"]
        (folder / "report.html").read_bytes().decode("utf-8")
        assert clip.read_bytes() == fake_pose.read_bytes()
        assert not [p.name for p in out.iterdir() if ".partial-" in p.name]


@pytest.mark.slow
@_FUZZ
@given(folder_name=_NAMES, name=_NAMES)
@example(folder_name="-team", name="summary.csv")
@example(folder_name="\x0b", name="0\u2028")
@example(folder_name="0-", name="0")
@example(folder_name=os.fsdecode(b"Gr\xfcn"), name="@x\x1b[2J")
def test_fuzz_names_through_batch(
    folder_name: str, name: str, serial_batch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "clips"
        (root / folder_name).mkdir(parents=True)
        clip = root / folder_name / f"{name}.mp4"
        clip.write_bytes(serial_batch.read_bytes())
        (root / "plain.mp4").write_bytes(serial_batch.read_bytes() + b"x")
        out = Path(tmp) / "out"
        args = ["batch", str(root), "-o", str(out), "--no-video", "--athlete-from-folder", "--quiet"]
        code, lines = run_cli(args, capsys)
        assert code == 0, lines
        _no_raw_controls(lines)
        hidden = folder_name.startswith(".") or name.startswith(".")
        rows = summary_rows(out)
        assert len(rows) == (1 if hidden else 2)
        for r in rows:
            assert r["status"] == "ok", r
            quoted = r["output"].startswith("'") and r["output"][1:2] in ("=", "+", "-", "@")
            output = r["output"][1:] if quoted else r["output"]
            assert (out / output).is_file(), r
            for key in ("clip", "athlete", "output"):
                assert not r[key].startswith(("=", "+", "-", "@")), r
        assert clip.read_bytes() == serial_batch.read_bytes()
        code, lines = run_cli(args, capsys)  # the re-run skips everything
        assert code == 0, lines
        assert len(summary_rows(out)) == len(rows)


def test_batch_names_of_deep_folders_fit_the_file_system(
    serial_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Folders joined with ``__`` can exceed the 255-byte name limit: the clip folder's name is shortened (15)."""
    deep = tmp_path / "clips" / ("a" * 120) / ("b" * 120)
    deep.mkdir(parents=True)
    (deep / ("c" * 120 + ".mp4")).write_bytes(serial_batch.read_bytes())
    out = tmp_path / "out"
    code, lines = run_cli(["batch", str(tmp_path / "clips"), "-o", str(out), "--no-video", "--quiet"], capsys)
    assert code == 0, lines
    (row,) = summary_rows(out)
    folder = row["output"].split("/")[0]
    assert len(folder) <= 209 and (out / folder / "analysis.json").is_file()


def test_non_square_pixels_in_the_annotated_video(
    fake_pose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The annotated video of a squeezed clip is drawn in square pixels at the displayed size (4)."""
    with av.open(str(fake_pose)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    h, w = frames[0].shape[:2]
    thin_w = w * 3 // 8 * 2
    thin = [cv2.resize(f, (thin_w, h), interpolation=cv2.INTER_AREA) for f in frames]
    clip = encode(tmp_path / "squeezed.mp4", thin, np.arange(len(frames)) / 30, sar=Fraction(w, thin_w))
    out = tmp_path / "out"
    code, lines = run_cli(["analyze", str(clip), "-o", str(out), "--quiet"], capsys)
    assert code == 0, lines
    doc = json.loads((out / "squeezed" / "analysis.json").read_text(encoding="utf-8"))
    assert (doc["input"]["width"], doc["input"]["height"]) == (w, h)
    with av.open(str(out / "squeezed" / "annotated.mp4")) as c:
        s = c.streams.video[0]
        assert (s.width, s.height) == (w, h)
        assert s.sample_aspect_ratio in (None, 0, 1)
        first = next(c.decode(s)).to_ndarray(format="rgb24")
    # The picture under the drawing is the square original (the drawing covers a minority of the pixels).
    assert np.median(np.abs(first.astype(int) - frames[0].astype(int))) < 8


@pytest.mark.slow
@pytest.mark.realclips
def test_real_clip_squeezed_with_sar_gives_the_same_metrics(
    shared_clips: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: a 608x1080 clip re-encoded as 456x1080 with SAR 4:3 reads as the original (4)."""
    src = shared_clips / "side_01.mp4"
    if not src.is_file():
        pytest.skip("side_01.mp4 is not in ../shared/clips")
    with av.open(str(src)) as c:
        s = c.streams.video[0]
        pairs = [(f.to_ndarray(format="rgb24"), float(f.time)) for f in c.decode(s)]
    frames = [cv2.resize(rgb, (456, 1080), interpolation=cv2.INTER_AREA) for rgb, _ in pairs]
    squeezed = encode(tmp_path / "squeezed.mp4", frames, [t for _, t in pairs], sar=Fraction(4, 3))
    out = tmp_path / "out"
    code, lines = run_cli(
        ["analyze", str(src), str(squeezed), "-o", str(out), "--no-video", "--quiet"], capsys
    )
    assert code == 0, lines
    a = json.loads((out / "side_01" / "analysis.json").read_text(encoding="utf-8"))["metrics"]
    b = json.loads((out / "squeezed" / "analysis.json").read_text(encoding="utf-8"))["metrics"]
    # Measured: 13.8/13.6 %leg, 6.5/6.6 deg, 50.2/50.6 deg; before square pixels the squeezed clip read 8.6 %leg.
    for mid, tol in (("overstride_distance", 2.5), ("trunk_lean_deg", 1.5), ("arm_swing_deg", 5.0)):
        assert b[mid]["value"] == pytest.approx(a[mid]["value"], abs=tol), (mid, a[mid], b[mid])
    assert b["foot_strike_type"]["value"] == a["foot_strike_type"]["value"]
