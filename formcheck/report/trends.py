"""An athlete's trend plot: one panel per followed metric over the session dates, the good band of the latest
session shaded (the band its verdict was judged against). A session whose verdicts were withheld (too few usable
steps) is a hollow marker off the line: its value is shown, but the line joins only sessions with verdicts.
Returned as inline SVG (``trend_svg``, drawn with ``svgplot``) or written as an SVG or PNG file (``plot_trends``;
only PNG still uses matplotlib, imported when asked for)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from formcheck.files import atomic_path, write_text_atomic
from formcheck.history import WITHHELD_NOTE, Interval, Session, good_band
from formcheck.metrics.display import UNIT_LABELS
from formcheck.metrics.registry import HISTORY_IDS, title
from formcheck.report.plots import BAND_HEX, SIDE_HEX
from formcheck.report.svgplot import Figure, LegendEntry, date_ticks

STRIKE_LEVELS = ("forefoot", "midfoot", "rearfoot")


def trend_plot_name(athlete: str) -> str:
    """File name of an athlete's trend plot: ``trend_<athlete>.png`` with unsafe characters replaced."""
    return f"trend_{re.sub(r'[^A-Za-z0-9._-]+', '_', athlete).strip('._') or 'athlete'}.png"


def _series(sessions: Sequence[Session], mid: str, withheld: bool = False) -> tuple[list, list]:
    """Dates and values of ``mid`` in the sessions with verdicts (``withheld``: in those whose verdicts were
    withheld, whose values are shown apart)."""
    xs, ys = [], []
    for s in sessions:
        mv = s.metrics.get(mid)
        if mv is None or mv.value is None or s.withheld != withheld:
            continue
        if not withheld and mv.verdict == "n/a":  # unjudged values are not trended (history.compare)
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


def _panels(sessions: Sequence[Session]) -> list[tuple[str, str, list, list, list, list]]:
    """(metric id, panel title, dates, values, then those of sessions with verdicts withheld) of each followed
    metric measured in at least one session."""
    out = []
    for mid in HISTORY_IDS:
        xs, ys = _series(sessions, mid)
        wxs, wys = _series(sessions, mid, withheld=True)
        if xs or wxs:
            unit = next((s.metrics[mid].unit for s in sessions if mid in s.metrics), "")
            label = UNIT_LABELS.get(unit, unit).strip()
            out.append((mid, title(mid) + (f" ({label})" if label else ""), xs, ys, wxs, wys))
    return out


def _dates(panels: Sequence[tuple]) -> list[datetime]:
    return [x for p in panels for x in (*p[2], *p[4])]


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
    first = min(_dates(panels))
    lo, hi, ticks, labels = date_ticks(first, max(_dates(panels)))

    def days(d: datetime) -> float:
        return (d - first) / timedelta(days=1)

    fig.set_xlim(days(lo), days(hi))
    fig.set_xticks([days(t) for t in ticks], labels)
    colour = SIDE_HEX["left"]
    any_withheld = any(p[4] for p in panels)
    for i, (mid, name, xs, ys, wxs, wys) in enumerate(panels):
        ax = fig.panel(90.0, f"{athlete}: {name}" if i == 0 and athlete else name)
        x = [days(d) for d in xs]
        if mid == "foot_strike_type":
            ax.set_ylim(-0.5, len(STRIKE_LEVELS) - 0.5, nice=False)
            ax.set_yticks(range(len(STRIKE_LEVELS)), STRIKE_LEVELS)
        else:
            for a, b in _good(sessions, mid):
                ax.hspan(a, b, BAND_HEX["good"], 0.15)
            ax.set_ylim(*_padded([*ys, *wys], _good(sessions, mid)))
        if xs:
            ax.line(x, ys, colour, 1.5, decimate=False)
            ax.markers(x, ys, colour, "o", 7.0)
        if wxs:
            ax.markers([days(d) for d in wxs], wys, colour, "ring", 8.0)
        if i == 0 and any_withheld:
            ax.legend(LegendEntry("verdicts given", "o", colour), LegendEntry(WITHHELD_NOTE, "ring", colour))
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
    colour = SIDE_HEX["left"]
    for ax, (mid, name, xs, ys, wxs, wys) in zip(axes[:, 0], panels, strict=True):
        if xs:
            ax.plot(xs, ys, "o-", color=colour, lw=1.5, ms=5, label="verdicts given")
        if wxs:
            ax.plot(wxs, wys, "o", color=colour, mfc="white", mew=1.5, ms=6.5, ls="none", label=WITHHELD_NOTE)
        if mid == "foot_strike_type":
            ax.set_yticks(range(len(STRIKE_LEVELS)), STRIKE_LEVELS)
            ax.set_ylim(-0.5, len(STRIKE_LEVELS) - 0.5)
        else:
            lo, hi = _padded([*ys, *wys], _good(sessions, mid))
            for a, b in _good(sessions, mid):
                a, b = max(a, lo), min(b, hi)
                if b > a:
                    ax.axhspan(a, b, color=BAND_HEX["good"], alpha=0.15, lw=0, zorder=0)
            ax.set_ylim(lo, hi)
        ax.set_title(name, fontsize=10, loc="left")
        ax.grid(True, color="#d0d7de", lw=0.6)
    if any(p[4] for p in panels):
        handles, labels = axes[0, 0].get_legend_handles_labels()
        for ax in axes[1:, 0]:  # the first panel may lack one kind of point
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        # Above the first panel, right of its title: never over a point.
        axes[0, 0].legend(
            handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=8, frameon=False
        )
    if sessions and sessions[0].athlete:
        fig.suptitle(f"Trends of {sessions[0].athlete}", fontsize=12, fontweight="bold")
    dates = _dates(panels)
    if max(dates) - min(dates) < timedelta(days=2):  # one date: a week around it, not years of empty axis
        axes[-1, 0].set_xlim(min(dates) - timedelta(days=3), max(dates) + timedelta(days=3))
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
