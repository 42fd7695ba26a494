"""View detection (side / rear / front / unknown) on exact synthetic trajectories."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.errors import ViewError
from formcheck.processing.orientation import estimate_view
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.synthetic import synthetic_trajectories


@pytest.mark.parametrize("view", ["side", "rear", "front"])
def test_estimate_view(view):
    traj, _ = synthetic_trajectories(RunnerParams(view=view, duration_s=3.0))
    est = estimate_view(traj)
    assert est.view == view, est.reason
    assert est.reason


def test_oblique_is_unknown_with_clear_message():
    traj, _ = synthetic_trajectories(RunnerParams(view="rear", duration_s=3.0))
    xy = traj.xy_px.copy()
    cx = np.nanmean(xy[..., 0])
    xy[..., 0] = cx + 0.75 * (xy[..., 0] - cx)  # squeeze widths: a camera between side and rear
    est = estimate_view(traj.replace(xy_px=xy))
    assert est.view == "unknown"
    with pytest.raises(ViewError, match="cannot tell the camera view"):
        analyze_trajectories(traj.replace(xy_px=xy), AnalysisSettings())


def test_view_override_is_reported():
    traj, _ = synthetic_trajectories(RunnerParams(view="rear", duration_s=4.0))
    a = analyze_trajectories(traj, AnalysisSettings(view="rear"))
    assert a.view == "rear" and "--view rear" in a.view_reason
    auto = analyze_trajectories(traj, AnalysisSettings())
    assert auto.view == "rear" and "torso" in auto.view_reason
    assert auto.direction == "away"
