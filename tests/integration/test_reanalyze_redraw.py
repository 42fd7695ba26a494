"""A re-analysis that changes what annotated.mp4 draws (a coach's band moves a panel verdict) draws the video again
from the source video, and one that changes nothing visible keeps it; without the source, the video is kept and
every output says it shows the earlier analysis. ``reanalyze`` and a batch that re-judges go the same way.

The sample clip is analysed with its stored landmarks (no pose model); the video is really drawn."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

import formcheck.pipeline as pipeline
from formcheck.config import AnalysisSettings
from formcheck.config_file import load_settings_file
from formcheck.pose.run import PoseResult
from formcheck.report.json_out import load_analysis
from tests.fixtures.sample_landmarks import REPO_ROOT, load_sample

CLIP = "side_good_form"
FLAG_CADENCE = "[thresholds.cadence_spm]\ngood = [[300, inf]]\nwatch = [[250, 300]]\n"  # every runner: flag


pytestmark = pytest.mark.slow  # each test draws the sample clip's video: the full run only


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    """The sample clip analysed into OUT/side_good_form, with its annotated video (a template: copied per test)."""
    root = tmp_path_factory.mktemp("analysed")
    video = root / f"{CLIP}.mp4"
    shutil.copy(REPO_ROOT / "sample_videos" / f"{CLIP}.mp4", video)
    raw, _ = load_sample(CLIP)
    raw = raw.replace(video=dataclasses.replace(raw.video, path=str(video)))

    def pose_pass(path, settings, make_estimator=None, progress=None):
        return PoseResult(raw, "fake")  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "estimate_landmarks", pose_pass)
        pipeline.analyze_clip(video, root / "out", AnalysisSettings())
    return root


@pytest.fixture()
def folder(analysed, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(the clip folder, the source video), copied where the analysis recorded them (the same absolute path)."""
    monkeypatch.setattr(pipeline, "estimate_landmarks", None)  # never the pose pass again
    clip_dir = analysed / "out" / CLIP
    backup = tmp_path / "template"
    shutil.copytree(clip_dir, backup)
    yield clip_dir, analysed / f"{CLIP}.mp4"
    shutil.rmtree(clip_dir)
    shutil.copytree(backup, clip_dir)  # the next test starts from the first analysis
    if not (analysed / f"{CLIP}.mp4").exists():
        shutil.copy(REPO_ROOT / "sample_videos" / f"{CLIP}.mp4", analysed / f"{CLIP}.mp4")


def _coach(tmp_path: Path, text: str = FLAG_CADENCE) -> AnalysisSettings:
    path = tmp_path / "coach.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings_file(path, AnalysisSettings(write_video=False))  # as `formcheck reanalyze` does


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def _frame(video: Path, index: int) -> np.ndarray:
    with av.open(str(video)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if i == index:
                return f.to_ndarray(format="rgb24").astype(np.int16)
    raise AssertionError(f"{video} has no frame {index}")


def _panel_drawn(analysis, background: np.ndarray) -> np.ndarray:
    """``background`` with the analysis's metric panel drawn as the video draws it (first frame)."""
    from formcheck.render.overlay import MetricPanelAnnotator
    from formcheck.render.state import RenderPlan

    plan = RenderPlan(analysis)
    panel = MetricPanelAnnotator(runner_points=plan.runner_points())
    out = np.ascontiguousarray(background.astype(np.uint8))
    return panel.annotate(out, plan.state_at(float(analysis.raw.time_s[0]))).astype(np.int16)


def test_a_changed_panel_verdict_is_redrawn_and_an_unchanged_rerun_keeps_the_video(folder, tmp_path, caplog):
    clip_dir, _ = folder
    video = clip_dir / "annotated.mp4"
    first = pipeline.reanalyze(clip_dir, AnalysisSettings(write_video=False))  # the first analysis, again
    old_frame, kept = _frame(video, 0), _identity(video)
    assert first.metrics["cadence_spm"].verdict != "flag"

    with caplog.at_level("WARNING"):
        judged = pipeline.reanalyze(clip_dir, _coach(tmp_path))
    assert judged.metrics["cadence_spm"].verdict == "flag"
    assert _identity(video) != kept  # drawn again
    assert "annotated.mp4 redrawn, since what it draws changed (Cadence: " in caplog.text
    assert "-> flag" in caplog.text
    # The redrawn panel is the new one: where the two panels differ (the cadence row's dot and word), the
    # redrawn frame matches the new panel and the old frame the old one.
    new_frame = _frame(video, 0)
    background = _frame(REPO_ROOT / "sample_videos" / f"{CLIP}.mp4", 0)
    old_panel, new_panel = _panel_drawn(first, background), _panel_drawn(judged, background)
    differs = np.abs(old_panel - new_panel).sum(axis=2) > 60
    assert differs.sum() > 50
    assert np.abs(new_frame - new_panel)[differs].mean() < 0.5 * np.abs(new_frame - old_panel)[differs].mean()
    assert np.abs(old_frame - old_panel)[differs].mean() < 0.5 * np.abs(old_frame - new_panel)[differs].mean()
    doc = load_analysis(clip_dir)
    assert "annotated_video" not in doc
    assert not any(w.startswith("annotated.mp4") for w in doc["warnings"])

    caplog.clear()
    redrawn = _identity(video)
    with caplog.at_level("WARNING"):
        pipeline.reanalyze(clip_dir, _coach(tmp_path))  # the same bands again: nothing drawn changes
    assert _identity(video) == redrawn
    assert "annotated.mp4" not in caplog.text


def test_without_the_source_the_video_is_kept_and_every_output_says_so(folder, tmp_path, capsys, caplog):
    from formcheck.cli import main

    clip_dir, source = folder
    video = clip_dir / "annotated.mp4"
    kept = _identity(video)
    moved = source.with_name("elsewhere.mp4")
    source.rename(moved)
    config = tmp_path / "coach.toml"
    config.write_text(FLAG_CADENCE, encoding="utf-8")
    for _ in range(2):  # and again: the video still shows the first analysis, and it is said again
        caplog.clear()
        with caplog.at_level("WARNING"):
            assert main(["reanalyze", str(clip_dir), "--config", str(config)]) == 0
        summary = capsys.readouterr().err
        assert "earlier analysis" not in summary  # the logged line is not said again as a note
        err = caplog.text
        assert err.count("annotated.mp4 shows an earlier analysis (Cadence: ") == 1
        assert f"put the clip back at {source} (the very file analysed)" in err
        assert f"'formcheck reanalyze {clip_dir}'" in err
        assert _identity(video) == kept
        doc = load_analysis(clip_dir)
        record = doc["annotated_video"]
        assert record["shows_this_analysis"] is False
        assert record["source_path"] == str(source)
        assert record["differences"][0].startswith("Cadence: ") and record["differences"][0].endswith(
            "-> flag"
        )
        assert sum(w.startswith("annotated.mp4 shows an earlier analysis") for w in doc["warnings"]) == 1
        report = (clip_dir / "report.html").read_text(encoding="utf-8")
        assert report.count('<p class="stale small" role="note">This video was drawn from an earlier') == 1
        warnings_box = (
            report.split('<aside class="warnings"')[1].split("</aside>")[0] if "<aside" in report else ""
        )
        assert "earlier analysis" not in warnings_box  # said under the video, not twice

    moved.rename(source)  # the clip is back: the next re-analysis draws the video again
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert main(["reanalyze", str(clip_dir), "--config", str(config)]) == 0
    assert "annotated.mp4 redrawn" in caplog.text
    assert _identity(video) != kept
    doc = load_analysis(clip_dir)
    assert "annotated_video" not in doc
    assert 'class="stale' not in (clip_dir / "report.html").read_text(encoding="utf-8")


def test_a_batch_that_re_judges_goes_the_same_way(folder, tmp_path):
    from formcheck.batch.jobs import ClipJob, analyze_job

    clip_dir, source = folder
    video = clip_dir / "annotated.mp4"
    job = ClipJob(str(source), f"{CLIP}.mp4", CLIP, str(clip_dir), "unknown", redraw=True)
    kept = _identity(video)
    settings = dataclasses.replace(_coach(tmp_path), write_video=True)  # as `formcheck batch --config`
    unchanged = analyze_job(job, AnalysisSettings())
    assert unchanged.ok and _identity(video) == kept  # re-judged as before: the video is not drawn again

    source.rename(source.with_name("elsewhere.mp4"))
    outcome = analyze_job(job, settings)
    assert outcome.ok and outcome.metrics["cadence_spm"]["verdict"] == "flag"
    assert _identity(video) == kept
    assert (
        json.loads((clip_dir / "analysis.json").read_text())["annotated_video"]["shows_this_analysis"]
        is False
    )

    source.with_name("elsewhere.mp4").rename(source)
    assert analyze_job(job, settings).ok
    assert _identity(video) != kept
    assert "annotated_video" not in load_analysis(clip_dir)


def test_redraw_draws_an_unchanged_video_again_and_refuses_without_the_source(folder, capsys, caplog):
    """``--redraw``: for a video that shows an older analysis unbeknown to analysis.json (re-judged by a formcheck
    that never redrew), drawn again; without the source, one line and exit 2, nothing written."""
    from formcheck.cli import main

    clip_dir, source = folder
    video = clip_dir / "annotated.mp4"
    kept = _identity(video)
    with caplog.at_level("WARNING"):
        assert main(["reanalyze", str(clip_dir), "--redraw", "--quiet"]) == 0
    assert _identity(video) != kept

    redrawn, doc = _identity(video), (clip_dir / "analysis.json").read_bytes()
    source.rename(source.with_name("elsewhere.mp4"))
    assert main(["reanalyze", str(clip_dir), "--redraw"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0] == (
        f"formcheck: cannot redraw {video}: the source video {source} is not at hand; put the analysed clip back "
        "at that path and run again"
    )
    assert _identity(video) == redrawn and (clip_dir / "analysis.json").read_bytes() == doc
    source.with_name("elsewhere.mp4").rename(source)


def test_a_batch_that_finds_the_clip_in_a_moved_folder_redraws_from_there(folder, tmp_path):
    from formcheck.batch.jobs import ClipJob, analyze_job
    from formcheck.report.landmarks import load_landmarks

    clip_dir, source = folder
    video = clip_dir / "annotated.mp4"
    kept = _identity(video)
    moved = tmp_path / "moved team folder" / source.name
    moved.parent.mkdir()
    source.rename(moved)
    job = ClipJob(str(moved), source.name, CLIP, str(clip_dir), "unknown", redraw=True)
    outcome = analyze_job(job, dataclasses.replace(_coach(tmp_path), write_video=True))
    assert outcome.ok and outcome.metrics["cadence_spm"]["verdict"] == "flag"
    assert _identity(video) != kept  # drawn from the clip where the batch found it
    doc = load_analysis(clip_dir)
    assert "annotated_video" not in doc
    assert doc["input"]["path"] == str(moved)
    assert load_landmarks(clip_dir / "landmarks.npz").video.path == str(
        moved
    )  # the next re-analysis finds it

    other = tmp_path / "another.mp4"  # a file of another content where the batch looks: never used
    other.write_bytes(b"not the clip")
    assert analyze_job(
        ClipJob(str(other), "x", CLIP, str(clip_dir), "unknown", redraw=True), AnalysisSettings()
    ).ok
    assert load_analysis(clip_dir)["input"]["path"] == str(moved)
    moved.rename(source)
