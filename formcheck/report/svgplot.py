"""A small plotting module that writes inline SVG (pure Python + NumPy, no matplotlib).

One ``Figure`` holds panels stacked vertically that share the x axis. A panel draws shaded horizontal bands,
reference lines, vertical marks, polylines (NaN breaks the line; long series are decimated to min/max per
pixel column), filled bands and markers. Axes get "nice" ticks; the legend sits in the panel's header row, so
it never covers the data. The output is deterministic: the same calls give the same bytes. Nothing is
clipped: the y limits cover the data unless the caller sets them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

import numpy as np

from formcheck.processing.gaps import nan_runs

FONT = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif"
FG = "#24292f"
MUTED = "#57606a"
SPINE = "#8c959f"
GRID = "#d0d7de"
MINUS = "\u2212"

_TICK_PX = 4.0
_FS_TICK = 12.0
_FS_LABEL = 12.5
_FS_TITLE = 13.0
_FS_LEGEND = 12.0
_FS_NOTE = 11.5
_MUTED_STYLE = f'style="fill:{MUTED}"'
_HALO = "paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round"


# --- ticks -------------------------------------------------------------------------------------------------------


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


def _pad_constant(lo: float, hi: float) -> tuple[float, float]:
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
    lo, hi = _pad_constant(min(lo, hi), max(lo, hi))
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


# --- decimation -----------------------------------------------------------------------------------------------


def decimate_minmax(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, columns: int
) -> tuple[np.ndarray, np.ndarray]:
    """At most two points (the minimum and maximum, in time order) per pixel column of a line over sorted
    ``x``; a column with no finite value becomes one NaN point, which breaks the line. Short series pass
    through unchanged."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) <= 2 * columns or hi <= lo:
        return x, y
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    col = np.clip(((x - lo) / (hi - lo) * columns).astype(np.int64), 0, columns - 1)
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    size = np.diff(np.r_[starts, len(x)])
    mins = np.fmin.reduceat(y, starts)
    maxs = np.fmax.reduceat(y, starts)
    bin_of = np.repeat(np.arange(len(starts)), size)
    idx = np.arange(len(x))
    big = len(x)
    imin = np.minimum.reduceat(np.where(y == mins[bin_of], idx, big), starts)
    imax = np.minimum.reduceat(np.where(y == maxs[bin_of], idx, big), starts)
    first, second = np.minimum(imin, imax), np.maximum(imin, imax)
    pick = np.stack([first, second], axis=1).ravel()
    gap = np.repeat(first == big, 2)
    pick = np.where(gap, 0, pick)
    xo, yo = x[pick], y[pick]
    yo[gap] = np.nan
    return xo, yo


# --- text ----------------------------------------------------------------------------------------------------------

# Advance widths (em) of DejaVu Sans, the widest of the usual system sans-serif fonts, so estimates err wide.
_WIDTHS = {
    **dict.fromkeys("'ijlIJ", 0.29),
    **dict.fromkeys(" .,:;|/", 0.33),
    **dict.fromkeys("f-()[]t!r", 0.41),
    **dict.fromkeys("szc°", 0.55),
    **dict.fromkeys("=+±−", 0.84),
    "w": 0.82,
    "M": 0.87,
    "%": 0.95,
    "m": 0.98,
    "W": 0.99,
}


def text_width(s: str, size: float, bold: bool = False) -> float:
    """Approximate rendered width of ``s`` in a sans-serif font of ``size`` (errs on the wide side)."""
    w = sum(_WIDTHS.get(ch, 0.74 if ch.isupper() else 0.64) for ch in s)
    return w * size * (1.13 if bold else 1.0)


def _n(v: float) -> str:
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _text(
    x: float, y: float, s: str, size: float, anchor: str = "start", style: str = "", extra: str = ""
) -> str:
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    fs = "" if size == _FS_TICK else f' font-size="{_n(size)}"'
    st = f" {style}" if style else ""
    ex = f" {extra}" if extra else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{a}{fs}{st}{ex}>{escape(s, quote=False)}</text>'


def _runs(px: np.ndarray, py: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of points drawable as one line (both coordinates finite)."""
    return nan_runs(np.isfinite(px) & np.isfinite(py))


def _coords(px: np.ndarray, py: np.ndarray) -> str:
    return " ".join(f"{a:.1f} {b:.1f}" for a, b in zip(px.tolist(), py.tolist(), strict=True))


# --- figure ------------------------------------------------------------------------------------------------------


@dataclass
class _Item:
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


@dataclass(frozen=True)
class _Frame:
    """A panel's plot area in SVG units and its data-to-pixel mapping."""

    x0: float
    x1: float
    top: float
    bottom: float
    xlo: float
    ylo: float
    yhi: float
    sx: float
    sy: float

    def px(self, v: float | np.ndarray) -> np.ndarray:
        return self.x0 + (np.asarray(v, dtype=float) - self.xlo) * self.sx

    def py(self, v: float | np.ndarray) -> np.ndarray:
        return self.bottom - (np.asarray(v, dtype=float) - self.ylo) * self.sy


class Panel:
    """One plot area. Data methods take data coordinates; drawing order follows the calls (bands and grid
    first)."""

    def __init__(self, fig: Figure, height: float, title: str, ylabel: str) -> None:
        self.fig = fig
        self.height = height
        self.title = title
        self.ylabel = ylabel
        self.items: list[_Item] = []
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
        self.items.append(_Item(layer, kind, args, kw))
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
        self.fig._track_x(x)
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
        self.fig._track_x(x)
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
        self.fig._track_x(x)
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
    def _limits(self) -> tuple[float, float]:
        if self.ylim is None:
            lo, hi = (min(self._ydata), max(self._ydata)) if self._ydata else (0.0, 1.0)
            span = hi - lo
            self.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
        assert self.ylim is not None
        return self.ylim

    def _tick_labels(self) -> tuple[list[float], list[str]]:
        self._limits()
        return self._yticks_fixed or self._yticks_auto


class Figure:
    """Panels stacked vertically sharing one x axis, written by ``to_svg``."""

    def __init__(self, label: str, width: float = 560.0) -> None:
        self.label = label
        self.width = width
        self.panels: list[Panel] = []
        self.xlim: tuple[float, float] | None = None
        self.xlabel = ""
        self.x_integer = False
        self._xticks: tuple[list[float], list[str]] | None = None
        self._xdata: list[float] = []

    def panel(self, height: float = 170.0, title: str = "", ylabel: str = "") -> Panel:
        """Add a panel below the others: ``height`` of its plot area, a bold ``title`` above it."""
        p = Panel(self, height, title, ylabel)
        self.panels.append(p)
        return p

    def set_xlim(self, lo: float, hi: float, integer: bool = False) -> None:
        """Fix the x range (ticks inside it); ``integer`` keeps the tick step whole."""
        self.xlim = _pad_constant(min(lo, hi), max(lo, hi))
        self.x_integer = integer

    def set_xticks(self, values: Sequence[float], labels: Sequence[str]) -> None:
        """Fixed x ticks (e.g. dates) instead of the automatic ones."""
        self._xticks = (list(values), list(labels))

    def _track_x(self, x: np.ndarray) -> None:
        x = x[np.isfinite(x)]
        if x.size:
            self._xdata += [float(x.min()), float(x.max())]

    def _x_limits(self) -> tuple[float, float]:
        if self.xlim is None:
            lo, hi = (min(self._xdata), max(self._xdata)) if self._xdata else (0.0, 1.0)
            self.xlim = _pad_constant(lo, hi)
        return self.xlim

    def _x_ticks(self) -> tuple[list[float], list[str]]:
        if self._xticks is None:
            lo, hi = self._x_limits()
            _, _, ticks = nice_ticks(lo, hi, integer=self.x_integer)
            self._xticks = (ticks, format_ticks(ticks))
        return self._xticks

    def to_svg(self, standalone: bool = False) -> str:
        """The figure as an ``<svg>`` element for inline HTML (``standalone``: a complete SVG file)."""
        xlo, xhi = self._x_limits()
        xt, xl = self._x_ticks()
        panels = self.panels or [self.panel()]
        ylabels = [p._tick_labels()[1] for p in panels if not p.axis_off]
        left = 8.0 + max([text_width(s, _FS_TICK) for lab in ylabels for s in lab] or [0.0]) + _TICK_PX + 4.0
        if any(p.ylabel for p in panels):
            left += _FS_LABEL + 6.0
        right = 10.0
        if xl and xhi > xlo and abs(xt[-1] - xhi) < 0.02 * (xhi - xlo):
            right = max(right, text_width(xl[-1], _FS_TICK) / 2 + 3.0)
        x0, x1 = left, self.width - right
        sx = (x1 - x0) / (xhi - xlo)

        body: list[str] = []
        y = 4.0
        for i, p in enumerate(panels):
            header = self._header(p, x0, x1, y)
            y = header[0]
            body += header[1]
            body += self._panel_body(p, x0, x1, y, xlo, sx, xt, xl if i == len(panels) - 1 else None)
            y += p.height + (8.0 if i < len(panels) - 1 else 0.0)
        if not all(p.axis_off for p in panels):
            y += _TICK_PX + 4.0 + _FS_TICK
        if self.xlabel:
            y += 6.0 + _FS_LABEL
            body.append(_text((x0 + x1) / 2, y, self.xlabel, _FS_LABEL, "middle"))
        height = math.ceil(y + 6.0)
        attrs = f'role="img" aria-label="{escape(self.label, quote=True)}" class="plot"'
        if standalone:
            attrs = f'xmlns="http://www.w3.org/2000/svg" width="{_n(self.width)}" height="{height}" ' + attrs
        head = (
            f'<svg {attrs} viewBox="0 0 {_n(self.width)} {height}" font-family="{FONT}" '
            f'font-size="{_n(_FS_TICK)}" fill="{FG}">'
        )
        if standalone:
            head += f'<rect width="{_n(self.width)}" height="{height}" fill="#fff"/>'
        return head + "".join(body) + "</svg>"

    # --- pieces ---
    def _header(self, p: Panel, x0: float, x1: float, y: float) -> tuple[float, list[str]]:
        out: list[str] = []
        entries = p.legend_entries if p.show_legend else []
        widths = [_glyph_w(e.glyph) + 4.0 + text_width(e.label, _FS_LEGEND) for e in entries]
        leg_w = sum(widths) + 12.0 * max(len(entries) - 1, 0)
        title_w = text_width(p.title, _FS_TITLE, bold=True) if p.title else 0.0
        if not p.title and not entries:
            return y + 7.0, out
        row = y + 14.0
        if p.title:
            out.append(_text(x0, row, p.title, _FS_TITLE, extra='font-weight="600"'))
        if entries:
            if p.title and title_w + 16.0 + leg_w > x1 - x0:
                row += 18.0
            # Entries wrap onto more rows when they do not fit the width, each row right-aligned.
            lines: list[list[int]] = [[]]
            used = 0.0
            for k, w in enumerate(widths):
                if lines[-1] and used + 12.0 + w > x1 - x0:
                    lines.append([])
                    used = 0.0
                used += (12.0 if lines[-1] else 0.0) + w
                lines[-1].append(k)
            for n, line in enumerate(lines):
                es, ws = [entries[k] for k in line], [widths[k] for k in line]
                line_w = sum(ws) + 12.0 * (len(ws) - 1)
                out += _legend(es, ws, max(x0, x1 - line_w), row)
                if n < len(lines) - 1:
                    row += 18.0
        return row + 9.0, out

    def _panel_body(
        self,
        p: Panel,
        x0: float,
        x1: float,
        top: float,
        xlo: float,
        sx: float,
        xt: list[float],
        xl: list[str] | None,
    ) -> list[str]:
        bottom = top + p.height
        if p.axis_off:
            return [
                _text((x0 + x1) / 2, top + p.height / 2, it.args[0], _FS_LABEL, "middle", _MUTED_STYLE)
                for it in p.items
                if it.kind == "message"
            ]
        ylo, yhi = p._limits()
        yt, yl = p._tick_labels()
        inside = [(v, s) for v, s in zip(yt, yl, strict=True) if ylo <= v <= yhi]
        yt, yl = [v for v, _ in inside], [s for _, s in inside]
        sy = (bottom - top) / (yhi - ylo)

        fr = _Frame(x0, x1, top, bottom, xlo, ylo, yhi, sx, sy)
        X, Y = fr.px, fr.py

        out: list[str] = []
        layers: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
        # grid
        grid = [f"M{x0:.1f} {float(Y(v)):.1f}H{x1:.1f}" for v in yt]
        grid += [f"M{float(X(v)):.1f} {top:.1f}V{bottom:.1f}" for v in xt]
        if grid:
            layers[1].append(f'<path d="{"".join(grid)}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
        for it in p.items:
            layers[it.layer].append(self._item(it, fr))
        for k in (0, 1, 2):
            out += [s for s in layers[k] if s]
        # spines and ticks
        ticks = "".join(f"M{x0:.1f} {float(Y(v)):.1f}h{-_TICK_PX:g}" for v in yt)
        ticks += "".join(f"M{float(X(v)):.1f} {bottom:.1f}v{_TICK_PX:g}" for v in xt)
        out.append(
            f'<path d="M{x0:.1f} {top:.1f}V{bottom:.1f}H{x1:.1f}{ticks}" stroke="{SPINE}" fill="none"/>'
        )
        for v, s in zip(yt, yl, strict=True):
            out.append(
                _text(x0 - _TICK_PX - 3.0, float(Y(v)), s, _FS_TICK, "end", _MUTED_STYLE, 'dy="0.35em"')
            )
        if xl is not None:
            ty = bottom + _TICK_PX + 2.0 + _FS_TICK
            out += [
                _text(float(X(v)), ty, s, _FS_TICK, "middle", _MUTED_STYLE)
                for v, s in zip(xt, xl, strict=True)
            ]
        if p.ylabel:
            cx, cy = 4.0 + _FS_LABEL, (top + bottom) / 2
            out.append(
                f'<text transform="translate({_n(cx)} {_n(cy)}) rotate(-90)" text-anchor="middle" '
                f'font-size="{_n(_FS_LABEL)}">{escape(p.ylabel, quote=False)}</text>'
            )
        out += [s for s in layers[3] if s]
        return out

    def _item(self, it: _Item, fr: _Frame) -> str:
        kw = it.kw
        x0, x1, top, bottom, ylo, yhi = fr.x0, fr.x1, fr.top, fr.bottom, fr.ylo, fr.yhi
        X, Y = fr.px, fr.py
        if it.kind == "hspan":
            a, b = max(it.args[0], ylo), min(it.args[1], yhi)
            if not b > a:
                return ""
            ya, yb = float(Y(b)), float(Y(a))
            return (
                f'<rect x="{_n(x0)}" y="{_n(ya)}" width="{_n(x1 - x0)}" height="{_n(yb - ya)}" '
                f'fill="{kw["color"]}" fill-opacity="{kw["opacity"]:g}"/>'
            )
        if it.kind == "hline":
            v = it.args[0]
            if not (math.isfinite(v) and ylo <= v <= yhi):
                return ""
            dash = f' stroke-dasharray="{kw["dash"]}"' if kw["dash"] else ""
            return (
                f'<path d="M{x0:.1f} {float(Y(v)):.1f}H{x1:.1f}" stroke="{kw["color"]}" '
                f'stroke-width="{kw["width"]:g}"{dash}/>'
            )
        if it.kind == "vlines":
            xs = X(it.args[0])
            xs = xs[np.isfinite(xs) & (xs >= x0 - 0.01) & (xs <= x1 + 0.01)]
            if not xs.size:
                return ""
            d = "".join(f"M{v:.1f} {top:.1f}V{bottom:.1f}" for v in xs.tolist())
            op = f' stroke-opacity="{kw["opacity"]:g}"' if kw["opacity"] < 1 else ""
            return f'<path d="{d}" stroke="{kw["color"]}" stroke-width="{kw["width"]:g}"{op}/>'
        if it.kind == "line":
            x, y = it.args
            if kw["decimate"]:
                x, y = decimate_minmax(x, y, *self._x_limits(), columns=int(x1 - x0))
            px, py = X(x), Y(y)
            parts = []
            for a, b in _runs(px, py):
                parts.append(f"M{_coords(px[a:b], py[a:b])}" + ("h0" if b - a == 1 else ""))
            if not parts:
                return ""
            return (
                f'<path d="{"".join(parts)}" stroke="{kw["color"]}" stroke-width="{kw["width"]:g}" fill="none" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        if it.kind == "fill":
            x, lo, hi = it.args
            px, plo, phi = X(x), Y(lo), Y(hi)
            parts = []
            for a, b in _runs(px, plo + phi):
                if b - a < 2:
                    continue
                parts.append(f"M{_coords(px[a:b], phi[a:b])} {_coords(px[a:b][::-1], plo[a:b][::-1])}Z")
            if not parts:
                return ""
            return f'<path d="{"".join(parts)}" fill="{kw["color"]}" fill-opacity="{kw["opacity"]:g}"/>'
        if it.kind == "markers":
            px, py = X(it.args[0]), Y(it.args[1])
            ok = np.isfinite(px) & np.isfinite(py)
            px, py = px[ok].tolist(), py[ok].tolist()
            if not px:
                return ""
            s = kw["size"]
            if kw["marker"] == "x":
                h = s * 0.42
                d = "".join(
                    f"M{a - h:.1f} {b - h:.1f}l{2 * h:.1f} {2 * h:.1f}m0 {-2 * h:.1f}l{-2 * h:.1f} {2 * h:.1f}"
                    for a, b in zip(px, py, strict=True)
                )
                return f'<path d="{d}" stroke="{kw["color"]}" stroke-width="1.5" fill="none"/>'
            if kw["marker"] == "ring":
                rings = "".join(
                    f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{_n(s / 2 - 0.75)}"/>'
                    for a, b in zip(px, py, strict=True)
                )
                return f'<g fill="#fff" stroke="{kw["color"]}" stroke-width="1.5">{rings}</g>'
            d = "".join(f"M{a:.1f} {b:.1f}h0" for a, b in zip(px, py, strict=True))
            return f'<path d="{d}" stroke="{kw["color"]}" stroke-width="{s:g}" stroke-linecap="round" fill="none"/>'
        if it.kind == "targets":
            px, py = X(it.args[0]), Y(it.args[1])
            r = kw["radius"]
            dots = [
                f'<circle class="step" data-step="{k}" cx="{a:.1f}" cy="{b:.1f}" r="{_n(r)}"/>'
                for a, b, k in zip(px.tolist(), py.tolist(), it.args[2], strict=True)
                if math.isfinite(a) and math.isfinite(b)
            ]
            if not dots:
                return ""
            return '<g class="steps" fill="#000" fill-opacity="0">' + "".join(dots) + "</g>"
        if it.kind == "note":
            v, text = it.args
            if not (ylo <= v <= yhi):
                return ""
            return _text(x1 - 3.0, float(Y(v)) - 3.5, text, _FS_NOTE, "end", f'style="fill:{MUTED};{_HALO}"')
        return ""


def _glyph_w(glyph: str) -> float:
    return 18.0 if glyph in ("line", "dash", "band") else 9.0


def _legend(entries: Sequence[LegendEntry], widths: Sequence[float], x: float, row: float) -> list[str]:
    """The legend row as one ``<g class="legend">``: a glyph and a label per entry, left to right from ``x``."""
    out = ['<g class="legend">']
    cy = row - 4.0
    for e, w in zip(entries, widths, strict=True):
        gw = _glyph_w(e.glyph)
        c = e.color
        if e.glyph == "o":
            out.append(f'<circle cx="{_n(x + gw / 2)}" cy="{_n(cy)}" r="3.5" fill="{c}"/>')
        elif e.glyph == "ring":
            out.append(
                f'<circle cx="{_n(x + gw / 2)}" cy="{_n(cy)}" r="3.25" fill="#fff" stroke="{c}" stroke-width="1.5"/>'
            )
        elif e.glyph == "x":
            a, b = x + gw / 2, cy
            out.append(f'<path d="M{_n(a - 3)} {_n(b - 3)}l6 6m0 -6l-6 6" stroke="{c}" stroke-width="1.5"/>')
        elif e.glyph == "vline":
            op = f' stroke-opacity="{e.opacity:g}"' if e.opacity < 1 else ""
            out.append(f'<path d="M{_n(x + gw / 2)} {_n(cy - 6)}v12" stroke="{c}" stroke-width="1.5"{op}/>')
        else:  # a line; "band": a line over a faint rectangle (mean and spread)
            if e.glyph == "band":
                out.append(
                    f'<rect x="{_n(x)}" y="{_n(cy - 5)}" width="{_n(gw)}" height="10" fill="{c}" '
                    f'fill-opacity="{e.opacity:g}"/>'
                )
            dash = ' stroke-dasharray="4 2.5"' if e.glyph == "dash" else ""
            width = 2 if e.glyph == "band" else 1.5
            out.append(f'<path d="M{_n(x)} {_n(cy)}h{_n(gw)}" stroke="{c}" stroke-width="{width}"{dash}/>')
        out.append(_text(x + gw + 4.0, row, e.label, _FS_LEGEND))
        x += w + 12.0
    out.append("</g>")
    return out
