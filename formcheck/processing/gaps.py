"""Short-gap interpolation: gaps of a few frames are filled with a cubic fit; longer gaps stay missing."""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from formcheck.model import Trajectories
from formcheck.skeleton import N_LANDMARKS

_CONTEXT_FRAMES = 4  # valid samples used on each side of a gap for the cubic fit


def nan_runs(missing: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the runs of True in a 1-D boolean array (stop exclusive)."""
    m = np.concatenate(([False], np.asarray(missing, dtype=bool), [False]))
    edges = np.flatnonzero(m[1:] != m[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def fill_gaps_1d(values: np.ndarray, time_s: np.ndarray, max_gap_frames: int) -> np.ndarray:
    """Fill interior NaN runs of at most ``max_gap_frames`` samples with a cubic through nearby valid samples."""
    out = np.array(values, dtype=float, copy=True)
    missing = ~np.isfinite(out)
    if not missing.any() or missing.all():
        return out
    n = len(out)
    for start, stop in nan_runs(missing):
        if start == 0 or stop == n or stop - start > max_gap_frames:
            continue  # edges are not extrapolated; long gaps stay missing
        lo = max(0, start - _CONTEXT_FRAMES)
        hi = min(n, stop + _CONTEXT_FRAMES)
        ctx = np.r_[lo:start, stop:hi]
        ctx = ctx[np.isfinite(out[ctx])]
        if len(ctx) < 2:
            continue
        if len(ctx) < 4:
            out[start:stop] = np.interp(time_s[start:stop], time_s[ctx], out[ctx])
        else:
            out[start:stop] = CubicSpline(time_s[ctx], out[ctx])(time_s[start:stop])
    return out


def fill_short_gaps(traj: Trajectories, max_gap_frames: int) -> Trajectories:
    """Interpolate gaps of <= ``max_gap_frames`` frames in every landmark coordinate (METRICS.md 2.2: 3 frames)."""
    xy = traj.xy_px.copy()
    flat = xy.reshape(traj.n_frames, 2 * N_LANDMARKS)  # explicit width: 0 frames reshape too
    for j in range(flat.shape[1]):
        col = flat[:, j]
        if np.isnan(col).any():
            flat[:, j] = fill_gaps_1d(col, traj.time_s, max_gap_frames)
    return traj.replace(xy_px=flat.reshape(xy.shape))
