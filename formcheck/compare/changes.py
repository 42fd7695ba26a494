"""What changed between two takes, metric by metric, in words a runner reads. Pure: two ``analysis.json``
documents in, rows out. The rule is the athlete history's (``formcheck.history.compare``): a change counts only
when it reaches the metric's smallest detectable difference (``MetricSpec.sdd``, METRICS.md 6) and the two
clips' 95% intervals do not overlap; anything less is "no real change (within measurement noise)"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from formcheck.history import MetricValue, compare, metrics_from_analysis
from formcheck.metrics.display import fmt_interval, fmt_number, is_missing
from formcheck.metrics.registry import METRIC_ORDER, REGISTRY, title

# history.compare's outcome -> what the runner reads.
CHANGE_WORDS = {
    "improved": "improved",
    "worse": "worse",
    "no real change": "no real change (within measurement noise)",
    "changed": "changed (neither better nor worse: both in the good range, or no good range)",
    "n/a": "not compared (no verdict in one of the clips)",
}


@dataclass(frozen=True)
class ChangeRow:
    """One metric in both takes and how it moved from A (before) to B (after)."""

    metric: str
    title: str
    unit: str
    a: MetricValue
    b: MetricValue
    change: str  # history.compare's outcome: improved, worse, no real change, changed, n/a
    sdd: float | None  # the smallest detectable difference at A's value, in the unit (None: none defined)

    @property
    def words(self) -> str:
        if self.change == "n/a" and self.a.verdict == "n/a" and self.b.verdict == "n/a":
            return "not compared (formcheck gives this measure no verdict in these clips)"
        if (
            self.change == "n/a"
            and isinstance(self.a.value, str)
            and None in (self.a.interval, self.b.interval)
        ):
            return (
                "not compared (one clip does not say how sure its category is: too few steps for that, or analysed by "
                "an older formcheck, which analysing it again fixes)"
            )
        spec = REGISTRY.get(self.metric)
        if (
            self.change == "n/a"
            and spec is not None
            and spec.category_share_of
            and isinstance(self.a.value, str)
        ):
            return (
                f"not compared ({spec.verdict_on} tells {spec.category_share_of} from the others, not {self.a.value} from "
                f"{self.b.value}: see the foot strike angle)"
            )
        if self.change == "n/a" and self.sdd is None and isinstance(self.a.value, (int, float)):
            return "not compared (how large a real change in it is, is not known: look at the videos)"
        return CHANGE_WORDS.get(self.change, self.change)


def with_interval(metric_id: str, mv: MetricValue) -> str:
    """'22 % leg (likely 18 to 26)': the value as the report shows it, with its 95% interval rounded outward at the
    value's decimals (``display.fmt_interval``); a category with the interval of the share deciding it ('rearfoot
    (the share of heel landings likely 40 to 100%)')."""
    spec = REGISTRY.get(metric_id)
    text = spec.format(mv.value, mv.unit) if spec is not None else fmt_number(mv.value, mv.unit)
    if mv.interval is not None and spec is not None and spec.category_interval:
        text += f" ({spec.verdict_on} likely {fmt_interval(mv.interval, '', 0)}{spec.verdict_unit})"
    elif mv.interval is not None:
        text += f" (likely {fmt_interval(mv.interval, '', _decimals(text))})"
    return text


def _decimals(shown: str) -> int:
    """The decimals of the number in ``shown`` ('8% leg': 0, '7.1°': 1), so that an interval reads like its
    value ('8% leg (likely 7 to 9)', not '(likely 7.4 to 9)')."""
    m = re.search(r"-?\d+(?:\.(\d+))?", shown)
    return len(m.group(1)) if m is not None and m.group(1) else 0


def change_rows(doc_a: Mapping[str, Any], doc_b: Mapping[str, Any]) -> list[ChangeRow]:
    """Every metric measured in at least one take, in the report's order (metrics this version does not know
    last), with its change from A to B."""
    ma, mb = metrics_from_analysis(doc_a), metrics_from_analysis(doc_b)
    known = [m for m in METRIC_ORDER if m in ma or m in mb]
    ids = known + sorted((set(ma) | set(mb)) - set(known))
    rows = []
    for mid in ids:
        a, b = ma.get(mid, MetricValue(None)), mb.get(mid, MetricValue(None))
        if is_missing(a.value) and is_missing(b.value):
            continue
        spec = REGISTRY.get(mid)
        sdd = None
        if spec is not None and spec.sdd is not None and isinstance(a.value, (int, float)):
            sdd = spec.sdd.of(float(a.value))
        unit = (spec.unit if spec is not None else "") or a.unit or b.unit
        rows.append(ChangeRow(mid, title(mid), unit, a, b, compare(mid, a, b), sdd))
    return rows


def headline(rows: list[ChangeRow]) -> str:
    """One sentence: how many metrics improved, got worse, or did not really change."""
    counts = {k: sum(r.change == k for r in rows) for k in ("improved", "worse", "no real change", "changed")}
    parts = [
        f"{counts['improved']} improved",
        f"{counts['worse']} worse",
        f"{counts['no real change']} with no real change (within measurement noise)",
    ]
    if counts["changed"]:
        parts.append(f"{counts['changed']} changed without getting better or worse")
    return ", ".join(parts) + "."
