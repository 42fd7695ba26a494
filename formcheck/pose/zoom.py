"""A runner too small for the whole-frame detector: search zoomed tiles, then follow the runner with a crop.

BlazePose's detector sees the whole frame shrunk to 224x224, so a sprinter 150 px tall in a 1680x720 frame is
20 px there and is not found (docs/small_runner.md). ``ZoomedSearch`` poses crops of the frame instead, at full
resolution: while the runner is lost, overlapping square tiles (the frame's short side, then half of it); once
found, one square crop a few box heights wide centred on the last find. Only frames where the whole-frame pass
did not see the runner are posed, and a find must lie near the runner's path there, so a bystander elsewhere is
not taken for the runner. Landmarks are mapped back to the full frame. The estimator must detect afresh
on every call (MediaPipe's IMAGE mode): the crops move and change size from call to call.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from formcheck.config import PoseSettings
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.tracking import Box, box_of
from formcheck.processing.gating import LEG_CORE


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
    return float(np.mean(detection.visibility[LEG_CORE]))


def box_centre_px(box: Box) -> np.ndarray:
    """The centre (x, y) of a box, in pixels."""
    return np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])


@dataclass(frozen=True)
class Near:
    """Where a find may lie: its box centre within ``radius_px`` of ``centre_px`` (the runner's path)."""

    centre_px: np.ndarray
    radius_px: float


def _next_known(known: Sequence[Box | None]) -> list[int]:
    """For each frame, the index of the next frame (itself included) with a known box, -1 when none follows."""
    out, nxt = [-1] * len(known), -1
    for k in range(len(known) - 1, -1, -1):
        if known[k] is not None:
            nxt = k
        out[k] = nxt
    return out


def refine_frames(leg_px: np.ndarray, fps: float, below_px: float) -> np.ndarray:
    """Per frame: is the runner small enough for a zoomed second look? True where the median of the runner's leg
    length (``leg_px``, pixels, NaN where unseen) over the second around the frame is under ``below_px``; False
    where no leg was seen within that second, and everywhere when ``below_px`` is 0 (off). The median over a
    second (about two strides) keeps one short or long reading, a bent or foreshortened leg, from flipping
    single frames in and out."""
    leg = np.asarray(leg_px, dtype=float)
    if below_px <= 0 or leg.size == 0:
        return np.zeros(leg.size, dtype=bool)
    half = max(1, int(round(fps))) // 2
    windows = sliding_window_view(np.pad(leg, half, constant_values=np.nan), 2 * half + 1)
    seen = np.isfinite(windows).any(axis=1)
    with warnings.catch_warnings():  # a window with no leg at all: NaN, not refined
        warnings.simplefilter("ignore", RuntimeWarning)
        median_px = np.nanmedian(windows, axis=1)
    return seen & (median_px < below_px)


class ZoomedSearch:
    """A ``PoseEstimator`` over crops of the frame (see the module docstring); returns at most one person a frame.

    ``known[k]`` is the runner's box at frame k when the whole-frame pass saw them there (None where it did not):
    those frames are not posed (they cost nothing), and finds elsewhere must lie near the runner's path
    (``Near``: within a few box heights of the last sighting, growing with the time lost; before the first
    sighting, of the next one; the growth stops after ``zoom_near_max_lost_s``). With nothing known, the first
    find seeds the path, and after a longer loss anyone may re-seed it. While lost, tiles are searched
    every ``zoom_lost_search_every_s``, backing off to every ``zoom_search_backoff_every_s`` after
    ``zoom_search_backoff_after_s``; ``budget_crops`` bounds the crops posed in all (``exhausted`` then says so).
    ``crops_posed`` and ``found_any`` say what it cost and whether it found anyone.

    ``refine[k]`` (a runner seen, but small): frame k, where the whole-frame pass saw the runner, is posed again on
    one crop ``zoom_refine_box_heights`` of its box heights wide centred on its box, and a find whose box centre
    lies within ``zoom_refine_near_box_heights`` of that box's is returned (``refined`` counts them). With
    ``search_lost`` False only those second looks are made: frames where the runner is lost are not searched."""

    def __init__(
        self,
        estimator: PoseEstimator,
        frame_w: int,
        frame_h: int,
        fps: float,
        cfg: PoseSettings,
        known: Sequence[Box | None] = (),
        budget_crops: int | None = None,
        refine: Sequence[bool] = (),
        search_lost: bool = True,
    ) -> None:
        self.name = estimator.name
        self._estimator = estimator
        self._w, self._h = int(frame_w), int(frame_h)
        self._fps = float(fps)
        self._cfg = cfg
        self._levels = tile_levels(self._w, self._h)
        self._search_every = max(1, int(round(cfg.zoom_lost_search_every_s * fps)))
        self._backoff_after = max(0, int(round(cfg.zoom_search_backoff_after_s * fps)))
        self._backoff_every = max(1, int(round(cfg.zoom_search_backoff_every_s * fps)))
        self._known = list(known)
        self._next_known = _next_known(self._known)
        self._any_known = any(b is not None for b in self._known)
        self._budget = budget_crops
        self._refine = list(refine)
        self._search_lost = search_lost
        self.refined = 0
        self._frame = -1
        self._follow: Box | None = None  # the crop follows this box (the last find or sighting)
        self._seen: tuple[int, Box] | None = None  # the runner's last (frame, box)
        self.crops_posed = 0
        self.found_any = False
        self.exhausted = False

    def __enter__(self) -> ZoomedSearch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._estimator.close()

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self._frame += 1
        k = self._frame
        if k < len(self._known) and self._known[k] is not None:
            box = self._known[k]
            self._seen = (k, box)  # the whole-frame pass has the runner here
            self._follow = box
            if k < len(self._refine) and self._refine[k]:
                return self._second_look(rgb, time_s, box)
            return []
        if not self._search_lost:
            return []
        near = self._near(k)
        if self._follow is not None:
            crop = follow_crop(self._follow, self._w, self._h, self._cfg.zoom_follow_box_heights)
            found = self._best(rgb, time_s, [crop], near)
            if found is not None:
                return self._keep(k, found)
            self._follow = None
        lost = k if self._seen is None else k - self._seen[0] - 1  # frames lost before this one
        if lost < self._backoff_after:
            due = lost % self._search_every == 0
        else:
            due = (lost - self._backoff_after) % self._backoff_every == 0
        if due:
            for level in self._levels:
                found = self._best(rgb, time_s, level, near)
                if found is not None:
                    return self._keep(k, found)
        return []

    def _second_look(self, rgb: np.ndarray, time_s: float, box: Box) -> list[PoseDetection]:
        """The runner posed again on a crop close around the whole-frame ``box``; [] when not found there."""
        crop = follow_crop(box, self._w, self._h, self._cfg.zoom_refine_box_heights)
        near = Near(box_centre_px(box), self._cfg.zoom_refine_near_box_heights * max(box[3] - box[1], 1.0))
        found = self._best(rgb, time_s, [crop], near)
        if found is None:
            return []
        self.refined += 1
        self.found_any = True
        return [found]

    def _near(self, k: int) -> Near | None:
        """Where a find at frame ``k`` may lie: near the runner's sighting nearest in time (the last one, or the
        whole-frame pass's next one); None: anywhere (nothing seen yet, or, with no whole-frame sighting at all,
        the path lost for longer than ``zoom_near_max_lost_s``)."""
        refs = [] if self._seen is None else [self._seen]
        nxt = self._next_known[k] if k < len(self._next_known) else -1
        if nxt >= 0:
            refs.append((nxt, self._known[nxt]))
        if not refs:
            return None
        frame, box = min(refs, key=lambda ref: abs(k - ref[0]))
        lost_s = abs(k - frame) / self._fps
        if lost_s > self._cfg.zoom_near_max_lost_s and not self._any_known:
            return None
        lost_s = min(lost_s, self._cfg.zoom_near_max_lost_s)
        heights = self._cfg.zoom_near_box_heights + self._cfg.zoom_near_growth_box_heights_per_s * lost_s
        return Near(box_centre_px(box), heights * max(box[3] - box[1], 1.0))

    def _keep(self, k: int, found: PoseDetection) -> list[PoseDetection]:
        box = box_of(found.xy_px, found.visibility, self._cfg.box_visibility_min)
        assert box is not None  # _best keeps only finds with a box
        self._follow = box
        self._seen = (k, box)
        self.found_any = True
        return [found]

    def _best(
        self, rgb: np.ndarray, time_s: float, crops: list[Crop], near: Near | None
    ) -> PoseDetection | None:
        """The find in ``crops`` (in full-frame pixels) nearest the runner's path (``near``; None: the surest find),
        or None; nothing is posed once the crop budget would be exceeded."""
        if self._budget is not None and self.crops_posed + len(crops) > self._budget:
            self.exhausted = True
            return None
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
                if near is None:
                    rank = -sure
                else:
                    rank = float(
                        np.linalg.norm(box_centre_px(box) + [crop.x0_px, crop.y0_px] - near.centre_px)
                    )
                    if rank > near.radius_px:
                        continue
                if best is None or rank < best[0]:
                    best = (rank, to_frame(det, crop))
        return None if best is None else best[1]
