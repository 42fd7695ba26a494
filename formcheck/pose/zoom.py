"""A runner too small for the whole-frame detector: search zoomed tiles, then follow the runner with a crop.

BlazePose's detector sees the whole frame shrunk to 224x224, so a sprinter 150 px tall in a 1680x720 frame is
20 px there and is not found (docs/small_runner.md). ``ZoomedSearch`` poses crops of the frame instead, at full
resolution: while the runner is lost, overlapping square tiles (the frame's short side, then half of it); once
found, one square crop a few box heights wide centred on the last find. Landmarks are mapped back to the full
frame, so the tracker and everything after see ordinary full-frame detections. The estimator must detect afresh
on every call (MediaPipe's IMAGE mode): the crops move and change size from call to call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.config import PoseSettings
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.tracking import Box, box_of
from formcheck.skeleton import INDEX

_CORE = [INDEX[n] for n in ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")]


@dataclass(frozen=True)
class Crop:
    """A square window of the frame: top-left corner (``x0_px``, ``y0_px``) and ``side_px``."""

    x0_px: int
    y0_px: int
    side_px: int

    def cut(self, rgb: np.ndarray) -> np.ndarray:
        return rgb[self.y0_px : self.y0_px + self.side_px, self.x0_px : self.x0_px + self.side_px]


def _starts(length_px: int, side_px: int) -> list[int]:
    """Window starts along one axis: every half side, the last one flush with the far edge."""
    starts = list(range(0, length_px - side_px + 1, max(1, side_px // 2)))
    if starts[-1] != length_px - side_px:
        starts.append(length_px - side_px)
    return starts


def tile_grid(frame_w: int, frame_h: int, side_px: int) -> list[Crop]:
    """Square tiles of ``side_px`` (at most the frame's short side) overlapping by half and covering the frame,
    so that anyone smaller than half a tile lies wholly inside one."""
    side = int(min(side_px, frame_w, frame_h))
    return [Crop(x, y, side) for y in _starts(frame_h, side) for x in _starts(frame_w, side)]


def tile_levels(frame_w: int, frame_h: int) -> list[list[Crop]]:
    """The tiles searched, coarse first: the frame's short side, then half of it."""
    short = min(frame_w, frame_h)
    return [tile_grid(frame_w, frame_h, short), tile_grid(frame_w, frame_h, max(short // 2, 1))]


def follow_crop(box: Box, frame_w: int, frame_h: int, box_heights: float) -> Crop:
    """A square ``box_heights`` times the person's box height (at most the frame's short side), centred on the box
    and shifted to lie inside the frame."""
    x0, y0, x1, y1 = box
    side = int(round(min(max(box_heights * (y1 - y0), 64.0), frame_w, frame_h)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = int(round(np.clip(cx - side / 2, 0, frame_w - side)))
    top = int(round(np.clip(cy - side / 2, 0, frame_h - side)))
    return Crop(left, top, side)


def to_frame(detection: PoseDetection, crop: Crop) -> PoseDetection:
    """The detection in pixels of the full frame (it was found in ``crop``)."""
    xy = np.asarray(detection.xy_px, dtype=float) + np.array([crop.x0_px, crop.y0_px], dtype=float)
    return PoseDetection(xy_px=xy, visibility=detection.visibility, world_xyz=detection.world_xyz)


def core_visibility(detection: PoseDetection) -> float:
    """Mean visibility of the hips, knees and ankles: how surely the legs were seen."""
    return float(np.mean(detection.visibility[_CORE]))


class ZoomedSearch:
    """A ``PoseEstimator`` over crops of the frame (see the module docstring); returns at most one person, the
    surest find. ``crops_posed`` and ``gave_up`` say what it cost and whether it found anyone at all."""

    def __init__(
        self, estimator: PoseEstimator, frame_w: int, frame_h: int, fps: float, cfg: PoseSettings
    ) -> None:
        self.name = estimator.name
        self._estimator = estimator
        self._w, self._h = int(frame_w), int(frame_h)
        self._cfg = cfg
        self._levels = tile_levels(self._w, self._h)
        self._search_every = max(1, int(round(cfg.zoom_lost_search_every_s * fps)))
        self._give_up_frames = max(1, int(round(cfg.zoom_give_up_s * fps)))
        self._box: Box | None = None
        self._frames = 0
        self._lost_frames = 0
        self._ever_found = False
        self.crops_posed = 0
        self.gave_up = False

    def __enter__(self) -> ZoomedSearch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._estimator.close()

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self._frames += 1
        if self.gave_up:
            return []
        if self._box is not None:
            found = self._best(
                rgb, time_s, [follow_crop(self._box, self._w, self._h, self._cfg.zoom_follow_box_heights)]
            )
            if found is not None:
                return self._keep(found)
            self._box = None
            self._lost_frames = 0
        self._lost_frames += 1
        if (self._lost_frames - 1) % self._search_every == 0:
            for level in self._levels:
                found = self._best(rgb, time_s, level)
                if found is not None:
                    return self._keep(found)
        if not self._ever_found and self._frames >= self._give_up_frames:
            self.gave_up = True
        return []

    def _keep(self, found: PoseDetection) -> list[PoseDetection]:
        self._box = box_of(found.xy_px, found.visibility, self._cfg.box_visibility_min)
        self._ever_found = True
        return [found]

    def _best(self, rgb: np.ndarray, time_s: float, crops: list[Crop]) -> PoseDetection | None:
        """The surest person found in any of ``crops`` (in full-frame pixels), or None."""
        best: tuple[float, PoseDetection] | None = None
        for crop in crops:
            self.crops_posed += 1
            for det in self._estimator.detect(np.ascontiguousarray(crop.cut(rgb)), time_s):
                sure = core_visibility(det)
                box = box_of(det.xy_px, det.visibility, self._cfg.box_visibility_min)
                if box is None or sure < self._cfg.zoom_min_core_visibility:
                    continue
                if box[3] - box[1] < self._cfg.zoom_min_box_fraction * crop.side_px:
                    continue
                if best is None or sure > best[0]:
                    best = (sure, to_frame(det, crop))
        return None if best is None else best[1]
