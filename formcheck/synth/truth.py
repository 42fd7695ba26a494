"""Ground truth of a synthetic clip: events, per-step metrics with METRICS.md's definitions, and per-frame landmarks.

Metrics are computed from the generating skeleton's exact 2D projection at the exact (sub-frame) event times,
before camera roll and keypoint noise (i.e. what a perfect roll-corrected tracker would measure). The per-frame
``landmarks_px`` are where the landmarks are drawn: with roll and keypoint noise, pixels, y down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.skeleton import LANDMARK_NAMES
from formcheck.synth.camera import make_camera, project
from formcheck.synth.gait_model import U_FLAT, U_HEEL_RISE, build_gait, contact_times_s
from formcheck.synth.params import RunnerParams
from formcheck.synth.skeleton3d import body_points

FORMAT = "formcheck-synth-truth/1"
DENSE_DT_S = 0.001
RFS_MIN_DEG, FFS_MAX_DEG = 8.0, -1.6  # Altman & Davis 2012


def landmarks_px(params: RunnerParams, t_s: np.ndarray, roll: bool = True) -> np.ndarray:
    """(T, 33, 2) pixel positions of the BlazePose landmarks of the generating skeleton (no keypoint noise)."""
    t_s = np.atleast_1d(np.asarray(t_s, float))
    pts = body_points(params, t_s)
    stacked = np.stack([pts[n] for n in LANDMARK_NAMES], axis=1)
    xy, _ = project(make_camera(params), stacked, t_s, roll)
    return xy


def strike_type(fsa_deg: float) -> str:
    if fsa_deg > RFS_MIN_DEG:
        return "rearfoot"
    if fsa_deg < FFS_MAX_DEG:
        return "forefoot"
    return "midfoot"


@dataclass(frozen=True, eq=False)
class Truth:
    params: RunnerParams
    events: dict[str, dict[str, list[float]]]
    steps: list[dict[str, Any]]
    summary: dict[str, Any]
    time_s: np.ndarray
    landmarks_px: np.ndarray  # (T, 33, 2) as drawn
    leg_length_px: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, clip_name: str = "") -> dict[str, Any]:
        w, h = self.params.size_px
        return {
            "format": FORMAT,
            "clip": clip_name,
            "params": self.params.to_dict(),
            "video": {"width": w, "height": h, "fps": self.params.fps, "n_frames": int(len(self.time_s))},
            "conventions": {
                "pixels": "x right, y down; landmarks_px include camera roll and keypoint noise",
                "metrics": "METRICS.md definitions on the exact skeleton at sub-frame event times, roll-corrected",
                "direction_sign": self.params.sign if self.params.view == "side" else None,
            },
            "leg_length_px": self.leg_length_px,
            **self.extra,
            "events": self.events,
            "summary": self.summary,
            "steps": self.steps,
            "landmark_names": list(LANDMARK_NAMES),
            "frames": {
                "time_s": [round(float(t), 6) for t in self.time_s],
                "landmarks_px": np.round(self.landmarks_px, 2).tolist(),
            },
        }

    def write(self, path: str | Path, clip_name: str = "") -> None:
        Path(path).write_text(json.dumps(self.to_json(clip_name), separators=(",", ":")))


def load_truth(path: str | Path) -> dict[str, Any]:
    """Read a ``.truth.json`` file as a dict; ``frames.landmarks_px`` becomes a (T, 33, 2) array."""
    data = json.loads(Path(path).read_text())
    data["frames"]["landmarks_px"] = np.asarray(data["frames"]["landmarks_px"], float)
    data["frames"]["time_s"] = np.asarray(data["frames"]["time_s"], float)
    return data


def _pt(lm: np.ndarray, name: str) -> np.ndarray:
    return lm[..., LANDMARK_NAMES.index(name), :]


def _angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle ABC in degrees."""
    u, v = a - b, c - b
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def _knee_flexion(lm: np.ndarray, side: str) -> np.ndarray:
    return 180.0 - _angle_at(_pt(lm, f"{side}_hip"), _pt(lm, f"{side}_knee"), _pt(lm, f"{side}_ankle"))


def _foot_angle(lm: np.ndarray, side: str, s: int) -> np.ndarray:
    d = _pt(lm, f"{side}_foot_index") - _pt(lm, f"{side}_heel")
    return np.degrees(np.arctan2(-d[..., 1], s * d[..., 0]))


def _mid(lm: np.ndarray, part: str) -> np.ndarray:
    return (_pt(lm, f"left_{part}") + _pt(lm, f"right_{part}")) / 2


def _r(x: float) -> float:
    return round(float(x), 4)


def compute_truth(params: RunnerParams, time_s: np.ndarray, drawn_px: np.ndarray) -> Truth:
    """All ground truth for a clip whose frames are at ``time_s`` with landmarks drawn at ``drawn_px``."""
    gait = build_gait(params)
    cam = make_camera(params)
    s = params.sign
    side_view = params.view == "side"
    t_end = float(time_s[-1]) if len(time_s) else params.duration_s
    leg_std_px = gait.body.leg_m * cam.focal_px / params.camera_distance_m
    hip_w_px = gait.body.hip_width_m * cam.focal_px / params.camera_distance_m
    events = {}
    all_steps = []
    for side in ("left", "right"):
        ic = contact_times_s(params, side, t_end, 0.0)
        to = ic + params.contact_time_s
        keep = to <= t_end
        events[side] = {"contact_s": [_r(t) for t in ic], "toe_off_s": [_r(t) for t in to[keep]]}
        all_steps += [(float(t), side) for t in ic]
    all_steps.sort()
    steps = []
    prev_ic: float | None = None
    prev_heel_x: float | None = None
    for t_ic, side in all_steps:
        other = "right" if side == "left" else "left"
        t_to = t_ic + params.contact_time_s
        dense = np.arange(t_ic, t_to + 1e-9, DENSE_DT_S)
        lm = landmarks_px(params, dense, roll=False)
        ic = lm[0]
        kf = _knee_flexion(lm, side)
        step: dict[str, Any] = {
            "side": side,
            "contact_s": _r(t_ic),
            "toe_off_s": _r(t_to) if t_to <= t_end else None,
        }
        step["ground_contact_ms"] = _r(params.contact_time_s * 1000)
        if prev_ic is not None:
            step["step_time_s"] = _r(t_ic - prev_ic)
            step["cadence_spm"] = _r(60.0 / (t_ic - prev_ic))
        prev_ic = t_ic
        hip_mid = _mid(lm, "hip")
        if side_view:
            i_ms = int(np.argmax(kf))
            step["midstance_s"] = _r(dense[i_ms])
            leg_px = np.linalg.norm(_pt(ic, f"{side}_hip") - _pt(ic, f"{side}_knee")) + np.linalg.norm(
                _pt(ic, f"{side}_knee") - _pt(ic, f"{side}_ankle")
            )
            sh = _pt(ic, f"{side}_ankle") - _pt(ic, f"{side}_knee")
            step["shank_angle_ic_deg"] = _r(np.degrees(np.arctan2(s * sh[0], sh[1])))
            step["overstride_pct_leg"] = _r(s * (_pt(ic, f"{side}_heel")[0] - hip_mid[0, 0]) / leg_px * 100)
            step["ankle_knee_pct_leg"] = _r(s * sh[0] / leg_px * 100)
            u_flat = (U_FLAT + U_HEEL_RISE) / 2
            fa_ref = _foot_angle(
                landmarks_px(params, [t_ic + u_flat * params.contact_time_s], roll=False)[0], side, s
            )
            fsa = float(_foot_angle(ic, side, s) - fa_ref)
            step["foot_strike_angle_deg"] = _r(fsa)
            step["foot_strike_type"] = strike_type(fsa)
            step["knee_flexion_ic_deg"] = _r(kf[0])
            step["knee_flexion_midstance_deg"] = _r(kf.max())
            tr = _mid(lm, "shoulder") - hip_mid
            lean = np.degrees(np.arctan2(s * tr[:, 0], -tr[:, 1]))
            step["trunk_lean_deg"] = _r(lean.mean())
            step["trunk_lean_midstance_deg"] = _r(lean[i_ms])
            step.update(_stride_metrics(params, t_ic, side, leg_px, s))
            step.update(_head_shoulder_metrics(params, t_ic, leg_px, s))
            te = lm[i_ms:]
            thigh = _pt(te, f"{side}_knee") - _pt(te, f"{side}_hip")
            step["thigh_extension_deg"] = _r(-np.degrees(np.arctan2(s * thigh[:, 0], thigh[:, 1])).min())
        else:
            i_ms = int(np.argmax(hip_mid[:, 1]))
            step["midstance_s"] = _r(dense[i_ms])
            m = lm[i_ms]
            h_st, h_sw = _pt(m, f"{side}_hip"), _pt(m, f"{other}_hip")
            step["pelvic_tilt_deg"] = _r(np.degrees(np.arctan2(h_sw[1] - h_st[1], abs(h_sw[0] - h_st[0]))))
            hst, hsw = _pt(lm, f"{side}_hip"), _pt(lm, f"{other}_hip")
            cpd = np.degrees(np.arctan2(hsw[:, 1] - hst[:, 1], np.abs(hsw[:, 0] - hst[:, 0])))
            step["pelvic_tilt_peak_deg"] = _r(cpd.max())
            hm = (h_st + h_sw) / 2
            sigma = 1.0 if h_st[0] > hm[0] else -1.0
            tr = _mid(m, "shoulder") - hm
            step["lateral_trunk_lean_deg"] = _r(np.degrees(np.arctan2(sigma * tr[0], -tr[1])))
            heel_x = float(_pt(m, f"{side}_heel")[0])
            step["base_of_support_ld"] = _r(sigma * (heel_x - hm[0]) / hip_w_px)
            if prev_heel_x is not None:
                step["step_width_pct_leg"] = _r(abs(heel_x - prev_heel_x) / leg_std_px * 100)
            prev_heel_x = heel_x
            step["vertical_oscillation_pct_leg"] = _stride_vo(params, t_ic, leg_std_px)
            k_st, a_st = _pt(m, f"{side}_knee"), _pt(m, f"{side}_ankle")
            fppa = 180.0 - float(_angle_at(h_st, k_st, a_st))
            line_x = h_st[0] + (k_st[1] - h_st[1]) / (a_st[1] - h_st[1]) * (a_st[0] - h_st[0])
            step["knee_collapse_deg"] = _r(fppa if -sigma * (k_st[0] - line_x) >= 0 else -fppa)
            step["hip_adduction_deg"] = _r(90.0 - float(_angle_at(h_sw, h_st, k_st)))
            step["torso_twist_deg"] = _r(params.shoulder_rotation_deg)
            step["hip_rotation_deg"] = _r(params.pelvis_rotation_deg)
        steps.append(step)
    return Truth(
        params=params,
        events=events,
        steps=steps,
        summary=_summary(params, steps),
        time_s=np.asarray(time_s, float),
        landmarks_px=drawn_px,
        leg_length_px=_r(leg_std_px),
        extra={"hip_width_px": _r(hip_w_px)},
    )


def _stride_vo(params: RunnerParams, t_ic: float, leg_px: float) -> float:
    dense = np.arange(t_ic, t_ic + params.stride_time_s, DENSE_DT_S)
    y = _mid(landmarks_px(params, dense, roll=False), "hip")[:, 1]
    return _r((y.max() - y.min()) / leg_px * 100)


def _stride_metrics(params: RunnerParams, t_ic: float, side: str, leg_px: float, s: int) -> dict[str, float]:
    """Per-stride values from this contact to the same foot's next: VO, arm swing and elbow angle per arm."""
    dense = np.arange(t_ic, t_ic + params.stride_time_s, DENSE_DT_S)
    lm = landmarks_px(params, dense, roll=False)
    y = _mid(lm, "hip")[:, 1]
    out = {"vertical_oscillation_pct_leg": _r((y.max() - y.min()) / leg_px * 100)}
    trunk = _mid(lm, "shoulder") - _mid(lm, "hip")
    for arm in ("left", "right"):
        ua = _pt(lm, f"{arm}_elbow") - _pt(lm, f"{arm}_shoulder")
        cross = trunk[:, 0] * ua[:, 1] - trunk[:, 1] * ua[:, 0]
        ang = np.unwrap(np.arctan2(cross, (trunk * ua).sum(-1)))
        out[f"arm_swing_{arm}_deg"] = _r(np.degrees(ang.max() - ang.min()))
        ea = _angle_at(_pt(lm, f"{arm}_shoulder"), _pt(lm, f"{arm}_elbow"), _pt(lm, f"{arm}_wrist"))
        out[f"elbow_angle_{arm}_deg"] = _r(ea.mean())
    out["arm_swing_deg"] = _r((out["arm_swing_left_deg"] + out["arm_swing_right_deg"]) / 2)
    out["elbow_angle_deg"] = _r((out["elbow_angle_left_deg"] + out["elbow_angle_right_deg"]) / 2)
    del side, s
    return out


def _head_shoulder_metrics(params: RunnerParams, t_ic: float, leg_px: float, s: int) -> dict[str, float]:
    """Head and shoulder carriage over one step (this contact to the next of either foot; METRICS.md 4.11), from
    each side's ear, eye and shoulder (``<key>_left``/``_right``; the plain key is the side nearer the camera),
    and the shoulders' bounce against the hips over the stride from this contact."""
    lm = landmarks_px(params, np.arange(t_ic, t_ic + params.step_time_s, DENSE_DT_S), roll=False)
    trunk = np.linalg.norm(_mid(lm, "shoulder") - _mid(lm, "hip"), axis=-1)
    out: dict[str, float] = {}
    for side in ("left", "right"):
        ear, eye, sh = _pt(lm, f"{side}_ear"), _pt(lm, f"{side}_eye"), _pt(lm, f"{side}_shoulder")
        pitch = np.degrees(np.arctan2(-(eye[:, 1] - ear[:, 1]), s * (eye[:, 0] - ear[:, 0])))
        out[f"head_forward_pct_leg_{side}"] = _r((s * (ear[:, 0] - sh[:, 0]) / leg_px * 100).mean())
        out[f"head_pitch_deg_{side}"] = _r(pitch.mean())
        out[f"shoulder_elevation_pct_trunk_{side}"] = _r(((sh[:, 1] - ear[:, 1]) / trunk * 100).mean())
    near = "right" if s > 0 else "left"  # the camera is on the runner's right when they travel image-right
    for key in ("head_forward_pct_leg", "head_pitch_deg", "shoulder_elevation_pct_trunk"):
        out[key] = out[f"{key}_{near}"]
    stride = landmarks_px(params, np.arange(t_ic, t_ic + params.stride_time_s, DENSE_DT_S), roll=False)
    rise = _mid(stride, "hip")[:, 1] - _mid(stride, "shoulder")[:, 1]
    out["shoulder_bounce_pct_leg"] = _r(np.ptp(rise) / leg_px * 100)
    return out


def _summary(params: RunnerParams, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over steps of each numeric metric, plus cadence from the parameters and the strike type."""
    keys = [
        k
        for k in steps[0]
        if isinstance(steps[0][k], float) and k not in ("contact_s", "toe_off_s", "midstance_s")
    ]
    keys += [k for k in ("cadence_spm", "step_time_s") if k not in keys]
    out: dict[str, Any] = {}
    for k in keys:
        vals = [st[k] for st in steps if isinstance(st.get(k), float)]
        if vals:
            out[k] = _r(np.median(vals))
    out["duty_factor"] = _r(params.contact_time_s / params.stride_time_s)
    out["stride_length_m"] = _r(params.speed_mps * params.stride_time_s)
    if "foot_strike_angle_deg" in out:
        out["foot_strike_type"] = strike_type(out["foot_strike_angle_deg"])
    return out
