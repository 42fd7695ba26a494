"""Plane geometry on pixel coordinates (y down), vectorised over (..., 2) arrays: joint angles, angles from
vertical, interpolation along a track. Pure NumPy; gait events, metrics, annotators and plots share it."""

from __future__ import annotations

import numpy as np


def angle_from_vertical_up_deg(vec: np.ndarray, sign: float) -> np.ndarray:
    """Angle of ``vec`` (..., 2) from image-up, + = toward the direction of travel ``sign`` (+1 right, -1 left)."""
    return np.degrees(np.arctan2(sign * vec[..., 0], -vec[..., 1]))


def angle_from_vertical_down_deg(vec: np.ndarray, sign: float) -> np.ndarray:
    """Angle of ``vec`` (..., 2) from image-down, + = toward the direction of travel."""
    return np.degrees(np.arctan2(sign * vec[..., 0], vec[..., 1]))


def joint_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle at ``b`` between b->a and b->c, degrees in [0, 180] (180 = straight); NaN where a point is missing.
    From ``arctan2(|cross|, dot)``, accurate near 0 and 180 degrees where ``arccos`` of the cosine is not."""
    u = np.asarray(a, dtype=float) - b
    v = np.asarray(c, dtype=float) - b
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = (u * v).sum(axis=-1)
    return np.degrees(np.abs(np.arctan2(cross, dot)))


def travel_sign(direction: str) -> float:
    """+1 when the runner travels to the image's right, -1 to the left (frontal views: +1)."""
    return -1.0 if direction == "left" else 1.0


def interp_point(track: np.ndarray, time_s: np.ndarray, t: float) -> np.ndarray:
    """A (2,) point of a (T, 2) track linearly interpolated at time ``t`` (NaN if outside or missing)."""
    if track.shape[0] == 0 or t < time_s[0] or t > time_s[-1]:
        return np.array([np.nan, np.nan])
    j = int(np.searchsorted(time_s, t))
    if j == 0 or time_s[j] == t:
        return track[j].astype(float)
    w = (t - time_s[j - 1]) / (time_s[j] - time_s[j - 1])
    return (1.0 - w) * track[j - 1] + w * track[j]
