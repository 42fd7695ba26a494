"""Image evidence for the pelvis line at midstance in rear and front views (METRICS.md 5.1, 10).

BlazePose's hip landmarks follow only ~0.15-0.2 deg per degree of real pelvic drop, so the pelvic angle is read
from the picture instead: at each midstance frame the PoseLandmarker runs in IMAGE mode with its segmentation mask;
inside the body (mask eroded, forearms and hands erased along their landmarks) and within a waist band above the
hip landmarks (0.1 to 1.5 hip widths up, +-0.5 hip widths across), the colour structure tensor of the near-
horizontal edges (within 30 deg of horizontal) gives the dominant edge direction: the waistband or shirt hem,
which tilts with the pelvis.

Measured on synthetic rear and front clips (true drop 0/5/9/12 deg, 480 and 720 px, ~8 midstances each): median
-0.0/4.7/8.5/11.3 deg, per-step SD 0.1-2.8 deg (5 deg on one 480 px rear clip). That runner's clothing edge is
rigidly tied to its pelvis; on real runners the edge is whatever the clothes show (a loose shirt hem moves on its
own), so the number is a best effort, not a validated measurement (docs/pelvic_drop.md).

Angles here are in the image: + = the image-right end of the line is lower (y down). The metric converts them to
contralateral drop with the stance side's image position.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from formcheck.config import PelvisSettings
from formcheck.skeleton import INDEX

logger = logging.getLogger(__name__)

_ARMS = (
    ("elbow", "wrist"),
    ("wrist", "index"),
    ("wrist", "pinky"),
    ("wrist", "thumb"),
    ("shoulder", "elbow"),
)
_HANDS = ("wrist", "index", "pinky", "thumb")
PELVIS_FILE = "pelvis.json"
PELVIS_FORMAT = "formcheck-pelvis/1"


def erase_arms(mask: np.ndarray, xy: np.ndarray, hip_width_px: float) -> np.ndarray:
    """``mask`` (uint8) with the arms and hands drawn out along their landmarks, which swing across the waist."""
    import cv2

    out = mask.copy()
    r = max(2, int(round(0.28 * hip_width_px)))
    for side in ("left", "right"):
        for a, b in _ARMS:
            pa, pb = xy[INDEX[f"{side}_{a}"]], xy[INDEX[f"{side}_{b}"]]
            if np.all(np.isfinite([*pa, *pb])):
                cv2.line(
                    out, tuple(int(v) for v in np.round(pa)), tuple(int(v) for v in np.round(pb)), 0, 2 * r
                )
        for h in _HANDS:
            p = xy[INDEX[f"{side}_{h}"]]
            if np.all(np.isfinite(p)):
                cv2.circle(out, tuple(int(v) for v in np.round(p)), int(1.3 * r), 0, -1)
    return out


def waist_line_tilt_deg(rgb: np.ndarray, mask: np.ndarray, xy: np.ndarray, cfg: PelvisSettings) -> float:
    """Dominant near-horizontal edge direction in the waist band (deg, + = image-right end lower), or nan.

    ``rgb`` (H, W, 3) uint8, ``mask`` (H, W) float person probability, ``xy`` (33, 2) landmark pixels of the
    same frame; the band and limits are ``cfg``'s."""
    import cv2

    hl, hr = xy[INDEX["left_hip"]], xy[INDEX["right_hip"]]
    if not np.all(np.isfinite([*hl, *hr])):
        return math.nan
    w = abs(float(hr[0] - hl[0]))
    if w < cfg.min_hip_width_px:
        return math.nan
    c = 0.5 * (hl + hr)
    h_img, w_img = mask.shape[:2]
    y0 = int(np.clip(c[1] + cfg.band_hip_widths[0] * w, 0, h_img))
    y1 = int(np.clip(c[1] + cfg.band_hip_widths[1] * w, 0, h_img))
    x0 = int(np.clip(c[0] - cfg.half_width_hip_widths * w, 0, w_img))
    x1 = int(np.clip(c[0] + cfg.half_width_hip_widths * w, 0, w_img))
    if y1 - y0 < 3 or x1 - x0 < 3:
        return math.nan
    body = (mask > cfg.mask_threshold).astype(np.uint8)
    body = cv2.erode(body, np.ones((3, 3), np.uint8), iterations=max(1, int(w / 15)))
    body = erase_arms(body, xy, w)
    # Work on a padded crop: the blur and Sobel need a margin, the rest of the frame is not needed.
    pad = int(3 * max(0.8, w / 40)) + 3
    ya, yb, xa, xb = max(0, y0 - pad), min(h_img, y1 + pad), max(0, x0 - pad), min(w_img, x1 + pad)
    img = cv2.GaussianBlur(rgb[ya:yb, xa:xb].astype(np.float32), (0, 0), max(0.8, w / 40))
    gx = np.stack([cv2.Sobel(img[..., k], cv2.CV_32F, 1, 0, ksize=3) for k in range(img.shape[2])])
    gy = np.stack([cv2.Sobel(img[..., k], cv2.CV_32F, 0, 1, ksize=3) for k in range(img.shape[2])])
    jxx, jyy, jxy = (gx * gx).sum(0), (gy * gy).sum(0), (gx * gy).sum(0)
    roi = (y0 - ya, y1 - ya, x0 - xa, x1 - xa)
    return dominant_tilt_deg(jxx, jyy, jxy, body[ya:yb, xa:xb] > 0, roi, cfg)


def dominant_tilt_deg(
    jxx: np.ndarray,
    jyy: np.ndarray,
    jxy: np.ndarray,
    inside: np.ndarray,
    roi: tuple[int, int, int, int],
    cfg: PelvisSettings,
) -> float:
    """Line direction (deg, + = right end lower) of the summed structure tensor over the pixels of ``roi``
    (y0, y1, x0, x1) that are ``inside`` and whose own edge is within ``cfg.max_tilt_deg`` of horizontal."""
    y0, y1, x0, x1 = roi
    sel = np.zeros(inside.shape, bool)
    sel[y0:y1, x0:x1] = True
    theta = 0.5 * np.arctan2(2 * jxy, jxx - jyy)  # gradient orientation per pixel
    tilt = (np.degrees(theta) - 90.0 + 90.0) % 180.0 - 90.0
    ok = sel & inside & (np.abs(tilt) < cfg.max_tilt_deg) & (jxx + jyy > 0)
    if int(ok.sum()) < cfg.min_edge_pixels:
        return math.nan
    a, b, d = float(jxx[ok].sum()), float(jyy[ok].sum()), float(jxy[ok].sum())
    t = math.degrees(0.5 * math.atan2(2 * d, a - b)) - 90.0
    return (t + 90.0) % 180.0 - 90.0


def _nearest_pose(result, width: int, height: int, near_xy: np.ndarray | None) -> int | None:
    if not result.pose_landmarks:
        return None
    if near_xy is None or not np.all(np.isfinite(near_xy)):
        return 0
    d = []
    for lms in result.pose_landmarks:
        hips = [lms[INDEX["left_hip"]], lms[INDEX["right_hip"]]]
        mid = np.array([(hips[0].x + hips[1].x) * width / 2, (hips[0].y + hips[1].y) * height / 2])
        d.append(float(np.hypot(*(mid - near_xy))))
    return int(np.argmin(d))


def nearest_frames(
    frames: Iterable[tuple[float, np.ndarray]], wanted_s: Sequence[float], max_gap_s: float
) -> Iterator[tuple[float, np.ndarray]]:
    """For each wanted time (sorted), the frame nearest to it within ``max_gap_s``, yielded as soon as no later
    frame can be nearer: frames stream through and only the current candidates are held (a long rear clip has
    a midstance every ~0.35 s; holding all their frames would take gigabytes)."""
    wanted = list(wanted_s)
    best: dict[float, tuple[float, np.ndarray]] = {}
    i = 0  # first wanted time not yet yielded
    for time_s, rgb in frames:
        while i < len(wanted) and time_s > wanted[i] + max_gap_s:  # later frames are only farther
            if wanted[i] in best:
                yield wanted[i], best.pop(wanted[i])[1]
            i += 1
        if i >= len(wanted):
            return
        for t in wanted[i:]:
            if t - time_s > max_gap_s:
                break
            gap = abs(t - time_s)  # within max_gap_s: earlier times were passed, later ones broke the loop
            if t not in best or gap < best[t][0]:
                best[t] = (gap, rgb)
    for t in wanted[i:]:
        if t in best:
            yield t, best.pop(t)[1]


def measure_pelvis_lines(
    video_path: str | os.PathLike[str],
    times_s: Sequence[float],
    model_path: str | None,
    hip_mid_px: Mapping[float, np.ndarray] | None,
    cfg: PelvisSettings,
) -> dict[float, float]:
    """Midstance time -> image tilt of the pelvis line (deg, + = image-right end lower) for each time whose
    nearest frame (within ``cfg.max_gap_s``) yields a line. Decodes the clip once and runs the PoseLandmarker (IMAGE
    mode, segmentation mask) only on those frames. ``hip_mid_px`` (time -> tracked hip centre) picks the runner
    when the landmarker sees several people."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.pose.models import resolve_model
    from formcheck.pose.native_log import filtered_native_stderr
    from formcheck.video import VideoReader

    wanted = sorted({float(t) for t in times_s if math.isfinite(t)})
    if not wanted:
        return {}
    path, _ = resolve_model(model_path)
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=2,
        output_segmentation_masks=True,
    )
    out: dict[float, float] = {}
    max_gap_s = cfg.max_gap_s
    window = (max(0.0, wanted[0] - max_gap_s), wanted[-1] + max_gap_s)
    with filtered_native_stderr():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    with landmarker, VideoReader(str(video_path), *window) as reader:
        for t, rgb in nearest_frames(((f.time_s, f.rgb) for f in reader), wanted, max_gap_s):
            h, w = rgb.shape[:2]
            result = landmarker.detect(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
            )
            k = _nearest_pose(result, w, h, None if hip_mid_px is None else hip_mid_px.get(t))
            if k is None or not result.segmentation_masks:
                continue
            xy = np.array([[p.x * w, p.y * h] for p in result.pose_landmarks[k]])
            tilt = waist_line_tilt_deg(rgb, result.segmentation_masks[k].numpy_view(), xy, cfg)
            if math.isfinite(tilt):
                out[t] = tilt
    logger.info("pelvis line measured at %d of %d midstances", len(out), len(wanted))
    return out


def save_pelvis(path: str | os.PathLike[str], lines: Mapping[float, float]) -> None:
    """Write the per-midstance image tilts as ``pelvis.json`` (so ``reanalyze`` needs no video)."""
    doc = {
        "format": PELVIS_FORMAT,
        "angle": "image tilt of the pelvis line, deg, + = image-right end lower",
        "midstance": [
            {"time_s": round(float(t), 6), "tilt_deg": round(float(v), 3)} for t, v in lines.items()
        ],
    }
    Path(path).write_text(json.dumps(doc, indent=1))


def load_pelvis(path: str | os.PathLike[str]) -> dict[float, float] | None:
    """Read ``pelvis.json``; None when the file is absent or not in this format."""
    p = Path(path)
    if not p.is_file():
        return None
    try:
        doc = json.loads(p.read_text())
        if doc.get("format") != PELVIS_FORMAT:
            return None
        return {float(r["time_s"]): float(r["tilt_deg"]) for r in doc["midstance"]}
    except (ValueError, KeyError, TypeError) as e:
        logger.warning("ignoring %s: %s", p, e)
        return None
