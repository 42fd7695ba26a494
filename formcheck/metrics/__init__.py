"""One pure function per metric, registered in one registry; ``compute_metrics`` runs those that apply."""

from __future__ import annotations

import dataclasses

# Importing a metric module registers its metrics.
from formcheck.metrics import (  # noqa: F401
    arms,
    cadence,
    foot_strike,
    frontal,
    frontal_legs,
    head_shoulders,
    hip_extension,
    overstride,
    posture,
    stance,
)
from formcheck.metrics.aggregate import not_applicable
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import REGISTRY, ordered_specs
from formcheck.metrics.uncertainty import (
    EVENT_INSTANT_METRICS,
    NO_INTERVALS,
    TIMING_HALF_WIDTHS,
    timing_half_widths,
)
from formcheck.model import MetricResult

__all__ = ["MetricContext", "REGISTRY", "compute_metrics", "withhold_verdicts"]


def compute_metrics(ctx: MetricContext) -> dict[str, MetricResult]:
    """Every registered metric in OUTPUTS.md order, each with its interval (metrics/uncertainty.py); one that does
    not apply to this view is n/a with a note. The metrics read at an event's instant are first computed on events
    shifted one timing error earlier and later, to measure how much event timing alone moves each value."""
    shift_s = ctx.uncertainty.timing_sd_frames / ctx.fps
    earlier, later = (
        _values(_compute(_shifted_context(ctx, delta), only=EVENT_INSTANT_METRICS))
        for delta in (-shift_s, shift_s)
    )
    ctx.shared[TIMING_HALF_WIDTHS] = timing_half_widths(earlier, later)
    results = _compute(ctx)
    return {k: _judged_with_interval(m, results) for k, m in results.items()}


TOO_FEW_TO_JUDGE = (
    "too few steps measured to know how sure the value is, so no verdict: film at least 6 s of steady running "
    "(about 16 steps)"
)


def _judged_with_interval(m: MetricResult, results: dict[str, MetricResult]) -> MetricResult:
    """A verdict needs an interval: a metric judged on fewer than three
    steps with no systematic error term has none, and its verdict becomes n/a with the reason."""
    if m.verdict == "n/a" or m.interval is not None or m.extra.get("verdict_interval") is not None:
        return m
    source = REGISTRY[m.id].interval_from if m.id in REGISTRY else None
    if source is not None and results.get(source) is not None and results[source].interval is not None:
        return m
    return dataclasses.replace(
        m, verdict="n/a", note=f"{m.note}; {TOO_FEW_TO_JUDGE}" if m.note else TOO_FEW_TO_JUDGE
    )


def _shifted_context(ctx: MetricContext, delta_s: float) -> MetricContext:
    """A fresh context whose every event time is moved by ``delta_s``; it computes values only, no intervals."""
    steps = tuple(
        dataclasses.replace(
            st,
            contact_s=st.contact_s + delta_s,
            toe_off_s=None if st.toe_off_s is None else st.toe_off_s + delta_s,
            midstance_s=None if st.midstance_s is None else st.midstance_s + delta_s,
        )
        for st in ctx.events.steps
    )
    return dataclasses.replace(
        ctx,
        events=dataclasses.replace(ctx.events, steps=steps),
        done={},
        shared={NO_INTERVALS: True},
        _leg_series=ctx._leg_series,
    )


def _values(results: dict[str, MetricResult]) -> dict[str, float | None]:
    """Each numeric value, and each numeric extra as ``<metric id>.<key>``."""
    out: dict[str, float | None] = {}
    for k, m in results.items():
        out[k] = m.value if isinstance(m.value, (int, float)) else None
        for key, v in m.extra.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[f"{k}.{key}"] = v
    return out


def _compute(ctx: MetricContext, only: frozenset[str] | None = None) -> dict[str, MetricResult]:
    done: dict[str, MetricResult] = ctx.done
    for spec in ordered_specs():
        if only is not None and spec.id not in only:
            continue
        if spec.fn is None:
            raise RuntimeError(f"metric {spec.id!r} has a registry entry but no @metric compute function")
        if ctx.view in spec.views or ctx.view in spec.explains_na_in:
            done[spec.id] = spec.fn(ctx)
        else:
            other = "a side view" if ctx.view != "side" else "a rear or front view"
            done[spec.id] = not_applicable(
                spec.id, spec.unit, f"not measurable from a {ctx.view} view: needs {other}"
            )
    return dict(done)


def withhold_verdicts(metrics: dict[str, MetricResult], reason: str) -> dict[str, MetricResult]:
    """The same values with every verdict ``n/a`` and ``reason`` added to the note: for clips whose steps cannot be
    trusted, a value may still help a coach, a verdict would mislead."""
    return {
        k: m
        if m.verdict == "n/a"
        else dataclasses.replace(m, verdict="n/a", note=f"{m.note}; {reason}" if m.note else reason)
        for k, m in metrics.items()
    }
