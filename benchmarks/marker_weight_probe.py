"""What-if probe (not in formcheck): each clip's own weight between the side view's two contact markers, from how
regular each marker's times are (docs/contacts.md "Each clip's own marker weight").

    python benchmarks/marker_weight_probe.py [score_contacts.py options, e.g. --synthetic --samples D --cache D]

Per clip and leg, with at least four contacts whose two markers lie within 60 ms: each marker's times are fitted
with a line (contact k at a + k * stride); its residual variance is the runner's own stride-to-stride variation
plus the marker's noise. The variation is common to both markers and cancels in their difference, so each marker's
noise is (its residual variance - the other's + the variance of their difference) / 2, and the averaged contacts
take the inverse-variance weight instead of the mean. Everything else is formcheck's (it wraps
``detect_sagittal_events`` and ``combine_contact_markers``), and the scoring is ``score_contacts.py``'s.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck import trajectory_analysis  # noqa: E402
from formcheck.gait import sagittal  # noqa: E402

ORIG_COMBINE = sagittal.combine_contact_markers
ORIG_SETTLE = sagittal.settle_time
ORIG_DETECT = trajectory_analysis.detect_sagittal_events
MIN_PAIRS = 4  # contacts of one leg with both markers, the fewest whose residuals are read
AGREE_S = 0.06  # the markers are averaged within this (GaitSettings.knee_settle_agree_s)


def residual_variance(times_s: list[float]) -> float:
    """Variance of ``times_s`` about their least-squares line against the step's index (s^2); NaN below 3."""
    t = np.asarray(times_s, float)
    if t.size < 3:
        return math.nan
    k = np.arange(t.size, dtype=float)
    slope, intercept = np.polyfit(k, t, 1)
    residual = t - (intercept + slope * k)
    return float(np.sum(residual**2) / (t.size - 2))


def settle_weights(records: list[tuple[int, float, float | None]]) -> list[float | None]:
    """(leg id, knee marker s, settle s or None) per contact -> the settle's weight, or None (formcheck's rule)."""
    out: list[float | None] = [None] * len(records)
    for leg in {r[0] for r in records}:
        idx = [
            i for i, (lg, k, s) in enumerate(records) if lg == leg and s is not None and abs(s - k) <= AGREE_S
        ]
        if len(idx) < MIN_PAIRS:
            continue
        idx.sort(key=lambda i: records[i][1])
        knee = [records[i][1] for i in idx]
        settle = [float(records[i][2]) for i in idx]  # type: ignore[arg-type]
        var_knee, var_settle = residual_variance(knee), residual_variance(settle)
        var_diff = float(np.var(np.subtract(settle, knee), ddof=1))
        noise_knee = max(1e-8, (var_knee - var_settle + var_diff) / 2)
        noise_settle = max(1e-8, (var_settle - var_knee + var_diff) / 2)
        for i in idx:
            out[i] = noise_knee / (noise_knee + noise_settle)
    return out


def detect(traj, direction, leg_px, cfg, **kw):  # noqa: ANN001, ANN201
    """formcheck's side-view events, twice: the first pass records each contact's markers, the second averages
    them with each leg's own weight."""
    records: list[tuple[int, float, float | None]] = []
    current: dict[str, int] = {}

    def settle(sig, *a, **k):  # noqa: ANN001, ANN202
        current["leg"] = id(sig)
        return ORIG_SETTLE(sig, *a, **k)

    def record(knee_s, settle_s, fps, cfg_, settle_may_decide=True):  # noqa: ANN001, ANN202
        records.append((current.get("leg", 0), knee_s, settle_s))
        return ORIG_COMBINE(knee_s, settle_s, fps, cfg_, settle_may_decide)

    sagittal.settle_time, sagittal.combine_contact_markers = settle, record
    try:
        ORIG_DETECT(traj, direction, leg_px, cfg, **kw)
    finally:
        sagittal.settle_time, sagittal.combine_contact_markers = ORIG_SETTLE, ORIG_COMBINE
    weights = iter(settle_weights(records))

    def weighted(knee_s, settle_s, fps, cfg_, settle_may_decide=True):  # noqa: ANN001, ANN202
        weight = next(weights)
        out = ORIG_COMBINE(knee_s, settle_s, fps, cfg_, settle_may_decide)
        if weight is None or settle_s is None or abs(out - 0.5 * (knee_s + settle_s)) > 1e-12:
            return out  # formcheck did not average these two
        return knee_s + weight * (settle_s - knee_s)

    sagittal.combine_contact_markers = weighted
    try:
        return ORIG_DETECT(traj, direction, leg_px, cfg, **kw)
    finally:
        sagittal.combine_contact_markers = ORIG_COMBINE


def install() -> None:
    trajectory_analysis.detect_sagittal_events = detect


def main(argv: list[str] | None = None) -> int:
    install()
    from benchmarks import score_contacts

    return score_contacts.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
