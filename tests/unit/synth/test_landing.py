"""The rendered runner's landing knee: the rigid foot's jump at contact, and the cushioned landing
(``RunnerParams.landing_cushion_s``) that flexes the knee smoothly from its contact angle (docs/contacts.md "How the
rendered runner lands"). Both the late knee and the cushion are the defaults since issue 15's round; the runners
here start from the landing of before (``OLD_LANDING``) and add each part."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.errors import UsageError
from formcheck.geometry import joint_angle_deg
from formcheck.synth import RunnerParams
from formcheck.synth.gait_model import build_gait, leg_sagittal

OLD_LANDING = {"late_knee_extension": False, "landing_cushion_s": 0.0}  # the hovering knee and the rigid foot
GOOD = RunnerParams(**OLD_LANDING)
FORE = RunnerParams(foot_strike_angle_deg=-8.0, speed_mps=2.7, contact_time_s=0.2, **OLD_LANDING)
OVER = RunnerParams(
    foot_strike_angle_deg=18.0,
    shank_angle_ic_deg=14.0,
    knee_flexion_ic_deg=8.0,
    cadence_spm=160,
    **OLD_LANDING,
)
CUSHION_S = 0.04


def _knee(p: RunnerParams, t_from_contact_s: np.ndarray) -> dict[str, np.ndarray]:
    leg = leg_sagittal(build_gait(p), "left", p.first_contact_s + t_from_contact_s)
    leg["flex"] = 180.0 - joint_angle_deg(leg["hip"], leg["knee"], leg["ankle"])
    return leg


@pytest.mark.parametrize("p", [GOOD, FORE, OVER])
def test_rigid_foot_knee_jumps_at_contact(p: RunnerParams) -> None:
    """The rigid foot (``landing_cushion_s=0``, the default before issue 15's round): the knee flexes by more than 3
    deg in the first 5 ms of stance (>600 deg/s), the jump the cushioned landing removes."""
    flex = _knee(p, np.array([0.0, 0.005]))["flex"]
    assert flex[0] == pytest.approx(p.knee_flexion_ic_deg, abs=0.05)
    assert flex[1] - flex[0] > 3.0


@pytest.mark.parametrize("p", [GOOD, FORE, OVER])
def test_cushioned_knee_starts_flexing_smoothly(p: RunnerParams) -> None:
    """With the cushion the contact pose is exact, the knee leaves it at zero rate (under 0.5 deg in the first 5 ms,
    as the real landing knee: +1.6 deg at 17 ms through the pose model on the 60 fps labels) and meets the rigid
    foot's knee from ``landing_cushion_s`` on; the sole gives way by at most 15 mm and not at all afterwards."""
    cushioned = p.replace(landing_cushion_s=CUSHION_S)
    t = np.arange(0.0, p.contact_time_s, 0.001)
    soft, rigid = _knee(cushioned, t), _knee(p, t)
    assert soft["flex"][0] == pytest.approx(p.knee_flexion_ic_deg, abs=0.05)
    assert soft["flex"][5] - soft["flex"][0] < 0.5
    assert np.all(soft["flex"][: int(CUSHION_S * 1000)] <= rigid["flex"][: int(CUSHION_S * 1000)] + 1e-6)
    after = t >= CUSHION_S
    np.testing.assert_allclose(soft["flex"][after], rigid["flex"][after], atol=1e-6)
    sink_m = rigid["shoe"][..., 1].min(axis=-1) - soft["shoe"][..., 1].min(axis=-1)
    assert 0.003 < sink_m.max() <= 0.015
    assert np.abs(sink_m[after]).max() < 1e-9
    np.testing.assert_allclose(soft["sole_deg"], rigid["sole_deg"])


def test_cushion_keeps_the_swing_and_the_toe_off() -> None:
    """Only the first ``landing_cushion_s`` of each stance changes: the swing and the toe-off pose are the same."""
    p = GOOD.replace(landing_cushion_s=CUSHION_S)
    t = np.linspace(GOOD.contact_time_s, GOOD.stride_time_s, 50)
    for key in ("knee", "ankle", "heel", "toe"):
        np.testing.assert_allclose(_knee(p, t)[key], _knee(GOOD, t)[key], atol=1e-9)


@pytest.mark.parametrize("p", [GOOD, FORE, OVER])
def test_longest_cushion_builds_and_sinks_only_in_its_window(p: RunnerParams) -> None:
    """Half the contact time is allowed: the reach check is made on the rigid foot, not refused as "too long"."""
    longest = p.replace(landing_cushion_s=0.5 * p.contact_time_s)
    leg = _knee(longest, np.array([0.0, 0.6 * p.contact_time_s]))
    assert leg["flex"][0] == pytest.approx(p.knee_flexion_ic_deg, abs=0.05)
    np.testing.assert_allclose(leg["ankle"][1], _knee(p, np.array([0.6 * p.contact_time_s]))["ankle"][0])


@pytest.mark.parametrize("bad", [-0.01, 0.2])
def test_cushion_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(UsageError, match="landing_cushion_s"):
        RunnerParams(landing_cushion_s=bad)


def test_the_default_landing_is_the_realistic_one_and_the_old_one_stays_available() -> None:
    """Since issue 15's round the default runner lands with the late knee and a 0.04 s cushion; 0 (or None, as
    truth files written before spell it) is the rigid foot, the legs of before are one replace() away."""
    default = RunnerParams()
    assert default.late_knee_extension is True and default.landing_cushion_s == CUSHION_S
    assert RunnerParams(landing_cushion_s=None).landing_cushion_s == 0.0
    t = np.array([-0.067, 0.0, 0.005])
    new, old = _knee(default, t)["flex"], _knee(default.replace(**OLD_LANDING), t)["flex"]
    assert new[0] - new[1] > 15.0 and old[0] - old[1] < 10.0  # the knee still extending, not hovering
    assert new[2] - new[1] < 0.5 < old[2] - old[1]  # the cushion's smooth loading, not the rigid jump


def _mean_contact_error_frames(p: RunnerParams) -> float:
    """formcheck's contacts on the runner's exact landmarks minus the true ones, frames (mean over contacts)."""
    from formcheck.config import AnalysisSettings
    from formcheck.trajectory_analysis import analyze_trajectories
    from tests.fixtures.synthetic import synthetic_trajectories

    traj, truth = synthetic_trajectories(p)
    true_s = np.sort([t for ev in truth.events.values() for t in ev["contact_s"]])
    errors = []
    for step in analyze_trajectories(traj, AnalysisSettings()).events.steps:
        k = int(np.argmin(np.abs(true_s - step.contact_s)))
        if abs(true_s[k] - step.contact_s) < 0.15:
            errors.append((step.contact_s - true_s[k]) * p.fps)
    assert len(errors) >= 8
    return float(np.mean(errors))


@pytest.mark.slow
def test_real_landing_knee_removes_the_early_bias_at_120_fps() -> None:
    """On exact landmarks at 120 fps the default runner's contacts come 1.2 frames early (its knee hovers near its
    contact angle, then jumps: the smoothed knee minimum comes before the landing); cushioned, within a frame; with
    the late knee extension too, unbiased (over the contact set's three 120 fps runners -1.22, -0.77 and -0.06
    frames: benchmarks/exact_contact_bias.py)."""
    p = RunnerParams(
        short_side_px=480, crf=28, duration_s=3.0, fps=120, cadence_spm=172, seed=20, **OLD_LANDING
    )
    assert _mean_contact_error_frames(p) < -1.0
    assert -0.95 < _mean_contact_error_frames(p.replace(landing_cushion_s=CUSHION_S)) < -0.3
    both = p.replace(landing_cushion_s=CUSHION_S, late_knee_extension=True)
    assert abs(_mean_contact_error_frames(both)) < 0.3


@pytest.mark.parametrize("p", [GOOD, FORE, OVER])
def test_late_knee_extension_approaches_like_the_real_knee(p: RunnerParams) -> None:
    """The swing knee 67 ms before contact: the old runner's is within 10 deg of its contact angle (it hovers),
    the late extension's 15-25 deg above it, as the real landing knee (+14 deg through the pose model at 60 fps,
    filtered; the exact knee is sharper). The contact pose is the same."""
    t = np.array([-0.067, 0.0])
    rigid = _knee(p, t)["flex"]
    late = _knee(p.replace(late_knee_extension=True), t)["flex"]
    assert rigid[0] - rigid[1] < 10.0
    assert 15.0 < late[0] - late[1] < 25.0
    assert late[1] == pytest.approx(rigid[1], abs=1e-9)


def test_the_command_line_selects_the_landing_of_before() -> None:
    """``python -m formcheck.synth OUT --late_knee_extension false --landing_cushion_s 0`` renders the runner as
    before the switch (checked bit for bit against main's default render of the rear sample: identical MP4)."""
    from formcheck.synth.__main__ import build_parser

    args = build_parser().parse_args(
        ["out.mp4", "--late_knee_extension", "false", "--landing_cushion_s", "0"]
    )
    changes = {k: v for k, v in vars(args).items() if k != "out" and v is not None}
    assert RunnerParams(**changes) == RunnerParams(**OLD_LANDING)
    assert RunnerParams(**OLD_LANDING) != RunnerParams()
