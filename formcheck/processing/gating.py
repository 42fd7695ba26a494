"""Visibility gating: landmarks the model is unsure of become missing (NaN) rather than wrong numbers."""

from __future__ import annotations

import numpy as np

from formcheck.model import Trajectories
from formcheck.skeleton import INDEX

LEG_CORE = [
    INDEX[n] for n in ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")
]


def gate_by_visibility(traj: Trajectories, visibility_min: float) -> Trajectories:
    """Set to NaN every landmark whose visibility is below ``visibility_min`` (METRICS.md 2.2: 0.5, MediaPipe's
    default confidence threshold)."""
    xy = traj.xy_px.copy()
    hidden = traj.visibility < visibility_min
    xy[hidden] = np.nan
    return traj.replace(xy_px=xy)


def legs_seen_frames(xy_px: np.ndarray, visibility: np.ndarray, visibility_min: float) -> np.ndarray:
    """(T,) bool: the frames in which at least half the hip, knee and ankle landmarks are seen (finite and at
    least ``visibility_min`` visible)."""
    if len(visibility) == 0:
        return np.zeros(0, dtype=bool)
    seen = (np.asarray(visibility)[:, LEG_CORE] >= visibility_min) & np.isfinite(
        np.asarray(xy_px)[:, LEG_CORE, 0]
    )
    return seen.mean(axis=1) >= 0.5


def legs_seen_fraction(xy_px: np.ndarray, visibility: np.ndarray, visibility_min: float) -> float:
    """The share of frames (0-1) in which the runner's legs are seen (``legs_seen_frames``): where the runner was
    found."""
    if len(visibility) == 0:
        return 0.0
    return float(legs_seen_frames(xy_px, visibility, visibility_min).mean())
