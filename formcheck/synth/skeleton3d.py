"""The whole body in 3D (runner frame, metres; see ``gait_model``): legs, pelvis, trunk, arms, head, at given times.

``body_points(params, t_s)`` returns every BlazePose-named landmark plus the extra points the renderer needs
(``hip_mid``, ``shoulder_mid``, ``head_center``, ``neck_top``, ``<side>_shoe`` outlines, ``<side>_hand``).
"""

from __future__ import annotations

import numpy as np

from formcheck.synth.gait_model import SIDE_SIGN, build_gait, contact_times_s, leg_sagittal, stance_profile
from formcheck.synth.params import RunnerParams

# Head points in the head frame (x forward, y up, z right), metres for a 1.75 m runner, relative to its centre.
HEAD_RADII = np.array([0.098, 0.118, 0.078])
HEAD_POINTS = {
    "nose": (0.103, -0.012, 0.0),
    "left_eye_inner": (0.083, 0.022, -0.016),
    "left_eye": (0.078, 0.024, -0.032),
    "left_eye_outer": (0.07, 0.024, -0.047),
    "right_eye_inner": (0.083, 0.022, 0.016),
    "right_eye": (0.078, 0.024, 0.032),
    "right_eye_outer": (0.07, 0.024, 0.047),
    "left_ear": (-0.005, 0.004, -0.077),
    "right_ear": (-0.005, 0.004, 0.077),
    "mouth_left": (0.088, -0.05, -0.022),
    "mouth_right": (0.088, -0.05, 0.022),
}


def _xyz(xy: np.ndarray, z: np.ndarray | float) -> np.ndarray:
    z = np.broadcast_to(np.asarray(z, float), xy.shape[:-1])
    return np.concatenate([xy, z[..., None]], axis=-1)


def body_points(params: RunnerParams, t_s: np.ndarray) -> dict[str, np.ndarray]:
    """3D points (T, 3) (shoe outlines (T, n, 3)) of the runner at times ``t_s``, in the runner frame."""
    gait = build_gait(params)
    b = gait.body
    t_s = np.atleast_1d(np.asarray(t_s, float))
    prof, st_sign = stance_profile(gait, t_s)
    drop = np.radians(params.pelvic_drop_deg) * prof
    lat = np.radians(params.lateral_trunk_lean_deg) * prof * st_sign  # frontal trunk tilt toward +Z
    out: dict[str, np.ndarray] = {}
    for side in ("left", "right"):
        sg = SIDE_SIGN[side]
        leg = leg_sagittal(gait, side, t_s)
        z_hip = sg * b.hip_width_m / 2
        z_foot = sg * params.step_width_m / 2
        z_knee = z_hip + (z_foot - z_hip) * b.thigh_m / b.leg_m
        # Pelvic drop: the pelvis turns about the stance hip, so the swing leg moves down and inward.
        swing = st_sign == -sg
        dy = np.where(swing, -b.hip_width_m * np.sin(drop), 0.0)
        dz = np.where(swing, -sg * b.hip_width_m * (1 - np.cos(drop)), 0.0)
        shift = np.stack([np.zeros_like(dy), dy, dz], axis=-1)
        # Knee collapse (METRICS.md 5.4): during this leg's stance the knee moves toward the midline; a medial
        # offset d turns the projected hip-knee-ankle angle by about d / thigh + d / shank.
        on = np.where(st_sign == sg, prof, 0.0)
        d_knee = np.tan(np.radians(params.knee_collapse_deg)) * b.thigh_m * b.shank_m / b.leg_m * on
        # Pelvis rotation about the vertical: this hip forward as its leg reaches forward to land.
        psi_p = np.radians(params.pelvis_rotation_deg / 2) * _stride_phase(params, side, t_s)
        hip = _xyz(leg["hip"], z_hip * np.cos(psi_p))
        hip[:, 0] += b.hip_width_m / 2 * np.sin(psi_p)
        out[f"{side}_hip"] = hip + shift
        out[f"{side}_knee"] = _xyz(leg["knee"], z_knee - sg * d_knee) + shift
        for name in ("ankle", "heel", "ball"):
            out[f"{side}_{name}"] = _xyz(leg[name], z_foot) + shift
        out[f"{side}_foot_index"] = _xyz(leg["toe"], z_foot) + shift
        out[f"{side}_shoe"] = _xyz(leg["shoe"], z_foot) + shift[:, None, :]
        out[f"{side}_stance"] = leg["stance"]
    hip_mid = (out["left_hip"] + out["right_hip"]) / 2
    lean = np.radians(params.trunk_lean_deg)
    trunk = np.stack(
        [np.full_like(t_s, np.sin(lean)), np.full_like(t_s, np.cos(lean)), np.tan(lat) * np.cos(lean)],
        axis=-1,
    )
    trunk /= np.linalg.norm(trunk, axis=-1, keepdims=True)
    neck_base = hip_mid + b.trunk_m * trunk  # where the shoulders sit when relaxed; the head sits on it
    # Shoulders raised toward the ears (from shoulder_shrug_from_s on) and bouncing against the hips once per
    # step (METRICS.md 4.11); the head stays on the trunk.
    t_mid = params.first_contact_s + params.contact_time_s / 2
    lift = np.where(t_s >= params.shoulder_shrug_from_s, params.shoulder_shrug_m, 0.0) + (
        params.shoulder_bounce_m / 2 * np.cos(2 * np.pi * (t_s - t_mid) / params.step_time_s)
    )
    sh_mid = neck_base + np.stack([np.zeros_like(lift), lift, np.zeros_like(lift)], axis=-1)
    # Shoulder line turning about the vertical with the arms: the right shoulder forward with the right arm.
    psi = np.radians(params.shoulder_rotation_deg / 2) * _stride_phase(params, "left", t_s)
    lateral = np.stack([np.sin(psi), -np.sin(lat), np.cos(lat) * np.cos(psi)], axis=-1)  # toward the right
    out["hip_mid"], out["shoulder_mid"] = hip_mid, sh_mid
    for side in ("left", "right"):
        out[f"{side}_shoulder"] = sh_mid + SIDE_SIGN[side] * b.shoulder_width_m / 2 * lateral
    _arms(params, gait, t_s, out)
    _head(params, trunk, lat, neck_base, out)
    return out


def _stride_phase(params: RunnerParams, side: str, t_s: np.ndarray) -> np.ndarray:
    """cos of the stride phase: 1 at each contact of ``side``, -1 half a stride later."""
    t_ic = contact_times_s(params, side, 10.0, -10.0)[0]
    return np.cos(2 * np.pi * (t_s - t_ic) / params.stride_time_s)


def _arms(params: RunnerParams, gait, t_s: np.ndarray, out: dict[str, np.ndarray]) -> None:
    """Upper arm swings about the trunk (anti-phase with the same-side leg); the elbow bends more in front."""
    b = gait.body
    lean = np.radians(params.trunk_lean_deg)
    for side, contra in (("left", "right"), ("right", "left")):
        sg = SIDE_SIGN[side]
        t_ic = contact_times_s(params, contra, 10.0, -10.0)[0]
        phase = np.cos(2 * np.pi * (t_s - t_ic) / params.stride_time_s)
        alpha = np.radians(-8.0 + params.arm_swing_deg / 2 * phase)  # relative to the trunk, + = forward
        elbow_deg = params.elbow_angle_deg - 10.0 * phase
        ua = alpha - lean  # from the downward vertical, + = forward
        fa = ua + np.radians(180.0 - elbow_deg)
        sh = out[f"{side}_shoulder"]
        elbow_xy = sh[:, :2] + b.upper_arm_m * np.stack([np.sin(ua), -np.cos(ua)], axis=-1)
        wrist_xy = elbow_xy + b.forearm_m * np.stack([np.sin(fa), -np.cos(fa)], axis=-1)
        z_sh = sh[:, 2]
        z_el = z_sh + sg * 0.02 * b.scale
        z_wr = z_sh - sg * (0.05 + 0.03 * (phase + 1) / 2) * b.scale  # hands drift in when forward
        out[f"{side}_elbow"] = _xyz(elbow_xy, z_el)
        out[f"{side}_wrist"] = _xyz(wrist_xy, z_wr)
        fdir = np.stack([np.sin(fa), -np.cos(fa), np.zeros_like(fa)], axis=-1)
        up = np.stack(
            [np.cos(fa), np.sin(fa), np.zeros_like(fa)], axis=-1
        )  # forearm normal, toward the front
        w = out[f"{side}_wrist"]
        k = b.scale
        out[f"{side}_index"] = w + 0.085 * k * fdir + 0.01 * k * up
        out[f"{side}_pinky"] = w + 0.07 * k * fdir - 0.015 * k * up + np.array([0, 0, sg * 0.01 * k])
        out[f"{side}_thumb"] = w + 0.045 * k * fdir + 0.03 * k * up - np.array([0, 0, sg * 0.01 * k])
        out[f"{side}_hand"] = w + 0.05 * k * fdir


def _head(
    params: RunnerParams,
    trunk: np.ndarray,
    lat: np.ndarray,
    neck_base: np.ndarray,
    out: dict[str, np.ndarray],
) -> None:
    """Head on the neck, pitched by half the trunk lean (plus ``head_pitch_down_deg``), moved forward by
    ``head_forward_m``, tilted with the trunk's lateral lean."""
    k = params.height_m / 1.75
    centre = neck_base + 0.2 * k * trunk + np.array([0.015 * k + params.head_forward_m, 0.0, 0.0])
    out["head_center"] = centre
    out["neck_top"] = centre + np.array([-0.01, -0.075, 0.0]) * k
    pitch = np.radians(params.trunk_lean_deg / 2 + params.head_pitch_down_deg)
    cp, sp = np.cos(pitch), np.sin(pitch)
    for name, (x, y, z) in HEAD_POINTS.items():
        x, y, z = x * k, y * k, z * k
        # pitch forward (nose down) about Z, then tilt about X by the lateral lean
        xr, yr = x * cp + y * sp, -x * sp + y * cp
        yr2 = yr * np.cos(lat) - z * np.sin(lat)
        zr2 = yr * np.sin(lat) + z * np.cos(lat)
        out[name] = centre + np.stack([np.full_like(lat, xr), yr2, zr2], axis=-1)
