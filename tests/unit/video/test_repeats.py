"""Files that repeat their pictures (video/repeats.py): which decoded frames repeat the previous picture where the
runner is, through H.264 compression too; a small runner, an empty scene and a slow-motion runner are not
repeats; the clip's real picture rate with known answers, stills left out, None when nothing could tell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.config import PoseSettings
from formcheck.video import VideoReader
from formcheck.video.repeats import RepeatDetector, picture_rate_fps
from formcheck.video.writer import VideoWriter

CFG = PoseSettings()
NAN = float("nan")


def _detector() -> RepeatDetector:
    return RepeatDetector.from_settings(CFG)


def _scene(seed: int = 0, shape: tuple[int, int] = (240, 320)) -> np.ndarray:
    return np.random.default_rng(seed).integers(60, 200, (*shape, 3), dtype=np.uint8)


def _pictures(n: int, seed: int = 0) -> tuple[list[np.ndarray], np.ndarray]:
    """``n`` different pictures: a dark bar (a small 'runner', about 1% of the frame) moving over a fixed scene,
    and its landmarks (N, 2, 2): the bar's top-left and bottom-right corners."""
    scene = _scene(seed)
    out, xy = [], []
    for k in range(n):
        img = scene.copy()
        x = 10 + 7 * k % 280
        img[150:210, x : x + 12] = 20
        out.append(img)
        xy.append([[x, 150], [x + 12, 210]])
    return out, np.array(xy, dtype=float)


def _judge(frames: list[np.ndarray], xy: np.ndarray, fps: float = 30.0) -> np.ndarray:
    det = _detector()
    for frame in frames:
        det.update(frame)
    return det.repeated_where(xy, fps)


def test_repeated_pictures_are_flagged_and_small_noise_does_not_count_as_a_new_picture() -> None:
    """Copies with +-1 level of noise change 0.9 levels on average (real re-encoded copies: up to 1.6)."""
    rng = np.random.default_rng(3)
    pictures, xy = _pictures(30)
    frames = []
    for pic in pictures:
        for copy in range(3):
            frames.append(
                np.clip(pic.astype(int) + rng.integers(-1, 2, pic.shape), 0, 255).astype(np.uint8)
                if copy
                else pic
            )
    flags = _judge(frames, np.repeat(xy, 3, axis=0))
    assert np.isnan(flags[0])  # the first frame has nothing to repeat
    np.testing.assert_array_equal(flags[1:], ([0.0, 1.0, 1.0] * 30)[1:])
    assert picture_rate_fps(flags, 30.0) == pytest.approx(10.0)


@pytest.mark.slow
@pytest.mark.parametrize("runner_height_frac", [0.10, 0.15])
def test_a_small_runner_in_a_still_camera_repeats_nothing_and_its_doubled_copy_is_half_the_rate(
    runner_height_frac: float,
) -> None:
    """The review's case: a rendered 30 fps treadmill runner 10% / 15% of a 1080p frame's height, no repeats, gave
    picture rates 0.0 / 26.0 under the whole-frame rule (0.1% of the sampled pixels changing)."""
    from formcheck.synth import RunnerParams
    from formcheck.synth.clip import drawn_landmarks, render_frames

    params = RunnerParams(
        runner_height_frac=runner_height_frac, short_side_px=1080, aspect=16 / 9, duration_s=0.6
    )
    renderer, frames = render_frames(params)
    xy = drawn_landmarks(renderer)
    flags = _judge(frames, xy)
    assert np.isnan(flags[0]) and not np.nansum(flags), flags
    assert picture_rate_fps(flags, 30.0) == pytest.approx(30.0)
    # The same pictures each shown twice (a 60 fps file of them): every second frame repeats.
    doubled = _judge([f for f in frames for _ in range(2)], np.repeat(xy, 2, axis=0), fps=60.0)
    np.testing.assert_array_equal(doubled[1:], ([0.0, 1.0] * len(frames))[1:])
    assert picture_rate_fps(doubled, 60.0) == pytest.approx(30.0, abs=1.0)  # 17 new of 35 judged: 29.1


def test_nobody_in_the_picture_or_nothing_moving_is_unknown_not_a_repeat() -> None:
    """An empty static scene repeats its picture for any rule that looks at the pixels alone: without a runner's
    box, or with a box where nothing moves for a second, nothing can be told."""
    frames = [_scene()] * 60
    no_runner = _judge(frames, np.full((60, 33, 2), np.nan))
    assert np.isnan(no_runner).all()
    assert picture_rate_fps(no_runner, 30.0) is None
    box = np.tile(np.array([[[100.0, 100.0], [140.0, 200.0]]]), (60, 1, 1))
    assert np.isnan(_judge(frames, box)).all()  # a runner standing still: a still, not a picture rate


def test_an_empty_stretch_after_the_runner_leaves_does_not_lower_the_rate() -> None:
    """overground_side_short_pass: 27.47 pictures/s in a 29.97 fps file (its empty tail); an empty stretch over
    half the clip gave 0.0."""
    pictures, xy = _pictures(45)
    empty = [_scene()] * 75
    frames = pictures + empty
    xy = np.concatenate([xy, np.full((75, 2, 2), np.nan)])
    flags = _judge(frames, xy)
    assert not np.nansum(flags) and np.isnan(flags[46:]).all()
    assert picture_rate_fps(flags, 30.0) == pytest.approx(30.0)


def test_a_slow_motion_runner_that_changes_little_but_evenly_is_not_repeating() -> None:
    """treadmill_side_lab_slowmotion: every frame of its runner changes 1.8-3 grey levels; an absolute cap alone
    (1.8) flagged a quarter of them. Here every frame's box changes by 1-4 levels (fresh noise of 1.5-4 levels
    sd), never a copy."""
    rng = np.random.default_rng(7)
    scene = _scene(1).astype(float)
    frames = []
    for k in range(90):
        img = scene.copy()
        img[100:200, 100:160] += rng.normal(0.0, 1.5 + 2.5 * (k % 5) / 4, (100, 60, 3))
        frames.append(np.clip(img, 0, 255).astype(np.uint8))
    box = np.tile(np.array([[[110.0, 110.0], [150.0, 190.0]]]), (90, 1, 1))
    det = _detector()
    for frame in frames:
        det.update(frame)
    change = det.box_change(box)
    assert 1.0 < np.nanmin(change) < CFG.repeat_max_box_change < np.nanmax(change) < 4.0
    flags = det.repeated_where(box, 30.0)
    assert np.isfinite(flags[1:]).all() and not flags[1:].any()


def test_each_picture_twice_through_h264_is_a_25_pictures_per_second_clip(tmp_path: Path) -> None:
    path = tmp_path / "doubled.mp4"
    pictures, xy = _pictures(40)
    with VideoWriter(str(path), 320, 240, 50.0) as out:
        for k, pic in enumerate(p for p in pictures for _ in range(2)):
            out.write(pic, k / 50.0)
    det = _detector()
    with VideoReader(str(path)) as reader:
        for frame in reader:
            det.update(frame.rgb)
    flags = det.repeated_where(np.repeat(xy, 2, axis=0), 50.0)
    np.testing.assert_array_equal(flags[1:], ([0.0, 1.0] * 40)[1:])
    assert picture_rate_fps(flags, 50.0) == pytest.approx(25.0)


def test_a_copy_re_encoded_with_noise_repeats_when_it_changes_far_less_than_the_new_pictures() -> None:
    """overground_side_street_50fps: its copies change up to 1.3 grey levels in the runner's box, new pictures 10
    or more; a camera pan changes them all."""
    rng = np.random.default_rng(5)
    scene = rng.integers(0, 256, (240, 420, 3), dtype=np.uint8)
    frames = []
    for k in range(30):
        pic = np.ascontiguousarray(scene[:, 3 * k : 3 * k + 320])  # the camera pans 3 px a picture
        copy = pic.copy()
        spots = rng.random(pic.shape[:2]) < 0.01  # 1% of the pixels off by 40 levels: 0.4 levels on average
        copy[spots] = np.clip(copy[spots].astype(int) + 40, 0, 255).astype(np.uint8)
        frames += [pic, copy]
    box = np.tile(np.array([[[100.0, 60.0], [160.0, 200.0]]]), (60, 1, 1))
    flags = _judge(frames, box, fps=50.0)
    np.testing.assert_array_equal(flags[1:], ([0.0, 1.0] * 30)[1:])


@pytest.mark.parametrize(
    ("pattern", "fps", "expected"),
    [
        ([0.0], 30.0, 30.0),  # every frame a new picture
        ([0.0, 1.0, 1.0], 30.0, 10.0),  # each picture 3 times
        ([0.0, 1.0], 50.0, 25.0),  # a 25 pictures/s source in a 50 fps file
        ([0.0, 0.0, 0.0, 0.0, 1.0], 30.0, 24.0),  # 24 pictures/s in 30 fps: every fifth frame repeated
        ([0.0, NAN, 0.0, 0.0, 1.0], 30.0, 22.5),  # unknown frames are left out: 3 new of 4 judged
        ([False, True], 50.0, 25.0),  # booleans: every frame judged
    ],
)
def test_picture_rate_known_answers(pattern: list[float], fps: float, expected: float) -> None:
    flags = np.array(pattern * 120)[:300]
    assert picture_rate_fps(flags, fps) == pytest.approx(expected)


def test_stills_and_pauses_are_left_out_of_the_rate() -> None:
    side_13_like = np.array([0.0] + [1.0] * 12 + [0.0, 0.0, 0.0, 0.0, 1.0] * 40)  # a frozen start
    assert picture_rate_fps(side_13_like, 30.0) == pytest.approx(24.0)
    # A pause of 2 s in the middle (one picture held): the rate of the moving parts, not 12.
    paused = np.array([0.0, 1.0] * 45 + [1.0] * 60 + [0.0, 1.0] * 45)
    assert picture_rate_fps(paused, 30.0) == pytest.approx(15.0)
    # The sprint clip's pattern (each picture 3 times, once a second 6 times = 0.2 s): kept.
    sprint = np.array(([0.0, 1.0, 1.0] * 8 + [0.0] + [1.0] * 5) * 6)
    assert picture_rate_fps(sprint, 30.0) == pytest.approx(9.0)
    assert picture_rate_fps(np.array([0.0] + [1.0] * 89), 30.0) is None  # one still picture: no rate


def test_a_short_clip_is_one_window_and_an_empty_one_has_no_rate() -> None:
    assert picture_rate_fps(np.array([NAN, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]), 30.0) == pytest.approx(15.0)
    assert picture_rate_fps(np.array([NAN, NAN, 0.0]), 30.0) is None  # fewer than half its frames judged
    assert picture_rate_fps(np.array([]), 30.0) is None
