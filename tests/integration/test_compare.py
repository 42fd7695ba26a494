"""``formcheck compare A B`` end to end on two short rendered runners (the pose pass replaced by the runners' exact
landmarks, so it runs in seconds): the folder, the synchronised video, the verdicts; the same from the clip
folders without any pose pass; and every bad input refused with one line and exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.compare.video import layout_for
from formcheck.model import VideoInfo
from formcheck.synth.clip import render_frames
from formcheck.synth.params import RunnerParams
from formcheck.video.reader import VideoReader, probe_video
from formcheck.video.writer import VideoWriter
from tests.fixtures.synthetic import synthetic_trajectories  # noqa: I001

pytestmark = pytest.mark.slow  # about 13 s: two clips rendered, analysed and drawn side by side

# Before: a slow cadence; after: quicker steps, filmed at 60 fps and a different size.
BEFORE = RunnerParams(duration_s=3.0, short_side_px=240, cadence_spm=158, seed=3)
AFTER = RunnerParams(duration_s=3.0, short_side_px=200, cadence_spm=182, seed=4, fps=60.0)
PARAMS = {"before": BEFORE, "after": AFTER}
FILMED_S = 1_780_000_000  # the first take's file date (2026-05-28); the second a week later


def _render(params: RunnerParams, path: Path) -> Path:
    _, frames = render_frames(params)
    h, w = frames[0].shape[:2]
    with VideoWriter(str(path), w, h, params.fps) as out:
        for i, f in enumerate(frames):
            out.write(f, i / params.fps)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    import os

    folder = tmp_path_factory.mktemp("takes")
    paths = {name: _render(p, folder / f"{name}.mp4") for name, p in PARAMS.items()}
    for days, path in enumerate(paths.values()):  # filmed a week apart (no creation_time: the file's date)
        t = FILMED_S + 7 * 86400 * days
        os.utime(path, (t, t))
    return paths


def _exact_landmarks(path, settings, make_estimator=None, progress=None):
    """``estimate_landmarks`` for the rendered runners: their exact landmarks, no pose model."""
    from formcheck.pose.run import PoseResult

    traj, _ = synthetic_trajectories(PARAMS[Path(path).stem])
    return PoseResult(traj.replace(video=VideoInfo(**{**traj.video.__dict__, "path": str(path)})), "fake")


@pytest.fixture
def fake_pose(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pose pass replaced by the runners' exact landmarks; returns the clips it was asked for."""
    import formcheck.pipeline as pipeline

    posed: list[str] = []

    def fake(path, *args, **kwargs):
        posed.append(Path(path).stem)
        return _exact_landmarks(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "estimate_landmarks", fake)
    return posed


@pytest.fixture(scope="module")
def compared(clips, tmp_path_factory) -> Path:
    """OUTDIR after ``formcheck compare before.mp4 after.mp4``."""
    import formcheck.pipeline as pipeline

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "estimate_landmarks", _exact_landmarks)
    out = tmp_path_factory.mktemp("out")
    try:
        assert main(["compare", str(clips["before"]), str(clips["after"]), "-o", str(out), "--quiet"]) == 0
    finally:
        mp.undo()
    return out


def _one_line_exit_2(argv: list[str], capsys) -> str:
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, (code, err)
    assert "Traceback" not in err[0]
    return err[0]


def test_compare_writes_the_folder_and_lines_up_every_landing(compared):
    folder = compared / "compare-before-vs-after"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".formcheck-compare",
        "compare.json",
        "compare.mp4",
        "report.html",
    ]
    assert (compared / "before" / "analysis.json").is_file() and (
        compared / "after" / "landmarks.npz"
    ).is_file()
    doc = json.loads((folder / "compare.json").read_text())
    sync = doc["sync"]
    assert doc["view"] == "side" and doc["b"]["fps"] == 60.0
    assert sync["matched"] >= 6
    assert sync["within_one_frame"] == sync["matched"] and sync["max_error_frames"] <= 1
    assert {x["side"] for x in sync["landings"]} == {"left", "right"}
    # The video: one frame per recorded pair, both halves at one height under the name strips.
    lay = layout_for((BEFORE.size_px[0], BEFORE.size_px[1]), (AFTER.size_px[0], AFTER.size_px[1]))
    info = probe_video(str(folder / "compare.mp4"))
    assert (info.width, info.height) == lay.size
    with VideoReader(str(folder / "compare.mp4")) as r:
        assert sum(1 for _ in r) == len(sync["frames"])
    # B runs at 182 steps/min against A's 158: B's frames advance faster than A's, at 60 fps twice as many per s.
    first, last = sync["frames"][0], sync["frames"][-1]
    ratio = (last[1] - first[1]) / (last[0] - first[0])
    assert ratio == pytest.approx(2 * 158 / 182, rel=0.08)


def test_compare_judges_cadence_as_improved(compared):
    doc = json.loads((compared / "compare-before-vs-after" / "compare.json").read_text())
    rows = {m["id"]: m for m in doc["metrics"]}
    cadence = rows["cadence_spm"]
    assert cadence["a"]["value"] == pytest.approx(158, abs=3) and cadence["b"]["value"] == pytest.approx(
        182, abs=3
    )
    assert cadence["change"] == "improved" and cadence["words"] == "improved"
    # the same runner otherwise: trunk lean is the same setting in both takes
    assert rows["trunk_lean_deg"]["change"] == "no real change"
    assert rows["trunk_lean_deg"]["words"] == "no real change (within measurement noise)"
    html = (compared / "compare-before-vs-after" / "report.html").read_text()
    assert "improved" in html and "compare.mp4" in html and "within measurement noise" in html


def test_clip_folders_are_reused_without_a_pose_pass(compared, fake_pose, tmp_path, capsys):
    out = tmp_path / "again"
    code = main(["compare", str(compared / "before"), str(compared / "after"), "-o", str(out)])
    assert code == 0 and fake_pose == []
    err = capsys.readouterr().err
    assert "landings lined up within one frame" in err and "report.html" in err
    doc = json.loads((out / "compare-before-vs-after" / "compare.json").read_text())
    first = json.loads((compared / "compare-before-vs-after" / "compare.json").read_text())
    assert doc["sync"]["landings"] == first["sync"]["landings"]
    # the videos given again: their analyses in OUTDIR are reused too
    assert main(["compare", str(compared / "before"), str(compared / "after"), "-o", str(compared)]) == 0
    assert fake_pose == []


def test_takes_given_in_the_wrong_order_are_named_so(compared, tmp_path, capsys):
    assert (
        main(["compare", str(compared / "after"), str(compared / "before"), "-o", str(tmp_path), "--quiet"])
        == 0
    )
    html = (tmp_path / "compare-after-vs-before" / "report.html").read_text()
    assert (
        "before (2026-05-28) was recorded before after (2026-06-04)" in html
        and "give the earlier take first" in html
    )
    labels = json.loads((tmp_path / "compare-after-vs-before" / "compare.json").read_text())
    assert labels["a"]["recorded_at"] > labels["b"]["recorded_at"]
    first = (compared / "compare-before-vs-after" / "report.html").read_text()
    assert "give the earlier take first" not in first


def test_different_views_are_refused(compared, tmp_path, capsys):
    rear = tmp_path / "rear"
    shutil.copytree(compared / "after", rear)
    doc = json.loads((rear / "analysis.json").read_text())
    doc["view"] = "rear"
    (rear / "analysis.json").write_text(json.dumps(doc))
    line = _one_line_exit_2(["compare", str(compared / "before"), str(rear), "-o", str(tmp_path)], capsys)
    assert "same view" in line and "from behind" in line and "from the side" in line
    assert not any(p.name.startswith("compare-") for p in tmp_path.iterdir())


def test_folder_without_analysis_is_refused(compared, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    line = _one_line_exit_2(["compare", str(compared / "before"), str(empty), "-o", str(tmp_path)], capsys)
    assert "has no analysis.json" in line and str(empty) in line


def test_missing_source_video_is_refused(compared, tmp_path, capsys):
    moved = tmp_path / "moved"
    shutil.copytree(compared / "after", moved)
    doc = json.loads((moved / "analysis.json").read_text())
    doc["input"]["path"] = str(tmp_path / "gone.mp4")
    (moved / "analysis.json").write_text(json.dumps(doc))
    line = _one_line_exit_2(["compare", str(compared / "before"), str(moved), "-o", str(tmp_path)], capsys)
    assert "gone.mp4" in line and "is missing" in line


def test_missing_path_is_refused(compared, tmp_path, capsys):
    line = _one_line_exit_2(
        ["compare", str(tmp_path / "nope.mp4"), str(compared / "after"), "-o", str(tmp_path / "out")], capsys
    )
    assert "nope.mp4 does not exist" in line


def test_a_folder_formcheck_did_not_write_is_not_overwritten(compared, tmp_path, capsys):
    theirs = tmp_path / "compare-before-vs-after"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    line = _one_line_exit_2(
        ["compare", str(compared / "before"), str(compared / "after"), "-o", str(tmp_path)], capsys
    )
    assert "not written by formcheck" in line
    assert (theirs / "notes.txt").read_text() == "mine" and sorted(p.name for p in theirs.iterdir()) == [
        "notes.txt"
    ]


def test_analyze_and_compare_stay_out_of_each_others_folders(compared, clips, tmp_path, capsys):
    """A compare folder is not a clip folder: analyze and reanalyze refuse it, and compare refuses a clip folder
    of its name, each in one line, leaving it as it was."""
    folder = compared / "compare-before-vs-after"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    video = tmp_path / "compare-before-vs-after.mp4"
    shutil.copy(clips["before"], video)
    line = _one_line_exit_2(["analyze", str(video), "-o", str(compared), "--quiet"], capsys)
    assert "is a compare folder" in line and "not a clip folder" in line
    line = _one_line_exit_2(["reanalyze", str(folder), "--quiet"], capsys)
    assert "is a compare folder" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

    out = tmp_path / "out"
    clip = out / "compare-before-vs-after"
    shutil.copytree(compared / "before", clip)
    line = _one_line_exit_2(
        ["compare", str(compared / "before"), str(compared / "after"), "-o", str(out)], capsys
    )
    assert "is a clip folder" in line and "not a compare folder" in line
    assert (clip / ".formcheck").is_file() and not (clip / "compare.json").exists()


# --- the page in a browser ----------------------------------------------------------------------------------------

PAGE_JS = """new Promise(resolve => {
  const v = document.querySelector('video');
  const done = (played) => resolve({scroll: document.documentElement.scrollWidth, inner: innerWidth,
    innerH: innerHeight, cards: document.querySelectorAll('.change').length, played: played,
    error: v.error ? v.error.code : null, width: v.videoWidth, videoH: v.getBoundingClientRect().height});
  const go = () => { v.muted = true; const p = v.play();
    const check = () => setTimeout(() => done(v.currentTime), 1200);
    if (p && p.then) p.then(check, () => done(-1)); else check(); };
  if (v.readyState >= 2) go(); else { v.addEventListener('canplay', go, {once: true}); v.load(); }
  setTimeout(() => done(v.currentTime), 15000);
})"""


def _screens():
    from tests.fixtures.browser import SCREENS

    return SCREENS


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
@pytest.mark.parametrize("width_px,height_px,mobile", _screens())
def test_report_page_in_a_browser(chromium, compared, width_px, height_px, mobile, tmp_path):
    from tests.fixtures.browser import open_at, screenshot

    page = compared / "compare-before-vs-after" / "report.html"
    open_at(chromium, page, width_px, height_px, mobile)
    state = chromium.evaluate(PAGE_JS, timeout_s=30)
    assert chromium.errors() == []
    assert state["scroll"] <= state["inner"], "sideways scroll"
    assert state["error"] is None and state["width"] > 0
    assert state["played"] > 0.3, "the video did not play"
    assert state["videoH"] <= state["innerH"]
    doc = json.loads((page.parent / "compare.json").read_text())
    assert state["cards"] == len(doc["metrics"])
    screenshot(chromium, tmp_path / f"compare_{width_px}.png", full=True)


def test_video_stops_early_and_holds_a_b_frame_while_a_runs_faster(compared, tmp_path):
    """A frame map that ends long before A does (the decoders are stopped mid-clip) and asks for the same B frame
    twice and then skips one: the video has one frame per A frame asked, each beside the B frame asked."""
    import numpy as np

    from formcheck.compare.takes import read_folder, take_from_folder
    from formcheck.compare.video import render_compare_video
    from formcheck.compare.warp import FrameMap

    a, b = (take_from_folder(compared / n, read_folder(compared / n)) for n in ("before", "after"))
    fmap = FrameMap(np.arange(5, 15), np.array([0, 0, 1, 3, 4, 5, 6, 8, 9, 10]))
    shown = render_compare_video(a.analysis, b.analysis, fmap, tmp_path / "short.mp4", ("A", "B"))
    assert shown == list(zip(range(5, 15), [0, 0, 1, 3, 4, 5, 6, 8, 9, 10], strict=True))
    with VideoReader(str(tmp_path / "short.mp4")) as r:
        times = [f.time_s for f in r]
    assert len(times) == 10 and np.allclose(np.diff(times), 1 / BEFORE.fps, atol=1e-3)


def test_takes_whose_contacts_were_timed_differently_are_named_so(compared, tmp_path):
    """One take re-judged with contacts from the shoe's sole, the other from the landmarks: the readings at landing
    differ by that alone, and the page and compare.json say so."""
    import shutil

    for name in ("before", "after"):
        shutil.copytree(compared / name, tmp_path / name)
    doc_path = tmp_path / "after" / "analysis.json"
    doc = json.loads(doc_path.read_text())
    doc["settings"]["gait"]["contact_timing"] = "sole"
    doc["settings"]["gait"]["sole_min_leg_px"] = 50.0  # the rendered runner's leg, 71 px, is under the floor
    doc_path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    assert (
        main(["compare", str(tmp_path / "before"), str(tmp_path / "after"), "-o", str(out), "--quiet"]) == 0
    )
    folder = out / "compare-before-vs-after"
    takes = json.loads((folder / "compare.json").read_text())
    assert takes["a"]["contact_timing"] == "landmarks"
    assert takes["b"]["contact_timing"] == "sole"  # the rendered shoe is timed from its sole
    html = (folder / "report.html").read_text()
    assert "the contacts were timed differently (before: landmarks; after: sole)" in html
    assert (
        "the contacts were timed differently"
        not in (compared / "compare-before-vs-after" / "report.html").read_text()
    )


def test_a_refused_compare_takes_back_the_folder_it_made(compared, tmp_path, capsys):
    """A compare refused before anything is written leaves no empty -o folder formcheck made for it."""
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "new" / "out"
    _one_line_exit_2(["compare", str(compared / "before"), str(empty), "-o", str(out)], capsys)
    assert not (tmp_path / "new").exists()
