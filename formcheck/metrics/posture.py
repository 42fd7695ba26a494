"""Trunk lean (METRICS.md 4.8), and pelvic tilt, which a side view cannot measure (5.7).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from formcheck.metrics.aggregate import (
    median_or_none,
    not_applicable,
    rounded,
)
from formcheck.metrics.common import (
    clean_values,
    finite_only,
    step_metric,
    theta_up_deg,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult
from formcheck.skeleton import INDEX

# --- 4.8 trunk lean ----------------------------------------------------------------------------------------------


@metric("trunk_lean_deg")
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
    return step_metric(
        ctx,
        "trunk_lean_deg",
        "deg",
        clean_values(per_step),
        bands.verdict,
        bands.evidence,
        note="BlazePose hips are joint centres, not pelvis markers: expect a few degrees' bias against lab values",
        near_only=False,
        extra={"at_midstance_deg": rounded(median_or_none(finite_only(ctx, at_mid)))},
    )


# --- views that cannot give a metric -----------------------------------------------------------------------------


@metric("pelvic_tilt_deg")
def pelvic_tilt_side(ctx: MetricContext) -> MetricResult:
    """In side view pelvic drop is frontal-plane motion the camera cannot see; sagittal pelvic tilt is not
    measurable from BlazePose at all (METRICS.md 5.7). Frontal views replace this with a measurement."""
    from formcheck.metrics.frontal import pelvic_tilt_deg

    if ctx.view != "side":
        return pelvic_tilt_deg(ctx)
    return dataclasses.replace(
        not_applicable("pelvic_tilt_deg", "deg", SIDE_VIEW_PELVIS_NOTE, "H"),
        extra={"reason": "side_view", "see_instead": ["thigh_extension_deg", "trunk_lean_deg"]},
    )


# The side-view pelvic-tilt card, in plain words (docs/pelvic_tilt_side_view.md).
SIDE_VIEW_PELVIS_NOTE = (
    "Not measured from the side. The pelvis dropping to one side only shows in a rear or front view: film a "
    "clip from behind to check it. The pelvis tipping forward or back, and how arched or rounded the back is, "
    "cannot be read reliably from video: the points the pose model finds are the hip joints, not the bony points "
    "of the pelvis or the spine, and the outline of the back and buttocks changes with clothing and build "
    "(METRICS.md 5.7; docs/pelvic_tilt_side_view.md). From the side, see thigh extension (tight hip flexors) and "
    "trunk lean instead."
)
