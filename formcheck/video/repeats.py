"""Files that repeat their pictures: a 50 fps file of 25 pictures a second, a 30 fps file of 24 or 10.

Such a clip times events no better than its real picture rate. A repeat is judged where the runner is: during the
pose pass ``RepeatDetector.update`` keeps, per decoded frame, a coarse grid of the mean grey change from the frame
before (blocks of about 32 px at 1080p, one byte each); once the runner's landmarks are known,
``RepeatDetector.repeated_where`` reads the change inside the runner's box. A small runner in a still scene moves
too little of the picture for a whole-frame rule, and a scene with nobody in it tells nothing: those frames are
unknown, not repeats. ``picture_rate_fps`` turns the judged frames into the clip's real picture rate. Thresholds:
``config.PoseSettings``.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.config import PoseSettings

SAMPLED_ROWS = 135  # sample rows over the frame's short side: every 8th pixel at 1080p, every 5th at 720p
BLOCK_SAMPLES = 4  # block side in samples: 32 px at 1080p, 20 px at 720p
LEVEL_STEPS = 8  # the grid stores the mean change in eighths of a grey level (one byte: 0-31.9 levels)


class RepeatDetector:
    """Call ``update(rgb)`` on every decoded frame, in order; then ``repeated_where(xy_px)`` says, per frame,
    whether it repeats the previous picture where the runner is (1.0), shows a new one (0.0) or cannot tell (NaN:
    the first frame, no runner in either frame)."""

    def __init__(self, max_box_change: float, max_change_share: float, box_margin_px: float) -> None:
        self.max_box_change = float(max_box_change)
        self.max_change_share = float(max_change_share)
        self.box_margin_px = float(box_margin_px)
        self._previous: np.ndarray | None = None
        self._grids: list[np.ndarray | None] = []
        self._step = 1
        self._frame_shape: tuple[int, int] = (0, 0)

    @classmethod
    def from_settings(cls, cfg: PoseSettings) -> RepeatDetector:
        return cls(cfg.repeat_max_box_change, cfg.repeat_max_change_share, cfg.repeat_box_margin_px)

    def update(self, rgb: np.ndarray) -> None:
        """Keep the block grid of mean |grey change| between ``rgb`` (H, W, 3) and the previous frame (green
        channel, sampled; 0.1-0.2 ms a frame at 720p-1080p)."""
        if self._previous is None:
            self._frame_shape = rgb.shape[:2]
            self._step = max(1, round(min(self._frame_shape) / SAMPLED_ROWS))
        sample = rgb[:: self._step, :: self._step, 1].copy()
        previous, self._previous = self._previous, sample
        if previous is None or previous.shape != sample.shape:
            self._grids.append(None)
            return
        rows, cols = (n // BLOCK_SAMPLES for n in sample.shape)
        change = cv2.absdiff(sample, previous)[: rows * BLOCK_SAMPLES, : cols * BLOCK_SAMPLES]
        means = cv2.resize(change.astype(np.float32), (cols, rows), interpolation=cv2.INTER_AREA)
        self._grids.append(np.clip(np.rint(means * LEVEL_STEPS), 0, 255).astype(np.uint8))

    def box_change(self, xy_px: np.ndarray) -> np.ndarray:
        """Per frame, the mean grey change (levels) from the previous frame over the blocks that cover the
        runner's box in this frame and the one before (``xy_px`` (N, K, 2) full-frame pixels, NaN where unseen)
        grown by ``box_margin_px``; NaN where there is no box or no previous frame."""
        xy = np.asarray(xy_px, dtype=float)
        out = np.full(len(self._grids), np.nan)
        block_px = self._step * BLOCK_SAMPLES
        for k, grid in enumerate(self._grids):
            if grid is None or k >= len(xy):
                continue
            points = xy[max(0, k - 1) : k + 1].reshape(-1, 2)
            points = points[np.isfinite(points).all(axis=1)]
            if not len(points):
                continue
            x0, y0 = np.floor((points.min(axis=0) - self.box_margin_px) / block_px).astype(int)
            x1, y1 = np.ceil((points.max(axis=0) + self.box_margin_px) / block_px).astype(int)
            x0, y0 = max(x0, 0), max(y0, 0)
            x1, y1 = min(x1, grid.shape[1]), min(y1, grid.shape[0])
            if x1 > x0 and y1 > y0:
                out[k] = float(grid[y0:y1, x0:x1].mean()) / LEVEL_STEPS
        return out

    def repeated_where(self, xy_px: np.ndarray, fps: float) -> np.ndarray:
        """Per frame: 1.0 when the runner's box changed at most ``max_box_change`` grey levels on average and at
        most ``max_change_share`` of the change typical of new pictures around it (the 90th percentile over one
        second: a slow-motion clip's runner changes little from frame to frame, but evenly); 0.0 when more (a new
        picture); NaN when unknown: no box, or nothing in that second changes more than ``max_box_change`` (a
        still or a pause is no picture rate)."""
        change = self.box_change(xy_px)
        half = max(1, int(round(fps))) // 2
        padded = np.pad(change, half, constant_values=np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
        seen = np.isfinite(windows).any(axis=1)
        typical_new = np.full(change.size, np.nan)
        typical_new[seen] = np.nanpercentile(windows[seen], 90, axis=1)
        judged = np.isfinite(change) & (typical_new > self.max_box_change)
        same = change <= np.minimum(self.max_box_change, self.max_change_share * typical_new)
        return np.where(judged, same.astype(float), np.nan)


def picture_rate_fps(repeated: np.ndarray, fps: float, max_still_s: float = 0.25) -> float | None:
    """The clip's real picture rate: the median, over one-second windows with at least half their frames judged,
    of the share of judged frames that show a new picture, times ``fps``. A picture held longer than
    ``max_still_s`` is a pause or a still, not a lower picture rate: its repeats are left out. ``repeated``: 1.0
    repeat, 0.0 new picture, NaN unknown (booleans are all judged). None when no window qualifies; a clip shorter
    than a second is one window."""
    flags = np.asarray(repeated, dtype=float).copy()
    if not flags.size or fps <= 0:
        return None
    is_repeat = np.concatenate([[0], (flags == 1.0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(is_repeat))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if (stop - start + 1) / fps > max_still_s:  # the picture is shown stop - start + 1 times
            flags[start:stop] = np.nan
    window = min(flags.size, max(1, int(round(fps))))
    judged = np.concatenate([[0], np.cumsum(np.isfinite(flags))])
    new = np.concatenate([[0], np.cumsum(flags == 0.0)])
    judged_per_window = judged[window:] - judged[:-window]
    new_per_window = new[window:] - new[:-window]
    enough = judged_per_window >= 0.5 * window
    if not enough.any():
        return None
    return float(np.median(new_per_window[enough] / judged_per_window[enough])) * fps


def judge_repeats(path: str, xy_px: np.ndarray, fps: float, cfg: PoseSettings) -> np.ndarray:
    """Per frame of the clip at ``path``, whether it repeats the previous picture where the runner (``xy_px``, the
    runner's landmarks of every frame) is: ``RepeatDetector.repeated_where`` after decoding the whole clip, for
    landmarks kept without it (a cache written before ``Trajectories.repeated``). Decodes; poses nothing."""
    from formcheck.video.reader import VideoReader

    detector = RepeatDetector.from_settings(cfg)
    with VideoReader(str(path)) as reader:
        for frame in reader:
            detector.update(frame.rgb)
    return detector.repeated_where(xy_px, fps)
