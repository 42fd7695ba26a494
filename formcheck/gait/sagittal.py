"""Side-view gait events (METRICS.md 3.1): initial contact, midstance and toe-off of each foot.

1. Candidates: Zeni et al. 2008: contact near the maximum of the heel's pelvis-relative forward position.
2. Refinement for running: the foot retracts before touchdown, so contact is the first frame after the candidate
   where the foot's lowest point is at the ground and has stopped falling (Fellin et al. 2010), timed to a
   fraction of a frame by interpolating the ground crossing (METRICS.md 3.4).
3. Midstance: peak stance knee flexion. Toe-off: peak knee extension after midstance (Fellin et al. 2010).

Pelvis-relative coordinates make the method work on a treadmill, overground, and with a panning camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from formcheck.config import GaitSettings
from formcheck.gait.common import (
    interpolate_nans,
    joint_angle_deg,
    parabolic_peak,
    stride_period_s,
    validate_steps,
)
from formcheck.model import GaitEvents, Step, Trajectories
from formcheck.processing.filtering import central_velocity

# 0.05 leg lengths per frame at 30 fps (METRICS.md 3.1 step 2), expressed per second so it does not change with
# the frame rate.
_STOPPED_SPEED_LEG_PER_S = 1.5


@dataclass(frozen=True)
class FootSignals:
    """Per-frame signals of one foot used for its events."""

    h_heel: np.ndarray  # forward heel position relative to the hips, leg lengths
    low_y: np.ndarray  # y of the foot's lowest point (heel or toe), pixels, y down
    low_vy: np.ndarray  # its vertical velocity, pixels/s, + = downward
    knee_flexion_deg: np.ndarray


def foot_signals(traj: Trajectories, side: str, direction: int, leg_px: float) -> FootSignals:
    hip_x = traj.mid("left_hip", "right_hip")[:, 0]
    heel = traj.point(f"{side}_heel")
    toe = traj.point(f"{side}_foot_index")
    h_heel = direction * (heel[:, 0] - hip_x) / leg_px
    low_y = np.fmax(heel[:, 1], toe[:, 1])
    low_vy = central_velocity(low_y, traj.time_s)
    flexion = 180.0 - joint_angle_deg(
        traj.point(f"{side}_hip"), traj.point(f"{side}_knee"), traj.point(f"{side}_ankle")
    )
    return FootSignals(h_heel, low_y, low_vy, flexion)


def _local_ground_y(low_y: np.ndarray, centre: int, half_window: int) -> float:
    lo, hi = max(0, centre - half_window), min(len(low_y), centre + half_window + 1)
    seg = low_y[lo:hi]
    seg = seg[np.isfinite(seg)]
    return float(np.percentile(seg, 95)) if seg.size else float("nan")


def refine_contact(
    sig: FootSignals, time_s: np.ndarray, peak: int, stride_frames: float, leg_px: float, cfg: GaitSettings
) -> float | None:
    """Sub-frame contact time after a Zeni candidate frame, or None when the foot never reaches the ground."""
    n = len(time_s)
    ground = _local_ground_y(sig.low_y, peak, int(round(stride_frames / 2)))
    if not math.isfinite(ground):
        return None
    tol = cfg.ground_tolerance_leg * leg_px
    stopped = _STOPPED_SPEED_LEG_PER_S * leg_px
    last = min(n - 1, peak + int(math.ceil(cfg.refine_window_stride * stride_frames)) + 1)
    on_ground = sig.low_y >= ground - tol
    first_touch = None
    for j in range(peak, last + 1):
        if not on_ground[j]:
            continue
        if first_touch is None:
            first_touch = j
        if sig.low_vy[j] <= stopped:
            return _crossing_time(sig.low_y, time_s, j, ground - tol)
    if first_touch is not None:
        return _crossing_time(sig.low_y, time_s, first_touch, ground - tol)
    return None


def _crossing_time(y: np.ndarray, time_s: np.ndarray, j: int, level: float) -> float:
    """Time at which ``y`` rose through ``level`` between frames j-1 and j (linear), else frame j's time."""
    if j > 0 and np.isfinite(y[j - 1]) and y[j - 1] < level <= y[j]:
        frac = (level - y[j - 1]) / (y[j] - y[j - 1])
        return float(time_s[j - 1] + frac * (time_s[j] - time_s[j - 1]))
    return float(time_s[j])


def _stance_events(
    sig: FootSignals, time_s: np.ndarray, contact_s: float, stride_s: float
) -> tuple[float | None, float | None]:
    """Midstance (peak knee flexion within 30% of a stride after contact) and toe-off (peak knee extension from
    midstance up to 55% of a stride after contact), each at sub-frame resolution."""
    i0 = int(np.searchsorted(time_s, contact_s))
    i_mid_end = int(np.searchsorted(time_s, contact_s + 0.30 * stride_s))
    i_to_end = int(np.searchsorted(time_s, contact_s + 0.55 * stride_s))
    if i0 >= len(time_s) or i_to_end >= len(time_s):
        return None, None
    flex = sig.knee_flexion_deg
    seg = flex[i0 : i_mid_end + 1]
    if seg.size == 0 or not np.isfinite(seg).any():
        return None, None
    k_mid = i0 + int(np.nanargmax(seg))
    seg_to = -flex[k_mid : i_to_end + 1]
    if seg_to.size < 2 or not np.isfinite(seg_to).any():
        return parabolic_peak(flex, time_s, k_mid), None
    k_to = k_mid + int(np.nanargmax(seg_to))
    if k_to in (k_mid, i_to_end):
        return parabolic_peak(flex, time_s, k_mid), None  # no extension peak inside the window
    return parabolic_peak(flex, time_s, k_mid), parabolic_peak(-flex, time_s, k_to)


def detect_sagittal_events(
    traj: Trajectories, direction: int, leg_px: float, cfg: GaitSettings
) -> GaitEvents:
    """All steps of both feet in a side-view clip, each checked for plausibility (METRICS.md 3.3)."""
    time_s = traj.time_s
    fps = traj.fps
    sigs = {side: foot_signals(traj, side, direction, leg_px) for side in ("left", "right")}
    periods = [stride_period_s(interpolate_nans(sigs[s].h_heel), fps) for s in sigs]
    periods = [p for p in periods if p is not None]
    stride_s = float(np.median(periods)) if periods else None
    if stride_s is None:
        return GaitEvents(steps=(), method="sagittal", stride_time_s=None)
    stride_frames = stride_s * fps
    steps: list[Step] = []
    for side, sig in sigs.items():
        h = interpolate_nans(sig.h_heel)
        if not np.isfinite(h).any():
            continue
        peaks, _ = find_peaks(
            np.nan_to_num(h, nan=np.nanmin(h)),
            distance=max(1, int(cfg.min_separation_stride * stride_frames)),
            prominence=cfg.min_prominence_leg,
        )
        for peak in peaks:
            if not np.isfinite(sig.h_heel[peak]):
                continue  # the candidate sits in a long tracking gap
            contact_s = refine_contact(sig, time_s, int(peak), stride_frames, leg_px, cfg)
            if contact_s is None:
                continue
            mid_s, toe_off_s = _stance_events(sig, time_s, contact_s, stride_s)
            steps.append(Step(side=side, contact_s=contact_s, toe_off_s=toe_off_s, midstance_s=mid_s))
    steps.sort(key=lambda st: st.contact_s)
    return GaitEvents(steps=validate_steps(steps, cfg), method="sagittal", stride_time_s=stride_s)
