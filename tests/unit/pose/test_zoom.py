"""The zoomed search for a runner too small for the whole-frame detector (pose/zoom.py): tiles that hold anyone
up to half a tile tall, a following crop inside the frame, landmarks mapped back to the full frame, what it
costs while the runner is lost, giving up on an empty clip; and the real model on a small rendered runner."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import PoseSettings
from formcheck.pose.base import PoseDetection
from formcheck.pose.zoom import (
    Crop,
    ZoomedSearch,
    follow_crop,
    refine_frames,
    tile_grid,
    tile_levels,
    to_frame,
)
from formcheck.skeleton import N_LANDMARKS

W, H, FPS = 1680, 720, 30.0


@pytest.mark.parametrize(
    ("w", "h", "side"), [(1680, 720, 720), (1680, 720, 360), (720, 1280, 720), (64, 48, 48)]
)
def test_tiles_cover_the_frame_and_hold_anyone_up_to_half_a_tile(w: int, h: int, side: int) -> None:
    tiles = tile_grid(w, h, side)
    covered = np.zeros((h, w), dtype=bool)
    for t in tiles:
        assert t.side_px == side and 0 <= t.x0_px <= w - side and 0 <= t.y0_px <= h - side
        covered[t.y0_px : t.y0_px + side, t.x0_px : t.x0_px + side] = True
    assert covered.all()
    rng = np.random.default_rng(1)
    for _ in range(500):
        bw, bh = rng.integers(1, side // 2 + 1, size=2)
        x0, y0 = rng.integers(0, w - bw + 1), rng.integers(0, h - bh + 1)
        assert any(
            t.x0_px <= x0 and x0 + bw <= t.x0_px + side and t.y0_px <= y0 and y0 + bh <= t.y0_px + side
            for t in tiles
        ), (x0, y0, bw, bh)


def test_tile_levels_are_the_short_side_then_half_of_it() -> None:
    coarse, fine = tile_levels(W, H)
    assert {t.side_px for t in coarse} == {720} and len(coarse) == 4  # x = 0, 360, 720, 960
    assert {t.side_px for t in fine} == {360} and len(fine) == 9 * 3


def test_follow_crop_is_centred_on_the_runner_and_stays_inside_the_frame() -> None:
    assert follow_crop((800.0, 285.0, 850.0, 435.0), W, H, 4.0) == Crop(525, 60, 600)  # 4 x 150 px, centred
    assert follow_crop((800.0, 400.0, 850.0, 550.0), W, H, 4.0) == Crop(
        525, 120, 600
    )  # bottom edge: moved up
    assert follow_crop((0.0, 600.0, 40.0, 700.0), W, H, 4.0) == Crop(
        0, 320, 400
    )  # pushed inside at the corner
    assert follow_crop((100.0, 0.0, 300.0, 700.0), W, H, 4.0).side_px == 720  # at most the short side
    assert follow_crop((10.0, 10.0, 12.0, 12.0), W, H, 4.0).side_px == 64  # never a sliver


def test_to_frame_adds_the_crop_offset() -> None:
    xy = np.arange(N_LANDMARKS * 2, dtype=float).reshape(N_LANDMARKS, 2)
    det = PoseDetection(xy_px=xy, visibility=np.full(N_LANDMARKS, 0.7))
    moved = to_frame(det, Crop(360, 40, 720))
    np.testing.assert_array_equal(moved.xy_px, xy + [360, 40])
    np.testing.assert_array_equal(moved.visibility, det.visibility)


def _coded_frame() -> np.ndarray:
    """A frame whose pixels spell their own coordinates, so a fake estimator can tell where its crop lies."""
    y, x = np.mgrid[0:H, 0:W]
    return np.dstack([x & 255, y & 255, (x >> 8) | ((y >> 8) << 4)]).astype(np.uint8)


def _runner_at(x_px: float, height_px: float = 150.0) -> np.ndarray:
    """(33, 2) landmarks of a standing figure ``height_px`` tall, feet on y = 600, centred on ``x_px``."""
    frac = np.linspace(0.0, 1.0, N_LANDMARKS)
    return np.column_stack([x_px + 20.0 * np.sin(7 * frac), 600.0 - height_px * (1.0 - frac)])


class FakeDetector:
    """Finds the runner (full-frame landmarks ``truth[k]`` at call k's frame) only when the crop holds the whole
    runner and the runner fills at least a quarter of it, as BlazePose's 224 px detector needs; returns the
    landmarks in crop pixels. ``truth`` None: nobody."""

    name = "fake"

    def __init__(self, truth: list[np.ndarray | None]) -> None:
        self.truth = truth
        self.frame = 0
        self.crops: list[Crop] = []
        self.closed = False

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        r, g, b = (int(v) for v in rgb[0, 0])
        crop = Crop(r | ((b & 15) << 8), g | ((b >> 4) << 8), rgb.shape[0])
        assert rgb.shape[0] == rgb.shape[1]
        self.crops.append(crop)
        xy = self.truth[min(int(round(time_s * FPS)), len(self.truth) - 1)]
        if xy is None:
            return []
        local = xy - [crop.x0_px, crop.y0_px]
        inside = (local >= 0).all() and (local < crop.side_px).all()
        tall = np.ptp(xy[:, 1]) >= 0.25 * crop.side_px
        return [PoseDetection(xy_px=local, visibility=np.full(N_LANDMARKS, 0.9))] if inside and tall else []

    def close(self) -> None:
        self.closed = True


def test_the_search_finds_a_small_runner_then_follows_them_with_one_crop() -> None:
    truth = [_runner_at(100.0 + 40.0 * k) for k in range(20)]  # crosses from x = 100 to 860
    fake = FakeDetector(truth)
    frame = _coded_frame()
    with ZoomedSearch(fake, W, H, FPS, PoseSettings()) as search:
        found = [search.detect(frame, k / FPS) for k in range(20)]
    assert fake.closed
    assert all(len(f) == 1 for f in found)
    for k, f in enumerate(found):
        np.testing.assert_allclose(f[0].xy_px, truth[k], atol=1e-9)  # mapped back to full-frame pixels
    # Frame 0: the 720 px tiles see a 150 px runner as only 21% of a tile; the 360 px tiles find them.
    assert len(fake.crops) == 4 + 27 + 19  # then one following crop a frame
    assert all(c.side_px == 600 for c in fake.crops[-19:])


def test_while_lost_tiles_are_searched_every_0_1_s_for_1_s_then_every_second() -> None:
    cfg = PoseSettings()
    fake = FakeDetector([None] * 100)
    search = ZoomedSearch(fake, W, H, FPS, cfg)
    frame = _coded_frame()
    results = [search.detect(frame, k / FPS) for k in range(100)]
    assert not any(results) and not search.found_any and not search.exhausted
    searched_frames = [
        0,
        3,
        6,
        9,
        12,
        15,
        18,
        21,
        24,
        27,
        30,
        60,
        90,
    ]  # every 3rd frame for 1 s, then every 30th
    assert len(fake.crops) == len(searched_frames) * (4 + 27) == search.crops_posed


def test_the_crop_budget_bounds_the_cost_of_a_long_search() -> None:
    fake = FakeDetector([None] * 300)
    search = ZoomedSearch(fake, W, H, FPS, PoseSettings(), budget_crops=100)
    frame = _coded_frame()
    for k in range(300):
        search.detect(frame, k / FPS)
    assert search.exhausted
    # 3 whole searches, then the 4th's 720 px tiles; its 360 px tiles would pass 100 crops, and nothing after.
    assert search.crops_posed == len(fake.crops) == 3 * (4 + 27) + 4


def test_a_runner_entering_after_2_s_is_still_found() -> None:
    enter = 75  # 2.5 s
    truth: list[np.ndarray | None] = [None] * enter + [_runner_at(300.0 + 10.0 * k) for k in range(30)]
    fake = FakeDetector(truth)
    frame = _coded_frame()
    with ZoomedSearch(fake, W, H, FPS, PoseSettings()) as search:
        found = [search.detect(frame, k / FPS) for k in range(len(truth))]
    assert not any(found[:enter])
    assert [len(f) for f in found[enter:]] == [0] * 15 + [1] * 15  # the search at 3 s (frame 90) finds them


def test_frames_the_whole_frame_pass_saw_are_not_posed_and_a_bystander_off_the_path_is_not_taken() -> None:
    # The runner (150 px) is seen by the whole-frame pass in frames 0-9 from x = 300 to 345, then lost; the zoomed
    # tiles see only a bystander at x = 1400, 7 box heights away: farther than the path's gate ever grows
    # (2 + 6 x 0.5 = 5 box heights).
    runner = [_runner_at(300.0 + 5.0 * k) for k in range(10)]
    truth: list[np.ndarray | None] = [*runner, *[_runner_at(1400.0)] * 40]
    known = [
        (float(r[:, 0].min()), float(r[:, 1].min()), float(r[:, 0].max()), float(r[:, 1].max()))
        for r in runner
    ]
    fake = FakeDetector(truth)
    frame = _coded_frame()
    with ZoomedSearch(fake, W, H, FPS, PoseSettings(), known=known) as search:
        found = [search.detect(frame, k / FPS) for k in range(len(truth))]
    assert not any(found)  # never the bystander
    assert fake.crops[0] == follow_crop(
        known[-1], W, H, 4.0
    )  # frame 10 starts with the crop following the runner
    assert (
        search.crops_posed == len(fake.crops) > 0
    )  # the lost frames were searched; frames 0-9 were not posed
    assert len(fake.crops) == 1 + 11 * (4 + 27)  # the following crop, then tiles 10 times in 1 s, then once


def test_a_runner_lost_midway_is_searched_for_again() -> None:
    truth: list[np.ndarray | None] = (
        [_runner_at(300.0, 300.0)] * 5 + [None] * 4 + [_runner_at(1000.0, 300.0)] * 5
    )
    fake = FakeDetector(truth)
    frame = _coded_frame()
    with ZoomedSearch(fake, W, H, FPS, PoseSettings()) as search:
        found = [search.detect(frame, k / FPS) for k in range(len(truth))]
    assert [len(f) for f in found] == [1] * 5 + [0] * 4 + [0, 0, 1, 1, 1]  # tiles every 3rd lost frame
    np.testing.assert_allclose(found[-1][0].xy_px, truth[-1])


def test_the_real_model_finds_a_small_rendered_runner_in_a_wide_frame() -> None:
    from formcheck.pose import open_estimator
    from formcheck.synth import RunnerParams
    from formcheck.synth.clip import drawn_landmarks, render_frames

    params = RunnerParams(view="side", short_side_px=H, aspect=W / H, runner_height_frac=0.2, duration_s=0.1)
    renderer, frames = render_frames(params)
    truth = drawn_landmarks(renderer)
    with open_estimator(num_poses=1, still_images=True) as whole:
        assert whole.detect(frames[0], 0.0) == []  # the whole frame: a 144 px runner is 19 px to the detector
    with ZoomedSearch(open_estimator(num_poses=1, still_images=True), W, H, FPS, PoseSettings()) as search:
        for k, frame in enumerate(frames[:3]):
            (det,) = search.detect(frame, k / FPS)
            leg_px = np.linalg.norm(truth[k, 23] - truth[k, 27])
            hips = [23, 24]
            assert np.abs(det.xy_px[hips] - truth[k, hips]).max() < 0.15 * leg_px


def test_refine_frames_are_those_whose_runner_s_legs_are_short_over_the_second_around_them() -> None:
    fps = 10.0  # a window of 11 frames: 5 either side
    legs = np.r_[np.full(20, 80.0), np.full(20, 120.0)]
    assert refine_frames(legs, fps, 90.0).tolist() == [True] * 20 + [False] * 20
    # One long reading among short ones (a leg measured across a swap) does not take a frame out, nor one short
    # reading among long ones (a foreshortened leg) put it in.
    spiky = np.full(30, 80.0)
    spiky[10] = 200.0
    spiky[25] = 20.0
    assert refine_frames(spiky, fps, 90.0).all()
    assert not refine_frames(np.where(np.arange(30) == 5, 20.0, 150.0), fps, 90.0).any()
    # Unseen frames (NaN) count by their neighbours; a second with no leg at all is not refined.
    gaps = np.full(40, np.nan)
    gaps[:10] = 80.0
    assert refine_frames(gaps, fps, 90.0).tolist() == [True] * 15 + [False] * 25
    assert not refine_frames(np.full(10, 50.0), fps, 0.0).any()  # 0: off
    assert refine_frames(np.array([]), fps, 90.0).size == 0


def test_a_small_runner_seen_by_the_whole_frame_is_posed_again_on_a_close_crop() -> None:
    # The whole-frame pass saw the runner (150 px) in all 10 frames, but with the feet 30 px too high; the close
    # crop (2.5 box heights) poses the true landmarks, which are returned for the refined frames only.
    truth = [_runner_at(300.0 + 5.0 * k) for k in range(10)]
    feet = np.arange(N_LANDMARKS) >= 27
    whole = [t - np.column_stack([np.zeros(N_LANDMARKS), np.where(feet, 30.0, 0.0)]) for t in truth]
    known = [
        (float(w[:, 0].min()), float(w[:, 1].min()), float(w[:, 0].max()), float(w[:, 1].max()))
        for w in whole
    ]
    refine = [k >= 4 for k in range(10)]
    fake = FakeDetector(truth)
    frame = _coded_frame()
    with ZoomedSearch(fake, W, H, FPS, PoseSettings(), known=known, refine=refine) as search:
        found = [search.detect(frame, k / FPS) for k in range(10)]
    assert [len(f) for f in found] == [0] * 4 + [1] * 6
    for k in range(4, 10):
        np.testing.assert_allclose(found[k][0].xy_px, truth[k], atol=1e-9)
    assert search.refined == 6 and search.crops_posed == 6  # one crop a refined frame, nothing elsewhere
    assert fake.crops[0] == follow_crop(known[4], W, H, 2.5)


def test_a_second_look_that_finds_someone_else_keeps_nothing() -> None:
    # The close crop holds only a person whose box centre is 0.7 box heights (105 px) from the whole-frame runner's
    # (the gate: 0.5): not the runner.
    runner = _runner_at(300.0)
    other = _runner_at(405.0)
    known = [(float(runner[:, 0].min()), float(runner[:, 1].min()), float(runner[:, 0].max()), 600.0)] * 3
    fake = FakeDetector([other] * 3)
    fake_frame = _coded_frame()
    search = ZoomedSearch(fake, W, H, FPS, PoseSettings(), known=known, refine=[True] * 3)
    assert not any(search.detect(fake_frame, k / FPS) for k in range(3))
    assert search.refined == 0 and search.crops_posed == 3
    assert len(fake.crops) == 3 and not search.found_any
    # The same person at 0.3 box heights (45 px) is taken.
    near = ZoomedSearch(
        FakeDetector([_runner_at(345.0)] * 3), W, H, FPS, PoseSettings(), known, refine=[True] * 3
    )
    assert all(near.detect(fake_frame, k / FPS) for k in range(3)) and near.refined == 3


def test_with_search_lost_off_lost_frames_are_not_searched() -> None:
    known = [None] * 5
    fake = FakeDetector([_runner_at(300.0)] * 5)
    search = ZoomedSearch(fake, W, H, FPS, PoseSettings(), known=known, search_lost=False)
    assert not any(search.detect(_coded_frame(), k / FPS) for k in range(5))
    assert search.crops_posed == 0
