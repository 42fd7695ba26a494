"""A pinhole camera on a tripod (or panning with an overground runner), then camera roll: runner frame to pixels.

Side view moving right: the camera is on the runner's right (+Z) looking at it; moving left, on the left.
Rear view: behind the runner (image x = the runner's right). Front view: in front (image x = the runner's left).
Pixels: x right, y down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.params import RunnerParams

CAMERA_HEIGHT_M = 1.0


@dataclass(frozen=True)
class Camera:
    params: RunnerParams
    focal_px: float
    cx_px: float
    cy_px: float

    @property
    def distance_m(self) -> float:
        return self.params.camera_distance_m


def make_camera(params: RunnerParams) -> Camera:
    """Focal length so that standing height fills ``runner_height_frac`` of the frame, runner centred."""
    w, h = params.size_px
    d = params.camera_distance_m
    f = params.runner_height_frac * h * d / params.height_m
    y_mid = 0.5 * params.height_m + 0.05
    return Camera(params, f, w / 2, h / 2 + f * (y_mid - CAMERA_HEIGHT_M) / d)


def camera_offset_x_m(params: RunnerParams, t_s: np.ndarray) -> np.ndarray:
    """Runner-frame X of the runner minus the camera's, per time: 0 on a treadmill or with a panning camera."""
    t_s = np.asarray(t_s, float)
    if params.surface == "overground" and not params.camera_tracking:
        return params.speed_mps * (t_s - params.duration_s / 2)
    return np.zeros_like(t_s)


def to_camera(
    params: RunnerParams, pts: np.ndarray, t_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lateral, up, depth) camera coordinates of runner-frame points ``pts`` (T, ..., 3) at times ``t_s`` (T,)."""
    off = camera_offset_x_m(params, t_s).reshape((-1,) + (1,) * (pts.ndim - 2))
    x, y, z = pts[..., 0] + off, pts[..., 1], pts[..., 2]
    d = params.camera_distance_m
    if params.view == "side":
        s = params.sign
        lateral, depth = s * x, d - s * z
    elif params.view == "rear":
        lateral, depth = z, d + x
    else:
        lateral, depth = -z, d - x
    return lateral, y, depth


def project(
    cam: Camera, pts: np.ndarray, t_s: np.ndarray, roll: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel positions (T, ..., 2) and depths (T, ...) in metres of runner-frame points."""
    lateral, up, depth = to_camera(cam.params, pts, t_s)
    x = cam.cx_px + cam.focal_px * lateral / depth
    y = cam.cy_px - cam.focal_px * (up - CAMERA_HEIGHT_M) / depth
    xy = np.stack([x, y], axis=-1)
    return (apply_roll(cam.params, xy) if roll else xy), depth


def apply_roll(params: RunnerParams, xy: np.ndarray) -> np.ndarray:
    """Rotate pixel points about the frame centre: + roll turns the picture counter-clockwise."""
    if params.roll_deg == 0:
        return xy
    w, h = params.size_px
    r = np.radians(params.roll_deg)
    dx, dy = xy[..., 0] - w / 2, xy[..., 1] - h / 2
    return np.stack(
        [w / 2 + dx * np.cos(r) + dy * np.sin(r), h / 2 - dx * np.sin(r) + dy * np.cos(r)], axis=-1
    )


def ground_point_px(cam: Camera, x_m: float, z_m: float, t_s: float, roll: bool = True) -> np.ndarray:
    """Pixel position of a ground point (runner-frame X, Z) at time ``t_s``."""
    xy, _ = project(cam, np.array([[[x_m, 0.0, z_m]]]), np.array([t_s]), roll)
    return xy[0, 0]
