"""Posing ``--person N`` again alone where the pose model held someone else (pose/refind.py): hand-made frames and a
fake estimator, no pose model."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import PoseSettings
from formcheck.pose.appearance import torso_colour
from formcheck.pose.base import PoseDetection
from formcheck.pose.refind import crop_around, expected_boxes, refind
from formcheck.pose.tracking import Track, box_of
from tests.unit.pose.test_tracking import figure

CFG = PoseSettings()


def test_expected_boxes_are_the_sightings_and_lines_between_them():
    track = Track(id=1, frames=[2, 6, 7], boxes=[(0, 0, 10, 20), (4, 8, 14, 28), (5, 8, 15, 28)])
    boxes = expected_boxes(track, 10)
    assert boxes[:2] == [None, None] and boxes[8:] == [None, None]  # never before the first or after the last
    assert boxes[2] == (0, 0, 10, 20) and boxes[7] == (5, 8, 15, 28)
    assert boxes[4] == pytest.approx((2, 4, 12, 24))
    assert expected_boxes(Track(id=2), 3) == [None, None, None]


def test_the_crop_grows_the_box_and_stays_in_the_frame():
    assert crop_around((100, 50, 150, 150), 0.1, 300, 200) == (90, 40, 160, 160)
    assert crop_around((5, 5, 295, 195), 0.1, 300, 200) == (0, 0, 300, 200)


class Fake:
    """An estimator that finds ``person`` (full-frame pixels) in whatever crop it is given, if it lies inside."""

    name = "fake"

    def __init__(self, person: PoseDetection | None) -> None:
        self.person = person
        self.crops: list[tuple[int, int]] = []

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self.crops.append(rgb.shape[:2])
        if self.person is None:
            return []
        return [PoseDetection(self.person.xy_px - self.offset, self.person.visibility)]

    offset = np.zeros(2)


def _scene() -> tuple[np.ndarray, PoseDetection, PoseDetection]:
    """A 400x500 frame: the man (grey top, torso x 95-145, y 130-230) and the woman (pink, x 255-305)."""
    frame = np.full((400, 500, 3), (40, 160, 40), np.uint8)
    man, woman = figure(120, 70, 300, 60), figure(280, 70, 300, 60)
    frame[120:240, 85:156] = (128, 128, 128)
    frame[120:240, 245:316] = (230, 170, 190)
    return frame, man, woman


def _run(found: PoseDetection | None, expected_person: PoseDetection, frame: np.ndarray, colour: np.ndarray):
    expected = box_of(expected_person.xy_px, expected_person.visibility, CFG.box_visibility_min)
    fake = Fake(found)
    x0, y0, _, _ = crop_around(expected, CFG.refind_margin_box, frame.shape[1], frame.shape[0])
    fake.offset = np.array([x0, y0], float)
    return refind(frame, expected, colour, fake, 1.0, CFG), fake


def test_the_person_found_alone_on_the_crop_is_kept_in_frame_pixels():
    frame, man, _ = _scene()
    grey = torso_colour(frame, man.xy_px, man.visibility, 0.5)
    found, fake = _run(man, man, frame, grey)
    assert found is not None
    assert np.allclose(found.xy_px, man.xy_px)  # back in pixels of the whole frame
    assert found.appearance is not None and fake.crops == [
        (343, 118)
    ]  # his box (60x285 px) grown by 28 px, not the frame


def test_someone_else_or_nobody_is_not_kept():
    frame, man, woman = _scene()
    grey = torso_colour(frame, man.xy_px, man.visibility, 0.5)
    pink = torso_colour(frame, woman.xy_px, woman.visibility, 0.5)
    assert _run(man, man, frame, pink)[0] is None  # at his place, but he does not look like the one asked for
    elsewhere = PoseDetection(man.xy_px + (0, 150), man.visibility)  # found, but not where he is expected
    assert _run(elsewhere, man, frame, grey)[0] is None
    assert _run(None, man, frame, grey)[0] is None
