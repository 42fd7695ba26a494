"""One pure function per metric, registered in one registry; ``compute_metrics`` runs those that apply."""

from __future__ import annotations

# Importing a metric module registers its metrics.
from formcheck.metrics import arms, cadence, foot_strike, frontal, overstride, posture, stance  # noqa: F401
from formcheck.metrics.aggregate import not_applicable
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import REGISTRY, ordered_specs
from formcheck.model import MetricResult

__all__ = ["MetricContext", "REGISTRY", "compute_metrics", "withhold_verdicts"]


def compute_metrics(ctx: MetricContext) -> dict[str, MetricResult]:
    """Every registered metric in OUTPUTS.md order; one that does not apply to this view is n/a with a note."""
    done: dict[str, MetricResult] = ctx.done
    for spec in ordered_specs():
        if spec.fn is None:
            raise RuntimeError(f"metric {spec.id!r} has a registry entry but no @metric compute function")
        if ctx.view in spec.views:
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
    import dataclasses

    return {
        k: m
        if m.verdict == "n/a"
        else dataclasses.replace(m, verdict="n/a", note=f"{m.note}; {reason}" if m.note else reason)
        for k, m in metrics.items()
    }
