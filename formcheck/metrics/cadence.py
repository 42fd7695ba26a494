"""Cadence and step time (METRICS.md 4.1).

Signs as in formcheck.metrics.common: ``s`` = ctx.direction, + = forward; image y points down.
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics.aggregate import (
    iqr_or_none,
    measured,
    not_applicable,
    symmetry_index_pct,
)
from formcheck.metrics.common import (
    robust_mean,
)
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.metrics.uncertainty import judge
from formcheck.model import MetricResult


@metric("cadence_spm")
def cadence_spm(ctx: MetricContext) -> MetricResult:
    """Steps per minute from the time between successive contacts of opposite feet (METRICS.md 4.1).

    METRICS.md takes 60 / the median step time. Two changes, both measured: at 30 fps step times are whole frames
    (11 or 10 frames at ~165 spm) and their median is off by up to 5%, so the mean after removing outliers is
    used; and a foot whose contacts are timed early (frontal views, the far leg) alternates short and long steps,
    so the mean is taken over two-step strides (120 / stride), which cancels that bias."""
    bands = ctx.thresholds.cadence_spm_at_speed
    steps = ctx.steps()
    per_step: list[float | None] = [None] * len(steps)
    by_side: dict[str, list[float]] = {"left": [], "right": []}
    step_times = []
    for i in range(1, len(steps)):
        prev, cur = steps[i - 1], steps[i]
        if cur.valid and prev.valid and prev.side != cur.side:
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
    interval_pool: list[float] = []
    if len(strides) >= 2:
        value = 120.0 / robust_mean(strides)
        interval_pool = strides
    elif len(step_times) >= 2:
        value = 60.0 / robust_mean(step_times)
    else:  # fall back to same-foot stride times: 120 / median stride time
        # Only strides of two plausible steps: two valid contacts of one foot with missed steps between them are
        # several strides apart (two joggers in front of the camera read 38 steps/min).
        lo, hi = (2.0 * t for t in ctx.gait.step_time_s)
        strides = [
            b.contact_s - a.contact_s
            for side in ("left", "right")
            for a, b in zip(
                [st for st in steps if st.side == side and st.valid],
                [st for st in steps if st.side == side and st.valid][1:],
                strict=False,
            )
            if lo <= b.contact_s - a.contact_s <= hi
        ]
        if not strides:
            return not_applicable(
                "cadence_spm", "steps/min", "fewer than two consecutive steps", bands.evidence
            )
        value = 120.0 / float(np.median(strides))
        note = "from stride times of each foot (too few alternating steps)"
    per_side = {s: (60.0 / robust_mean(v) if v else None) for s, v in by_side.items()}
    note = (note + "; " if note else "") + "bands valid near 3 m/s; a +5-10% change is the better target"
    asymmetry = symmetry_index_pct(per_side["left"], per_side["right"])
    if asymmetry is not None and asymmetry > ctx.thresholds.step_time_asymmetry_note_pct:
        note += (
            f"; the steps onto the left and right foot differ by {asymmetry:.0f}% "
            f"({per_side['left']:.0f} and {per_side['right']:.0f} steps/min): one foot's landings are probably "
            "placed late or early, which the stride-based cadence cancels"
        )
    verdict, interval = judge(
        ctx,
        "cadence_spm",
        value,
        interval_pool,
        bands.verdict,
        statistic=lambda a: 120.0 / np.mean(a, axis=-1),
    )
    return measured(
        "cadence_spm",
        "steps/min",
        value,
        verdict,
        bands.evidence,
        interval=interval,
        band_of=bands.verdict,
        n_steps=len(step_times),
        spread=iqr_or_none(per_step),
        per_side=per_side,
        per_step=per_step,
        note=note,
    )
