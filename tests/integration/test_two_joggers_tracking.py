"""overground_front_two_joggers (docs/tracking.md): the pose model returns one person a frame and hops between the
two joggers in the first second; the man's frames must not be analysed as the woman's, and one line says so.
Poses the first 1.6 s (40 frames). Skips when ../shared/clips is absent."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.pose.run import estimate_landmarks
from tests.conftest import SHARED_CLIPS

pytestmark = [pytest.mark.realclips, pytest.mark.slow]


def test_the_man_s_frames_are_left_out_of_the_woman_s_and_the_jumps_are_told() -> None:
    clip = SHARED_CLIPS / "overground_front_two_joggers.mp4"
    if not clip.is_file():
        pytest.skip("../shared/clips is absent")
    result = estimate_landmarks(clip, AnalysisSettings(end_s=1.6))
    trunk_x = np.nanmean(
        [
            result.landmarks.point(p)[:, 0]
            for p in ("left_hip", "right_hip", "left_shoulder", "right_shoulder")
        ],
        axis=0,
    )
    seen = np.isfinite(trunk_x)
    # The woman (pink top) runs at x ~240 px of 768, the man at ~120 px: only she is analysed, from frame 6
    # (frames 0-5 are the man's: the skeleton started on him).
    assert (trunk_x[seen] > 180).all()
    assert not seen[:6].any() and seen[25:].all()
    (told,) = [w for w in result.warnings if "jumped between them" in w]
    assert told.startswith("two or more people: the pose model saw one at a time and jumped between them")
    assert f"analysed #{result.track} only" in told
