"""How angles and values read as text: no '-0' on the video labels or in the report."""

import pytest

from formcheck.metrics.display import fmt_number, step_strike_words, whole_degrees


@pytest.mark.parametrize(
    ("value", "signed", "text"),
    [
        (-0.3, True, "0°"),
        (-0.3, False, "0°"),
        (0.4, True, "0°"),
        (2.6, True, "+3°"),
        (-2.6, True, "-3°"),
        (14.2, False, "14°"),
    ],
)
def test_whole_degrees(value: float, signed: bool, text: str) -> None:
    assert whole_degrees(value, signed=signed) == text


def test_a_value_rounding_to_zero_reads_zero() -> None:
    assert fmt_number(-0.04, "deg") == "0.0°"
    assert fmt_number(-0.4, "deg", digits=0) == "0°"
    assert fmt_number(-1.26, "deg") == "-1.3°"


def test_a_percentage_reads_without_a_space() -> None:
    assert fmt_number(100.0, "%") == "100%"


@pytest.mark.parametrize(
    ("strike", "foot_deg", "words"),
    [
        ("midfoot", 16.0, "midfoot overall"),  # side_23: classed with the runner's other steps
        ("midfoot", 3.0, "midfoot"),
        ("rearfoot", 5.0, "rearfoot overall"),
        ("rearfoot", 12.0, "rearfoot"),
        ("forefoot", -4.0, "forefoot"),
        ("forefoot", 0.0, "forefoot overall"),
        ("indeterminate", 14.0, "type unclear"),  # the band around a line says so itself
        ("midfoot", None, "midfoot"),
        (None, 10.0, ""),
    ],
)
def test_step_strike_words(strike: str | None, foot_deg: float | None, words: str) -> None:
    assert step_strike_words(strike, foot_deg, 8.0, -1.6) == words
