"""How the report and analysis.json describe metrics beyond the registry (formcheck/metrics/registry.py): the
verdict rule of each metric as text, what a headline card is checked against, verdict symbols and the evidence
legend."""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.config import Thresholds
from formcheck.guidance import GUIDANCE
from formcheck.metrics.registry import HEADLINE_IDS, METRIC_ORDER, REGISTRY, bands_for

# The cards of the ten-second summary, in reading order (the registry's headline ranks).
HEADLINE_METRICS: tuple[str, ...] = HEADLINE_IDS

# What a headline metric is checked against, for cards that have no Finding (a good or n/a verdict): the same
# guidance statements the Findings carry (formcheck.guidance, GUIDANCE.md in our own words).
CHECKED_AGAINST: dict[str, str] = {
    mid: GUIDANCE[mid].statement[:1].upper() + GUIDANCE[mid].statement[1:] + "."
    for mid in HEADLINE_METRICS
    if mid in GUIDANCE
}


VERDICT_SYMBOLS: dict[str, str] = {"good": "✓", "watch": "!", "borderline": "≈", "flag": "✕", "n/a": "–"}

EVIDENCE_LEGEND: dict[str, str] = {
    # In a runner's words (the tags themselves are defined in config.py and METRICS.md).
    "E": "backed by published research: a cut-off, or more of it going with more load on the body",
    "N": "normal range of healthy runners, not an injury cut-off",
    "H": "formcheck's own rule of thumb; no published cut-off",
    "X": "cannot be measured from 2D video",
}


@dataclass(frozen=True)
class BandText:
    """A metric's verdict rule as text, and its citation."""

    bands: str
    source: str


def metric_bands(metric_id: str, thresholds: Thresholds) -> BandText | None:
    """The verdict rule and source of a metric in ``thresholds`` (the analysis's own), or None when it has none
    (descriptive only)."""
    th = thresholds
    bands = bands_for(metric_id, th)
    if bands is not None:
        spec = REGISTRY[metric_id]
        on = f"on {spec.verdict_on}: " if spec.verdict_on else ""
        return BandText(on + bands.describe(), bands.source)
    if metric_id in ("foot_strike_type", "foot_strike_angle_deg"):
        return BandText(
            f"rearfoot > {th.rearfoot_above_deg:g}°, midfoot {th.forefoot_below_deg:g}° to "
            f"{th.rearfoot_above_deg:g}°, forefoot < {th.forefoot_below_deg:g}°; a heel strike is flagged only "
            "together with an overstride flag, and only when more than half of the steps land heel first across "
            "the whole interval of that share",
            "Altman & Davis 2012 (foot angle relative to flat); Souza 2016 and Moore 2016 on heel striking.",
        )
    if metric_id == "knee_flexion_midstance_deg":
        return BandText(
            "no verdict: described with the range healthy runners show (about 36-44°); a coach may set its "
            "bands in a settings file",
            th.knee_flexion_midstance_deg.source,
        )
    if metric_id == "knee_flexion_ic_deg":
        return BandText(
            f"watch below {th.knee_flexion_ic_watch_below_deg:g}° together with an overstride",
            "About 21° is typical (N); injured runners landed with a straighter knee (Bramah 2018).",
        )
    return None


def ordered_ids(ids: list[str] | tuple[str, ...]) -> list[str]:
    """Metric ids in OUTPUTS.md order, unknown ones after, sorted."""
    known = [m for m in METRIC_ORDER if m in ids]
    return known + sorted(m for m in ids if m not in METRIC_ORDER)
