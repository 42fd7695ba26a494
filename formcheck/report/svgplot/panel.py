"""What a panel holds before it is drawn: its items (bands, lines, marks, notes) in call order, its legend
entries and its y limits and ticks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcheck.report.svgplot.style import FG
from formcheck.report.svgplot.ticks import format_ticks, nice_ticks


@dataclass
class Item:
    """One thing a panel draws: its ``layer`` (0 shaded bands, 2 data, 3 on top: tap targets, notes), ``kind``
    (what ``marks.item_svg`` draws) and arguments."""

    layer: int
    kind: str
    args: tuple
    kw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    glyph: str  # "o", "ring" (a hollow circle), "x", "line", "dash", "vline", "band"
    color: str
    opacity: float = 1.0


class SharedX(Protocol):
    """The figure a panel belongs to, as the panel sees it: the x range all its panels share."""

    def track_x(self, x: np.ndarray) -> None: ...


class Panel:
    """One plot area. Data methods take data coordinates; drawing order follows the calls (bands and grid
    first)."""

    def __init__(self, fig: SharedX, height: float, title: str, ylabel: str) -> None:
        self.fig = fig
        self.height = height
        self.title = title
        self.ylabel = ylabel
        self.items: list[Item] = []
        self.legend_entries: list[LegendEntry] = []
        self.show_legend = False
        self.ylim: tuple[float, float] | None = None
        self._yticks_auto: tuple[list[float], list[str]] = ([], [])
        self._yticks_fixed: tuple[list[float], list[str]] | None = None
        self._ydata: list[float] = []
        self.axis_off = False

    # limits and ticks
    def set_ylim(self, lo: float, hi: float, nice: bool = True) -> None:
        """Fix the y range; ``nice`` widens it to a round tick nearby (at most 12% of the range per end)."""
        n_min, n_max = (4, 6) if self.height >= 140 else (3, 4)  # fewer labels on a short panel
        lo, hi, ticks = nice_ticks(lo, hi, snap=0.12 if nice else 0.0, n_min=n_min, n_max=n_max)
        self.ylim = (lo, hi)
        self._yticks_auto = (ticks, format_ticks(ticks))

    def set_yticks(self, values: Sequence[float], labels: Sequence[str]) -> None:
        """Fixed y ticks (e.g. categories) instead of the automatic ones."""
        self._yticks_fixed = (list(values), list(labels))

    def legend(self, *entries: LegendEntry) -> None:
        """Show the legend in the header row: ``entries`` or those collected from ``label=`` arguments."""
        self.legend_entries.extend(entries)
        self.show_legend = True

    def _track(self, *arrays: np.ndarray) -> None:
        for a in arrays:
            a = np.asarray(a, dtype=float)
            a = a[np.isfinite(a)]
            if a.size:
                self._ydata += [float(a.min()), float(a.max())]

    def _add(self, layer: int, kind: str, *args, label: str = "", glyph: str = "", **kw) -> None:
        self.items.append(Item(layer, kind, args, kw))
        if label:
            self.legend_entries.append(LegendEntry(label, glyph, kw.get("color", FG), kw.get("opacity", 1.0)))

    # primitives
    def hspan(self, lo: float, hi: float, color: str, opacity: float = 0.1) -> None:
        """A shaded horizontal band (clipped to the y limits; infinite ends allowed)."""
        self._add(0, "hspan", lo, hi, color=color, opacity=opacity)

    def hline(self, y: float, color: str = FG, width: float = 1.0, dash: str = "", label: str = "") -> None:
        """A full-width horizontal line (``dash``: an SVG dash array such as ``"5 3"``)."""
        self._add(
            2, "hline", y, color=color, width=width, dash=dash, label=label, glyph="dash" if dash else "line"
        )

    def vlines(
        self, xs: Sequence[float], color: str, width: float = 0.8, opacity: float = 1.0, label: str = ""
    ) -> None:
        """Full-height vertical marks at ``xs`` (one path)."""
        self._add(
            2,
            "vlines",
            np.asarray(xs, dtype=float),
            color=color,
            width=width,
            opacity=opacity,
            label=label,
            glyph="vline",
        )

    def line(
        self,
        x: Sequence[float],
        y: Sequence[float],
        color: str,
        width: float = 1.5,
        label: str = "",
        decimate: bool = True,
    ) -> None:
        """A polyline; NaN breaks it. Long series are reduced to min/max per pixel column."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._track(y)
        self.fig.track_x(x)
        self._add(2, "line", x, y, color=color, width=width, decimate=decimate, label=label, glyph="line")

    def fill_between(
        self,
        x: Sequence[float],
        lo: Sequence[float],
        hi: Sequence[float],
        color: str,
        opacity: float = 0.18,
        label: str = "",
    ) -> None:
        """A filled band between ``lo`` and ``hi`` (e.g. mean ± SD); NaN breaks it."""
        x, lo, hi = (np.asarray(a, dtype=float) for a in (x, lo, hi))
        self._track(lo, hi)
        self.fig.track_x(x)
        self._add(2, "fill", x, lo, hi, color=color, opacity=opacity, label=label, glyph="band")

    def markers(
        self,
        x: Sequence[float],
        y: Sequence[float],
        color: str,
        marker: str = "o",
        size: float = 7.0,
        label: str = "",
    ) -> None:
        """Circles (``"o"``), hollow circles (``"ring"``) or crosses (``"x"``) of diameter ``size``; NaN points are
        skipped."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._track(y)
        self.fig.track_x(x)
        self._add(2, "markers", x, y, color=color, marker=marker, size=size, label=label, glyph=marker)

    def targets(
        self, x: Sequence[float], y: Sequence[float], keys: Sequence[int], radius: float = 9.0
    ) -> None:
        """Invisible circles of ``radius`` on top of the data, one per point, ``data-step`` = its key: what a page's
        script highlights and a reader taps (the report's steps). NaN points are skipped."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._add(3, "targets", x, y, [int(k) for k in keys], radius=radius)

    def note(self, y: float, text: str) -> None:
        """A small muted label right-aligned just above the horizontal line at ``y``."""
        self._add(3, "note", y, text)

    def message(self, text: str) -> None:
        """A centred message instead of data (turns the axes off)."""
        self.axis_off = True
        self._add(3, "message", text)

    # layout helpers
    def limits(self) -> tuple[float, float]:
        """The y range: the one set, else the data's padded by 5% and widened to round ticks."""
        if self.ylim is None:
            lo, hi = (min(self._ydata), max(self._ydata)) if self._ydata else (0.0, 1.0)
            span = hi - lo
            self.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
        assert self.ylim is not None
        return self.ylim

    def tick_labels(self) -> tuple[list[float], list[str]]:
        """The y ticks and their labels: the fixed ones, else those of ``limits``."""
        self.limits()
        return self._yticks_fixed or self._yticks_auto
