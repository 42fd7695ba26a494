"""The metric registry: one ``MetricSpec`` per metric, holding everything formcheck knows about a metric apart
from how to compute it: its title, unit, views, verdict bands, headline place, history participation, smallest
detectable difference and number format. The compute function ``f(ctx) -> MetricResult`` is bound to its entry
with ``@metric(id)`` in the module that computes it. A new metric is one entry in ``_SPECS`` plus its function.

Metrics are computed and reported in ``_SPECS`` order (OUTPUTS.md's metric table), and each function sees the
results before it in ``ctx.done`` (overstride reads the shank angle, foot strike and knee flexion read overstride).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from formcheck.config import Bands, Thresholds
from formcheck.metrics.context import MetricContext
from formcheck.metrics.display import fmt_number
from formcheck.model import MetricResult

MetricFn = Callable[[MetricContext], MetricResult]

SIDE: tuple[str, ...] = ("side",)
ALL_VIEWS: tuple[str, ...] = ("side", "rear", "front")
FRONTAL: tuple[str, ...] = ("rear", "front")


@dataclass(frozen=True)
class SDD:
    """Smallest detectable difference between two sessions: ``absolute`` in the metric's unit, or ``relative``
    (fraction of the earlier value), whichever is larger (METRICS.md 6)."""

    absolute: float = 0.0
    relative: float = 0.0
    source: str = ""

    def of(self, previous: float) -> float:
        return max(self.absolute, self.relative * abs(previous))


@dataclass(frozen=True)
class MetricSpec:
    """One metric: what it is called, where it applies, how it is judged, shown and followed over time."""

    id: str
    title: str  # the report's name for it
    unit: str
    views: tuple[str, ...]  # camera views it is measured in; n/a with a note in the others
    # Views it is not measured in whose n/a its own function explains (pelvic drop from the side: why, and what to
    # film instead); other views get a generic note.
    explains_na_in: tuple[str, ...] = ()
    short_title: str = ""  # video panel, roster and trend table; the title when empty
    # Place among the report's headline cards and on the side-view video panel.
    headline_rank: int | None = None
    frontal_panel_rank: int | None = None  # place on the rear/front-view video panel
    # The headline card this metric is part of: its finding speaks for that card when the card has none.
    headline_card: str | None = None
    bands: str | None = None  # the ``config.Thresholds`` attribute holding its verdict bands (None: no bands)
    # When the bands judge another quantity than the value: that quantity in words, and the key of
    # ``MetricResult.extra`` holding it per step (aligned with the step table).
    verdict_on: str = ""
    verdict_per_step: str | None = None
    verdict_unit: str = ""  # the unit of the quantity the verdict is on, when not the metric's own
    # A category judged from another metric's value (foot strike type from the foot angle): that metric, whose
    # interval is the verdict's.
    interval_from: str | None = None
    # A category: the ``MetricResult.extra`` key holding the 95% interval of the share that decides it (foot strike:
    # the share of heel landings). The athlete history calls a change of category only when those intervals of the
    # two sessions do not overlap (formcheck/history.py ``compare``).
    category_interval: str | None = None
    # The category whose share that interval is (foot strike: rearfoot). A change between two other categories
    # (midfoot and forefoot) is not measured by it: the history does not compare it (``n/a``).
    category_share_of: str | None = None
    # The ``MetricResult.extra`` key holding that share's value, %: the card shows it with its interval whatever the
    # category, so a runner whose type rests on a few steps sees how sure it is (side_21: midfoot on a share of
    # heel landings of 36%, likely 0 to 100%).
    category_share: str | None = None
    # Place among the metrics followed across sessions: summary.csv, the roster and the athlete history.
    history_rank: int | None = None
    sdd: SDD | None = None  # changes smaller than this between sessions are "no real change"
    # Its value is read at each foot contact, so it moves with how contacts are timed (``gait.contact_timing``):
    # the athlete history does not compare it across sessions timed differently (formcheck/history.py).
    read_at_contact: bool = False
    digits: int | None = None  # decimals shown; None: by unit (``display.fmt_number``)
    fn: MetricFn | None = None  # bound by ``@metric``

    @property
    def label(self) -> str:
        """The short name (video panel, tables)."""
        return self.short_title or self.title

    def bands_in(self, thresholds: Thresholds) -> Bands | None:
        """This metric's verdict bands in ``thresholds``, or None when it has none: no bands attribute, or bands
        with no interval (``Bands.judges``: described, not judged, e.g. the knee's bend at midstance by default)."""
        bands = None if self.bands is None else getattr(thresholds, self.bands)
        return bands if bands is not None and bands.judges else None

    def judged_per_step(self, result: MetricResult) -> tuple[object, ...] | None:
        """The per-step values this metric's bands judge: ``per_step``, or the ``verdict_per_step`` extra."""
        if self.verdict_per_step is None:
            return result.per_step
        values = result.extra.get(self.verdict_per_step)
        return None if values is None else tuple(values)

    def format(self, value: object, unit: str | None = None) -> str:
        """A value of this metric as people read it ('22 % leg', '7.1°', 'rearfoot', '–')."""
        return fmt_number(value, self.unit if unit is None else unit, self.digits)


_SDD_KNEE = SDD(3.8, source="Dingenen 2018 (knee flexion 2.3-3.8 deg)")

# METRICS.md 6 (Dingenen 2018; Murray 2019) gives the smallest detectable differences: the upper ends of the
# published ranges, since pose-estimation noise adds to them. Cadence, overstride and arm swing have no published
# 2D SDD: those are formcheck's conservative choices, explained beside them.
_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "cadence_spm",
        "Cadence",
        "steps/min",
        ALL_VIEWS,
        short_title="Cadence",
        headline_rank=6,
        frontal_panel_rank=5,
        bands="cadence_spm_at_speed",  # ``cadence_spm`` moved to the clip's speed when it is given (--speed)
        history_rank=1,
        # A 30 fps frame is ~10% of a step; the median over 15+ steps is far steadier. 3% is ~5 spm at 170 spm.
        sdd=SDD(relative=0.03, source="formcheck choice: 3% of the earlier value"),
    ),
    MetricSpec(
        "shank_angle_ic_deg",
        "Shin angle at landing",
        "deg",
        SIDE,
        headline_card="overstride_distance",
        bands="shank_angle_ic_deg",
        sdd=SDD(4.8, source="Dingenen 2018 (tibia inclination 2.2-4.8 deg)"),
        read_at_contact=True,
    ),
    MetricSpec(
        "overstride_distance",
        "Overstride",
        "%leg",
        SIDE,
        short_title="Overstride",
        headline_rank=1,
        # The verdict is taken on the heel's reach just before landing (formcheck/metrics/overstride.py).
        bands="overstride_reach_pct",
        verdict_on="the heel's reach ahead of the hips just before landing",
        verdict_per_step="reach_per_step",
        history_rank=2,
        read_at_contact=True,
        # Heel and hip landmarks each carry ~3-4% of leg length of 2D error (synthetic-runner measurements), so a
        # heel-to-hip distance needs 5% of leg length, or 15% of the earlier value when larger.
        sdd=SDD(absolute=5.0, relative=0.15, source="formcheck choice: 5 %leg or 15%"),
    ),
    MetricSpec(
        "foot_strike_angle_deg",
        "Foot angle at landing",
        "deg",
        SIDE,
        headline_card="foot_strike_type",
        sdd=SDD(2.5, source="Murray 2019 (foot strike angle typical error 2.5 deg)"),
    ),
    MetricSpec(
        "foot_strike_type",
        "Foot strike",
        "category",
        SIDE,
        short_title="Foot strike",
        headline_rank=2,
        # A heel strike's verdict is on this share (formcheck/metrics/foot_strike.py).
        verdict_on="the share of heel landings",
        verdict_unit="%",
        interval_from="foot_strike_angle_deg",
        category_interval="heel_landing_share_interval",
        category_share_of="rearfoot",
        category_share="heel_landing_share_pct",
        history_rank=3,
    ),
    MetricSpec(
        "trunk_lean_deg",
        "Trunk lean",
        "deg",
        SIDE,
        short_title="Trunk lean",
        headline_rank=3,
        bands="trunk_lean_deg",
        history_rank=4,
        sdd=SDD(2.3, source="Dingenen 2018 (trunk lean 1.3-2.3 deg)"),
    ),
    MetricSpec(
        "knee_flexion_ic_deg", "Knee bend at landing", "deg", SIDE, sdd=_SDD_KNEE, read_at_contact=True
    ),
    MetricSpec(
        "knee_flexion_midstance_deg",
        "Knee bend at midstance",
        "deg",
        SIDE,
        bands="knee_flexion_midstance_deg",
        sdd=_SDD_KNEE,
    ),
    MetricSpec("vertical_oscillation", "Vertical bounce", "%leg", SIDE, bands="vertical_oscillation_pct"),
    MetricSpec(
        "arm_swing_deg",
        "Arm swing",
        "deg",
        SIDE,
        short_title="Arm swing",
        headline_rank=5,
        bands="arm_swing_deg",
        history_rank=6,
        # Joint-angle RMSE of markerless pose is 4-11 deg (arXiv 2505.04713): 5 deg or 10% of the earlier value.
        sdd=SDD(absolute=5.0, relative=0.10, source="formcheck choice: 5 deg or 10%"),
    ),
    MetricSpec(
        "elbow_angle_deg", "Elbow angle", "deg", SIDE, headline_card="arm_swing_deg", bands="elbow_angle_deg"
    ),
    MetricSpec("ground_contact_ms", "Ground contact time", "ms", SIDE, read_at_contact=True),
    MetricSpec(
        "pelvic_tilt_deg",
        "Pelvic tilt (drop)",
        "deg",
        FRONTAL,
        explains_na_in=SIDE,
        short_title="Pelvic drop",
        headline_rank=4,
        frontal_panel_rank=1,
        bands="pelvic_tilt_deg",
        history_rank=5,
        sdd=SDD(2.8, source="Dingenen 2018 (contralateral pelvic drop 2.7-2.8 deg)"),
    ),
    MetricSpec(
        "lateral_trunk_lean_deg",
        "Sideways trunk lean",
        "deg",
        FRONTAL,
        explains_na_in=SIDE,
        headline_card="pelvic_tilt_deg",
        short_title="Side lean",
        frontal_panel_rank=2,
        bands="lateral_trunk_lean_deg",
    ),
    MetricSpec(
        "step_width",
        "Step width",
        "%hip width",
        FRONTAL,
        explains_na_in=SIDE,
        short_title="Step width",
        frontal_panel_rank=3,
        bands="step_width_pct",
    ),
    MetricSpec(
        "arm_crossover_pct",
        "Arm crossover",
        "% of stride",
        FRONTAL,
        explains_na_in=SIDE,
        headline_card="arm_swing_deg",
        short_title="Arm crossover",
        frontal_panel_rank=4,
        bands="arm_crossover_pct",
    ),
    # Issue 19: the rest of the guidance. Head and shoulders (METRICS.md 4.11) and thigh extension (4.7) from the
    # side; knee collapse (5.4), hip adduction (5.3) and torso twist (5.6) from behind or in front.
    MetricSpec(
        "head_forward", "Head carriage (forward of shoulders)", "%leg", SIDE, short_title="Head forward"
    ),
    MetricSpec("head_pitch_deg", "Head pitch (eyes up/down)", "deg", SIDE, short_title="Head pitch"),
    MetricSpec(
        "shoulder_elevation_pct",
        "Shoulder height (ear to shoulder)",
        "%trunk",
        SIDE,
        short_title="Shoulders",
    ),
    MetricSpec("shoulder_bounce", "Shoulder bounce", "%leg", SIDE, digits=1),
    MetricSpec(
        "thigh_extension_deg",
        "Thigh extension behind the body",
        "deg",
        SIDE,
        short_title="Hip extension",
        sdd=SDD(3.8, source="Dingenen 2018 (hip and knee angles 2.3-3.8 deg)"),
    ),
    MetricSpec(
        "knee_collapse_deg",
        "Knee collapse (appearance)",
        "deg",
        ("rear", "front"),
        short_title="Knee collapse",
        bands="knee_collapse_deg",
    ),
    MetricSpec(
        "hip_adduction_deg",
        "Hip adduction",
        "deg",
        ("rear", "front"),
        sdd=SDD(3.8, source="Dingenen 2018 (hip adduction 2.3-3.8 deg)"),
    ),
    MetricSpec(
        "torso_twist_deg", "Torso twist (shoulder turn)", "deg", ("rear", "front"), short_title="Torso twist"
    ),
)

REGISTRY: dict[str, MetricSpec] = {spec.id: spec for spec in _SPECS}

# Metric ids in the order they are computed and reported (OUTPUTS.md's metric table).
METRIC_ORDER: tuple[str, ...] = tuple(REGISTRY)
# The report's headline cards (and the side-view video panel), in reading order.
HEADLINE_IDS: tuple[str, ...] = tuple(
    s.id for s in sorted((s for s in _SPECS if s.headline_rank is not None), key=lambda s: s.headline_rank)
)
# The metrics followed across sessions (summary.csv, roster, athlete history), in their order there.
HISTORY_IDS: tuple[str, ...] = tuple(
    s.id for s in sorted((s for s in _SPECS if s.history_rank is not None), key=lambda s: s.history_rank)
)


def panel_ids(view: str) -> tuple[str, ...]:
    """The metrics on the video's panel and the report's cards for a camera view, in order: the headline metrics
    measurable from the side, the frontal-plane metrics from behind or in front. A metric the view cannot measure
    (pelvic drop from the side) is left out, not drawn as n/a."""
    if view == "side":
        return tuple(mid for mid in HEADLINE_IDS if view in REGISTRY[mid].views)
    ranked = sorted(
        (s for s in _SPECS if s.frontal_panel_rank is not None), key=lambda s: s.frontal_panel_rank
    )
    return tuple(s.id for s in ranked if view in s.views)


def not_measured_from(view: str) -> tuple[str, ...]:
    """The headline and panel metrics of the other views that ``view`` cannot measure, in order (the report's
    "not measured from this view" line)."""
    ids = dict.fromkeys(HEADLINE_IDS + panel_ids("rear") + panel_ids("front"))
    return tuple(mid for mid in ids if view not in REGISTRY[mid].views)


def spec(metric_id: str) -> MetricSpec:
    """The registry entry of ``metric_id``."""
    try:
        return REGISTRY[metric_id]
    except KeyError:
        raise KeyError(
            f"unknown metric {metric_id!r}: it needs an entry in formcheck/metrics/registry.py"
        ) from None


def title(metric_id: str) -> str:
    """A metric's title; an id this version does not know (e.g. from a newer analysis.json) reads as words."""
    s = REGISTRY.get(metric_id)
    return s.title if s is not None else metric_id.replace("_", " ").capitalize()


def label(metric_id: str) -> str:
    """A metric's short title, or its id when this version does not know it."""
    s = REGISTRY.get(metric_id)
    return s.label if s is not None else metric_id


def bands_for(metric_id: str, thresholds: Thresholds) -> Bands | None:
    """The verdict bands of ``metric_id`` in ``thresholds``, or None (no bands, or an unknown metric)."""
    s = REGISTRY.get(metric_id)
    return None if s is None else s.bands_in(thresholds)


def ordered_specs() -> list[MetricSpec]:
    """Every metric in METRIC_ORDER."""
    return list(REGISTRY.values())


def metric(id: str) -> Callable[[MetricFn], MetricFn]:
    """Bind the decorated function as the compute function of registry entry ``id``."""

    def register(fn: MetricFn) -> MetricFn:
        entry = spec(id)
        if entry.fn is not None:
            raise ValueError(f"metric {id!r} registered twice")
        REGISTRY[id] = dataclasses.replace(entry, fn=fn)
        return fn

    return register
