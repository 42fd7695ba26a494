"""formcheck/sole_edge.py (gait.contact_timing = "sole"): the sole edge times a drawn shoe's landing, the test that
the edge follows the sole, and a clip's retiming (known answers)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import sole_edge as probe
from formcheck.sole_edge import SoleEdgeSettings, retime_contacts

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
    assert SoleEdgeSettings().follow_max == 0.01
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


def _drawn_window(
    sole_hidden_in_flight: bool, hidden_frames: tuple[int, ...] = ()
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """A dark shoe (upper) on a red outsole landing on a grey ground seen from above (a belt: grey behind the foot
    too), 11 frames (crops, their heel / toe / ankle in crop px, times). ``sole_hidden_in_flight``: the outsole
    takes the ground's colour until the foot lands (a blurred outsole, as on the portrait treadmill).

    (A background the colour model never saw, such as a wall behind a foot in flight, is neither shoe nor ground
    to it (probability 0.5): the smoothing then lowers the edge by about 1.5 px there.) ``hidden_frames``: frames
    whose outsole takes the ground's colour whatever the foot does (a flicker of the colour model)."""
    crops, pts = [], np.zeros((len(DROP_PX), 3, 2))
    for k, up in enumerate(DROP_PX):
        img = np.full((100, 160, 3), (110, 110, 115), np.uint8)  # ground, and behind the foot
        bottom = GROUND_ROW - up  # the outsole's lowest row + 1
        img[bottom - 34 : bottom - SOLE_PX, 50:110] = (40, 30, 90)  # upper
        hidden = (sole_hidden_in_flight and up > 0) or k in hidden_frames
        img[bottom - SOLE_PX : bottom, 50:110] = (110, 110, 115) if hidden else (200, 40, 40)  # outsole
        crops.append(img)
        pts[k] = [(53, bottom - 6), (107, bottom - 6), (60, bottom - 30)]  # heel, toe (foot_index), ankle
    return crops, pts, np.arange(len(DROP_PX)) / FPS


def test_a_drawn_sole_is_timed_on_its_landing_frame_and_follows_the_foot() -> None:
    cfg = SoleEdgeSettings()
    crops, pts, t = _drawn_window(sole_hidden_in_flight=False)
    r = probe.time_contact(crops, pts, t, DRAWN_LEG_PX, cfg)
    # Within 5 px of the ground between frame 3 (6 px above) and frame 4 (on it): 1/6 of the way, marked 4.
    assert r["t"] == pytest.approx(3.0 / FPS + (1 / 6) / FPS, abs=0.15 / FPS)
    assert int(np.searchsorted(t, r["t"] - 1e-9)) == 4
    assert r["sep"] > 0.95  # red outsole and dark upper against grey: told apart on held-out stance frames
    lead = probe.contact_lead(r, pts, DRAWN_LEG_PX, cfg)
    assert abs(lead) < 0.002  # the edge comes down with the landmarks
    assert probe.clip_follows([lead] * 5)


def test_a_sole_that_joins_the_shoe_only_once_down_leads_the_foot_and_its_clip_is_refused() -> None:
    cfg = SoleEdgeSettings()
    crops, pts, t = _drawn_window(sole_hidden_in_flight=True)
    r = probe.time_contact(crops, pts, t, DRAWN_LEG_PX, cfg)
    # In flight the edge is the upper's, 8 px higher: frames 2..4 stand 8, 8, 0 px above the foot.
    lead = probe.contact_lead(r, pts, DRAWN_LEG_PX, cfg)
    assert lead == pytest.approx(16 / 3 / DRAWN_LEG_PX, abs=0.002)
    assert not probe.clip_follows([lead] * 5)


def test_an_edge_down_with_the_foot_before_its_crossing_rose_again() -> None:
    """down_before: the edge and the foot's landmarks both within the tolerance of their stance levels in a frame
    before the last frame above (from ``first``), known answers."""
    level, tol = 100.0, 5.0
    foot = FOOT.copy()  # down from frame 4
    flicker = np.array([60.0, 70, 80, 90, 100, 90, 100, 100, 100, 100, 100])  # up 10 px again at frame 5
    # Timed between frames 5 and 6 (the crossing's first frame 6): frame 4 was down for both.
    assert probe.down_before(flicker, foot, level, STANCE, tol, CONTACT - 1, 6)
    # The foot still coming down at frame 4 (6 px up, beyond the tolerance): nothing to say.
    assert not probe.down_before(
        flicker, foot - np.r_[0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0], level, STANCE, tol, 3, 6
    )
    # Searched only from frame 5 on, or timed on frame 5 (nothing down before frame 4): no.
    assert not probe.down_before(flicker, foot, level, STANCE, tol, 5, 6)
    assert not probe.down_before(FOOT, foot, level, STANCE, tol, CONTACT - 1, 5)
    # The other foot planted under a swing foot early in the window: the landmarks are up there, so no.
    early = flicker.copy()
    early[0] = 100.0
    assert not probe.down_before(early, foot, level, STANCE, tol, 0, 4)


def test_a_drawn_sole_that_vanishes_a_frame_after_landing_is_not_used() -> None:
    """The outsole takes the ground's colour in frame 5, after landing at 4 (the upper's edge 8 px up): the search
    back from the stance finds the crossing after frame 5, late, and the contact is refused (the landmarks stay);
    the edge lead (frames 2-4) is untouched, so the clip still follows."""
    cfg = SoleEdgeSettings()
    crops, pts, t = _drawn_window(sole_hidden_in_flight=False, hidden_frames=(5,))
    r = probe.time_contact(crops, pts, t, DRAWN_LEG_PX, cfg)
    assert int(np.searchsorted(t, r["t"] - 1e-9)) == 6  # late by two frames
    assert r["rose_again"] and not probe.usable(r)
    timing = retime_contacts([(crops, pts, t)], DRAWN_LEG_PX)
    assert timing.reason == "" and timing.contact_s == (None,)
    good = probe.time_contact(*_drawn_window(sole_hidden_in_flight=False), DRAWN_LEG_PX, cfg)
    assert not good["rose_again"] and probe.usable(good)


def _shifted(window: tuple, frames: int) -> tuple:
    """The window's times moved by ``frames`` (another contact of the same clip, later)."""
    crops, pts, t = window
    return crops, pts, t + frames / FPS


def test_a_clip_whose_sole_follows_the_foot_gets_the_picture_s_contacts() -> None:
    good = _drawn_window(sole_hidden_in_flight=False)
    timing = retime_contacts([good, None, _shifted(good, 20)], DRAWN_LEG_PX)
    assert timing.reason == ""
    t0 = 3.0 / FPS + (1 / 6) / FPS
    assert timing.contact_s[0] == pytest.approx(t0, abs=0.15 / FPS)
    assert timing.contact_s[1] is None  # no window: the landmark contact stays
    assert timing.contact_s[2] == pytest.approx(t0 + 20 / FPS, abs=0.15 / FPS)
    assert len(timing.leads) == 2


def test_a_clip_whose_edge_lags_the_foot_is_refused_with_its_reason() -> None:
    late = _drawn_window(sole_hidden_in_flight=True)
    timing = retime_contacts([late, _shifted(late, 20), _drawn_window(False)], DRAWN_LEG_PX)
    assert timing.contact_s is None  # median lead +2.1% of leg: two of three contacts lag
    assert "does not come down with the foot" in timing.reason and "+2.1% of leg" in timing.reason
    # The limit is the setting's: raised above the lead, the same clip passes.
    assert retime_contacts([late], DRAWN_LEG_PX, SoleEdgeSettings(follow_max=0.03)).contact_s is not None


def test_a_clip_without_any_edge_or_with_too_short_a_leg_is_refused() -> None:
    crops, pts, t = _drawn_window(sole_hidden_in_flight=False)
    blank = [np.full_like(c, 110) for c in crops]  # no shoe to be seen: no colour model, no edge
    none = retime_contacts([(blank, pts, t)], DRAWN_LEG_PX)
    assert none.contact_s is None and none.reason == "the sole's edge was not found"
    assert retime_contacts([None, None], DRAWN_LEG_PX).contact_s is None
    short = retime_contacts([(crops, pts, t)], DRAWN_LEG_PX, SoleEdgeSettings(min_leg_px=300))
    assert short.contact_s is None and "under 300 px" in short.reason


def test_windows_are_planned_around_each_contact_inside_the_clip() -> None:
    n = 40
    xy = np.full((n, 33, 2), np.nan)
    for name, point in (("heel", (100, 300)), ("foot_index", (160, 300)), ("ankle", (110, 250))):
        xy[:, probe.INDEX[f"left_{name}"]] = point
    time_s = np.arange(n) / FPS
    contacts = [("left", 2 / FPS), ("left", 20 / FPS + 0.01), ("right", 25 / FPS), ("left", 36 / FPS)]
    plans = probe.plan_windows(xy, time_s, contacts, leg_px=100.0)
    assert set(plans) == {1}  # too near the start, the right foot unseen, too near the end
    # Sub-frame contact 20.3: its frame is the first at or after it (21); 4 before, 6 after.
    assert plans[1].frames == tuple(range(17, 28))
    assert plans[1].box == (88, 238, 172, 312)  # the foot's points padded by 0.12 leg (12 px)


def test_boxes_are_clipped_to_the_picture_and_a_box_wholly_outside_it_is_no_window() -> None:
    """A phone clip framed above the feet, or a foot past the left edge: a box past the bottom gave an empty crop
    (OpenCV crashed) and one past the left edge a negative slice end (the wrong place was cut)."""
    n = 40
    xy = np.full((n, 33, 2), np.nan)
    for name, point in (("heel", (100, 300)), ("foot_index", (160, 300)), ("ankle", (110, 250))):
        xy[:, probe.INDEX[f"left_{name}"]] = point
    time_s = np.arange(n) / FPS
    contacts = [("left", 20 / FPS + 0.01)]

    def box(points: np.ndarray, size: tuple[int, int]):
        plans = probe.plan_windows(points, time_s, contacts, leg_px=100.0, frame_size_px=size)
        return plans[0].box if plans else None

    assert box(xy, (640, 480)) == (88, 238, 172, 312)
    assert box(xy, (640, 305)) == (88, 238, 172, 304)  # the padding clipped to the frame
    assert box(xy, (640, 290)) == (
        88,
        238,
        172,
        289,
    )  # the sole below the frame: partly seen, the rest clipped
    assert box(xy + [0.0, 200.0], (640, 400)) is None  # every foot point and its padding below the picture
    assert box(xy - [200.0, 0.0], (640, 480)) is None  # wholly left of the picture
