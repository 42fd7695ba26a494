"""Foot-strike angle and strike type (METRICS.md 4.4).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from formcheck.metrics.aggregate import (
    not_applicable,
)
from formcheck.metrics.common import (
    LOW_FPS_NOTE,
    clean_values,
    step_metric,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.display import angle_strike_class, written_interval
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
# model (benchmarks/score_at_contact.py, 12 clips: -8/3/18 deg strikes at 30/60/120 fps, 6 and 9 m; docs/strike.md),
# landing as real runners do (the late knee extension and the 0.04 s cushion, the renderer's default since issue 15:
# docs/contacts.md "The realistic landing made the default"), the uncorrected angle below read -3.6, 3.4 and 12.7
# deg (medians) for true -8, 3 and 18 deg. A least-squares line over those 103 steps, measured =
# FSA_BIAS_OFFSET_DEG + FSA_BIAS_GAIN * true (``score_at_contact.py --fit-strike-bias``), is inverted. Fitted on the
# 30 and 120 fps clips alone it is 2.18 + 0.63 x, on the 60 fps ones 1.90 + 0.51 x. (On the hovering landing of
# before it was 3.1 + 0.65 x; refitted on it, 3.03 + 0.68 x.) The real labels' strike agreement: 88.4% of 138 with
# the old line, 89.1% with this one.
FSA_BIAS_OFFSET_DEG = 2.03
FSA_BIAS_GAIN = 0.57
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
        read_s = st.contact_s if st.strike_read_s is None else st.strike_read_s
        raw = None if end_s is None else raw_strike_angle_deg(ctx, st.side, read_s, end_s)
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
    return angle_strike_class(fsa_deg, ctx.thresholds.rearfoot_above_deg, ctx.thresholds.forefoot_below_deg)


def _overstrides(ctx: MetricContext) -> bool:
    """The runner overstrides: the overstride verdict is a flag, or borderline with its value in the flag band
    (the interval reaches below the cut-off, the value does not). Which of the two it is decides how sure that
    finding is, not whether a heel strike lands with it: two takes of one runner read 32.6 (interval from 29.96)
    and 35.1 %leg against a 30 %leg cut-off."""
    over = ctx.done.get("overstride_distance")
    if over is None:
        return False
    if over.verdict == "flag":
        return True
    value = over.extra.get("verdict_value")
    return (
        over.verdict == "borderline"
        and value is not None
        and ctx.thresholds.overstride_reach_pct.verdict(float(value)) == "flag"
    )


def _strike_verdict(kind: str, ctx: MetricContext) -> str:
    """A heel strike alone is 'watch' (often benign: Souza 2016; Moore 2016); with an overstride, 'flag'."""
    if kind != "rearfoot":
        return "good"
    return "flag" if _overstrides(ctx) else "watch"


def _type_verdict(kind: str, share_interval: tuple[float, float] | None, ctx: MetricContext) -> str:
    """The strike type's verdict. The type is the majority of the steps, so its uncertainty is that of the share
    of heel landings: a heel-strike flag only when that share's interval lies above one half, else borderline."""
    verdict = _strike_verdict(kind, ctx)
    if verdict == "flag" and (share_interval is None or share_interval[0] <= 50.0):
        return "borderline"
    return verdict


def _most_steps(share_pct: float) -> str:
    """Which side of one half a share of heel landings lies on: the line ``_type_verdict`` judges it against."""
    return "most" if share_pct > 50.0 else "not most"


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
        note=_fsa_note(ctx) + "; both legs' steps",
        # Both legs, as the strike type: through the pose model the near leg reads lower than the far one
        # (``runner_strike_angle_deg``), and at its own contact each foot is in front of the body, not hidden.
        near_only=False,
    )


# --- the strike type: each step read together with the runner's other steps ---------------------------------------

# A step's reading through the pose model is its true angle plus an error of about FSA_STEP_ERROR_SD_DEG: the
# within-leg sd of the readings of the rendered runner, whose steps are identical (benchmarks/score_at_contact.py,
# 13 clips, 109 steps; docs/strike.md). Real runners' steps differ by FSA_STEP_TRUE_SD_DEG: on the real side clips
# with contact labels (the labels themselves not used) the within-leg sd is 8.2 deg (216 steps), so sqrt(8.2^2 - 7.6^2) = 3.1 deg is what is left for true
# step-to-step variation. A step's class is therefore judged on the runner's strike angle plus this share of its
# own deviation from it (the empirical-Bayes posterior mean, tau^2 / (tau^2 + sigma^2) = 0.14).
FSA_STEP_ERROR_SD_DEG = 7.6
FSA_STEP_TRUE_SD_DEG = 3.1
STEP_DEVIATION_KEPT = FSA_STEP_TRUE_SD_DEG**2 / (FSA_STEP_TRUE_SD_DEG**2 + FSA_STEP_ERROR_SD_DEG**2)


# Two readings of one angle differ with an sd of sqrt(2) * FSA_STEP_ERROR_SD_DEG (10.7 deg); beyond three of those
# (32 deg) one of the two is taken for a wild reading (engineering choice from the measured per-step error).
WILD_PAIR_DIFFERENCE_DEG = 3.0 * math.sqrt(2.0) * FSA_STEP_ERROR_SD_DEG


def runner_strike_angle_deg(values: np.ndarray, near: np.ndarray) -> float:
    """The runner's strike angle from both legs' steps: the mean of each leg's median, each leg weighing the same.
    Through the pose model the near leg reads lower than the far one (on the rendered runner, identical legs, by
    2.6 deg on average and up to 12 deg; on the labelled real heel strikers side_03, side_10 and side_13 by 9-18
    deg while people saw both legs land on the heel), so neither leg alone, nor the leg with more steps, decides.
    A leg with two readings cannot reject a wild one by itself (the median of two is their mean): where the two
    differ by more than ``WILD_PAIR_DIFFERENCE_DEG`` (three sd of the difference of two readings of one angle), the
    one nearer the other leg's median is kept. A rendered heel striker's leg once read (-35.1, +19.7) and pulled the
    runner to midfoot; ordinary pairs (side_07's 24.8 and -5.9) keep their mean."""
    legs = [values[near == n] for n in (True, False) if (near == n).any()]
    medians = [float(np.median(leg)) for leg in legs]
    if len(legs) == 2:
        for i, leg in enumerate(legs):
            if len(leg) == 2 and abs(leg[0] - leg[1]) > WILD_PAIR_DIFFERENCE_DEG:
                other = medians[1 - i]
                medians[i] = float(leg[np.argmin(np.abs(leg - other))])
    return float(np.mean(medians))


def _shrunk(values: np.ndarray, centre: float) -> np.ndarray:
    return centre + STEP_DEVIATION_KEPT * (values - centre)


def classify(v: float, ctx: MetricContext) -> str:
    """A strike class, or ``indeterminate`` within the margin of a class boundary (Murray 2019)."""
    t = ctx.thresholds
    margin = t.strike_indeterminate_margin_deg
    if min(abs(v - t.rearfoot_above_deg), abs(v - t.forefoot_below_deg)) < margin:
        return "indeterminate"
    return strike_class(v, ctx)


def step_classes(ctx: MetricContext, fsa: list[float | None]) -> tuple[list[str | None], float | None]:
    """Each measured step's strike class (None where unmeasured) and the runner's strike angle (None without a
    valid measured step), the latter from the valid steps."""
    steps = ctx.steps()
    idx = [i for i, (st, v) in enumerate(zip(steps, fsa, strict=True)) if st.valid and v is not None]
    if not idx:
        return [None] * len(fsa), None
    values = np.array([fsa[i] for i in idx], dtype=float)
    near = np.array([steps[i].side == ctx.near_side for i in idx])
    centre = runner_strike_angle_deg(values, near)
    classes = [None if v is None else classify(float(_shrunk(np.array(v), centre)), ctx) for v in fsa]
    return classes, centre


def _rearfoot_share(
    values: np.ndarray, near: np.ndarray, ctx: MetricContext
) -> tuple[float | None, tuple[float, float] | None]:
    """The share of heel landings among the measured steps, %, and its bootstrap interval (None below 3 steps).
    A heel landing is a step whose reading, taken with the runner's other steps (``_shrunk``), lies above the
    rearfoot line (Altman & Davis 2012). The steps are resampled and read again as a whole (the runner's angle,
    each step's class), so the interval holds the uncertainty of the runner's angle that every step leans on;
    the indeterminate band (a single reading's error, Murray 2019) is not applied on top of it, which would count
    that uncertainty twice."""
    line = ctx.thresholds.rearfoot_above_deg

    def share(vals: np.ndarray, nr: np.ndarray) -> float:
        return 100.0 * float(np.mean(_shrunk(vals, runner_strike_angle_deg(vals, nr)) > line))

    if values.size == 0:
        return None, None
    value = share(values, near)
    if values.size < 3:
        return value, None

    def shares(picks: np.ndarray) -> np.ndarray:  # one resample of step indices per row
        return np.array([share(values[p], near[p]) for p in picks.astype(int)])

    u = ctx.uncertainty
    interval = bootstrap_interval(np.arange(values.size), shares, n_boot=u.n_bootstrap, level=u.level)
    return value, interval


def _type_from_runner_angle(centre_deg: float, heel_share_pct: float | None, ctx: MetricContext) -> str:
    """The strike type where most steps lie within a reading's error of a class line: a heel strike exactly when
    more than half of the steps land heel first, the share its verdict is judged on (``_type_verdict``), else the
    runner's angle's class (midfoot for an angle above the heel line). A runner angle on the 8 deg line with 4 of
    11 steps heel first (side_21, 8.0 deg, headline angle 1.9 deg) otherwise read "rearfoot" beside "share of heel
    landings 36.4%"."""
    kind = strike_class(centre_deg, ctx)
    if heel_share_pct is None:
        return kind
    if heel_share_pct > 50.0:
        return "rearfoot"
    return "midfoot" if kind == "rearfoot" else kind


@metric("foot_strike_type")
def foot_strike_type(ctx: MetricContext) -> MetricResult:
    """Majority strike class over both legs' valid steps (Altman & Davis 2012: >8 deg rearfoot, < -1.6 forefoot),
    each step judged with the runner's other steps (``step_classes``); steps within 2.5 deg of a boundary count as
    indeterminate (Murray 2019)."""
    fsa = foot_strike_angles(ctx)
    classes, centre = step_classes(ctx, fsa)
    steps = ctx.steps()
    # Both legs' steps: at its own contact each foot is in front of the body, the far one not hidden (as for the
    # overstride reach), and twice the steps make the majority of a short clip less of a coin toss (side_24: 4 of
    # 5 near-leg steps). The type and its verdict's share of heel landings come from the same steps.
    pool = [c for st, c in zip(steps, classes, strict=True) if st.valid and c]
    if not pool or centre is None:
        return not_applicable("foot_strike_type", "category", "no valid step could be measured", "E")
    counts = Counter(pool)
    decided = {k: v for k, v in counts.items() if k != "indeterminate"}
    measured_idx = [i for i, (st, v) in enumerate(zip(steps, fsa, strict=True)) if st.valid and v is not None]
    values = np.array([fsa[i] for i in measured_idx], dtype=float)
    near = np.array([steps[i].side == ctx.near_side for i in measured_idx])
    share, share_iv = _rearfoot_share(values, near, ctx)
    # Where at least as many steps lie within a reading's error of a class line as outside it, the decided ones are
    # not the runner's majority (side_21: one step of 11 decided); the runner's angle, read from every step, says more.
    if sum(decided.values()) > counts.get("indeterminate", 0):
        kind = max(decided, key=lambda k: (decided[k], k == "midfoot"))
    else:
        kind = _type_from_runner_angle(centre, share, ctx)
    per_side = {}
    for side in ("left", "right"):
        side_c = Counter(
            c for st, c in zip(steps, classes, strict=True) if st.valid and c and st.side == side
        )
        side_c.pop("indeterminate", None)
        per_side[side] = side_c.most_common(1)[0][0] if side_c else None
    # Rounded outward, each end kept on its side of one half (the heel-strike flag needs its lower end above it).
    written_share = None if share_iv is None else written_interval(share_iv, 1, _most_steps)
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
        note=f"steps: {count_txt}, each read with the runner's other steps (both legs: {centre:.1f} deg); "
        + _fsa_note(ctx),
        extra={
            "per_step_counts": dict(counts),
            "runner_angle_deg": round(centre, 1),
            # Whatever the type: what decides between a heel strike and the others, with its interval, so that the
            # athlete history can tell a change of type from noise (registry ``category_interval``).
            "heel_landing_share_pct": None if share is None else round(share, 1),
            "heel_landing_share_interval": None if share_iv is None else list(written_share),
        }
        | (
            # A heel strike's verdict is judged on the share of heel landings, % of decided steps (> 50: rearfoot);
            # other types' on the foot angle (registry ``interval_from``).
            {
                "verdict_value": round(share, 1),
                "verdict_interval": list(written_share),
            }
            if kind == "rearfoot" and share is not None and share_iv is not None
            else {}
        ),
    )
