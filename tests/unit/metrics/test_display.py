"""How angles and values read as text: no '-0' on the video labels or in the report."""

import pytest

from formcheck.metrics.display import fmt_number, whole_degrees


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
