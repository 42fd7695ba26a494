"""A parametric running gait: pure functions from ``RunnerParams`` and times to 3D joint positions.

Frame: metres, X forward, Y up (ground Y = 0), Z to the runner's right, moving with the runner (treadmill frame:
the hip centre stays near X = 0, the ground moves back at ``speed_mps``).

Stance: the contact point is fixed on the ground (it moves back at belt speed in this frame). The foot rotates
about the heel while toes-up, lies flat, then rotates about the ball of the foot (toes stay flat) until toe-off.
The knee follows from two-link inverse kinematics. The contact pose is built from the requested shank angle and
knee flexion, so those, the foot-strike angle and the trunk lean are exact. Swing: hip angle, knee flexion and ankle
plantarflexion follow cubic Hermite curves from the toe-off pose to the contact pose. By default they end with zero
slope, so the foot comes to rest relative to the hips as it lands (with the old knee, ``late_knee_extension=False``,
it also skimmed just above the ground before it landed). With
``RunnerParams.touchdown_forward_frac`` set they end in swing-leg retraction: the foot lands moving forward relative
to the ground at that fraction of the running speed and down at about 1 m/s (``touchdown_slopes``), as a real foot
does. ``RunnerParams.late_knee_extension`` moves the swing knee's last knot later (``LATE_KNEE_KNOT``) and
``RunnerParams.landing_cushion_s`` lets the stance knee leave its contact angle smoothly (``cushion_sink_m``): the
real landing knee (docs/contacts.md "How the rendered runner lands"), both on by default since issue 15's round.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicHermiteSpline
from scipy.optimize import brentq

from formcheck.errors import UsageError
from formcheck.synth.params import Body, RunnerParams

SIDE_SIGN = {"left": -1.0, "right": 1.0}  # Z sign of each side

# Foot shape (metres, for a 1.75 m runner), sole frame: origin at the back of the sole, x forward, y up.
HEEL_LM = np.array([0.004, 0.035])  # BlazePose "heel": back of the heel
ANKLE = np.array([0.07, 0.095])
BALL = np.array([0.195, 0.0])  # ball of the foot: the pivot in late stance
TOE_LM = np.array([0.09, 0.015])  # toe tip, relative to the ball, in the toe segment's frame
# Shoe outline: rear part in the sole frame, front part in the toe frame (relative to the ball).
SHOE_REAR = np.array(
    [[0.195, 0.0], [0.0, 0.0], [-0.012, 0.03], [-0.004, 0.085], [0.05, 0.115], [0.165, 0.068]]
)
SHOE_FRONT = np.array([[0.0, 0.055], [0.06, 0.04], [0.093, 0.018], [0.085, 0.0], [0.0, 0.0]])

# Mid-swing toe clearance: where the swing curves would bring the shoe within MIN_CLEARANCE_M of the ground, the
# knee folds further, 5 deg at a time up to MAX_SWING_KNEE_DEG (the heel at the buttock). Both engineering choices
# (H): without them 204 of 1052 runners on a grid of speeds, cadences, contact times and contact poses scraped the
# ground mid-swing by up to 4.6 cm (docs/synthetic_runner.md).
MIN_CLEARANCE_M = 0.02
MAX_SWING_KNEE_DEG = 140.0

U_FLAT = 0.15  # fraction of stance when the foot is flat after contact
U_HEEL_RISE = 0.55  # fraction of stance when the heel starts to rise


def _rot(v: np.ndarray, ang_rad: np.ndarray | float) -> np.ndarray:
    """Rotate 2D vectors (..., 2) counter-clockwise (x forward, y up) by ``ang_rad``."""
    c, s = np.cos(ang_rad), np.sin(ang_rad)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


@dataclass(frozen=True)
class FootPose:
    """A foot's 2D sagittal pose: the rear-foot (sole) angle, the toe-segment angle and where the sole origin is."""

    sole_origin: np.ndarray  # (..., 2)
    sole_deg: np.ndarray
    toe_deg: np.ndarray
    scale: float

    def point(self, local: np.ndarray) -> np.ndarray:
        return self.sole_origin + _rot(local * self.scale, np.radians(self.sole_deg))

    @property
    def ball(self) -> np.ndarray:
        return self.point(BALL)

    def toe_point(self, local: np.ndarray) -> np.ndarray:
        return self.ball + _rot(local * self.scale, np.radians(self.toe_deg))

    @property
    def ankle(self) -> np.ndarray:
        return self.point(ANKLE)

    @property
    def heel(self) -> np.ndarray:
        return self.point(HEEL_LM)

    @property
    def toe(self) -> np.ndarray:
        return self.toe_point(TOE_LM)


def foot_from_ankle(ankle: np.ndarray, sole_deg: np.ndarray, toe_deg: np.ndarray, scale: float) -> FootPose:
    origin = ankle - _rot(ANKLE * scale, np.radians(sole_deg))
    return FootPose(origin, np.asarray(sole_deg, float), np.asarray(toe_deg, float), scale)


def foot_angle_deg(heel: np.ndarray, toe: np.ndarray) -> np.ndarray:
    """METRICS.md 4.4 FA in the sagittal frame (x forward, y up): + = toes higher than heel."""
    d = toe - heel
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


FLAT_FOOT_ANGLE_DEG = float(foot_angle_deg(HEEL_LM, BALL + TOE_LM))


def _stance_toe_deg(sole_deg: np.ndarray) -> np.ndarray:
    """Toes lie flat on the ground whenever the heel is up; rigid with the foot while toes-up."""
    return np.maximum(sole_deg, 0.0)


def sole_angle_for_strike(strike_deg: float) -> float:
    """Sole angle at contact that gives the requested heel-to-toe-tip angle relative to a flat foot."""

    def err(sole: float) -> float:
        pose = FootPose(np.zeros(2), np.array(sole), _stance_toe_deg(np.array(sole)), 1.0)
        return float(foot_angle_deg(pose.heel, pose.toe)) - FLAT_FOOT_ANGLE_DEG - strike_deg

    return strike_deg if strike_deg >= 0 else float(brentq(err, -60.0, 0.0))


def _ik_knee(hip: np.ndarray, ankle: np.ndarray, thigh: float, shank: float) -> np.ndarray:
    """Knee position (knee forward, +x) from hip and ankle; the reach is clamped to a straight leg."""
    d_vec = ankle - hip
    d = np.clip(np.linalg.norm(d_vec, axis=-1), abs(thigh - shank) + 1e-9, (thigh + shank) * (1 - 1e-9))
    u = d_vec / np.linalg.norm(d_vec, axis=-1, keepdims=True)
    alpha = np.arccos(np.clip((thigh**2 + d**2 - shank**2) / (2 * thigh * d), -1, 1))
    return hip + thigh * _rot(u, alpha)


def _down_angle_deg(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Angle from the downward vertical of top->bottom, + = bottom ahead (x forward, y up)."""
    d = bottom - top
    return np.degrees(np.arctan2(d[..., 0], -d[..., 1]))


@dataclass(frozen=True)
class Gait:
    """The gait's fixed quantities, derived once from the params."""

    params: RunnerParams
    body: Body
    hip_y_mean_m: float
    ball_x_ic_m: float  # ball's x relative to the hip at contact
    sole_ic_deg: float
    swing_thigh: CubicHermiteSpline
    swing_knee: CubicHermiteSpline
    swing_plantar: CubicHermiteSpline
    toe_off_sole_deg: float = 0.0

    @property
    def vo_amp_m(self) -> float:
        return self.params.vertical_oscillation_frac * self.body.leg_m


def contact_times_s(params: RunnerParams, side: str, t_end_s: float, t_start_s: float = -2.0) -> np.ndarray:
    """Every contact time of one foot in [t_start_s, t_end_s]; right contacts half a stride after left ones."""
    t0 = params.first_contact_s + (params.step_time_s if side == "right" else 0.0)
    n0 = int(np.floor((t_start_s - t0) / params.stride_time_s))
    n1 = int(np.ceil((t_end_s - t0) / params.stride_time_s))
    t = t0 + np.arange(n0, n1 + 1) * params.stride_time_s
    return t[(t >= t_start_s) & (t <= t_end_s)]


def hip_height_m(gait: Gait, t_s: np.ndarray) -> np.ndarray:
    """Hip joint height: lowest at each midstance (twice per stride)."""
    p = gait.params
    t_mid = p.first_contact_s + p.contact_time_s / 2
    return gait.hip_y_mean_m - gait.vo_amp_m / 2 * np.cos(2 * np.pi * (t_s - t_mid) / p.step_time_s)


def _sole_deg_stance(gait: Gait, u: np.ndarray) -> np.ndarray:
    p = gait.params
    early = gait.sole_ic_deg * (1 - _smoothstep(u / U_FLAT))
    late_x = np.clip((u - U_HEEL_RISE) / (1 - U_HEEL_RISE), 0, 1)
    late = p.toe_off_foot_angle_deg * late_x**2
    return np.where(u < U_FLAT, early, np.where(u > U_HEEL_RISE, late, 0.0))


# ``RunnerParams.late_knee_extension``: the swing knee's last knot (swing fraction, deg above the contact angle, slope
# in deg per unit swing fraction), after which it extends into contact at ~300 deg/s. Chosen so that the knee's
# approach, filtered as the detector reads it, lies between the real references (docs/contacts.md "How the rendered
# runner lands": the 60 fps labels +32 deg 100 ms before contact and +7 at 50 ms, the 30 fps pool +12 and +2 at 100
# and 67 ms; this knot (with the cushion) +23 / +5 and +19 / +5; the original one +8 / -2 and +4 / -5).
LATE_KNEE_KNOT = (0.88, 15.0, -150.0)

MAX_REACH = 0.985  # the stance leg never straightens beyond this fraction of its length (knee ~20 deg)


def _foot_on_ball(ball: np.ndarray, sole_deg: np.ndarray, scale: float) -> FootPose:
    origin = ball - _rot(BALL * scale, np.radians(sole_deg))
    return FootPose(origin, sole_deg, _stance_toe_deg(sole_deg), scale)


def _heel_raise_for_reach(gait: Gait, hip: np.ndarray, ball: np.ndarray) -> np.ndarray:
    """Largest sole angle (least heel raise, <= 0) that keeps the hip-ankle distance within reach."""
    b = gait.body
    r_max = MAX_REACH * b.leg_m
    lo = np.full(hip.shape[:-1], -85.0)
    hi = np.zeros(hip.shape[:-1])
    for _ in range(40):
        mid = (lo + hi) / 2
        ok = np.linalg.norm(_foot_on_ball(ball, mid, b.scale).ankle - hip, axis=-1) <= r_max
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    ok0 = np.linalg.norm(_foot_on_ball(ball, np.zeros_like(lo), b.scale).ankle - hip, axis=-1) <= r_max
    return np.where(ok0, 0.0, lo)


def _stance_leg(gait: Gait, tau_s: np.ndarray, t_s: np.ndarray) -> dict[str, np.ndarray]:
    """Sagittal leg during stance; ``tau_s`` is time since contact (0..contact_time_s)."""
    p, b = gait.params, gait.body
    u = tau_s / p.contact_time_s
    ball_x = gait.ball_x_ic_m - p.speed_mps * tau_s
    ball = np.stack([ball_x, np.zeros_like(ball_x)], axis=-1)
    hip = np.stack([np.zeros_like(t_s), hip_height_m(gait, t_s)], axis=-1)
    sole = _sole_deg_stance(gait, u)
    late = u >= U_FLAT
    sole = np.where(late, np.minimum(sole, _heel_raise_for_reach(gait, hip, ball)), sole)
    # Toes-up: pivot on the heel (the sole origin stays where it was when the foot was flat).
    origin_heel_pivot = ball - np.array([BALL[0] * b.scale, 0.0])
    origin = np.where(
        (sole > 0)[..., None], origin_heel_pivot, _foot_on_ball(ball, sole, b.scale).sole_origin
    )
    foot = FootPose(origin, sole, _stance_toe_deg(sole), b.scale)
    if p.landing_cushion_s:
        sink = cushion_sink_m(gait, tau_s, hip, foot.ankle)
        foot = dataclasses.replace(
            foot, sole_origin=foot.sole_origin - sink[..., None] * np.array([0.0, 1.0])
        )
    knee = _ik_knee(hip, foot.ankle, b.thigh_m, b.shank_m)
    return {"hip": hip, "knee": knee, "ankle": foot.ankle, "sole_deg": sole, "toe_deg": foot.toe_deg}


def _knee_flexion_for_reach_deg(gait: Gait, reach_m: np.ndarray) -> np.ndarray:
    """Knee flexion (deg) of a two-link leg whose hip-ankle distance is ``reach_m`` (law of cosines)."""
    a, b = gait.body.thigh_m, gait.body.shank_m
    cos_flex = (reach_m**2 - a * a - b * b) / (2 * a * b)
    return np.degrees(np.arccos(np.clip(cos_flex, -1.0, 1.0)))


def _reach_for_knee_flexion_m(gait: Gait, flex_deg: np.ndarray) -> np.ndarray:
    a, b = gait.body.thigh_m, gait.body.shank_m
    return np.sqrt(a * a + b * b + 2 * a * b * np.cos(np.radians(flex_deg)))


def cushion_sink_m(gait: Gait, tau_s: np.ndarray, hip: np.ndarray, rigid_ankle: np.ndarray) -> np.ndarray:
    """How far (m, >= 0) the planted foot sinks below its rigid position ``tau_s`` after contact, so that the knee
    flexes smoothly from its contact angle (``RunnerParams.landing_cushion_s``, where the sources are).

    With a rigid foot the knee follows from the hip-ankle distance alone, and near a straight leg that distance
    shrinks fastest at touchdown (the hips fall and pass over the planted foot), so the knee jumps from rest to
    800-2000 deg/s (docs/contacts.md "How the rendered runner lands"). Here the knee's flexion blends from the
    contact angle into the rigid one over ``landing_cushion_s`` with a smoothstep in time (zero rate at contact,
    as the swing ends), and the ankle moves down by what keeps the hip-ankle distance to that knee: the heel pad and
    the shoe's midsole compressing under the impact."""
    p = gait.params
    w = _smoothstep(np.asarray(tau_s, float) / p.landing_cushion_s)
    d_vec = rigid_ankle - hip
    reach = np.linalg.norm(d_vec, axis=-1)
    flex_ic = p.knee_flexion_ic_deg
    flex = flex_ic + (_knee_flexion_for_reach_deg(gait, reach) - flex_ic) * w
    want = np.maximum(_reach_for_knee_flexion_m(gait, flex), reach)
    # The ankle moves straight down (the sole stays level with itself) until its distance from the hip is ``want``.
    dx, dy = d_vec[..., 0], d_vec[..., 1]
    return np.maximum(0.0, np.sqrt(np.maximum(want**2 - dx**2, 0.0)) + dy)


def _joint_angles(leg: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    thigh = _down_angle_deg(leg["hip"], leg["knee"])
    shank = _down_angle_deg(leg["knee"], leg["ankle"])
    return thigh, thigh - shank, shank - leg["sole_deg"]


@lru_cache(maxsize=64)
def build_gait(params: RunnerParams) -> Gait:
    """Solve the contact pose and the swing curves for ``params``."""
    p, b = params, Body(params.height_m)
    shank = np.radians(p.shank_angle_ic_deg)
    thigh = shank + np.radians(p.knee_flexion_ic_deg)
    ankle_rel = np.array(
        [
            b.thigh_m * np.sin(thigh) + b.shank_m * np.sin(shank),
            -(b.thigh_m * np.cos(thigh) + b.shank_m * np.cos(shank)),
        ]
    )
    sole_ic = sole_angle_for_strike(p.foot_strike_angle_deg)
    foot0 = foot_from_ankle(np.zeros(2), np.array(sole_ic), _stance_toe_deg(np.array(sole_ic)), b.scale)
    lowest = min(
        foot0.point(np.array([0.0, 0.0]))[1], foot0.ball[1], foot0.toe_point(np.array([0.085, 0.0]))[1]
    )
    hip_y_ic = -ankle_rel[1] - lowest  # contact point on the ground
    # The ball's ground point for the whole stance: where it lands once the foot is flat (heel pivot) or where it
    # touches down (toes-down contact).
    ball_x_ic = ankle_rel[0] + (foot0.sole_origin[0] + BALL[0] * b.scale if sole_ic > 0 else foot0.ball[0])
    vo = p.vertical_oscillation_frac * b.leg_m
    t_mid_rel = -p.contact_time_s / 2
    hip_y_mean = hip_y_ic + vo / 2 * np.cos(2 * np.pi * t_mid_rel / p.step_time_s)
    stub = Gait(p, b, float(hip_y_mean), float(ball_x_ic), sole_ic, None, None, None)  # type: ignore[arg-type]

    # Stance joint angles and slopes at contact and toe-off, for the swing curves.
    t0 = p.first_contact_s
    taus = np.array([0.0, 0.0, p.contact_time_s, p.contact_time_s])
    _check_reach(stub)
    stance = _stance_leg(stub, taus, t0 + taus)
    th, kn, pl = _joint_angles(stance)
    thigh_ic = np.degrees(thigh)
    kf_ic = p.knee_flexion_ic_deg
    if p.touchdown_forward_frac is None:
        return _original_swing(
            p, b, float(hip_y_mean), float(ball_x_ic), sole_ic, thigh_ic, th, kn, pl, stance
        )
    thigh_end, knee_end, plantar_end = touchdown_slopes(stub, thigh, shank)
    swing_thigh = CubicHermiteSpline(
        [0.0, 0.75, 1.0], [th[3], thigh_ic + 10.0, thigh_ic], [0.0, 0.0, thigh_end]
    )
    swing_plantar = CubicHermiteSpline(
        [0.0, 0.35, 0.7, 1.0], [pl[3], 10.0, -20.0, pl[0]], [0.0, -40.0, 0.0, plantar_end]
    )
    knee_peak = 105.0 + 40.0 * (p.speed_mps - 3.0) / 3.0
    late_u, late_deg, late_slope = LATE_KNEE_KNOT if p.late_knee_extension else (0.9, 6.0, -100.0)
    while True:  # fold the knee further where the foot would scrape the ground mid-swing
        swing_knee = CubicHermiteSpline(
            [0.0, 0.5, late_u, 1.0],
            [kn[3], knee_peak, kf_ic + late_deg, kf_ic],
            [150.0, 0.0, late_slope, knee_end],
        )
        gait = Gait(
            p, b, float(hip_y_mean), float(ball_x_ic), sole_ic, swing_thigh, swing_knee, swing_plantar
        )
        if knee_peak >= MAX_SWING_KNEE_DEG or swing_clearance_m(gait) >= MIN_CLEARANCE_M * b.scale:
            break
        knee_peak += 5.0
    return dataclasses.replace(gait, toe_off_sole_deg=float(stance["sole_deg"][3]))


def _original_swing(
    p: RunnerParams,
    b: Body,
    hip_y_mean: float,
    ball_x_ic: float,
    sole_ic: float,
    thigh_ic: float,
    th: np.ndarray,
    kn: np.ndarray,
    pl: np.ndarray,
    stance: dict[str, np.ndarray],
) -> Gait:
    """The original swing (``touchdown_forward_frac=None``): curves with zero slope at contact, so the foot comes to
    rest relative to the hips and skims just above the ground before it lands."""
    kf_ic = p.knee_flexion_ic_deg
    swing_thigh = CubicHermiteSpline([0.0, 0.78, 1.0], [th[3], thigh_ic + 7.0, thigh_ic], [0.0, 0.0, 0.0])
    knee_peak = 105.0 + 40.0 * (p.speed_mps - 3.0) / 3.0
    late_u, late_deg, late_slope = LATE_KNEE_KNOT if p.late_knee_extension else (0.85, 10.0, -60.0)
    swing_knee = CubicHermiteSpline(
        [0.0, 0.47, late_u, 1.0], [kn[3], knee_peak, kf_ic + late_deg, kf_ic], [150.0, 0.0, late_slope, 0.0]
    )
    swing_plantar = CubicHermiteSpline(
        [0.0, 0.35, 0.65, 1.0], [pl[3], 10.0, -15.0, pl[0]], [0.0, -40.0, 0.0, 0.0]
    )
    sole_to = float(stance["sole_deg"][3])
    return Gait(p, b, hip_y_mean, ball_x_ic, sole_ic, swing_thigh, swing_knee, swing_plantar, sole_to)


def swing_clearance_m(gait: Gait) -> float:
    """Lowest point of the shoe above the ground over the middle of the swing (10-90%), metres."""
    p = gait.params
    u = np.linspace(0.1, 0.9, 81)
    t_s = p.first_contact_s + p.contact_time_s + u * p.swing_time_s
    leg = _swing_leg(gait, u * p.swing_time_s, t_s)
    foot = foot_from_ankle(leg["ankle"], leg["sole_deg"], leg["toe_deg"], gait.body.scale)
    shoe = np.concatenate([_pts(foot.point, SHOE_REAR), _pts(foot.toe_point, SHOE_FRONT)], axis=-2)
    return float(shoe[..., 1].min())


def touchdown_slopes(gait: Gait, thigh_rad: float, shank_rad: float) -> tuple[float, float, float]:
    """End slopes (degrees per unit of swing fraction) of the thigh, knee and plantarflexion curves at touchdown.

    Swing-leg retraction: the thigh swings back before the foot lands, so the ankle moves back relative to the hips
    at (1 - ``touchdown_forward_frac``) of the running speed and lands still moving forward relative to the ground
    at ``touchdown_forward_frac`` of it (``RunnerParams``, where its sources are). The knee holds its angle at touchdown (it is near its most extended in late swing
    and starts to flex in the stance) and the sole does not rotate (the stance's sole angle has zero slope at
    contact), so thigh, shank and foot turn together: the ankle at thigh * (sin a, -cos a) + shank * (sin b, -cos b)
    moves at a' * (thigh cos a + shank cos b, thigh sin a + shank sin b). The downward speed follows: the hips'
    descent plus the retraction's, about 1 m/s at the default.
    """
    p, b = gait.params, gait.body
    backward_mps = (1.0 - p.touchdown_forward_frac) * p.speed_mps
    rate_rad_s = -backward_mps / (b.thigh_m * np.cos(thigh_rad) + b.shank_m * np.cos(shank_rad))
    rate = float(np.degrees(rate_rad_s) * p.swing_time_s)  # degrees per unit swing fraction
    return rate, 0.0, rate


def _check_reach(gait: Gait) -> None:
    """Refuse a stance the leg cannot reach, judged on the rigid foot (a cushioned landing's foot gives way, so
    its hip-ankle distance may exceed the reach while it is sinking)."""
    p = gait.params
    rigid = dataclasses.replace(gait, params=p.replace(landing_cushion_s=0.0))
    taus = np.linspace(U_FLAT * p.contact_time_s, p.contact_time_s, 60)
    leg = _stance_leg(rigid, taus, p.first_contact_s + taus)
    reach = np.linalg.norm(leg["ankle"] - leg["hip"], axis=-1).max() / gait.body.leg_m
    if reach > MAX_REACH + 0.002:
        raise UsageError(
            f"the stance is too long for the leg: speed_mps x contact_time_s = "
            f"{p.speed_mps * p.contact_time_s:.2f} m; lower the speed or the contact time, or land further ahead"
        )


def _swing_leg(gait: Gait, tau_s: np.ndarray, t_s: np.ndarray) -> dict[str, np.ndarray]:
    """Sagittal leg during swing; ``tau_s`` is time since toe-off."""
    p, b = gait.params, gait.body
    u = np.clip(tau_s / p.swing_time_s, 0.0, 1.0)
    thigh = np.radians(gait.swing_thigh(u))
    shank_deg = np.degrees(thigh) - gait.swing_knee(u)
    sole = shank_deg - gait.swing_plantar(u)
    hip = np.stack([np.zeros_like(t_s), hip_height_m(gait, t_s)], axis=-1)
    knee = hip + b.thigh_m * np.stack([np.sin(thigh), -np.cos(thigh)], axis=-1)
    sh = np.radians(shank_deg)
    ankle = knee + b.shank_m * np.stack([np.sin(sh), -np.cos(sh)], axis=-1)
    # Toes: flat at toe-off, straightening early in swing; flattening again just before a toes-down contact.
    bend_to = -gait.toe_off_sole_deg * (1 - _smoothstep(u / 0.3))
    bend_ic = max(0.0, -gait.sole_ic_deg) * _smoothstep((u - 0.8) / 0.2)
    toe = sole + bend_to + bend_ic
    return {"hip": hip, "knee": knee, "ankle": ankle, "sole_deg": sole, "toe_deg": toe}


def leg_sagittal(gait: Gait, side: str, t_s: np.ndarray) -> dict[str, np.ndarray]:
    """One leg's sagittal (x, y) joints, foot points and foot angles at times ``t_s``."""
    p = gait.params
    t_s = np.asarray(t_s, float)
    t0 = p.first_contact_s + (p.step_time_s if side == "right" else 0.0)
    tau = np.mod(t_s - t0, p.stride_time_s)
    stance = tau < p.contact_time_s
    st = _stance_leg(gait, tau, t_s)
    sw = _swing_leg(gait, tau - p.contact_time_s, t_s)
    leg = {k: np.where(stance[..., None] if st[k].ndim > 1 else stance, st[k], sw[k]) for k in st}
    foot = foot_from_ankle(leg["ankle"], leg["sole_deg"], leg["toe_deg"], gait.body.scale)
    leg.update(heel=foot.heel, toe=foot.toe, ball=foot.ball, stance=stance)
    leg["shoe"] = np.concatenate([_pts(foot.point, SHOE_REAR), _pts(foot.toe_point, SHOE_FRONT)], axis=-2)
    return leg


def _pts(fn, local: np.ndarray) -> np.ndarray:
    """Apply a point map to each row of ``local``; returns (..., n, 2)."""
    return np.stack([fn(q) for q in local], axis=-2)


def stance_profile(gait: Gait, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(profile, stance sign): sin(pi * stance fraction), peaking at midstance and 0 in flight, and the Z sign of
    the stance side (0 in flight)."""
    p = gait.params
    prof = np.zeros_like(t_s)
    sign = np.zeros_like(t_s)
    for side in ("left", "right"):
        t0 = p.first_contact_s + (p.step_time_s if side == "right" else 0.0)
        u = np.mod(t_s - t0, p.stride_time_s) / p.contact_time_s
        on = u < 1
        prof = np.where(on, np.sin(np.pi * np.clip(u, 0, 1)), prof)
        sign = np.where(on, SIDE_SIGN[side], sign)
    return prof, sign
