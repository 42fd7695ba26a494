"""MediaPipe (default full model) on short rendered clips: detection rate and landmark error against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.skeleton import LANDMARK_NAMES
from formcheck.synth import RunnerParams, render_clip
from formcheck.video import VideoReader

pytestmark = pytest.mark.slow

# Measured medians (docs/synthetic_runner.md): hip 4-7 px, knee 6-9 px, ankle 4-7 px for a 170-226 px leg.
# Bounds: about twice the measured value, as a fraction of leg length.
MAX_MEDIAN_ERR_FRAC = {"hip": 0.08, "knee": 0.09, "ankle": 0.08}


@pytest.mark.parametrize("view", ["side", "rear"])
def test_mediapipe_finds_the_synthetic_runner(tmp_path, view: str) -> None:
    from formcheck.pose.mediapipe_backend import MediaPipePose
    from formcheck.pose.models import resolve_model

    params = RunnerParams(view=view, duration_s=2.5, fps=30, seed=1)
    truth = render_clip(params, tmp_path / "c.mp4")
    path, name = resolve_model(None)
    errs: dict[str, list[float]] = {k: [] for k in MAX_MEDIAN_ERR_FRAC}
    found = 0
    with MediaPipePose(path, name) as est, VideoReader(str(tmp_path / "c.mp4")) as reader:
        frames = list(reader)
        for fr in frames:
            dets = est.detect(fr.rgb, fr.time_s)
            if not dets:
                continue
            found += 1
            i = int(np.argmin(np.abs(truth.time_s - fr.time_s)))
            for part in errs:
                for side in ("left", "right"):
                    j = LANDMARK_NAMES.index(f"{side}_{part}")
                    errs[part].append(float(np.linalg.norm(dets[0].xy_px[j] - truth.landmarks_px[i, j])))
    assert len(frames) == len(truth.time_s)
    assert found / len(frames) >= 0.95
    for part, bound in MAX_MEDIAN_ERR_FRAC.items():
        assert np.median(errs[part]) < bound * truth.leg_length_px, (part, np.median(errs[part]))
