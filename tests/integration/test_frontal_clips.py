"""Rear and front clips through the whole pipeline with the pose model: synthetic clips with a known pelvic drop.
The real rear, front and multi-person clips of ../shared/clips are in tests/integration/test_real_clips.py, which
analyses every real clip once."""

from __future__ import annotations

import pytest

from formcheck.config import AnalysisSettings
from formcheck.pipeline import analyze_clip
from formcheck.synth.clip import render_clip
from formcheck.synth.params import RunnerParams

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("view", ["rear", "front"])
def test_synthetic_frontal_clip(tmp_path, view):
    params = RunnerParams(view=view, pelvic_drop_deg=9.0, duration_s=3.5, short_side_px=480, seed=3)
    truth = render_clip(params, tmp_path / f"{view}.mp4")
    a = analyze_clip(tmp_path / f"{view}.mp4", settings=AnalysisSettings(write_video=False))
    assert a.view == view
    assert a.events.method == "frontal"
    assert a.metrics["cadence_spm"].value == pytest.approx(truth.summary["cadence_spm"], abs=12)
    m = a.metrics["pelvic_tilt_deg"]
    # Measured, not hoped for: the hip landmarks read a 9 deg drop as ~0 deg (METRICS.md 10); the metric must say so.
    assert m.value is not None and -5 < m.value < 10
    assert "low confidence" in m.note
