"""Arm swing and elbow angle (METRICS.md 4.10).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import numpy as np

from formcheck.geometry import joint_angle_deg
from formcheck.metrics.aggregate import (
    iqr_or_none,
    measured,
    median_or_none,
    not_applicable,
    rounded,
    symmetry_index_pct,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.metrics.uncertainty import judge
from formcheck.model import MetricResult

# --- 4.10 arm swing ----------------------------------------------------------------------------------------------


def _stride_windows(ctx: MetricContext) -> list[tuple[int, float, float]]:
    """(step index, start, end) of one stride from each valid step's contact."""
    stride = ctx.events.stride_time_s
    if not stride:
        return []
    end_t = ctx.traj.time_s[-1] if ctx.traj.n_frames else 0.0
    return [
        (i, st.contact_s, st.contact_s + stride)
        for i, st in enumerate(ctx.steps())
        if st.valid and st.contact_s + stride <= end_t
    ]


def _upper_arm_angle_series(ctx: MetricContext, side: str) -> np.ndarray:
    """Signed angle between the trunk (hips->shoulders) and the upper arm (shoulder->elbow), degrees."""
    trunk = ctx.traj.mid("left_shoulder", "right_shoulder") - ctx.traj.mid("left_hip", "right_hip")
    arm = ctx.traj.point(f"{side}_elbow") - ctx.traj.point(f"{side}_shoulder")
    # Angle of the arm measured from the downward trunk direction (-trunk), + = forward.
    ref = -trunk
    cross = ref[:, 0] * arm[:, 1] - ref[:, 1] * arm[:, 0]
    dot = (ref * arm).sum(axis=1)
    return -ctx.direction * np.degrees(np.arctan2(cross, dot))


@metric("arm_swing_deg")
def arm_swing_deg(ctx: MetricContext) -> MetricResult:
    """Upper-arm excursion relative to the trunk per stride (max - min), near arm (METRICS.md 4.10)."""
    steps = ctx.steps()
    series = {s: _upper_arm_angle_series(ctx, s) for s in ("left", "right")}
    per_step: list[float | None] = [None] * len(steps)
    per_arm: dict[str, list[float]] = {"left": [], "right": []}
    for i, t0, t1 in _stride_windows(ctx):
        sl = ctx.frames_between(t0, t1)
        for side in ("left", "right"):
            seg = series[side][sl]
            if seg.size >= 3 and np.isfinite(seg).mean() > 0.8:
                per_arm[side].append(float(np.nanmax(seg) - np.nanmin(seg)))
                if side == ctx.near_side:
                    per_step[i] = per_arm[side][-1]
    near_vals = per_arm[ctx.near_side]
    bands = ctx.thresholds.arm_swing_deg
    if not near_vals:
        return not_applicable(
            "arm_swing_deg", "deg", "no complete stride with the near arm tracked", bands.evidence
        )
    value = float(np.median(near_vals))
    per_side = {s: rounded(median_or_none(v)) for s, v in per_arm.items()}
    si = symmetry_index_pct(per_side["left"], per_side["right"])
    note = f"near ({ctx.near_side}) arm; the far arm is hidden behind the body in side view"
    if si is not None:
        note += f"; left/right symmetry index {si:.0f}% (far-arm value unreliable side-on)"
    verdict, interval = judge(ctx, "arm_swing_deg", value, near_vals, bands.verdict)
    return measured(
        "arm_swing_deg",
        "deg",
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=len(near_vals),
        spread=iqr_or_none(near_vals),
        per_side=per_side,
        per_step=per_step,
        note=note,
        extra={"symmetry_index_pct": rounded(si)},
    )


@metric("elbow_angle_deg")
def elbow_angle_deg(ctx: MetricContext) -> MetricResult:
    """Mean elbow angle (shoulder, elbow, wrist) over each stride; 180 = straight (METRICS.md 4.10)."""
    steps = ctx.steps()
    angles = {
        s: joint_angle_deg(
            ctx.traj.point(f"{s}_shoulder"), ctx.traj.point(f"{s}_elbow"), ctx.traj.point(f"{s}_wrist")
        )
        for s in ("left", "right")
    }
    per_step: list[float | None] = [None] * len(steps)
    per_arm: dict[str, list[float]] = {"left": [], "right": []}
    for i, t0, t1 in _stride_windows(ctx):
        sl = ctx.frames_between(t0, t1)
        for side in ("left", "right"):
            seg = angles[side][sl]
            if seg.size and np.isfinite(seg).mean() > 0.8:
                per_arm[side].append(float(np.nanmean(seg)))
                if side == ctx.near_side:
                    per_step[i] = per_arm[side][-1]
    bands = ctx.thresholds.elbow_angle_deg
    near_vals = per_arm[ctx.near_side]
    if not near_vals:
        return not_applicable(
            "elbow_angle_deg", "deg", "no complete stride with the near arm tracked", bands.evidence
        )
    value = float(np.median(near_vals))
    verdict, interval = judge(ctx, "elbow_angle_deg", value, near_vals, bands.verdict)
    return measured(
        "elbow_angle_deg",
        "deg",
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=len(near_vals),
        spread=iqr_or_none(near_vals),
        per_side={s: median_or_none(v) for s, v in per_arm.items()},
        per_step=per_step,
        note=f"near ({ctx.near_side}) arm; 180 deg = straight",
    )
