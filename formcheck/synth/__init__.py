"""The synthetic runner: a parametric running gait rendered as a human-like mannequin, with exact ground truth.

``render_clip(RunnerParams(...), "clip.mp4")`` writes the video and ``clip.truth.json``; see docs/synthetic_runner.md.
"""

from formcheck.synth.clip import render_clip, render_frames, truth_path_for
from formcheck.synth.params import Body, RunnerParams
from formcheck.synth.truth import Truth, compute_truth, landmarks_px, load_truth

__all__ = [
    "Body",
    "RunnerParams",
    "Truth",
    "compute_truth",
    "landmarks_px",
    "load_truth",
    "render_clip",
    "render_frames",
    "truth_path_for",
]
