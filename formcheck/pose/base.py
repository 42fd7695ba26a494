"""The pose-estimator interface the pipeline uses; the MediaPipe backend implements it.

Contract:

- ``PoseDetection``: one person in one frame: ``xy_px`` (33, 2) pixel coordinates in the frame that was passed
  (x right, y down; MediaPipe's normalised coordinates already multiplied by width and height separately),
  ``visibility`` (33,) in [0, 1], ``world_xyz`` (33, 3) metres or None, ``appearance`` what the person looks like
  (pose/appearance.py ``torso_colour``, added by the pose pass where the frame is at hand) or None.
- ``PoseEstimator.detect(rgb, time_s) -> list[PoseDetection]``: zero or more people, largest first. Calls come in
  increasing ``time_s`` (VIDEO mode tracking); the estimator keeps timestamps strictly increasing itself.
- ``name``: e.g. ``"blazepose-full"``, written to analysis.json ``pose.model``.
- ``close()``; estimators are context managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class PoseDetection:
    xy_px: np.ndarray
    visibility: np.ndarray
    world_xyz: np.ndarray | None = None
    appearance: np.ndarray | None = None


class PoseEstimator(Protocol):
    name: str

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]: ...

    def close(self) -> None: ...

    def __enter__(self) -> PoseEstimator: ...

    def __exit__(self, *exc: object) -> None: ...
