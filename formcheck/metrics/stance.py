"""Knee flexion at contact and midstance, vertical oscillation, ground contact (METRICS.md 4.2, 4.5, 4.6, 4.9).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import numpy as np

from formcheck.geometry import joint_angle_deg
from formcheck.metrics.aggregate import (
    not_applicable,
    rounded,
)
from formcheck.metrics.common import (
    LOW_FPS_NOTE,
    clean_values,
    knee_flexion_at_contact,
    step_metric,
    with_changes,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult
from formcheck.skeleton import INDEX

# --- 4.5, 4.6 knee flexion ---------------------------------------------------------------------------------------


@metric("knee_flexion_ic_deg")
def knee_flexion_ic_deg(ctx: MetricContext) -> MetricResult:
    """180 - angle(hip, knee, ankle) at contact. Watch below 10 deg only together with an overstride flag (H)."""
    per_step = [knee_flexion_at_contact(ctx, st.side, st.contact_s) for st in ctx.steps()]
    over = ctx.done.get("overstride_distance")
    overstriding = over is not None and over.verdict == "flag"
    limit = ctx.thresholds.knee_flexion_ic_watch_below_deg
    return step_metric(
        ctx,
        "knee_flexion_ic_deg",
        "deg",
        clean_values(per_step),
        lambda v: "watch" if (v < limit and overstriding) else "good",
        "H",
        note="norm ~21 deg (3D treadmill running); between-day 2D prediction interval 9-14 deg (Damsted 2015)",
    )


def peak_of_hump(time_s: np.ndarray, values: np.ndarray, half_window_s: float) -> float | None:
    """The top of a sampled hump: the vertex of a least-squares parabola through the samples within
    ``half_window_s`` of the highest one (kept between those samples); the highest sample when fewer than three
    are there or they do not bend down. Reads a peak that falls between frames without taking the single highest
    noisy frame, which biases a peak upward the more frames there are (docs/landmark-biases.md)."""
    ok = np.isfinite(values)
    if not ok.any():
        return None
    i_top = int(np.nanargmax(values))
    dt = time_s - time_s[i_top]
    near = ok & (np.abs(dt) <= half_window_s + 1e-9)
    if near.sum() < 3:
        return float(values[i_top])
    curve = np.polyfit(dt[near], values[near], 2)
    if curve[0] >= 0.0:
        return float(values[i_top])
    t_top = float(np.clip(-curve[1] / (2.0 * curve[0]), dt[near].min(), dt[near].max()))
    return float(np.polyval(curve, t_top))


@metric("knee_flexion_midstance_deg")
def knee_flexion_midstance_deg(ctx: MetricContext) -> MetricResult:
    """Peak knee flexion between contact and toe-off (METRICS.md 4.6), from the less-smoothed tracks: the 6 Hz
    tracks of a 30 fps clip flatten the peak by 2 deg on exact landmarks (docs/landmark-biases.md)."""
    track = ctx.contact_traj if ctx.contact_traj is not None else ctx.traj
    half_window_s = ctx.thresholds.knee_flexion_peak_fit_half_window_s
    per_step: list[float | None] = []
    for st in ctx.steps():
        end = st.toe_off_s if st.toe_off_s else (st.midstance_s or st.contact_s) + 0.05
        seg_slice = ctx.frames_between(st.contact_s, end)
        xy = track.xy_px[seg_slice]
        if len(xy) == 0:
            per_step.append(None)
            continue
        flex = 180.0 - joint_angle_deg(
            xy[:, INDEX[f"{st.side}_hip"]], xy[:, INDEX[f"{st.side}_knee"]], xy[:, INDEX[f"{st.side}_ankle"]]
        )
        per_step.append(peak_of_hump(track.time_s[seg_slice], flex, half_window_s))
    bands = ctx.thresholds.knee_flexion_midstance_deg
    if not bands.judges:
        # Described, not judged (config.Thresholds.knee_flexion_midstance_deg, docs/verdicts.md).
        return step_metric(
            ctx,
            "knee_flexion_midstance_deg",
            "deg",
            clean_values(per_step),
            lambda v: "n/a",
            bands.evidence,
            note=KNEE_MIDSTANCE_NOTE,
        )
    over = ctx.done.get("overstride_distance")
    overstriding = over is not None and over.verdict == "flag"

    def verdict(v: float) -> str:
        # A coach's bands (--config): a stiff knee alone is 'watch'; 'flag' only together with an overstride
        # (METRICS.md 4.6: peak flexion falls with step rate, and 36 deg was seen in healthy runners).
        b = bands.verdict(v)
        return "watch" if b == "flag" and not overstriding else b

    return step_metric(
        ctx, "knee_flexion_midstance_deg", "deg", clean_values(per_step), verdict, bands.evidence
    )


# The knee's bend at midstance is described with the healthy range it is read against, with no verdict.
KNEE_MIDSTANCE_NOTE = "descriptive, no verdict: healthy runners bend about 36-44 deg at most; it varies with speed and step rate (N)"


# --- 4.9 vertical oscillation ------------------------------------------------------------------------------------


@metric("vertical_oscillation")
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
    res = step_metric(
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
        res = with_changes(res, value_cm=rounded(float(res.value) / 100.0 * ctx.leg_length_cm))
    return res


# --- 4.2 ground contact ------------------------------------------------------------------------------------------


@metric("ground_contact_ms")
def ground_contact_ms(ctx: MetricContext) -> MetricResult:
    """Toe-off minus contact, ms. Descriptive only: no threshold exists (Van Hooren 2024), so the verdict is n/a."""
    if not ctx.timing_valid:
        return not_applicable("ground_contact_ms", "ms", ctx.timing_note, "N")
    per_step = [None if st.contact_time_s is None else st.contact_time_s * 1000.0 for st in ctx.steps()]
    note = "descriptive, no threshold (N)"
    if ctx.low_fps:
        note += "; " + LOW_FPS_NOTE.format(limit=ctx.gait.low_confidence_fps, fps=ctx.fps, ms=1000 / ctx.fps)
    res = step_metric(
        ctx, "ground_contact_ms", "ms", per_step, lambda v: "n/a", "N", note=note, near_only=False, digits=0
    )
    stride = ctx.events.stride_time_s
    if res.value is not None and stride:
        res = with_changes(res, extra={"duty_factor": rounded(float(res.value) / 1000.0 / stride, 3)})
    return res
