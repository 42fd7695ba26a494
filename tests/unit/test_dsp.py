"""formcheck.processing.dsp reproduces the SciPy signal functions it replaces (butter, filtfilt, find_peaks), and
the analysis path no longer imports SciPy at all."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.signal as ss
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from formcheck.model import Trajectories, VideoInfo
from formcheck.processing import dsp
from formcheck.processing.filtering import lowpass, lowpass_1d
from formcheck.processing.gaps import nan_runs
from formcheck.skeleton import N_LANDMARKS

CHECK = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ORDERS = [1, 2, 3, 4]
# formcheck's cut-offs are 6-11 Hz at 24-240 fps (wn 0.09-0.8); the rest brackets them.
CUTOFFS = [0.005, 0.02, 0.09, 0.18, 0.3, 0.4, 0.5, 0.73, 0.9, 0.99]


def close_to_scipy(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Equal within 1e-9 of the signal's scale."""
    scale = max(1.0, float(np.max(np.abs(theirs)))) if theirs.size else 1.0
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9 * scale)


# --- butter ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", [*ORDERS, 5, 6])
@pytest.mark.parametrize("wn", [0.001, *CUTOFFS, 0.999])
def test_butter_lowpass_matches_scipy(order, wn):
    b, a = dsp.butter_lowpass(order, wn)
    B, A = ss.butter(order, wn)
    assert b.shape == B.shape and a.shape == A.shape
    np.testing.assert_allclose(b, B, rtol=1e-10, atol=0)
    np.testing.assert_allclose(a, A, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dsp.lfilter_zi(b, a), ss.lfilter_zi(B, A), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("bad", [(0, 0.3), (2, 0.0), (2, 1.0), (2, -0.1), (1.5, 0.3)])
def test_butter_lowpass_refuses_what_scipy_refuses(bad):
    with pytest.raises(ValueError):
        dsp.butter_lowpass(*bad)


# --- filtfilt ----------------------------------------------------------------------------------------------------


def _signal(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(n) / 30.0
    if kind == "sine+noise":  # a landmark coordinate: stride rhythm, harmonics, pose jitter, an offset
        return 400 + 80 * np.sin(2 * np.pi * 1.4 * t) + 20 * np.sin(2 * np.pi * 4.2 * t) + rng.normal(0, 3, n)
    if kind == "step":
        x = np.full(n, 120.0)
        x[n // 3 :] = 860.0
        return x + rng.normal(0, 0.5, n)
    if kind == "walk":
        return np.cumsum(rng.normal(0, 10, n)) + 1000
    return rng.uniform(-1e3, 1e3, n)


@CHECK
@given(
    order=st.sampled_from(ORDERS),
    wn=st.sampled_from(CUTOFFS) | st.floats(0.01, 0.99),
    kind=st.sampled_from(["sine+noise", "step", "walk", "uniform"]),
    extra=st.integers(1, 400) | st.integers(1, 3),  # lengths just above the padding included
    seed=st.integers(0, 2**32 - 1),
)
def test_filtfilt_matches_scipy_1d(order, wn, kind, extra, seed):
    b, a = ss.butter(order, wn)
    padlen = 3 * max(len(a), len(b))
    x = _signal(kind, padlen + extra, np.random.default_rng(seed))
    close_to_scipy(dsp.filtfilt(b, a, x, padlen=padlen), ss.filtfilt(b, a, x, padlen=padlen))
    close_to_scipy(dsp.filtfilt(b, a, x), ss.filtfilt(b, a, x))  # scipy's default padlen


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("wn", [0.02, 0.3, 0.8])
def test_filtfilt_matches_scipy_2d_blocks(order, wn):
    rng = np.random.default_rng(order)
    b, a = ss.butter(order, wn)
    block = np.stack([_signal(k, 700, rng) for k in ("sine+noise", "step", "walk", "uniform")] * 5, axis=1)
    close_to_scipy(dsp.filtfilt(b, a, block, axis=0), ss.filtfilt(b, a, block, axis=0))
    close_to_scipy(dsp.filtfilt(b, a, block.T), ss.filtfilt(b, a, block.T))
    cube = block.reshape(700, 4, 5)
    close_to_scipy(dsp.filtfilt(b, a, cube, axis=0, padlen=9), ss.filtfilt(b, a, cube, axis=0, padlen=9))


@CHECK
@given(
    order=st.sampled_from(ORDERS),
    wn=st.sampled_from(CUTOFFS),
    lengths=st.lists(st.integers(1, 300), min_size=0, max_size=12),
    seed=st.integers(0, 2**32 - 1),
)
def test_filtfilt_segments_is_filtfilt_per_segment(order, wn, lengths, seed):
    rng = np.random.default_rng(seed)
    b, a = ss.butter(order, wn)
    padlen = 3 * max(len(a), len(b))
    segments = [_signal("sine+noise", padlen + n, rng) for n in lengths]
    ours = dsp.filtfilt_segments(b, a, segments, padlen=padlen)
    assert len(ours) == len(segments)
    for seg, out in zip(segments, ours, strict=True):
        close_to_scipy(out, ss.filtfilt(b, a, seg, padlen=padlen))


def test_filtfilt_refuses_signals_not_longer_than_the_padding():
    b, a = ss.butter(2, 0.3)
    for x in (np.ones(9), np.ones(3)):
        with pytest.raises(ValueError, match="padlen"):
            ss.filtfilt(b, a, x, padlen=9)
        with pytest.raises(ValueError, match="padlen"):
            dsp.filtfilt(b, a, x, padlen=9)
    with pytest.raises(ValueError, match="padlen"):
        dsp.filtfilt_segments(b, a, [np.ones(40), np.ones(9)], padlen=9)


def _lowpass_1d_scipy(values: np.ndarray, fps: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """filtering.lowpass_1d as it was written with SciPy (before dsp.py)."""
    out = np.array(values, dtype=float, copy=True)
    b, a = ss.butter(order, cutoff_hz / (fps / 2.0))
    padlen = 3 * max(len(a), len(b))
    for start, stop in nan_runs(np.isfinite(out)):
        if stop - start > padlen:
            out[start:stop] = ss.filtfilt(b, a, out[start:stop], padlen=padlen)
    return out


def _lowpass_irregular_scipy(values, time_s, grid, fps, cutoff_hz, order):
    """filtering._lowpass_irregular (one coordinate) as it was written with SciPy."""
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return values
    on_grid = np.interp(grid, time_s[ok], values[ok])
    nearest = np.clip(np.searchsorted(time_s, grid), 1, len(time_s) - 1)
    nearest -= (grid - time_s[nearest - 1]) < (time_s[nearest] - grid)
    on_grid[~ok[nearest]] = np.nan
    filtered = _lowpass_1d_scipy(on_grid, fps, cutoff_hz, order)
    good = np.isfinite(filtered)
    out = np.full_like(values, np.nan)
    if good.sum() >= 2:
        out[ok] = np.interp(time_s[ok], grid[good], filtered[good])
    return out


def _holed_tracks(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 66) landmark coordinates with NaN gaps of every length, short runs and all-missing columns."""
    t = np.arange(n) / 30.0
    cols = 2 * N_LANDMARKS
    x = (
        300
        + 100 * np.sin(2 * np.pi * 1.5 * t[:, None] + rng.uniform(0, 6, cols))
        + rng.normal(0, 2, (n, cols))
    )
    for j in range(cols):
        for _ in range(rng.integers(0, 6)):
            start = rng.integers(0, n)
            x[start : start + rng.integers(1, 30), j] = np.nan
    x[:, 5] = np.nan
    x[::2, 7] = np.nan  # runs of one sample
    x[rng.integers(0, n), 9] = np.inf
    return x


@pytest.mark.parametrize("order", [1, 2, 4])
def test_lowpass_unchanged_from_the_scipy_version(order):
    rng = np.random.default_rng(order)
    n = 500
    flat = _holed_tracks(n, rng)
    video = VideoInfo(path="x.mp4", width=640, height=480, fps=30.0, n_frames=n, duration_s=n / 30)
    traj = Trajectories(
        xy_px=flat.reshape(n, N_LANDMARKS, 2),
        visibility=np.ones((n, N_LANDMARKS)),
        time_s=np.arange(n) / 30,
        video=video,
    )
    expected = np.stack(
        [_lowpass_1d_scipy(flat[:, j], 30.0, 6.0, order) for j in range(flat.shape[1])], axis=1
    )
    got = lowpass(traj, 6.0, order).xy_px.reshape(n, -1)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    close_to_scipy(np.nan_to_num(got, posinf=0), np.nan_to_num(expected, posinf=0))
    close_to_scipy(np.nan_to_num(lowpass_1d(flat[:, 3], 30.0, 6.0, order)), np.nan_to_num(expected[:, 3]))

    # Irregular frame times: resampled, filtered on the even grid, read back.
    time_s = np.cumsum(np.r_[0.0, rng.uniform(0.6, 1.4, n - 1)]) / 30.0
    irregular = traj.replace(time_s=time_s)
    assert irregular.irregular
    grid = np.linspace(time_s[0], time_s[-1], n)
    expected = np.stack(
        [
            _lowpass_irregular_scipy(flat[:, j], time_s, grid, irregular.fps, 6.0, order)
            for j in range(flat.shape[1])
        ],
        axis=1,
    )
    got = lowpass(irregular, 6.0, order).xy_px.reshape(n, -1)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    close_to_scipy(np.nan_to_num(got, posinf=0), np.nan_to_num(expected, posinf=0))


# --- find_peaks --------------------------------------------------------------------------------------------------


def assert_same_peaks(x, **kwargs) -> None:
    peaks, props = dsp.find_peaks(x, **kwargs)
    ref_peaks, ref_props = ss.find_peaks(x, **kwargs)
    np.testing.assert_array_equal(peaks, ref_peaks)
    assert peaks.dtype == ref_peaks.dtype
    assert sorted(props) == sorted(ref_props)
    for key in ref_props:
        np.testing.assert_array_equal(props[key], ref_props[key])


# Small integers: many plateaus, equal heights (distance ties) and equal bases.
small_ints = hnp.arrays(np.float64, st.integers(0, 80), elements=st.integers(-4, 4).map(float))
distances = st.none() | st.integers(1, 30) | st.floats(1.0, 30.0)
prominences = st.none() | st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]) | st.floats(0.0, 8.0)


@CHECK
@given(x=small_ints, distance=distances, prominence=prominences)
def test_find_peaks_matches_scipy_on_plateaus(x, distance, prominence):
    assert_same_peaks(x, distance=distance, prominence=prominence)


@CHECK
@given(
    steps=hnp.arrays(np.float64, st.integers(0, 400), elements=st.integers(-2, 2).map(float)),
    distance=distances,
    prominence=prominences,
)
def test_find_peaks_matches_scipy_on_random_walks(steps, distance, prominence):
    assert_same_peaks(np.cumsum(steps), distance=distance, prominence=prominence)


@CHECK
@given(
    x=hnp.arrays(
        np.float64,
        st.integers(0, 60),
        elements=st.sampled_from([0.0, -0.0, 1.0, 2.0, np.nan, np.inf, -np.inf]) | st.floats(-10, 10),
    ),
    distance=distances,
    prominence=st.none() | st.floats(0.0, 5.0),
)
def test_find_peaks_matches_scipy_with_nan_and_inf(x, distance, prominence):
    with np.errstate(invalid="ignore"):
        assert_same_peaks(x, distance=distance, prominence=prominence)


@pytest.mark.parametrize(
    "x",
    [
        [],
        [1.0],
        [1.0, 2.0],
        [1.0, 2.0, 1.0],
        [2.0, 1.0, 2.0],
        [5.0] * 10,
        [0, 1, 1, 0],
        [0, 1, 1, 1, 0],
        [0, 1, 1],
    ],
)
@pytest.mark.parametrize(
    "kwargs", [{}, {"distance": 1}, {"distance": 2.5, "prominence": 0.5}, {"prominence": 1}]
)
def test_find_peaks_matches_scipy_on_short_and_constant_signals(x, kwargs):
    assert_same_peaks(np.asarray(x, dtype=float), **kwargs)


def test_find_peaks_matches_scipy_on_formcheck_like_signals():
    rng = np.random.default_rng(3)
    t = np.arange(1800) / 30.0
    heel = 0.6 * np.sin(2 * np.pi * 1.45 * t) + 0.05 * rng.normal(size=t.size)
    for distance in (1, 12, 15.5, 30):
        for prominence in (None, 0.05, 0.3):
            assert_same_peaks(heel, distance=distance, prominence=prominence)
    ac = np.correlate(heel - heel.mean(), heel - heel.mean(), "full")[t.size - 1 :]
    assert_same_peaks(ac / ac[0])
    assert_same_peaks(np.round(heel, 1), distance=20, prominence=0.2)  # quantized: plateaus and ties


def test_find_peaks_refuses_what_it_does_not_reproduce():
    x = np.array([0.0, 1.0, 0.0])
    with pytest.raises(TypeError):
        dsp.find_peaks(x, height=0.5)
    with pytest.raises(TypeError):
        dsp.find_peaks(x, prominence=(0.1, 2.0))
    with pytest.raises(ValueError, match="distance"):
        dsp.find_peaks(x, distance=0.5)
    with pytest.raises(ValueError):
        dsp.find_peaks(np.zeros((3, 3)))


# --- imports -----------------------------------------------------------------------------------------------------


def test_analysis_path_imports_no_scipy():
    """``import scipy.signal`` costs about a second; formcheck's commands must not pay it."""
    code = "import sys, formcheck.pipeline, formcheck.cli; print(sorted(m for m in sys.modules if m.startswith('scipy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
