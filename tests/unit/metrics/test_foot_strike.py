"""Foot-strike angle (metrics/foot_strike.py) on a hand-built foot whose strike angle is known: a rigid 100 px foot
lands at a given angle about its heel (rearfoot) or its toe (forefoot), lies flat, then leaves."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from formcheck.config import GaitSettings, Thresholds, UncertaintySettings
from formcheck.metrics import MetricContext
from formcheck.metrics.foot_strike import (
    FSA_BIAS_FIT_MAX_DEG,
    FSA_BIAS_GAIN,
    FSA_BIAS_OFFSET_DEG,
    STEP_DEVIATION_KEPT,
    WILD_PAIR_DIFFERENCE_DEG,
    correct_strike_bias,
    foot_strike_angle_deg,
    foot_strike_angles,
    foot_strike_type,
    raw_strike_angle_deg,
    runner_strike_angle_deg,
    step_classes,
    strike_class,
)
from formcheck.model import GaitEvents, MetricResult, Step, Trajectories, VideoInfo
from formcheck.skeleton import INDEX, N_LANDMARKS

FPS = 100.0
FOOT_PX = 100.0
GROUND_Y = 400.0
CONTACT_S = 0.10  # on a frame
TOE_OFF_S = 0.35


def _ctx(
    angle_deg: float, direction: int = 1, pivot: str = "heel", camera_drop_px: float = 0.0
) -> MetricContext:
    """A foot flat on the ground from 20 ms after contact to toe-off, at ``angle_deg`` (+ = toes up) about its
    ``pivot`` until then; ``camera_drop_px`` shifts the whole picture down by that much over the clip (a camera
    tilting up), which must not matter."""
    t = np.arange(0.0, 0.5, 1.0 / FPS)
    xy = np.full((t.size, N_LANDMARKS, 2), 300.0)
    for k, tk in enumerate(t):
        a = math.radians(angle_deg) if tk < CONTACT_S + 0.02 else 0.0
        shift = camera_drop_px * tk / t[-1]
        if pivot == "heel":
            heel = np.array([200.0, GROUND_Y])
            toe = heel + FOOT_PX * np.array([direction * math.cos(a), -math.sin(a)])
        else:
            toe = np.array([200.0 + direction * FOOT_PX, GROUND_Y])
            heel = toe - FOOT_PX * np.array([direction * math.cos(a), -math.sin(a)])
        if tk < CONTACT_S:  # still in the air, 30 px up
            heel, toe = heel - [0, 30], toe - [0, 30]
        xy[k, INDEX["left_heel"]] = heel + [0, shift]
        xy[k, INDEX["left_foot_index"]] = toe + [0, shift]
    video = VideoInfo(
        path="hand.mp4", width=640, height=480, fps=FPS, n_frames=t.size, duration_s=float(t[-1])
    )
    traj = Trajectories(xy_px=xy, visibility=np.ones((t.size, N_LANDMARKS)), time_s=t, video=video)
    steps = (Step("left", CONTACT_S, toe_off_s=TOE_OFF_S, midstance_s=0.2),)
    return MetricContext(
        traj=traj,
        events=GaitEvents(steps=steps, stride_time_s=0.7),
        view="side",
        direction=direction,
        leg_length_px=400.0,
        near_side="left",
        thresholds=Thresholds(),
        gait=GaitSettings(),
        uncertainty=UncertaintySettings(),
    )


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize(
    ("angle_deg", "pivot"), [(20.0, "heel"), (5.0, "heel"), (0.0, "heel"), (-8.0, "toe")]
)
def test_raw_angle_is_the_landing_angle(angle_deg: float, pivot: str, direction: int) -> None:
    ctx = _ctx(angle_deg, direction, pivot)
    raw = raw_strike_angle_deg(ctx, "left", CONTACT_S, TOE_OFF_S)
    assert raw == pytest.approx(angle_deg, abs=0.05)


def test_a_camera_that_tilts_during_the_stance_moves_the_angle_little() -> None:
    """Both points are measured above their own stance level, so a picture sliding down 10 px over the clip (2 px
    within the first frames of stance) changes a 20 deg heel strike by about a degree, not more."""
    raw = raw_strike_angle_deg(_ctx(20.0, camera_drop_px=10.0), "left", CONTACT_S, TOE_OFF_S)
    assert raw == pytest.approx(20.0, abs=1.5)


def test_correction_inverts_the_measured_compression() -> None:
    assert correct_strike_bias(FSA_BIAS_OFFSET_DEG) == pytest.approx(0.0)
    assert correct_strike_bias(FSA_BIAS_OFFSET_DEG + FSA_BIAS_GAIN * 18.0) == pytest.approx(18.0)
    # Beyond the steepest strike fitted (18 deg), a raw degree is a degree: no extrapolated gain.
    raw_18 = FSA_BIAS_OFFSET_DEG + FSA_BIAS_GAIN * FSA_BIAS_FIT_MAX_DEG
    assert correct_strike_bias(raw_18 + 10.0) == pytest.approx(28.0)
    # The rendered runner's medians read uncorrected (-3.3, 5.7, 14.8 deg) land in their true classes.
    th = Thresholds()
    ctx = _ctx(0.0)
    assert [strike_class(correct_strike_bias(v), ctx) for v in (-3.3, 5.7, 14.8)] == [
        "forefoot",
        "midfoot",
        "rearfoot",
    ]
    assert (
        correct_strike_bias(-3.3) < th.forefoot_below_deg < correct_strike_bias(5.7) < th.rearfoot_above_deg
    )


def test_per_step_angles_are_corrected_raw_angles() -> None:
    ctx = _ctx(20.0)
    assert foot_strike_angles(ctx) == [pytest.approx(correct_strike_bias(20.0), abs=0.1)]


def test_a_stance_without_frames_or_landmarks_gives_none() -> None:
    ctx = _ctx(20.0)
    assert raw_strike_angle_deg(ctx, "left", 0.6, 0.7) is None  # after the clip
    ctx.traj.xy_px[:, INDEX["left_heel"]] = np.nan
    assert raw_strike_angle_deg(ctx, "left", CONTACT_S, TOE_OFF_S) is None


# --- the strike type: each step read with the runner's other steps ---------------------------------------------


def _steps_ctx(readings: list[tuple[str, float | None]], overstride_flag: bool = False) -> MetricContext:
    """A context whose steps (side, corrected FSA) are given; the near leg is the left one."""
    steps = tuple(Step(side, 0.35 * k, toe_off_s=0.35 * k + 0.2) for k, (side, _) in enumerate(readings))
    ctx = dataclasses.replace(_ctx(0.0), events=GaitEvents(steps=steps, stride_time_s=0.7))
    ctx.shared["foot_strike_angles"] = [v for _, v in readings]
    if overstride_flag:
        ctx.done["overstride_distance"] = MetricResult(
            id="overstride_distance", value=35.0, unit="%leg", verdict="flag", evidence="E"
        )
    return ctx


def test_the_runner_angle_weighs_each_leg_the_same() -> None:
    near = np.array([True] * 8 + [False] * 3)
    values = np.array([4.0] * 8 + [23.0] * 3)
    assert runner_strike_angle_deg(values, near) == pytest.approx(13.5)
    assert runner_strike_angle_deg(values[:8], near[:8]) == pytest.approx(4.0)  # one leg only: its median
    assert 0.1 < STEP_DEVIATION_KEPT < 0.2  # 3.1^2 / (3.1^2 + 7.6^2)


def test_a_leg_with_two_readings_does_not_follow_one_wild_one() -> None:
    """A rendered heel striker (portrait, 60 fps) once read (-35.1, +19.7) on a leg with two valid steps: their
    mean took the runner from rearfoot (~17 deg) to midfoot (4.5 deg). Two readings 55 deg apart hold a wild one:
    the one nearer the other leg is kept. An ordinary pair keeps its mean (side_07: 24.8 and -5.9, 31 deg apart),
    and a leg with one or three readings its own median."""
    near = np.array([True] * 5 + [False] * 2)
    values = np.array([15.0, 16.0, 16.7, 17.5, 18.0, -35.1, 19.7])
    assert pytest.approx(32.2, abs=0.1) == WILD_PAIR_DIFFERENCE_DEG
    assert runner_strike_angle_deg(values, near) == pytest.approx((16.7 + 19.7) / 2)
    ordinary = np.array([15.0, 16.0, 16.7, 17.5, 18.0, 24.8, -5.9])
    assert runner_strike_angle_deg(ordinary, near) == pytest.approx((16.7 + 9.45) / 2)
    three = np.append(values, 20.0)
    assert runner_strike_angle_deg(three, np.append(near, False)) == pytest.approx((16.7 + 19.7) / 2)
    assert runner_strike_angle_deg(values[:6], near[:6]) == pytest.approx(
        (16.7 - 35.1) / 2
    )  # one reading: as read


@pytest.mark.parametrize(
    "low_deg,n_low,n_high,kind",
    [(0.0, 5, 4, "midfoot"), (0.0, 4, 5, "rearfoot"), (-0.8, 4, 7, "rearfoot"), (-0.8, 7, 4, "midfoot")],
)
def test_a_runner_on_the_heel_line_is_a_heel_striker_exactly_when_most_steps_land_heel_first(
    low_deg: float, n_low: int, n_high: int, kind: str
) -> None:
    """side_21's pattern: one leg reads ~0 deg, the other ~16, the runner's angle is on the rearfoot line (just
    above it, or just below with low_deg -0.8) and every step is indeterminate. The type follows the share of heel
    landings that its verdict is judged on, whichever side of the line the angle lies."""
    readings = [("left", low_deg + 0.1 * k) for k in range(n_low)]
    readings += [("right", 16.4 - 0.1 * k) for k in range(n_high)]
    res = foot_strike_type(_steps_ctx(readings))
    assert res.extra["per_step_counts"] == {"indeterminate": n_low + n_high}
    assert (res.extra["runner_angle_deg"] > 8.0) == (low_deg == 0.0)
    assert (res.extra["heel_landing_share_pct"] > 50.0) == (kind == "rearfoot")
    assert res.value == kind


def test_legs_reading_3_and_22_deg_are_one_heel_striker() -> None:
    """side_24's pattern: the near leg reads ~3 deg, the far one ~22 deg; both land on the heel (13 deg)."""
    readings = [
        (side, 3.0 + d if side == "left" else 22.0 - d)
        for d in (0.0, 1.5, -1.0, 2.0)
        for side in ("left", "right")
    ]
    classes, centre = step_classes(_steps_ctx(readings), [v for _, v in readings])
    assert centre == pytest.approx(12.5, abs=0.5)
    assert classes == ["rearfoot"] * 8
    res = foot_strike_type(_steps_ctx(readings, overstride_flag=True))
    assert (res.value, res.verdict) == ("rearfoot", "flag")
    assert res.extra["verdict_value"] == 100.0 and res.extra["verdict_interval"][0] > 50.0
    assert res.extra["runner_angle_deg"] == pytest.approx(12.5, abs=0.5)
    angle = foot_strike_angle_deg(_steps_ctx(readings))
    assert angle.value == pytest.approx(12.5, abs=1.0)  # both legs, not the near leg's 3 deg


def test_one_steep_reading_of_a_midfoot_runner_stays_midfoot_and_unmeasured_steps_stay_none() -> None:
    readings = [
        ("left", 3.0),
        ("right", 2.0),
        ("left", 14.0),
        ("right", 4.0),
        ("left", None),
        ("right", 1.0),
        ("left", 4.0),
    ]
    classes, centre = step_classes(_steps_ctx(readings), [v for _, v in readings])
    assert centre == pytest.approx(3.0)  # legs' medians 4 and 2
    assert classes == ["midfoot", "midfoot", "midfoot", "midfoot", None, "midfoot", "midfoot"]
    res = foot_strike_type(_steps_ctx(readings))
    assert (res.value, res.verdict, res.n_steps) == ("midfoot", "good", 6)
    assert "verdict_interval" not in res.extra  # judged on the foot angle's interval


def test_a_runner_on_the_rearfoot_line_is_borderline_not_flagged() -> None:
    """Legs reading about 4 and 14 deg: the runner's angle (9 deg) may lie either side of the 8 deg line, so the
    share of heel landings' interval reaches below one half; every step reads indeterminate."""
    near_leg, far_leg = [0.0, 2.0, 4.0, 6.0, 9.0], [10.0, 12.0, 14.0, 16.0, 19.0]
    readings = [
        (side, v) for n, f in zip(near_leg, far_leg, strict=True) for side, v in (("left", n), ("right", f))
    ]
    res = foot_strike_type(_steps_ctx(readings, overstride_flag=True))
    assert res.value == "rearfoot" and res.per_step == ("indeterminate",) * 10
    assert res.extra["verdict_interval"][0] <= 50.0 < res.extra["verdict_value"]
    assert res.verdict == "borderline"


def test_a_runner_whose_steps_are_mostly_unclear_takes_the_type_of_its_angle_not_of_one_decided_step() -> (
    None
):
    """Ten steps within a reading's error of the forefoot line and one far below it: the runner's angle (0.5 deg)
    is midfoot, and one decided step of eleven does not make a forefoot runner."""
    readings = [("left", 0.5)] * 5 + [("left", -40.0)] + [("right", 0.5)] * 5
    classes, centre = step_classes(_steps_ctx(readings), [v for _, v in readings])
    assert centre == pytest.approx(0.5)
    assert classes.count("indeterminate") == 10 and classes.count("forefoot") == 1
    assert foot_strike_type(_steps_ctx(readings)).value == "midfoot"


def test_no_measured_step_gives_no_type() -> None:
    res = foot_strike_type(_steps_ctx([("left", None), ("right", None)]))
    assert res.verdict == "n/a" and res.value is None


@pytest.mark.parametrize(
    "verdict,reach,strike",
    [
        ("flag", 35.1, "flag"),
        ("borderline", 32.6, "flag"),  # the value in the flag band, its interval reaching below the cut-off
        ("borderline", 28.0, "watch"),  # the value below the cut-off, its interval reaching above it
        ("watch", 27.0, "watch"),
        ("good", 10.0, "watch"),
    ],
)
def test_a_heel_strike_is_flagged_with_an_overstride_whose_value_is_in_the_flag_band(
    verdict: str, reach: float, strike: str
) -> None:
    from formcheck.metrics.foot_strike import _strike_verdict

    ctx = _ctx(15.0)
    ctx.done["overstride_distance"] = MetricResult(
        "overstride_distance", 20.0, "%leg", verdict, "H", extra={"verdict_value": reach}
    )
    assert _strike_verdict("rearfoot", ctx) == strike
    assert _strike_verdict("midfoot", ctx) == "good"
