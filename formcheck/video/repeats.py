"""Files that repeat their pictures: a 50 fps file of 25 pictures a second, a 30 fps file of 24 or 10.

Such a clip times events no better than its real picture rate. ``RepeatDetector`` flags each decoded frame that
shows the same picture as the one before (every 8th pixel of every 8th row compared, 0.02-0.05 ms a frame);
``picture_rate_fps`` turns the flags into the clip's real picture rate. Thresholds: ``config.PoseSettings``.
"""

from __future__ import annotations

import numpy as np

from formcheck.config import PoseSettings

SAMPLE_STEP_PX = 8  # every 8th row and column: enough pixels to see a small runner move, 0.05 ms at 1080p


class RepeatDetector:
    """Call ``update(rgb)`` on every decoded frame, in order; ``repeated`` then says, per frame, whether it repeats
    the previous picture (the first frame never does)."""

    def __init__(self, level_change: int, max_changed_fraction: float, max_change_ratio: float) -> None:
        self.level_change = int(level_change)
        self.max_changed_fraction = float(max_changed_fraction)
        self.max_change_ratio = float(max_change_ratio)
        self._previous: np.ndarray | None = None
        self._previous_changed = 0.0
        self._flags: list[bool] = []

    @classmethod
    def from_settings(cls, cfg: PoseSettings) -> RepeatDetector:
        return cls(cfg.repeat_level_change, cfg.repeat_max_changed_fraction, cfg.repeat_max_change_ratio)

    def update(self, rgb: np.ndarray) -> bool:
        """Whether ``rgb`` (H, W, 3) shows the same picture as the previous frame passed: at most
        ``max_changed_fraction`` of the sampled pixels changed by more than ``level_change`` grey levels, or (a copy
        re-encoded with some noise) at most ``max_change_ratio`` times the share that changed at the frame before."""
        sample = rgb[::SAMPLE_STEP_PX, ::SAMPLE_STEP_PX, 1].astype(np.int16)
        previous, self._previous = self._previous, sample
        same = False
        if previous is not None and previous.shape == sample.shape:
            changed = np.count_nonzero(np.abs(sample - previous) > self.level_change) / sample.size
            same = (
                changed <= self.max_changed_fraction
                or changed <= self.max_change_ratio * self._previous_changed
            )
            self._previous_changed = changed
        self._flags.append(bool(same))
        return same

    @property
    def repeated(self) -> np.ndarray:
        return np.array(self._flags, dtype=bool)


def picture_rate_fps(repeated: np.ndarray, fps: float) -> float:
    """The clip's real picture rate: the median, over one-second windows, of the different pictures per second
    (a still start or a pause does not pull it down). The file's ``fps`` when the clip is shorter than a second."""
    flags = np.asarray(repeated, dtype=bool)
    window = max(1, int(round(fps)))
    if flags.size < window:
        return float(fps)
    new_pictures = np.cumsum(~flags)
    per_window = new_pictures[window - 1 :] - np.concatenate([[0], new_pictures[: flags.size - window]])
    return float(np.median(per_window)) * fps / window
