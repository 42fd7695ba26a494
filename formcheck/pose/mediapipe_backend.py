"""The MediaPipe Tasks PoseLandmarker (BlazePose GHUM) behind formcheck's ``PoseEstimator`` interface.

Runs in ``RunningMode.VIDEO`` so that the landmarker tracks the person from frame to frame (the detector only runs
when tracking is lost). Landmarks come back normalised to the image passed in; they are multiplied by the frame's
width and height separately, so ``xy_px`` is in pixels of the frame given to ``detect``. Visibility is ``min(visibility, presence)``: BlazePose's
``visibility`` says a landmark is not occluded, ``presence`` that it lies inside the image; a point off the edge of
the frame can have a high visibility but a low presence, and the pipeline should not trust it.

Frames are passed at full resolution: the networks see a fixed 224x224 (detector) and 256x256 (landmarks) crop, so
shrinking the frame first saves no time (measured on 720x1280 and 1080x1920 clips: ~40 frames/s either way, and a
resize costs 9-21 ms per frame) and moves landmarks by ~1% of leg length (median; 3.6% at the 90th percentile).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from formcheck.errors import ModelError
from formcheck.pose.base import PoseDetection
from formcheck.pose.native_log import filtered_native_stderr
from formcheck.skeleton import N_LANDMARKS

logger = logging.getLogger(__name__)


class MediaPipePose:
    """``PoseEstimator`` backed by ``mediapipe.tasks.python.vision.PoseLandmarker`` in VIDEO mode, or, with
    ``still_images``, in IMAGE mode: every call detects afresh (no tracking between calls), for the zoomed search
    (pose/zoom.py), whose crops move and change from call to call."""

    _still_images = False  # VIDEO mode unless asked

    def __init__(
        self,
        model_path: str | Path,
        model_name: str,
        num_poses: int = 1,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        still_images: bool = False,
    ) -> None:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self.name = model_name
        self._mp = mp
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.IMAGE if still_images else vision.RunningMode.VIDEO,
            num_poses=int(num_poses),
            min_pose_detection_confidence=float(min_detection_confidence),
            min_pose_presence_confidence=float(min_presence_confidence),
            min_tracking_confidence=float(min_tracking_confidence),
            output_segmentation_masks=False,
        )
        try:
            with filtered_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as e:
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise ModelError(
                f"cannot load pose model {Path(model_path).name} ({first[:160]}): pass a PoseLandmarker .task bundle"
            ) from e
        self._still_images = bool(still_images)
        self._last_ms = -1
        self._closed = False
        # MediaPipe's graph logs one native WARNING line the first time it finds a person; the calls up to that one
        # are wrapped in the same filter as the creation, the rest (nearly every frame) are not.
        self._quiet_until_found = True

    def __enter__(self) -> MediaPipePose:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._landmarker.close()
            self._closed = True

    def _timestamp_ms(self, time_s: float) -> int:
        if not math.isfinite(time_s):
            raise ValueError(f"frame time must be finite, got {time_s}")
        ms = int(round(time_s * 1000.0))
        if ms <= self._last_ms:
            ms = self._last_ms + 1  # MediaPipe needs strictly increasing timestamps
        self._last_ms = ms
        return ms

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        """People in ``rgb`` (H, W, 3 uint8 RGB), largest first, in pixels of ``rgb``."""
        if self._closed:
            raise RuntimeError("detect() after close()")
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an (H, W, 3) uint8 RGB frame, got {rgb.dtype} {rgb.shape}")
        h, w = rgb.shape[:2]
        ms = self._timestamp_ms(time_s)
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._quiet_until_found:
            with filtered_native_stderr():
                result = self._run(image, ms)
            self._quiet_until_found = not result.pose_landmarks
        else:
            result = self._run(image, ms)
        detections: list[PoseDetection] = []
        worlds = result.pose_world_landmarks or []
        for i, landmarks in enumerate(result.pose_landmarks or []):
            if len(landmarks) != N_LANDMARKS:
                logger.warning(
                    "pose model returned %d landmarks, expected %d; ignored", len(landmarks), N_LANDMARKS
                )
                continue
            arr = np.array(
                [(p.x, p.y, p.visibility or 0.0, p.presence or 0.0) for p in landmarks], dtype=float
            )
            xy = np.column_stack([arr[:, 0] * w, arr[:, 1] * h])
            vis = np.clip(np.minimum(arr[:, 2], arr[:, 3]), 0.0, 1.0)
            world = None
            if i < len(worlds) and len(worlds[i]) == N_LANDMARKS:
                world = np.array([(p.x, p.y, p.z) for p in worlds[i]], dtype=float)
            detections.append(PoseDetection(xy_px=xy, visibility=vis, world_xyz=world))
        detections.sort(key=_bbox_area, reverse=True)
        return detections

    def _run(self, image: object, ms: int) -> object:
        if self._still_images:
            return self._landmarker.detect(image)
        return self._landmarker.detect_for_video(image, ms)


def _bbox_area(d: PoseDetection) -> float:
    span = np.nanmax(d.xy_px, axis=0) - np.nanmin(d.xy_px, axis=0)
    return float(span[0] * span[1])
