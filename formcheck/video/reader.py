"""Decode a video frame by frame with PyAV: upright RGB frames with their real timestamps in seconds.

Contract (other modules rely on it):

- ``probe_video(path) -> VideoInfo``: reads the container only (fast); raises ``VideoError`` with a one-line,
  actionable message for a missing, empty, non-video, audio-only, truncated or unreadable file.
- ``VideoReader(path, start_s=None, end_s=None)`` is a context manager; ``.info`` is the VideoInfo; iterating yields
  ``Frame(index, time_s, rgb)`` where ``rgb`` is an (H, W, 3) uint8 array of the *upright* frame (rotation metadata
  applied) and ``time_s`` the presentation time in seconds from the first frame of the file (not ``index / fps``).
  ``index`` counts decoded frames from 0 within the chosen range. Corrupt frames in the middle are skipped with a
  warning in ``.warnings``; a file that decodes no frame at all raises ``VideoError``.
- Slow motion: when the container's metadata gives a capture frame rate higher than the playback rate
  (e.g. ``com.android.capture.fps``, Apple's slow-motion keys), ``VideoInfo.capture_fps`` holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from formcheck.model import VideoInfo


@dataclass(frozen=True)
class Frame:
    index: int
    time_s: float
    rgb: np.ndarray


def probe_video(path: str) -> VideoInfo:
    raise NotImplementedError


class VideoReader:
    def __init__(self, path: str, start_s: float | None = None, end_s: float | None = None) -> None:
        raise NotImplementedError

    info: VideoInfo
    warnings: list[str]

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Frame]:
        raise NotImplementedError
