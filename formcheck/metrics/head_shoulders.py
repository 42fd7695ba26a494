"""Head and shoulder carriage from the side (METRICS.md 4.11): head forward, head pitch, shoulder elevation and the
shoulders' bounce against the hips.

METRICS.md compares each with the runner's standing posture. formcheck has no standing frames, so the reference is
the runner's own typical posture in the clip (its median): the value is the clip's typical carriage, and the
verdict says whether it changes during the clip (a quarter of the steps or more beyond a tolerance), e.g. shoulders
creeping up or the head dropping as the runner tires. A posture held all the way through (always looking down)
cannot be told from the runner's normal carriage without standing frames, and the note says so. All **H**.

Near side: the far ear, eye and shoulder are hidden side-on. Signs as in formcheck.metrics.common: ``s`` =
ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from formcheck.metrics.aggregate import not_applicable, rounded
from formcheck.metrics.common import step_metric, with_changes
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult

TYPICAL_NOTE = (
    "compared with the runner's own typical posture in this clip (its median over steps): formcheck has no "
    "standing frames to compare with, so a posture held all the way through is reported but not judged"
)


def _step_windows(ctx: MetricContext) -> list[tuple[int, float, float]]:
    """(step index, start, end): each valid step from its contact to the next contact of either foot."""
    steps = ctx.steps()
    out = []
    for i, st in enumerate(steps[:-1]):
        nxt = steps[i + 1]
        if (
            st.valid
            and nxt.valid
            and (
                not ctx.events.stride_time_s or nxt.contact_s - st.contact_s < 0.75 * ctx.events.stride_time_s
            )
        ):
            out.append((i, st.contact_s, nxt.contact_s))
    return out


def _per_step_mean(ctx: MetricContext, series: np.ndarray) -> list[float | None]:
    """Mean of a per-frame series over each step window (None where under 80% of its frames are finite)."""
    per_step: list[float | None] = [None] * len(ctx.steps())
    for i, t0, t1 in _step_windows(ctx):
        seg = series[ctx.frames_between(t0, t1)]
        if seg.size and np.isfinite(seg).mean() >= 0.8:
            per_step[i] = float(np.nanmean(seg))
    return per_step


def _departures(
    per_step: list[float | None], departs: Callable[[float, float], bool]
) -> tuple[int, int, float | None]:
    """(steps departing from the typical value, steps measured, the typical value = the median)."""
    vals = [v for v in per_step if v is not None and math.isfinite(v)]
    if not vals:
        return 0, 0, None
    typical = float(np.median(vals))
    return sum(departs(v, typical) for v in vals), len(vals), typical


def _posture_metric(
    ctx: MetricContext,
    id: str,
    unit: str,
    per_step: list[float | None],
    departs: Callable[[float, float], bool],
    change_words: str,
    note: str,
) -> MetricResult:
    """A head/shoulder metric: the typical value with its interval, judged by how many steps depart from it."""
    res = step_metric(ctx, id, unit, per_step, lambda v: "good", "H", note=note, near_only=False)
    if res.value is None:
        return res
    n_out, n, typical = _departures(per_step, departs)
    share = n_out / n if n else 0.0
    limit = ctx.thresholds.posture_change_share
    verdict = "watch" if share >= limit else "good"
    text = f"{n_out} of {n} steps {change_words}; watch when a {limit:.0%} share or more do; {TYPICAL_NOTE}"
    return with_changes(
        res,
        verdict=verdict,
        note=f"{res.note}; {text}",
        extra={
            "reference": "clip median",
            "typical": rounded(typical),
            "changed_steps": n_out,
            "changed_share": rounded(share, 2),
        },
    )


def _near(ctx: MetricContext, part: str) -> np.ndarray:
    return ctx.traj.point(f"{ctx.near_side}_{part}")


@metric("head_forward")
def head_forward(ctx: MetricContext) -> MetricResult:
    """Near ear ahead of the near shoulder, % leg length, mean over each step: s * (ear.X - shoulder.X) / L
    (METRICS.md 4.11). Watch when a quarter of the steps or more carry the head further forward than the typical
    step by more than ``head_forward_change_pct_leg``."""
    ear, sh = _near(ctx, "ear"), _near(ctx, "shoulder")
    fwd_px = ctx.direction * (ear[:, 0] - sh[:, 0])
    # % of the leg length near each step: a runner approaching or receding changes size.
    per_step = [
        None if v is None else v / ctx.leg_at(ctx.steps()[i].contact_s) * 100.0
        for i, v in enumerate(_per_step_mean(ctx, fwd_px))
    ]
    tol = ctx.thresholds.head_forward_change_pct_leg
    return _posture_metric(
        ctx,
        "head_forward",
        "%leg",
        per_step,
        lambda v, typ: v - typ > tol,
        f"carried the head more than {tol:g}% of leg length further forward than typical",
        f"{ctx.near_side} ear ahead of the {ctx.near_side} shoulder, + = forward",
    )


@metric("head_pitch_deg")
def head_pitch_deg(ctx: MetricContext) -> MetricResult:
    """Angle of the near ear -> eye line above horizontal, mean over each step, + = eyes up (METRICS.md 4.11).
    Watch when a quarter of the steps or more look down by more than ``head_pitch_change_deg`` from the typical
    step."""
    ear, eye = _near(ctx, "ear"), _near(ctx, "eye")
    pitch = np.degrees(np.arctan2(-(eye[:, 1] - ear[:, 1]), ctx.direction * (eye[:, 0] - ear[:, 0])))
    tol = ctx.thresholds.head_pitch_change_deg
    return _posture_metric(
        ctx,
        "head_pitch_deg",
        "deg",
        _per_step_mean(ctx, pitch),
        lambda v, typ: typ - v > tol,
        f"looked down more than {tol:g}° below typical",
        "ear-to-eye line above horizontal, + = eyes above the ear; BlazePose's ear and eye points are not "
        "anatomical landmarks, so the level varies between people: compare a runner with themself",
    )


@metric("shoulder_elevation_pct")
def shoulder_elevation_pct(ctx: MetricContext) -> MetricResult:
    """Height of the near ear above the near shoulder, % of trunk length (hip centre to shoulder centre), mean
    over each step (METRICS.md 4.11). Hunched or raised shoulders make it smaller: watch when a quarter of the
    steps or more fall more than ``shoulder_rise_fraction`` (15%) below the typical step (METRICS.md 4.11 uses the
    standing value)."""
    ear, sh = _near(ctx, "ear"), _near(ctx, "shoulder")
    trunk = ctx.traj.mid("left_shoulder", "right_shoulder") - ctx.traj.mid("left_hip", "right_hip")
    length = np.hypot(trunk[:, 0], trunk[:, 1])
    with np.errstate(all="ignore"):
        elev = (sh[:, 1] - ear[:, 1]) / np.where(length > 0, length, np.nan) * 100.0
    frac = ctx.thresholds.shoulder_rise_fraction
    return _posture_metric(
        ctx,
        "shoulder_elevation_pct",
        "%trunk",
        _per_step_mean(ctx, elev),
        lambda v, typ: v < (1.0 - frac) * typ,
        f"had the shoulders raised toward the ears by more than {frac:.0%} of the typical ear-shoulder gap",
        "height of the ear above the shoulder, % of trunk length; smaller = shoulders raised or hunched",
    )


@metric("shoulder_bounce")
def shoulder_bounce(ctx: MetricContext) -> MetricResult:
    """Peak-to-peak vertical movement of the shoulder centre relative to the hip centre over each stride, % leg
    length (METRICS.md 4.11). Descriptive: no cut-off exists, so the verdict is n/a."""
    steps = ctx.steps()
    rise = ctx.traj.mid("left_hip", "right_hip")[:, 1] - ctx.traj.mid("left_shoulder", "right_shoulder")[:, 1]
    per_step: list[float | None] = [None] * len(steps)
    for i, st in enumerate(steps):
        nxt = next((b for b in steps[i + 1 :] if b.side == st.side), None)
        if nxt is None or not (st.valid and nxt.valid):
            continue
        if ctx.events.stride_time_s and nxt.contact_s - st.contact_s > 1.5 * ctx.events.stride_time_s:
            continue
        seg = rise[ctx.frames_between(st.contact_s, nxt.contact_s)]
        if seg.size and np.isfinite(seg).all():
            per_step[i] = float(np.ptp(seg)) / ctx.leg_at(0.5 * (st.contact_s + nxt.contact_s)) * 100.0
    if not any(v is not None for v in per_step):
        return not_applicable("shoulder_bounce", "%leg", "no complete stride with the shoulders tracked")
    return step_metric(
        ctx,
        "shoulder_bounce",
        "%leg",
        per_step,
        lambda v: "n/a",
        "H",
        note="descriptive, no published cut-off: how much the shoulders rise and fall against the hips each "
        "stride. Low confidence: BlazePose's shoulder points move with the arms, and a rendered runner whose "
        "shoulders do not bounce at all read about 5% of leg length, so compare clips of the same runner only",
        near_only=False,
    )
