"""formcheck.report.svgplot: nice ticks, compact labels, date ticks, min/max decimation and well-formed inline SVG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.report.svgplot import (
    MINUS,
    Figure,
    date_ticks,
    decimate_minmax,
    format_ticks,
    nice_ticks,
)


def _is_nice(step: float) -> bool:
    mant = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mant, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


@pytest.mark.parametrize(
    "lo,hi,expected",
    [
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (-21, 24, [-20, -10, 0, 10, 20]),
        (0, 59.97, [0, 10, 20, 30, 40, 50]),
        (0.001, 0.0042, [0.001, 0.002, 0.003, 0.004]),
        (160, 175, [160, 165, 170, 175]),
    ],
)
def test_nice_ticks_known(lo, hi, expected):
    assert nice_ticks(lo, hi)[2] == pytest.approx(expected)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 0.12]),
)
def test_nice_ticks_properties(lo, span, snap):
    hi = lo + span
    if hi - lo < 1e-6 * max(abs(lo), 1.0):  # below float resolution at this magnitude
        return
    a, b, ticks = nice_ticks(lo, hi, snap=snap)
    assert a <= lo + 1e-9 * max(abs(lo), 1) and b >= hi - 1e-9 * max(abs(hi), 1)  # the range covers the data
    assert all(a - 1e-9 * max(abs(a), 1) <= t <= b + 1e-9 * max(abs(b), 1) for t in ticks)
    assert 3 <= len(ticks) <= 7
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0], rtol=1e-6) and _is_nice(float(steps[0]))
    assert ticks[0] - a < steps[0] + 1e-9 and b - ticks[-1] < steps[0] + 1e-9  # no empty step at either end
    labels = format_ticks(ticks)
    assert len(set(labels)) == len(labels)  # distinct labels: enough decimals
    assert all(
        float(s.replace(MINUS, "-").rstrip("k")) * (1000 if s.endswith("k") else 1) == pytest.approx(t)
        for s, t in zip(labels, ticks, strict=True)
    )


def test_nice_ticks_edge_cases():
    lo, hi, ticks = nice_ticks(5.0, 5.0)  # a constant series is padded
    assert lo < 5 < hi and 5.0 in ticks
    assert nice_ticks(0.5, 1.5, integer=True)[2] == [1.0]  # one step on a step axis
    assert nice_ticks(0.5, 170.5, integer=True)[2] == [25, 50, 75, 100, 125, 150]
    with pytest.raises(ValueError):
        nice_ticks(0.0, float("nan"))


def test_format_ticks_compact():
    assert format_ticks([-20.0, -10.0, 0.0, 10.0]) == [f"{MINUS}20", f"{MINUS}10", "0", "10"]
    assert format_ticks([0.0, 2.5, 5.0, 7.5]) == ["0.0", "2.5", "5.0", "7.5"]
    assert format_ticks([0.001, 0.002]) == ["0.001", "0.002"]
    assert format_ticks([20000.0, 40000.0]) == ["20k", "40k"]
    assert format_ticks([]) == []


def test_date_ticks():
    lo, hi, ticks, labels = date_ticks(datetime(2024, 5, 1, 7, 30), datetime(2024, 8, 20))
    assert lo < datetime(2024, 5, 1) and hi > datetime(2024, 8, 20)
    assert [t.day for t in ticks] == [1] * len(ticks) and 3 <= len(ticks) <= 6
    assert labels[0] == "May 2024" and labels[1] == "Jun"
    _, _, ticks, labels = date_ticks(datetime(2024, 5, 1, 7, 30), datetime(2024, 5, 4))
    assert labels[0].endswith(", 2024") and all(t.hour == 0 for t in ticks)
    _, _, ticks, labels = date_ticks(datetime(2021, 3, 1), datetime(2028, 3, 1))
    assert all(s.isdigit() for s in labels) and len(ticks) <= 6
    _, _, ticks, labels = date_ticks(
        datetime(2024, 12, 20), datetime(2025, 1, 10)
    )  # year shown when it changes
    assert any("2025" in s for s in labels[1:])
    lo, hi, ticks, _ = date_ticks(datetime(2024, 5, 1, 7), datetime(2024, 5, 1, 7))  # a single session
    assert ticks and lo < datetime(2024, 5, 1, 7) < hi


def test_decimate_keeps_extremes_and_gaps():
    x = np.arange(36_000) / 60.0
    y = np.sin(x)
    y[1000] = 5.0  # a one-sample spike survives
    y[20_000:21_000] = np.nan  # a long gap breaks the line
    xd, yd = decimate_minmax(x, y, 0.0, x[-1], 500)
    assert len(xd) <= 2 * 500
    assert np.nanmax(yd) == 5.0 and np.nanmin(yd) == pytest.approx(np.nanmin(y))
    assert np.isnan(yd).any()
    ok = np.isfinite(yd)
    assert np.all(np.diff(xd[ok]) >= 0)  # time order kept
    short_x, short_y = decimate_minmax(x[:100], y[:100], 0.0, x[99], 500)
    assert np.array_equal(short_x, x[:100])


def _fig() -> Figure:
    fig = Figure('a "plot" & <more>')
    ax = fig.panel(150.0, "Title <1>", "deg")
    ax.hspan(-np.inf, 0.0, "#2ea44f", 0.1)
    ax.line([0, 1, 2, 3, 4], [1.0, np.nan, 3.0, 4.0, np.nan], "#0b7285", label="line")
    ax.markers([0, 1, 2], [1.0, np.nan, 2.0], "#2f7fd8", label="pts")
    ax.legend()
    fig.xlabel = "x"
    return fig


def test_svg_is_inline_wellformed_escaped_and_deterministic():
    svg = _fig().to_svg()
    root = ET.fromstring(svg)
    assert root.tag == "svg" and root.get("class") == "plot" and root.get("role") == "img"
    assert root.get("aria-label") == 'a "plot" & <more>'
    assert "width" not in root.attrib and "height" not in root.attrib and "xmlns" not in svg
    assert not svg.startswith("<?xml") and "<script" not in svg and "href" not in svg and "nan" not in svg
    assert "sans-serif" in root.get("font-family", "")
    texts = [t.text for t in root.iter("text")]
    assert "Title <1>" in texts and "deg" in texts and "x" in texts
    assert svg == _fig().to_svg()
    line = next(p for p in root.iter("path") if p.get("stroke") == "#0b7285" and p.get("fill") == "none")
    assert line.get("d").count("M") == 2  # NaN splits the line: [0] and [2, 3]
    dots = next(p for p in root.iter("path") if p.get("stroke") == "#2f7fd8")
    assert dots.get("d").count("h0") == 2  # the NaN marker is skipped
    standalone = ET.fromstring(_fig().to_svg(standalone=True))
    assert standalone.tag.endswith("svg") and standalone.get("width") and standalone.get("height")


def test_empty_figure_and_message():
    assert ET.fromstring(Figure("empty").to_svg()).tag == "svg"
    fig = Figure("none")
    fig.panel(60.0).message("nothing yet")
    root = ET.fromstring(fig.to_svg())
    assert [t.text for t in root.iter("text")] == ["nothing yet"]
