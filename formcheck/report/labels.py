"""How metrics are named and shown to people: titles, headline order, value formatting, and the config bands each
metric's verdict is checked against."""

from __future__ import annotations

import math
from dataclasses import dataclass

from formcheck.config import Bands, Thresholds
from formcheck.guidance import GUIDANCE
from formcheck.metrics.registry import METRIC_ORDER as _REGISTRY_ORDER

# The six cards of the ten-second summary, in reading order.
HEADLINE_METRICS: tuple[str, ...] = (
    "overstride_distance",
    "foot_strike_type",
    "trunk_lean_deg",
    "pelvic_tilt_deg",
    "arm_swing_deg",
    "cadence_spm",
)

# OUTPUTS.md order (one definition, in the metric registry); metrics not listed there follow, sorted by id.
METRIC_ORDER: tuple[str, ...] = _REGISTRY_ORDER

TITLES: dict[str, str] = {
    "cadence_spm": "Cadence",
    "overstride_distance": "Overstride",
    "shank_angle_ic_deg": "Shin angle at landing",
    "foot_strike_angle_deg": "Foot angle at landing",
    "foot_strike_type": "Foot strike",
    "trunk_lean_deg": "Trunk lean",
    "knee_flexion_ic_deg": "Knee bend at landing",
    "knee_flexion_midstance_deg": "Knee bend at midstance",
    "vertical_oscillation": "Vertical bounce",
    "arm_swing_deg": "Arm swing",
    "elbow_angle_deg": "Elbow angle",
    "ground_contact_ms": "Ground contact time",
    "pelvic_tilt_deg": "Pelvic tilt (drop)",
    "lateral_trunk_lean_deg": "Sideways trunk lean",
    "step_width": "Step width",
    "arm_crossover_pct": "Arm crossover",
}

# The video panel's metrics by view: what each camera can measure.
PANEL_METRICS: dict[str, tuple[str, ...]] = {
    "side": HEADLINE_METRICS,
    "rear": ("pelvic_tilt_deg", "lateral_trunk_lean_deg", "step_width", "arm_crossover_pct", "cadence_spm"),
    "front": ("pelvic_tilt_deg", "lateral_trunk_lean_deg", "step_width", "arm_crossover_pct", "cadence_spm"),
}

# Short labels for the video's metric panel.
SHORT_TITLES: dict[str, str] = {
    "overstride_distance": "Overstride",
    "foot_strike_type": "Foot strike",
    "trunk_lean_deg": "Trunk lean",
    "cadence_spm": "Cadence",
    "arm_swing_deg": "Arm swing",
    "pelvic_tilt_deg": "Pelvic drop",
    "lateral_trunk_lean_deg": "Side lean",
    "step_width": "Step width",
    "arm_crossover_pct": "Arm crossover",
}

# What a headline metric is checked against, for cards that have no Finding (a good or n/a verdict): the same
# guidance statements the Findings carry (formcheck.guidance, GUIDANCE.md in our own words).
CHECKED_AGAINST: dict[str, str] = {
    mid: GUIDANCE[mid].statement[:1].upper() + GUIDANCE[mid].statement[1:] + "."
    for mid in HEADLINE_METRICS
    if mid in GUIDANCE
}

UNIT_LABELS: dict[str, str] = {"deg": "°", "steps/min": "spm", "%leg": "% leg", "category": ""}

VERDICT_WORDS: dict[str, str] = {
    "good": "Good",
    "watch": "Watch",
    "borderline": "Borderline",
    "flag": "Flag",
    "n/a": "n/a",
}
VERDICT_SYMBOLS: dict[str, str] = {"good": "✓", "watch": "!", "borderline": "≈", "flag": "✕", "n/a": "–"}

EVIDENCE_LEGEND: dict[str, str] = {
    "E": "published cut-off or dose-response",
    "N": "normal range of healthy runners, not an injury cut-off",
    "H": "formcheck heuristic; no published cut-off",
    "X": "cannot be measured from 2D video",
}

# Metric id -> attribute of config.Thresholds holding its bands.
_BANDS_ATTR: dict[str, str] = {
    "cadence_spm": "cadence_spm",
    "shank_angle_ic_deg": "shank_angle_ic_deg",
    "overstride_distance": "overstride_distance_pct",
    "trunk_lean_deg": "trunk_lean_deg",
    "knee_flexion_midstance_deg": "knee_flexion_midstance_deg",
    "vertical_oscillation": "vertical_oscillation_pct",
    "arm_swing_deg": "arm_swing_deg",
    "elbow_angle_deg": "elbow_angle_deg",
    "pelvic_tilt_deg": "pelvic_tilt_deg",
    "lateral_trunk_lean_deg": "lateral_trunk_lean_deg",
    "step_width": "step_width_pct",
    "arm_crossover_pct": "arm_crossover_pct",
}


@dataclass(frozen=True)
class BandText:
    """A metric's verdict rule as text, and its citation."""

    bands: str
    source: str


def bands_for(metric_id: str, thresholds: Thresholds | None = None) -> Bands | None:
    """The config ``Bands`` of a numeric metric, or None."""
    attr = _BANDS_ATTR.get(metric_id)
    return None if attr is None else getattr(thresholds or Thresholds(), attr)


def metric_bands(metric_id: str, thresholds: Thresholds | None = None) -> BandText | None:
    """The verdict bands and source of a metric from config, or None when it has none (descriptive only)."""
    th = thresholds or Thresholds()
    attr = _BANDS_ATTR.get(metric_id)
    if attr is not None:
        bands: Bands = getattr(th, attr)
        return BandText(bands.describe(), bands.source)
    if metric_id in ("foot_strike_type", "foot_strike_angle_deg"):
        return BandText(
            f"rearfoot > {th.rearfoot_above_deg:g}°, midfoot {th.forefoot_below_deg:g}° to "
            f"{th.rearfoot_above_deg:g}°, forefoot < {th.forefoot_below_deg:g}°; a heel strike is flagged only "
            "together with an overstride",
            "Altman & Davis 2012 (foot angle relative to flat); Souza 2016 and Moore 2016 on heel striking.",
        )
    if metric_id == "knee_flexion_ic_deg":
        return BandText(
            f"watch below {th.knee_flexion_ic_watch_below_deg:g}° together with an overstride",
            "About 21° is typical (N); injured runners landed with a straighter knee (Bramah 2018).",
        )
    return None


def title(metric_id: str) -> str:
    return TITLES.get(metric_id, metric_id.replace("_", " ").capitalize())


def ordered_ids(ids: list[str] | tuple[str, ...]) -> list[str]:
    """Metric ids in OUTPUTS.md order, unknown ones after, sorted."""
    known = [m for m in METRIC_ORDER if m in ids]
    return known + sorted(m for m in ids if m not in METRIC_ORDER)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt_number(value: object, unit: str = "", digits: int | None = None) -> str:
    """A value as people read it: '22 % leg', '7.1°', '170 spm', 'rearfoot'; '–' when missing."""
    if is_missing(value):
        return "–"
    if isinstance(value, str):
        return value
    v = float(value)  # type: ignore[arg-type]
    if digits is None:
        digits = 0 if unit in ("steps/min", "ms", "%leg", "% of stride", "%hip width") or abs(v) >= 100 else 1
    text = f"{v:.{digits}f}"
    label = UNIT_LABELS.get(unit, f" {unit}" if unit else "")
    if label in ("°", "") or label.startswith("%"):
        return text + label
    return f"{text} {label.strip()}"
