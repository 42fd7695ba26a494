"""Zero-lag low-pass filtering of landmark tracks (METRICS.md 2.4): 2nd-order Butterworth run forward and backward
(4th-order zero-phase), cut-off chosen by frame rate, applied to each contiguous run of valid samples."""

from __future__ import annotations

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
    out = np.array(values, dtype=float, copy=True)
    b, a = butter(order, cutoff_hz / (fps / 2.0))
    padlen = 3 * max(len(a), len(b))
    for start, stop in nan_runs(np.isfinite(out)):
        if stop - start > padlen:
            out[start:stop] = filtfilt(b, a, out[start:stop], padlen=padlen)
    return out


def lowpass(traj: Trajectories, cutoff_hz: float, order: int = 2) -> Trajectories:
    """Zero-phase low-pass of every landmark coordinate at ``cutoff_hz``, at the clip's mean frame rate. When
    frame intervals vary (variable frame rate, dropped frames) each coordinate is resampled onto an even time grid,
    filtered there and read back at the frame times, so the filter sees real time, not frame counts."""
    flat = traj.xy_px.reshape(traj.n_frames, 2 * N_LANDMARKS).copy()  # explicit width: 0 frames reshape too
    fps = traj.fps
    if traj.irregular:
        grid = np.linspace(traj.time_s[0], traj.time_s[-1], traj.n_frames)
        for j in range(flat.shape[1]):
            flat[:, j] = _lowpass_irregular(flat[:, j], traj.time_s, grid, fps, cutoff_hz, order)
    else:
        for j in range(flat.shape[1]):
            flat[:, j] = lowpass_1d(flat[:, j], fps, cutoff_hz, order)
    return traj.replace(xy_px=flat.reshape(traj.xy_px.shape))


def _lowpass_irregular(
    values: np.ndarray, time_s: np.ndarray, grid: np.ndarray, fps: float, cutoff_hz: float, order: int
) -> np.ndarray:
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return values
    on_grid = np.interp(grid, time_s[ok], values[ok])
    # Grid points whose nearest frame is missing stay missing: gaps are not bridged by the resampling.
    nearest = np.clip(np.searchsorted(time_s, grid), 1, len(time_s) - 1)
    nearest -= (grid - time_s[nearest - 1]) < (time_s[nearest] - grid)
    on_grid[~ok[nearest]] = np.nan
    filtered = lowpass_1d(on_grid, fps, cutoff_hz, order)
    good = np.isfinite(filtered)
    out = np.full_like(values, np.nan)
    if good.sum() >= 2:
        out[ok] = np.interp(time_s[ok], grid[good], filtered[good])
    return out


def central_velocity(values: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    """Velocity by central differences (units per second), NaN-propagating (METRICS.md 2.4)."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return np.full_like(values, np.nan)
    return np.gradient(values, time_s, axis=0)
