"""Axis ticks: round steps for numbers (``nice_ticks``), compact labels (``format_ticks``) and calendar steps for
dates (``date_ticks``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from formcheck.report.svgplot.style import MINUS


def _steps(span: float, integer: bool) -> list[tuple[float, float]]:
    """Candidate (step, multiplier) pairs around ``span``, smallest first."""
    e0 = math.floor(math.log10(span)) - 2
    out = []
    for e in range(e0, e0 + 4):
        for m in (1.0, 2.0, 2.5, 5.0):
            step = m * 10.0**e
            if integer and (step < 1 or step != round(step)):
                continue
            out.append((step, m))
    return out


def pad_constant(lo: float, hi: float) -> tuple[float, float]:
    if hi > lo:
        return lo, hi
    d = max(abs(lo) * 0.1, 1.0)
    return lo - d, hi + d


def nice_ticks(
    lo: float, hi: float, *, snap: float = 0.0, integer: bool = False, n_min: int = 4, n_max: int = 6
) -> tuple[float, float, list[float]]:
    """``(lo, hi, ticks)``: round ticks (1, 2, 2.5 or 5 x 10^k apart) within the limits, ``n_min``-``n_max``
    of them when possible. A limit is widened to the next tick outside it when that adds at most ``snap`` of
    the range (and keeps at most ``n_max`` ticks), so the frame ends on a labelled line. A zero-width range is
    padded; ``integer`` keeps the step a whole number."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"limits must be finite, got {lo}, {hi}")
    lo, hi = pad_constant(min(lo, hi), max(lo, hi))
    span = hi - lo
    best = None
    for step, m in _steps(span, integer):
        k0, k1 = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
        if snap > 0 and k1 - k0 + 1 < n_max and lo - (k0 - 1) * step <= snap * span:
            k0 -= 1
        if snap > 0 and k1 - k0 + 1 < n_max and (k1 + 1) * step - hi <= snap * span:
            k1 += 1
        count = k1 - k0 + 1
        # too few ticks costs most, a 2.5 step (labels like 7.5) a little less, one too many least
        cost = max(n_min - count, 0) + 0.6 * max(count - n_max, 0) + (0.8 if m == 2.5 else 0.0)
        if best is None or (cost, -count) < best[0]:
            best = ((cost, -count), step, k0, k1)
    assert best is not None
    _, step, k0, k1 = best
    ticks = [round(k * step, 10) + 0.0 for k in range(k0, k1 + 1)]
    return min(lo, ticks[0]), max(hi, ticks[-1]), ticks


def format_ticks(ticks: Sequence[float]) -> list[str]:
    """Compact labels: as few decimals as the ticks need (the same for all), a typographic minus, ``k`` for
    whole thousands from 10,000."""
    if not ticks:
        return []
    big = max(abs(t) for t in ticks) >= 10_000 and all(t % 1000 == 0 for t in ticks)
    vals = [t / 1000 if big else t for t in ticks]
    d = next((d for d in range(7) if all(abs(round(v, d) - v) < 1e-9 for v in vals)), 6)
    out = []
    for v in vals:
        s = f"{v:.{d}f}"
        if float(s) == 0:
            out.append(s.lstrip("-"))
        else:
            out.append(s.replace("-", MINUS) + ("k" if big else ""))
    return out


def date_ticks(
    lo: datetime, hi: datetime, n_max: int = 6
) -> tuple[datetime, datetime, list[datetime], list[str]]:
    """``(lo, hi, ticks, labels)`` for a date axis: ticks whole days, weeks (Mondays), months or years apart,
    at most ``n_max``; the year is written on the first tick and where it changes. The limits are padded
    (at least half a day; three days around a single day) so the end points sit inside the frame."""
    pad = max((hi - lo) * 0.05, timedelta(hours=12) if hi - lo >= timedelta(days=1) else timedelta(days=3))
    lo, hi = lo - pad, hi + pad
    days = (hi - lo) / timedelta(days=1)
    tz = lo.tzinfo
    ticks: list[datetime] = []
    if days / 14 <= n_max:
        n = next(n for n in (1, 2, 7, 14) if days / n <= n_max)
        t = datetime(lo.year, lo.month, lo.day, tzinfo=tz)
        while t <= hi:
            o = t.toordinal()
            if t >= lo and (o % n == 0 if n < 7 else t.weekday() == 0 and (o // 7) % (n // 7) == 0):
                ticks.append(t)
            t += timedelta(days=1)
        fmt = "day"
    else:
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        n = next((n for n in (1, 2, 3, 6) if months / n <= n_max), 0)
        if n == 0:
            years = hi.year - lo.year + 1
            n = next(k * 10**e for e in range(6) for k in (1, 2, 5) if years / (k * 10**e) <= n_max) * 12
        y, m = lo.year, lo.month
        while (t := datetime(y, m, 1, tzinfo=tz)) <= hi:
            if t >= lo and (y * 12 + m - 1) % n == 0:
                ticks.append(t)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        fmt = "year" if n >= 12 else "month"
    labels = []
    for k, t in enumerate(ticks):
        new_year = k == 0 or t.year != ticks[k - 1].year
        if fmt == "year":
            labels.append(str(t.year))
        elif fmt == "month":
            labels.append(f"{t:%b} {t.year}" if new_year else f"{t:%b}")
        else:
            labels.append(f"{t:%b} {t.day}, {t.year}" if new_year else f"{t:%b} {t.day}")
    return lo, hi, ticks, labels
