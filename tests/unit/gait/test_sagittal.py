"""Side-view events (gait/sagittal.py) on the hand-made treadmill runner, whose contacts and toe-offs are set by
construction (tests/fixtures/handmade.py)."""

from __future__ import annotations

import dataclasses

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
    from formcheck.gait.foot_signals import FootSignals
    from formcheck.gait.sagittal import refine_contact

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


def test_near_the_clip_end_a_later_settle_does_not_decide_alone() -> None:
    cfg = GaitSettings()
    # The stance is cut by the clip's end: an agreeing settle still refines the knee's marker (their mean) ...
    assert combine_contact_markers(1.0, 1.05, 30.0, cfg, settle_may_decide=False) == pytest.approx(1.025)
    # ... but a settle 80 ms after the knee, which decides alone elsewhere, does not.
    assert combine_contact_markers(1.0, 1.08, 30.0, cfg, settle_may_decide=False) == 1.0


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_the_last_contacts_of_a_clip_are_as_good_as_the_others(fps: float) -> None:
    """Exact landmarks of a rendered 60 fps runner whose last contact falls 120 ms before the clip's end: with the
    settle dropped there, the knee's marker alone placed it 1.4 frames early (0.8 elsewhere in the clip)."""
    from formcheck.config import AnalysisSettings
    from formcheck.synth.params import RunnerParams
    from formcheck.trajectory_analysis import prepare
    from tests.fixtures.synthetic import synthetic_trajectories

    params = RunnerParams(duration_s=2.0, fps=fps, first_contact_s=0.12)
    traj, truth = synthetic_trajectories(params)
    found = [s.contact_s for s in prepare(traj, AnalysisSettings()).events.steps if s.valid]
    true = [s["contact_s"] for s in truth.steps if s.get("contact_s") is not None]
    last = true[-1]
    assert last > params.duration_s - 0.5 * 60.0 / params.cadence_spm * 2  # within half a stride of the end
    errors = [
        (min(found, key=lambda f, t=t: abs(f - t)) - t) * fps
        for t in true
        if min(abs(f - t) for f in found) < 0.15
    ]
    assert len(errors) >= len(true) - 1
    assert max(abs(e) for e in errors) <= 1.0, errors


@pytest.mark.parametrize(
    ("phase_s", "n_frames", "side"),
    [(0.1, 162, "right"), (0.1 + 0.5 / 30, 152, "left"), (0.1 + 0.5 / 30, 173, "left")],
)
def test_a_landing_in_the_clips_last_frames_is_found(phase_s: float, n_frames: int, side: str) -> None:
    """The clip ends on the first frame a foot is down (landings at frames 160.5, 150.5 and 171.5), before its
    knee turns, as side_01 (frame 178 of 179) and side_16 (181 of 183) do: the landing used to be missed."""
    run = treadmill_runner(duration_s=6.0, phase_s=phase_s)
    traj = run.traj
    cut = traj.replace(
        xy_px=traj.xy_px[:n_frames], time_s=traj.time_s[:n_frames], visibility=traj.visibility[:n_frames]
    )
    events = detect_sagittal_events(cut, 1, run.leg_px, GaitSettings())
    last = events.steps[-1]
    true_s = run.contacts_s[side][-1] if n_frames > 171 else _nearest(run.contacts_s[side], cut.time_s[-1])
    assert last.side == side and last.valid
    assert abs(last.contact_s - true_s) * 30.0 <= 1.0
    assert last.toe_off_s is None  # the stance is not in the clip


def test_end_of_clip_contact_needs_the_foot_down_at_its_stance_level() -> None:
    """side_02's right foot hovers 0.11 leg above its stance level in the last frames (it lands after the clip):
    no contact. A foot falling through the level's tolerance lands there; one behind the hips does not."""
    from formcheck.gait.foot_signals import FootSignals
    from formcheck.gait.sagittal import end_of_clip_contact

    fps, n, leg_px = 30.0, 12, 250.0
    t = np.arange(n) / fps
    level_y = 870.0
    ahead = 0.3 - 0.02 * np.abs(np.arange(n) - 6.0)  # the heel reaches furthest forward at frame 6
    zeros = np.zeros(n)
    falling = np.array([800, 805, 812, 820, 830, 842, 852, 860, 866, 869, 870, 870], dtype=float)
    sig = FootSignals(ahead, falling, zeros, zeros, zeros, zeros)
    tol = 0.05 * leg_px  # 12.5 px: the foot crosses 857.5 between frames 6 (852) and 7 (860)
    assert end_of_clip_contact(sig, t, 3, level_y, tol) == pytest.approx(t[6] + (5.5 / 8.0) / fps)
    hover = np.array([800, 810, 825, 835, 840, 842, 842, 841, 840, 839, 838, 838], dtype=float)
    assert (
        end_of_clip_contact(FootSignals(ahead, hover, zeros, zeros, zeros, zeros), t, 3, level_y, tol) is None
    )
    behind = FootSignals(-ahead, falling, zeros, zeros, zeros, zeros)
    assert end_of_clip_contact(behind, t, 3, level_y, tol) is None
    # A foot already down when the search starts (still in its stance) has not landed there.
    assert end_of_clip_contact(sig, t, 9, level_y, tol) is None
    # A heel still reaching forward has not landed yet (side_03's last frames): contact follows its maximum.
    reaching = FootSignals(np.linspace(0.1, 0.4, n), falling, zeros, zeros, zeros, zeros)
    assert end_of_clip_contact(reaching, t, 3, level_y, tol) is None
    # Turning at frame 9, the heel's turn decides: frame 9 itself, the foot already within the tolerance.
    late_turn = FootSignals(0.3 - 0.02 * np.abs(np.arange(n) - 8.0), falling, zeros, zeros, zeros, zeros)
    assert end_of_clip_contact(late_turn, t, 3, level_y, tol) == pytest.approx(t[9])


@pytest.mark.parametrize(("fps", "duration_s"), [(60.0, 2.232), (120.0, 2.203)])
def test_an_end_of_clip_landing_is_not_read_from_a_hovering_foot_at_high_frame_rates(
    fps: float, duration_s: float
) -> None:
    """Exact landmarks of the rendered runner, whose foot hovers just above the ground before it lands, in clips
    that end 1-5 frames before a landing. With the landing tolerance fixed at 0.05 leg (right at 30 fps) the rule
    placed that landing 2.6 (60 fps) and 5.6 (120 fps) frames early, inside the clip; the tolerance is one frame's
    descent at the stopped speed, so it shrinks with the frame interval."""
    from formcheck.config import AnalysisSettings
    from formcheck.synth.params import RunnerParams
    from formcheck.trajectory_analysis import prepare
    from tests.fixtures.synthetic import synthetic_trajectories

    traj, _ = synthetic_trajectories(RunnerParams(duration_s=duration_s, fps=fps, first_contact_s=0.12))
    _, longer = synthetic_trajectories(
        RunnerParams(duration_s=duration_s + 0.4, fps=fps, first_contact_s=0.12)
    )
    true = [s["contact_s"] for s in longer.steps if s.get("contact_s") is not None]
    end = traj.time_s[-1]
    for step in prepare(traj, AnalysisSettings()).events.steps:
        if step.contact_s > end - 0.25:
            error_frames = (step.contact_s - min(true, key=lambda t, c=step.contact_s: abs(t - c))) * fps
            assert abs(error_frames) <= 1.5, (step, error_frames)


def test_heel_peaks_a_first_frame_further_forward_does_not_hide_the_first_maximum() -> None:
    """track_sprint_side_small: the first tracked frame (the runner at the panel seam) has the heel further forward
    than the first maximum 19 frames later. scipy's distance rule, applied before the prominence, let that first
    frame (never a maximum itself) drop the real one, and the first landing was missed."""
    h = _heel_wave(90, 46.0, 19.0)  # maxima of 0.3 at 19 and 65
    h[0], h[1] = 0.35, 0.1
    assert list(heel_peaks(h, min_distance_frames=27, min_prominence_leg=0.10)) == [19, 65]
    # The same at the clip's end: a last frame further forward, 15 frames after the last maximum.
    tail = h[::-1].copy()
    assert list(heel_peaks(tail, min_distance_frames=27, min_prominence_leg=0.10)) == [89 - 65, 89 - 19]


def _held_picture_knee() -> tuple:
    """Hand-made signals of a landing at frame 18 in a file that holds its pictures: the knee straightens to 12 deg
    at 18 and flexes after, but frames 9-14 show one picture six times and the landmarks jitter there, dipping at
    11 (36.5 deg) and lower still at 14 (36.2)."""
    from formcheck.gait.foot_signals import FootSignals

    fps = 30.0
    head = [60.0, 55.0, 50.0, 46.0, 43.0, 41.0, 40.0, 39.0, 38.5]
    held = [37.0, 37.0, 36.5, 37.5, 37.6, 36.2]  # frames 9-14, one picture
    tail = [30.0, 22.0, 15.0, 12.0, 16.0, 25.0, 35.0, 45.0, 55.0, 62.0]
    flex = np.array(head + held + tail)
    n = flex.size
    repeated = np.zeros(n)
    repeated[10:15] = 1.0
    repeated[0] = np.nan
    zeros = np.zeros(n)
    sig = FootSignals(zeros, np.full(n, 500.0), zeros, flex, zeros, zeros)
    return sig, np.arange(n) / fps, repeated


def test_a_knee_dip_inside_a_held_picture_is_no_contact() -> None:
    """A picture held six frames (longer than the 6 Hz low-pass's period) leaves the filtered knee on a plateau;
    a dip there while the next picture is straighter still is jitter, not the landing (docs/contacts.md "Held
    pictures"): track_sprint_side_small frame 26, 7 frames before its labelled landing at 33."""
    from formcheck.gait.common import held_pictures
    from formcheck.gait.sagittal import refine_contact

    sig, t, repeated = _held_picture_knee()
    cfg = GaitSettings()
    # Without the pictures (None: not judged) the dip at 11 is taken for the landing, 7 frames early.
    assert refine_contact(sig, t, 10, 50.0, 100.0, cfg) == pytest.approx(t[11], abs=0.5 / 30)
    # With them, the landing at 18.
    found = refine_contact(sig, t, 10, 50.0, 100.0, cfg, held_pictures(repeated, 5))
    assert found == pytest.approx(t[18], abs=0.5 / 30)
    # A picture held 6 frames is not "long" when the threshold is 7 frames, nor is any in a file of new pictures.
    for held in (held_pictures(repeated, 7), held_pictures(np.zeros(t.size), 5)):
        assert refine_contact(sig, t, 10, 50.0, 100.0, cfg, held) == pytest.approx(t[11], abs=0.5 / 30)


def test_a_held_picture_that_is_the_straightest_keeps_its_minimum() -> None:
    """The rule compares the held picture with its neighbours, not its copies with each other: a dip inside the
    held picture stands when the pictures before and after are less straight (the landing is in that picture)."""
    from formcheck.gait.common import held_pictures
    from formcheck.gait.sagittal import refine_contact

    sig, t, repeated = _held_picture_knee()
    flex = sig.knee_flexion_deg.copy()
    flex[15:] = np.linspace(
        40.0, 70.0, flex.size - 15
    )  # the knee flexes after the held picture: it was the landing
    sig = type(sig)(sig.h_heel, sig.low_y, sig.low_vy, flex, sig.h_ankle, sig.foot_vx)
    found = refine_contact(sig, t, 10, 50.0, 100.0, GaitSettings(), held_pictures(repeated, 5))
    assert found == pytest.approx(t[11], abs=0.5 / 30)


def test_regular_repeats_change_no_contact() -> None:
    """A file that shows every picture three times (a 10 pictures/s replay at 30 fps; the same landmarks on every
    copy, with 1 px of jitter) is timed as before: pictures held under 1/6 s are not plateaus of the 6 Hz tracks."""
    run = treadmill_runner(stride_s=0.7, duty=0.36, fps=30.0, direction=1)
    traj = run.traj
    first = (np.arange(traj.n_frames) // 3) * 3
    jitter = np.random.default_rng(3).normal(0.0, 1.0, traj.xy_px.shape)
    held = traj.replace(xy_px=traj.xy_px[first] + jitter)
    flags = np.where(np.arange(traj.n_frames) % 3 == 0, 0.0, 1.0)
    cfg = GaitSettings()
    plain = detect_sagittal_events(held, 1, run.leg_px, cfg)
    judged = detect_sagittal_events(held.replace(repeated=flags), 1, run.leg_px, cfg)
    assert len(plain.steps) >= 10
    assert [s.contact_s for s in judged.steps] == [s.contact_s for s in plain.steps]
    # Only the threshold keeps them equal: pictures held 2 frames or more would be judged, and contacts move.
    eager = dataclasses.replace(cfg, held_picture_min_s=2 / 30)
    moved = detect_sagittal_events(held.replace(repeated=flags), 1, run.leg_px, eager)
    assert [s.contact_s for s in moved.steps] != [s.contact_s for s in plain.steps]
