"""NumPy-only stand-ins for the three SciPy signal functions formcheck's analysis uses: ``butter`` (low-pass),
``filtfilt`` (default odd padding) and ``find_peaks`` (``distance``, ``prominence``).

Why: ``import scipy.signal`` costs about a second (it imports scipy.stats), more than ``formcheck reanalyze``
needs for a whole one-minute clip. Each function reproduces SciPy's result for the arguments formcheck passes
(SciPy 1.17 semantics, checked against SciPy in tests/unit/test_dsp.py); other arguments are refused, not guessed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

# Samples per block of the block-recursive IIR filter (see ``_lfilter``): long enough that the sequential loop
# over blocks is short, small enough that the per-block matrix products stay cheap.
_BLOCK = 64


# --- Butterworth design ------------------------------------------------------------------------------------------


def butter_lowpass(order: int, wn: float) -> tuple[np.ndarray, np.ndarray]:
    """Digital low-pass Butterworth ``(b, a)``, as ``scipy.signal.butter(order, wn)``: ``wn`` is the cut-off as a
    fraction of the Nyquist frequency. Same steps as SciPy's ``iirfilter``: analog prototype poles (``buttap``),
    pre-warped cut-off ``4 tan(pi wn / 2)``, ``lp2lp_zpk``, bilinear transform at fs = 2 (``bilinear_zpk``),
    then ``zpk2tf``."""
    if int(order) != order or order < 1:
        raise ValueError(f"filter order must be a positive integer, got {order}")
    order = int(order)
    wn = float(wn)
    if not 0.0 < wn < 1.0:
        raise ValueError(f"digital filter critical frequencies must be 0 < wn < 1, got {wn}")
    # buttap: no zeros, poles on the unit circle's left half (the middle one exactly real), gain 1.
    m = np.arange(-order + 1, order, 2, dtype=np.float64)
    p = -np.exp(1j * np.pi * m / (2 * order))
    fs = 2.0
    warped = float(2 * fs * np.tan(np.pi * np.float64(wn) / fs))
    # lp2lp_zpk (no zeros, relative degree = order)
    p = warped * p
    k = 1.0 * warped**order
    # bilinear_zpk: the zeros at infinity move to -1 (Nyquist)
    fs2 = 2.0 * fs
    p_z = (fs2 + p) / (fs2 - p)
    z_z = -np.ones(order)
    k_z = k * np.real(np.prod(fs2 - np.zeros(0)) / np.prod(fs2 - p))
    # zpk2tf
    b = np.multiply(np.atleast_1d(np.float64(k_z)), _poly(z_z))
    a = np.atleast_1d(_poly(p_z))
    return b, a


def _poly(roots: np.ndarray) -> np.ndarray:
    """Polynomial coefficients from roots by repeated convolution, real when the roots are conjugate pairs
    (``numpy.poly`` / SciPy's ``_polyutils.poly``)."""
    c = np.ones((1,), dtype=roots.dtype)
    for r in roots:
        c = np.convolve(c, np.stack((np.ones_like(r), -r)), mode="full")
    if np.iscomplexobj(c):
        r = np.asarray(roots, dtype=np.complex128)
        if np.all(np.sort(np.imag(r)) == np.sort(np.imag(np.conj(r)))):
            c = np.real(c).copy()
    return c


# --- zero-phase filtering ----------------------------------------------------------------------------------------


def lfilter_zi(b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Initial state of the transposed direct form II for the step response's steady state
    (``scipy.signal.lfilter_zi``: solves ``zi = A zi + B`` with A the companion matrix's transpose)."""
    b, a = _normalized(b, a)
    n = len(a)
    if n == 1:
        return np.zeros(0)
    companion_t = np.zeros((n - 1, n - 1))
    companion_t[:, 0] = -a[1:]
    companion_t[np.arange(n - 2), np.arange(1, n - 1)] = 1.0
    return np.linalg.solve(np.eye(n - 1) - companion_t, b[1:] - a[1:] * b[0])


def filtfilt(
    b: np.ndarray, a: np.ndarray, x: np.ndarray, axis: int = -1, padlen: int | None = None
) -> np.ndarray:
    """Forward-backward (zero-phase) IIR filter along ``axis``, as ``scipy.signal.filtfilt(b, a, x, axis,
    padlen=padlen)`` with its defaults ``padtype='odd'``, ``method='pad'``: the signal is extended at both ends by
    ``padlen`` (default ``3 * max(len(a), len(b))``) samples of point reflection, filtered forward from the initial
    state ``lfilter_zi * first sample``, then backward from ``lfilter_zi * last forward output``, and cut back to
    the original length. All 1-D lanes of ``x`` are filtered together."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D")
    moved = np.moveaxis(x, axis, 0)
    lanes = moved.reshape(moved.shape[0], -1)
    out = _filtfilt_lanes(b, a, [lanes[:, i] for i in range(lanes.shape[1])], padlen)
    y = np.stack(out, axis=1) if out else np.empty_like(lanes)
    return np.moveaxis(y.reshape(moved.shape), 0, axis)


def filtfilt_segments(
    b: np.ndarray, a: np.ndarray, segments: Sequence[np.ndarray], padlen: int | None = None
) -> list[np.ndarray]:
    """``filtfilt(b, a, seg, padlen=padlen)`` of each 1-D segment (any lengths above ``padlen``), computed in one
    pass over all of them: the valid runs of many landmark coordinates are filtered at the cost of one."""
    return _filtfilt_lanes(b, a, [np.asarray(s, dtype=np.float64) for s in segments], padlen)


def _filtfilt_lanes(
    b: np.ndarray, a: np.ndarray, segments: Sequence[np.ndarray], padlen: int | None
) -> list[np.ndarray]:
    b, a = _normalized(b, a)
    n_taps = max(len(a), len(b))
    edge = 3 * n_taps if padlen is None else int(padlen)
    if not segments:
        return []
    lengths = np.array([len(s) for s in segments])
    if lengths.min() <= edge:
        raise ValueError(f"The length of the input vector x must be greater than padlen, which is {edge}.")
    # Odd extension (SciPy's odd_ext), each lane left-aligned; rows past a lane's end stay 0 (finite, so they
    # cannot reach earlier rows through the block products, and a causal filter never looks ahead anyway).
    ext_len = lengths + 2 * edge
    ext = np.zeros((int(ext_len.max()), len(segments)))
    for i, s in enumerate(segments):
        if s.ndim != 1:
            raise ValueError("segments must be 1-D")
        ext[: ext_len[i], i] = _odd_ext(s, edge) if edge > 0 else s
    zi = lfilter_zi(b, a)
    forward = _lfilter(b, a, ext, np.outer(zi, ext[0]))
    # Each lane reversed in place (its last forward output first), then filtered again.
    rows = ext_len[None, :] - 1 - np.arange(ext.shape[0])[:, None]
    rev = np.take_along_axis(forward, np.maximum(rows, 0), axis=0)
    rev[rows < 0] = 0.0
    backward = _lfilter(b, a, rev, np.outer(zi, rev[0]))
    # backward[k] is time ext_len - 1 - k: the original samples are rows edge .. edge + length - 1, reversed.
    return [backward[edge : edge + n, i][::-1].copy() for i, n in enumerate(lengths.tolist())]


def _odd_ext(x: np.ndarray, n: int) -> np.ndarray:
    """SciPy's ``odd_ext``: ``2 x[0] - x[n:0:-1]`` before and ``2 x[-1] - x[-2:-(n+2):-1]`` after ``x``."""
    return np.concatenate((2 * x[:1] - x[n:0:-1], x, 2 * x[-1:] - x[-2 : -(n + 2) : -1]))


def _normalized(b: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``b`` and ``a`` as float arrays of equal length with ``a[0] == 1`` (as ``lfilter``/``lfilter_zi`` use them)."""
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    if b.ndim != 1 or a.ndim != 1:
        raise ValueError("b and a must be 1-D")
    a = np.trim_zeros(a, "f")
    if a.size == 0:
        raise ValueError("There must be at least one nonzero `a` coefficient.")
    if a[0] != 1.0:
        b, a = b / a[0], a / a[0]
    n = max(len(a), len(b))
    return np.pad(b, (0, n - len(b))), np.pad(a, (0, n - len(a)))


@lru_cache(maxsize=16)
def _block_matrices(
    b: tuple[float, ...], a: tuple[float, ...], k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Matrices that advance ``lfilter``'s transposed direct form II by ``k`` samples at once.

    With state ``z`` (length n = len(a) - 1) the recursion is ``y[t] = z[t][0] + b0 x[t]``,
    ``z[t+1] = A z[t] + B x[t]`` (``A``: first column ``-a[1:]``, ones above the diagonal; ``B = b[1:] - a[1:] b0``).
    Over a block: ``Y = T X + O z``, ``z' = P z + Q X``, with ``T`` the lower-triangular Toeplitz matrix of the
    impulse response, ``O[t] = e0 A^t``, ``P = A^k`` and ``Q[:, j] = A^(k-1-j) B``."""
    bb, aa = np.array(b), np.array(a)
    n = len(aa) - 1
    A = np.zeros((n, n))
    A[:, 0] = -aa[1:]
    A[np.arange(n - 1), np.arange(1, n)] = 1.0
    B = bb[1:] - aa[1:] * bb[0]
    O = np.zeros((k, n))
    Q = np.zeros((n, k))
    row = np.eye(n)[0] if n else np.zeros(0)
    col = B.copy()
    for t in range(k):
        O[t] = row
        Q[:, k - 1 - t] = col
        row = row @ A
        col = A @ col
    h = np.concatenate(([bb[0]], O[: k - 1] @ B))  # impulse response h[0] = b0, h[t] = e0 A^(t-1) B
    idx = np.arange(k)
    lag = idx[:, None] - idx[None, :]
    T = np.where(lag >= 0, h[np.clip(lag, 0, None)], 0.0)
    P = np.linalg.matrix_power(A, k) if n else np.zeros((0, 0))
    for m in (T, O, P, Q):
        m.setflags(write=False)
    return T, O, P, Q


def _lfilter(b: np.ndarray, a: np.ndarray, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``scipy.signal.lfilter(b, a, x, axis=0, zi=z)[0]`` for a (time, lanes) array of float64, ``b`` and ``a``
    normalized (``_normalized``). Up to 2nd order (formcheck's filter) the recursion advances a block of samples
    per step (``_block_matrices``, ~5x faster than SciPy per lane); it differs from SciPy's sample-by-sample loop by
    rounding only: measured below 1e-12 of the signal's scale for cut-offs 0.01-0.999, 3e-11 at 0.001. Higher
    orders are numerically touchy (at a 0.1% cut-off a 4th-order filter's output moves by 1e-7 when its additions
    are merely regrouped), so they run SciPy's transposed direct form II loop itself, operation for operation and
    bit for bit, over all lanes at once (slower than SciPy's C loop; formcheck does not use them by default)."""
    if len(a) <= 3:
        return _lfilter_blocks(_block_matrices(tuple(b.tolist()), tuple(a.tolist()), _BLOCK), x, z)
    return _lfilter_direct(b, a, x, z)


def _lfilter_direct(b: np.ndarray, a: np.ndarray, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """SciPy's ``DOUBLE_filt`` (lfilter.c): ``y = z0 + b0 x``; ``z_i = (z_(i+1) + x b_(i+1)) - y a_(i+1)``;
    last ``z = x b_n - y a_n``; one time step per iteration, vectorized over lanes."""
    bs, as_ = b.tolist(), a.tolist()
    n = len(bs) - 1
    state = [z[i].copy() for i in range(n)]
    y = np.empty_like(x)
    for t in range(x.shape[0]):
        xt = x[t]
        if n == 0:
            y[t] = xt * bs[0]
            continue
        yt = state[0] + bs[0] * xt
        for i in range(n - 1):
            state[i] = state[i + 1] + xt * bs[i + 1] - yt * as_[i + 1]
        state[n - 1] = xt * bs[n] - yt * as_[n]
        y[t] = yt
    return y


def _lfilter_blocks(
    mats: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], x: np.ndarray, z: np.ndarray
) -> np.ndarray:
    """The recursion a block of ``k`` samples per step: ``Y = T X + O z``, then ``z = P z + Q X``."""
    T, O, P, Q = mats
    k = T.shape[0]
    y = np.empty_like(x)
    for s in range(0, x.shape[0], k):
        xb = x[s : s + k]
        m = xb.shape[0]
        y[s : s + m] = T[:m, :m] @ xb + O[:m] @ z
        if m == k:
            z = P @ z + Q @ xb
    return y


# --- peaks -------------------------------------------------------------------------------------------------------


def find_peaks(
    x: np.ndarray, *, distance: float | None = None, prominence: float | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Indices of the local maxima of ``x`` and their properties, as ``scipy.signal.find_peaks(x,
    distance=distance, prominence=prominence)`` (SciPy's other conditions, ``wlen`` and interval/array
    conditions are not reproduced and are refused).

    - Maxima (SciPy's ``_local_maxima_1d``): a sample, or a flat plateau of equal samples, with a strictly smaller
      neighbour on each side; a plateau reports its middle sample, rounded down. NaN never forms a maximum.
    - ``distance`` (SciPy's ``_select_by_peak_distance``): peaks visited from highest to lowest in the order of
      ``numpy.argsort`` of their heights (so ties resolve as SciPy's), each kept one removing the peaks closer than
      ``ceil(distance)`` samples.
    - ``prominence`` (SciPy's ``_peak_prominences`` without ``wlen``): height above the higher of the two bases,
      each base the lowest sample (nearest the peak on ties) before a higher sample or the signal's end; peaks
      with prominence ``>= prominence`` are kept. ``props`` then holds ``prominences``, ``left_bases`` and
      ``right_bases``, as SciPy's."""
    x = np.asarray(x, order="C", dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("`x` must be a 1-D array")
    if distance is not None and distance < 1:
        raise ValueError("`distance` must be greater or equal to 1")
    if prominence is not None and not np.isscalar(prominence):
        raise TypeError("only a scalar minimum prominence is supported")
    peaks = _local_maxima(x)
    props: dict[str, np.ndarray] = {}
    if distance is not None:
        peaks = peaks[_select_by_peak_distance(peaks, x[peaks], distance)]
    if prominence is not None:
        prom, left, right = _peak_prominences(x, peaks)
        keep = prominence <= prom
        peaks = peaks[keep]
        props = {"prominences": prom[keep], "left_bases": left[keep], "right_bases": right[keep]}
    return peaks, props


def _local_maxima(x: np.ndarray) -> np.ndarray:
    """Midpoints of the runs of equal samples that are higher than the runs on both sides."""
    if x.size < 3:
        return np.zeros(0, dtype=np.intp)
    starts = np.flatnonzero(np.concatenate(([True], x[1:] != x[:-1])))  # NaN != NaN: each NaN its own run
    ends = np.append(starts[1:], x.size) - 1
    v = x[starts]
    runs = np.flatnonzero((v[:-2] < v[1:-1]) & (v[2:] < v[1:-1])) + 1
    return ((starts[runs] + ends[runs]) // 2).astype(np.intp)


def _select_by_peak_distance(peaks: np.ndarray, priority: np.ndarray, distance: float) -> np.ndarray:
    """Mask of the peaks kept by SciPy's distance rule (see ``find_peaks``)."""
    d = math.ceil(distance)
    keep = np.ones(peaks.size, dtype=bool)
    # Peaks closer than d to peak j are the contiguous index range lo[j] .. hi[j] - 1 (peaks are sorted).
    lo = np.searchsorted(peaks, peaks - d, side="right").tolist()
    hi = np.searchsorted(peaks, peaks + d, side="left").tolist()
    for j in np.argsort(priority)[::-1].tolist():
        if keep[j]:
            keep[lo[j] : j] = False
            keep[j + 1 : hi[j]] = False
    return keep


def _peak_prominences(x: np.ndarray, peaks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prominences and left/right bases (see ``find_peaks``); the search stops at a higher sample or a NaN."""
    prom = np.empty(peaks.size)
    left = np.empty(peaks.size, dtype=np.intp)
    right = np.empty(peaks.size, dtype=np.intp)
    for i, p in enumerate(peaks.tolist()):
        top = x[p]
        lmin, left[i] = _side_min(x[p::-1], top)
        rmin, right[i] = _side_min(x[p:], top)
        left[i] = p - left[i]
        right[i] = p + right[i]
        prom[i] = top - max(lmin, rmin)
    return prom, left, right


def _side_min(side: np.ndarray, top: float) -> tuple[float, int]:
    """Lowest value (first on ties) of ``side`` before its first sample not ``<= top``, and its offset."""
    blocked = ~(side <= top)
    stop = int(np.argmax(blocked)) if blocked.any() else side.size
    k = int(np.argmin(side[:stop]))
    return float(side[k]), k
