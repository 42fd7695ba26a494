"""Side-view events (gait/sagittal.py) on the hand-made treadmill runner, whose contacts and toe-offs are set by
construction (tests/fixtures/handmade.py)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import GaitSettings
from formcheck.gait.sagittal import combine_contact_markers, detect_sagittal_events, heel_peaks
from tests.fixtures.handmade import treadmill_runner


def _nearest(times: list[float], t: float) -> float:
    return min(times, key=lambda x: abs(x - t))


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize(("stride_s", "fps"), [(0.7, 30.0), (0.64, 60.0)])
def test_contacts_and_toe_offs_of_a_handmade_runner(direction: int, stride_s: float, fps: float) -> None:
    duty = 0.36
    run = treadmill_runner(stride_s=stride_s, duty=duty, fps=fps, direction=direction)
    events = detect_sagittal_events(run.traj, direction, run.leg_px, GaitSettings())
    frame = 1.0 / fps
    assert events.stride_time_s == pytest.approx(stride_s, rel=0.01)
    assert all(s.valid for s in events.steps), [s.reject_reason for s in events.steps]
    assert all(
        a.side != b.side for a, b in zip(events.steps, events.steps[1:], strict=False)
    )  # feet alternate
    end = run.traj.time_s[-1]
    for side in ("left", "right"):
        found = [s for s in events.steps if s.side == side]
        # Every landing away from the clip's ends is found, within half a frame.
        inner = [c for c in run.contacts_s[side] if 0.5 < c < end - 0.5]
        assert len([s for s in found if 0.5 < s.contact_s < end - 0.5]) == len(inner)
        for s in found:
            assert abs(s.contact_s - _nearest(run.contacts_s[side], s.contact_s)) < 0.5 * frame
            # Midstance: the knee is most flexed with the ankle under the hips, half-way through the stance.
            assert s.midstance_s == pytest.approx(s.contact_s + 0.5 * duty * stride_s, abs=frame)
            if s.contact_s < end - stride_s:  # the swing after it is inside the clip
                assert s.toe_off_s is not None
                assert abs(s.toe_off_s - _nearest(run.toe_offs_s[side], s.toe_off_s)) < 0.5 * frame


def test_a_runner_standing_still_has_no_steps() -> None:
    run = treadmill_runner()
    still = run.traj.replace(xy_px=np.broadcast_to(run.traj.xy_px[:1], run.traj.xy_px.shape).copy())
    events = detect_sagittal_events(still, 1, run.leg_px, GaitSettings())
    assert events.steps == () and events.stride_time_s is None


def _heel_wave(n: int, period: float, phase: float) -> np.ndarray:
    """Forward heel position of a runner (leg lengths): maxima of +0.3 every ``period`` frames."""
    return 0.3 * np.cos(2 * np.pi * (np.arange(n) - phase) / period)


def test_heel_peaks_keep_a_maximum_whose_other_flank_the_clip_cut() -> None:
    # Maxima at 3, 29, 55 and 81 of 85 frames: the first and last turn by 0.076 leg on their cut side (side_23's
    # first contact: 0.08), under the 0.10 prominence but over half of it.
    h = _heel_wave(85, 26.0, 3.0)
    assert list(heel_peaks(h, min_distance_frames=15, min_prominence_leg=0.10)) == [3, 29, 55, 81]
    # scipy alone measures the prominence against the cut side's few frames and drops both.
    from scipy.signal import find_peaks

    assert list(find_peaks(h, distance=15, prominence=0.10)[0]) == [29, 55]


def test_heel_peaks_leave_out_a_drift_at_the_clip_start_and_an_unseen_start() -> None:
    h = _heel_wave(90, 22.0, 25.0)
    # A frozen still, then the heel drifts up by 0.01 leg before the stance carries it back: no turn to see.
    frozen = h.copy()
    frozen[:12] = -0.37
    frozen[12:14] = -0.36
    frozen[14:20] = np.linspace(-0.40, -0.6, 6)
    assert 13 not in heel_peaks(frozen, 13, 0.10) and 12 not in heel_peaks(frozen, 13, 0.10)
    # Unseen (NaN) first frames: the first seen frames are a border too.
    unseen = h.copy()
    unseen[:10] = np.nan
    assert list(heel_peaks(unseen, 13, 0.10)) == [25, 47, 69]
    # A clip's first and last frames themselves are never maxima.
    falling = _heel_wave(60, 22.0, -2.0)
    assert 0 not in heel_peaks(falling, 13, 0.10)
    assert heel_peaks(np.full(10, np.nan), 13, 0.10).size == 0


def test_combine_contact_markers() -> None:
    cfg = GaitSettings()  # agree within 60 ms; a later settle alone up to 100 ms; 3 frames before the knee
    fps = 30.0
    assert combine_contact_markers(1.0, None, fps, cfg) == 1.0
    assert combine_contact_markers(1.0, 1.05, fps, cfg) == pytest.approx(1.025)  # agree: the mean
    assert combine_contact_markers(1.0, 0.96, fps, cfg) == pytest.approx(0.98)
    # The knee straightest 80 ms before the foot settles: a straight-leg landing, the settle decides.
    assert combine_contact_markers(1.0, 1.08, fps, cfg) == pytest.approx(1.08)
    assert combine_contact_markers(1.0, 1.12, fps, cfg) == 1.0  # 120 ms apart: one is wrong, the knee stands
    # A settle before the knee is averaged within 3 frames and ignored beyond.
    assert combine_contact_markers(1.0, 0.92, fps, cfg) == pytest.approx(0.96)
    assert combine_contact_markers(1.0, 0.92, 120.0, cfg) == 1.0  # 80 ms is more than 3 frames at 120 fps


def test_heel_peaks_need_the_cut_flank_to_turn_by_half_the_prominence() -> None:
    # The last maximum at 91 of 94 frames falls by 0.048 leg in its 2 frames: under half of 0.10, not kept.
    assert list(heel_peaks(_heel_wave(94, 22.0, 3.0), 13, 0.10)) == [3, 25, 47, 69]


def test_refine_contact_does_not_guess_when_the_clip_ends_inside_its_window() -> None:
    """A heel maximum near the clip's end with the knee still straightening: the foot may land after the clip, so
    no contact; with the frames after the window the descent-stop fallback places one."""
    from formcheck.gait.sagittal import FootSignals, refine_contact

    fps, n = 30.0, 40
    t = np.arange(n) / fps
    flex = np.linspace(60.0, 5.0, n)  # straightening to the end: no knee minimum in the window
    low_y = np.full(n, 500.0)
    low_vy = np.zeros(n)
    low_vy[30:36] = [300.0, 500.0, 300.0, 10.0, 0.0, 0.0]  # the foot falls, then stops at frame 33
    zeros = np.zeros(n)
    sig = FootSignals(zeros, low_y, low_vy, flex, zeros, zeros)
    cfg = GaitSettings()
    # The fall speed crosses 1.5 leg/s (150 px/s) between frames 32 and 33.
    assert refine_contact(sig, t, 30, 22.0, 100.0, cfg) == pytest.approx(
        t[32] + (300 - 150) / (300 - 10) / fps
    )
    # The clip ends at frame 34, inside the window (frames 29-35): the stop at 33 is seen, but not what follows.
    cut = FootSignals(*(a[:35] for a in (zeros, low_y, low_vy, flex, zeros, zeros)))
    assert refine_contact(cut, t[:35], 30, 22.0, 100.0, cfg) is None
