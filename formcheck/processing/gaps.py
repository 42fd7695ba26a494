"""Short-gap interpolation: gaps of a few frames are filled with a cubic fit; longer gaps stay missing."""

from __future__ import annotations

import numpy as np

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
    _fill_columns(out[:, None], np.asarray(time_s, dtype=float), max_gap_frames)
    return out


def fill_short_gaps(traj: Trajectories, max_gap_frames: int) -> Trajectories:
    """Interpolate gaps of <= ``max_gap_frames`` frames in every landmark coordinate (METRICS.md 2.2: 3 frames)."""
    xy = traj.xy_px.copy()
    flat = xy.reshape(traj.n_frames, 2 * N_LANDMARKS)  # explicit width: 0 frames reshape too
    _fill_columns(flat, np.asarray(traj.time_s, dtype=float), max_gap_frames)
    return traj.replace(xy_px=flat.reshape(xy.shape))


def _fill_columns(cols: np.ndarray, time_s: np.ndarray, max_gap_frames: int) -> None:
    """Fill the short interior gaps of every column of ``cols`` (T, C) in place. Each gap gets the not-a-knot
    cubic spline (scipy's ``CubicSpline`` default) through the measured samples among the ``_CONTEXT_FRAMES``
    frames on each side, or a straight line with fewer than 4. Only measured samples are context (a filled gap
    never feeds the next one), so every gap is independent and all are solved in one batch per sample count: a
    clip has thousands of tiny gaps, and one solve per gap, or per chain of neighbouring gaps, made this the
    slowest step of a re-analysis."""
    n = cols.shape[0]
    finite = np.isfinite(cols)
    gaps = [
        (int(j), start, stop)
        for j in np.flatnonzero(~finite.all(axis=0) & finite.any(axis=0))
        for start, stop in nan_runs(~finite[:, j])
        if start > 0
        and stop < n
        and stop - start <= max_gap_frames  # no extrapolation; long gaps stay missing
    ]
    if not gaps:
        return
    offsets = np.r_[-_CONTEXT_FRAMES:0, 0:_CONTEXT_FRAMES]
    g = np.array(gaps)  # (G, 3): column, start, stop
    js, starts, stops = g[:, 0], g[:, 1], g[:, 2]
    cand = np.where(offsets < 0, starts[:, None], stops[:, None]) + offsets  # (G, 2 * context)
    inside = (cand >= 0) & (cand < n)
    use = inside & finite[np.clip(cand, 0, n - 1), js[:, None]]
    counts = use.sum(axis=1)
    for m in np.unique(counts[counts >= 2]):
        rows = np.flatnonzero(counts == m)
        ctx = cand[rows][use[rows]].reshape(len(rows), m)
        gj = js[rows]
        x, y = time_s[ctx], cols[ctx, gj[:, None]]
        lengths = stops[rows] - starts[rows]
        gap_of = np.repeat(np.arange(len(rows)), lengths)
        t_rows = np.concatenate([np.arange(a, b) for a, b in zip(starts[rows], stops[rows], strict=True)])
        if m < 4:
            vals = np.array([np.interp(time_s[t], x[k], y[k]) for k, t in zip(gap_of, t_rows, strict=True)])
        else:
            vals = _not_a_knot_batch(x, y, gap_of, time_s[t_rows], int(m))
        cols[t_rows, gj[gap_of]] = vals


def _not_a_knot_batch(x: np.ndarray, y: np.ndarray, which: np.ndarray, t: np.ndarray, m: int) -> np.ndarray:
    """Values at ``t`` of the not-a-knot cubic splines through the rows of ``x``, ``y`` (G, m); point ``i`` is
    evaluated on spline ``which[i]``. Equal to ``CubicSpline(x[g], y[g])(t)`` to rounding."""
    g = len(x)
    h = np.diff(x, axis=1)
    d = np.diff(y, axis=1) / h
    a = np.zeros((g, m, m))
    rhs = np.zeros((g, m))
    i = np.arange(1, m - 1)
    a[:, i, i - 1] = h[:, :-1]
    a[:, i, i] = 2.0 * (h[:, :-1] + h[:, 1:])
    a[:, i, i + 1] = h[:, 1:]
    rhs[:, i] = 6.0 * (d[:, 1:] - d[:, :-1])
    # Not-a-knot: the third derivative is continuous at the second and the second-to-last points.
    a[:, 0, 0], a[:, 0, 1], a[:, 0, 2] = h[:, 1], -(h[:, 0] + h[:, 1]), h[:, 0]
    a[:, -1, -3], a[:, -1, -2], a[:, -1, -1] = h[:, -1], -(h[:, -2] + h[:, -1]), h[:, -2]
    mm = np.linalg.solve(a, rhs[..., None])[..., 0]  # second derivatives at the points
    xs = x[which]
    k = np.clip((xs[:, 1:-1] <= t[:, None]).sum(axis=1), 0, m - 2)
    r = np.arange(len(t))
    x0, x1 = xs[r, k], xs[r, k + 1]
    y0, y1 = y[which, k], y[which, k + 1]
    m0, m1 = mm[which, k], mm[which, k + 1]
    hk, u, v = x1 - x0, x1 - t, t - x0
    return (
        m0 * u**3 / (6.0 * hk)
        + m1 * v**3 / (6.0 * hk)
        + (y0 / hk - m0 * hk / 6.0) * u
        + (y1 / hk - m1 * hk / 6.0) * v
    )
