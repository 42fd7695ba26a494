"""Turning per-step values into a metric: median, interquartile spread, per-side medians (METRICS.md 6)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from formcheck.metrics.display import written_interval
from formcheck.model import MetricResult, Step


def finite(values: Sequence[float | None]) -> np.ndarray:
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    return arr[np.isfinite(arr)]


def median_or_none(values: Sequence[float | None]) -> float | None:
    arr = finite(values)
    return float(np.median(arr)) if arr.size else None


def iqr_or_none(values: Sequence[float | None]) -> float | None:
    arr = finite(values)
    if arr.size < 2:
        return None
    q75, q25 = np.percentile(arr, [75, 25])
    return float(q75 - q25)


def symmetry_index_pct(left: float | None, right: float | None) -> float | None:
    """|L - R| / mean(L, R) * 100 (METRICS.md 6)."""
    if left is None or right is None:
        return None
    mean = 0.5 * (abs(left) + abs(right))
    return None if mean == 0 else abs(left - right) / mean * 100.0


def headline_pool(
    steps: Sequence[Step], per_step: Sequence[float | None], headline_side: str | None = None
) -> list[float]:
    """The valid steps' values a headline is taken from: ``headline_side`` alone when it has at least 3 (side-view
    joint angles use the leg nearer the camera, METRICS.md 7), else both sides."""
    sides: dict[str, list[float]] = {"left": [], "right": []}
    for step, v in zip(steps, per_step, strict=True):
        if step.valid and v is not None and math.isfinite(v):
            sides[step.side].append(float(v))
    if headline_side is not None and len(sides[headline_side]) >= 3:
        return sides[headline_side]
    return sides["left"] + sides["right"]


def per_step_summary(
    steps: Sequence[Step], per_step: Sequence[float | None], headline_side: str | None = None
) -> tuple[float | None, float | None, dict[str, float | None], int]:
    """(value, spread, per_side, n_steps) over valid steps. With ``headline_side`` the value comes from that side
    alone (side-view joint angles use the leg nearer the camera, METRICS.md 7), unless it has fewer than 3 steps."""
    sides: dict[str, list[float | None]] = {"left": [], "right": []}
    for step, v in zip(steps, per_step, strict=True):
        if step.valid and v is not None and math.isfinite(v):
            sides[step.side].append(v)
    per_side = {s: median_or_none(v) for s, v in sides.items()}
    pool = headline_pool(steps, per_step, headline_side)
    return median_or_none(pool), iqr_or_none(pool), per_side, len(pool)


def not_applicable(id: str, unit: str, note: str, evidence: str = "H") -> MetricResult:
    return MetricResult(id=id, value=None, unit=unit, verdict="n/a", evidence=evidence, note=note)


def measured(
    id: str,
    unit: str,
    value: float,
    verdict: str,
    evidence: str,
    *,
    n_steps: int,
    spread: float | None = None,
    per_side: dict[str, float | None] | None = None,
    per_step: Sequence[float | None] | None = None,
    note: str = "",
    extra: dict | None = None,
    digits: int = 1,
    interval: tuple[float, float] | None = None,
    band_of: Callable[[float], str] | None = None,
) -> MetricResult:
    """A measured numeric metric with every number rounded to ``digits``; its interval rounded outward, each end kept
    in the band (``band_of``: the verdict's bands of the value) it lies in (``display.written_interval``)."""
    return MetricResult(
        id=id,
        value=rounded(value, digits),
        unit=unit,
        verdict=verdict,
        evidence=evidence,
        n_steps=n_steps,
        spread=rounded(spread, digits),
        per_side=None if per_side is None else {k: rounded(v, digits) for k, v in per_side.items()},
        per_step=None if per_step is None else tuple(rounded(v, digits) for v in per_step),
        note=note,
        extra=extra or {},
        interval=None if interval is None else written_interval(interval, digits, band_of),
    )


def rounded(x: float | None, digits: int = 1) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), digits)
