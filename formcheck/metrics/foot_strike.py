"""Foot-strike angle and strike type (METRICS.md 4.4).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from formcheck.metrics.aggregate import (
    median_or_none,
    not_applicable,
)
from formcheck.metrics.common import (
    LOW_FPS_NOTE,
    clean_values,
    step_metric,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.metrics.uncertainty import bootstrap_interval
from formcheck.model import MetricResult

# --- 4.4 foot strike ---------------------------------------------------------------------------------------------


def _foot_angle_deg(ctx: MetricContext, side: str, t: float, at_contact: bool = False) -> float:
    """FA = atan2(-(toe.y - heel.y), s*(toe.x - heel.x)): + = toes higher than the heel (METRICS.md 4.4); at a
    contact from the less-smoothed tracks (the foot rotates fastest just then)."""
    at = ctx.at_contact if at_contact else ctx.at
    heel, toe = at(f"{side}_heel", t), at(f"{side}_foot_index", t)
    return math.degrees(math.atan2(-(toe[1] - heel[1]), ctx.direction * (toe[0] - heel[0])))


FLAT_REF_NEIGHBOURS = 3  # the flat angle is the median over this many same-side steps either side (7 in all)


def foot_strike_angles(ctx: MetricContext) -> list[float | None]:
    """FSA per step = foot angle at contact minus that foot's flat angle: the median foot angle at midstance of
    the same foot over the nearest steps (``FLAT_REF_NEIGHBOURS`` either side). METRICS.md 4.4's fallback when no
    standing frames exist; it also cancels BlazePose's heel/toe offsets (10). The median is local rather than
    clip-wide so that the reference follows a phone that pans or zooms, and so that a step's value is known a
    few steps after it rather than only at the end of the clip (what a video drawn during the pose pass needs).
    Computed once per context: two metrics use them."""
    if "foot_strike_angles" not in ctx.shared:
        ctx.shared["foot_strike_angles"] = _foot_strike_angles(ctx)
    return list(ctx.shared["foot_strike_angles"])  # type: ignore[call-overload]


def _foot_strike_angles(ctx: MetricContext) -> list[float | None]:
    steps = ctx.steps()
    mids: dict[str, list[tuple[int, float]]] = {"left": [], "right": []}
    for i, st in enumerate(steps):
        if st.midstance_s:
            mids[st.side].append((i, _foot_angle_deg(ctx, st.side, st.midstance_s)))
    out: list[float | None] = []
    for i, st in enumerate(steps):
        same = mids[st.side]
        if not same:
            out.append(None)
            continue
        k = int(np.searchsorted([j for j, _ in same], i))  # same-side midstances before step i
        lo, hi = (
            max(0, k - FLAT_REF_NEIGHBOURS),
            k + FLAT_REF_NEIGHBOURS + (1 if k < len(same) and same[k][0] == i else 0),
        )
        ref = median_or_none([a for _, a in same[lo:hi]])
        out.append(
            None if ref is None else _foot_angle_deg(ctx, st.side, st.contact_s, at_contact=True) - ref
        )
    return clean_values(out)


def strike_class(fsa_deg: float, ctx: MetricContext) -> str:
    t = ctx.thresholds
    if fsa_deg > t.rearfoot_above_deg:
        return "rearfoot"
    if fsa_deg < t.forefoot_below_deg:
        return "forefoot"
    return "midfoot"


def _strike_verdict(kind: str, ctx: MetricContext) -> str:
    """A heel strike alone is 'watch' (often benign: Souza 2016; Moore 2016); with an overstride flag, 'flag'."""
    if kind != "rearfoot":
        return "good"
    over = ctx.done.get("overstride_distance")
    return "flag" if over is not None and over.verdict == "flag" else "watch"


def _rearfoot_share(pool: list[str], ctx: MetricContext) -> tuple[float | None, tuple[float, float] | None]:
    """The share of heel landings among the decided steps, %, and its bootstrap interval (None below 3 steps)."""
    decided = [1.0 if c == "rearfoot" else 0.0 for c in pool if c != "indeterminate"]
    if not decided:
        return None, None
    share = 100.0 * sum(decided) / len(decided)
    u = ctx.uncertainty
    iv = bootstrap_interval(decided, lambda a: 100.0 * a.mean(axis=-1), n_boot=u.n_bootstrap, level=u.level)
    return share, iv


def _type_verdict(kind: str, share_interval: tuple[float, float] | None, ctx: MetricContext) -> str:
    """The strike type's verdict. The type is the majority of the steps, so its uncertainty is that of the share
    of heel landings: a heel-strike flag only when that share's interval lies above one half, else borderline
    (issue 16: no flag whose interval reaches the good band)."""
    verdict = _strike_verdict(kind, ctx)
    if verdict == "flag" and (share_interval is None or share_interval[0] <= 50.0):
        return "borderline"
    return verdict


def _fsa_note(ctx: MetricContext) -> str:
    note = "relative to the foot's flat angle at midstance (Altman & Davis 2012)"
    if ctx.low_fps:
        note += "; " + LOW_FPS_NOTE.format(limit=ctx.gait.low_confidence_fps, fps=ctx.fps, ms=1000 / ctx.fps)
    return note


@metric("foot_strike_angle_deg")
def foot_strike_angle_deg(ctx: MetricContext) -> MetricResult:
    fsa = foot_strike_angles(ctx)
    return step_metric(
        ctx,
        "foot_strike_angle_deg",
        "deg",
        fsa,
        lambda v: _strike_verdict(strike_class(v, ctx), ctx),
        "E",
        note=_fsa_note(ctx),
    )


@metric("foot_strike_type")
def foot_strike_type(ctx: MetricContext) -> MetricResult:
    """Majority strike class over near-side valid steps (Altman & Davis 2012: >8 deg rearfoot, < -1.6 forefoot);
    steps within 2.5 deg of a boundary count as indeterminate (Murray 2019)."""
    fsa = foot_strike_angles(ctx)
    t = ctx.thresholds
    margin = t.strike_indeterminate_margin_deg
    classes: list[str | None] = []
    for v in fsa:
        if v is None:
            classes.append(None)
        elif min(abs(v - t.rearfoot_above_deg), abs(v - t.forefoot_below_deg)) < margin:
            classes.append("indeterminate")
        else:
            classes.append(strike_class(v, ctx))
    steps = ctx.steps()
    near = [c for st, c in zip(steps, classes, strict=True) if st.valid and c and st.side == ctx.near_side]
    pool = near if len(near) >= 3 else [c for st, c in zip(steps, classes, strict=True) if st.valid and c]
    if not pool:
        return not_applicable("foot_strike_type", "category", "no valid step could be measured", "E")
    counts = Counter(pool)
    decided = {k: v for k, v in counts.items() if k != "indeterminate"}
    if decided:
        kind = max(decided, key=lambda k: (decided[k], k == "midfoot"))
    else:
        med = median_or_none([v for st, v in zip(steps, fsa, strict=True) if st.valid])
        kind = strike_class(med, ctx) if med is not None else "midfoot"
    per_side = {}
    for side in ("left", "right"):
        side_c = Counter(
            c for st, c in zip(steps, classes, strict=True) if st.valid and c and st.side == side
        )
        side_c.pop("indeterminate", None)
        per_side[side] = side_c.most_common(1)[0][0] if side_c else None
    # The share is taken over both legs' steps: at its own contact each foot is in front of the body, the far one
    # not hidden (as the overstride reach), and twice the steps make a majority of a short clip's near-leg steps
    # less of a coin toss (side_24: 4 of 5 near-leg steps, share interval 40-100%).
    share, share_iv = _rearfoot_share(
        [c for st, c in zip(steps, classes, strict=True) if st.valid and c], ctx
    )
    count_txt = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return MetricResult(
        id="foot_strike_type",
        value=kind,
        unit="category",
        verdict=_type_verdict(kind, share_iv, ctx),
        evidence="E",
        n_steps=len(pool),
        per_side=per_side,
        per_step=tuple(classes),
        note=f"steps: {count_txt}; " + _fsa_note(ctx),
        extra={"per_step_counts": dict(counts)}
        | (
            # A heel strike's verdict is judged on the share of heel landings, % of decided steps (> 50: rearfoot);
            # other types' on the foot angle (registry ``interval_from``).
            {
                "verdict_value": round(share, 1),
                "verdict_interval": [round(share_iv[0], 1), round(share_iv[1], 1)],
            }
            if kind == "rearfoot" and share is not None and share_iv is not None
            else {}
        ),
    )
