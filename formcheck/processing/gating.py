"""Visibility gating: landmarks the model is unsure of become missing (NaN) rather than wrong numbers."""

from __future__ import annotations

import numpy as np

from formcheck.model import Trajectories


def gate_by_visibility(traj: Trajectories, visibility_min: float) -> Trajectories:
    """Set to NaN every landmark whose visibility is below ``visibility_min`` (METRICS.md 2.2: 0.5, MediaPipe's
    default confidence threshold)."""
    xy = traj.xy_px.copy()
    hidden = traj.visibility < visibility_min
    xy[hidden] = np.nan
    return traj.replace(xy_px=xy)
