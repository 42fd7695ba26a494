"""Render a synthetic clip to H.264 with its ground truth beside it (``<clip>.truth.json``)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from formcheck.skeleton import LANDMARK_NAMES
from formcheck.synth.params import RunnerParams
from formcheck.synth.render import FrameRenderer
from formcheck.synth.truth import Truth, compute_truth
from formcheck.video.writer import VideoWriter

logger = logging.getLogger(__name__)


def truth_path_for(path: str | Path) -> Path:
    """``runner.mp4`` -> ``runner.truth.json``."""
    p = Path(path)
    return p.with_name(p.stem + ".truth.json")


def drawn_landmarks(renderer: FrameRenderer) -> np.ndarray:
    """(T, 33, 2) landmark pixels as drawn (roll and keypoint noise included)."""
    return np.stack([renderer.px[n] for n in LANDMARK_NAMES], axis=1)


def render_frames(params: RunnerParams) -> tuple[FrameRenderer, list[np.ndarray]]:
    """Render every frame in memory (for tests and short clips)."""
    r = FrameRenderer(params)
    return r, [r.render(i) for i in range(r.n_frames)]


def render_clip(params: RunnerParams, path: str | Path) -> Truth:
    """Write the clip to ``path`` (MP4, H.264) and its truth to ``<stem>.truth.json``; return the truth."""
    path = Path(path)
    r = FrameRenderer(params)
    w, h = params.size_px
    with VideoWriter(str(path), w, h, params.fps, crf=params.crf, preset="slow") as out:
        for i in range(r.n_frames):
            out.write(r.render(i), float(r.time_s[i]))
    truth = compute_truth(params, r.time_s, drawn_landmarks(r))
    truth.write(truth_path_for(path), path.name)
    logger.info("wrote %s (%d frames) and %s", path, r.n_frames, truth_path_for(path).name)
    return truth
