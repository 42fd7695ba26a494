"""Cut small boxes out of chosen frames of a clip in one decode (the sole edge's foot crops, formcheck/sole_edge.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np

from formcheck.video.reader import VideoReader

Box = tuple[int, int, int, int]  # x0, y0, x1, y1, px, inclusive


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
        for frame in reader:
            for key in wanted.get(frame.index, ()):
                x0, y0, x1, y1 = windows[key][1]
                crops[key].append(frame.rgb[y0 : y1 + 1, x0 : x1 + 1].copy())
            if frame.index >= last:
                break
    return crops
