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
from formcheck.skeleton import INDEX

# --- 4.4 foot strike ---------------------------------------------------------------------------------------------


def _foot_angle_deg(ctx: MetricContext, side: str, t: float, at_contact: bool = False) -> float:
    """FA = atan2(-(toe.y - heel.y), s*(toe.x - heel.x)): + = toes higher than the heel (METRICS.md 4.4); at a
    contact from the less-smoothed tracks (the foot rotates fastest just then)."""
    at = ctx.at_contact if at_contact else ctx.at
    heel, toe = at(f"{side}_heel", t), at(f"{side}_foot_index", t)
    return math.degrees(math.atan2(-(toe[1] - heel[1]), ctx.direction * (toe[0] - heel[0])))


# Each landmark's stance level: this percentile of its image y (down) over the stance, i.e. near its lowest point;
# not the maximum, so that one jittery frame does not set it (engineering choice, H).
STANCE_LEVEL_PERCENTILE = 95.0
# BlazePose reads a landing foot's angle compressed toward a heel strike: on the rendered runner through the pose
# model (benchmarks/score_at_contact.py, 12 clips: -8/3/18 deg strikes at 30/60/120 fps, 6 and 9 m; docs/strike.md)
# the uncorrected angle below read -3.3, 5.7 and 14.8 deg (medians) for true -8, 3 and 18 deg. A least-squares line
# over those 101 steps, measured = FSA_BIAS_OFFSET_DEG + FSA_BIAS_GAIN * true, is inverted. Fitted on the 30 and
# 120 fps clips alone it is 3.5 + 0.62 x, on the 60 fps ones 2.7 + 0.69 x.
FSA_BIAS_OFFSET_DEG = 3.1
FSA_BIAS_GAIN = 0.65
# Above the steepest strike fitted the gain is not extended: a rendered 28 deg heel strike (60 fps) read 7 deg too
# steep with it, about 1 deg with the raw reading's own slope (1:1) from 18 deg on.
FSA_BIAS_FIT_MAX_DEG = 18.0


def foot_strike_angles(ctx: MetricContext) -> list[float | None]:
    """FSA per step: how much higher the toe is than the heel at contact, each measured above its own stance level
    (the landmark's lowest image position over that stance), as an angle over the heel-to-toe length in stance,
    then corrected for BlazePose's measured bias (``FSA_BIAS_*``). Relative to the flat foot as METRICS.md 4.4
    asks (Altman & Davis 2012): a flat foot at contact has both points at their stance levels, whatever fixed
    offset BlazePose puts on the heel and toe landmarks (METRICS.md 10). Each landmark's own lowest level, rather
    than the foot's angle at midstance, is used because through the pose model a flat foot at midstance reads
    several degrees toes-down against the same flat foot at landing (a 3 deg midfoot landing read 12 deg that
    way). Per step, from that stance's frames only, so it follows a camera that pans or zooms and is known at the
    step's toe-off. Computed once per context: two metrics use them."""
    if "foot_strike_angles" not in ctx.shared:
        ctx.shared["foot_strike_angles"] = _foot_strike_angles(ctx)
    return list(ctx.shared["foot_strike_angles"])  # type: ignore[call-overload]


def _foot_strike_angles(ctx: MetricContext) -> list[float | None]:
    steps = ctx.steps()
    times = [st.contact_time_s for st in steps if st.contact_time_s]
    typical_contact_s = float(np.median(times)) if times else None
    out: list[float | None] = []
    for st in steps:
        end_s = st.toe_off_s or (st.contact_s + typical_contact_s if typical_contact_s else None)
        raw = None if end_s is None else raw_strike_angle_deg(ctx, st.side, st.contact_s, end_s)
        if raw is not None and ctx.uncertainty.correct_pose_strike_bias:
            raw = correct_strike_bias(raw)
        out.append(raw)
    return clean_values(out)


def raw_strike_angle_deg(ctx: MetricContext, side: str, contact_s: float, end_s: float) -> float | None:
    """Uncorrected FSA of one stance (contact to ``end_s``) from the less-smoothed tracks; None when the stance
    has fewer than two frames or its landmarks are missing."""
    track = ctx.contact_traj if ctx.contact_traj is not None else ctx.traj
    frames = ctx.frames_between(contact_s, end_s)
    heel = track.xy_px[frames, INDEX[f"{side}_heel"]]
    toe = track.xy_px[frames, INDEX[f"{side}_foot_index"]]
    ok = np.isfinite(heel).all(axis=1) & np.isfinite(toe).all(axis=1)
    if ok.sum() < 2:
        return None
    heel, toe = heel[ok], toe[ok]
    heel_level_y = float(np.percentile(heel[:, 1], STANCE_LEVEL_PERCENTILE))
    toe_level_y = float(np.percentile(toe[:, 1], STANCE_LEVEL_PERCENTILE))
    foot_px = float(np.median(np.hypot(*(toe - heel).T)))
    heel_c, toe_c = ctx.at_contact(f"{side}_heel", contact_s), ctx.at_contact(f"{side}_foot_index", contact_s)
    if foot_px <= 0 or not (np.isfinite(heel_c).all() and np.isfinite(toe_c).all()):
        return None
    rise_px = (toe_level_y - toe_c[1]) - (heel_level_y - heel_c[1])  # toe's height minus heel's height
    return math.degrees(math.asin(max(-1.0, min(1.0, rise_px / foot_px))))


def correct_strike_bias(raw_deg: float) -> float:
    """Invert BlazePose's measured compression of the strike angle (``FSA_BIAS_OFFSET_DEG``, ``FSA_BIAS_GAIN``)
    up to the steepest strike fitted (``FSA_BIAS_FIT_MAX_DEG``); beyond it, a plain shift."""
    raw_at_max = FSA_BIAS_OFFSET_DEG + FSA_BIAS_GAIN * FSA_BIAS_FIT_MAX_DEG
    if raw_deg > raw_at_max:
        return FSA_BIAS_FIT_MAX_DEG + (raw_deg - raw_at_max)
    return (raw_deg - FSA_BIAS_OFFSET_DEG) / FSA_BIAS_GAIN


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
   ."""
    verdict = _strike_verdict(kind, ctx)
    if verdict == "flag" and (share_interval is None or share_interval[0] <= 50.0):
        return "borderline"
    return verdict


def _fsa_note(ctx: MetricContext) -> str:
    note = (
        "toe height minus heel height at contact, each above its stance level (Altman & Davis 2012), corrected "
        "for BlazePose's measured bias (docs/strike.md)"
    )
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
    """Majority strike class over both legs' valid steps (Altman & Davis 2012: >8 deg rearfoot, < -1.6 forefoot);
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
    # Both legs' steps: at its own contact each foot is in front of the body, the far one not hidden (as for the
    # overstride reach), and twice the steps make the majority of a short clip less of a coin toss (side_24: 4 of
    # 5 near-leg steps). The type and its verdict's share of heel landings come from the same steps.
    pool = [c for st, c in zip(steps, classes, strict=True) if st.valid and c]
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
    share, share_iv = _rearfoot_share(pool, ctx)
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
