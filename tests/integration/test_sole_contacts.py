"""``gait.contact_timing = "sole"`` on a real clip (side_23, a treadmill runner filmed side-on, skipped when
../shared/clips is absent): ``analyze`` puts more contacts on the labelled frames than the landmarks do, records
the timing used, and ``reanalyze`` with the video at hand gives the same contacts again."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

import formcheck.pipeline as pipeline
from formcheck.config import AnalysisSettings
from formcheck.model import Analysis

CLIP = "side_23"
LABELS = Path(__file__).resolve().parents[2] / "benchmarks" / "labels" / "contacts" / f"{CLIP}.csv"
NO_VIDEO = AnalysisSettings(write_video=False)
SOLE = dataclasses.replace(NO_VIDEO, gait=dataclasses.replace(NO_VIDEO.gait, contact_timing="sole"))


def _labelled_frames() -> list[int]:
    rows = LABELS.read_text().splitlines()[1:]
    return [int(r.split(",")[1]) for r in rows if r.split(",")[1].strip()]


def _on_the_labelled_frame(analysis: Analysis, frames: list[int]) -> int:
    """Labelled contacts whose nearest detected contact is marked on the labelled frame (the first frame at or
    after its sub-frame time, as the annotated video marks it)."""
    t = analysis.raw.time_s
    marked = [int(np.searchsorted(t, s.contact_s - 1e-6)) for s in analysis.events.steps]
    return sum(min(marked, key=lambda m: abs(m - f)) == f for f in frames)


@pytest.mark.slow
def test_the_sole_puts_side_23_s_contacts_on_the_labelled_frames_more_often(shared_clips, tmp_path) -> None:
    video = tmp_path / f"{CLIP}.mp4"
    shutil.copyfile(
        shared_clips / f"{CLIP}.mp4", video
    )  # a copy: the folder written never touches the original
    sole = pipeline.analyze_clip(video, tmp_path / "out", SOLE)
    assert sole.view == "side" and sole.events.contact_timing == "sole"
    clip_dir = tmp_path / "out" / CLIP
    landmarks = pipeline.reanalyze(clip_dir, NO_VIDEO)
    assert landmarks.events.contact_timing == "landmarks"
    frames = _labelled_frames()
    assert len(frames) == 23
    on_sole, on_landmarks = _on_the_labelled_frame(sole, frames), _on_the_labelled_frame(landmarks, frames)
    # Measured (benchmarks/score_contacts.py): 21 of 23 from the sole, 7 from the landmarks.
    assert on_sole >= 19 and on_sole > on_landmarks + 8
    # The strike angle is still read at the landmark contact: the same strike angles either way.
    assert sole.metrics["foot_strike_angle_deg"].value == pytest.approx(
        landmarks.metrics["foot_strike_angle_deg"].value
    )
    again = pipeline.reanalyze(clip_dir, SOLE)  # the video is at hand: retimed again, the same contacts
    assert again.events.contact_timing == "sole"
    # (landmarks.npz keeps the tracks in float32: sub-frame times agree to far under a millisecond)
    assert [s.contact_s for s in again.events.steps] == pytest.approx(
        [s.contact_s for s in sole.events.steps], abs=1e-4
    )
