"""Peak thigh extension in late stance (METRICS.md 4.7).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics.common import step_metric
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult


@metric("thigh_extension_deg")
def thigh_extension_deg(ctx: MetricContext) -> MetricResult:
    """The stance thigh's greatest angle behind vertical from midstance to toe-off:
    TE = -min(theta_dn(knee - hip)) (METRICS.md 4.7), the window extended by
    ``thigh_extension_after_toe_off_stride`` of a stride past the detected toe-off (the peak is at or just after
    toe-off, where the thigh turns forward, and toe-off is placed to within a frame or so). Informational (N):
    the verdict is n/a."""
    per_step: list[float | None] = []
    for st in ctx.steps():
        if not st.valid or st.midstance_s is None or st.toe_off_s is None:
            per_step.append(None)
            continue
        # The thigh is furthest back at or just after toe-off, when it is moving fastest, so the window runs a
        # little past the detected toe-off: a toe-off placed a frame early would otherwise cut the peak short.
        end = st.toe_off_s + ctx.thresholds.thigh_extension_after_toe_off_stride * (
            ctx.events.stride_time_s or 0.0
        )
        sl = ctx.frames_between(st.midstance_s, end)
        thigh = ctx.traj.point(f"{st.side}_knee")[sl] - ctx.traj.point(f"{st.side}_hip")[sl]
        ang = np.degrees(np.arctan2(ctx.direction * thigh[:, 0], thigh[:, 1]))
        ang = ang[np.isfinite(ang)]
        per_step.append(float(-ang.min()) if ang.size else None)
    return step_metric(
        ctx,
        "thigh_extension_deg",
        "deg",
        per_step,
        lambda v: "n/a",
        "N",
        note="how far the thigh swings behind vertical before the foot leaves the ground; this is the thigh "
        "against vertical, not hip extension against the pelvis (the pelvis's forward tilt cannot be seen in "
        "landmarks, METRICS.md 5.7). Informational: slow, compact runners show about 10° with no need to "
        "change (Souza 2016); reduced extension is often put down to tight hip flexors",
    )
