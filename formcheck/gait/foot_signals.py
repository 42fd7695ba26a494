"""Per-frame signals of one foot in a side view, from which its events are timed (gait/sagittal.py,
gait/toe_marker.py): the heel's forward position relative to the hips, the foot's lowest point and its vertical
velocity, the knee's flexion, the foot's forward image velocity and the heel-toe line's angle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.geometry import joint_angle_deg
from formcheck.model import Trajectories
from formcheck.processing.filtering import central_velocity


@dataclass(frozen=True)
class FootSignals:
    """Per-frame signals of one foot used for its events."""

    h_heel: np.ndarray  # forward heel position relative to the hips, leg lengths
    low_y: np.ndarray  # y of the foot's lowest point (heel or toe), pixels, y down
    low_vy: np.ndarray  # its vertical velocity, pixels/s, + = downward
    knee_flexion_deg: np.ndarray
    h_ankle: np.ndarray  # forward ankle position relative to the hips, leg lengths
    foot_vx: np.ndarray  # forward image velocity of the foot's middle (heel-toe midpoint), pixels/s
    # The heel-toe line's angle to the image horizontal, degrees, + = toe above the heel; None when not given.
    toe_up_deg: np.ndarray | None = None


def foot_signals(traj: Trajectories, side: str, direction: int, leg_px: float) -> FootSignals:
    hip_x = traj.mid("left_hip", "right_hip")[:, 0]
    heel = traj.point(f"{side}_heel")
    toe = traj.point(f"{side}_foot_index")
    h_heel = direction * (heel[:, 0] - hip_x) / leg_px
    low_y = np.fmax(heel[:, 1], toe[:, 1])
    low_vy = central_velocity(low_y, traj.time_s)
    flexion = 180.0 - joint_angle_deg(
        traj.point(f"{side}_hip"), traj.point(f"{side}_knee"), traj.point(f"{side}_ankle")
    )
    h_ankle = direction * (traj.point(f"{side}_ankle")[:, 0] - hip_x) / leg_px
    foot_vx = direction * central_velocity(0.5 * (heel[:, 0] + toe[:, 0]), traj.time_s)
    forward = direction * (toe[:, 0] - heel[:, 0])
    toe_up = np.degrees(np.arctan2(heel[:, 1] - toe[:, 1], forward))
    # A toe drawn behind its heel (a flipped foot, a pose error) is no foot angle: near +-180 deg it would win any
    # maximum.
    toe_up[~(forward > 0)] = np.nan
    return FootSignals(h_heel, low_y, low_vy, flexion, h_ankle, foot_vx, toe_up)
