"""Processing stage: visibility gating, gap filling, swap repair, filtering, view, direction and roll."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from formcheck.processing.filtering import cutoff_for_fps, lowpass, lowpass_1d
from formcheck.processing.gaps import fill_gaps_1d, nan_runs
from formcheck.processing.gating import gate_by_visibility
from formcheck.processing.orientation import estimate_direction, estimate_view
from formcheck.processing.scale import fit_ground_roll_deg, leg_length_px, rotate_points
from formcheck.processing.swaps import LEG_CHAINS, repair_swaps
from formcheck.skeleton import INDEX, MIRROR
from formcheck.synth.params import RunnerParams
from tests.fixtures.synthetic import synthetic_trajectories


@pytest.fixture(scope="module")
def runner():
    traj, truth = synthetic_trajectories(RunnerParams(duration_s=4.0))
    return traj, truth


def test_nan_runs_and_short_gap_fill():
    assert nan_runs(np.array([0, 1, 1, 0, 1], bool)) == [(1, 3), (4, 5)]
    t = np.arange(40) / 30.0
    y = np.sin(2 * np.pi * 1.5 * t)
    holed = y.copy()
    holed[10:13] = np.nan  # 3 frames: filled
    holed[20:25] = np.nan  # 5 frames: left missing
    holed[0] = np.nan  # edge: not extrapolated
    out = fill_gaps_1d(holed, t, max_gap_frames=3)
    assert np.allclose(out[10:13], y[10:13], atol=0.01)
    assert np.isnan(out[20:25]).all()
    assert np.isnan(out[0])


@pytest.mark.parametrize("even", [True, False])
def test_gap_fill_is_the_not_a_knot_spline_through_the_context(even):
    """Each gap gets CubicSpline through the measured samples among the 4 frames on each side, at real times
    (evenly spaced frames or not), and a straight line with fewer than 4 of them."""
    rng = np.random.default_rng(3)
    t = np.arange(60) / 30.0 if even else np.cumsum(rng.uniform(0.02, 0.05, 60))
    y = np.cos(2 * np.pi * 1.3 * t) + 0.1 * rng.standard_normal(60)
    holed = y.copy()
    holed[[10, 11, 14, 27, 28, 30, 31, 32, 34, 35, 36]] = np.nan
    out = fill_gaps_1d(holed, t, max_gap_frames=3)
    # gap -> the measured samples within 4 frames of it (a sample inside another gap is not context)
    contexts = {
        (10, 12): [6, 7, 8, 9, 12, 13, 15],
        (14, 15): [12, 13, 15, 16, 17, 18],
        (27, 29): [23, 24, 25, 26, 29],
        (34, 37): [33, 37, 38, 39, 40],
    }
    for (a, b), ctx in contexts.items():
        np.testing.assert_allclose(out[a:b], CubicSpline(t[ctx], y[ctx])(t[a:b]), rtol=0, atol=1e-9)
    line = [26, 29, 33]  # gap 30-32 has only three measured neighbours
    np.testing.assert_allclose(out[30:33], np.interp(t[30:33], t[line], y[line]), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(out[np.isfinite(holed)], y[np.isfinite(holed)])


def test_gating_hides_low_visibility(runner):
    traj, _ = runner
    vis = traj.visibility.copy()
    vis[5, INDEX["left_knee"]] = 0.2
    gated = gate_by_visibility(traj.replace(visibility=vis), 0.5)
    assert np.isnan(gated.xy_px[5, INDEX["left_knee"]]).all()
    assert np.isfinite(gated.xy_px[5, INDEX["right_knee"]]).all()


def test_cutoff_by_frame_rate():
    pts = ((30.0, 6.0), (60.0, 9.0), (120.0, 11.0))
    assert cutoff_for_fps(30.0, pts) == pytest.approx(6.0)
    assert cutoff_for_fps(60.0, pts) == pytest.approx(9.0)
    assert cutoff_for_fps(240.0, pts) == pytest.approx(11.0)
    assert cutoff_for_fps(12.0, pts) < 0.5 * 12.0  # always under Nyquist


def test_lowpass_is_zero_phase_and_removes_jitter():
    fps = 30.0
    t = np.arange(300) / fps
    slow = np.sin(2 * np.pi * 1.4 * t)
    rng = np.random.default_rng(0)
    noisy = slow + rng.normal(0, 0.2, t.size)
    out = lowpass_1d(noisy, fps, 6.0)
    # White noise up to the 15 Hz Nyquist filtered at 6 Hz keeps sqrt(6/15) ~ 63% of its spread.
    assert np.std(out - slow) < 0.7 * np.std(noisy - slow)
    peak_in, peak_out = np.argmax(slow[:15]), np.argmax(out[:15])  # the first crest only
    assert abs(peak_in - peak_out) <= 1  # no lag


def test_lowpass_keeps_nan_runs(runner):
    traj, _ = runner
    xy = traj.xy_px.copy()
    xy[40:50, INDEX["left_ankle"]] = np.nan
    out = lowpass(traj.replace(xy_px=xy), 6.0)
    assert np.isnan(out.xy_px[40:50, INDEX["left_ankle"]]).all()
    assert np.isfinite(out.xy_px[:40, INDEX["left_ankle"]]).all()


def _swap_legs(xy: np.ndarray, frames) -> np.ndarray:
    out = xy.copy()
    (lroot, left), (rroot, right) = LEG_CHAINS
    li, ri = [lroot, *left], [rroot, *right]
    for f in frames:
        out[f, li], out[f, ri] = xy[f, ri], xy[f, li]
    return out


@pytest.mark.parametrize(
    "frames", [[30, 31], [50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60], list(range(60, 100))]
)
def test_swap_repair_undoes_model_swaps(runner, frames):
    traj, _ = runner
    swapped = traj.replace(xy_px=_swap_legs(traj.xy_px, frames))
    repaired, n = repair_swaps(swapped, 0.3)
    assert n == len(frames)
    assert np.allclose(repaired.xy_px, traj.xy_px, equal_nan=True)


def test_swap_repair_leaves_clean_tracks_alone(runner):
    traj, _ = runner
    repaired, n = repair_swaps(traj, 0.3)
    assert n == 0
    assert np.array_equal(repaired.xy_px, traj.xy_px)


def test_view_and_direction(runner):
    traj, _ = runner
    assert estimate_view(traj).view == "side"
    leg = leg_length_px(traj)
    assert estimate_direction(traj, leg).sign == 1
    w = traj.video.width
    mirrored = traj.xy_px[:, list(MIRROR)].copy()
    mirrored[..., 0] = w - mirrored[..., 0]
    assert estimate_direction(traj.replace(xy_px=mirrored), leg).sign == -1


def test_rear_view_is_not_side():
    traj, _ = synthetic_trajectories(RunnerParams(view="rear", duration_s=3.0))
    assert estimate_view(traj).view in ("rear", "front")


def test_leg_length_matches_truth(runner):
    traj, truth = runner
    assert leg_length_px(traj) == pytest.approx(truth.leg_length_px, rel=0.05)


def test_roll_fit_and_rotation_level_a_tilted_ground():
    x = np.linspace(0, 600, 12)
    roll = 4.0
    ground = np.stack([x, 400 - np.tan(np.radians(roll)) * x], axis=1)  # rises to the right on screen
    assert fit_ground_roll_deg(ground, min_span_px=100) == pytest.approx(roll, abs=0.01)
    levelled = rotate_points(ground, -roll, (300.0, 300.0))
    assert np.ptp(levelled[:, 1]) < 1e-6
    assert fit_ground_roll_deg(ground[:3], min_span_px=1000) is None  # too narrow to tell (treadmill)


def test_lowpass_on_dropped_frames_uses_real_time():
    """Frames dropped at random: filtering on the real time axis keeps a 1.4 Hz motion intact."""
    from formcheck.model import Trajectories, VideoInfo

    rng = np.random.default_rng(1)
    t = np.sort(rng.choice(np.arange(360) / 60.0, size=200, replace=False))
    wave = 100 * np.sin(2 * np.pi * 1.4 * t)
    xy = np.zeros((t.size, 33, 2))
    xy[:, :, 0] = wave[:, None]
    info = VideoInfo(path="vfr.mp4", width=640, height=480, fps=60.0, n_frames=t.size, duration_s=6.0)
    traj = Trajectories(xy_px=xy, visibility=np.ones((t.size, 33)), time_s=t, video=info)
    assert traj.irregular
    from formcheck.processing.filtering import lowpass_1d

    err = np.abs(lowpass(traj, 6.0).xy_px[10:-10, 0, 0] - wave[10:-10])
    naive = np.abs(lowpass_1d(wave, traj.fps, 6.0)[10:-10] - wave[10:-10])  # frames taken as evenly spaced
    assert np.median(err) < 1.5 and err.max() < 10.0  # measured 0.95 and 7.1 (of an amplitude of 100)
    assert err.max() < 0.5 * naive.max()  # measured 22


def _viterbi_reference(step: np.ndarray, swap_price: float, n: int) -> list[int]:
    """The NumPy formulation _viterbi_states replaced (argmin over s0 per frame), kept as the reference."""
    cost = np.array([[0.0, swap_price], [np.inf, np.inf]])
    back = np.zeros((n, 2, 2), dtype=np.int8)
    for t in range(2, n):
        total = cost[:, :, None] + step[:, :, :, t - 2]
        back[t] = np.argmin(total, axis=0)
        cost = np.min(total, axis=0)
    s1, s2 = np.unravel_index(int(np.argmin(cost)), (2, 2))
    states = np.zeros(n, dtype=int)
    states[n - 1], states[n - 2] = s2, s1
    for t in range(n - 1, 1, -1):
        states[t - 2] = back[t, states[t - 1], states[t]]
    return states.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_swap_viterbi_matches_the_numpy_formulation(seed):
    from formcheck.processing.swaps import _viterbi_states

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 400))
    # Small integer costs make ties common, so the tie rule (lower state first) is exercised too.
    step = rng.integers(0, 4, size=(2, 2, 2, n - 2)).astype(float)
    price = float(rng.integers(0, 3))
    step[:, :, 1, :] += price
    assert _viterbi_states(step.reshape(8, n - 2).tolist(), price, n) == _viterbi_reference(step, price, n)
