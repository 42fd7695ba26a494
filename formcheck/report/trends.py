"""An athlete's trend plot: one panel per headline metric over the session dates, the good band shaded from
``config.Thresholds``. Written as PNG or SVG (``plot_trends``) or returned as inline SVG (``trend_svg``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from formcheck.config import Thresholds
from formcheck.report._files import atomic_path
from formcheck.report.labels import UNIT_LABELS, bands_for, title
from formcheck.report.plots import BAND_HEX, to_svg
from formcheck.store import HEADLINE_IDS, Session

STRIKE_LEVELS = ("forefoot", "midfoot", "rearfoot")


def trend_plot_name(athlete: str) -> str:
    """File name of an athlete's trend plot: ``trend_<athlete>.png`` with unsafe characters replaced."""
    return f"trend_{re.sub(r'[^A-Za-z0-9._-]+', '_', athlete).strip('._') or 'athlete'}.png"


def _series(sessions: Sequence[Session], mid: str) -> tuple[list, list]:
    xs, ys = [], []
    for s in sessions:
        mv = s.metrics.get(mid)
        if mv is None or mv.value is None:
            continue
        if mid == "foot_strike_type":
            if mv.value not in STRIKE_LEVELS:
                continue
            y = float(STRIKE_LEVELS.index(str(mv.value)))
        elif isinstance(mv.value, str):
            continue
        else:
            y = float(mv.value)
        xs.append(s.recorded_at)
        ys.append(y)
    return xs, ys


def trend_figure(sessions: Sequence[Session], thresholds: Thresholds | None = None) -> Figure:
    """The figure: one panel per headline metric measured in at least one session."""
    th = thresholds or Thresholds()
    sessions = sorted(sessions, key=lambda s: s.recorded_at)
    panels = [(mid, *_series(sessions, mid)) for mid in HEADLINE_IDS]
    panels = [p for p in panels if p[1]]
    rows = max(len(panels), 1)
    fig = Figure(figsize=(7.2, 1.5 * rows + 0.5))
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)
    if not panels:
        axes[0, 0].text(0.5, 0.5, "no headline metric measured yet", ha="center", va="center")
        axes[0, 0].set_axis_off()
        return fig
    for ax, (mid, xs, ys) in zip(axes[:, 0], panels, strict=True):
        unit = sessions[0].metrics[mid].unit if mid in sessions[0].metrics else ""
        ax.plot(xs, ys, "o-", color="#2f7fd8", lw=1.5, ms=5)
        if mid == "foot_strike_type":
            ax.set_yticks(range(len(STRIKE_LEVELS)), STRIKE_LEVELS)
            ax.set_ylim(-0.5, len(STRIKE_LEVELS) - 0.5)
        else:
            lo, hi = min(ys), max(ys)
            pad = max(0.15 * (hi - lo), 0.05 * max(abs(lo), abs(hi)), 1.0)
            lo, hi = lo - pad, hi + pad
            bands = bands_for(mid, th)
            if bands is not None:
                for a, b in bands.good:
                    a, b = max(a, lo), min(b, hi)
                    if b > a:
                        ax.axhspan(a, b, color=BAND_HEX["good"], alpha=0.15, lw=0, zorder=0)
            ax.set_ylim(lo, hi)
        label = UNIT_LABELS.get(unit, unit)
        ax.set_title(
            f"{title(mid)}" + (f" ({label.strip()})" if label.strip() else ""), fontsize=10, loc="left"
        )
        ax.grid(True, color="#d0d7de", lw=0.6)
    locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
    axes[-1, 0].xaxis.set_major_locator(locator)
    axes[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def plot_trends(sessions: Sequence[Session], path: str | Path, thresholds: Thresholds | None = None) -> Path:
    """Write the trend plot to ``path`` (PNG or SVG by its suffix) atomically; returns the path."""
    path = Path(path)
    fmt = "svg" if path.suffix.lower() == ".svg" else "png"
    fig = trend_figure(sessions, thresholds)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=110, metadata={"Software": None} if fmt == "png" else None)
    return path


def trend_svg(sessions: Sequence[Session], athlete: str, thresholds: Thresholds | None = None) -> str:
    """The trend plot as an inline ``<svg>`` element (no external references)."""
    return to_svg(trend_figure(sessions, thresholds), f"trend of {athlete}")
