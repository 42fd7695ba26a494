"""Rear/front views: the appearance of knee collapse (METRICS.md 5.4), hip adduction (5.3) and torso twist (5.6).

Sides and signs as in formcheck.metrics.frontal: a step's ``side`` is the stance foot, ``sigma`` = +1 when the
stance hip is on image-right, so the same code serves a rear view and a (mirrored) front view. + = toward the
body's midline.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from formcheck.gait.frontal import pelvis_reading_time_s
from formcheck.geometry import joint_angle_deg
from formcheck.metrics.aggregate import median_or_none, not_applicable, rounded
from formcheck.metrics.common import step_metric, with_changes
from formcheck.metrics.context import MetricContext
from formcheck.metrics.frontal import _other, _sigma, image_pelvis_line
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult, Step


def _finite(*pts: np.ndarray) -> bool:
    return all(np.all(np.isfinite(p)) for p in pts)


def fppa_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, sigma: float) -> float:
    """Frontal-plane projection angle 180 - angle(hip, knee, ankle), + when the knee is on the midline side of
    the hip-ankle line (METRICS.md 5.4); ``sigma`` = +1 when this leg's hip is on image-right of the other."""
    if not _finite(hip, knee, ankle) or abs(ankle[1] - hip[1]) < 1:
        return float("nan")
    bend = 180.0 - float(joint_angle_deg(hip, knee, ankle))
    f = (knee[1] - hip[1]) / (ankle[1] - hip[1])
    line_x = hip[0] + f * (ankle[0] - hip[0])
    return bend if -sigma * (knee[0] - line_x) >= 0 else -bend


def hip_adduction_deg(hip_stance: np.ndarray, hip_swing: np.ndarray, knee_stance: np.ndarray) -> float:
    """HA = 90 - angle(Hsw - Hst, Kst - Hst) (METRICS.md 5.3); + = femur toward the midline against the pelvis."""
    if not _finite(hip_stance, hip_swing, knee_stance):
        return float("nan")
    return 90.0 - float(joint_angle_deg(hip_swing, hip_stance, knee_stance))


def _midstance_steps(ctx: MetricContext) -> list[tuple[int, Step, float]]:
    return [
        (i, st, st.midstance_s) for i, st in enumerate(ctx.steps()) if st.valid and st.midstance_s is not None
    ]


@metric("knee_collapse_deg")
def knee_collapse_deg(ctx: MetricContext) -> MetricResult:
    """How far the stance knee appears to fall inside the hip-ankle line at midstance: the knee's frontal-plane
    projection angle, + = knee toward the midline (METRICS.md 5.4). An appearance only: 2D knee angles do not
    measure knee valgus (no relation to 3D in running, Dingenen) and say nothing about the foot's pronation."""
    unit = "deg"
    bands = ctx.thresholds.knee_collapse_deg
    per_step: list[float | None] = [None] * len(ctx.steps())
    for i, st, t in _midstance_steps(ctx):
        hip, knee, ankle = (ctx.at(f"{st.side}_{p}", t) for p in ("hip", "knee", "ankle"))
        v = fppa_deg(hip, knee, ankle, _sigma(ctx, st, t))
        per_step[i] = v if math.isfinite(v) else None
    if not any(v is not None for v in per_step):
        return not_applicable(
            "knee_collapse_deg", unit, "the legs were not tracked at midstance", bands.evidence
        )
    return step_metric(
        ctx,
        "knee_collapse_deg",
        unit,
        per_step,
        bands.verdict,
        bands.evidence,
        note="appearance of knee collapse: how far the knee seems to move inside the line from hip to ankle at "
        "midstance, + = toward the midline; an appearance on video only, not a measure of knee valgus or of the "
        "foot rolling in (METRICS.md 5.4)",
        near_only=False,
    )


@metric("hip_adduction_deg")
def hip_adduction(ctx: MetricContext) -> MetricResult:
    """Hip adduction at midstance: the stance femur against the pelvis line, + = toward the midline (METRICS.md
    5.3). When the pelvis line was measured from the picture (formcheck.pose.pelvis) it replaces the hip
    landmarks' line, which follows only a small part of a real pelvic drop (METRICS.md 10): HA = femoral adduction
    + pelvic drop. Informational (H): no cut-off exists, so the verdict is n/a."""
    unit = "deg"
    steps = ctx.steps()
    landmark_ha: list[float | None] = [None] * len(steps)
    image_ha: list[float | None] = [None] * len(steps)
    femoral: list[float | None] = [None] * len(steps)
    for i, st, t in _midstance_steps(ctx):
        hst, hsw, kst = (
            ctx.at(f"{st.side}_hip", t),
            ctx.at(f"{_other(st.side)}_hip", t),
            ctx.at(f"{st.side}_knee", t),
        )
        ha = hip_adduction_deg(hst, hsw, kst)
        if not math.isfinite(ha):
            continue
        landmark_ha[i] = ha
        sigma = _sigma(ctx, st, t)
        thigh = kst - hst
        femoral[i] = math.degrees(math.atan2(-sigma * float(thigh[0]), float(thigh[1])))
        # From behind the line is read at the frame at or before the lowest hip (pelvis_reading_time_s).
        t_img = pelvis_reading_time_s(st, "rear", ctx.traj.time_s) if ctx.view == "rear" else t
        tilt = image_pelvis_line(ctx, st, t_img or t)
        if tilt is not None and math.isfinite(tilt):
            image_ha[i] = femoral[i] + (-sigma * tilt)  # pelvic drop from the picture, + = swing side lower
    if not any(v is not None for v in landmark_ha):
        return not_applicable("hip_adduction_deg", unit, "the hips and knees were not tracked at midstance")
    from_image = sum(v is not None for v in image_ha) >= ctx.thresholds.pelvic_min_image_steps
    note = "femur against the pelvis line at midstance, + = toward the midline; informational, no published cut-off"
    note += (
        "; pelvis line from the picture (the waist edge), femur from the hip and knee landmarks"
        if from_image
        else "; pelvis line from the hip landmarks, which follow only part of a pelvic drop, so this understates "
        "hip adduction"
    )
    res = step_metric(
        ctx,
        "hip_adduction_deg",
        unit,
        image_ha if from_image else landmark_ha,
        lambda v: "n/a",
        "H",
        note=note,
        near_only=False,
    )
    return with_changes(
        res,
        extra={
            "source": "image" if from_image else "hip_landmarks",
            "hip_landmarks_value": rounded(median_or_none(landmark_ha)),
            "femoral_adduction_deg": rounded(median_or_none(femoral)),
        },
    )


def _turn_deg(width: np.ndarray, window_frames: int) -> np.ndarray:
    """Apparent turn of a body line about the vertical from its image length (METRICS.md 5.6): arccos(length /
    square-on length). The length is the 2D distance between the two landmarks, which a sideways tilt (pelvic
    drop, side lean) does not shorten; the square-on length is the longest within half a stride either side
    (there are no standing frames, and a runner who approaches or recedes changes size)."""
    w = np.where(np.isfinite(width), width, -np.inf)
    ref = sliding_window_view(np.pad(w, window_frames, mode="edge"), 2 * window_frames + 1).max(axis=-1)
    with np.errstate(all="ignore"):
        return np.degrees(np.arccos(np.clip(width / np.where(ref > 0, ref, np.nan), 0.0, 1.0)))


def _stride_peak_to_peak(ctx: MetricContext, turn: np.ndarray, t0: float, stride: float) -> float | None:
    """Peak-to-peak turn over one stride from ``t0``: the two lobes of the unsigned turn, one each way, split at
    the turn's smallest value in the first half-stride (where the line passes square-on)."""
    ts = ctx.traj.time_s
    first = ctx.frames_between(t0, t0 + stride / 2)
    seg = turn[first]
    if seg.size < 3 or not np.isfinite(seg).all():
        return None
    start = ts[first][int(np.argmin(seg))]
    lobes = []
    for a in (start, start + stride / 2):
        lobe = turn[ctx.frames_between(a, a + stride / 2)]
        if lobe.size < 3 or not np.isfinite(lobe).all() or a + stride / 2 > ts[-1]:
            return None
        lobes.append(float(lobe.max()))
    return sum(lobes)


@metric("torso_twist_deg")
def torso_twist_deg(ctx: MetricContext) -> MetricResult:
    """How far the shoulder line turns each stride, peak to peak, from its apparent width against its square-on
    width (METRICS.md 5.6 rotation proxy); the hip line's turn alike in ``extra``. Which way a line turns cannot
    be seen in 2D (BlazePose's depth is too rough), so the two are not subtracted. Informational (H, not
    validated): the verdict is n/a."""
    unit = "deg"
    stride = ctx.events.stride_time_s
    valid = [s for s in ctx.steps() if s.valid]
    if not stride or len(valid) < 2:
        return not_applicable("torso_twist_deg", unit, "too few valid steps")
    tr = ctx.traj
    half = max(2, int(round(0.5 * stride * ctx.fps)))
    sh_w = np.linalg.norm(tr.point("left_shoulder") - tr.point("right_shoulder"), axis=-1)
    hip_w = np.linalg.norm(tr.point("left_hip") - tr.point("right_hip"), axis=-1)
    sh_turn, hip_turn = _turn_deg(sh_w, half), _turn_deg(hip_w, half)
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    hips: list[float | None] = []
    for i, st in enumerate(steps):
        if st.valid:
            per_step[i] = _stride_peak_to_peak(ctx, sh_turn, st.contact_s, stride)
            hips.append(_stride_peak_to_peak(ctx, hip_turn, st.contact_s, stride))
    if not any(v is not None for v in per_step):
        return not_applicable("torso_twist_deg", unit, "no complete stride with the shoulders tracked")
    res = step_metric(
        ctx,
        "torso_twist_deg",
        unit,
        per_step,
        lambda v: "n/a",
        "H",
        note="how far the shoulder line turns each stride (one way and back), read from how its width narrows "
        "against the widest it appears within the same stride; informational. Low confidence: a proxy, not "
        "validated; BlazePose's shoulder points move with the arms, and a rendered runner whose shoulders do not "
        "turn at all read about 27 deg, so compare clips of the same runner filmed alike, never against a norm; "
        "the hip line's turn is in extra (weaker still: the hips are close together, and on exact landmarks an "
        "8 deg pelvic drop with no turn at all reads about 7 deg)",
        near_only=False,
    )
    return with_changes(res, extra={"hip_line_deg": rounded(median_or_none(hips)), "low_confidence": True})
