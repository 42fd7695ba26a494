"""The synthetic runner: gait model invariants, truth equals the parameters, rendering, determinism."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from formcheck.errors import UsageError
from formcheck.synth import RunnerParams, compute_truth, landmarks_px, render_frames
from formcheck.synth.gait_model import U_FLAT, U_HEEL_RISE, build_gait, contact_times_s, leg_sagittal
from formcheck.synth.skeleton3d import body_points

GOOD = RunnerParams(
    cadence_spm=176, foot_strike_angle_deg=3, shank_angle_ic_deg=3, trunk_lean_deg=7, duration_s=3
)
OVER = RunnerParams(
    cadence_spm=160,
    foot_strike_angle_deg=18,
    shank_angle_ic_deg=14,
    knee_flexion_ic_deg=8,
    trunk_lean_deg=4,
    duration_s=3,
)
FORE = RunnerParams(foot_strike_angle_deg=-8, shank_angle_ic_deg=2, contact_time_s=0.19, duration_s=3)


def _truth(p: RunnerParams):
    t = np.arange(int(p.duration_s * p.fps)) / p.fps
    return compute_truth(p, t, landmarks_px(p, t))


@pytest.mark.parametrize("p", [GOOD, OVER, FORE])
def test_stance_foot_is_planted(p: RunnerParams) -> None:
    gait = build_gait(p)
    t_ic = contact_times_s(p, "left", 2.0, 0.5)[0]
    tau = np.linspace(0, 0.999 * p.contact_time_s, 200)
    leg = leg_sagittal(gait, "left", t_ic + tau)
    ground_ball_x = leg["ball"][:, 0] + p.speed_mps * tau  # treadmill frame -> ground frame
    # Planted once the landing cushion has given way (it sinks the foot by at most 15 mm before, test_landing.py).
    flat_on = (tau >= U_FLAT * p.contact_time_s) & (tau >= p.landing_cushion_s)
    assert np.ptp(ground_ball_x[flat_on]) < 1e-6
    assert np.all(np.abs(leg["ball"][flat_on, 1]) < 1e-6)
    if p.foot_strike_angle_deg > 0:  # the back of the sole stays put while the foot rolls down
        early = (
            (tau <= U_HEEL_RISE * p.contact_time_s) & (leg["sole_deg"] >= 0) & (tau >= p.landing_cushion_s)
        )
        sole_back = leg["shoe"][early, 1]  # outline point 1 is the back of the sole
        assert np.ptp(sole_back[:, 0] + p.speed_mps * tau[early]) < 1e-6
        assert np.all(np.abs(sole_back[:, 1]) < 1e-6)
    assert leg["stance"].all()


@pytest.mark.parametrize("p", [GOOD, OVER, FORE])
def test_swing_foot_stays_above_ground(p: RunnerParams) -> None:
    """Above the ground all stride long, but for the landing cushion's give (the shoe outline is rigid, so the
    compressing heel pad and midsole show as the sole sinking into the belt, at most 15 mm, for landing_cushion_s)."""
    t = np.linspace(0, 2, 2000)
    leg = leg_sagittal(build_gait(p), "right", t)
    lowest = np.minimum(leg["shoe"][..., 1].min(-1), leg["toe"][:, 1])
    since_contact = t[:, None] - np.array(contact_times_s(p, "right", 2.0, -1.0))[None, :]
    cushioning = ((since_contact >= 0) & (since_contact < p.landing_cushion_s)).any(axis=1)
    assert lowest[~cushioning].min() > -0.003
    assert lowest[cushioning].min() > -0.015


def test_contacts_alternate_and_match_cadence() -> None:
    left = contact_times_s(GOOD, "left", 3.0, 0.0)
    right = contact_times_s(GOOD, "right", 3.0, 0.0)
    both = sorted([(t, "L") for t in left] + [(t, "R") for t in right])
    sides = [s for _, s in both]
    assert all(a != b for a, b in zip(sides, sides[1:], strict=False))
    steps = np.diff([t for t, _ in both])
    np.testing.assert_allclose(60 / steps, 176.0)


@pytest.mark.parametrize("p", [GOOD, OVER, FORE])
def test_truth_metrics_equal_parameters(p: RunnerParams) -> None:
    s = _truth(p.replace(pelvic_drop_deg=0.0)).summary
    assert s["cadence_spm"] == pytest.approx(p.cadence_spm, abs=0.01)
    assert s["shank_angle_ic_deg"] == pytest.approx(p.shank_angle_ic_deg, abs=0.5)
    assert s["trunk_lean_deg"] == pytest.approx(p.trunk_lean_deg, abs=0.3)
    assert s["foot_strike_angle_deg"] == pytest.approx(p.foot_strike_angle_deg, abs=0.3)
    assert s["knee_flexion_ic_deg"] == pytest.approx(p.knee_flexion_ic_deg, abs=0.5)
    assert s["ground_contact_ms"] == pytest.approx(p.contact_time_s * 1000)
    assert s["vertical_oscillation_pct_leg"] == pytest.approx(p.vertical_oscillation_frac * 100, abs=0.3)
    assert s["arm_swing_deg"] == pytest.approx(p.arm_swing_deg, abs=1.0)
    assert s["elbow_angle_deg"] == pytest.approx(p.elbow_angle_deg, abs=1.0)


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_strike_types_and_overstride_order() -> None:
    good, over, fore = (_truth(p).summary for p in (GOOD, OVER, FORE))
    assert (good["foot_strike_type"], over["foot_strike_type"], fore["foot_strike_type"]) == (
        "midfoot",
        "rearfoot",
        "forefoot",
    )
    assert over["overstride_pct_leg"] > good["overstride_pct_leg"] + 5


@pytest.mark.parametrize("view", ["rear", "front"])
def test_frontal_truth_pelvic_drop(view: str) -> None:
    p = RunnerParams(view=view, pelvic_drop_deg=9.0, lateral_trunk_lean_deg=3.0, duration_s=3)
    tr = _truth(p)
    assert tr.summary["pelvic_tilt_deg"] == pytest.approx(9.0, abs=0.3)
    assert tr.summary["lateral_trunk_lean_deg"] == pytest.approx(3.0, abs=0.5)
    assert tr.summary["base_of_support_ld"] > 0
    assert [st["side"] for st in tr.steps[:4]] == ["left", "right", "left", "right"]


def test_pelvic_drop_lowers_swing_hip_at_midstance() -> None:
    p = RunnerParams(view="rear", pelvic_drop_deg=9.0)
    t_ms = contact_times_s(p, "left", 2.0, 0.5)[0] + p.contact_time_s / 2
    pts = body_points(p, np.array([t_ms]))
    assert pts["right_hip"][0, 1] < pts["left_hip"][0, 1]  # swing (right) hip lower, Y up


def test_mirrored_direction() -> None:
    right = landmarks_px(GOOD, [0.3], roll=False)[0]
    left = landmarks_px(GOOD.replace(direction="left"), [0.3], roll=False)[0]
    w = GOOD.size_px[0]
    # same pose seen from the other side: mirrored, up to the perspective of near and far limbs
    np.testing.assert_allclose(right[:, 1], left[:, 1], atol=6.0)
    np.testing.assert_allclose(right[:, 0] - w / 2, -(left[:, 0] - w / 2), atol=6.0)
    tr = _truth(GOOD.replace(direction="left"))
    assert tr.summary["shank_angle_ic_deg"] == pytest.approx(GOOD.shank_angle_ic_deg, abs=0.5)
    assert tr.summary["trunk_lean_deg"] == pytest.approx(GOOD.trunk_lean_deg, abs=0.3)


def test_rendering_size_count_and_determinism() -> None:
    p = RunnerParams(duration_s=0.5, fps=30, orientation="portrait", keypoint_noise_px=1.0, seed=3)
    r, frames = render_frames(p)
    assert len(frames) == 15 and r.n_frames == 15
    assert frames[0].shape == (640, 480, 3) and frames[0].dtype == np.uint8
    _, again = render_frames(p)
    assert all(np.array_equal(a, b) for a, b in zip(frames, again, strict=True))
    _, other = render_frames(p.replace(seed=4))
    assert not np.array_equal(frames[0], other[0])


def test_roll_rotates_landmarks_not_metrics() -> None:
    rolled = GOOD.replace(roll_deg=3.0)
    a = landmarks_px(GOOD, [0.4])[0]
    b = landmarks_px(rolled, [0.4])[0]
    assert np.abs(a - b).max() > 2
    assert _truth(rolled).summary["trunk_lean_deg"] == pytest.approx(7.0, abs=0.3)


def test_invalid_params_raise() -> None:
    with pytest.raises(UsageError):
        RunnerParams(view="top")
    with pytest.raises(UsageError):
        RunnerParams(contact_time_s=0.4, cadence_spm=180)
    with pytest.raises(UsageError):
        build_gait(RunnerParams(speed_mps=5.0, contact_time_s=0.25))


def test_render_clip_writes_video_and_truth(tmp_path) -> None:
    from formcheck.synth import load_truth, render_clip
    from formcheck.video import probe_video

    p = RunnerParams(duration_s=1.0, fps=30)
    render_clip(p, tmp_path / "c.mp4")
    info = probe_video(str(tmp_path / "c.mp4"))
    assert (info.width, info.height, info.n_frames) == (640, 480, 30)
    data = load_truth(tmp_path / "c.truth.json")
    assert data["frames"]["landmarks_px"].shape == (30, 33, 2)
    assert data["events"]["left"]["contact_s"][0] == pytest.approx(p.first_contact_s, abs=1e-4)


def _swing(p: RunnerParams, side: str = "left", n: int = 400) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Times strictly inside one swing of ``side`` (toe-off to the next contact) and the leg there."""
    t_ic = contact_times_s(p, side, 3.0, 1.0)[0]
    t = t_ic - p.swing_time_s + np.linspace(1e-4, p.swing_time_s - 1e-4, n)
    return t, leg_sagittal(build_gait(p), side, t)


@pytest.mark.parametrize("p", [GOOD, OVER, FORE])
def test_swing_foot_lands_moving_forward_and_down_like_a_real_one(p: RunnerParams) -> None:
    """Swing-leg retraction (RunnerParams.touchdown_forward_frac): the heel lands moving forward relative to the
    ground at 30% of the running speed (back relative to the hips at 70% of the belt speed) and downward at about
    1 m/s, instead of at rest relative to the hips (forward at the full belt speed, falling only with the hips)."""
    p = p.replace(touchdown_forward_frac=0.3)
    gait = build_gait(p)
    t_ic = contact_times_s(p, "left", 3.0, 1.0)[0]
    dt = 1e-5  # the late knee decelerates into contact: a 0.1 ms difference reads it 0.02 m/s fast
    heel = leg_sagittal(gait, "left", np.array([t_ic - 2 * dt, t_ic - dt]))["heel"]
    forward_mps, up_mps = (heel[1] - heel[0]) / dt + np.array([p.speed_mps, 0.0])  # treadmill -> ground frame
    assert forward_mps == pytest.approx(0.3 * p.speed_mps, abs=0.02)
    assert -1.4 < up_mps < -0.9


@pytest.mark.parametrize("frac", [0.0, 0.6, 1.0])
def test_touchdown_forward_speed_is_a_parameter(frac: float) -> None:
    """``touchdown_forward_frac``: 0 lands the heel still relative to the ground, 1 at rest relative to the hips
    (forward at the full belt speed); the contact pose and times do not move."""
    p = GOOD.replace(touchdown_forward_frac=frac)
    gait = build_gait(p)
    t_ic = contact_times_s(p, "left", 3.0, 1.0)[0]
    dt = 1e-5
    heel = leg_sagittal(gait, "left", np.array([t_ic - 2 * dt, t_ic - dt, t_ic]))["heel"]
    assert (heel[1, 0] - heel[0, 0]) / dt + p.speed_mps == pytest.approx(frac * p.speed_mps, abs=0.02)
    assert heel[2] == pytest.approx(
        leg_sagittal(build_gait(GOOD), "left", np.array([t_ic]))["heel"][0], abs=1e-9
    )


def test_the_default_swing_is_the_original_one_landing_at_rest_relative_to_the_hips() -> None:
    """``touchdown_forward_frac=None`` (the default, on which the rendered known answers were calibrated): the swing
    curves end with zero slope, so the heel moves with the hips (forward at the belt speed) as it lands."""
    assert RunnerParams().touchdown_forward_frac is None
    t_ic = contact_times_s(GOOD, "left", 3.0, 1.0)[0]
    dt = 1e-4
    heel = leg_sagittal(build_gait(GOOD), "left", np.array([t_ic - 2 * dt, t_ic - dt]))["heel"]
    assert (heel[1, 0] - heel[0, 0]) / dt == pytest.approx(0.0, abs=0.05)


def test_touchdown_forward_frac_outside_0_1_is_refused() -> None:
    with pytest.raises(UsageError, match="touchdown_forward_frac must be in 0..1"):
        GOOD.replace(touchdown_forward_frac=1.5)


@pytest.mark.parametrize("p", [GOOD, OVER, FORE])
def test_swing_thigh_retracts_and_knee_settles_without_overshoot(p: RunnerParams) -> None:
    """The thigh swings forward to its peak, then back onto the contact pose without passing it; the knee extends
    onto its contact flexion from above and never hyperextends."""
    p = p.replace(touchdown_forward_frac=0.3)
    t, leg = _swing(p)
    thigh = np.degrees(np.arctan2(leg["knee"][:, 0] - leg["hip"][:, 0], leg["hip"][:, 1] - leg["knee"][:, 1]))
    shank = np.degrees(
        np.arctan2(leg["ankle"][:, 0] - leg["knee"][:, 0], leg["knee"][:, 1] - leg["ankle"][:, 1])
    )
    knee = thigh - shank
    peak = int(np.argmax(thigh))
    thigh_ic = p.shank_angle_ic_deg + p.knee_flexion_ic_deg
    assert np.all(np.diff(thigh[peak:]) < 1e-9)  # retraction: monotone back to the contact angle
    assert thigh[-1] == pytest.approx(thigh_ic, abs=0.1) and thigh[peak] > thigh_ic + 5
    late = t > t[-1] - 0.1 * p.swing_time_s
    assert np.all(np.diff(knee[late]) < 1e-9) and knee[late].min() >= p.knee_flexion_ic_deg - 0.05
    assert knee.min() > 0 and knee.max() <= 140.5


def test_swing_foot_never_below_ground_across_runners() -> None:
    """Every runner with a flight of at least 50 ms (a run, not a shuffle): speeds 2.2-4.5 m/s, 150-195 steps/min,
    contacts 0.18-0.28 s, forefoot to heavy heel strikes, shank -2 to 14 deg, knee 8-28 deg at contact. The knee folds
    further in mid-swing where the curves alone would let the toe scrape (gait_model.MIN_CLEARANCE_M)."""
    checked = 0
    for speed, cadence, contact, strike, shank, knee in itertools.product(
        (2.2, 3.0, 4.5), (150, 170, 195), (0.18, 0.28), (-15, 3, 18), (-2, 14), (8, 28)
    ):
        if 60.0 / cadence - contact < 0.05:
            continue
        try:
            p = RunnerParams(
                speed_mps=speed,
                cadence_spm=cadence,
                contact_time_s=contact,
                foot_strike_angle_deg=strike,
                shank_angle_ic_deg=shank,
                knee_flexion_ic_deg=knee,
                touchdown_forward_frac=0.3,
            )
            _, leg = _swing(p, n=120)
        except UsageError:
            continue  # a stance too long for the leg
        assert leg["shoe"][..., 1].min() > -1e-6, p
        checked += 1
    assert checked >= 90
