"""The synthetic runner's parameters (``RunnerParams``) and its body proportions (``Body``).

World coordinates are metres in the treadmill frame: X forward (direction of travel), Y up (ground at Y = 0),
Z to the runner's right. Angles are degrees.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from formcheck.errors import UsageError

VIEWS = ("side", "rear", "front")
DIRECTIONS = ("left", "right")
ORIENTATIONS = ("landscape", "portrait")
SURFACES = ("treadmill", "overground")


@dataclass(frozen=True)
class RunnerParams:
    """Everything that decides a synthetic clip; the same params and seed give the same clip."""

    view: str = "side"
    direction: str = "right"  # side view: direction of travel in the image
    cadence_spm: float = 170.0
    speed_mps: float = 3.0
    contact_time_s: float = 0.21
    trunk_lean_deg: float = 7.0
    foot_strike_angle_deg: float = 3.0  # at contact, relative to a flat foot; + = toes up
    shank_angle_ic_deg: float = 4.0  # + = ankle ahead of knee at contact
    knee_flexion_ic_deg: float = 18.0
    vertical_oscillation_frac: float = 0.08  # hip-centre excursion per stride, fraction of leg length
    pelvic_drop_deg: float = 4.0  # contralateral drop at midstance (frontal plane)
    lateral_trunk_lean_deg: float = 0.0  # toward the stance side at midstance
    step_width_m: float = 0.08  # lateral distance between the two feet's centres
    arm_swing_deg: float = 60.0  # upper-arm excursion relative to the trunk, max - min per stride
    elbow_angle_deg: float = 85.0  # mean elbow angle, 180 = straight
    toe_off_foot_angle_deg: float = -30.0  # least heel raise at toe-off (sole angle); more if reach needs it
    # Swing-leg retraction (Seyfarth, Geyer & Herr 2003, J Exp Biol 206:2547): the swing leg turns back before
    # touchdown, so the foot lands moving forward relative to the ground at a fraction of the running speed (Clark,
    # Ryan, Meng & Stearne 2023, J Hum Kinet 87:1, "ground speed difference" = running speed - the foot's backward
    # speed at touchdown) and downward. The sources found give no number for distance running at 2.5-4 m/s (the
    # spring-mass model's example retraction, 50 deg/s, moves the foot back by only ~0.8 m/s), so this is a stated
    # choice: 0.3 lands the foot at 30% of the running speed forward relative to the ground, i.e. it moves back
    # relative to the hips at 70% of the belt speed. With the knee holding its angle at touchdown this gives a downward speed
    # of about 1 m/s (hips' descent ~0.6 m/s plus the retraction's), about the speed of the standard shoe-cushioning
    # drop test (ASTM F1614: 8.5 kg dropped 50 mm). At 1 the foot lands at rest relative to the hips. None (the
    # default) keeps the original swing: zero slopes at contact, the foot skims just above the ground before it
    # lands. The default stays None because every calibration against the rendered runner (the strike-angle
    # correction, the known answers) was made on it, and the real clips cannot tell the two apart through the pose
    # model (docs/contacts.md, "A swing foot that lands like a real one").
    touchdown_forward_frac: float | None = None
    # The landing knee (docs/contacts.md "How the rendered runner lands"; the default since issue 15's round, "The
    # realistic landing made the default"). A cushioned landing: the stance knee flexes smoothly from its contact
    # angle into the rigid foot's over ``landing_cushion_s`` seconds (zero rate at contact, as the swing ends), and
    # the shoe and heel pad give way by what that needs (``gait_model.cushion_sink_m``, at most 12-14 mm at 0.04 s).
    # 0 keeps the rigid foot, whose knee jumps from rest to 800-2000 deg/s at contact (the planted foot's distance
    # from the falling, passing hips shrinks fastest near a straight leg); None is read as 0. Published figures:
    # peak knee flexion velocity in stance 7.1 rad/s (~410 deg/s, level treadmill; Pigos 2006, The Sport Journal,
    # "Three-dimensional kinematic analysis during level and downhill treadmill running"); knee 17.8 deg at contact
    # and 46.3 deg at its stance peak at the preferred step rate (Heiderscheit et al. 2011, Med Sci Sports Exerc
    # 43:296, table 3). 0.04 s is a stated choice: 0.03 leaves the knee at 900-1000 deg/s, 0.06 sinks the foot 20 mm.
    landing_cushion_s: float = 0.04
    # The swing knee extends late and fast into contact, as on the real labelled clips (+14 deg above the contact
    # angle 67 ms before it, +3 deg at 33 ms on the 60 fps labels; 175 labelled 30 fps contacts alike), instead of
    # reaching within 10 deg of it at 85% of the swing and hovering there (``gait_model.LATE_KNEE_KNOT``). False
    # keeps the original (hovering) swing: ``--late_knee_extension false --landing_cushion_s 0`` on
    # ``python -m formcheck.synth`` renders the runner as before the switch, bit for bit.
    late_knee_extension: bool = True
    # Head and shoulder carriage (METRICS.md 4.11): the head moved forward of the trunk's neck, extra nose-down
    # pitch ("looking down"), shoulders raised toward the ears (from ``shoulder_shrug_from_s`` on), and a vertical
    # bounce of the shoulders relative to the hips, peak to peak, once per step.
    head_forward_m: float = 0.0
    head_pitch_down_deg: float = 0.0
    shoulder_shrug_m: float = 0.0
    shoulder_shrug_from_s: float = 0.0
    shoulder_bounce_m: float = 0.0
    # Frontal plane (METRICS.md 5.4, 5.6): the stance knee moves toward the midline at midstance by about this
    # projected angle; the shoulder line and the hip line turn about the vertical, peak to peak per stride
    # (shoulders with the opposite arm's swing, hips against them).
    knee_collapse_deg: float = 0.0
    shoulder_rotation_deg: float = 0.0
    pelvis_rotation_deg: float = 0.0
    # Side view, opt-in (None = the plain capsule torso): a shaped pelvis and lower back, the pelvis tipped forward by
    # this angle against the trunk (anterior tilt +), the lower back hollowed by ``lumbar_arch_m`` at its deepest,
    # in shorts (dark pelvis, bare-ish thighs) or tights (docs/pelvic_tilt_side_view.md).
    sagittal_pelvic_tilt_deg: float | None = None
    lumbar_arch_m: float = 0.0
    tights: bool = False
    height_m: float = 1.75
    fps: float = 30.0
    short_side_px: int = 480
    aspect: float = 4 / 3
    orientation: str = "landscape"
    runner_height_frac: float = 0.72  # standing height as a fraction of the frame height
    duration_s: float = 4.0
    first_contact_s: float = 0.1234  # left foot's first contact; deliberately between frames
    roll_deg: float = 0.0  # camera roll, + = image content rotated counter-clockwise
    surface: str = "treadmill"
    camera_tracking: bool = True  # overground: the camera pans with the runner
    camera_distance_m: float = 6.0
    keypoint_noise_px: float = 0.0  # per-frame jitter of the drawn joints (truth landmarks include it)
    pixel_noise_std: float = 2.0  # sensor noise on the rendered image, in 8-bit levels
    crf: int = 23
    seed: int = 0

    def __post_init__(self) -> None:
        _check_choice("view", self.view, VIEWS)
        _check_choice("direction", self.direction, DIRECTIONS)
        _check_choice("orientation", self.orientation, ORIENTATIONS)
        _check_choice("surface", self.surface, SURFACES)
        if not 100 <= self.cadence_spm <= 240:
            raise UsageError(f"cadence_spm must be in 100..240, got {self.cadence_spm}")
        if not 0.08 <= self.contact_time_s < 0.95 * self.step_time_s:
            raise UsageError(
                f"contact_time_s must be in 0.08..{0.95 * self.step_time_s:.3f} s (a run has a flight phase), "
                f"got {self.contact_time_s}"
            )
        if self.fps <= 0 or self.duration_s <= 0:
            raise UsageError(f"fps and duration_s must be positive, got {self.fps}, {self.duration_s}")
        if self.view != "side" and self.surface == "overground" and not self.camera_tracking:
            raise UsageError("a frontal view of an overground run needs camera_tracking=True")
        if self.touchdown_forward_frac is not None and not 0.0 <= self.touchdown_forward_frac <= 1.0:
            raise UsageError(
                "touchdown_forward_frac must be in 0..1 (the landing foot's forward speed relative to the ground, "
                f"a fraction of the running speed), got {self.touchdown_forward_frac}"
            )
        if self.landing_cushion_s is None:  # the rigid foot, as written before 0 meant it
            object.__setattr__(self, "landing_cushion_s", 0.0)
        if not 0.0 <= self.landing_cushion_s <= 0.5 * self.contact_time_s:
            raise UsageError(
                "landing_cushion_s must be in 0..half the contact time (how long the landing knee takes to flex "
                f"into the rigid foot's; 0 = a rigid foot), got {self.landing_cushion_s}"
            )
        if not -30 <= self.foot_strike_angle_deg <= 30:
            raise UsageError(f"foot_strike_angle_deg must be in -30..30, got {self.foot_strike_angle_deg}")

    @property
    def step_time_s(self) -> float:
        return 60.0 / self.cadence_spm

    @property
    def stride_time_s(self) -> float:
        return 2.0 * self.step_time_s

    @property
    def swing_time_s(self) -> float:
        return self.stride_time_s - self.contact_time_s

    @property
    def size_px(self) -> tuple[int, int]:
        """(width, height) of the frame, both even."""
        long_side = int(round(self.short_side_px * self.aspect / 2)) * 2
        short_side = int(round(self.short_side_px / 2)) * 2
        return (long_side, short_side) if self.orientation == "landscape" else (short_side, long_side)

    @property
    def sign(self) -> int:
        """+1 when image x grows in the direction of travel (side view moving right), else -1."""
        return 1 if self.direction == "right" else -1

    def replace(self, **changes: Any) -> RunnerParams:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


@dataclass(frozen=True)
class Body:
    """Segment lengths and widths in metres, from standard fractions of standing height (Winter 2009,
    Drillis & Contini): thigh 0.245 H, shank 0.246 H, upper arm 0.186 H, forearm 0.146 H, foot 0.152 H."""

    height_m: float = 1.75

    def _k(self, frac: float) -> float:
        return frac * self.height_m

    @property
    def thigh_m(self) -> float:
        return self._k(0.245)

    @property
    def shank_m(self) -> float:
        return self._k(0.246)

    @property
    def leg_m(self) -> float:
        """Hip-knee plus knee-ankle: METRICS.md's leg length."""
        return self.thigh_m + self.shank_m

    @property
    def trunk_m(self) -> float:
        """Hip joint centre to shoulder joint centre (0.818 H - 0.530 H)."""
        return self._k(0.288)

    @property
    def upper_arm_m(self) -> float:
        return self._k(0.186)

    @property
    def forearm_m(self) -> float:
        return self._k(0.146)

    @property
    def hip_width_m(self) -> float:
        """Distance between the hip joint centres."""
        return self._k(0.098)

    @property
    def shoulder_width_m(self) -> float:
        """Distance between the shoulder joint centres."""
        return self._k(0.21)

    @property
    def scale(self) -> float:
        """Factor from the 1.75 m reference body used for the foot and head shapes."""
        return self.height_m / 1.75
