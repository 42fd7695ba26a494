"""Helpers shared by the side-view and frontal event detectors: stride period, sub-frame peaks, and the
step plausibility checks of METRICS.md 3.3."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.signal import find_peaks

from formcheck.config import GaitSettings
from formcheck.model import Step


def interpolate_nans(values: np.ndarray) -> np.ndarray:
    """Linear interpolation across NaNs (edges held), for signals that only feed peak finding."""
    v = np.asarray(values, dtype=float).copy()
    ok = np.isfinite(v)
    if ok.all() or not ok.any():
        return v
    idx = np.arange(len(v))
    v[~ok] = np.interp(idx[~ok], idx[ok], v[ok])
    return v


def held_pictures(repeated: np.ndarray | None, min_frames: int) -> np.ndarray | None:
    """Per frame, the number of the held picture it shows, for pictures shown at least ``min_frames`` times in a
    row (``Trajectories.repeated``: 1.0 repeats the previous picture; a new or unknown frame starts a picture);
    -1 for every other frame. None when the repeats were not judged."""
    if repeated is None:
        return None
    new = np.asarray(repeated, dtype=float) != 1.0
    if not new.size:
        return np.zeros(0, dtype=int)
    new[0] = True  # the first frame starts a picture, whatever it was judged
    picture = np.cumsum(new) - 1
    copies = np.bincount(picture)[picture]
    return np.where(copies >= max(2, min_frames), picture, -1)


def picture_minimum(values: np.ndarray, held: np.ndarray | None, k: int) -> bool:
    """Whether a minimum of ``values`` at frame ``k`` survives the pictures around it: inside a held picture
    (``held_pictures``) the filtered tracks sit on a plateau, and a dip there is the pose model's jitter unless the
    frames just before and just after the picture are higher too. True outside held pictures."""
    if held is None or held[k] < 0:
        return True
    same = np.flatnonzero(held == held[k])
    first, last = int(same[0]), int(same[-1])
    before = values[first - 1] if first > 0 else np.nan
    after = values[last + 1] if last + 1 < len(values) else np.nan
    return bool(not values[k] > before and not values[k] >= after)


def stride_period_s(signal: np.ndarray, fps: float, search_s: tuple[float, float]) -> float | None:
    """The signal's period from its autocorrelation: the first peak in ``search_s`` that reaches 80% of the
    highest one. The autocorrelation is the biased estimate (divided by n, not n - lag): it shrinks long lags,
    which rest on fewer samples, so a lag of two or three strides never outranks the stride on a short or noisy
    clip. Lags beyond half the clip (fewer than two cycles) are not considered. None for a flat or short signal."""
    x = np.asarray(signal, dtype=float)
    if x.size < 8 or not np.isfinite(x).all():
        return None
    x = x - x.mean()
    energy = float(np.dot(x, x))
    if energy <= 1e-12:
        return None
    n = x.size
    lo = max(1, int(search_s[0] * fps))
    hi = min(int(search_s[1] * fps), n // 2)
    if hi <= lo + 2:
        return None
    spectrum = np.fft.rfft(x, 2 * n)
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[:n] / energy  # biased, 1 at lag 0
    peaks, _ = find_peaks(ac[: hi + 2])
    peaks = peaks[(peaks >= lo) & (peaks <= hi) & (ac[peaks] > 0.1)]
    if peaks.size == 0:
        return None
    best = ac[peaks].max()
    first = peaks[np.flatnonzero(ac[peaks] >= 0.8 * best)[0]]
    # Sub-sample refinement of the lag.
    y0, y1, y2 = ac[first - 1], ac[first], ac[first + 1]
    denom = y0 - 2 * y1 + y2
    shift = 0.5 * (y0 - y2) / denom if denom != 0 else 0.0
    return float((first + np.clip(shift, -0.5, 0.5)) / fps)


def parabolic_peak(y: np.ndarray, time_s: np.ndarray, k: int) -> float:
    """Sub-frame time of a local maximum of ``y`` at frame ``k`` (parabola through k-1, k, k+1)."""
    if 0 < k < len(y) - 1 and np.all(np.isfinite(y[k - 1 : k + 2])):
        y0, y1, y2 = y[k - 1], y[k], y[k + 1]
        denom = y0 - 2 * y1 + y2
        if denom < 0:
            shift = float(np.clip(0.5 * (y0 - y2) / denom, -0.5, 0.5))
            if shift >= 0:
                return float(time_s[k] + shift * (time_s[k + 1] - time_s[k]))
            return float(time_s[k] + shift * (time_s[k] - time_s[k - 1]))
    return float(time_s[k])


def validate_steps(steps: list[Step], cfg: GaitSettings) -> tuple[Step, ...]:
    """Mark implausible steps invalid (METRICS.md 3.3): contact time outside 120-450 ms, step time outside
    0.25-0.55 s, or the same foot twice in a row. Steps are expected in time order."""
    out: list[Step] = []
    for i, step in enumerate(steps):
        reasons: list[str] = []
        ct = step.contact_time_s
        lo, hi = cfg.stance_time_s
        if ct is not None and not lo <= ct <= hi:
            reasons.append(f"contact time {ct * 1000:.0f} ms outside {lo * 1000:.0f}-{hi * 1000:.0f} ms")
        if i > 0:
            prev = steps[i - 1]
            if prev.side == step.side:
                reasons.append("same foot as the previous contact (a step was missed)")
            else:
                dt = step.contact_s - prev.contact_s
                slo, shi = cfg.step_time_s
                if not slo <= dt <= shi:
                    reasons.append(f"step time {dt:.2f} s outside {slo:.2f}-{shi:.2f} s")
        out.append(dataclasses.replace(step, valid=not reasons, reject_reason="; ".join(reasons)))
    return tuple(out)
