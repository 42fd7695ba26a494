"""The side view at 60 and 120 fps (docs/contacts.md "The side view at 60 and 120 fps"): known answers on the pose
model's landmarks of two rendered runners with the realistic landing, whose true contacts are known.

The fixtures are cut from ``python benchmarks/render_contact_set.py DIR --late-knee-extension --landing-cushion-s
0.04 s60_fore s120_fore`` (landmarks.npz, world landmarks dropped): ``rendered_s60_fore_end.npz`` is its 2-4 s,
``rendered_s120_fore_start.npz`` its first second."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.processing.gating import gate_by_visibility
from formcheck.processing.swaps import LEG_CHAINS, coarse_swap_flags, repair_swaps, swap_frame_step
from formcheck.report.landmarks import load_landmarks
from formcheck.trajectory_analysis import clean_trajectories, prepare

LANDMARKS = Path(__file__).resolve().parents[2] / "fixtures" / "landmarks"
(L_ROOT, LEFT), (R_ROOT, RIGHT) = LEG_CHAINS


def test_a_stance_cut_by_the_clips_end_settles_on_the_grounds_velocity() -> None:
    """s60_fore's right foot lands at 3.8734 s, 127 ms before the clip ends. Its stance velocity read on the
    clip's last three frames (still speeding backward through the pose model and the filter's end) put the settle
    2.6 frames late and the contact 1.24 frames late; the whole stances' velocity puts it within a frame, and
    the other contacts stay within a frame."""
    raw = load_landmarks(LANDMARKS / "rendered_s60_fore_end.npz")
    steps = prepare(raw, AnalysisSettings()).events.steps
    truth = {"left": [2.1689, 2.8507, 3.5325], "right": [2.5098, 3.1916, 3.8734]}
    for side, times in truth.items():
        for t in times:
            nearest = min((s.contact_s for s in steps if s.side == side), key=lambda c: abs(c - t))
            assert abs(nearest - t) * raw.fps <= 1.0, (side, t, nearest)
    last = min(steps, key=lambda s: abs(s.contact_s - 3.8734))
    assert last.toe_off_s is None  # the stance is cut: the rule applies


def _heel_ahead_of_hips_px(traj, side: str) -> np.ndarray:
    return traj.point(f"{side}_heel")[:, 0] - traj.mid("left_hip", "right_hip")[:, 0]


def test_the_swap_repair_keeps_the_landing_foot_at_120_fps() -> None:
    """s120_fore's right foot lands at 0.4567 s (frame 54.8), ahead of the hips from about frame 41. The pose model
    calls it "left" in frames 41-52 (it lost the legs' identity while they crossed), "right" in 54-56, then
    mixes them up. Judged frame by frame, relabelling the 12 frames cost more than relabelling the 3 correct
    ones, and the right foot's landing came 7 frames late. Judged on frames 1/30 s apart first, the right foot
    stays ahead through its landing."""
    raw = load_landmarks(LANDMARKS / "rendered_s120_fore_start.npz")
    clean = clean_trajectories(raw, AnalysisSettings())[0]
    landing = slice(46, 57)  # frames 46-56: the right foot reaching forward and landing, the left behind
    assert (_heel_ahead_of_hips_px(clean, "right")[landing] > 0).all()
    assert (_heel_ahead_of_hips_px(clean, "left")[landing] < 0).all()
    # Judged frame by frame only (as before the rule), the right foot is behind the hips while it reaches forward.
    p = AnalysisSettings().processing
    gated = gate_by_visibility(raw, p.visibility_min)
    frame_by_frame, _ = repair_swaps(
        gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=1
    )
    assert (_heel_ahead_of_hips_px(frame_by_frame, "right")[46:53] < 0).all()


@pytest.fixture(scope="module")
def runner():
    from formcheck.synth.params import RunnerParams
    from tests.fixtures.synthetic import synthetic_trajectories

    return synthetic_trajectories(RunnerParams(duration_s=2.0, fps=120))[0]


def _swapped(xy: np.ndarray, frames: list[int]) -> np.ndarray:
    out = xy.copy()
    legs_l, legs_r = [L_ROOT, *LEFT], [R_ROOT, *RIGHT]
    for f in frames:
        out[f, legs_l], out[f, legs_r] = xy[f, legs_r], xy[f, legs_l]
    return out


@pytest.mark.parametrize(
    "frames",
    [[61], [62, 63], [99, 100, 101], list(range(100, 112)), list(range(130, 146)), [61, *range(100, 112)]],
)
def test_the_coarse_pass_undoes_short_and_long_swaps(runner, frames: list[int]) -> None:
    """Exact tracks of the rendered runner at 120 fps with the legs' labels exchanged in ``frames``: judged every
    4th frame, the frames between following their judged neighbours, exactly those frames are relabelled, a
    single frame the judged frames skip (61) included."""
    xy = _swapped(runner.xy_px, frames)
    flags = coarse_swap_flags(xy, LEFT, RIGHT, 0.3, None, 4)
    assert np.flatnonzero(flags).tolist() == frames


@pytest.mark.parametrize(
    ("fps", "picture_fps", "step"),
    [(30.0, None, 1), (60.0, 60.0, 2), (120.0, 120.0, 4), (50.0, 25.0, 1), (60.0, 30.0, 1), (30.0, 25.0, 1)],
)
def test_the_judged_frames_are_counted_in_different_pictures(
    fps: float, picture_fps: float | None, step: int
) -> None:
    """A 50 fps file showing each of 25 pictures twice (overground_side_street_50fps) is judged frame by frame like
    a 25 fps clip: judged every other frame it kept a one-frame mix-up and lost a landing."""
    from formcheck.model import Trajectories, VideoInfo

    n = 10
    video = VideoInfo(
        path="x.mp4", width=64, height=48, fps=fps, n_frames=n, duration_s=n / fps, picture_fps=picture_fps
    )
    traj = Trajectories(
        xy_px=np.zeros((n, 33, 2)), visibility=np.ones((n, 33)), time_s=np.arange(n) / fps, video=video
    )
    assert swap_frame_step(traj, 30.0) == step


@pytest.mark.parametrize("name", ["rendered_s60_fore_end", "rendered_s120_fore_start"])
def test_the_arms_are_judged_frame_by_frame_at_high_frame_rates(name: str) -> None:
    """The coarse pass is for the legs' mix-ups around a landing; on the arms, whose labels the pose model holds
    with confidence, it relabelled 56 of 120 frames here (and the near arm of a real 60 fps treadmill clip on 270 of
    388 frames, moving its elbow angle 87 -> 79 deg). The arms come out as the frame-by-frame repair leaves them."""
    from formcheck.processing.swaps import ARM_CHAINS

    p = AnalysisSettings().processing
    gated = gate_by_visibility(load_landmarks(LANDMARKS / f"{name}.npz"), p.visibility_min)
    step = swap_frame_step(gated, p.swap_frame_rate_hz)
    assert step > 1  # the coarse pass runs on this clip
    coarse, _ = repair_swaps(gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=step)
    fine, _ = repair_swaps(gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=1)
    (l_root, left), (r_root, right) = ARM_CHAINS
    arms = [l_root, *left, r_root, *right]
    np.testing.assert_array_equal(coarse.xy_px[:, arms], fine.xy_px[:, arms])
