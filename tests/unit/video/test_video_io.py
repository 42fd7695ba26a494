"""The PyAV reader and writer on small videos generated here: timestamps, rotation, trimming, every error path."""

from __future__ import annotations

import os
import zlib
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.errors import OutputError, VideoError
from formcheck.video import VideoReader, VideoWriter, probe_video
from formcheck.video.reader import clockwise_rotation, upright

W, H = 64, 48


def _frame(i: int, w: int = W, h: int = H) -> np.ndarray:
    """A frame whose mean brightness encodes its index and with a white block at the top-left corner."""
    a = np.full((h, w, 3), (i * 7) % 200 + 20, np.uint8)
    a[:12, :16] = 255
    return a


def make_video(
    path: Path,
    pts: list[int],
    time_base: Fraction,
    rate: Fraction | int = 30,
    rotation_ccw: int | None = None,
    metadata: dict[str, str] | None = None,
    faststart: bool = True,
    w: int = W,
    h: int = H,
) -> Path:
    """An H.264 MP4 whose frames have exactly the given pts (in ``time_base`` units)."""
    options = {"movflags": "+faststart" + ("+use_metadata_tags" if metadata else "")} if faststart else {}
    with av.open(str(path), "w", format="mp4", options=options) as c:
        if metadata:
            c.metadata.update(metadata)
        s = c.add_stream("libx264", rate=rate)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.time_base = time_base
        s.codec_context.time_base = time_base
        s.options = {"preset": "ultrafast", "g": "10"}
        if rotation_ccw is not None:
            s.set_display_rotation(rotation_ccw)
        for i, p in enumerate(pts):
            f = av.VideoFrame.from_ndarray(_frame(i, w, h), format="rgb24")
            f.pts = p
            f.time_base = time_base
            for packet in s.encode(f):
                c.mux(packet)
        for packet in s.encode(None):
            c.mux(packet)
    return path


def cfr(path: Path, n: int = 30, fps: int = 30) -> Path:
    return make_video(path, list(range(n)), Fraction(1, fps), rate=fps)


def read_all(path: Path, **kw) -> tuple[VideoReader, list]:
    with VideoReader(str(path), **kw) as r:
        frames = list(r)
    return r, frames


# ---------------------------------------------------------------- timestamps and rates


def test_constant_30fps(tmp_path: Path) -> None:
    p = cfr(tmp_path / "a.mp4", n=45)
    info = probe_video(str(p))
    assert (info.width, info.height, info.n_frames) == (W, H, 45)
    assert info.fps == pytest.approx(30.0, abs=1e-9)
    assert info.duration_s == pytest.approx(1.5)
    assert info.codec == "h264" and not info.variable_frame_rate and info.rotation_deg == 0
    r, frames = read_all(p)
    assert [f.index for f in frames] == list(range(45))
    assert np.allclose([f.time_s for f in frames], np.arange(45) / 30.0, atol=1e-9)
    assert frames[0].rgb.shape == (H, W, 3) and frames[0].rgb.dtype == np.uint8
    # frames come back in order: brightness of the plain area follows the index
    means = [float(f.rgb[30:, 30:].mean()) for f in frames[:10]]
    assert means == sorted(means)
    assert r.warnings == []


def test_ntsc_29_97_stays_fractional(tmp_path: Path) -> None:
    p = make_video(
        tmp_path / "ntsc.mp4", [i * 1001 for i in range(60)], Fraction(1, 30000), Fraction(30000, 1001)
    )
    info = probe_video(str(p))
    assert info.fps == pytest.approx(30000 / 1001, abs=1e-6)
    assert info.fps != 30.0
    _, frames = read_all(p)
    assert frames[-1].time_s == pytest.approx(59 * 1001 / 30000, abs=1e-9)


def test_variable_frame_rate_uses_real_timestamps(tmp_path: Path) -> None:
    # intervals of 20, 33 and 50 ms (in a 1/1000 time base)
    steps = [33, 20, 50, 33, 33, 20, 50, 33, 33, 33] * 3
    pts = list(np.cumsum([0] + steps))
    p = make_video(tmp_path / "vfr.mp4", pts, Fraction(1, 1000))
    info = probe_video(str(p))
    assert info.variable_frame_rate
    assert info.n_frames == len(pts)
    assert info.fps == pytest.approx((len(pts) - 1) / (pts[-1] / 1000.0))
    _, frames = read_all(p)
    assert np.allclose([f.time_s for f in frames], np.asarray(pts) / 1000.0, atol=1e-9)


def test_nonzero_first_pts_is_time_zero(tmp_path: Path) -> None:
    p = make_video(tmp_path / "offset.mp4", [i + 90 for i in range(20)], Fraction(1, 30))
    _, frames = read_all(p)
    assert frames[0].time_s == pytest.approx(0.0, abs=1e-9)
    assert frames[5].time_s == pytest.approx(5 / 30)


def test_slow_motion_capture_rate_from_android_metadata(tmp_path: Path) -> None:
    p = make_video(
        tmp_path / "slomo.mp4",
        list(range(10)),
        Fraction(1, 30),
        metadata={"com.android.capture.fps": "240.0"},
    )
    info = probe_video(str(p))
    assert info.capture_fps == pytest.approx(240.0)
    assert info.effective_fps == pytest.approx(240.0)
    assert probe_video(str(cfr(tmp_path / "normal.mp4"))).capture_fps is None


def test_capture_rate_from_a_vendor_key(tmp_path: Path) -> None:
    p = make_video(
        tmp_path / "v.mp4", list(range(10)), Fraction(1, 30), metadata={"com.vendor.capture_fps": "120"}
    )
    assert probe_video(str(p)).capture_fps == pytest.approx(120.0)


def test_capture_rate_equal_to_playback_is_not_slow_motion(tmp_path: Path) -> None:
    p = make_video(
        tmp_path / "n.mp4", list(range(10)), Fraction(1, 30), metadata={"com.android.capture.fps": "30.0"}
    )
    assert probe_video(str(p)).capture_fps is None


# ---------------------------------------------------------------- rotation


@pytest.mark.parametrize(
    ("ccw", "cw", "shape", "corner"),
    [
        (
            -90,
            90,
            (W, H, 3),
            (slice(0, 10), slice(-10, None)),
        ),  # typical portrait phone clip: block moves top-right
        (90, 270, (W, H, 3), (slice(-10, None), slice(0, 10))),  # block moves bottom-left
        (180, 180, (H, W, 3), (slice(-10, None), slice(-10, None))),
    ],
)
def test_display_matrix_rotation_is_applied(
    tmp_path: Path, ccw: int, cw: int, shape: tuple, corner: tuple
) -> None:
    p = make_video(tmp_path / "rot.mp4", list(range(5)), Fraction(1, 30), rotation_ccw=ccw)
    info = probe_video(str(p))
    assert info.rotation_deg == cw
    assert (info.height, info.width, 3) == shape
    _, frames = read_all(p)
    rgb = frames[0].rgb
    assert rgb.shape == shape
    assert rgb[corner].mean() > 240  # the white block ended up in the expected corner
    assert rgb[0:10, 0:10].mean() < 200 or cw == 0


def test_rotation_helpers() -> None:
    a = np.arange(6).reshape(2, 3)
    assert np.array_equal(upright(a, 90), np.array([[3, 0], [4, 1], [5, 2]]))  # clockwise
    assert np.array_equal(upright(a, 0), a)
    assert np.array_equal(upright(a, 180), a[::-1, ::-1])
    assert clockwise_rotation(-90) == 90 and clockwise_rotation(90) == 270 and clockwise_rotation(180) == 180
    assert clockwise_rotation(-180) == 180 and clockwise_rotation(0) == 0


# ---------------------------------------------------------------- trimming


def test_start_end_trim(tmp_path: Path) -> None:
    p = make_video(tmp_path / "long.mp4", list(range(90)), Fraction(1, 30))  # keyframe every 10 frames
    r, frames = read_all(p, start_s=1.05, end_s=2.0)
    times = np.array([f.time_s for f in frames])
    assert times[0] == pytest.approx(32 / 30)  # first frame at or after 1.05 s (1.0667)
    assert times[-1] == pytest.approx(2.0)
    assert [f.index for f in frames] == list(range(len(frames)))
    assert len(frames) == 60 - 32 + 1
    assert r.info.n_frames == len(frames) and r.info.start_s == pytest.approx(times[0])
    # the pixels belong to the right frames (not the keyframe the seek landed on)
    full = {round(f.time_s, 6): f.rgb for f in read_all(p)[1]}
    assert np.array_equal(frames[0].rgb, full[round(times[0], 6)])


def test_start_beyond_end_is_a_video_error(tmp_path: Path) -> None:
    p = cfr(tmp_path / "a.mp4")
    with pytest.raises(VideoError, match="no frames between"):
        VideoReader(str(p), start_s=5.0)
    with pytest.raises(VideoError, match="must be after"):
        VideoReader(str(p), start_s=0.5, end_s=0.2)


# ---------------------------------------------------------------- errors


def _one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert "\n" not in msg and len(msg) < 300
    return msg


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoError) as e:
        probe_video(str(tmp_path / "nope.mp4"))
    assert "does not exist" in _one_line(e)


def test_zero_byte_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    with pytest.raises(VideoError) as e:
        probe_video(str(p))
    assert "empty" in _one_line(e)


def test_text_file_named_mp4(tmp_path: Path) -> None:
    p = tmp_path / "run.mp4"
    p.write_text("this is not a video\n" * 20)
    with pytest.raises(VideoError) as e:
        VideoReader(str(p))
    assert "text file" in _one_line(e) and "run.mp4" in str(e.value)


def _png_bytes(w: int = 4, h: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    raw = b"".join(b"\x00" + bytes([200, 10, 10] * w) for _ in range(h))
    ihdr = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("name", ["photo.png", "photo.mp4"])
def test_png_image(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(_png_bytes())
    with pytest.raises(VideoError) as e:
        probe_video(str(p))
    assert "image" in _one_line(e) and "video" in str(e.value)


def test_audio_only(tmp_path: Path) -> None:
    p = tmp_path / "voice.mp4"
    with av.open(str(p), "w") as c:
        a = c.add_stream("aac", rate=44100)
        for i in range(5):
            fr = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            fr.sample_rate, fr.pts = 44100, i * 1024
            for packet in a.encode(fr):
                c.mux(packet)
        for packet in a.encode(None):
            c.mux(packet)
    with pytest.raises(VideoError) as e:
        probe_video(str(p))
    assert "no video stream" in _one_line(e)


def test_truncated_keeps_what_decodes(tmp_path: Path) -> None:
    p = cfr(tmp_path / "full.mp4", n=60)
    data = p.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    r, frames = read_all(cut)
    assert 5 <= len(frames) < 60
    assert any("truncated" in w and "60 frames" in w for w in r.warnings)
    times = [f.time_s for f in frames]
    assert times == sorted(times) and times[0] == 0.0


def test_truncated_to_header_only(tmp_path: Path) -> None:
    p = cfr(tmp_path / "full.mp4", n=60)
    data = p.read_bytes()
    moov_end = data.index(b"mdat") + 4  # faststart: ftyp, moov, then mdat; keep nothing of the frame data
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[:moov_end])
    with pytest.raises(VideoError) as e:
        probe_video(str(cut))
    _one_line(e)


def test_truncated_without_index(tmp_path: Path) -> None:
    p = make_video(
        tmp_path / "slow_start.mp4", list(range(60)), Fraction(1, 30), faststart=False
    )  # moov at the end
    data = p.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(VideoError) as e:
        probe_video(str(cut))
    assert "truncated" in _one_line(e)


def test_corrupt_bytes_mid_file_do_not_crash(tmp_path: Path) -> None:
    p = cfr(tmp_path / "full.mp4", n=60)
    data = bytearray(p.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 200] = np.random.default_rng(0).integers(0, 256, 200, dtype=np.uint8).tobytes()
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(bytes(data))
    r, frames = read_all(bad)
    assert 30 <= len(frames) < 60
    assert r.warnings and all("corrupt" in w for w in r.warnings)
    assert f"decoded {len(frames)} of 60 frames" in r.warnings[-1]
    assert len(r.warnings) <= 4 and all("\n" not in w for w in r.warnings)
    times = [f.time_s for f in frames]
    assert all(b > a for a, b in zip(times, times[1:], strict=False))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    p = cfr(tmp_path / "secret.mp4")
    p.chmod(0)
    try:
        with pytest.raises(VideoError) as e:
            probe_video(str(p))
        assert "permission" in _one_line(e)
    finally:
        p.chmod(0o644)


def test_folder_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="folder"):
        probe_video(str(tmp_path))


# ---------------------------------------------------------------- writer


def test_writer_round_trip_preserves_frames_and_times(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    times = 2.0 + np.cumsum(np.r_[0.0, rng.uniform(0.02, 0.05, 49)])  # variable rate, not starting at 0
    out = tmp_path / "out.mp4"
    with VideoWriter(str(out), W, H, fps=30.0, crf=18, preset="ultrafast") as w:
        for i, t in enumerate(times):
            w.write(_frame(i), float(t))
    assert not list(tmp_path.glob(".*part*"))
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264"
        assert s.codec_context.pix_fmt == "yuv420p"
    head = out.read_bytes()[:200]
    assert head.index(b"moov") < 100  # faststart: the index comes first
    r, frames = read_all(out)
    assert len(frames) == len(times)
    assert np.allclose([f.time_s for f in frames], times - times[0], atol=2e-5)
    assert r.info.variable_frame_rate
    # pixels survive (lossy, but close)
    assert np.abs(frames[3].rgb.astype(int) - _frame(3).astype(int)).mean() < 6


def test_writer_pads_odd_sizes(tmp_path: Path) -> None:
    out = tmp_path / "odd.mp4"
    with VideoWriter(str(out), 63, 47, fps=25.0) as w:
        for i in range(5):
            w.write(_frame(i, 63, 47), i / 25)
    info = probe_video(str(out))
    assert (info.width, info.height, info.n_frames) == (64, 48, 5)
    assert info.fps == pytest.approx(25.0)


def test_writer_leaves_nothing_on_exception(tmp_path: Path) -> None:
    out = tmp_path / "annotated.mp4"
    with pytest.raises(RuntimeError, match="boom"), VideoWriter(str(out), W, H, fps=30.0) as w:
        for i in range(5):
            w.write(_frame(i), i / 30)
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_writer_keeps_existing_file_on_exception(tmp_path: Path) -> None:
    out = tmp_path / "annotated.mp4"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), VideoWriter(str(out), W, H, fps=30.0) as w:
        w.write(_frame(0), 0.0)
        raise RuntimeError("fail")
    assert out.read_bytes() == b"old"
    assert [x.name for x in tmp_path.iterdir()] == ["annotated.mp4"]


def test_writer_rejects_decreasing_times(tmp_path: Path) -> None:
    out = tmp_path / "x.mp4"
    with pytest.raises(ValueError, match="increase"), VideoWriter(str(out), W, H, fps=30.0) as w:
        w.write(_frame(0), 1.0)
        w.write(_frame(1), 0.5)
    assert not out.exists()


def test_writer_missing_folder_is_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as e:
        VideoWriter(str(tmp_path / "no" / "such" / "a.mp4"), W, H, fps=30.0)
    _one_line(e)


def test_writer_unwritable_destination_is_output_error(tmp_path: Path) -> None:
    target = tmp_path / "a.mp4"
    target.mkdir()  # a folder where the file should go: the final rename fails, even for root
    w = VideoWriter(str(target), W, H, fps=30.0)
    w.write(_frame(0), 0.0)
    with pytest.raises(OutputError) as e:
        w.close()
    _one_line(e)
    assert [x.name for x in tmp_path.iterdir()] == ["a.mp4"]


def test_writer_disk_full_is_output_error_and_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "annotated.mp4"
    w = VideoWriter(str(out), W, H, fps=30.0)
    real = w._container

    class FullDisk:  # stands in for the container: every write fails as on a full disk
        def mux(self, packet: object) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            real.close()

    w._container = FullDisk()  # type: ignore[assignment]
    with pytest.raises(OutputError) as e:
        for i in range(60):  # x264 buffers a few frames before the first packet comes out
            w.write(_frame(i), i / 30)
        w.close()
    assert "disk is full" in _one_line(e)
    assert list(tmp_path.iterdir()) == []
