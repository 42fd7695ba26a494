"""Can the body outline give sagittal pelvic tilt from a side view? (METRICS.md 5.7; the result is in
docs/pelvic_tilt_side_view.md.)

Renders the synthetic runner with a shaped pelvis tipped forward by a known angle (0, 10, 20 deg) in shorts and in
tights, runs MediaPipe's PoseLandmarker (IMAGE mode, segmentation mask) on the midstance frames, and reads the
angle of the back outline over the buttock and lower back against the trunk line (hip centre to shoulder centre
landmarks); the same on the exact silhouette with exact landmarks (what a perfect mask would give) and on the
mirror image. A reading passes METRICS.md 5.7's bar if its change from the 0 deg clip follows the rendered tilt
within 3 deg and the mirror image reads the same.

    python benchmarks/pelvic_outline_probe.py
"""

from __future__ import annotations

import math
import sys

import numpy as np

from formcheck.skeleton import INDEX
from formcheck.synth.params import Body, RunnerParams
from formcheck.synth.render import FrameRenderer
from formcheck.synth.truth import compute_truth, landmarks_px

HEIGHTS_M = np.linspace(-0.04, 0.16, 11)  # outline rows read, metres above the hip centre along the trunk


def outline_angle_deg(mask: np.ndarray, xy: np.ndarray, sign: int, px_per_m: float) -> float:
    """Angle of the back outline against the trunk line, + = the outline's top tipped forward (anterior tilt)."""
    hip = 0.5 * (xy[INDEX["left_hip"]] + xy[INDEX["right_hip"]])
    sh = 0.5 * (xy[INDEX["left_shoulder"]] + xy[INDEX["right_shoulder"]])
    up = (sh - hip) / np.linalg.norm(sh - hip)
    back = np.array([-up[1], up[0]])
    if back[0] * sign > 0:
        back = -back
    offsets, heights = [], []
    h, w = mask.shape
    for hm in HEIGHTS_M:
        start = hip + hm * px_per_m * up
        last = None
        for d in np.arange(0.0, 0.35 * px_per_m, 0.5):
            x, y = start + d * back
            xi, yi = int(round(x)), int(round(y))
            if not (0 <= xi < w and 0 <= yi < h) or mask[yi, xi] < 0.5:
                break
            last = d
        if last is not None:
            offsets.append(last / px_per_m)
            heights.append(hm)
    if len(heights) < 5:
        return float("nan")
    slope = np.polyfit(heights, offsets, 1)[0]  # metres backward per metre up
    return -math.degrees(math.atan(slope))


def read_clip(params: RunnerParams, landmarker) -> tuple[list[float], list[float], list[float]]:
    """Outline angles at each midstance: on the exact silhouette with the exact landmarks, through MediaPipe (mask
    and landmarks), and through MediaPipe on the mirror image (the frame flipped left-right)."""
    import mediapipe as mp

    renderer = FrameRenderer(params)
    t = renderer.time_s
    exact_xy = landmarks_px(params, t)
    truth = compute_truth(params, t, exact_xy)
    px_per_m = truth.leg_length_px / Body(params.height_m).leg_m
    exact, seen, mirrored = [], [], []
    for step in truth.steps:
        k = int(np.argmin(np.abs(t - step["midstance_s"])))
        rgb = renderer.render(k)
        draw_body = renderer._body_parts
        renderer._body_parts = lambda i, parts: None  # the same frame without the runner
        background = renderer.render(k)
        renderer._body_parts = draw_body
        silhouette = (np.abs(rgb.astype(int) - background.astype(int)).sum(-1) > 12).astype(float)
        exact.append(outline_angle_deg(silhouette, exact_xy[k], params.sign, px_per_m))
        for image, sign, out in ((rgb, params.sign, seen), (rgb[:, ::-1], -params.sign, mirrored)):
            res = landmarker.detect(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(image))
            )
            if not res.pose_landmarks or not res.segmentation_masks:
                continue
            hh, ww = image.shape[:2]
            xy = np.array([[q.x * ww, q.y * hh] for q in res.pose_landmarks[0]])
            out.append(outline_angle_deg(res.segmentation_masks[0].numpy_view(), xy, sign, px_per_m))
    return exact, seen, mirrored


def main() -> int:
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.pose.models import resolve_model

    path, _ = resolve_model(None)
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=vision.RunningMode.IMAGE,
        output_segmentation_masks=True,
    )
    landmarker = vision.PoseLandmarker.create_from_options(options)
    base = dict(duration_s=3.0, short_side_px=720)
    print(
        "clothing  tilt | exact silhouette: angle (change) | MediaPipe: angle (change) SD | mirror image: angle (change)"
    )
    for tights in (False, True):
        ref = None
        for tilt in (0.0, 10.0, 20.0):
            reads = read_clip(RunnerParams(tights=tights, sagittal_pelvic_tilt_deg=tilt, **base), landmarker)
            med = [float(np.nanmedian(v)) if v else float("nan") for v in reads]
            ref = med if ref is None else ref
            print(
                f"{'tights' if tights else 'shorts':8s} {tilt:5.0f} | {med[0]:5.1f} ({med[0] - ref[0]:+5.1f}) | "
                f"{med[1]:5.1f} ({med[1] - ref[1]:+5.1f}) {np.nanstd(reads[1]):4.1f} | "
                f"{med[2]:5.1f} ({med[2] - ref[2]:+5.1f})   n={len(reads[1])}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
