"""``--crop runner``: an annotated video that follows the runner. Each frame is cut to a square window around the
runner (smoothed over time, kept inside the frame) and scaled to a fixed output size before anything is drawn; the
frame's landmarks and marks are moved into the window, so the drawing is as sharp as on the full frame. A small
runner in a wide landscape clip fills the picture on a phone."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.render.state import FrameState

CROP_MODES = ("none", "runner")
WINDOW_PAD = 1.8  # window side = this many times the runner's height (room for the labels around them)
HEAD_ROOM = 0.12  # the runner sits this fraction of the window below its centre: the panel goes above them
MIN_WINDOW_FRACTION = 0.3  # ... and at least this fraction of the frame's short side (no extreme zoom)
SMOOTH_S = (
    0.6  # the window's centre and size are smoothed over this long (a steady camera, not a jittery one)
)


@dataclass(frozen=True)
class CropWindows:
    """Per trajectory frame, the square window (x0, y0, side) in source pixels, and the output frame's side."""

    x0: np.ndarray
    y0: np.ndarray
    side: np.ndarray
    out_px: int

    def cut(self, rgb: np.ndarray, k: int) -> np.ndarray:
        """Frame ``rgb`` cut to window ``k`` and scaled to the output size."""
        x0, y0, s = int(round(self.x0[k])), int(round(self.y0[k])), int(round(self.side[k]))
        win = rgb[y0 : y0 + s, x0 : x0 + s]
        interp = cv2.INTER_AREA if s > self.out_px else cv2.INTER_LINEAR
        return cv2.resize(win, (self.out_px, self.out_px), interpolation=interp)

    def zoom(self, k: int) -> float:
        return self.out_px / float(self.side[k])

    def move(self, state: FrameState, k: int) -> FrameState:
        """``state`` in the coordinates of window ``k``'s output frame."""
        z, origin = self.zoom(k), np.array([self.x0[k], self.y0[k]])

        def pt(p: np.ndarray) -> np.ndarray:
            return (p - origin) * z

        contacts = tuple(
            (
                dataclasses.replace(
                    m,
                    hip_mid=pt(m.hip_mid),
                    heel=pt(m.heel),
                    toe=pt(m.toe),
                    knee=pt(m.knee),
                    ankle=pt(m.ankle),
                ),
                age,
            )
            for m, age in state.contacts
        )
        return dataclasses.replace(
            state,
            xy_px=None if state.xy_px is None else pt(state.xy_px),
            contacts=contacts,
            leg_px=None if state.leg_px is None else state.leg_px * z,
        )


def _smooth(x: np.ndarray, w: int) -> np.ndarray:
    if w <= 1 or len(x) < w:
        return x
    pad = np.pad(x, w // 2, mode="edge")
    return np.convolve(pad, np.ones(w) / w, mode="valid")


def runner_windows(xy_px: np.ndarray, time_s: np.ndarray, width: int, height: int) -> CropWindows | None:
    """Square windows that follow the runner's landmarks, or None when the runner is never seen."""
    n = len(time_s)
    ok = np.all(np.isfinite(xy_px), axis=2)
    seen = ok.sum(axis=1) >= 4
    if not seen.any():
        return None
    lo = np.full((n, 2), np.nan)
    hi = np.full((n, 2), np.nan)
    for k in np.flatnonzero(seen):
        pts = xy_px[k][ok[k]]
        lo[k], hi[k] = pts.min(axis=0), pts.max(axis=0)
    idx = np.arange(n)
    cx = np.interp(idx, idx[seen], 0.5 * (lo[seen, 0] + hi[seen, 0]))
    cy = np.interp(idx, idx[seen], 0.5 * (lo[seen, 1] + hi[seen, 1]))
    body = np.interp(idx, idx[seen], np.maximum(hi[seen, 1] - lo[seen, 1], hi[seen, 0] - lo[seen, 0]))
    short = min(width, height)
    dt = float(np.median(np.diff(time_s))) if n > 1 else 1.0
    w = max(1, int(round(SMOOTH_S / dt)) | 1)
    side = np.clip(_smooth(WINDOW_PAD * body, w), MIN_WINDOW_FRACTION * short, short)
    cx, cy = _smooth(cx, w), _smooth(cy, w)
    x0 = np.clip(cx - side / 2, 0, width - side)
    y0 = np.clip(cy - (0.5 + HEAD_ROOM) * side, 0, height - side)
    out = short - short % 2
    return CropWindows(x0, y0, np.floor(side), out)
