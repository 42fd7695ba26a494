"""Rear- and front-view metrics (METRICS.md section 5). In a side view each is n/a with the reason.

Sides: a step's ``side`` is the stance foot. The stance side's place in the image (``sigma`` = +1 when the stance
hip is on image-right) is read from the landmarks at that moment, so a front view (which mirrors left and right,
METRICS.md 5) needs no separate sign convention. Distances are normalised by the hip or shoulder width of the
same moment, so a runner approaching or receding (changing size) is measured consistently.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.gait.frontal import pelvis_reading_time_s
from formcheck.metrics.aggregate import (
    headline_pool,
    iqr_or_none,
    measured,
    median_or_none,
    not_applicable,
    per_step_summary,
    rounded,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.display import written_interval
from formcheck.metrics.registry import metric
from formcheck.metrics.uncertainty import judge
from formcheck.model import MetricResult, Step

NEEDS_FRONTAL = "needs a rear or front view (film a second clip from behind or in front)"
# METRICS.md 10, measured again for this module on synthetic rear/front clips with a known drop (BlazePose full,
# median over ~11 midstances; hips 34 px and 90 px apart): true 0 -> -1.7/-1.6 deg (rear), -1.1 (front);
# 5 -> -0.9 (rear), -0.4 (front); 9 -> -0.2/+0.1 (rear), -0.1 (front). The hip landmarks follow a drop with a gain
# of only ~0.15-0.2, so the number cannot be read as degrees of pelvic drop. On the exact skeleton the same code
# recovers 9 deg as 8.5 deg. A waistband-edge cue from the image was tried and was dominated by the arms.
HIP_LANDMARK_NOTE = (
    "low confidence: BlazePose's hip landmarks follow only a small part of a real pelvic drop (on test clips a "
    "9 deg drop read about 1.5 deg more than no drop), so this value understates the drop; use it to compare "
    "sides and sessions, not as degrees"
)
# With image evidence (formcheck.pose.pelvis: the waist edge in the picture at each midstance) the value is taken
# from the picture. Synthetic rear/front clips, true 0/5/9/12 deg: median -0.0/4.7/8.5/11.3 deg, per-step SD
# 0.1-2.8 deg; not validated on real runners (docs/pelvic_drop.md).
IMAGE_NOTE = (
    "low confidence: measured from the picture (the waistband or shirt-hem line above the hips at each midstance; within about "
    "1 deg of the true drop on synthetic test clips, not yet validated on real runners, whose loose clothing can "
    "tilt on its own); the hip-landmark value is in extra for comparison"
)


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _sigma(ctx: MetricContext, step: Step, t: float) -> float:
    """+1 when the stance hip is on image-right of the swing hip at time ``t``, else -1 (METRICS.md 5)."""
    dx = ctx.at(f"{step.side}_hip", t)[0] - ctx.at(f"{_other(step.side)}_hip", t)[0]
    return 1.0 if dx >= 0 else -1.0


def cpd_deg(hip_stance: np.ndarray, hip_swing: np.ndarray) -> float:
    """Contralateral pelvic drop (METRICS.md 5.1): atan2(Hsw.Y - Hst.Y, |Hsw.X - Hst.X|), + = swing hip lower."""
    dy = float(hip_swing[1] - hip_stance[1])
    dx = abs(float(hip_swing[0] - hip_stance[0]))
    if not (math.isfinite(dx) and math.isfinite(dy)) or dx <= 0:
        return float("nan")
    return math.degrees(math.atan2(dy, dx))


def _measured(ctx: MetricContext) -> list[Step] | None:
    steps = [s for s in ctx.steps() if s.valid and s.midstance_s is not None]
    return steps or None


def image_pelvis_line(ctx: MetricContext, step: Step, t_read: float) -> float | None:
    """The pelvis line from the picture read at ``t_read`` (``pelvis_reading_time_s``); in a folder analysed
    before the rear view read it at the frame before the lowest hip, the line stored at the midstance itself."""
    tilt = ctx.pelvis_line_at(t_read)
    if tilt is None and step.midstance_s is not None:
        tilt = ctx.pelvis_line_at(step.midstance_s)
    return tilt


def _hip_width_px(ctx: MetricContext, t: float) -> float:
    return abs(float(ctx.at("left_hip", t)[0] - ctx.at("right_hip", t)[0]))


def _stance_frames(ctx: MetricContext, step: Step) -> slice:
    end = step.toe_off_s if step.toe_off_s is not None else step.contact_s
    return ctx.frames_between(step.contact_s, end)


@metric("lateral_trunk_lean_deg")
def lateral_trunk_lean_deg(ctx: MetricContext) -> MetricResult:
    """Angle of hip centre -> shoulder centre from vertical at midstance, + = toward the stance side
    (METRICS.md 5.2)."""
    unit = "deg"
    bands = ctx.thresholds.lateral_trunk_lean_deg
    if ctx.view == "side":
        return not_applicable("lateral_trunk_lean_deg", unit, NEEDS_FRONTAL, bands.evidence)
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    for i, st in enumerate(steps):
        if not st.valid or st.midstance_s is None:
            continue
        t = st.midstance_s
        v = ctx.shoulder_mid_at(t) - ctx.hip_mid_at(t)
        if not np.all(np.isfinite(v)):
            continue
        per_step[i] = _sigma(ctx, st, t) * math.degrees(math.atan2(float(v[0]), float(-v[1])))
    value, spread, per_side, n = per_step_summary(steps, per_step)
    if value is None:
        return not_applicable("lateral_trunk_lean_deg", unit, "no step with a tracked trunk", bands.evidence)
    verdict, interval = judge(
        ctx, "lateral_trunk_lean_deg", value, headline_pool(steps, per_step), bands.verdict
    )
    return measured(
        "lateral_trunk_lean_deg",
        unit,
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=n,
        spread=spread,
        per_side=per_side,
        per_step=per_step,
        note="+ = toward the stance foot (METRICS.md 5.2)",
    )


def pelvic_tilt_deg(ctx: MetricContext) -> MetricResult:
    """Contralateral pelvic drop at midstance and its peak over stance, per stance side (METRICS.md 5.1); value =
    median over steps at midstance. Asymmetry |L - R| above 3 deg (the SDD) is a watch. Called by
    ``metrics.posture.pelvic_tilt_side`` for rear and front views."""
    unit = "deg"
    bands = ctx.thresholds.pelvic_tilt_deg
    steps = ctx.steps()
    if not _measured(ctx):
        return not_applicable("pelvic_tilt_deg", unit, "no valid step with a midstance", bands.evidence)
    per_step: list[float | None] = [None] * len(steps)
    peaks: list[float | None] = [None] * len(steps)
    image_step: list[float | None] = [None] * len(steps)
    widths = []
    tr = ctx.traj
    for i, st in enumerate(steps):
        if not st.valid or st.midstance_s is None:
            continue
        t = st.midstance_s
        sw = _other(st.side)
        per_step[i] = cpd_deg(ctx.at(f"{st.side}_hip", t), ctx.at(f"{sw}_hip", t))
        t_img = pelvis_reading_time_s(st, ctx.view, ctx.traj.time_s) or t
        tilt = image_pelvis_line(ctx, st, t_img)
        if tilt is not None and math.isfinite(tilt):
            image_step[i] = (
                -_sigma(ctx, st, t_img) * tilt
            )  # stance hip on image-right: swing side lower = tilt < 0
        widths.append(_hip_width_px(ctx, t))
        sl = _stance_frames(ctx, st)
        hst, hsw = tr.point(f"{st.side}_hip")[sl], tr.point(f"{sw}_hip")[sl]
        frame_cpd = [cpd_deg(a, b) for a, b in zip(hst, hsw, strict=True)]
        frame_cpd = [c for c in frame_cpd if math.isfinite(c)]
        if frame_cpd:
            peaks[i] = max(
                max(frame_cpd), per_step[i] if math.isfinite(per_step[i] or math.nan) else -math.inf
            )
    per_step = [None if v is None or not math.isfinite(v) else v for v in per_step]
    landmark_value, _, landmark_side, _ = per_step_summary(steps, per_step)
    from_image = sum(v is not None for v in image_step) >= ctx.thresholds.pelvic_min_image_steps
    if from_image:
        per_step = image_step
    value, spread, per_side, n = per_step_summary(steps, per_step)
    if value is None:
        return not_applicable(
            "pelvic_tilt_deg", unit, "the hips were not tracked at midstance", bands.evidence
        )
    _, _, peak_side, _ = per_step_summary(steps, peaks)
    verdict, interval = judge(ctx, "pelvic_tilt_deg", value, headline_pool(steps, per_step), bands.verdict)
    notes = ["contralateral pelvic drop at midstance, + = swing-side hip lower; per side = stance side"]
    asym = None
    if per_side["left"] is not None and per_side["right"] is not None:
        asym = abs(per_side["left"] - per_side["right"])
        if asym > ctx.thresholds.pelvic_asymmetry_watch_deg:
            notes.append(
                f"left and right differ by {asym:.1f} deg (more than the {ctx.thresholds.pelvic_asymmetry_watch_deg:g}"
                " deg smallest detectable difference, Dingenen 2018)"
            )
            if verdict == "good":
                verdict = "watch"
    hip_w = float(np.median(widths)) if widths else float("nan")
    if math.isfinite(hip_w) and hip_w < ctx.thresholds.pelvic_min_hip_width_px:
        notes.append(
            f"the runner is small (hips {hip_w:.0f} px apart, under {ctx.thresholds.pelvic_min_hip_width_px:.0f} px): each pixel of "
            "landmark error is about a degree; film closer for a reliable pelvic angle"
        )
    notes.append(IMAGE_NOTE if from_image else HIP_LANDMARK_NOTE)
    return MetricResult(
        id="pelvic_tilt_deg",
        value=rounded(value),
        unit=unit,
        verdict=verdict,
        evidence=bands.evidence,
        n_steps=n,
        spread=rounded(spread),
        per_side={k: rounded(v) for k, v in per_side.items()},
        per_step=tuple(rounded(v) for v in per_step),
        note="; ".join(notes),
        interval=None if interval is None else written_interval(interval, 1, bands.verdict),
        extra={
            "peak_per_side": {k: rounded(v) for k, v in peak_side.items()},
            "peak": rounded(median_or_none(peaks)),
            "asymmetry_deg": rounded(asym),
            "hip_width_px": rounded(hip_w, 0),
            "low_confidence": True,
            "source": "image" if from_image else "hip_landmarks",
            "peak_source": "hip_landmarks",
            "hip_landmarks_value": rounded(landmark_value),
            "hip_landmarks_per_side": {k: rounded(v) for k, v in landmark_side.items()},
        },
    )


def _knee_medial_fraction(ctx: MetricContext, step: Step, t: float) -> float:
    """How far the stance knee sits inside the hip-ankle line at ``t``, as a fraction of hip width (+ = toward
    the midline). Only an appearance (METRICS.md 5.4): never reported as a valgus angle."""
    hip, knee, ankle = (ctx.at(f"{step.side}_{p}", t) for p in ("hip", "knee", "ankle"))
    w = _hip_width_px(ctx, t)
    if not (np.all(np.isfinite([*hip, *knee, *ankle])) and w > 0) or abs(ankle[1] - hip[1]) < 1:
        return float("nan")
    f = (knee[1] - hip[1]) / (ankle[1] - hip[1])
    line_x = hip[0] + f * (ankle[0] - hip[0])
    return float(-_sigma(ctx, step, t) * (knee[0] - line_x) / w)


@metric("step_width")
def step_width(ctx: MetricContext) -> MetricResult:
    """Stance-heel lateral offset from the hip centre at midstance, % of hip width at that moment (METRICS.md 5.5):
    LD = sigma * (heel.X - hip_mid.X) / w_hip. LD <= 0 is a crossover. The stance knee's position against the
    hip-ankle line is reported as an appearance only (METRICS.md 5.4)."""
    unit = "%hip width"
    bands = ctx.thresholds.step_width_pct
    if ctx.view == "side":
        return not_applicable("step_width", unit, NEEDS_FRONTAL, bands.evidence)
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    knee_in = {"left": [0, 0], "right": [0, 0]}  # [appears inward, measured]
    for i, st in enumerate(steps):
        if not st.valid or st.midstance_s is None:
            continue
        t = st.midstance_s
        heel = ctx.at(f"{st.side}_heel", t)
        if not np.all(np.isfinite(heel)):
            heel = ctx.at(f"{st.side}_ankle", t)
        w = _hip_width_px(ctx, t)
        if np.all(np.isfinite(heel)) and w > 0:
            per_step[i] = 100.0 * _sigma(ctx, st, t) * (heel[0] - ctx.hip_mid_at(t)[0]) / w
        k = _knee_medial_fraction(ctx, st, t)
        if math.isfinite(k):
            knee_in[st.side][1] += 1
            knee_in[st.side][0] += int(k > ctx.thresholds.knee_medial_fraction)
    value, spread, per_side, n = per_step_summary(steps, per_step)
    if value is None:
        return not_applicable("step_width", unit, "the feet were not tracked at midstance", bands.evidence)
    crossovers = sum(1 for v in per_step if v is not None and v <= 0)
    notes = ["distance of the stance heel from the body's midline at midstance; 0 or below = crossover"]
    if crossovers:
        notes.append(f"the foot landed on or across the midline in {crossovers} of {n} steps")
    appearance = {}
    for side, (inward, n_measured) in knee_in.items():
        if n_measured:
            appearance[side] = f"{inward} of {n_measured} steps"
    if any(v[0] for v in knee_in.values()):
        notes.append(
            "the knee appears to move inside the hip-ankle line at midstance ("
            + ", ".join(f"{s} {a}" for s, a in appearance.items())
            + "); an appearance only: 2D knee angles do not measure knee valgus (METRICS.md 5.4)"
        )
    # A heel-to-midline distance in % of hip width: landmark error in pixels grows with a small runner.
    widths = [
        w
        for st in steps
        if st.valid and st.midstance_s is not None
        for w in [_hip_width_px(ctx, st.midstance_s)]
    ]
    widths = [w for w in widths if math.isfinite(w) and w > 0]
    size_sd = (
        100.0 * math.sqrt(2.0) * ctx.uncertainty.landmark_sd_px / float(np.median(widths)) if widths else 0.0
    )
    verdict, interval = judge(
        ctx, "step_width", value, headline_pool(steps, per_step), bands.verdict, extra_sd=size_sd
    )
    return measured(
        "step_width",
        unit,
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=n,
        spread=spread,
        per_side=per_side,
        per_step=per_step,
        note="; ".join(notes),
        extra={"crossover_steps": crossovers, "knee_collapse_appearance": appearance},
    )


@metric("arm_crossover_pct")
def arm_crossover_pct(ctx: MetricContext) -> MetricResult:
    """Share of the analysed strides during which a wrist is across the body midline (METRICS.md 5.6):
    sigma_arm * (wrist.X - shoulder_mid.X) / shoulder_width < 0, sigma_arm = the image side of that arm's
    shoulder. Per side: that wrist alone; per step: the share within the step."""
    unit = "% of stride"
    bands = ctx.thresholds.arm_crossover_pct
    if ctx.view == "side":
        return not_applicable("arm_crossover_pct", unit, NEEDS_FRONTAL, bands.evidence)
    valid = [s for s in ctx.steps() if s.valid]
    if len(valid) < 2:
        return not_applicable("arm_crossover_pct", unit, "too few valid steps", bands.evidence)
    tr = ctx.traj
    sl = ctx.frames_between(valid[0].contact_s, valid[-1].contact_s)
    ls, rs = tr.point("left_shoulder")[sl], tr.point("right_shoulder")[sl]
    mid_x = 0.5 * (ls[:, 0] + rs[:, 0])
    width = np.abs(ls[:, 0] - rs[:, 0])
    crossed = {}
    ok_all = np.isfinite(mid_x) & (width > 0)
    for side, sh in (("left", ls), ("right", rs)):
        wrist = tr.point(f"{side}_wrist")[sl, 0]
        sigma = np.sign(sh[:, 0] - mid_x)
        rel = sigma * (wrist - mid_x) / np.where(width > 0, width, np.nan)
        ok_all &= np.isfinite(rel)
        crossed[side] = rel < 0
    if ok_all.sum() < 3:
        return not_applicable("arm_crossover_pct", unit, "the wrists were not tracked", bands.evidence)
    either = (crossed["left"] | crossed["right"])[ok_all]
    value = 100.0 * float(either.mean())
    per_side = {s: rounded(100.0 * float(c[ok_all].mean())) for s, c in crossed.items()}
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    t_sl = tr.time_s[sl]
    both = crossed["left"] | crossed["right"]
    for i in range(len(steps) - 1):
        if not steps[i].valid:
            continue
        m = (t_sl >= steps[i].contact_s) & (t_sl < steps[i + 1].contact_s) & ok_all
        if m.sum():
            per_step[i] = 100.0 * float(both[m].mean())
    verdict, interval = judge(
        ctx, "arm_crossover_pct", value, per_step, bands.verdict, lambda a: a.mean(axis=-1)
    )
    return measured(
        "arm_crossover_pct",
        unit,
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=sum(v is not None for v in per_step),
        spread=iqr_or_none(per_step),
        per_side=per_side,
        per_step=per_step,
        note="share of the time, over the analysed strides, with a wrist across the body's midline",
    )
