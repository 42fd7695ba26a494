"""The metric registry: every metric is one pure function ``f(ctx) -> MetricResult`` registered under its id.

Functions run in registration order, and each sees the results before it in ``ctx.done`` (overstride's verdict
feeds foot strike and knee flexion at contact)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from formcheck.metrics.context import MetricContext
from formcheck.model import MetricResult

MetricFn = Callable[[MetricContext], MetricResult]


@dataclass(frozen=True)
class MetricSpec:
    id: str
    unit: str
    views: tuple[str, ...]
    fn: MetricFn
    headline: bool = False


REGISTRY: dict[str, MetricSpec] = {}

# The order of OUTPUTS.md's metric table; metrics are computed and reported in it (later ones may read earlier
# ones' results: overstride reads the shank angle, foot strike and knee flexion read overstride).
METRIC_ORDER: tuple[str, ...] = (
    "cadence_spm",
    "shank_angle_ic_deg",
    "overstride_distance",
    "foot_strike_angle_deg",
    "foot_strike_type",
    "trunk_lean_deg",
    "knee_flexion_ic_deg",
    "knee_flexion_midstance_deg",
    "vertical_oscillation",
    "arm_swing_deg",
    "elbow_angle_deg",
    "ground_contact_ms",
    "pelvic_tilt_deg",
    "lateral_trunk_lean_deg",
    "step_width",
    "arm_crossover_pct",
)


def ordered_specs() -> list[MetricSpec]:
    """Registered metrics in METRIC_ORDER, then any others in registration order."""
    rank = {m: i for i, m in enumerate(METRIC_ORDER)}
    return sorted(REGISTRY.values(), key=lambda spec: rank.get(spec.id, len(rank)))


def metric(
    id: str, unit: str, views: tuple[str, ...], headline: bool = False
) -> Callable[[MetricFn], MetricFn]:
    """Register a metric function under ``id`` for the given views."""

    def register(fn: MetricFn) -> MetricFn:
        if id in REGISTRY:
            raise ValueError(f"metric {id!r} registered twice")
        REGISTRY[id] = MetricSpec(id=id, unit=unit, views=views, fn=fn, headline=headline)
        return fn

    return register
