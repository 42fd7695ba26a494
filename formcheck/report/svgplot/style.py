"""The plots' look: colours, font sizes, and SVG text (estimated widths, compact numbers) shared by every part."""

from __future__ import annotations

from html import escape

FONT = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif"
FG = "#24292f"
MUTED = "#57606a"
SPINE = "#8c959f"
GRID = "#d0d7de"
MINUS = "\u2212"

TICK_PX = 4.0
FS_TICK = 12.0
FS_LABEL = 12.5
FS_TITLE = 13.0
FS_LEGEND = 12.0
FS_NOTE = 11.5
MUTED_STYLE = f'style="fill:{MUTED}"'
HALO = "paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round"


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


def svg_number(v: float) -> str:
    """``v`` as an SVG attribute: one decimal at most, none when it is zero, never ``-0``."""
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def svg_text(
    x: float, y: float, s: str, size: float, anchor: str = "start", style: str = "", extra: str = ""
) -> str:
    """A ``<text>`` element of ``s`` (escaped) at ``x``, ``y``; the font size only when it is not the ticks'
    (the ``<svg>`` element's default)."""
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    fs = "" if size == FS_TICK else f' font-size="{svg_number(size)}"'
    st = f" {style}" if style else ""
    ex = f" {extra}" if extra else ""
    return f'<text x="{svg_number(x)}" y="{svg_number(y)}"{a}{fs}{st}{ex}>{escape(s, quote=False)}</text>'
