"""Cut small boxes out of chosen frames of a clip in one decode (the sole edge's foot crops, formcheck/sole_edge.py).

Only the boxes' part of a frame is converted to RGB (the smallest box holding the frame's foot boxes, one conversion),
not the whole frame (docs/contacts.md "On by default?", cost)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import av
import numpy as np

from formcheck.video.reader import VideoReader

Box = tuple[int, int, int, int]  # x0, y0, x1, y1, px, inclusive
# Planar 4:2:0 frames, whose boxes convert on their own. Converted by the same swscale call as the whole frame, a box
# aligned to the chroma grid gives the whole frame's pixels exactly (tests/unit/test_foot_crops.py); others (a
# rotated or rescaled picture, another pixel format) are converted whole.
BOX_FORMATS = ("yuv420p", "yuvj420p")


def cut_crops(
    video_path: str | os.PathLike[str],
    windows: Mapping[int, tuple[Sequence[int], Box]],
    start_s: float | None = None,
    end_s: float | None = None,
) -> dict[int, list[np.ndarray]]:
    """Window key -> its crops, one per frame of ``windows[key] = (frame indices, box)``, in frame order. Frame
    indices count the frames decoded from ``start_s`` (as the pose pass does, so they are the landmarks' indices);
    decoding stops after the last frame wanted. A window whose frames were not all decoded gets fewer crops."""
    wanted: dict[int, list[int]] = {}
    for key, (frames, _) in windows.items():
        for f in frames:
            wanted.setdefault(int(f), []).append(key)
    crops: dict[int, list[np.ndarray]] = {key: [] for key in windows}
    if not wanted:
        return crops
    last = max(wanted)
    with VideoReader(str(video_path), start_s=start_s, end_s=end_s) as reader:
        for index, t, frame in reader.decoded():
            keys = wanted.get(index, ())
            if not keys:
                pass
            elif reader.is_plain(frame) and frame.format.name in BOX_FORMATS:
                boxes = np.array([windows[key][1] for key in keys])
                ux0, uy0 = boxes[:, :2].min(axis=0)
                ux1, uy1 = boxes[:, 2:].max(axis=0)
                part = box_rgb(
                    frame, (int(ux0), int(uy0), int(ux1), int(uy1))
                )  # one conversion for the frame
                for key in keys:
                    x0, y0, x1, y1 = windows[key][1]
                    crops[key].append(part[y0 - uy0 : y1 + 1 - uy0, x0 - ux0 : x1 + 1 - ux0].copy())
            else:
                rgb = reader.upright_rgb(frame, t)
                for key in keys:
                    x0, y0, x1, y1 = windows[key][1]
                    crops[key].append(rgb[y0 : y1 + 1, x0 : x1 + 1].copy())
            if index >= last:
                break
    return crops


def box_rgb(frame: av.VideoFrame, box: Box) -> np.ndarray:
    """The RGB pixels of ``box`` (inclusive, within the frame) of a planar 4:2:0 frame, converted on their own: the
    box widened to even columns and to a multiple of 4 rows from an even row (one chroma sample per 2x2 pixels; PyAV
    packs a 4:2:0 frame's chroma rows two to a row), the same colour space and range as the frame."""
    x0, y0, x1, y1 = box
    width, height = frame.width, frame.height
    bx0, bx1 = x0 // 2 * 2, min((x1 + 2) // 2 * 2, width)
    by0 = y0 // 2 * 2
    rows = -(-(y1 + 1 - by0) // 4) * 4
    if by0 + rows > height:
        by0 = max(height - rows, 0) // 2 * 2
    by1 = min(by0 + rows, height)
    w, h = bx1 - bx0, by1 - by0
    if w % 2 or h % 4:  # an odd-sized frame's edge: convert the whole frame instead
        return np.ascontiguousarray(frame.to_ndarray(format="rgb24")[y0 : y1 + 1, x0 : x1 + 1])
    packed = np.empty((h * 3 // 2, w), np.uint8)
    packed[:h] = _plane(frame, 0)[by0:by1, bx0:bx1]
    for i, rows_at in ((1, h), (2, h + h // 4)):
        chroma = _plane(frame, i)[by0 // 2 : by1 // 2, bx0 // 2 : bx1 // 2]
        packed[rows_at : rows_at + h // 4] = chroma.reshape(h // 4, w)
    part = av.VideoFrame.from_ndarray(packed, format=frame.format.name)
    part.colorspace, part.color_range = frame.colorspace, frame.color_range
    rgb = part.to_ndarray(format="rgb24")
    return np.ascontiguousarray(rgb[y0 - by0 : y1 + 1 - by0, x0 - bx0 : x1 + 1 - bx0])


def _plane(frame: av.VideoFrame, i: int) -> np.ndarray:
    """Plane ``i`` of a decoded frame as a (rows, columns) view, its line padding cut off."""
    plane = frame.planes[i]
    return np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[: plane.height, : plane.width]
