"""formcheck/video/foot_crops.py: the boxes converted on their own are the whole frame's pixels, exactly (the sole
edge's colour model must not see other colours than before), at every position including the frame's edges; frame
indices and the stop after the last window."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.video.foot_crops import box_rgb, cut_crops
from formcheck.video.reader import VideoReader

SAMPLE = Path(__file__).resolve().parents[2] / "sample_videos" / "side_good_form.mp4"  # 640x480, yuv420p


def _whole_frames(path: Path, n: int) -> list[np.ndarray]:
    with VideoReader(str(path)) as reader:
        return [f.rgb for f, _ in zip(reader, range(n), strict=False)]


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample video not rendered")
def test_boxes_are_the_whole_frames_pixels_exactly() -> None:
    whole = _whole_frames(SAMPLE, 12)
    h, w = whole[0].shape[:2]
    # odd and even corners, one-pixel boxes, boxes on each edge of the picture and the whole picture
    boxes = [
        (101, 203, 180, 260),
        (100, 200, 181, 261),
        (7, 7, 7, 7),
        (0, 0, 63, 40),
        (w - 33, h - 21, w - 1, h - 1),
        (w - 1, 0, w - 1, h - 1),
        (0, h - 3, w - 1, h - 1),
        (0, 0, w - 1, h - 1),
        (311, 1, 318, 478),
    ]
    windows = {k: (range(2 + k % 3, 10), box) for k, box in enumerate(boxes)}
    crops = cut_crops(SAMPLE, windows)
    for k, (frames, (x0, y0, x1, y1)) in windows.items():
        assert len(crops[k]) == len(frames)
        for f, crop in zip(frames, crops[k], strict=True):
            assert crop.shape == (y1 - y0 + 1, x1 - x0 + 1, 3) and crop.flags["C_CONTIGUOUS"]
            np.testing.assert_array_equal(crop, whole[f][y0 : y1 + 1, x0 : x1 + 1])


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample video not rendered")
def test_box_rgb_keeps_a_bt709_frames_colours(tmp_path: Path) -> None:
    """A frame tagged BT.709 (the street clip's phone) converts as the whole frame does, not as BT.601."""
    with av.open(str(SAMPLE)) as c:
        frame = next(c.decode(video=0))
    frame.colorspace, frame.color_range = 1, 1  # BT.709, limited range
    whole = frame.to_ndarray(format="rgb24")
    np.testing.assert_array_equal(box_rgb(frame, (33, 101, 250, 300)), whole[101:301, 33:251])
    frame.colorspace = 5  # BT.601 (bt470bg): other colours, so the tag is what made the first pass
    assert not np.array_equal(frame.to_ndarray(format="rgb24"), whole)


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample video not rendered")
def test_a_window_past_the_clips_end_gets_fewer_crops_and_none_is_empty() -> None:
    with VideoReader(str(SAMPLE)) as reader:
        n = reader.info.n_frames
    crops = cut_crops(SAMPLE, {0: (range(n - 2, n + 3), (10, 10, 20, 20)), 1: ([], (0, 0, 1, 1))})
    assert len(crops[0]) == 2 and crops[1] == []
