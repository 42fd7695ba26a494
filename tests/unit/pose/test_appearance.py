"""Torso colours (pose/appearance.py) and how the tracker uses them to tell two people apart when the pose model
returns one at a time (docs/tracking.md, "Appearance"): hand-made frames and detections, no pose model."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from formcheck.config import PoseSettings
from formcheck.pose.appearance import (
    HUE_BINS,
    SATURATION_BINS,
    VALUE_BINS,
    colour_distance,
    colour_name,
    torso_colour,
    with_torso_colours,
)
from formcheck.pose.base import PoseDetection
from formcheck.pose.tracking import PersonTracker
from formcheck.skeleton import INDEX, N_LANDMARKS
from tests.unit.pose.test_tracking import figure

N_BINS = HUE_BINS * SATURATION_BINS + VALUE_BINS
TRUNK = [INDEX[f"{side}_{part}"] for side in ("left", "right") for part in ("shoulder", "hip")]


def _frame_with_torso(rgb: tuple[int, int, int]) -> tuple[np.ndarray, PoseDetection]:
    """A 200x300 frame, green background, and a person whose torso (shoulders 100-200 px, y 60-140) is ``rgb``."""
    frame = np.zeros((200, 300, 3), np.uint8)
    frame[:] = (40, 160, 40)
    frame[60:141, 100:201] = rgb
    return frame, figure(150, 20, 200, 100)


def _bin_of(rgb: tuple[int, int, int]) -> int:
    h, s, v = cv2.cvtColor(np.array([[rgb]], np.uint8), cv2.COLOR_RGB2HSV)[0, 0]
    if s >= 40 and v >= 40:
        return int(h) * HUE_BINS // 180 * SATURATION_BINS + (int(s) - 40) * SATURATION_BINS // 216
    return HUE_BINS * SATURATION_BINS + int(v) * VALUE_BINS // 256


@pytest.mark.parametrize("rgb", [(230, 170, 190), (128, 128, 128), (20, 20, 20), (30, 140, 150)])
def test_the_torso_colour_counts_the_torso_s_pixels_only(rgb):
    """Pink, grey, black, teal: all the mass in the one bin of the torso's colour (the green background around
    it, inside the landmarks' box but outside the shrunk torso, counts for nothing)."""
    frame, person = _frame_with_torso(rgb)
    hist = torso_colour(frame, person.xy_px, person.visibility, 0.5)
    assert hist is not None and hist.shape == (N_BINS,) and hist.dtype == np.float32
    assert hist.sum() == pytest.approx(1.0)
    assert hist[_bin_of(rgb)] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("rgb", "name"),
    [
        ((230, 170, 190), "pink"),  # pale red: the woman's top on the joggers clip
        ((200, 20, 20), "red-orange"),
        ((20, 40, 200), "blue"),
        ((170, 180, 220), "pale blue"),
        ((128, 128, 128), "grey"),
        ((20, 20, 20), "black"),
        ((240, 240, 240), "white"),
    ],
)
def test_colour_names(rgb, name):
    frame, person = _frame_with_torso(rgb)
    hist = torso_colour(frame, person.xy_px, person.visibility, 0.5)
    assert hist is not None and colour_name(hist) == name


def test_colour_distance_known_answers():
    grey, pink = np.zeros(N_BINS, np.float32), np.zeros(N_BINS, np.float32)
    grey[_bin_of((128, 128, 128))] = 1.0
    pink[_bin_of((230, 170, 190))] = 1.0
    assert _bin_of((128, 128, 128)) != _bin_of((20, 20, 20))  # black and grey tops differ by brightness
    assert colour_distance(grey, grey) == pytest.approx(0.0, abs=1e-6)
    assert colour_distance(grey, pink) == pytest.approx(1.0)
    # Bhattacharyya: half of one and half of the other is sqrt(1 - sqrt(0.5)) from each
    assert colour_distance(0.5 * grey + 0.5 * pink, grey) == pytest.approx(
        np.sqrt(1 - np.sqrt(0.5)), abs=1e-4
    )


def test_no_colour_for_an_unseen_trunk_or_one_outside_the_frame():
    frame, person = _frame_with_torso((230, 170, 190))
    vis = person.visibility.copy()
    vis[INDEX["left_hip"]] = 0.2
    assert torso_colour(frame, person.xy_px, vis, 0.5) is None
    xy = person.xy_px.copy()
    xy[INDEX["right_shoulder"]] = np.nan
    assert torso_colour(frame, xy, person.visibility, 0.5) is None
    assert torso_colour(frame, person.xy_px + 1000.0, person.visibility, 0.5) is None  # off the frame
    tiny = figure(150, 20, 10, 4)  # a torso of a few pixels
    assert torso_colour(frame, tiny.xy_px, tiny.visibility, 0.5) is None
    (with_colour,) = with_torso_colours([person], frame, 0.5)
    assert with_colour.appearance is not None and with_colour.xy_px is person.xy_px


# --- the tracker -------------------------------------------------------------------------------------------------

FPS = 25.0
GREY, PINK = np.zeros(N_BINS, np.float32), np.zeros(N_BINS, np.float32)
GREY[[36, 37]] = (0.8, 0.2)  # the man's grey top
PINK[[28, 29]] = (0.7, 0.3)  # the woman's pink one


def man() -> PoseDetection:
    """The man, image left (overground_front_two_joggers, 300 px tall), his box widened by his arms."""
    d = figure(120, 100, 300, 64)
    d.xy_px[INDEX["left_wrist"]], d.xy_px[INDEX["right_wrist"]] = (60, 250), (180, 250)
    return dataclasses.replace(d, appearance=GREY)


def woman() -> PoseDetection:
    d = figure(240, 120, 280, 48)
    d.xy_px[INDEX["left_wrist"]], d.xy_px[INDEX["right_wrist"]] = (190, 260), (290, 260)
    return dataclasses.replace(d, appearance=PINK)


def straddler(cx: float, his_share: float) -> PoseDetection:
    """One box over both joggers, its trunk at ``cx`` and its torso's colours a mix, ``his_share`` of them the
    man's: it overlaps both people's boxes."""
    d = figure(cx, 110, 290, 150)
    return dataclasses.replace(d, appearance=his_share * GREY + (1.0 - his_share) * PINK)


# One detection a frame, as the pose model gave on the joggers clip with --person: hops, and a box sliding from one
# jogger to the other over three frames (a: mostly him, b: half and half, c: mostly her), each step under the
# identity-jump threshold, after she was unseen for more than max_gap_s (followed for longer before), and the man
# gone for 2 s before he comes back.
SEQUENCE = "MMMMMM" + "w" * 30 + "M" * 30 + "abcwwwwwMMMMMMwwwwwwwwMMMM" + "w" * 50 + "MMMMMwwwwcbaMMMMMwwww"
MAKE = {
    "M": man,
    "w": woman,
    "a": lambda: straddler(150, 0.8),
    "b": lambda: straddler(180, 0.5),
    "c": lambda: straddler(210, 0.2),
}


def _track(sequence: str, colours: bool) -> tuple[PersonTracker, list[int]]:
    tk = PersonTracker(FPS, PoseSettings())
    ids = []
    for i, who in enumerate(sequence):
        d = MAKE[who]()
        (track_id,) = tk.update(i, [d if colours else dataclasses.replace(d, appearance=None)])
        ids.append(track_id)
    return tk, ids


def _people_of(ids: list[int]) -> dict[int, set[str]]:
    return {t: {SEQUENCE[i] for i, x in enumerate(ids) if x == t} for t in set(ids)}


def test_without_colours_the_sliding_box_chains_the_two_people():
    """The failure this is about (docs/tracking.md): by position alone the box sliding from him to her joins his
    track frame by frame, so she continues his track (and --person 1 ended up on her)."""
    _, ids = _track(SEQUENCE, colours=False)
    assert any(people >= {"M", "w"} for people in _people_of(ids).values())


def test_colours_keep_each_person_on_one_track_and_a_box_over_both_on_neither():
    tk, ids = _track(SEQUENCE, colours=True)
    by_person = {who: {ids[i] for i, c in enumerate(SEQUENCE) if c == who} for who in "Mwabc"}
    assert by_person["M"] == {1}  # one track for him, also after his 2 s away (taken up again by colour)
    assert by_person["w"] == {2}
    assert (
        2 not in by_person["a"] and 1 not in by_person["c"]
    )  # a box mostly of one person: never the other's
    assert by_person["b"].isdisjoint({1, 2})  # half and half: neither's
    assert all(not people >= {"M", "w"} for people in _people_of(ids).values())
    assert tk.compares_looks


def test_a_box_mostly_of_one_person_is_not_refused_for_the_mix():
    """The ratio rule refuses a mix, not a detection clearly nearer one person: 85% his colours joins him."""
    tk = PersonTracker(FPS, PoseSettings())
    for i, who in enumerate("MMMMwwwwM"):
        tk.update(i, [MAKE[who]()])
    mostly_his = dataclasses.replace(man(), appearance=0.85 * GREY + 0.15 * PINK)
    assert tk.update(9, [mostly_his]) == [1]


def test_someone_else_at_a_lost_person_s_place_is_not_taken_for_them():
    """A lost track is taken up again only by the same colours: another top at the man's place is a new person."""
    tk = PersonTracker(FPS, PoseSettings())
    for i, who in enumerate("M" * 30 + "w" * 5):  # the hop to her shows two people: looks count from then on
        tk.update(i, [MAKE[who]()])
    assert tk.uses_looks
    blue = np.zeros(N_BINS, np.float32)
    blue[22] = 1.0
    stranger = dataclasses.replace(man(), appearance=blue)
    assert tk.update(100, [stranger]) == [3]
    assert tk.update(101, [man()]) == [1]  # and the man himself, back at his place after 2.6 s, is #1 again


def test_a_lone_runner_is_never_followed_by_colour():
    """One person all along, whose top's colour changes at once (the arms across a side-view torso, light): one
    track, no jump; without a hop, looks are not used at all."""
    tk = PersonTracker(FPS, PoseSettings())
    for i in range(60):
        d = dataclasses.replace(figure(300 + 2 * i, 100, 300), appearance=GREY if (i // 7) % 2 else PINK)
        assert tk.update(i, [d]) == [1]
    assert tk.compares_looks and not tk.uses_looks and tk.identity_jumps == []


def test_colours_are_ignored_once_the_model_sees_two_people_together():
    """treadmill_oblique_two_people and the walking crowd: people seen side by side are told apart by their
    boxes; a top's colour that changes against the light (here at once, entirely) does not cut a track."""
    tk = PersonTracker(FPS, PoseSettings())
    for i in range(40):
        runner = dataclasses.replace(man(), appearance=GREY if i < 20 else PINK)
        other = dataclasses.replace(figure(600, 100, 300), appearance=GREY)
        assert tk.update(i, [runner, other]) == [1, 2]
    assert not tk.compares_looks and len(tk.tracks) == 2


def test_detections_without_colours_are_tracked_as_before():
    """No colour (a trunk not seen, an estimator's own detections): nothing refused, nothing taken up by looks."""
    tk = PersonTracker(FPS, PoseSettings())
    d = figure(300, 100, 300)
    for i in range(30):
        assert tk.update(i, [d]) == [1]
    assert tk.update(30, [dataclasses.replace(d, appearance=PINK)]) == [
        1
    ]  # a colour first seen starts the track's
    assert tk.tracks[0].colour is not None and np.allclose(tk.tracks[0].colour, PINK)
    no_trunk = np.ones(N_LANDMARKS)
    no_trunk[TRUNK] = 0.0
    assert tk.update(31, [PoseDetection(d.xy_px, no_trunk, appearance=None)]) == [1]


def test_of_two_people_dressed_alike_the_returning_one_is_not_given_the_other_s_lost_track():
    """Both joggers in grey tops, the model hopping from one to the other, both unseen for 2.4 s, then she comes
    back (review: her return was taken up on his lost track by colour alone). Colours that two people share tell
    nobody apart: she is not given his track, nor he hers."""
    tk = PersonTracker(FPS, PoseSettings())
    sequence = "M" * 30 + "w" * 30 + "M" * 10 + "." * 60 + "w" * 30
    grey_woman = dataclasses.replace(woman(), appearance=GREY)
    ids: list[int | None] = []
    for i, who in enumerate(sequence):
        if who == ".":
            assert tk.update(i, []) == []
            ids.append(None)
            continue
        ids += tk.update(i, [man() if who == "M" else grey_woman])
    his = {ids[i] for i, who in enumerate(sequence) if who == "M"}
    back = set(ids[130:])
    assert len(back) == 1 and back.isdisjoint(his), (his, back)
    assert {ids[i] for i in range(30, 60)}.isdisjoint(his)  # the first hop to her: not his either


def test_a_grey_top_gone_dark_in_shade_stays_on_its_track():
    """Review: the man's grey top runs into shade after a hop and reads dark grey, as far from his own colour as
    from her pink (1.0 from each). It looks like neither and his box is away from hers, so position decides: he
    keeps track #1 (before, "1.0 > 0.7 x 1.0" refused him and --person 1 lost his shaded part); a hop to her and a
    box over both are still refused."""
    shade = np.zeros(N_BINS, np.float32)
    shade[[33, 34]] = (0.8, 0.2)  # the same grey, darker
    assert colour_distance(shade, GREY) > 0.99 and colour_distance(shade, PINK) > 0.99
    sequence = "M" * 30 + "w" * 10 + "M" * 20 + "S" * 40 + "w" * 10 + "S" * 20 + "b"
    shaded_straddler = dataclasses.replace(straddler(180, 0.5), appearance=0.5 * shade + 0.5 * PINK)
    make = MAKE | {"S": lambda: dataclasses.replace(man(), appearance=shade), "b": lambda: shaded_straddler}
    tk = PersonTracker(FPS, PoseSettings())
    ids = [tk.update(i, [make[who]()])[0] for i, who in enumerate(sequence)]
    assert tk.uses_looks
    by_person = {who: {ids[i] for i, c in enumerate(sequence) if c == who} for who in "MSwb"}
    assert by_person["M"] == by_person["S"] == {1}
    assert by_person["w"] == {2}
    assert by_person["b"].isdisjoint({1, 2})  # half his (shaded), half hers, over both: neither's


def test_a_box_with_some_of_the_other_person_in_it_is_refused_away_from_their_box():
    """Joggers frame 138: a box over her and his arm, his last box 12 frames old and not overlapped. Its colours,
    part his, are nearer his than her own colour is: it is refused to her track though it overlaps nobody else."""
    tk = PersonTracker(FPS, PoseSettings())
    for i, who in enumerate("M" * 30 + "w" * 5):
        tk.update(i, [MAKE[who]()])
    part_his = dataclasses.replace(woman(), appearance=0.4 * GREY + 0.6 * PINK)
    assert tk.update(35, [part_his]) == [3]
    assert tk.update(36, [woman()]) == [2]
