"""The pipeline's wiring (pipeline.py) without the pose model: analyze_trajectories (trajectory_analysis.py) is
prepare then measure, and analyze_clip prepares a rear clip once, measures its pelvis line between events and
metrics, then measures."""

from __future__ import annotations

from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
from formcheck.config import AnalysisSettings
from formcheck.gait.frontal import pelvis_reading_time_s
from formcheck.pipeline import analyze_clip
from formcheck.pose.run import PoseResult
from formcheck.report.json_out import analysis_to_dict
from formcheck.trajectory_analysis import analyze_trajectories, measure, prepare
from tests.fixtures.sample_landmarks import REPO_ROOT, load_sample


@pytest.mark.parametrize("name", ["side_good_form", "rear_pelvic_drop"])
def test_analyze_trajectories_is_prepare_then_measure(name: str) -> None:
    raw, pelvis = load_sample(name)
    settings = AnalysisSettings()
    prepared = prepare(raw, settings, warnings=("from the pose pass",))
    assert prepared.events.valid_steps and prepared.clean.n_frames == raw.n_frames
    staged = measure(prepared, settings, pose_model="m", input_sha256="x", pelvis_evidence=pelvis)
    whole = analyze_trajectories(
        raw,
        settings,
        pose_model="m",
        input_sha256="x",
        warnings=["from the pose pass"],
        pelvis_evidence=pelvis,
    )
    assert analysis_to_dict(staged) == analysis_to_dict(whole)
    assert staged.warnings[0] == "from the pose pass"


def test_a_rear_clip_is_prepared_once_and_its_pelvis_measured_at_its_midstances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = "rear_pelvic_drop"
    video = REPO_ROOT / "sample_videos" / f"{name}.mp4"
    raw, pelvis = load_sample(name)
    assert pelvis
    monkeypatch.setattr(
        pipeline, "estimate_landmarks", lambda path, settings, **kw: PoseResult(raw, "stored")
    )
    prepared_calls: list[int] = []
    real_prepare = pipeline.prepare

    def counting_prepare(*args, **kwargs):
        prepared_calls.append(1)
        return real_prepare(*args, **kwargs)

    asked: list[list[float]] = []

    def stored_pelvis(path: Path, prepared, settings) -> dict[float, float]:
        # the frames the rear view reads: at or before each midstance (gait.frontal.pelvis_reading_time_s)
        read_at = [
            pelvis_reading_time_s(s, "rear", prepared.clean.time_s) for s in prepared.events.valid_steps
        ]
        asked.append([t for t in read_at if t is not None])
        return pelvis

    monkeypatch.setattr(pipeline, "prepare", counting_prepare)
    monkeypatch.setattr(pipeline, "_pelvis_evidence", stored_pelvis)
    analysis = analyze_clip(video, None, AnalysisSettings(write_video=False))
    assert len(prepared_calls) == 1 and len(asked) == 1
    assert asked[0] == pytest.approx(sorted(pelvis), abs=1e-6)  # pelvis.json keeps times to 1 us
    expected = analyze_trajectories(
        raw,
        AnalysisSettings(write_video=False),
        pose_model="stored",
        input_sha256=analysis.input_sha256,
        pelvis_evidence=pelvis,
    )
    assert analysis_to_dict(analysis) == analysis_to_dict(expected)
    assert analysis.metrics["pelvic_tilt_deg"].value is not None


@pytest.mark.parametrize(("picture_fps", "told"), [(None, False), (30.0, False), (29.0, False), (24.0, True)])
def test_a_file_that_repeats_its_pictures_is_told_from_its_landmarks_too(picture_fps, told: bool) -> None:
    """The warning comes from ``VideoInfo.picture_fps`` (kept in landmarks.npz), so a re-analysis says it too."""
    import dataclasses

    raw, _ = load_sample("side_good_form")
    raw = raw.replace(video=dataclasses.replace(raw.video, fps=30.0, picture_fps=picture_fps))
    warnings = prepare(raw, AnalysisSettings()).warnings
    lines = [w for w in warnings if w.startswith("the file repeats its pictures")]
    assert lines == (
        [
            "the file repeats its pictures: about 24 different pictures a second in a 30 fps file, so events are "
            "timed only to about 1/24 s: analyse the original recording if there is one"
        ]
        if told
        else []
    )
