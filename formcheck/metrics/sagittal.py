"""Side-view metrics (METRICS.md section 4). Each is a pure function of the MetricContext.

Signs: ``s`` (ctx.direction) is +1 when the runner travels toward image-right. Angles from vertical:
``theta_up(v) = atan2(s*vx, -vy)`` for a vector pointing up, ``theta_dn(v) = atan2(s*vx, vy)`` pointing down;
positive = forward. Image y points down.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import numpy as np

from formcheck.gait.common import joint_angle_deg
from formcheck.metrics.aggregate import (
    iqr_or_none,
    median_or_none,
    not_applicable,
    per_step_summary,
    rounded,
    symmetry_index_pct,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult
from formcheck.skeleton import INDEX

SIDE = ("side",)
ALL_VIEWS = ("side", "rear", "front")
LOW_FPS_NOTE = (
    "low confidence below 100 fps: at {fps:.0f} fps a frame is {ms:.0f} ms of a ~250 ms contact (Souza 2016)"
)


def theta_up_deg(v: np.ndarray, s: int) -> float:
    return math.degrees(math.atan2(s * v[0], -v[1]))


def theta_dn_deg(v: np.ndarray, s: int) -> float:
    return math.degrees(math.atan2(s * v[0], v[1]))


def _angle3(ctx: MetricContext, a: str, b: str, c: str, t: float) -> float:
    return float(joint_angle_deg(ctx.at(a, t), ctx.at(b, t), ctx.at(c, t)))


def _knee_flexion(ctx: MetricContext, side: str, t: float) -> float:
    return 180.0 - _angle3(ctx, f"{side}_hip", f"{side}_knee", f"{side}_ankle", t)


def _result(
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
    return MetricResult(
        id=id,
        value=rounded(value, digits),
        unit=unit,
        verdict=verdict_of(value),
        evidence=evidence,
        n_steps=n,
        spread=rounded(spread, digits),
        per_side={k: rounded(v, digits) for k, v in per_side.items()},
        per_step=tuple(rounded(v, digits) for v in per_step),
        note=note,
        extra=extra or {},
    )


# --- 4.1 cadence -------------------------------------------------------------------------------------------------


def robust_mean(values: list[float]) -> float:
    """Mean after dropping Tukey outliers (outside 1.5 IQR of the quartiles)."""
    arr = np.asarray(values, dtype=float)
    q1, q3 = np.percentile(arr, [25, 75])
    keep = arr[(arr >= q1 - 1.5 * (q3 - q1)) & (arr <= q3 + 1.5 * (q3 - q1))]
    return float(keep.mean() if keep.size else arr.mean())


@metric("cadence_spm", "steps/min", ALL_VIEWS, headline=True)
def cadence_spm(ctx: MetricContext) -> MetricResult:
    """Steps per minute from the time between successive contacts of opposite feet (METRICS.md 4.1).

    METRICS.md takes 60 / the median step time. Two changes, both measured: at 30 fps step times are whole frames
    (11 or 10 frames at ~165 spm) and their median is off by up to 5%, so the mean after removing outliers is
    used; and a foot whose contacts are timed early (frontal views, the far leg) alternates short and long steps,
    so the mean is taken over two-step strides (120 / stride), which cancels that bias."""
    bands = ctx.thresholds.cadence_spm
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    by_side: dict[str, list[float]] = {"left": [], "right": []}
    step_times = []
    for i in range(1, len(steps)):
        prev, cur = steps[i - 1], steps[i]
        if cur.valid and prev.side != cur.side:
            dt = cur.contact_s - prev.contact_s
            step_times.append(dt)
            per_step[i] = 60.0 / dt
            by_side[cur.side].append(dt)
    if not ctx.timing_valid:
        return not_applicable("cadence_spm", "steps/min", ctx.timing_note, bands.evidence)
    note = ""
    # Two consecutive steps make a stride: its duration cancels any timing bias between the feet (a foot whose
    # contacts are found a frame early shortens one step and lengthens the next), so cadence = 120 / stride.
    strides = [
        steps[i + 1].contact_s - steps[i - 1].contact_s
        for i in range(1, len(steps) - 1)
        if per_step[i] is not None and per_step[i + 1] is not None
    ]
    if len(strides) >= 2:
        value = 120.0 / robust_mean(strides)
    elif len(step_times) >= 2:
        value = 60.0 / robust_mean(step_times)
    else:  # fall back to same-foot stride times: 120 / median stride time
        strides = [
            b.contact_s - a.contact_s
            for side in ("left", "right")
            for a, b in zip(
                [st for st in steps if st.side == side and st.valid],
                [st for st in steps if st.side == side and st.valid][1:],
                strict=False,
            )
        ]
        if not strides:
            return not_applicable(
                "cadence_spm", "steps/min", "fewer than two consecutive steps", bands.evidence
            )
        value = 120.0 / float(np.median(strides))
        note = "from stride times of each foot (too few alternating steps)"
    per_side = {s: (60.0 / robust_mean(v) if v else None) for s, v in by_side.items()}
    note = (note + "; " if note else "") + "bands valid near 3 m/s; a +5-10% change is the better target"
    return MetricResult(
        id="cadence_spm",
        value=rounded(value),
        unit="steps/min",
        verdict=bands.verdict(value),
        evidence=bands.evidence,
        n_steps=len(step_times),
        spread=rounded(iqr_or_none(per_step)),
        per_side={k: rounded(v) for k, v in per_side.items()},
        per_step=tuple(rounded(v) for v in per_step),
        note=note,
    )


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
    return _result(
        ctx,
        "shank_angle_ic_deg",
        "deg",
        _clean(per_step),
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
    shank = ctx.done.get("shank_angle_ic_deg")
    shank_verdict = shank.verdict if shank else "n/a"
    bands = ctx.thresholds.overstride_distance_pct
    shank_txt = (
        f"shank {shank.value} deg at contact" if shank and shank.value is not None else "shank angle n/a"
    )
    res = _result(
        ctx,
        "overstride_distance",
        "%leg",
        _clean(per_step),
        lambda v: _overstride_verdict(v, shank_verdict, ctx),
        bands.evidence,
        note=f"verdict combines the distance with the {shank_txt}; heel-to-hip distance has poor single-camera "
        "reproducibility, so it is a median over steps (Souza 2016)",
        extra={"ankle_ahead_of_knee_pctleg": rounded(median_or_none(_valid(ctx, ankle_knee)))},
    )
    if res.value is not None and ctx.leg_length_cm is not None:
        res = _with(res, value_cm=rounded(float(res.value) / 100.0 * ctx.leg_length_cm))
    return res


# --- 4.4 foot strike ---------------------------------------------------------------------------------------------


def _foot_angle_deg(ctx: MetricContext, side: str, t: float) -> float:
    """FA = atan2(-(toe.y - heel.y), s*(toe.x - heel.x)): + = toes higher than the heel (METRICS.md 4.4)."""
    heel, toe = ctx.at(f"{side}_heel", t), ctx.at(f"{side}_foot_index", t)
    return math.degrees(math.atan2(-(toe[1] - heel[1]), ctx.direction * (toe[0] - heel[0])))


def foot_strike_angles(ctx: MetricContext) -> list[float | None]:
    """FSA per step = foot angle at contact minus that foot's flat angle, the median foot angle at midstance
    (METRICS.md 4.4 fallback when no standing frames exist; it also cancels BlazePose's heel/toe offsets, 10)."""
    steps = ctx.steps()
    flat: dict[str, float | None] = {}
    for side in ("left", "right"):
        mids = [
            _foot_angle_deg(ctx, side, st.midstance_s) for st in steps if st.side == side and st.midstance_s
        ]
        flat[side] = median_or_none(mids)
    out: list[float | None] = []
    for st in steps:
        ref = flat[st.side]
        out.append(None if ref is None else _foot_angle_deg(ctx, st.side, st.contact_s) - ref)
    return _clean(out)


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


def _fsa_note(ctx: MetricContext) -> str:
    note = "relative to the foot's flat angle at midstance (Altman & Davis 2012)"
    if ctx.low_fps:
        note += "; " + LOW_FPS_NOTE.format(fps=ctx.fps, ms=1000 / ctx.fps)
    return note


@metric("foot_strike_angle_deg", "deg", SIDE)
def foot_strike_angle_deg(ctx: MetricContext) -> MetricResult:
    fsa = foot_strike_angles(ctx)
    return _result(
        ctx,
        "foot_strike_angle_deg",
        "deg",
        fsa,
        lambda v: _strike_verdict(strike_class(v, ctx), ctx),
        "E",
        note=_fsa_note(ctx),
    )


@metric("foot_strike_type", "category", SIDE, headline=True)
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
    count_txt = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return MetricResult(
        id="foot_strike_type",
        value=kind,
        unit="category",
        verdict=_strike_verdict(kind, ctx),
        evidence="E",
        n_steps=len(pool),
        per_side=per_side,
        per_step=tuple(classes),
        note=f"steps: {count_txt}; " + _fsa_note(ctx),
        extra={"per_step_counts": dict(counts)},
    )


# --- 4.8 trunk lean ----------------------------------------------------------------------------------------------


@metric("trunk_lean_deg", "deg", SIDE, headline=True)
def trunk_lean_deg(ctx: MetricContext) -> MetricResult:
    """Forward lean of hips->shoulders from vertical, mean over each stance (Teng & Powers), + = forward
    (METRICS.md 4.8). ``extra`` has the value at midstance."""
    xy = ctx.traj.xy_px
    trunk = 0.5 * (xy[:, INDEX["left_shoulder"]] + xy[:, INDEX["right_shoulder"]]) - 0.5 * (
        xy[:, INDEX["left_hip"]] + xy[:, INDEX["right_hip"]]
    )
    lean = np.degrees(np.arctan2(ctx.direction * trunk[:, 0], -trunk[:, 1]))
    per_step: list[float | None] = []
    at_mid: list[float | None] = []
    for st in ctx.steps():
        end = st.toe_off_s if st.toe_off_s else st.contact_s + 0.25
        seg = lean[ctx.frames_between(st.contact_s, end)]
        seg = seg[np.isfinite(seg)]
        per_step.append(float(seg.mean()) if seg.size else None)
        if st.midstance_s:
            v = ctx.shoulder_mid_at(st.midstance_s) - ctx.hip_mid_at(st.midstance_s)
            at_mid.append(theta_up_deg(v, ctx.direction))
    bands = ctx.thresholds.trunk_lean_deg
    return _result(
        ctx,
        "trunk_lean_deg",
        "deg",
        _clean(per_step),
        bands.verdict,
        bands.evidence,
        note="BlazePose hips are joint centres, not pelvis markers: expect a few degrees' bias against lab values",
        near_only=False,
        extra={"at_midstance_deg": rounded(median_or_none(_valid_side_free(ctx, at_mid)))},
    )


# --- 4.5, 4.6 knee flexion ---------------------------------------------------------------------------------------


@metric("knee_flexion_ic_deg", "deg", SIDE)
def knee_flexion_ic_deg(ctx: MetricContext) -> MetricResult:
    """180 - angle(hip, knee, ankle) at contact. Watch below 10 deg only together with an overstride flag (H)."""
    per_step = [_knee_flexion(ctx, st.side, st.contact_s) for st in ctx.steps()]
    over = ctx.done.get("overstride_distance")
    overstriding = over is not None and over.verdict == "flag"
    limit = ctx.thresholds.knee_flexion_ic_watch_below_deg
    return _result(
        ctx,
        "knee_flexion_ic_deg",
        "deg",
        _clean(per_step),
        lambda v: "watch" if (v < limit and overstriding) else "good",
        "H",
        note="norm ~21 deg (3D treadmill running); between-day 2D prediction interval 9-14 deg (Damsted 2015)",
    )


@metric("knee_flexion_midstance_deg", "deg", SIDE)
def knee_flexion_midstance_deg(ctx: MetricContext) -> MetricResult:
    """Peak knee flexion between contact and toe-off (METRICS.md 4.6)."""
    per_step: list[float | None] = []
    for st in ctx.steps():
        end = st.toe_off_s if st.toe_off_s else (st.midstance_s or st.contact_s) + 0.05
        seg_slice = ctx.frames_between(st.contact_s, end)
        xy = ctx.traj.xy_px[seg_slice]
        if len(xy) == 0:
            per_step.append(None)
            continue
        flex = 180.0 - joint_angle_deg(
            xy[:, INDEX[f"{st.side}_hip"]], xy[:, INDEX[f"{st.side}_knee"]], xy[:, INDEX[f"{st.side}_ankle"]]
        )
        peaks = [float(np.nanmax(flex))] if np.isfinite(flex).any() else []
        if st.midstance_s:
            peaks.append(_knee_flexion(ctx, st.side, st.midstance_s))
        per_step.append(max(peaks) if peaks else None)
    bands = ctx.thresholds.knee_flexion_midstance_deg
    over = ctx.done.get("overstride_distance")
    overstriding = over is not None and over.verdict == "flag"

    def verdict(v: float) -> str:
        # A stiff knee alone is 'watch'; 'flag' only together with an overstride (METRICS.md 4.6: peak flexion
        # falls with step rate, and 36 deg was seen in healthy runners).
        b = bands.verdict(v)
        return "watch" if b == "flag" and not overstriding else b

    return _result(ctx, "knee_flexion_midstance_deg", "deg", _clean(per_step), verdict, bands.evidence)


# --- 4.9 vertical oscillation ------------------------------------------------------------------------------------


@metric("vertical_oscillation", "%leg", SIDE)
def vertical_oscillation(ctx: MetricContext) -> MetricResult:
    """Max - min of the hip centre's height over each stride (contact to next contact of the same foot), % leg."""
    steps = ctx.steps()
    hip_y = ctx.traj.mid("left_hip", "right_hip")[:, 1]
    per_step: list[float | None] = [None] * len(steps)
    for i, st in enumerate(steps):
        nxt = next((b for b in steps[i + 1 :] if b.side == st.side), None)
        if nxt is None or not (st.valid and nxt.valid):
            continue
        if ctx.events.stride_time_s and nxt.contact_s - st.contact_s > 1.5 * ctx.events.stride_time_s:
            continue  # a missed step in between
        seg = hip_y[ctx.frames_between(st.contact_s, nxt.contact_s)]
        if seg.size and np.isfinite(seg).all():
            per_step[i] = float(np.ptp(seg)) / ctx.leg_at(0.5 * (st.contact_s + nxt.contact_s)) * 100.0
    bands = ctx.thresholds.vertical_oscillation_pct
    res = _result(
        ctx,
        "vertical_oscillation",
        "%leg",
        per_step,
        bands.verdict,
        bands.evidence,
        note="invalid if the camera tilts or moves vertically",
        near_only=False,
    )
    if res.value is not None and ctx.leg_length_cm is not None:
        res = _with(res, value_cm=rounded(float(res.value) / 100.0 * ctx.leg_length_cm))
    return res


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


@metric("arm_swing_deg", "deg", SIDE, headline=True)
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
    return MetricResult(
        id="arm_swing_deg",
        value=rounded(value),
        unit="deg",
        verdict=bands.verdict(value),
        evidence=bands.evidence,
        n_steps=len(near_vals),
        spread=rounded(iqr_or_none(near_vals)),
        per_side=per_side,
        per_step=tuple(rounded(v) for v in per_step),
        note=note,
        extra={"symmetry_index_pct": rounded(si)},
    )


@metric("elbow_angle_deg", "deg", SIDE)
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
    return MetricResult(
        id="elbow_angle_deg",
        value=rounded(value),
        unit="deg",
        verdict=bands.verdict(value),
        evidence=bands.evidence,
        n_steps=len(near_vals),
        spread=rounded(iqr_or_none(near_vals)),
        per_side={s: rounded(median_or_none(v)) for s, v in per_arm.items()},
        per_step=tuple(rounded(v) for v in per_step),
        note=f"near ({ctx.near_side}) arm; 180 deg = straight",
    )


# --- 4.2 ground contact ------------------------------------------------------------------------------------------


@metric("ground_contact_ms", "ms", SIDE)
def ground_contact_ms(ctx: MetricContext) -> MetricResult:
    """Toe-off minus contact, ms. Descriptive only: no threshold exists (Van Hooren 2024), so the verdict is n/a."""
    if not ctx.timing_valid:
        return not_applicable("ground_contact_ms", "ms", ctx.timing_note, "N")
    per_step = [None if st.contact_time_s is None else st.contact_time_s * 1000.0 for st in ctx.steps()]
    note = "descriptive, no threshold (N)"
    if ctx.low_fps:
        note += "; " + LOW_FPS_NOTE.format(fps=ctx.fps, ms=1000 / ctx.fps)
    res = _result(
        ctx, "ground_contact_ms", "ms", per_step, lambda v: "n/a", "N", note=note, near_only=False, digits=0
    )
    stride = ctx.events.stride_time_s
    if res.value is not None and stride:
        res = _with(res, extra={"duty_factor": rounded(float(res.value) / 1000.0 / stride, 3)})
    return res


# --- views that cannot give a metric -----------------------------------------------------------------------------


@metric("pelvic_tilt_deg", "deg", ALL_VIEWS, headline=True)
def pelvic_tilt_side(ctx: MetricContext) -> MetricResult:
    """In side view pelvic drop is frontal-plane motion the camera cannot see; sagittal pelvic tilt is not
    measurable from BlazePose at all (METRICS.md 5.7). Frontal views replace this with a measurement."""
    from formcheck.metrics.frontal import pelvic_tilt_deg

    if ctx.view != "side":
        return pelvic_tilt_deg(ctx)
    return not_applicable(
        "pelvic_tilt_deg",
        "deg",
        "needs a rear or front view: pelvic drop happens in the frontal plane, and sagittal pelvic tilt cannot be "
        "measured from body landmarks (METRICS.md 5.7). Film a second clip from behind.",
        "H",
    )


# --- helpers -----------------------------------------------------------------------------------------------------


def _clean(values: list[float | None]) -> list[float | None]:
    return [None if v is None or not math.isfinite(v) else float(v) for v in values]


def _valid(ctx: MetricContext, values: list[float | None]) -> list[float | None]:
    return [v for st, v in zip(ctx.steps(), values, strict=True) if st.valid]


def _valid_side_free(ctx: MetricContext, values: list[float | None]) -> list[float | None]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _with(res: MetricResult, **changes) -> MetricResult:
    if "extra" in changes:
        changes["extra"] = {**res.extra, **changes["extra"]}
    return dataclasses.replace(res, **changes)
