"""The key-frame cache (keyframes.npz): the frames behind the report's key frames are kept at analysis time, and
re-analysis draws its key frames from them (same frames as decoding, no video needed)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from formcheck.render.frame_cache import (  # noqa: E402
    SourceFrame,
    load_source_frames,
    save_source_frames,
)
from formcheck.render.video import (  # noqa: E402
    key_frames_and_sources,
    render_annotated_video,
    try_key_frames_and_sources,
)
from tests.fixtures.fake_analysis import FPS, HEIGHT, N_FRAMES, WIDTH, make_fake_analysis  # noqa: E402


def _level(i: int) -> int:
    """Frame ``i``'s flat grey level: frames tell themselves apart after H.264 and JPEG."""
    return 10 + 3 * (i % 80)


@pytest.fixture(scope="module")
def source_video(tmp_path_factory) -> Path:
    writer_mod = pytest.importorskip("formcheck.video.writer")
    src = tmp_path_factory.mktemp("video") / "input.mp4"
    with writer_mod.VideoWriter(str(src), WIDTH, HEIGHT, FPS) as w:
        for i in range(N_FRAMES):
            w.write(np.full((HEIGHT, WIDTH, 3), _level(i), np.uint8), i / FPS)
    return src


def _frame_number(src: SourceFrame) -> int:
    return int(round(src.file_time_s * FPS))


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_video_pass_and_window_decode_keep_the_same_undrawn_frames(source_video, tmp_path):
    a = make_fake_analysis(path=str(source_video))
    rendered = render_annotated_video(a, tmp_path / "annotated.mp4")
    frames, sources = key_frames_and_sources(a)
    assert len(rendered.key_frame_sources) == len(rendered.key_frames) == 2
    assert [s.file_time_s for s in sources] == pytest.approx(
        [s.file_time_s for s in rendered.key_frame_sources]
    )
    assert [k.step_index for k in frames] == [k.step_index for k in rendered.key_frames]
    for s in sources:
        # Undrawn: the whole frame is the source frame's flat grey (the drawing went onto a copy).
        assert np.abs(s.rgb.astype(int) - _level(_frame_number(s))).max() <= 3
        # The first frame at or after the contact.
        k = next(kf for kf in frames if abs(kf.time_s - s.file_time_s) < 2.0 / FPS)
        assert 0.0 <= s.file_time_s - k.time_s < 1.5 / FPS


def test_cache_round_trip_and_reanalysis_without_the_video(source_video, tmp_path):
    a = make_fake_analysis(path=str(source_video))
    decoded, sources = key_frames_and_sources(a)
    path = save_source_frames(tmp_path / "keyframes.npz", sources, a.input_sha256)
    cached = load_source_frames(path, a.input_sha256)
    assert [c.file_time_s for c in cached] == [s.file_time_s for s in sources]
    for c, s in zip(cached, sources, strict=True):
        assert np.abs(c.rgb.astype(int) - s.rgb.astype(int)).max() <= 2  # JPEG quality 95 on flat grey

    moved = dataclasses.replace(a, video=dataclasses.replace(a.video, path=str(tmp_path / "gone.mp4")))
    frames, again = key_frames_and_sources(moved, cached=cached)
    assert [k.step_index for k in frames] == [k.step_index for k in decoded]
    for k, d in zip(frames, decoded, strict=True):
        assert k.rgb.shape == d.rgb.shape
        assert np.abs(k.rgb.astype(int) - d.rgb.astype(int)).mean() < 1.0
    assert [s.file_time_s for s in again] == [s.file_time_s for s in sources]


def test_cache_of_other_frames_is_not_used(source_video, tmp_path):
    """A cached frame one frame off is not the key frame: without the video there are then no key frames."""
    a = make_fake_analysis(path=str(source_video))
    _, sources = key_frames_and_sources(a)
    shifted = [SourceFrame(s.file_time_s + 1.0 / FPS, s.rgb) for s in sources]
    moved = dataclasses.replace(a, video=dataclasses.replace(a.video, path=str(tmp_path / "gone.mp4")))
    assert try_key_frames_and_sources(moved, cached=shifted) == ([], [])
    frames, _ = key_frames_and_sources(moved, cached=sources)
    assert len(frames) == 2


def test_cache_for_another_input_or_unreadable_is_ignored(tmp_path):
    frames = [SourceFrame(0.5, np.full((64, 48, 3), 90, np.uint8))]
    path = save_source_frames(tmp_path / "keyframes.npz", frames, "ab" * 32)
    assert len(load_source_frames(path, "ab" * 32)) == 1
    assert load_source_frames(path, "cd" * 32) == []
    assert load_source_frames(path, "") == []
    assert load_source_frames(tmp_path / "missing.npz", "ab" * 32) == []
    path.write_bytes(b"not a zip")
    assert load_source_frames(path, "ab" * 32) == []
