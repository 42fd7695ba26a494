"""Rear/front gait events and metrics on exact synthetic trajectories (no video, no pose model)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.errors import NotRunningError
from formcheck.metrics.frontal import cpd_deg
from formcheck.model import Trajectories
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.handmade import rear_runner, rear_walker
from tests.fixtures.synthetic import synthetic_trajectories


def _analyse(**kw):
    params = RunnerParams(duration_s=4.0, **kw)
    traj, truth = synthetic_trajectories(params)
    return analyze_trajectories(traj, AnalysisSettings()), truth


def test_cpd_sign_and_value():
    stance, swing = np.array([100.0, 200.0]), np.array([200.0, 200.0 + 100 * np.tan(np.radians(7))])
    assert cpd_deg(stance, swing) == pytest.approx(7.0, abs=1e-6)
    assert cpd_deg(swing, stance) == pytest.approx(-7.0, abs=1e-6)  # mirrored: same formula, no view sign


@pytest.mark.parametrize("view", ["rear", "front"])
def test_frontal_events_and_cadence(view):
    a, truth = _analyse(view=view, pelvic_drop_deg=5.0)
    assert a.view == view
    assert a.events.method == "frontal"
    valid = a.events.valid_steps
    assert len(valid) >= 8
    sides = [s.side for s in a.events.steps]
    assert all(x != y for x, y in zip(sides, sides[1:], strict=False))
    assert a.metrics["cadence_spm"].value == pytest.approx(170.0, abs=3.0)
    true_mid = np.array([s["midstance_s"] for s in truth.steps])
    err = [np.min(np.abs(true_mid - s.midstance_s)) for s in valid]
    assert np.median(err) < 0.05


def test_rear_contact_times_within_a_frame():
    a, truth = _analyse(view="rear")
    true_ic = np.array([s["contact_s"] for s in truth.steps])
    err = [np.min(np.abs(true_ic - s.contact_s)) for s in a.events.valid_steps]
    assert np.median(err) < 1 / 30


@pytest.mark.parametrize("view", ["rear", "front"])
@pytest.mark.parametrize("drop", [0.0, 9.0])
def test_pelvic_drop_recovered_from_exact_landmarks(view, drop):
    a, _ = _analyse(view=view, pelvic_drop_deg=drop)
    m = a.metrics["pelvic_tilt_deg"]
    assert m.value == pytest.approx(drop, abs=1.0)
    assert m.per_side["left"] is not None and m.per_side["right"] is not None
    assert m.extra["low_confidence"] is True
    assert "small" in m.note  # the default synthetic clip's hips are < 80 px apart (METRICS.md 5.1)
    # The verdict respects the interval: flag only when all of it lies beyond the cut-off.
    lo, hi = m.interval
    assert lo <= drop <= hi
    cut = a.settings.thresholds.pelvic_tilt_deg.watch[0][1]
    assert m.verdict == ("good" if drop < 5 else ("flag" if lo >= cut else "borderline"))


def test_step_width_and_crossover_flag():
    wide, _ = _analyse(view="rear", step_width_m=0.08)
    cross, _ = _analyse(view="rear", step_width_m=-0.04)
    assert wide.metrics["step_width"].value > 15
    assert cross.metrics["step_width"].value < 0
    m = cross.metrics["step_width"]
    # The default synthetic runner is small (hips < 80 px), so the interval is wide: flag only if it all lies at
    # or below the midline.
    assert m.interval[0] <= m.value <= m.interval[1]
    assert m.verdict == ("flag" if m.interval[1] <= 0 else "borderline")
    assert cross.metrics["step_width"].extra["crossover_steps"] > 0


def test_lateral_lean_toward_stance_side_in_both_views():
    for view in ("rear", "front"):
        a, _ = _analyse(view=view, lateral_trunk_lean_deg=4.0)
        assert a.metrics["lateral_trunk_lean_deg"].value == pytest.approx(4.0, abs=1.5)


def test_frontal_metrics_na_in_side_view():
    a, _ = _analyse(view="side")
    for mid in ("pelvic_tilt_deg", "lateral_trunk_lean_deg", "step_width", "arm_crossover_pct"):
        assert a.metrics[mid].verdict == "n/a"


def test_knee_collapse_is_an_appearance_not_degrees():
    a, _ = _analyse(view="rear")
    m = a.metrics["step_width"]
    assert "knee_collapse_appearance" in m.extra
    assert all("deg" not in str(v) for v in m.extra["knee_collapse_appearance"].values())


# Hand-made rear-view treadmill clips (tests/fixtures/handmade.py) through the whole analysis: review reproductions.


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_a_rear_treadmill_walker_is_refused_as_walking(fps):
    """The hips of a walker are lowest at each contact, then rise to mid single support: the rear hover rule, which
    moves a contact to the hips' highest point, made the walker's hips lowest mid-stance, as a runner's, and the
    walk was analysed as a run (review). The gait is told from the contacts before that rule."""
    run = rear_walker(fps=fps)
    with pytest.raises(NotRunningError, match="walking, not running"):
        analyze_trajectories(run.traj, AnalysisSettings(view="rear"))


def _cut(traj: Trajectories, start_frame: int) -> Trajectories:
    """The clip from ``start_frame`` on, its time starting again at 0."""
    return dataclasses.replace(
        traj,
        xy_px=traj.xy_px[start_frame:],
        visibility=traj.visibility[start_frame:],
        time_s=traj.time_s[start_frame:] - traj.time_s[start_frame],
    )


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_a_rear_clip_starting_mid_stance_rejects_no_more_steps_than_the_uncut_one(fps):
    """A clip that starts while a foot is down: the hover rule moved that stance's contact to the hips' highest
    point, a few frames before its lift-off (an 11 ms stance), and the next real step was rejected as too soon
    (review). The rule now skips a stance under way at the clip's start. The offsets (0.25-0.6 s into a 0.7 s
    stride) include those that rejected one step more before."""
    settings = AnalysisSettings(view="rear")
    uncut = analyze_trajectories(rear_runner(fps=fps, duration_s=3.0).traj, settings).events
    assert uncut.n_rejected <= 1  # the last stance, cut short by the clip's end
    for start_s in (0.1, 0.25, 0.3, 0.45, 0.6):
        k = int(round(start_s * fps))
        run = rear_runner(fps=fps, duration_s=3.0 + k / fps)
        events = analyze_trajectories(_cut(run.traj, k), settings).events
        assert events.n_rejected <= uncut.n_rejected, (
            start_s,
            [(s.side, round(s.contact_s * fps, 1), s.reject_reason) for s in events.steps if not s.valid],
        )
        assert len(events.valid_steps) >= 7
