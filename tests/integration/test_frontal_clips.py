"""Rear and front clips through the whole pipeline with the pose model: synthetic clips with a known pelvic drop,
and the real rear/front/multi-person clips in ../shared/clips (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError
from formcheck.pipeline import analyze_clip
from formcheck.synth.clip import render_clip
from formcheck.synth.params import RunnerParams

pytestmark = pytest.mark.slow

CLIPS = Path(__file__).resolve().parents[2].parent / "shared" / "clips"
REAL = [
    "overground_front_approaching.mp4",
    "overground_front_two_joggers.mp4",
    "overground_rear_receding.mp4",
    "overground_rear_skeleton_drawn.mp4",
    "treadmill_oblique_two_people.mp4",
    "walking_multi_person_control.mp4",
]


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


@pytest.mark.parametrize("name", REAL)
def test_real_clip_ends_with_result_or_clear_error(name):
    path = CLIPS / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    try:
        a = analyze_clip(path, settings=AnalysisSettings(write_video=False))
    except FormcheckError as e:
        msg = str(e)
        assert "\n" not in msg and len(msg) > 20
        if name.startswith("walking"):
            assert "walking" in msg or "not running" in msg or "slow" in msg
        return
    assert a.view in ("side", "rear", "front") and a.view_reason
    assert a.metrics["cadence_spm"] is not None
    if name.startswith("walking"):
        pytest.fail(f"the walking control clip was analysed as a run: {a.warnings}")
