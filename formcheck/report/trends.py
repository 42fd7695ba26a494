"""An athlete's trend plot: one panel per followed metric over the session dates, the good band of the latest
session shaded (the band its verdict was judged against). Returned as inline SVG (``trend_svg``, drawn with
``svgplot``) or written as an SVG or PNG file (``plot_trends``; only PNG still uses matplotlib, imported when asked
for)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from formcheck.files import atomic_path, write_text_atomic
from formcheck.history import Interval, Session, good_band
from formcheck.metrics.display import UNIT_LABELS
from formcheck.metrics.registry import HISTORY_IDS, title
from formcheck.report.plots import BAND_HEX, SIDE_HEX
from formcheck.report.svgplot import Figure, date_ticks

STRIKE_LEVELS = ("forefoot", "midfoot", "rearfoot")


def trend_plot_name(athlete: str) -> str:
    """File name of an athlete's trend plot: ``trend_<athlete>.png`` with unsafe characters replaced."""
    return f"trend_{re.sub(r'[^A-Za-z0-9._-]+', '_', athlete).strip('._') or 'athlete'}.png"


def _series(sessions: Sequence[Session], mid: str) -> tuple[list, list]:
    xs, ys = [], []
    for s in sessions:
        mv = s.metrics.get(mid)
        if (
            mv is None or mv.value is None or mv.verdict == "n/a"
        ):  # unjudged values are not trended (history.compare)
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


def _good(sessions: Sequence[Session], mid: str) -> tuple[Interval, ...]:
    """The good band of the latest session that measured ``mid`` (sessions oldest first)."""
    for s in reversed(sessions):
        if mid in s.metrics:
            return good_band(mid, s.metrics[mid]) or ()
    return good_band(mid, None) or ()


def _panels(sessions: Sequence[Session]) -> list[tuple[str, str, list, list]]:
    """(metric id, panel title, dates, values) of each followed metric measured in at least one session."""
    out = []
    for mid in HISTORY_IDS:
        xs, ys = _series(sessions, mid)
        if xs:
            unit = sessions[0].metrics[mid].unit if mid in sessions[0].metrics else ""
            label = UNIT_LABELS.get(unit, unit).strip()
            out.append((mid, title(mid) + (f" ({label})" if label else ""), xs, ys))
    return out


def _padded(ys: Sequence[float], good: Sequence[Interval] = ()) -> tuple[float, float]:
    """The y range of the values and the finite ends of the good band: the target always in view."""
    ends = [x for band in good for x in band if abs(x) != float("inf")]
    lo, hi = min([*ys, *ends]), max([*ys, *ends])
    pad = max(0.15 * (hi - lo), 0.05 * max(abs(lo), abs(hi)), 1.0)
    return lo - pad, hi + pad


def trend_svg(sessions: Sequence[Session], athlete: str, standalone: bool = False) -> str:
    """The trend plot as an inline ``<svg>`` element (no external references); ``standalone``: an SVG file."""
    sessions = sorted(sessions, key=lambda s: s.recorded_at)
    panels = _panels(sessions)
    fig = Figure(f"trend of {athlete}")
    if not panels:
        fig.panel(60.0).message("no headline metric measured yet")
        return fig.to_svg(standalone)
    first = min(x for p in panels for x in p[2])
    lo, hi, ticks, labels = date_ticks(first, max(x for p in panels for x in p[2]))

    def days(d: datetime) -> float:
        return (d - first) / timedelta(days=1)

    fig.set_xlim(days(lo), days(hi))
    fig.set_xticks([days(t) for t in ticks], labels)
    colour = SIDE_HEX["left"]
    for i, (mid, name, xs, ys) in enumerate(panels):
        ax = fig.panel(90.0, f"{athlete}: {name}" if i == 0 and athlete else name)
        x = [days(d) for d in xs]
        if mid == "foot_strike_type":
            ax.set_ylim(-0.5, len(STRIKE_LEVELS) - 0.5, nice=False)
            ax.set_yticks(range(len(STRIKE_LEVELS)), STRIKE_LEVELS)
        else:
            for a, b in _good(sessions, mid):
                ax.hspan(a, b, BAND_HEX["good"], 0.15)
            ax.set_ylim(*_padded(ys, _good(sessions, mid)))
        ax.line(x, ys, colour, 1.5, decimate=False)
        ax.markers(x, ys, colour, "o", 7.0)
    return fig.to_svg(standalone)


def _png_figure(sessions: Sequence[Session]):
    """The trend plot as a matplotlib figure, for PNG files only."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure as MplFigure

    sessions = sorted(sessions, key=lambda s: s.recorded_at)
    panels = _panels(sessions)
    rows = max(len(panels), 1)
    fig = MplFigure(figsize=(7.2, 1.5 * rows + 0.5))
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)
    if not panels:
        axes[0, 0].text(0.5, 0.5, "no headline metric measured yet", ha="center", va="center")
        axes[0, 0].set_axis_off()
        return fig
    for ax, (mid, name, xs, ys) in zip(axes[:, 0], panels, strict=True):
        ax.plot(xs, ys, "o-", color=SIDE_HEX["left"], lw=1.5, ms=5)
        if mid == "foot_strike_type":
            ax.set_yticks(range(len(STRIKE_LEVELS)), STRIKE_LEVELS)
            ax.set_ylim(-0.5, len(STRIKE_LEVELS) - 0.5)
        else:
            lo, hi = _padded(ys, _good(sessions, mid))
            for a, b in _good(sessions, mid):
                a, b = max(a, lo), min(b, hi)
                if b > a:
                    ax.axhspan(a, b, color=BAND_HEX["good"], alpha=0.15, lw=0, zorder=0)
            ax.set_ylim(lo, hi)
        ax.set_title(name, fontsize=10, loc="left")
        ax.grid(True, color="#d0d7de", lw=0.6)
    if sessions and sessions[0].athlete:
        fig.suptitle(f"Trends of {sessions[0].athlete}", fontsize=12, fontweight="bold")
    locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
    axes[-1, 0].xaxis.set_major_locator(locator)
    axes[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def plot_trends(sessions: Sequence[Session], path: str | Path) -> Path:
    """Write the trend plot to ``path`` (SVG or PNG by its suffix) atomically; returns the path."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        athlete = sessions[0].athlete if sessions else ""
        write_text_atomic(path, trend_svg(sessions, athlete, standalone=True))
        return path
    fig = _png_figure(sessions)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    return path
