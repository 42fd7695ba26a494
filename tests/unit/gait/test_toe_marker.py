"""The side view's third contact marker, the foot's toe-up maximum (gait/toe_marker.py ``toe_up_peak_time``,
``blend_toe_marker``; docs/contacts.md "Clips a frame early"): known answers on hand-made angle traces, on the
hand-made runner and on the pose model's landmarks of a rendered forefoot runner."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.gait.foot_signals import FootSignals, foot_signals
from formcheck.gait.toe_marker import blend_toe_marker, toe_up_peak_time
from formcheck.report.landmarks import load_landmarks
from formcheck.skeleton import INDEX
from formcheck.trajectory_analysis import prepare
from tests.fixtures.handmade import treadmill_runner

FPS = 30.0
LANDMARKS = Path(__file__).resolve().parents[2] / "fixtures" / "landmarks"


def _signals(toe_up_deg: np.ndarray | None) -> FootSignals:
    n = 60 if toe_up_deg is None else len(toe_up_deg)
    zeros = np.zeros(n)
    return FootSignals(zeros, zeros, zeros, zeros, zeros, zeros, toe_up_deg)


def _heel_landing(peak_frame: float, n: int = 60) -> np.ndarray:
    """Toe-up angle (deg) of a heel landing as the low-pass filter leaves it: the toe rises to 15 deg as the ankle
    dorsiflexes and the foot turns flat (-2 deg) once the heel is down at ``peak_frame``, a smooth turn about 2.5
    frames wide."""
    k = np.arange(n, dtype=float)
    return -2.0 + 17.0 * np.exp(-0.5 * ((k - peak_frame) / 2.5) ** 2)


def test_the_toe_up_maximum_of_a_heel_landing_is_timed_within_a_tenth_of_a_frame() -> None:
    t = np.arange(60) / FPS
    for peak in (30.0, 30.3, 29.6):
        got = toe_up_peak_time(_signals(_heel_landing(peak)), t, 31.0 / FPS, 5.0 / FPS, min_drop_deg=8.0)
        assert got is not None and got * FPS == pytest.approx(peak, abs=0.1)


def test_a_landing_without_a_pivot_gives_no_toe_marker() -> None:
    t = np.arange(60) / FPS
    k = np.arange(60, dtype=float)
    # A forefoot landing: the toe-down foot rises to flat (0 deg) and stays there (the flat foot's plateau).
    forefoot = np.minimum(0.0, -25.0 + 5.0 * (k - 25.0))
    forefoot[40:] -= 0.1 * (k[40:] - 40.0)  # the planted foot's slow roll, far less than a slap
    assert toe_up_peak_time(_signals(forefoot), t, 30.0 / FPS, 5.0 / FPS, min_drop_deg=8.0) is None
    # A broad maximum that falls only 3 deg within the window: the pose model's jitter would time it.
    broad = -4.0 - 0.1 * (k - 30.0) ** 2
    assert toe_up_peak_time(_signals(broad), t, 30.0 / FPS, 5.0 / FPS, min_drop_deg=8.0) is None
    # The maximum on the window's edge (the angle still rising at its end), and no angle at all.
    rising = 0.5 * k
    assert toe_up_peak_time(_signals(rising), t, 30.0 / FPS, 5.0 / FPS) is None
    assert toe_up_peak_time(_signals(None), t, 30.0 / FPS, 5.0 / FPS) is None


def test_a_toe_up_maximum_inside_a_held_picture_is_not_timed() -> None:
    """A picture shown 6 times (frames 27-32) holds the maximum: its time could be anywhere in the picture
    (track_sprint_side_small, docs/contacts.md "Held pictures")."""
    t = np.arange(60) / FPS
    angle = _heel_landing(30.0)
    held = np.full(60, -1)
    held[27:33] = 7
    sig = _signals(angle)
    assert toe_up_peak_time(sig, t, 31.0 / FPS, 5.0 / FPS, 8.0, held) is None
    held[27:33] = -1  # the same frames, new pictures
    assert toe_up_peak_time(sig, t, 31.0 / FPS, 5.0 / FPS, 8.0, held) is not None


def test_a_maximum_beside_a_gap_or_a_flipped_foot_is_not_timed() -> None:
    """A toe-up angle that only falls, its frames before 28 unseen: the first seen frame is the window's highest
    but no turn was seen. And a toe drawn behind its heel reads no angle, not one near 180 deg that wins the
    maximum (``foot_signals``)."""
    t = np.arange(60) / FPS
    falling = 20.0 - 2.0 * (np.arange(60) - 28.0)
    falling[:28] = np.nan
    assert toe_up_peak_time(_signals(falling), t, 30.0 / FPS, 5.0 / FPS, min_drop_deg=8.0) is None
    run = treadmill_runner(stride_s=0.7, fps=FPS)
    flipped = run.traj.xy_px.copy()
    heel, toe = INDEX["right_heel"], INDEX["right_foot_index"]
    flipped[10, toe, 0], flipped[10, heel, 0] = flipped[10, heel, 0], flipped[10, toe, 0]
    sig = foot_signals(run.traj.replace(xy_px=flipped), "right", 1, run.leg_px)
    assert np.isnan(sig.toe_up_deg[10]) and np.isfinite(sig.toe_up_deg[9]) and np.isfinite(sig.toe_up_deg[11])


def test_blend_toe_marker_keeps_the_clips_median_and_halves_a_contacts_disagreement() -> None:
    contacts = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    # The toe-up maximum 20 ms after each contact, except the fourth (50 ms: that contact is 30 ms early by the toe)
    # and the sixth (none found).
    peaks: list[float | None] = [c + 0.02 for c in contacts]
    peaks[3] = 4.05
    peaks[5] = None
    out = blend_toe_marker(contacts, peaks, 0.5, min_contacts=6)
    assert out[3] == pytest.approx(4.015)
    assert [o for i, o in enumerate(out) if i != 3] == pytest.approx(
        [c for i, c in enumerate(contacts) if i != 3]
    )
    assert np.median(np.array(out) - np.array(contacts)) == pytest.approx(0.0)
    # Too few maxima to tell the clip's lag, or no weight: nothing moves.
    assert blend_toe_marker(contacts, peaks, 0.5, min_contacts=7) == contacts
    assert blend_toe_marker(contacts, peaks, 0.0) == contacts
    assert blend_toe_marker(contacts, [None] * len(contacts), 0.5) == contacts


def test_a_rendered_forefoot_runner_keeps_its_contacts_as_its_foot_never_pivots_down() -> None:
    """s60_fore (the pose model's landmarks of a rendered forefoot runner, tests/unit/gait/test_side_high_fps.py):
    its toe-up maxima are the flat foot's plateau 1.5-7 frames after each landing. With the frame-rate limit and
    the clip's count of maxima lifted, so that only the pivot rule stands between them and the contacts: without it
    (0 deg) they move contacts by up to 1.4 frames; with the 8 deg pivot none is used and every contact is as with
    the marker off."""
    raw = load_landmarks(LANDMARKS / "rendered_s60_fore_end.npz")
    settings = AnalysisSettings()

    def contacts(**gait: float) -> np.ndarray:
        lifted = {"toe_marker_max_fps": math.inf, "toe_marker_min_contacts": 1, **gait}
        cfg = dataclasses.replace(settings, gait=dataclasses.replace(settings.gait, **lifted))
        return np.array([s.contact_s for s in prepare(raw, cfg).events.steps])

    off = contacts(toe_marker_weight=0.0)
    no_pivot_rule = contacts(toe_peak_min_drop_deg=0.0)
    assert no_pivot_rule.size == off.size and np.max(np.abs(no_pivot_rule - off)) * 60.0 > 1.0
    assert contacts() == pytest.approx(off, abs=1e-9)


def test_the_toe_marker_is_used_up_to_its_frame_rate_only() -> None:
    """The rendered overstride sample (30 fps, pose-model landmarks): the marker moves a contact by about a frame
    (34 ms) at the default 40 fps limit, and none with the limit under the clip's 30 fps, as with it off (at 60
    and 120 fps it cost rendered and real contacts: docs/contacts.md "Up to 40 fps only")."""
    raw = load_landmarks(LANDMARKS / "side_overstride_heel.npz")
    settings = AnalysisSettings()

    def contacts(**gait: float) -> list[float]:
        cfg = dataclasses.replace(settings, gait=dataclasses.replace(settings.gait, **gait))
        return [s.contact_s for s in prepare(raw, cfg).events.steps]

    off = contacts(toe_marker_weight=0.0)
    assert max(abs(a - b) for a, b in zip(contacts(), off, strict=True)) > 0.02
    assert contacts(toe_marker_max_fps=25.0) == pytest.approx(off, abs=1e-12)
