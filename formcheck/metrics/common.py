"""Helpers shared by the side-view metric modules: signed angles, per-step aggregation, and small utilities.

Signs: ``s`` (ctx.direction) is +1 when the runner travels toward image-right. Angles from vertical:
``theta_up(v) = atan2(s*vx, -vy)`` for a vector pointing up, ``theta_dn(v) = atan2(s*vx, vy)`` pointing down;
positive = forward. Image y points down.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from formcheck.geometry import joint_angle_deg
from formcheck.metrics.aggregate import (
    headline_pool,
    measured,
    not_applicable,
    per_step_summary,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.uncertainty import judge
from formcheck.model import MetricResult

LOW_FPS_NOTE = "low confidence below {limit:g} fps: at {fps:.0f} fps a frame is {ms:.0f} ms of a ~250 ms contact (Souza 2016)"


def theta_up_deg(v: np.ndarray, s: int) -> float:
    return math.degrees(math.atan2(s * v[0], -v[1]))


def theta_dn_deg(v: np.ndarray, s: int) -> float:
    return math.degrees(math.atan2(s * v[0], v[1]))


def angle_at(ctx: MetricContext, a: str, b: str, c: str, t: float) -> float:
    return float(joint_angle_deg(ctx.at(a, t), ctx.at(b, t), ctx.at(c, t)))


def knee_flexion_at_contact(ctx: MetricContext, side: str, t: float) -> float:
    """Knee flexion at a contact, from the less-smoothed tracks (``MetricContext.at_contact``)."""
    hip, knee, ankle = (ctx.at_contact(f"{side}_{j}", t) for j in ("hip", "knee", "ankle"))
    return 180.0 - float(joint_angle_deg(hip, knee, ankle))


def knee_flexion_at(ctx: MetricContext, side: str, t: float) -> float:
    return 180.0 - angle_at(ctx, f"{side}_hip", f"{side}_knee", f"{side}_ankle", t)


def step_metric(
    ctx: MetricContext,
    id: str,
    unit: str,
    per_step: list[float | None],
    verdict_of,
    evidence: str,
    note: str = "",
    near_only: bool = True,
    digits: int = 1,
    extra: dict | None = None,
) -> MetricResult:
    value, spread, per_side, n = per_step_summary(ctx.steps(), per_step, ctx.near_side if near_only else None)
    if value is None:
        return not_applicable(id, unit, note or "no valid step could be measured", evidence)
    if near_only:
        note = (note + "; " if note else "") + f"headline from the {ctx.near_side} leg, nearer the camera"
    pool = headline_pool(ctx.steps(), per_step, ctx.near_side if near_only else None)
    verdict, interval = judge(ctx, id, value, pool, verdict_of)
    return measured(
        id,
        unit,
        value,
        verdict,
        evidence,
        interval=interval,
        band_of=verdict_of,
        n_steps=n,
        spread=spread,
        per_side=per_side,
        per_step=per_step,
        note=note,
        extra=extra or {},
        digits=digits,
    )


def robust_mean(values: list[float]) -> float:
    """Mean after dropping Tukey outliers (outside 1.5 IQR of the quartiles)."""
    arr = np.asarray(values, dtype=float)
    q1, q3 = np.percentile(arr, [25, 75])
    keep = arr[(arr >= q1 - 1.5 * (q3 - q1)) & (arr <= q3 + 1.5 * (q3 - q1))]
    return float(keep.mean() if keep.size else arr.mean())


# --- helpers -----------------------------------------------------------------------------------------------------


def clean_values(values: list[float | None]) -> list[float | None]:
    return [None if v is None or not math.isfinite(v) else float(v) for v in values]


def valid_only(ctx: MetricContext, values: list[float | None]) -> list[float | None]:
    return [v for st, v in zip(ctx.steps(), values, strict=True) if st.valid]


def finite_only(ctx: MetricContext, values: list[float | None]) -> list[float | None]:
    return [v for v in values if v is not None and math.isfinite(v)]


def with_changes(res: MetricResult, **changes) -> MetricResult:
    if "extra" in changes:
        changes["extra"] = {**res.extra, **changes["extra"]}
    return dataclasses.replace(res, **changes)
