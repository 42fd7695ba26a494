"""Helpers shared by the event detectors (gait/common.py) on hand-made signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import GaitSettings
from formcheck.gait.common import (
    interpolate_nans,
    parabolic_peak,
    stride_period_s,
    validate_steps,
)
from formcheck.model import Step

SEARCH_S = GaitSettings().stride_search_s  # the stride periods searched by default


def test_interpolate_nans_is_linear_inside_and_holds_the_edges() -> None:
    v = np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    np.testing.assert_array_equal(interpolate_nans(v), [1.0, 1.0, 2.0, 3.0, 4.0, 4.0])
    assert np.isnan(interpolate_nans(np.full(3, np.nan))).all()


@pytest.mark.parametrize("fps", [30.0, 59.94, 120.0])
@pytest.mark.parametrize("period_s", [0.62, 0.75])
def test_stride_period_of_a_heel_track(fps: float, period_s: float) -> None:
    """A heel track with a strong second harmonic (two bumps per stride) still gives the stride, not the step."""
    t = np.arange(int(6 * fps)) / fps
    heel = np.sin(2 * np.pi * t / period_s) + 0.6 * np.sin(4 * np.pi * t / period_s + 0.3)
    assert stride_period_s(heel, fps, SEARCH_S) == pytest.approx(period_s, rel=0.01)


def test_stride_period_refuses_flat_short_and_gappy_signals() -> None:
    assert stride_period_s(np.ones(300), 30.0, SEARCH_S) is None
    assert stride_period_s(np.sin(np.arange(6.0)), 30.0, SEARCH_S) is None
    gappy = np.sin(2 * np.pi * np.arange(300) / 21.0)
    gappy[100] = np.nan
    assert stride_period_s(gappy, 30.0, SEARCH_S) is None


def test_parabolic_peak_finds_a_sub_frame_maximum() -> None:
    t = np.arange(20) / 30.0
    for peak_s in (0.2, 0.2123, 0.2299):
        y = -((t - peak_s) ** 2)
        assert parabolic_peak(y, t, int(np.argmax(y))) == pytest.approx(peak_s, abs=1e-9)
    assert parabolic_peak(t, t, 19) == t[19]  # at the edge: the frame's own time


def test_validate_steps_names_each_implausible_step() -> None:
    cfg = GaitSettings()
    steps = [
        Step("left", 1.00, toe_off_s=1.25),
        Step("right", 1.35, toe_off_s=1.60),
        Step("left", 1.70, toe_off_s=1.75),  # 50 ms on the ground
        Step("left", 2.05, toe_off_s=2.30),  # the right foot's contact was missed
        Step("right", 2.90, toe_off_s=3.15),  # 0.85 s after the last contact
        Step("left", 3.25),  # no toe-off: only the step time is checked
    ]
    out = validate_steps(steps, cfg)
    assert [s.valid for s in out] == [True, True, False, False, False, True]
    assert "contact time 50 ms outside 90-450 ms" in out[2].reject_reason
    assert "same foot" in out[3].reject_reason
    assert "step time 0.85 s outside 0.25-0.55 s" in out[4].reject_reason
    assert [s.contact_s for s in out] == [s.contact_s for s in steps]


def test_held_pictures_number_the_long_holds_only() -> None:
    from formcheck.gait.common import held_pictures

    nan = np.nan
    # pictures: 0 | 1-3 (3 copies) | 4-9 (6 copies) | 10 (unknown: a new picture) | 11-12
    repeated = np.array([nan, 0, 1, 1, 0, 1, 1, 1, 1, 1, nan, 0, 1])
    assert held_pictures(None, 5) is None
    assert list(held_pictures(repeated, 5)) == [-1, -1, -1, -1, 2, 2, 2, 2, 2, 2, -1, -1, -1]
    assert list(held_pictures(repeated, 3)) == [-1, 1, 1, 1, 2, 2, 2, 2, 2, 2, -1, -1, -1]
    # a picture shown once holds nothing
    assert list(held_pictures(repeated, 1)) == list(held_pictures(repeated, 2))
    assert list(held_pictures(np.ones(3), 2)) == [
        0,
        0,
        0,
    ]  # a first frame said to repeat still starts a picture
    assert held_pictures(np.zeros(0), 5).size == 0


def test_picture_minimum_compares_a_held_picture_with_the_frames_around_it() -> None:
    from formcheck.gait.common import picture_minimum

    held = np.array([-1, -1, 0, 0, 0, 0, -1, -1])
    knee = np.array([50.0, 45.0, 40.0, 38.0, 39.0, 38.5, 30.0, 35.0])  # the next picture is straighter
    assert not picture_minimum(knee, held, 3)
    assert picture_minimum(knee, held, 6)  # outside a held picture: nothing to judge here
    assert picture_minimum(knee, None, 3)
    knee[6] = 45.0  # the held picture is the straightest: its dip stands
    assert picture_minimum(knee, held, 3)
    knee[1] = 37.0  # ... unless the frame before it is straighter
    assert not picture_minimum(knee, held, 3)
