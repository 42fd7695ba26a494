"""Rear- and front-view events (gait/frontal.py) on the hand-made runners, whose contacts, toe-offs and lowest hips are
set by construction (tests/fixtures/handmade.py)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import GaitSettings
from formcheck.gait.frontal import (
    after_other_foot_lifts,
    contact_in_hips_window,
    cut_segments,
    detect_frontal_events,
    frontal_signals,
    hips_descend_after,
    hips_landing_window,
    hips_stop_rising_time,
    leg_reach_time,
    pelvis_reading_time_s,
    size_change_rate_per_s,
    size_scale_px,
    vertical_settle_time,
)
from formcheck.model import Step
from tests.fixtures.handmade import approaching_front_runner, hovering_front_runner, rear_runner


@pytest.mark.parametrize(("stride_s", "fps"), [(0.7, 30.0), (0.62, 60.0)])
def test_contacts_toe_offs_and_midstance_of_a_handmade_rear_runner(stride_s: float, fps: float) -> None:
    duty = 0.36
    run = rear_runner(stride_s=stride_s, duty=duty, fps=fps)
    events = detect_frontal_events(run.traj, run.leg_px, GaitSettings())
    frame = 1.0 / fps
    end = run.traj.time_s[-1]
    assert events.method == "frontal"
    assert events.stride_time_s == pytest.approx(stride_s, rel=0.01)
    assert all(s.valid for s in events.steps), [s.reject_reason for s in events.steps]
    assert all(a.side != b.side for a, b in zip(events.steps, events.steps[1:], strict=False))
    for side in ("left", "right"):
        found = [s for s in events.steps if s.side == side]
        assert len(found) == len([c for c in run.contacts_s[side] if c + duty * stride_s < end])
        for s, contact in zip(found, run.contacts_s[side], strict=False):
            assert s.contact_s == pytest.approx(contact, abs=0.5 * frame)
            assert s.toe_off_s == pytest.approx(contact + duty * stride_s, abs=0.5 * frame)
            assert s.midstance_s == pytest.approx(contact + 0.5 * duty * stride_s, abs=0.5 * frame)


# vertical_settle_time on hand-made velocity tracks: the answer is where the speed crosses the level exactly.
T = np.arange(40) / 30.0
NO_MIN = np.zeros(40)


def _landing(peak_frame: int, stop_frame: int, peak: float = 600.0, stance: float = 0.0) -> np.ndarray:
    """Fall speed rising to ``peak`` at ``peak_frame``, falling linearly to the stance speed at ``stop_frame``,
    then the stance speed; rising (negative fall) after the stance, from frame 30."""
    v = np.full(40, stance)
    v[peak_frame - 3 : peak_frame + 1] = np.linspace(0.25 * peak, peak, 4)
    v[peak_frame : stop_frame + 1] = np.linspace(peak, stance, stop_frame - peak_frame + 1)
    v[31:36] = [-100.0, -300.0, -600.0, -300.0, -100.0]
    return v


def test_landing_is_where_the_fall_has_slowed_to_the_fraction_of_its_peak() -> None:
    v = _landing(10, 15)  # 600 px/s at frame 10 down to 0 at frame 15: 20% (120 px/s) at frame 14
    got = vertical_settle_time(
        v, T, first=15, last=29, window=10, fraction=0.2, edge=+1, min_peak_px_s=NO_MIN
    )
    assert got == pytest.approx(T[14])
    got = vertical_settle_time(
        v, T, first=15, last=29, window=10, fraction=0.5, edge=+1, min_peak_px_s=NO_MIN
    )
    assert got == pytest.approx(T[12] + 0.5 / 30.0)  # 300 px/s half-way between frames 12 (360) and 13 (240)


def test_landing_is_measured_against_the_stance_velocity() -> None:
    # A treadmill seen from the front: the stance foot moves at 50 px/s; 20% of (650 - 50) above it is 170 px/s.
    v = _landing(10, 15, peak=650.0, stance=50.0)
    got = vertical_settle_time(
        v, T, first=15, last=29, window=10, fraction=0.2, edge=+1, min_peak_px_s=NO_MIN
    )
    assert got == pytest.approx(T[14])


def test_lift_off_mirrors_the_landing() -> None:
    v = _landing(10, 15)  # rise peaks at frame 33 (600 px/s up), 300 at frame 32, 100 at frame 31, 0 at 30
    got = vertical_settle_time(
        v, T, first=15, last=30, window=10, fraction=0.2, edge=-1, min_peak_px_s=NO_MIN
    )
    assert got == pytest.approx(
        T[31] + 0.1 / 30.0
    )  # 120 px/s: a tenth of the way from frame 31 (100) to 32 (300)


def test_no_settle_without_a_clear_fall() -> None:
    v = _landing(10, 15, peak=200.0)
    high = np.full(40, 250.0)  # the fall never beats the stance speed threshold
    assert vertical_settle_time(v, T, 15, 29, 10, 0.2, +1, high) is None
    flat = np.zeros(40)
    assert vertical_settle_time(flat, T, 15, 29, 10, 0.2, +1, NO_MIN) is None
    # The fall's peak lies before the window: what the window sees starts at its edge, so no settle is claimed.
    assert vertical_settle_time(_landing(6, 15), T, 15, 29, 3, 0.2, +1, NO_MIN) is None


def test_a_fall_that_pauses_and_speeds_up_again_lands_after_its_last_fast_fall() -> None:
    # The pose model's tracks of a small, far runner: the fall slows to 60 px/s at frame 9 (under 20% of its
    # 600 px/s peak), speeds up again to 400 px/s at frame 11, then stops at frame 15.
    v = np.zeros(40)
    v[5:16] = [150.0, 600.0, 400.0, 200.0, 60.0, 200.0, 400.0, 300.0, 200.0, 100.0, 0.0]
    first_settle = vertical_settle_time(v, T, 15, 29, 10, 0.2, +1, NO_MIN)  # the pause counts (refall off)
    assert first_settle == pytest.approx(T[8] + (200.0 - 120.0) / (200.0 - 60.0) / 30.0)
    got = vertical_settle_time(v, T, 15, 29, 10, 0.2, +1, NO_MIN, refall_fraction=0.5)
    assert got == pytest.approx(T[13] + (200.0 - 120.0) / (200.0 - 100.0) / 30.0)  # 120 px/s after frame 13
    # A second burst under half the peak is a wobble of a landed foot, not a fall: the first settle stands.
    v[10:13] = [150.0, 250.0, 150.0]
    assert vertical_settle_time(v, T, 15, 29, 10, 0.2, +1, NO_MIN, refall_fraction=0.5) == first_settle


def test_a_cut_in_the_video_splits_the_ground_line() -> None:
    run = rear_runner(duration_s=4.0)
    assert (cut_segments(run.traj, GaitSettings().frontal_cut_torso_per_frame) == 0).all()
    # From frame 60 the next shot shows the runner 40% bigger, lower and to the side (a cut).
    xy = run.traj.xy_px.copy()
    centre = np.array([320.0, 200.0])
    xy[60:] = centre + 1.4 * (xy[60:] - centre) + np.array([80.0, 60.0])
    cut = run.traj.replace(xy_px=xy)
    segment = cut_segments(cut, GaitSettings().frontal_cut_torso_per_frame)
    assert (segment[:60] == 0).all() and (segment[60:] == 1).all()
    ground = frontal_signals(cut, run.leg_px, 0.7, segment).ground_y
    feet = np.fmax(xy[:, 29, 1], xy[:, 30, 1])  # heels: the lowest points of the hand-made feet
    assert ground[55:60] == pytest.approx(np.full(5, feet[:60].max()), abs=1.0)  # not the next shot's ground
    assert ground[60:65] == pytest.approx(np.full(5, feet[60:].max()), abs=1.0)
    assert frontal_signals(cut, run.leg_px, 0.7).ground_y[55] > feet[:60].max() + 50.0  # without the split
    # The pose model jumping between two people for a few frames is not a cut: no segment starts there.
    flicker = run.traj.xy_px.copy()
    flicker[20:27:2] += np.array([120.0, 0.0])  # every other frame of 20-26 on someone else
    still_one = cut_segments(run.traj.replace(xy_px=flicker), GaitSettings().frontal_cut_torso_per_frame)
    assert (still_one == 0).all()


def test_size_change_rate_tells_a_receding_runner_from_a_treadmill_runner() -> None:
    t = np.arange(150) / 30.0
    receding = 200.0 * np.exp(-0.12 * t)  # 12% smaller each second
    assert size_change_rate_per_s(receding, 30.0) == pytest.approx(0.12, rel=1e-6)
    assert size_change_rate_per_s(np.full(150, 200.0), 30.0) == 0.0
    swaying = 200.0 * (1 + 0.005 * np.sin(2 * np.pi * 2.8 * t))  # a treadmill runner's depth sway
    assert size_change_rate_per_s(swaying, 30.0) < GaitSettings().frontal_overground_size_rate_per_s
    assert np.isnan(size_change_rate_per_s(np.full(20, 200.0), 30.0))  # shorter than a second


def test_leg_reach_is_the_longest_reach_between_the_bounds() -> None:
    t = np.arange(30) / 30.0
    reach = 1.0 - (t - t[12] - 0.25 / 30.0) ** 2  # longest a quarter frame after frame 12
    assert leg_reach_time(reach, t, 8, 16) == pytest.approx(t[12] + 0.25 / 30.0, abs=1e-9)
    assert (
        leg_reach_time(reach, t, 13, 20) is None
    )  # still shortening from the first frame: no maximum inside
    assert leg_reach_time(reach, t, 2, 8) is None  # still lengthening at the last frame
    # A maximum on the window's first frame counts when the frame before it is shorter (the still-and-low run of
    # overground_front_two_joggers started 2 frames after the reach peaked: it read +2 frames late).
    assert leg_reach_time(reach, t, 12, 20) == pytest.approx(t[12] + 0.25 / 30.0, abs=1e-9)


def test_pelvis_is_read_at_midstance_from_behind_and_mid_stance_from_the_front() -> None:
    step = Step(side="left", contact_s=1.0, toe_off_s=1.2, midstance_s=1.13)
    assert pelvis_reading_time_s(step, "rear") == 1.13
    assert pelvis_reading_time_s(step, "front") == pytest.approx(1.1)
    no_toe_off = Step(side="left", contact_s=1.0, toe_off_s=None, midstance_s=1.13)
    assert pelvis_reading_time_s(no_toe_off, "front") == 1.13


def test_rear_pelvis_is_read_at_the_frame_at_or_before_the_lagging_lowest_hip() -> None:
    """With the clip's frame times the rear view reads the frame at or before the tracked lowest hip (the pose
    model's hips lag the picture), never the later frame even when it is nearer; a midstance on a frame reads that
    frame; the front view's stance middle is unchanged."""
    frames = np.arange(60) / 30.0
    step = Step(
        side="left", contact_s=1.0, toe_off_s=1.2, midstance_s=1.13 + 0.9 / 30.0
    )  # 0.9 frame past 1.13
    k = int(round(1.13 * 30.0))
    assert pelvis_reading_time_s(step, "rear", frames) == pytest.approx(frames[k])
    on_frame = Step(side="left", contact_s=1.0, toe_off_s=1.2, midstance_s=float(frames[k]))
    assert pelvis_reading_time_s(on_frame, "rear", frames) == pytest.approx(frames[k])
    assert pelvis_reading_time_s(step, "front", frames) == pytest.approx(1.1)
    assert pelvis_reading_time_s(step, "rear") == step.midstance_s


@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0])
def test_a_cut_is_found_at_any_frame_rate_on_the_low_passed_tracks(fps: float) -> None:
    """The detector reads the contact tracks, low-passed at a fixed cut-off: per frame a cut of 0.54 torso lengths
    reads 0.44 at 30 fps but 0.19 at 120 fps, under the 0.24 threshold; over 1/30 s it reads alike."""
    from formcheck.config import AnalysisSettings
    from formcheck.trajectory_analysis import clean_trajectories

    run = rear_runner(duration_s=4.0, fps=fps)
    xy = run.traj.xy_px.copy()
    k = int(2.0 * fps)
    centre = np.array([320.0, 200.0])
    xy[k:] = centre + 1.4 * (xy[k:] - centre) + np.array([80.0, 60.0])
    sharp = clean_trajectories(run.traj.replace(xy_px=xy), AnalysisSettings())[3]
    segment = cut_segments(sharp, GaitSettings().frontal_cut_torso_per_frame)
    assert segment.max() == 1
    assert abs(int(np.argmax(segment)) - k) <= max(1, int(round(fps / 30.0)))
    # The same runner without the cut: one segment.
    uncut = clean_trajectories(run.traj, AnalysisSettings())[3]
    assert (cut_segments(uncut, GaitSettings().frontal_cut_torso_per_frame) == 0).all()


def test_a_foot_hovering_still_above_the_ground_while_the_hips_rise_is_not_a_stance() -> None:
    """overground_front_two_joggers (docs/contacts.md): the left swing foot hovers still and low for 5 frames before
    each landing while the other leg pushes the body up. It was taken for a short stance 8 frames before the real
    landing, and the same foot twice in a row then made both steps invalid."""
    run = hovering_front_runner()
    events = detect_frontal_events(run.traj, run.leg_px, GaitSettings(), view="front")
    frame = 1.0 / run.traj.fps
    inside = [s for s in events.steps if s.contact_s < run.traj.time_s[-1] - 0.5]  # the clip ends mid-hover
    truth = sorted(
        (c, side) for side in ("left", "right") for c in run.contacts_s[side] if c < inside[-1].toe_off_s
    )
    assert [(s.side, s.valid) for s in inside] == [(side, True) for _, side in truth], [
        (s.side, s.contact_s / frame, s.reject_reason) for s in events.steps
    ]
    for s, (contact, _) in zip(inside, truth, strict=True):
        assert s.contact_s == pytest.approx(
            contact, abs=0.5 * frame
        )  # the leg's longest reach, at the landing


def test_hips_descend_after_the_contact_of_a_stance_not_of_a_hover() -> None:
    hip_y = np.array([200.0, 198.0, 196.0, 195.0, 196.0, 199.0, 203.0])  # up to frame 3 (flight), then down
    assert not hips_descend_after(hip_y, 0, 3)  # rising from frame 0 to 3: no weight on the foot
    assert hips_descend_after(hip_y, 3, 6)  # a landing at frame 3: the hips fall on until midstance
    assert hips_descend_after(hip_y, 1, 6)  # rising first, then lower than at frame 1
    assert not hips_descend_after(hip_y, 0, 4)  # back down to 196 only: never lower than at the contact
    assert hips_descend_after(np.array([np.nan, 200.0, 201.0]), 0, 2)  # no hips at the contact: not judged
    assert hips_descend_after(hip_y, 6, 6)  # one frame: nothing to judge


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_a_rear_foot_hovering_within_the_ground_tolerance_lands_in_the_middle_of_the_hips_window(
    fps: float,
) -> None:
    """The rendered rear runner on a treadmill (docs/contacts.md, "The hovering foot and the lifting foot"): through
    the pose model its swing foot sits still inside the ground tolerance for frames before it lands, so the
    still-and-low run started 1-4 frames early. The hips peak mid-flight, 49 ms before each landing here (a 98 ms
    flight), and fall fastest a quarter step (88 ms) after their top: the window's middle, 44 ms after the top, is
    within 5 ms of the landing. Placed at the hips' top (the rule before, "The rear view's landing lies between the
    hips' top and their fastest fall") the contacts were 1.5 frames early at 30 fps and 2.9 at 60."""
    hover = 4 if fps == 30.0 else 8
    run = rear_runner(stride_s=0.7, duty=0.36, fps=fps, hover_frames=hover)
    events = detect_frontal_events(run.traj, run.leg_px, GaitSettings())
    frame = 1.0 / fps
    for side in ("left", "right"):
        found = [s for s in events.steps if s.side == side]
        truth = [c for c in run.contacts_s[side] if c > 2 * hover * frame]  # the first may start mid-hover
        assert len(found) >= len(truth) - 1
        for contact in truth:
            s = min(found, key=lambda s: abs(s.contact_s - contact))
            # before: the hover's first frame, ``hover`` frames early
            assert s.contact_s == pytest.approx(contact, abs=0.5 * frame), (
                side,
                contact / frame,
                s.contact_s / frame,
            )


def test_a_rear_contact_lies_in_the_hips_window_not_before_its_middle_nor_after_its_end() -> None:
    """The hips' top at 1.00 s, their fastest fall at 1.09 s: a run starting on a hover (0.95 s) lands at the
    window's middle; one starting inside the window's second half keeps its start; one starting after the fastest
    fall (a planted foot read above the ground band: the rendered rear runner's right foot, 1.0-1.6 frames late,
    docs/contacts.md) lands at the fastest fall; never after the stance's last frame."""
    window = (1.00, 1.09)
    assert contact_in_hips_window(0.95, window, 1.3) == pytest.approx(1.045)
    assert contact_in_hips_window(1.06, window, 1.3) == pytest.approx(1.06)
    assert contact_in_hips_window(1.12, window, 1.3) == pytest.approx(1.09)
    assert contact_in_hips_window(0.95, window, 1.03) == pytest.approx(1.03)


def test_the_hips_bound_a_landing_between_their_top_and_their_fastest_fall() -> None:
    """A cosine hip track (the rendered runner's): top at frame 10.3, fastest fall a quarter period (12 frames) later;
    found from before the top (the hips still rising) and from after it (already falling)."""
    fps, period_frames, top_frame = 30.0, 48.0, 10.3
    t = np.arange(40) / fps
    hip_y = 200.0 - 12.0 * np.cos(2 * np.pi * (t * fps - top_frame) / period_frames)
    for start_frame in (6.0, 8.5, 13.0):
        top, fastest = hips_landing_window(hip_y, t, start_frame / fps, 35)
        assert top * fps == pytest.approx(top_frame, abs=0.02)
        assert fastest * fps == pytest.approx(top_frame + period_frames / 4, abs=0.1)
    # No top inside: the hips fall from the clip's first frame (a stance under way), or rise up to the stance's end.
    assert hips_landing_window(hip_y[12:], t[:-12], 0.0, 20) is None
    assert hips_landing_window(hip_y, t, 2 / fps, 8) is None
    # A top, but the fall still speeds up at the stance's last frame: no fastest fall seen.
    assert hips_landing_window(hip_y, t, 6 / fps, 18) is None
    assert hips_landing_window(np.full(40, np.nan), t, 6 / fps, 35) is None


def test_the_hips_stop_rising_at_their_highest_point() -> None:
    t = np.arange(7) / 30.0
    hip_y = np.array([200.0, 198.0, 196.0, 195.0, 196.0, 199.0, 203.0])  # highest at frame 3
    assert hips_stop_rising_time(hip_y, t, t[1], 6) == pytest.approx(t[3])
    assert hips_stop_rising_time(hip_y, t, 0.5 * (t[0] + t[1]), 6) == pytest.approx(t[3])  # between frames
    assert hips_stop_rising_time(hip_y, t, t[3], 6) is None  # falling from there: the foot may carry them
    assert hips_stop_rising_time(hip_y, t, t[4], 6) is None
    assert hips_stop_rising_time(hip_y, t, t[1], 2) == pytest.approx(
        t[2]
    )  # not beyond the stance's last frame
    assert hips_stop_rising_time(hip_y, t, t[6], 6) is None  # no frame after: nothing to judge
    skewed = np.array([200.0, 198.0, 196.0, 195.0, 195.5, 199.0, 203.0])
    assert t[3] < hips_stop_rising_time(skewed, t, t[1], 6) < 0.5 * (t[3] + t[4])  # sub-frame, by a parabola


def test_a_rear_contact_waits_for_the_other_foot_to_lift_off() -> None:
    """overground_rear_receding (docs/contacts.md): seen from behind, the nearer lifting foot hides the landing
    one, and the pose puts the landing foot at the ground with it 0.2-1.5 frames before the lift-off."""
    cfg = GaitSettings()
    left = Step("left", contact_s=0.0, toe_off_s=0.30)
    moved = after_other_foot_lifts([left, Step("right", contact_s=0.28, toe_off_s=0.60)], cfg)
    assert moved[0] == left and moved[1].contact_s == pytest.approx(0.30) and moved[1].toe_off_s == 0.60
    after = [left, Step("right", contact_s=0.33, toe_off_s=0.60)]  # a flight: unchanged
    assert after_other_foot_lifts(after, cfg) == after
    same = [left, Step("left", contact_s=0.28, toe_off_s=0.60)]  # the same foot: not a lift-off to wait for
    assert after_other_foot_lifts(same, cfg) == same
    merged = [Step("left", contact_s=0.0, toe_off_s=0.60), Step("right", contact_s=0.28, toe_off_s=0.90)]
    assert after_other_foot_lifts(merged, cfg) == merged  # a 600 ms "stance": two feet merged by the pose
    short = [left, Step("right", contact_s=0.20, toe_off_s=0.25)]  # would move past its own lift-off
    assert after_other_foot_lifts(short, cfg) == short
    chained = after_other_foot_lifts(
        [left, Step("right", contact_s=0.28, toe_off_s=0.62), Step("left", contact_s=0.60, toe_off_s=0.9)],
        cfg,
    )
    assert [s.contact_s for s in chained] == pytest.approx([0.0, 0.30, 0.62])


@pytest.mark.parametrize("stop_frame", [10.0, 10.3, 10.5, 10.8])
def test_a_sudden_stop_crosses_half_the_fall_speed_at_the_stop(stop_frame: float) -> None:
    """A foot falling at a constant speed that stops dead (the heel's impact, seen from the front or behind): by
    central differences its speed crosses half the fall speed at the stop, wherever the stop falls between frames,
    and the side view's 0.2 level 0.6-0.74 frame after it (docs/contacts.md, "The foot's fall ends in an impact")."""
    from formcheck.processing.filtering import central_velocity

    stop_s = stop_frame / 30.0
    y = 300.0 + 600.0 * np.minimum(T, stop_s)  # falls at 600 px/s, then still
    y[:5] = y[5]  # the fall starts at frame 5: its peak lies inside the window
    fall = central_velocity(y, T)
    half = vertical_settle_time(fall, T, 12, 29, 10, 0.5, +1, NO_MIN)
    assert half == pytest.approx(stop_s, abs=1e-9)
    fifth = vertical_settle_time(fall, T, 12, 29, 10, 0.2, +1, NO_MIN)
    assert 0.6 - 1e-9 <= (fifth - stop_s) * 30.0 <= 0.74


@pytest.mark.parametrize("fps", [25.0, 30.0, 60.0])
def test_an_approaching_front_runner_lands_when_the_heel_stops_not_when_the_toe_is_down(fps: float) -> None:
    """overground_front_approaching (docs/contacts.md, "The foot's fall ends in an impact"): from the front the foot's
    lowest point is the toe, which keeps coming down for 60 ms after the heel lands, as the foot rolls onto its
    sole. Through the pipeline's low-pass the contacts were 1.0-1.7 frames after the heel landed (the fall's 20%
    level); at half the fall speed they are within half a frame, never before the heel lands."""
    from formcheck.config import AnalysisSettings
    from formcheck.trajectory_analysis import clean_trajectories

    run = approaching_front_runner(fps=fps)
    clean, _, _, sharp = clean_trajectories(run.traj, AnalysisSettings())
    assert size_change_rate_per_s(size_scale_px(clean, run.leg_px), fps) >= 0.03  # the fixed-ground rule
    events = detect_frontal_events(clean, run.leg_px, GaitSettings(), contact_traj=sharp, view="front")
    truth = sorted(c for side in ("left", "right") for c in run.contacts_s[side])
    assert len(events.steps) == len(truth)
    assert all(s.valid for s in events.steps)
    errors_frames = np.array([(s.contact_s - c) * fps for s, c in zip(events.steps, truth, strict=True)])
    assert errors_frames.min() >= 0.0
    assert errors_frames.max() <= 0.5
    # A foot that stops dead, with no roll-down after the heel: on the landing, within a fifth of a frame.
    flat = approaching_front_runner(fps=fps, toe_drop_leg=0.0)
    clean, _, _, sharp = clean_trajectories(flat.traj, AnalysisSettings())
    events = detect_frontal_events(clean, flat.leg_px, GaitSettings(), contact_traj=sharp, view="front")
    errors_frames = np.array([(s.contact_s - c) * fps for s, c in zip(events.steps, truth, strict=True)])
    assert np.abs(errors_frames).max() <= 0.2
