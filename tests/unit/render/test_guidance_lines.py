"""The minimal drawing for the issue-19 measures: the near ear-shoulder line (side), the stance leg's hip-ankle line
with the knee marked (rear/front); nothing, and no error, without landmarks."""

from __future__ import annotations

import numpy as np

from formcheck.render.guidance_lines import GuidanceLinesAnnotator
from formcheck.render.state import FrameState
from formcheck.skeleton import INDEX, N_LANDMARKS


def _state(view: str, points: dict[str, tuple[float, float]]) -> FrameState:
    xy = np.full((N_LANDMARKS, 2), np.nan)
    for name, p in points.items():
        xy[INDEX[name]] = p
    return FrameState(0.0, xy, np.ones(N_LANDMARKS), 1.0, "right", view=view)


def test_draws_in_side_and_rear_views_and_survives_missing_points():
    blank = np.zeros((200, 200, 3), np.uint8)
    side = _state("side", {"right_ear": (100, 30), "right_shoulder": (95, 70)})
    assert GuidanceLinesAnnotator().annotate(blank.copy(), side).any()
    legs = {
        f"{s}_{p}": (x, y)
        for s, x0 in (("left", 80), ("right", 120))
        for p, x, y in (
            ("hip", x0, 80),
            ("knee", x0 + (5 if s == "left" else 0), 130),
            ("ankle", x0, 180 if s == "left" else 160),
        )
    }
    assert GuidanceLinesAnnotator().annotate(blank.copy(), _state("rear", legs)).any()
    assert not GuidanceLinesAnnotator().annotate(blank.copy(), _state("rear", {})).any()
    assert not GuidanceLinesAnnotator().annotate(blank.copy(), _state("side", {})).any()
