"""benchmarks/sole_contacts_probe.py: the test that the sole edge follows the sole (known answers)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import sole_contacts_probe as probe  # noqa: E402

LEG_PX = 100.0
STANCE = [6, 7, 8, 9]
CONTACT = 4
# The foot's lowest landmark falls 10 px a frame and stops at frame 4 (rows grow downward).
FOOT = np.array([60.0, 70, 80, 90, 100, 100, 100, 100, 100, 100, 100])


def test_an_edge_that_comes_down_with_the_foot_leads_by_nothing() -> None:
    edge = FOOT + 7.0  # the sole's edge 7 px below the landmarks, rigidly
    assert probe.edge_lead(edge, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.0)


def test_an_edge_that_lands_a_frame_after_the_foot_leads_by_one_frame_of_fall() -> None:
    # Frames 2..4: the edge stands 30, 20, 10 px above its level, the foot 20, 10, 0: 10 px = 0.1 leg higher.
    late = np.r_[FOOT[0], FOOT[:-1]] + 5.0
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.10)
    # From frame 3 only (--follow-from -1): 20 - 10 and 10 - 0 px.
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX, first=-1) == pytest.approx(0.10)


def test_an_edge_that_lands_before_the_landmarks_leads_negatively() -> None:
    early = np.r_[FOOT[1:], FOOT[-1]]  # down one frame sooner: 0.1 leg below the foot in frames 2 and 3
    assert probe.edge_lead(early, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(-0.2 / 3)


def test_frames_without_an_edge_are_left_out_and_none_at_all_is_nan() -> None:
    late = np.r_[FOOT[0], FOOT[:-1]] + 5.0
    late[2] = np.nan  # frames 3 and 4 remain: 20 - 10 and 10 - 0 px
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.10)
    late[3:5] = np.nan
    assert np.isnan(probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX))


def test_a_clip_follows_the_sole_when_its_median_lead_is_at_most_the_limit() -> None:
    assert probe.FOLLOW_MAX_LEG == 0.01
    assert probe.clip_follows([-0.02, 0.0, 0.01, 0.05])  # median 0.005
    assert probe.clip_follows([0.01, 0.01, np.nan])  # NaN left out; on the limit passes
    assert not probe.clip_follows([0.0, 0.015, 0.016])  # median 0.015: the treadmills and the grass
    assert not probe.clip_follows([np.nan, np.nan])  # nothing measured: nothing to trust
    assert not probe.clip_follows([])
    assert probe.clip_follows([0.012], max_lead=0.02)


# ---------------------------------------------------------------------------------------------------- drawn shoe
FPS = 30.0
GROUND_ROW = 60  # the row the sole lands on, crop px
DRAWN_LEG_PX = 250.0  # tolerance 0.02 leg = 5 px
DROP_PX = (24, 18, 12, 6, 0, 0, 0, 0, 0, 0, 0)  # the sole above the ground per frame: lands at frame 4
SOLE_PX = 8  # the outsole's height


def _drawn_window(sole_hidden_in_flight: bool) -> tuple[dict, SimpleNamespace, np.ndarray, np.ndarray]:
    """A dark shoe (upper) on a red outsole landing on a grey ground seen from above (a belt: grey behind the foot
    too), 11 frames, and its heel / toe / ankle landmarks moving with it. ``sole_hidden_in_flight``: the outsole
    takes the ground's colour until the foot lands (a blurred outsole, as on the portrait treadmill).

    (A background the colour model never saw, such as a wall behind a foot in flight, is neither shoe nor ground
    to it (probability 0.5): the smoothing then lowers the edge by about 1.5 px there.)"""
    crops, xy = [], np.full((len(DROP_PX), 33, 2), np.nan)
    for k, up in enumerate(DROP_PX):
        img = np.full((100, 160, 3), (110, 110, 115), np.uint8)  # ground, and behind the foot
        bottom = GROUND_ROW - up  # the outsole's lowest row + 1
        img[bottom - 34 : bottom - SOLE_PX, 50:110] = (40, 30, 90)  # upper
        hidden = sole_hidden_in_flight and up > 0
        img[bottom - SOLE_PX : bottom, 50:110] = (110, 110, 115) if hidden else (200, 40, 40)  # outsole
        crops.append(img)
        for name, point in (
            ("heel", (53, bottom - 6)),
            ("foot_index", (107, bottom - 6)),
            ("ankle", (60, bottom - 30)),
        ):
            xy[k, probe.NAMES.index(f"left_{name}")] = point
    window = {"frames": list(range(len(DROP_PX))), "box": (0, 0, 159, 99), "crops": crops}
    return window, SimpleNamespace(side="left"), xy, np.arange(len(DROP_PX)) / FPS


def test_a_drawn_sole_is_timed_on_its_landing_frame_and_follows_the_foot() -> None:
    args = probe.build_parser().parse_args(["score"])
    w, st, xy, t = _drawn_window(sole_hidden_in_flight=False)
    r = probe.time_contact(w, st, xy, t, DRAWN_LEG_PX, args)
    # Within 5 px of the ground between frame 3 (6 px above) and frame 4 (on it): 1/6 of the way, marked 4.
    assert r["t"] == pytest.approx(3.0 / FPS + (1 / 6) / FPS, abs=0.15 / FPS)
    assert int(np.searchsorted(t, r["t"] - 1e-9)) == 4
    lead = probe.contact_lead(r, w, st, xy, DRAWN_LEG_PX, args)
    assert abs(lead) < 0.002  # the edge comes down with the landmarks
    assert probe.clip_follows([lead] * 5)


def test_a_sole_that_joins_the_shoe_only_once_down_leads_the_foot_and_its_clip_is_refused() -> None:
    args = probe.build_parser().parse_args(["score"])
    w, st, xy, t = _drawn_window(sole_hidden_in_flight=True)
    r = probe.time_contact(w, st, xy, t, DRAWN_LEG_PX, args)
    # In flight the edge is the upper's, 8 px higher: frames 2..4 stand 8, 8, 0 px above the foot.
    lead = probe.contact_lead(r, w, st, xy, DRAWN_LEG_PX, args)
    assert lead == pytest.approx(16 / 3 / DRAWN_LEG_PX, abs=0.002)
    assert not probe.clip_follows([lead] * 5)
