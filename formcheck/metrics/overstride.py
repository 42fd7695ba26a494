"""Overstride: shank angle and heel-to-hip distance at contact (METRICS.md 4.3).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

from formcheck.metrics.aggregate import (
    median_or_none,
    rounded,
)
from formcheck.metrics.common import (
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


@metric("shank_angle_ic_deg")
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


def _overstride_verdict(distance_pct: float, shank_verdict: str, ctx: MetricContext) -> str:
    """Composite overstride verdict (METRICS.md 4.3): flag when the shank angle flags and the heel lands clearly
    ahead of the hips, or the heel lands far ahead and the shank is not vertical (the shank angle reads low with
    BlazePose, METRICS.md 10, so the distance carries weight). Watch when either is out of its good band."""
    dist_verdict = ctx.thresholds.overstride_distance_pct.verdict(distance_pct)
    order = {"good": 0, "watch": 1, "flag": 2, "n/a": 0}
    d, s = order[dist_verdict], order[shank_verdict]
    if (s == 2 and d >= 1) or (d == 2 and s >= 1):
        return "flag"
    if s >= 1 or d >= 1:
        return "watch"
    return "good"


@metric("overstride_distance")
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
    shank = ctx.done.get("shank_angle_ic_deg")
    shank_verdict = shank.verdict if shank else "n/a"
    bands = ctx.thresholds.overstride_distance_pct
    shank_txt = (
        f"shank {shank.value} deg at contact" if shank and shank.value is not None else "shank angle n/a"
    )
    res = step_metric(
        ctx,
        "overstride_distance",
        "%leg",
        clean_values(per_step),
        lambda v: _overstride_verdict(v, shank_verdict, ctx),
        bands.evidence,
        note=f"verdict combines the distance with the {shank_txt}; heel-to-hip distance has poor single-camera "
        "reproducibility, so it is a median over steps (Souza 2016)",
        extra={"ankle_ahead_of_knee_pctleg": rounded(median_or_none(valid_only(ctx, ankle_knee)))},
    )
    if res.value is not None and ctx.leg_length_cm is not None:
        res = with_changes(res, value_cm=rounded(float(res.value) / 100.0 * ctx.leg_length_cm))
    return res
