"""Which way the camera looks (side, rear, front) and which way the runner travels (METRICS.md 2.3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.model import Trajectories


def _nanmedian(a: np.ndarray) -> float:
    a = np.asarray(a, dtype=float)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else float("nan")


@dataclass(frozen=True)
class ViewEstimate:
    view: str  # side | rear | front | unknown
    confidence: float  # 0..1
    reason: str
    shoulder_ratio: float  # shoulder width / torso height


def estimate_view(traj: Trajectories) -> ViewEstimate:
    """Side or frontal from shoulder and hip width against torso height: side-on, the shoulders overlap (ratio
    ~0.1-0.35); facing or backing the camera they are as wide as the torso is tall (~0.7-1.1). Front vs rear from
    which image side the body's left lands on, face visibility and whether the runner grows or shrinks."""
    sh_w = np.abs(traj.point("left_shoulder")[:, 0] - traj.point("right_shoulder")[:, 0])
    hip_w = np.abs(traj.point("left_hip")[:, 0] - traj.point("right_hip")[:, 0])
    torso = np.linalg.norm(
        traj.mid("left_shoulder", "right_shoulder") - traj.mid("left_hip", "right_hip"), axis=1
    )
    ratio = _nanmedian(sh_w / torso)
    hip_ratio = _nanmedian(hip_w / torso)
    if not np.isfinite(ratio):
        return ViewEstimate("unknown", 0.0, "shoulders and hips were not tracked", ratio)
    width_score = max(ratio, 1.6 * hip_ratio)
    if width_score < 0.45:
        conf = float(np.clip((0.45 - width_score) / 0.25, 0.3, 1.0))
        return ViewEstimate("side", conf, f"shoulders overlap (width {ratio:.2f} of torso height)", ratio)
    if width_score < 0.6:
        return ViewEstimate(
            "unknown",
            0.0,
            f"oblique camera (shoulder width {ratio:.2f} of torso height): film side-on or from "
            "straight behind or in front",
            ratio,
        )
    # Frontal. Body-left on image-right means the person faces the camera.
    left_minus_right = _nanmedian(traj.point("left_shoulder")[:, 0] - traj.point("right_shoulder")[:, 0])
    left_minus_right += _nanmedian(traj.point("left_hip")[:, 0] - traj.point("right_hip")[:, 0])
    face_vis = _nanmedian(traj.visibility[:, :11].mean(axis=1))
    size = torso
    n = len(size)
    first = _nanmedian(size[: max(n // 4, 1)]) if n >= 8 else float("nan")
    growth = _nanmedian(size[-max(n // 4, 1) :]) / first if first > 0 else 1.0  # no size at the start: no cue
    score = np.sign(left_minus_right) * 1.0 + (face_vis - 0.6) * 2.0
    if np.isfinite(growth) and abs(growth - 1.0) > 0.15:
        score += 1.5 if growth > 1 else -1.5  # approaching: front; receding: rear
    view = "front" if score > 0 else "rear"
    reason = (
        f"shoulders {ratio:.2f} of torso height wide; body-left on image-{'right' if left_minus_right > 0 else 'left'}"
        f", face visibility {face_vis:.2f}"
        + (
            f", runner {'grows' if growth > 1 else 'shrinks'} by {abs(growth - 1) * 100:.0f}%"
            if np.isfinite(growth) and abs(growth - 1.0) > 0.15
            else ""
        )
    )
    return ViewEstimate(view, float(np.clip(abs(score) / 2.0, 0.2, 1.0)), reason, ratio)


@dataclass(frozen=True)
class DirectionEstimate:
    sign: int  # +1: travelling toward image +x (right); -1: toward image -x (left)
    agree: bool
    votes: dict[str, int]

    @property
    def name(self) -> str:
        return "right" if self.sign > 0 else "left"


def estimate_direction(traj: Trajectories, leg_length_px: float) -> DirectionEstimate:
    """Direction of travel along image x from three cues: the feet point forward (toe ahead of heel), the nose is
    ahead of the ears, and overground the hips move that way (METRICS.md 2.3). Each votes; ties go to the feet."""
    votes: dict[str, int] = {}
    toe_minus_heel = np.concatenate(
        [traj.point(f"{s}_foot_index")[:, 0] - traj.point(f"{s}_heel")[:, 0] for s in ("left", "right")]
    )
    foot = _nanmedian(toe_minus_heel)
    if np.isfinite(foot) and foot != 0:
        votes["feet"] = int(np.sign(foot))
    nose = traj.point("nose")[:, 0] - traj.mid("left_ear", "right_ear")[:, 0]
    face = _nanmedian(nose)
    if np.isfinite(face) and face != 0:
        votes["face"] = int(np.sign(face))
    hip_x = traj.mid("left_hip", "right_hip")[:, 0]
    finite = np.flatnonzero(np.isfinite(hip_x))
    if finite.size >= 2:
        travel = hip_x[finite[-1]] - hip_x[finite[0]]
        if abs(travel) > leg_length_px:  # overground past a fixed camera
            votes["motion"] = int(np.sign(travel))
    if not votes:
        return DirectionEstimate(1, False, votes)
    total = sum(votes.values()) + 0.5 * votes.get("feet", 0)
    sign = int(np.sign(total)) or votes.get("feet", 1)
    agree = len(set(votes.values())) == 1
    return DirectionEstimate(sign, agree, votes)
