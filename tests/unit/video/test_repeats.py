"""Files that repeat their pictures (video/repeats.py): which decoded frames repeat the previous picture, through
H.264 compression too, and the clip's real picture rate with known answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.config import PoseSettings
from formcheck.video import VideoReader
from formcheck.video.repeats import RepeatDetector, picture_rate_fps
from formcheck.video.writer import VideoWriter

CFG = PoseSettings()


def _detector() -> RepeatDetector:
    return RepeatDetector.from_settings(CFG)


def _pictures(n: int, seed: int = 0) -> list[np.ndarray]:
    """``n`` different pictures: a dark bar (a small 'runner', about 1% of the frame) moving over a fixed scene."""
    rng = np.random.default_rng(seed)
    scene = rng.integers(60, 200, (240, 320, 3), dtype=np.uint8)
    out = []
    for k in range(n):
        img = scene.copy()
        x = 10 + 7 * k % 280
        img[150:210, x : x + 12] = 20
        out.append(img)
    return out


def test_repeated_pictures_are_flagged_and_small_noise_does_not_count_as_a_new_picture() -> None:
    rng = np.random.default_rng(3)
    det = _detector()
    flags = []
    for pic in _pictures(10):
        for copy in range(3):
            noisy = np.clip(pic.astype(int) + rng.integers(-4, 5, pic.shape), 0, 255).astype(np.uint8)
            flags.append(det.update(noisy if copy else pic))
    assert flags == [False, True, True] * 10
    np.testing.assert_array_equal(det.repeated, flags)


@pytest.mark.parametrize(
    ("pattern", "fps", "expected"),
    [
        ([False], 30.0, 30.0),  # every frame a new picture
        ([False, True, True], 30.0, 10.0),  # each picture 3 times
        ([False, True], 50.0, 25.0),  # a 25 pictures/s source in a 50 fps file
        (
            [False, False, False, False, True],
            30.0,
            24.0,
        ),  # 24 pictures/s in 30 fps: every fifth frame repeated
    ],
)
def test_picture_rate_known_answers(pattern: list[bool], fps: float, expected: float) -> None:
    flags = np.array(pattern * 120)[:300]
    assert picture_rate_fps(flags, fps) == pytest.approx(expected)


def test_a_still_start_does_not_pull_the_picture_rate_down_and_a_short_clip_keeps_the_file_rate() -> None:
    flags = np.array(
        [False] + [True] * 12 + [False, False, False, False, True] * 40
    )  # side_13's frozen start
    assert picture_rate_fps(flags, 30.0) == pytest.approx(24.0)
    assert picture_rate_fps(np.array([False, True]), 30.0) == 30.0


def test_each_picture_twice_through_h264_is_a_25_pictures_per_second_clip(tmp_path: Path) -> None:
    path = tmp_path / "doubled.mp4"
    with VideoWriter(str(path), 320, 240, 50.0) as out:
        for k, pic in enumerate(p for p in _pictures(40) for _ in range(2)):
            out.write(pic, k / 50.0)
    det = _detector()
    with VideoReader(str(path)) as reader:
        for frame in reader:
            det.update(frame.rgb)
    assert det.repeated.tolist() == [False, True] * 40
    assert picture_rate_fps(det.repeated, 50.0) == pytest.approx(25.0)


def test_a_copy_re_encoded_with_noise_repeats_when_it_changes_far_less_than_the_picture_before() -> None:
    """overground_side_street_50fps: its copies change up to 0.5% of the sampled pixels (above the 0.1% floor),
    but at most 0.034 times as many as the new picture before them; a camera pan changes most of them."""
    rng = np.random.default_rng(5)
    scene = rng.integers(0, 256, (240, 400, 3), dtype=np.uint8)
    frames = []
    for k in range(12):
        pic = np.ascontiguousarray(scene[:, 3 * k : 3 * k + 320])  # the camera pans 3 px a picture
        copy = pic.copy()
        spots = rng.random(pic.shape[:2]) < 0.01  # 1% of the pixels off by 40 levels
        copy[spots] = np.clip(copy[spots].astype(int) + 40, 0, 255).astype(np.uint8)
        frames += [pic, copy]
    det = _detector()
    flags = [det.update(f) for f in frames]
    # The first copy has no change before it to compare with: only the floor could tell, and it cannot.
    assert flags == [False, False] + [False, True] * 11
    floor_only = RepeatDetector(CFG.repeat_level_change, CFG.repeat_max_changed_fraction, 0.0)
    assert not any(floor_only.update(f) for f in frames)  # the noisy copies pass no floor
