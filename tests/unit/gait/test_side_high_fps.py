"""The side view at 60 and 120 fps (docs/contacts.md "The side view at 60 and 120 fps"): known answers on the pose
model's landmarks of two rendered runners with the realistic landing, whose true contacts are known.

The fixtures are cut from ``python benchmarks/render_contact_set.py DIR --late-knee-extension --landing-cushion-s
0.04 s60_fore s120_fore s120_over`` (landmarks.npz, world landmarks dropped): ``rendered_s60_fore_end.npz`` is its
2-4 s, ``rendered_s120_fore_start.npz`` its first second, ``rendered_s120_over_start.npz`` its first 1.5 s;
``rendered_rearfoot_120fps_middle.npz`` is frames 150-330 of ``benchmarks/score_at_contact.py``'s rearfoot 120 fps
runner (realistic landing, 6 m)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.processing.filtering import cutoff_for_fps
from formcheck.processing.gating import gate_by_visibility
from formcheck.processing.swaps import LEG_CHAINS, coarse_then_fine_swap_flags, repair_swaps
from formcheck.report.landmarks import load_landmarks
from formcheck.trajectory_analysis import clean_trajectories, prepare

LANDMARKS = Path(__file__).resolve().parents[2] / "fixtures" / "landmarks"
(L_ROOT, LEFT), (R_ROOT, RIGHT) = LEG_CHAINS


def test_a_stance_cut_by_the_clips_end_settles_on_the_grounds_velocity() -> None:
    """s60_fore's right foot lands at 3.8734 s, 127 ms before the clip ends. Its stance velocity read on the
    clip's last three frames (still speeding backward through the pose model and the filter's end) put the settle
    2.6 frames late and the contact 1.24 frames late; the whole stances' velocity puts it within a frame, and
    the other contacts stay within a frame."""
    raw = load_landmarks(LANDMARKS / "rendered_s60_fore_end.npz")
    steps = prepare(raw, AnalysisSettings()).events.steps
    truth = {"left": [2.1689, 2.8507, 3.5325], "right": [2.5098, 3.1916, 3.8734]}
    for side, times in truth.items():
        for t in times:
            nearest = min((s.contact_s for s in steps if s.side == side), key=lambda c: abs(c - t))
            assert abs(nearest - t) * raw.fps <= 1.0, (side, t, nearest)
    last = min(steps, key=lambda s: abs(s.contact_s - 3.8734))
    assert last.toe_off_s is None  # the stance is cut: the rule applies


def _heel_ahead_of_hips_px(traj, side: str) -> np.ndarray:
    return traj.point(f"{side}_heel")[:, 0] - traj.mid("left_hip", "right_hip")[:, 0]


def test_the_swap_repair_keeps_the_landing_foot_at_120_fps() -> None:
    """s120_fore's right foot lands at 0.4567 s (frame 54.8), ahead of the hips from about frame 41. The pose model
    calls it "left" in frames 41-52 (it lost the legs' identity while they crossed), "right" in 54-56, then
    mixes them up. Judged frame by frame, relabelling the 12 frames cost more than relabelling the 3 correct
    ones, and the right foot's landing came 7 frames late. Judged on frames 1/30 s apart first, the right foot
    stays ahead through its landing."""
    raw = load_landmarks(LANDMARKS / "rendered_s120_fore_start.npz")
    clean = clean_trajectories(raw, AnalysisSettings())[0]
    landing = slice(46, 57)  # frames 46-56: the right foot reaching forward and landing, the left behind
    assert (_heel_ahead_of_hips_px(clean, "right")[landing] > 0).all()
    assert (_heel_ahead_of_hips_px(clean, "left")[landing] < 0).all()
    # Judged frame by frame only (as before the rule), the right foot is behind the hips while it reaches forward.
    p = AnalysisSettings().processing
    gated = gate_by_visibility(raw, p.visibility_min)
    frame_by_frame, _ = repair_swaps(
        gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=1
    )
    assert (_heel_ahead_of_hips_px(frame_by_frame, "right")[46:53] < 0).all()


@pytest.fixture(scope="module")
def runner():
    from formcheck.synth.params import RunnerParams
    from tests.fixtures.synthetic import synthetic_trajectories

    return synthetic_trajectories(RunnerParams(duration_s=2.0, fps=120))[0]


def _swapped(xy: np.ndarray, frames: list[int]) -> np.ndarray:
    out = xy.copy()
    legs_l, legs_r = [L_ROOT, *LEFT], [R_ROOT, *RIGHT]
    for f in frames:
        out[f, legs_l], out[f, legs_r] = xy[f, legs_r], xy[f, legs_l]
    return out


@pytest.mark.parametrize(
    "frames",
    [[61], [62, 63], list(range(100, 112)), list(range(130, 146)), [61, *range(100, 112)]],
)
def test_coarse_then_fine_undoes_short_and_long_swaps(runner, frames: list[int]) -> None:
    """Exact tracks of the rendered runner at 120 fps with the legs' labels exchanged in ``frames``: judged every
    4th frame first, then frame by frame, exactly those frames are relabelled, including a single frame the
    coarse pass skips (61)."""
    xy = _swapped(runner.xy_px, frames)
    flags = coarse_then_fine_swap_flags(xy, LEFT, RIGHT, 0.3, None, 4)
    assert np.flatnonzero(flags).tolist() == frames


@pytest.mark.parametrize("name", ["rendered_s60_fore_end", "rendered_s120_fore_start"])
def test_the_arms_are_judged_frame_by_frame_at_high_frame_rates(name: str) -> None:
    """The coarse pass is for the legs' mix-ups around a landing; on the arms, whose labels the pose model holds
    with confidence, it relabelled 56 of 120 frames here (and the near arm of a real 60 fps treadmill clip on 270 of
    388 frames, moving its elbow angle 87 -> 79 deg). The arms come out as the frame-by-frame repair leaves them."""
    from formcheck.processing.swaps import ARM_CHAINS

    p = AnalysisSettings().processing
    gated = gate_by_visibility(load_landmarks(LANDMARKS / f"{name}.npz"), p.visibility_min)
    step = max(1, round(gated.fps / p.swap_frame_rate_hz))
    assert step > 1  # the coarse pass runs on this clip
    coarse, _ = repair_swaps(gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=step)
    fine, _ = repair_swaps(gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=1)
    (l_root, left), (r_root, right) = ARM_CHAINS
    arms = [l_root, *left, r_root, *right]
    np.testing.assert_array_equal(coarse.xy_px[:, arms], fine.xy_px[:, arms])


def _with_event_cutoff_of_the_metrics(settings: AnalysisSettings) -> AnalysisSettings:
    """``settings`` with the contact markers timed on the metrics' tracks, as before the event cut-off."""
    p = settings.processing
    return dataclasses.replace(
        settings, processing=dataclasses.replace(p, event_cutoff_points_hz=p.cutoff_points_hz)
    )


def test_120_fps_contacts_are_timed_on_less_smoothed_tracks() -> None:
    """s120_over's first 1.5 s (an overstriding heel striker at 120 fps, through the pose model) lands at frames
    14.81, 59.81, 104.81 and 149.81. On the tracks low-passed at the metrics' 11 Hz the knee's turn at touchdown is
    rounded and the right foot's contact at 59.81 came 1.50 frames early; timed on the 21 Hz tracks every contact
    is within a frame. The tracks every metric reads keep the 11 Hz cut-off."""
    raw = load_landmarks(LANDMARKS / "rendered_s120_over_start.npz")
    truth_frames = {"left": [14.81, 104.81], "right": [59.81, 149.81]}

    def worst_error_frames(settings: AnalysisSettings) -> tuple[float, dict]:
        prepared = prepare(raw, settings)
        errors = {}
        for side, frames in truth_frames.items():
            contacts = [st.contact_s * raw.fps for st in prepared.events.steps if st.side == side]
            for f in frames:
                errors[(side, f)] = min(contacts, key=lambda c: abs(c - f)) - f
        return max(abs(e) for e in errors.values()), errors

    worst, errors = worst_error_frames(AnalysisSettings())
    assert worst <= 1.0, errors
    before, errors_before = worst_error_frames(_with_event_cutoff_of_the_metrics(AnalysisSettings()))
    assert errors_before[("right", 59.81)] < -1.2, errors_before  # the miss the rule fixes
    # Only the contact markers moved: the tracks the metrics read are those of the 11 Hz cut-off.
    new, old = (
        prepare(raw, AnalysisSettings()),
        prepare(raw, _with_event_cutoff_of_the_metrics(AnalysisSettings())),
    )
    assert new.filter_cutoff_hz == old.filter_cutoff_hz == 11.0
    np.testing.assert_array_equal(new.clean.xy_px, old.clean.xy_px)
    np.testing.assert_array_equal(new.sharp.xy_px, old.sharp.xy_px)


@pytest.mark.parametrize("fps", [24.0, 25.0, 30.0, 48.0, 50.0, 59.94, 60.0])
def test_clips_up_to_60_fps_time_contacts_on_the_metrics_tracks(fps: float) -> None:
    """Up to 60 fps the contact markers' cut-off is the metrics' one, so those clips' contacts are unchanged bit for
    bit (the timing tracks are the cleaned tracks themselves); above it, higher."""
    p = AnalysisSettings().processing
    assert cutoff_for_fps(fps, p.event_cutoff_points_hz) == cutoff_for_fps(fps, p.cutoff_points_hz)
    assert cutoff_for_fps(120.0, p.event_cutoff_points_hz) > cutoff_for_fps(120.0, p.cutoff_points_hz)


def test_a_knee_turn_the_timing_tracks_miss_is_read_on_the_smoothed_ones() -> None:
    """The rearfoot 120 fps runner's left foot lands at frame 118.92 of the cut, just before its Zeni candidate
    (119): on the less-smoothed tracks the knee is straightest a frame before the search starts and flexes through
    the window, so they give no marker; the contact is then timed on the metrics' tracks (117.91, -1.01 frames)
    instead of being lost."""
    from formcheck.gait.sagittal import detect_sagittal_events, foot_signals, heel_peaks, refine_contact
    from formcheck.processing.orientation import estimate_direction
    from formcheck.processing.scale import leg_length_px
    from formcheck.trajectory_analysis import cleaned_tracks

    raw = load_landmarks(LANDMARKS / "rendered_rearfoot_120fps_middle.npz")
    settings = AnalysisSettings()
    cleaned = cleaned_tracks(raw, settings)
    assert cleaned.timing is not cleaned.clean
    leg_px = leg_length_px(cleaned.clean)
    direction = estimate_direction(cleaned.clean, leg_px).sign
    events = detect_sagittal_events(
        cleaned.clean, direction, leg_px, settings.gait, timing_traj=cleaned.timing
    )
    stride_frames = events.stride_time_s * raw.fps
    timing_left = foot_signals(cleaned.timing, "left", direction, leg_px)
    peaks = heel_peaks(foot_signals(cleaned.clean, "left", direction, leg_px).h_heel, 20, 0.1)
    assert 119 in peaks.tolist()
    assert refine_contact(timing_left, raw.time_s, 119, stride_frames, leg_px, settings.gait) is None
    left = [st.contact_s * raw.fps for st in events.steps if st.side == "left"]
    assert min(abs(c - 118.92) for c in left) < 1.1, left


def test_at_120_fps_the_settle_weighs_a_quarter() -> None:
    """s120_over's left landing at frame 104.81: on the 21 Hz tracks the knee's marker is +0.51 frame and the settle
    -1.68; their mean was -0.59 frame, the settle weighted 0.25 (the inverse-variance weight of the two markers'
    scatter on the contact set) -0.04. With it every contact of the cut is on its exact frame (within 0.5)."""
    raw = load_landmarks(LANDMARKS / "rendered_s120_over_start.npz")
    truth_frames = [14.81, 59.81, 104.81, 149.81]

    def errors(settings: AnalysisSettings) -> list[float]:
        contacts = [st.contact_s * raw.fps for st in prepare(raw, settings).events.steps]
        return [min(contacts, key=lambda c: abs(c - f)) - f for f in truth_frames]

    weighted = errors(AnalysisSettings())
    assert max(abs(e) for e in weighted) < 0.5, weighted
    assert abs(weighted[2]) < 0.2, weighted
    g = AnalysisSettings().gait
    mean = errors(
        dataclasses.replace(
            AnalysisSettings(), gait=dataclasses.replace(g, settle_weight_points=((30.0, 0.5), (120.0, 0.5)))
        )
    )
    assert mean[2] < -0.5, mean  # the mean, as before the weight


def test_the_settles_weight_by_frame_rate() -> None:
    """The mean up to 60 fps (bit for bit the rule of before), a quarter at 120 fps and above, linear between."""
    from formcheck.gait.sagittal import combine_contact_markers, settle_weight

    g = AnalysisSettings().gait
    knee_s, settle_s = 1.0, 0.99
    for fps in (25.0, 30.0, 50.0, 60.0):
        assert combine_contact_markers(knee_s, settle_s, fps, g) == 0.5 * (knee_s + settle_s)
    assert combine_contact_markers(knee_s, settle_s, 120.0, g) == pytest.approx(0.9975, abs=1e-12)
    assert combine_contact_markers(knee_s, settle_s, 240.0, g) == pytest.approx(0.9975, abs=1e-12)
    assert settle_weight(90.0, g) == pytest.approx(0.375)
