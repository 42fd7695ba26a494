"""Pose estimation behind a small interface. Only this package imports mediapipe (lazily, when a model is loaded)."""

from __future__ import annotations

from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.mediapipe_backend import MediaPipePose
from formcheck.pose.models import build_default_bundle, cache_dir, resolve_model


def open_estimator(model_path: str | None = None, **options: float) -> MediaPipePose:
    """The pose estimator for ``--model`` (None: the default BlazePose full bundle, built on first use).
    ``options`` go to ``MediaPipePose`` (``num_poses``, ``min_detection_confidence``, ...)."""
    path, name = resolve_model(model_path)
    return MediaPipePose(path, name, **options)


__all__ = [
    "MediaPipePose",
    "PoseDetection",
    "PoseEstimator",
    "build_default_bundle",
    "cache_dir",
    "open_estimator",
    "resolve_model",
]
