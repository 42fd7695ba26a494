"""Body scale and camera roll: leg length in pixels (METRICS.md 2.5) and the ground line's tilt (METRICS.md 2.1)."""

from __future__ import annotations

import numpy as np

from formcheck.model import Trajectories
from formcheck.skeleton import idx


def leg_length_series_px(traj: Trajectories, side: str) -> np.ndarray:
    """Per frame |hip - knee| + |knee - ankle| of one leg, pixels. Independent of knee bend."""
    hip, knee, ankle = (traj.point(f"{side}_{p}") for p in ("hip", "knee", "ankle"))
    return np.linalg.norm(hip - knee, axis=1) + np.linalg.norm(knee - ankle, axis=1)


def near_side(traj: Trajectories) -> str:
    """The leg nearer the camera in side view: closer in MediaPipe's rough world depth (z toward the camera is
    negative) when available, else more visible."""
    parts = ("knee", "ankle", "heel", "foot_index")
    if traj.world_xyz is not None:
        z = {
            s: np.nanmedian([traj.world_xyz[:, idx(f"{s}_{p}"), 2] for p in parts]) for s in ("left", "right")
        }
        if all(np.isfinite(v) for v in z.values()) and abs(z["left"] - z["right"]) > 0.02:
            return "left" if z["left"] < z["right"] else "right"
    vis = {s: float(np.mean([traj.visibility[:, idx(f"{s}_{p}")] for p in parts])) for s in ("left", "right")}
    return "left" if vis["left"] >= vis["right"] else "right"


def leg_length_px(traj: Trajectories, side: str | None = None) -> float:
    """Median leg length over frames, pixels: the given side, else the larger of the two sides' medians (an
    occluded far leg only ever reads short)."""
    sides = (side,) if side else ("left", "right")
    medians = []
    for s in sides:
        series = leg_length_series_px(traj, s)
        series = series[np.isfinite(series)]
        if series.size:
            medians.append(float(np.median(series)))
    return max(medians) if medians else float("nan")


def fit_ground_roll_deg(points_xy: np.ndarray, min_span_px: float) -> float | None:
    """Camera roll from foot points on the ground (x, y pixels, y down): the tilt of their best-fit line, positive
    when the ground line rises to the right on screen; level it with ``rotate_points(xy, -roll)``. None when the points do not span
    enough width to tell (a treadmill: every step lands in the same place)."""
    pts = np.asarray(points_xy, dtype=float)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) < 4 or np.ptp(pts[:, 0]) < min_span_px:
        return None
    slope = np.polyfit(pts[:, 0], pts[:, 1], 1)[0]
    return float(np.degrees(np.arctan(-slope)))


def rotate_points(xy: np.ndarray, angle_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """Rotate image points by ``angle_deg`` counter-clockwise as seen on screen (y down) about ``centre``."""
    a = np.radians(angle_deg)
    c, s = np.cos(a), np.sin(a)
    x = xy[..., 0] - centre[0]
    y = xy[..., 1] - centre[1]
    out = np.empty_like(xy)
    out[..., 0] = centre[0] + c * x + s * y
    out[..., 1] = centre[1] - s * x + c * y
    return out
