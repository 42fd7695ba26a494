"""Encode frames to a browser-playable H.264 (yuv420p) MP4 with PyAV, preserving each frame's timestamp.

Contract: ``VideoWriter(path, width, height, fps)`` is a context manager; ``write(rgb, time_s)`` adds an (H, W, 3)
uint8 frame shown at ``time_s`` seconds (variable frame rate preserved; times must increase). Output goes to a
temporary file beside ``path`` and is renamed into place only when the ``with`` block exits without an exception;
on an exception the temporary file is removed. Odd widths/heights are padded to even (yuv420p needs even sizes).
Write errors (disk full, folder not writable) raise ``OutputError`` with a one-line message.
"""

from __future__ import annotations

import numpy as np


class VideoWriter:
    def __init__(self, path: str, width: int, height: int, fps: float, crf: int = 23, preset: str = "veryfast"):
        raise NotImplementedError

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        raise NotImplementedError

    def write(self, rgb: np.ndarray, time_s: float) -> None:
        raise NotImplementedError
