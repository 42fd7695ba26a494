"""How sure a metric is: an interval around each value, and verdicts that respect it.

A metric's interval combines, side by side:

- the spread over steps: a percentile bootstrap of the headline statistic over the steps it was taken from
  (a seeded generator, so the same steps always give the same interval);
- event timing: contacts on real footage are placed with an error of about a frame (measured against contacts
  labelled by eye, ``benchmarks/score_contacts.py``). ``compute_metrics`` computes every metric again with all
  events shifted by +- that error; the change is how much timing alone can move the value. It grows as the frame
  rate falls, and with how fast the measured quantity changes around the event;
- landmark error: BlazePose's known biases (METRICS.md 10) for the metrics they affect, as a standard deviation in
  the metric's unit (``config.UncertaintySettings.landmark_sd``).

The bootstrap half-widths and the two systematic terms are added in quadrature on each side of the value.

Verdicts: a value whose interval reaches across the ``flag`` cut-off is ``borderline``: the clip cannot tell whether
it is beyond it. ``flag`` is given only when the whole interval lies beyond the cut-off (METRICS.md 4.3: "a value
within measurement error of a cut-off is borderline, not a flag").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from formcheck.metrics.aggregate import finite
from formcheck.metrics.context import MetricContext

Z_95 = 1.959964  # two-sided 95% normal quantile
# Keys of MetricContext.shared: the timing half-widths of this clip's metrics, and the flag set while metrics are
# computed on shifted events (only their values are needed then).
TIMING_HALF_WIDTHS = "timing_half_widths"
# Metrics read at one event's instant (contact, midstance, toe-off), whose values move with that event's timing;
# metrics averaged over a stance, a stride or a swing move little with it and get no timing term. In registry
# order, so that one reading another's verdict (foot strike reads overstride) finds it computed.
EVENT_INSTANT_METRICS = frozenset(
    {
        "cadence_spm",
        "shank_angle_ic_deg",
        "overstride_distance",
        "foot_strike_angle_deg",
        "foot_strike_type",
        "knee_flexion_ic_deg",
        "ground_contact_ms",
        "pelvic_tilt_deg",
        "lateral_trunk_lean_deg",
        "step_width",
        "knee_collapse_deg",
        "hip_adduction_deg",
        "thigh_extension_deg",
    }
)
NO_INTERVALS = "no_intervals"


def bootstrap_interval(
    values: Sequence[float | None],
    statistic: Callable[[np.ndarray], np.ndarray] = lambda a: np.median(a, axis=-1),
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``statistic`` (applied along the last axis) over ``values``; None for
    fewer than three finite values."""
    arr = finite(values)
    if arr.size < 3:
        return None
    rng = np.random.default_rng(seed)
    samples = arr[rng.integers(0, arr.size, size=(n_boot, arr.size))]
    stats = statistic(samples)
    tail = 100.0 * (1.0 - level) / 2.0
    lo, hi = np.percentile(stats, [tail, 100.0 - tail])
    return float(lo), float(hi)


def combine(
    value: float, spread_interval: tuple[float, float] | None, systematic_half_widths: Sequence[float]
) -> tuple[float, float] | None:
    """The value's interval: bootstrap half-widths on each side and systematic half-widths added in quadrature."""
    sys2 = sum(h * h for h in systematic_half_widths if h and math.isfinite(h))
    if spread_interval is None:
        if sys2 == 0:
            return None
        return value - math.sqrt(sys2), value + math.sqrt(sys2)
    lo, hi = spread_interval
    below = max(0.0, value - lo)
    above = max(0.0, hi - value)
    return value - math.sqrt(below * below + sys2), value + math.sqrt(above * above + sys2)


def interval_verdict(
    verdict_of: Callable[[float], str], value: float, interval: tuple[float, float] | None
) -> str:
    """The verdict of ``value``, or ``borderline`` when its interval reaches across the flag cut-off."""
    point = verdict_of(value)
    if interval is None or point == "n/a":
        return point
    lo, hi = interval
    probes = np.linspace(lo, hi, 9)
    verdicts = {verdict_of(float(v)) for v in probes} | {point}
    if "flag" in verdicts and verdicts != {"flag"}:
        return "borderline"
    return point


def timing_half_widths(earlier: dict[str, float | None], later: dict[str, float | None]) -> dict[str, float]:
    """95% half-width per metric from values computed with events shifted one timing error earlier and later."""
    out = {}
    for mid, a in earlier.items():
        b = later.get(mid)
        if a is None or b is None:
            continue
        out[mid] = Z_95 * 0.5 * abs(b - a)
    return out


def judge(
    ctx: MetricContext,
    metric_id: str,
    value: float,
    pool: Sequence[float | None],
    verdict_of: Callable[[float], str],
    statistic: Callable[[np.ndarray], np.ndarray] = lambda a: np.median(a, axis=-1),
    extra_sd: float = 0.0,
) -> tuple[str, tuple[float, float] | None]:
    """The verdict and interval of a metric's headline ``value`` taken from ``pool`` (its steps' values);
    ``extra_sd`` is a further systematic error in the metric's unit (e.g. from the runner's size in pixels)."""
    if ctx.shared.get(NO_INTERVALS):
        return verdict_of(value), None
    u = ctx.uncertainty
    spread = bootstrap_interval(pool, statistic, n_boot=u.n_bootstrap, level=u.level)
    timing = ctx.shared.get(TIMING_HALF_WIDTHS, {})
    landmark = Z_95 * u.landmark_sd.get(metric_id, 0.0)
    interval = combine(value, spread, [timing.get(metric_id, 0.0), landmark, Z_95 * extra_sd])
    return interval_verdict(verdict_of, value, interval), interval
