"""Zero-lag low-pass filtering of landmark tracks (METRICS.md 2.4): 2nd-order Butterworth run forward and backward
(4th-order zero-phase), cut-off chosen by frame rate, applied to each contiguous run of valid samples."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.signal import butter, filtfilt

from formcheck.model import Trajectories
from formcheck.processing.gaps import nan_runs
from formcheck.skeleton import N_LANDMARKS


def cutoff_for_fps(fps: float, points: tuple[tuple[float, float], ...]) -> float:
    """Cut-off in Hz for a frame rate: 6 Hz at 30 fps, 9 Hz at 60 fps, 11 Hz at >= 120 fps (METRICS.md 2.4),
    interpolated between, and always below 80% of the Nyquist frequency."""
    rates = [p[0] for p in points]
    cutoffs = [p[1] for p in points]
    fc = float(np.interp(fps, rates, cutoffs))
    return min(fc, 0.8 * fps / 2.0)


def lowpass_1d(values: np.ndarray, fps: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Filter every valid run of a 1-D signal; runs too short for filtfilt's padding are left as they are."""
    return _lowpass_columns(np.asarray(values, dtype=float)[:, None], fps, cutoff_hz, order)[:, 0]


def lowpass(traj: Trajectories, cutoff_hz: float, order: int = 2) -> Trajectories:
    """Zero-phase low-pass of every landmark coordinate at ``cutoff_hz``, at the clip's mean frame rate. When
    frame intervals vary (variable frame rate, dropped frames) each coordinate is resampled onto an even time grid,
    filtered there and read back at the frame times, so the filter sees real time, not frame counts."""
    flat = traj.xy_px.reshape(traj.n_frames, 2 * N_LANDMARKS)  # explicit width: 0 frames reshape too
    if traj.irregular:
        filtered = _lowpass_irregular(flat, traj.time_s, traj.fps, cutoff_hz, order)
    else:
        filtered = _lowpass_columns(flat, traj.fps, cutoff_hz, order)
    return traj.replace(xy_px=filtered.reshape(traj.xy_px.shape))


def _lowpass_columns(values: np.ndarray, fps: float, cutoff_hz: float, order: int) -> np.ndarray:
    """Each column of a (T, C) array filtered run by run (``filtfilt`` per valid run longer than its padding);
    NaNs and short runs are kept as they are. Columns whose valid runs coincide (x and y of a landmark, landmarks
    hidden together) are filtered in one ``filtfilt`` call."""
    out = np.array(values, dtype=float, copy=True)
    b, a = butter(order, cutoff_hz / (fps / 2.0))
    padlen = 3 * max(len(a), len(b))
    columns_of_run: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j in range(out.shape[1]):
        for start, stop in nan_runs(np.isfinite(out[:, j])):
            if stop - start > padlen:
                columns_of_run[(start, stop)].append(j)
    for (start, stop), cols in columns_of_run.items():
        out[start:stop, cols] = filtfilt(b, a, out[start:stop, cols], axis=0, padlen=padlen)
    return out


def _lowpass_irregular(
    values: np.ndarray, time_s: np.ndarray, fps: float, cutoff_hz: float, order: int
) -> np.ndarray:
    """Columns of ``values`` (T, C) at frame times ``time_s``: resampled onto an even grid, filtered there
    together (``_lowpass_columns``), read back at the frame times."""
    grid = np.linspace(time_s[0], time_s[-1], len(time_s))
    # Grid points whose nearest frame is missing stay missing: gaps are not bridged by the resampling.
    nearest = np.clip(np.searchsorted(time_s, grid), 1, len(time_s) - 1)
    nearest -= (grid - time_s[nearest - 1]) < (time_s[nearest] - grid)
    ok = np.isfinite(values)
    usable = ok.sum(axis=0) >= 2
    on_grid = np.full(values.shape, np.nan)
    for j in np.flatnonzero(usable):
        on_grid[:, j] = np.interp(grid, time_s[ok[:, j]], values[ok[:, j], j])
    on_grid[~ok[nearest]] = np.nan
    filtered = _lowpass_columns(on_grid, fps, cutoff_hz, order)
    out = np.array(values, dtype=float, copy=True)  # columns with fewer than 2 samples stay as they are
    for j in np.flatnonzero(usable):
        good = np.isfinite(filtered[:, j])
        out[:, j] = np.nan
        if good.sum() >= 2:
            out[ok[:, j], j] = np.interp(time_s[ok[:, j]], grid[good], filtered[good, j])
    return out


def central_velocity(values: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    """Velocity by central differences (units per second), NaN-propagating (METRICS.md 2.4)."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return np.full_like(values, np.nan)
    return np.gradient(values, time_s, axis=0)
