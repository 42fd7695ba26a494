"""How values and verdicts read as text, in the report, the video panel, the roster and the terminal."""

from __future__ import annotations

import math
import re

UNIT_LABELS: dict[str, str] = {"deg": "°", "steps/min": "spm", "%leg": "% leg", "category": ""}

VERDICT_WORDS: dict[str, str] = {
    "good": "Good",
    "watch": "Watch",
    "borderline": "Borderline",
    "flag": "Flag",
    "n/a": "n/a",
}

# Units whose values are shown as whole numbers.
_WHOLE_UNITS = ("steps/min", "ms", "%leg", "% of stride", "%hip width")


def is_missing(value: object) -> bool:
    """True for None and for a non-finite float."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt_number(value: object, unit: str = "", digits: int | None = None) -> str:
    """A value as people read it: '22 % leg', '7.1°', '170 spm', 'rearfoot'; '–' when missing. Without
    ``digits``: whole numbers for counts, rates, %leg and values of 100 or more, else one decimal."""
    if is_missing(value):
        return "–"
    if isinstance(value, str):
        return value
    v = float(value)  # type: ignore[arg-type]
    if digits is None:
        digits = 0 if unit in _WHOLE_UNITS or abs(v) >= 100 else 1
    text = f"{v:.{digits}f}"
    label = UNIT_LABELS.get(unit, f" {unit}" if unit else "")
    if label in ("°", "") or label.startswith("%"):
        return text + label
    return f"{text} {label.strip()}"


_SPEC_REFERENCE = re.compile(
    r"\s*\((?:[^()]*;\s*)?METRICS\.md[^()]*\)|\s*METRICS\.md(?: section)? [0-9.]+[0-9]"
)


def plain_words(text: str) -> str:
    """``text`` without references to formcheck's specification ("(METRICS.md 5.2)"): a runner reads the
    sentence, analysis.json keeps the reference."""
    return _SPEC_REFERENCE.sub("", text)
