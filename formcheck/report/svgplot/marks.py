"""Each kind of panel item as SVG: bands, lines, vertical marks, filled bands, markers, tap targets and notes, in
pixels of the panel's ``Frame``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.processing.gaps import nan_runs
from formcheck.report.svgplot.decimate import decimate_minmax
from formcheck.report.svgplot.panel import Item
from formcheck.report.svgplot.style import FS_NOTE, HALO, MUTED, svg_number, svg_text


@dataclass(frozen=True)
class Frame:
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


def _runs(px: np.ndarray, py: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of points drawable as one line (both coordinates finite)."""
    return nan_runs(np.isfinite(px) & np.isfinite(py))


def _coords(px: np.ndarray, py: np.ndarray) -> str:
    return " ".join(f"{a:.1f} {b:.1f}" for a, b in zip(px.tolist(), py.tolist(), strict=True))


def item_svg(it: Item, fr: Frame, x_limits: tuple[float, float]) -> str:
    """``it`` as an SVG element in ``fr`` ("" when nothing of it falls inside the frame); ``x_limits`` are the
    figure's, the range a long line is decimated over."""
    kw = it.kw
    x0, x1, top, bottom, ylo, yhi = fr.x0, fr.x1, fr.top, fr.bottom, fr.ylo, fr.yhi
    X, Y = fr.px, fr.py
    if it.kind == "hspan":
        a, b = max(it.args[0], ylo), min(it.args[1], yhi)
        if not b > a:
            return ""
        ya, yb = float(Y(b)), float(Y(a))
        return (
            f'<rect x="{svg_number(x0)}" y="{svg_number(ya)}" width="{svg_number(x1 - x0)}" height="{svg_number(yb - ya)}" '
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
            x, y = decimate_minmax(x, y, *x_limits, columns=int(x1 - x0))
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
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{svg_number(s / 2 - 0.75)}"/>'
                for a, b in zip(px, py, strict=True)
            )
            return f'<g fill="#fff" stroke="{kw["color"]}" stroke-width="1.5">{rings}</g>'
        d = "".join(f"M{a:.1f} {b:.1f}h0" for a, b in zip(px, py, strict=True))
        return (
            f'<path d="{d}" stroke="{kw["color"]}" stroke-width="{s:g}" stroke-linecap="round" fill="none"/>'
        )
    if it.kind == "targets":
        px, py = X(it.args[0]), Y(it.args[1])
        r = kw["radius"]
        dots = [
            f'<circle class="step" data-step="{k}" cx="{a:.1f}" cy="{b:.1f}" r="{svg_number(r)}"/>'
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
        return svg_text(x1 - 3.0, float(Y(v)) - 3.5, text, FS_NOTE, "end", f'style="fill:{MUTED};{HALO}"')
    return ""
