"""A panel's header row: its bold title and its legend (a glyph and a label per entry), wrapped and right-aligned
so it never covers the data."""

from __future__ import annotations

from collections.abc import Sequence

from formcheck.report.svgplot.panel import LegendEntry, Panel
from formcheck.report.svgplot.style import FS_LEGEND, FS_TITLE, svg_number, svg_text, text_width


def header_svg(p: Panel, x0: float, x1: float, y: float) -> tuple[float, list[str]]:
    """The title and legend of ``p`` above the plot area spanning ``x0``-``x1``, from ``y`` down: ``(y of the plot
    area's top, SVG elements)``."""
    out: list[str] = []
    entries = p.legend_entries if p.show_legend else []
    widths = [_glyph_w(e.glyph) + 4.0 + text_width(e.label, FS_LEGEND) for e in entries]
    leg_w = sum(widths) + 12.0 * max(len(entries) - 1, 0)
    title_w = text_width(p.title, FS_TITLE, bold=True) if p.title else 0.0
    if not p.title and not entries:
        return y + 7.0, out
    row = y + 14.0
    if p.title:
        out.append(svg_text(x0, row, p.title, FS_TITLE, extra='font-weight="600"'))
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


def _glyph_w(glyph: str) -> float:
    """The width of an entry's glyph: long for lines and bands, short for markers."""
    return 18.0 if glyph in ("line", "dash", "band") else 9.0


def _legend(entries: Sequence[LegendEntry], widths: Sequence[float], x: float, row: float) -> list[str]:
    """The legend row as one ``<g class="legend">``: a glyph and a label per entry, left to right from ``x``."""
    out = ['<g class="legend">']
    cy = row - 4.0
    for e, w in zip(entries, widths, strict=True):
        gw = _glyph_w(e.glyph)
        c = e.color
        if e.glyph == "o":
            out.append(f'<circle cx="{svg_number(x + gw / 2)}" cy="{svg_number(cy)}" r="3.5" fill="{c}"/>')
        elif e.glyph == "ring":
            out.append(
                f'<circle cx="{svg_number(x + gw / 2)}" cy="{svg_number(cy)}" r="3.25" fill="#fff" stroke="{c}" stroke-width="1.5"/>'
            )
        elif e.glyph == "x":
            a, b = x + gw / 2, cy
            out.append(
                f'<path d="M{svg_number(a - 3)} {svg_number(b - 3)}l6 6m0 -6l-6 6" stroke="{c}" stroke-width="1.5"/>'
            )
        elif e.glyph == "vline":
            op = f' stroke-opacity="{e.opacity:g}"' if e.opacity < 1 else ""
            out.append(
                f'<path d="M{svg_number(x + gw / 2)} {svg_number(cy - 6)}v12" stroke="{c}" stroke-width="1.5"{op}/>'
            )
        else:  # a line; "band": a line over a faint rectangle (mean and spread)
            if e.glyph == "band":
                out.append(
                    f'<rect x="{svg_number(x)}" y="{svg_number(cy - 5)}" width="{svg_number(gw)}" height="10" fill="{c}" '
                    f'fill-opacity="{e.opacity:g}"/>'
                )
            dash = ' stroke-dasharray="4 2.5"' if e.glyph == "dash" else ""
            width = 2 if e.glyph == "band" else 1.5
            out.append(
                f'<path d="M{svg_number(x)} {svg_number(cy)}h{svg_number(gw)}" stroke="{c}" stroke-width="{width}"{dash}/>'
            )
        out.append(svg_text(x + gw + 4.0, row, e.label, FS_LEGEND))
        x += w + 12.0
    out.append("</g>")
    return out
