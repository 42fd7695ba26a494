"""Long series made short enough to draw: the minimum and maximum of each pixel column."""

from __future__ import annotations

import numpy as np


def decimate_minmax(
    x: np.ndarray, y: np.ndarray, lo: float, hi: float, columns: int
) -> tuple[np.ndarray, np.ndarray]:
    """At most two points (the minimum and maximum, in time order) per pixel column of a line over sorted
    ``x``; a column with no finite value becomes one NaN point, which breaks the line. Short series pass
    through unchanged."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) <= 2 * columns or hi <= lo:
        return x, y
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    col = np.clip(((x - lo) / (hi - lo) * columns).astype(np.int64), 0, columns - 1)
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    size = np.diff(np.r_[starts, len(x)])
    mins = np.fmin.reduceat(y, starts)
    maxs = np.fmax.reduceat(y, starts)
    bin_of = np.repeat(np.arange(len(starts)), size)
    idx = np.arange(len(x))
    big = len(x)
    imin = np.minimum.reduceat(np.where(y == mins[bin_of], idx, big), starts)
    imax = np.minimum.reduceat(np.where(y == maxs[bin_of], idx, big), starts)
    first, second = np.minimum(imin, imax), np.maximum(imin, imax)
    pick = np.stack([first, second], axis=1).ravel()
    gap = np.repeat(first == big, 2)
    pick = np.where(gap, 0, pick)
    xo, yo = x[pick], y[pick]
    yo[gap] = np.nan
    return xo, yo
