"""How values and verdicts read as text, in the report, the video panel, the roster and the terminal."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

UNIT_LABELS: dict[str, str] = {
    "deg": "°",
    "steps/min": "spm",
    "%leg": "% leg",
    "%": "%",
    "%hip width": "% hip width",  # "23% hip width", not "23 %hip width"
    "% of stride": "% of stride",
    "category": "",
}

# A category value as a runner reads it: a strike within the error margin of a class boundary (Murray 2019, see
# metrics/foot_strike.classify) is stored as "indeterminate", shown as "type unclear".
CATEGORY_WORDS: dict[str, str] = {"indeterminate": "type unclear"}

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


def step_strike_words(
    strike: str | None, foot_deg: float | None, rearfoot_above_deg: float, forefoot_below_deg: float
) -> str:
    """A step's strike class as its label reads ("" for none). Each step is classed with the runner's other steps
    (metrics/foot_strike.step_classes: a single reading is uncertain by about 8 deg), so its class can differ from
    the one its own angle would have alone (side_23: a step of +16 deg classed midfoot). The word then says
    "overall", so that number and word do not read as a contradiction ("+16° midfoot overall")."""
    if not strike:
        return ""
    words = CATEGORY_WORDS.get(strike, strike)
    if foot_deg is None or strike not in ("rearfoot", "midfoot", "forefoot"):
        return words
    own = angle_strike_class(foot_deg, rearfoot_above_deg, forefoot_below_deg)
    return words if own == strike else f"{words} overall"


def angle_strike_class(foot_deg: float, rearfoot_above_deg: float, forefoot_below_deg: float) -> str:
    """The strike class of one foot-strike angle (Altman & Davis 2012: above the rearfoot line rearfoot, below the
    forefoot line forefoot, else midfoot)."""
    if foot_deg > rearfoot_above_deg:
        return "rearfoot"
    if foot_deg < forefoot_below_deg:
        return "forefoot"
    return "midfoot"


def whole_degrees(value_deg: float, signed: bool = False) -> str:
    """An angle in whole degrees for a label on the video: '7°', '+3°' (signed), never '-0°'."""
    rounded = round(float(value_deg)) + 0  # + 0 turns -0 into 0
    return f"{rounded:+d}°" if signed and rounded != 0 else f"{rounded:d}°"


def fmt_number(value: object, unit: str = "", digits: int | None = None) -> str:
    """A value as people read it: '22 % leg', '7.1°', '170 spm', 'rearfoot'; '–' when missing. Without
    ``digits``: whole numbers for counts, rates, %leg and values of 100 or more, else one decimal."""
    if is_missing(value):
        return "–"
    if isinstance(value, str):
        return CATEGORY_WORDS.get(value, value)
    v = float(value)  # type: ignore[arg-type]
    if digits is None:
        digits = display_digits(v, unit)
    text = f"{v:.{digits}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")  # a value that rounds to zero reads 0, not -0
    label = UNIT_LABELS.get(unit, f" {unit}" if unit else "")
    if label in ("°", "") or label.startswith("%"):
        return text + label
    return f"{text} {label.strip()}"


def _to_precision(x: float, digits: int, direction: int) -> float:
    """``x`` at ``digits`` decimals: down (direction -1), up (+1) or to the nearest (0)."""
    if not math.isfinite(x):
        return x
    scale = 10.0**digits
    scaled = x * scale
    nearest = round(scaled)
    already = abs(scaled - nearest) <= 1e-9 * max(1.0, abs(scaled))  # at this precision but for binary noise
    if direction == 0 or already:
        return nearest / scale
    return (math.floor(scaled) if direction < 0 else math.ceil(scaled)) / scale


def display_digits(value: object, unit: str = "") -> int:
    """The decimals ``fmt_number`` shows ``value`` with: none for counts, rates, %leg and values of 100 or more,
    else one."""
    if is_missing(value) or isinstance(value, str):
        return 1
    return 0 if unit in _WHOLE_UNITS or abs(float(value)) >= 100 else 1  # type: ignore[arg-type]


def _written_end(
    x: float, digits: int, direction: int, band_of: Callable[[float], str] | None
) -> tuple[float, int]:
    """One end of an interval as written, with its decimals: rounded outward, unless that carries it into another
    band than the computed end's (``band_of``); then to the nearest, then with more decimals until it stays."""
    for d in range(digits, digits + 3):
        for candidate in (_to_precision(x, d, direction), _to_precision(x, d, 0)):
            if band_of is None or band_of(candidate) == band_of(x):
                return candidate, d
    return x, digits + 3


def written_interval(
    interval: tuple[float, float], digits: int, band_of: Callable[[float], str] | None = None
) -> tuple[float, float]:
    """An interval as analysis.json stores it: at ``digits`` decimals, rounded outward (the lower end down, the upper
    end up, so that the written interval holds the computed one), each end kept in the band it lies in
    (``_written_end``; in the rare case that needs it, an end keeps a decimal or two more). Rounded to nearest,
    side_24's reach interval starting at 29.96 %leg was written 30.0 beside a ``borderline`` verdict against the
    30 %leg cut-off, as if it lay wholly beyond it."""
    return (
        _written_end(float(interval[0]), digits, -1, band_of)[0],
        _written_end(float(interval[1]), digits, 1, band_of)[0],
    )


def fmt_interval(
    interval: tuple[float, float],
    unit: str = "",
    digits: int | None = None,
    band_of: Callable[[float], str] | None = None,
) -> str:
    """An interval as people read it ('29 to 35% leg', '-2.1 to 4.0°'), both ends at the decimals of its larger end
    (``display_digits``), rounded outward so that it holds the computed interval. With ``band_of`` (the verdict
    bands of the quantity), an end is never written in another band than it lies in: the cadence bands' edges sit at
    166.5 and 169.5 so that whole numbers read right, and a flag's upper end at 166.3 rounded up to 167 would seem to
    reach the watch band."""
    lo, hi = float(interval[0]), float(interval[1])
    if digits is None:
        digits = display_digits(max(abs(lo), abs(hi)), unit)
    (lo_w, lo_d), (hi_w, hi_d) = _written_end(lo, digits, -1, band_of), _written_end(hi, digits, 1, band_of)
    return f"{fmt_number(lo_w, '', lo_d)} to {fmt_number(hi_w, unit, hi_d)}"


_SPEC_REFERENCE = re.compile(
    r"\s*\((?:[^()]*;\s*)?METRICS\.md[^()]*\)|\s*METRICS\.md(?: section)? [0-9.]+[0-9]"
)


def plain_words(text: str) -> str:
    """``text`` without references to formcheck's specification ("(METRICS.md 5.2)"): a runner reads the
    sentence, analysis.json keeps the reference."""
    return _SPEC_REFERENCE.sub("", text)


def in_one_line(items: Sequence[str], max_listed: int = 4) -> str:
    """The first ``max_listed`` of ``items`` joined by '; ' for one line of text, the rest counted."""
    rest = len(items) - max_listed
    return "; ".join(items[:max_listed]) + (f"; and {rest} more" if rest > 0 else "")
