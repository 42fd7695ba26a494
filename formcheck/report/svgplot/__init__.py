"""A small plotting package that writes inline SVG (pure Python + NumPy, no matplotlib).

One ``Figure`` holds panels stacked vertically that share the x axis. A panel draws shaded horizontal bands,
reference lines, vertical marks, polylines (NaN breaks the line; long series are decimated to min/max per
pixel column), filled bands and markers. Axes get "nice" ticks; the legend sits in the panel's header row, so
it never covers the data. The output is deterministic: the same calls give the same bytes. Nothing is
clipped: the y limits cover the data unless the caller sets them.

The parts: ``style`` (colours, fonts, SVG text), ``ticks``, ``decimate``, ``panel`` (what a panel holds),
``marks`` (each item as SVG), ``legend`` (a panel's header row) and ``figure`` (the layout). The names below are
the package's public face, imported by the report's plots and trends.
"""

from formcheck.report.svgplot.decimate import decimate_minmax
from formcheck.report.svgplot.figure import Figure
from formcheck.report.svgplot.panel import LegendEntry, Panel
from formcheck.report.svgplot.style import FG, FONT, GRID, MINUS, MUTED, SPINE, text_width
from formcheck.report.svgplot.ticks import date_ticks, format_ticks, nice_ticks

__all__ = [
    "FG",
    "FONT",
    "GRID",
    "MINUS",
    "MUTED",
    "SPINE",
    "Figure",
    "LegendEntry",
    "Panel",
    "date_ticks",
    "decimate_minmax",
    "format_ticks",
    "nice_ticks",
    "text_width",
]
