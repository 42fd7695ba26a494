"""Rear- and front-view metrics (METRICS.md section 5). In a side view each is n/a with the reason."""

from __future__ import annotations

from formcheck.metrics.aggregate import not_applicable
from formcheck.metrics.context import MetricContext
from formcheck.metrics.registry import metric
from formcheck.model import MetricResult

ALL_VIEWS = ("side", "rear", "front")
NEEDS_FRONTAL = "needs a rear or front view (film a second clip from behind or in front)"


def pelvic_tilt_deg(ctx: MetricContext) -> MetricResult:
    """Contralateral pelvic drop at midstance (METRICS.md 5.1). Frontal analysis is not built yet."""
    return not_applicable(
        "pelvic_tilt_deg", "deg", "rear/front analysis is not available in this version", "H"
    )


@metric("lateral_trunk_lean_deg", "deg", ALL_VIEWS)
def lateral_trunk_lean_deg(ctx: MetricContext) -> MetricResult:
    return not_applicable("lateral_trunk_lean_deg", "deg", NEEDS_FRONTAL, "H")


@metric("step_width", "%hip width", ALL_VIEWS)
def step_width(ctx: MetricContext) -> MetricResult:
    return not_applicable("step_width", "%hip width", NEEDS_FRONTAL, "E")


@metric("arm_crossover_pct", "% of stride", ALL_VIEWS)
def arm_crossover_pct(ctx: MetricContext) -> MetricResult:
    return not_applicable("arm_crossover_pct", "% of stride", NEEDS_FRONTAL, "H")
