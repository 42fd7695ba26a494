"""The figure: panels stacked vertically that share one x axis, laid out and written as one ``<svg>``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np

from formcheck.report.svgplot.legend import header_svg
from formcheck.report.svgplot.marks import Frame, item_svg
from formcheck.report.svgplot.panel import Panel
from formcheck.report.svgplot.style import (
    FG,
    FONT,
    FS_LABEL,
    FS_TICK,
    GRID,
    MUTED_STYLE,
    SPINE,
    TICK_PX,
    svg_number,
    svg_text,
    text_width,
)
from formcheck.report.svgplot.ticks import format_ticks, nice_ticks, pad_constant


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
        self.xlim = pad_constant(min(lo, hi), max(lo, hi))
        self.x_integer = integer

    def set_xticks(self, values: Sequence[float], labels: Sequence[str]) -> None:
        """Fixed x ticks (e.g. dates) instead of the automatic ones."""
        self._xticks = (list(values), list(labels))

    def track_x(self, x: np.ndarray) -> None:
        """Widen the automatic x range to cover the finite values of ``x`` (a panel's data)."""
        x = x[np.isfinite(x)]
        if x.size:
            self._xdata += [float(x.min()), float(x.max())]

    def _x_limits(self) -> tuple[float, float]:
        if self.xlim is None:
            lo, hi = (min(self._xdata), max(self._xdata)) if self._xdata else (0.0, 1.0)
            self.xlim = pad_constant(lo, hi)
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
        ylabels = [p.tick_labels()[1] for p in panels if not p.axis_off]
        left = 8.0 + max([text_width(s, FS_TICK) for lab in ylabels for s in lab] or [0.0]) + TICK_PX + 4.0
        if any(p.ylabel for p in panels):
            left += FS_LABEL + 6.0
        right = 10.0
        if xl and xhi > xlo and abs(xt[-1] - xhi) < 0.02 * (xhi - xlo):
            right = max(right, text_width(xl[-1], FS_TICK) / 2 + 3.0)
        x0, x1 = left, self.width - right
        sx = (x1 - x0) / (xhi - xlo)

        body: list[str] = []
        y = 4.0
        for i, p in enumerate(panels):
            header = header_svg(p, x0, x1, y)
            y = header[0]
            body += header[1]
            body += self._panel_body(p, x0, x1, y, xlo, sx, xt, xl if i == len(panels) - 1 else None)
            y += p.height + (8.0 if i < len(panels) - 1 else 0.0)
        if not all(p.axis_off for p in panels):
            y += TICK_PX + 4.0 + FS_TICK
        if self.xlabel:
            y += 6.0 + FS_LABEL
            body.append(svg_text((x0 + x1) / 2, y, self.xlabel, FS_LABEL, "middle"))
        height = math.ceil(y + 6.0)
        attrs = f'role="img" aria-label="{escape(self.label, quote=True)}" class="plot"'
        if standalone:
            attrs = (
                f'xmlns="http://www.w3.org/2000/svg" width="{svg_number(self.width)}" height="{height}" '
                + attrs
            )
        head = (
            f'<svg {attrs} viewBox="0 0 {svg_number(self.width)} {height}" font-family="{FONT}" '
            f'font-size="{svg_number(FS_TICK)}" fill="{FG}">'
        )
        if standalone:
            head += f'<rect width="{svg_number(self.width)}" height="{height}" fill="#fff"/>'
        return head + "".join(body) + "</svg>"

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
                svg_text((x0 + x1) / 2, top + p.height / 2, it.args[0], FS_LABEL, "middle", MUTED_STYLE)
                for it in p.items
                if it.kind == "message"
            ]
        ylo, yhi = p.limits()
        yt, yl = p.tick_labels()
        inside = [(v, s) for v, s in zip(yt, yl, strict=True) if ylo <= v <= yhi]
        yt, yl = [v for v, _ in inside], [s for _, s in inside]
        sy = (bottom - top) / (yhi - ylo)

        fr = Frame(x0, x1, top, bottom, xlo, ylo, yhi, sx, sy)
        X, Y = fr.px, fr.py

        out: list[str] = []
        layers: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
        # grid
        grid = [f"M{x0:.1f} {float(Y(v)):.1f}H{x1:.1f}" for v in yt]
        grid += [f"M{float(X(v)):.1f} {top:.1f}V{bottom:.1f}" for v in xt]
        if grid:
            layers[1].append(f'<path d="{"".join(grid)}" stroke="{GRID}" stroke-width="0.6" fill="none"/>')
        for it in p.items:
            layers[it.layer].append(item_svg(it, fr, self._x_limits()))
        for k in (0, 1, 2):
            out += [s for s in layers[k] if s]
        # spines and ticks
        ticks = "".join(f"M{x0:.1f} {float(Y(v)):.1f}h{-TICK_PX:g}" for v in yt)
        ticks += "".join(f"M{float(X(v)):.1f} {bottom:.1f}v{TICK_PX:g}" for v in xt)
        out.append(
            f'<path d="M{x0:.1f} {top:.1f}V{bottom:.1f}H{x1:.1f}{ticks}" stroke="{SPINE}" fill="none"/>'
        )
        for v, s in zip(yt, yl, strict=True):
            out.append(
                svg_text(x0 - TICK_PX - 3.0, float(Y(v)), s, FS_TICK, "end", MUTED_STYLE, 'dy="0.35em"')
            )
        if xl is not None:
            ty = bottom + TICK_PX + 2.0 + FS_TICK
            out += [
                svg_text(float(X(v)), ty, s, FS_TICK, "middle", MUTED_STYLE)
                for v, s in zip(xt, xl, strict=True)
            ]
        if p.ylabel:
            cx, cy = 4.0 + FS_LABEL, (top + bottom) / 2
            out.append(
                f'<text transform="translate({svg_number(cx)} {svg_number(cy)}) rotate(-90)" text-anchor="middle" '
                f'font-size="{svg_number(FS_LABEL)}">{escape(p.ylabel, quote=False)}</text>'
            )
        out += [s for s in layers[3] if s]
        return out
