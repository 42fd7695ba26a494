"""Overstride: shank angle and heel-to-hip distance at contact (METRICS.md 4.3).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

from formcheck.metrics.aggregate import (
    median_or_none,
    rounded,
)
from formcheck.metrics.common import (
    SIDE,
    clean_values,
    step_metric,
    theta_dn_deg,
    valid_only,
    with_changes,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult

# --- 4.3 overstride ----------------------------------------------------------------------------------------------


@metric("shank_angle_ic_deg", "deg", SIDE)
def shank_angle_ic_deg(ctx: MetricContext) -> MetricResult:
    """Tibia angle from vertical at contact, + = ankle ahead of knee (METRICS.md 4.3a)."""
    per_step = [
        theta_dn_deg(
            ctx.at(f"{st.side}_ankle", st.contact_s) - ctx.at(f"{st.side}_knee", st.contact_s), ctx.direction
        )
        for st in ctx.steps()
    ]
    bands = ctx.thresholds.shank_angle_ic_deg
    return step_metric(
        ctx,
        "shank_angle_ic_deg",
        "deg",
        clean_values(per_step),
        bands.verdict,
        bands.evidence,
        note="BlazePose's knee sits 1-2.5 cm forward of the joint, so the shank reads 2.5-7 deg more vertical (METRICS.md 10)",
    )


@metric("overstride_distance", "%leg", SIDE, headline=True)
def overstride_distance(ctx: MetricContext) -> MetricResult:
    """Heel ahead of the hip centre at contact, % leg length (METRICS.md 4.3b); the verdict also weighs the shank
    angle (4.3a). ``extra`` carries the ankle-ahead-of-knee distance (4.3c)."""
    s = ctx.direction
    per_step: list[float | None] = []
    ankle_knee: list[float | None] = []
    for st in ctx.steps():
        L = ctx.leg_at(st.contact_s)
        heel = ctx.at(f"{st.side}_heel", st.contact_s)
        per_step.append(s * (heel[0] - ctx.hip_mid_at(st.contact_s)[0]) / L * 100.0)
        ak = ctx.at(f"{st.side}_ankle", st.contact_s)[0] - ctx.at(f"{st.side}_knee", st.contact_s)[0]
        ankle_knee.append(s * ak / L * 100.0)
    bands = ctx.thresholds.overstride_distance_pct
    res = step_metric(
        ctx,
        "overstride_distance",
        "%leg",
        clean_values(per_step),
        bands.verdict,
        bands.evidence,
        note="heel-to-hip distance has poor single-camera reproducibility, so it is a median over steps "
        "(Souza 2016); the verdict is calibrated on clips people sorted into overstride and good form",
        extra={"ankle_ahead_of_knee_pctleg": rounded(median_or_none(valid_only(ctx, ankle_knee)))},
    )
    if res.value is not None and ctx.leg_length_cm is not None:
        res = with_changes(res, value_cm=rounded(float(res.value) / 100.0 * ctx.leg_length_cm))
    return res
