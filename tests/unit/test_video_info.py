"""VideoInfo.slow_motion_factor: the one rule the reader, the pose timing and the video overlay share."""

import pytest

from formcheck.model import VideoInfo
from formcheck.render.state import motion_per_file_s


def _info(fps: float, capture_fps: float | None) -> VideoInfo:
    return VideoInfo("x.mp4", 640, 480, fps, 100, 100 / fps, capture_fps=capture_fps)


@pytest.mark.parametrize(
    "fps,capture_fps,factor",
    [(30.0, 120.0, 4.0), (30.0, None, 1.0), (30.0, 31.0, 1.0), (29.97, 30.0, 1.0), (25.0, 240.0, 9.6)],
)
def test_slow_motion_factor(fps, capture_fps, factor):
    info = _info(fps, capture_fps)
    assert info.slow_motion_factor == pytest.approx(factor)
    assert motion_per_file_s(info) == pytest.approx(1.0 / factor)
