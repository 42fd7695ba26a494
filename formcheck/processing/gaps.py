"""Short-gap interpolation: gaps of a few frames are filled with a cubic fit; longer gaps stay missing."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.interpolate import CubicSpline

from formcheck.model import Trajectories
from formcheck.skeleton import N_LANDMARKS

_CONTEXT_FRAMES = 4  # valid samples used on each side of a gap for the cubic fit
# Frame intervals equal to this fraction are even (timestamps of a constant frame rate differ by rounding).
_EVEN_SPACING_TOLERANCE = 1e-9


def nan_runs(missing: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the runs of True in a 1-D boolean array (stop exclusive)."""
    m = np.concatenate(([False], np.asarray(missing, dtype=bool), [False]))
    edges = np.flatnonzero(m[1:] != m[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def fill_gaps_1d(values: np.ndarray, time_s: np.ndarray, max_gap_frames: int) -> np.ndarray:
    """Fill interior NaN runs of at most ``max_gap_frames`` samples with a cubic through nearby valid samples."""
    out = np.array(values, dtype=float, copy=True)
    _fill_columns(out[:, None], np.asarray(time_s, dtype=float), max_gap_frames)
    return out


def fill_short_gaps(traj: Trajectories, max_gap_frames: int) -> Trajectories:
    """Interpolate gaps of <= ``max_gap_frames`` frames in every landmark coordinate (METRICS.md 2.2: 3 frames)."""
    xy = traj.xy_px.copy()
    flat = xy.reshape(traj.n_frames, 2 * N_LANDMARKS)  # explicit width: 0 frames reshape too
    _fill_columns(flat, np.asarray(traj.time_s, dtype=float), max_gap_frames)
    return traj.replace(xy_px=flat.reshape(xy.shape))


def _fill_columns(cols: np.ndarray, time_s: np.ndarray, max_gap_frames: int) -> None:
    """Fill the short interior gaps of every column of ``cols`` (T, C) in place. Each gap gets SciPy's
    not-a-knot ``CubicSpline`` through the measured samples among the ``_CONTEXT_FRAMES`` frames on each side, or
    a straight line with fewer than 4. Only measured samples are context (a filled gap never feeds the next one),
    so every gap is independent.

    A clip has thousands of tiny gaps, so gaps share splines: when the frames are evenly spaced the spline is
    fitted on frame numbers relative to the gap (the same curve: a spline does not change under an affine change
    of its abscissa), and all gaps with the same length and the same context frames are one ``CubicSpline`` call;
    otherwise the columns with the same gap and context (x and y of a landmark) share one."""
    n = cols.shape[0]
    finite = np.isfinite(cols)
    dt = np.diff(time_s)
    even = n > 1 and np.ptp(dt) <= _EVEN_SPACING_TOLERANCE * np.mean(dt)
    groups: dict[tuple[int, ...], list[tuple[int, int]]] = defaultdict(list)  # key -> (column, gap start)
    for j in np.flatnonzero(~finite.all(axis=0) & finite.any(axis=0)):
        for start, stop in nan_runs(~finite[:, j]):
            if start == 0 or stop == n or stop - start > max_gap_frames:
                continue  # no extrapolation; long gaps stay missing
            before = range(max(0, start - _CONTEXT_FRAMES), start)
            after = range(stop, min(n, stop + _CONTEXT_FRAMES))
            context = [k for k in (*before, *after) if finite[k, j]]
            if len(context) < 2:
                continue
            if even:  # frame numbers relative to the gap's start
                groups[(stop - start, *(k - start for k in context))].append((int(j), start))
            else:
                groups[(stop - start, start, *context)].append((int(j), start))
    for (length, *key), members in groups.items():
        js = np.array([j for j, _ in members])
        starts = np.array([s for _, s in members])
        if even:
            offsets = np.array(key)
            x, t = offsets.astype(float), np.arange(length, dtype=float)
        else:
            offsets = np.array(key[1:]) - starts[0]
            x, t = time_s[starts[0] + offsets], time_s[starts[0] : starts[0] + length]
        y = cols[starts[None, :] + offsets[:, None], js[None, :]]  # (context, members)
        if len(offsets) >= 4:
            filled = CubicSpline(x, y)(t)
        else:
            filled = np.column_stack([np.interp(t, x, y[:, i]) for i in range(len(js))])
        cols[starts[None, :] + np.arange(length)[:, None], js[None, :]] = filled
