"""``--person N`` when the pose model saw one person at a time: pose person N again, alone, where it saw another.

On overground_front_two_joggers the pose model returns one person a frame and holds the woman in four frames of
five, so the man (``--person 1``) is seen in a fifth of the clip only (docs/tracking.md). His frames are posed again
on a crop of where he is (his box, between the frames he was seen in, widened by ``refind_margin_box``), where the
other person is mostly cut away, and a find is kept only when it is him: its torso's colours within
``appearance_max_distance`` of his track's (pose/appearance.py) and its box over the one expected. Pure but for the
estimator; the pose pass (pose/run.py) feeds the frames.
"""

from __future__ import annotations

import numpy as np

from formcheck.config import PoseSettings
from formcheck.pose.appearance import colour_distance, torso_colour
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.tracking import Box, Track, box_of, iou


def expected_boxes(track: Track, n_frames: int) -> list[Box | None]:
    """Where the person is in each frame of the clip: their box where seen, the box interpolated linearly between
    the two sightings around a frame where not; None before the first sighting and after the last."""
    out: list[Box | None] = [None] * n_frames
    frames = np.asarray(track.frames)
    boxes = np.asarray(track.boxes, dtype=float)
    if frames.size == 0:
        return out
    for k in range(int(frames[0]), min(int(frames[-1]) + 1, n_frames)):
        out[k] = tuple(float(np.interp(k, frames, boxes[:, i])) for i in range(4))  # type: ignore[assignment]
    return out


def crop_around(box: Box, margin_box: float, frame_w: int, frame_h: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) in pixels: ``box`` grown by ``margin_box`` of its height on every side, inside the frame."""
    grow = margin_box * (box[3] - box[1])
    x0, y0 = max(0, int(box[0] - grow)), max(0, int(box[1] - grow))
    x1, y1 = min(frame_w, int(np.ceil(box[2] + grow))), min(frame_h, int(np.ceil(box[3] + grow)))
    return x0, y0, x1, y1


def refind(
    rgb: np.ndarray,
    expected: Box,
    colour: np.ndarray,
    estimator: PoseEstimator,
    time_s: float,
    cfg: PoseSettings,
) -> PoseDetection | None:
    """The person expected in ``expected`` of the frame ``rgb``, posed on a crop around it (pixels of the full
    frame, with its torso colour), or None when nobody there looks like ``colour`` or overlaps ``expected``."""
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = crop_around(expected, cfg.refind_margin_box, width, height)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    for found in estimator.detect(np.ascontiguousarray(rgb[y0:y1, x0:x1]), time_s):
        xy = np.asarray(found.xy_px, dtype=float) + (x0, y0)
        box = box_of(xy, found.visibility, cfg.box_visibility_min)
        if box is None or iou(box, expected) < cfg.refind_iou_min:
            continue
        looks = torso_colour(rgb, xy, found.visibility, cfg.identity_jump_trunk_visibility_min)
        if looks is None or colour_distance(looks, colour) > cfg.appearance_max_distance:
            continue
        return PoseDetection(
            xy_px=xy, visibility=found.visibility, world_xyz=found.world_xyz, appearance=looks
        )
    return None
