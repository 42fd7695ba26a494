"""Decode a video frame by frame with PyAV: upright RGB frames with their real timestamps in seconds.

Contract (other modules rely on it):

- ``probe_video(path) -> VideoInfo``: reads the container only (fast); raises ``VideoError`` with a one-line,
  actionable message for a missing, empty, non-video, audio-only, single-frame, truncated or unreadable file, or a
  raw elementary stream (``.h264``: no container, so no frame times).
- ``VideoReader(path, start_s=None, end_s=None)`` is a context manager; ``.info`` is the VideoInfo; iterating yields
  ``Frame(index, time_s, rgb)`` where ``rgb`` is an (H, W, 3) uint8 array of the *upright* frame (rotation metadata
  applied) and ``time_s`` the presentation time in seconds from the first frame of the file (not ``index / fps``).
  ``index`` counts decoded frames from 0 within the chosen range. Corrupt frames in the middle are skipped with a
  warning in ``.warnings``; a file that decodes no frame at all raises ``VideoError``.
- Slow motion: when the container's metadata gives a capture frame rate higher than the playback rate
  (e.g. ``com.android.capture.fps``, Apple's slow-motion keys), ``VideoInfo.capture_fps`` holds it.

Details:

- ``probe_video`` demuxes the packets of the video stream (no decoding, a few ms for a phone clip) so that the frame
  count, ``fps`` (``(n - 1) / (last - first timestamp)``) and the variable-frame-rate flag come from the real
  timestamps, and decodes the first frame only to read its display matrix (rotation) and check that it decodes.
- ``VideoReader.info`` describes the chosen range: ``start_s`` is the time of its first frame, ``n_frames`` and
  ``duration_s`` count only frames in ``[start_s, end_s]``; ``fps`` and ``variable_frame_rate`` describe the file.
- ``rotation_deg`` is the clockwise rotation (0, 90, 180, 270) applied to the decoded picture to make it upright;
  PyAV exposes the display matrix per frame as ``VideoFrame.rotation`` (counter-clockwise degrees).
- Square pixels: frames are resampled to the size they are displayed at, so that every angle and distance
  downstream is true. A stream with a sample aspect ratio other than 1 (anamorphic: ``456x1080`` at ``4:3``) is
  widened (or, below 1, heightened) to square pixels; ``VideoInfo.width``/``height`` give that displayed size. A
  frame whose size changes mid-stream is scaled to the first frame's size, with a warning.
- The stream: of several video streams, the one with the most frames (cover pictures and thumbnails are not it).
- MPEG-TS and other containers seek by bytes and may land after the requested start: the reader then seeks
  further back (and at last decodes from the beginning), so ``start_s`` is always honoured.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np

from formcheck.errors import VideoError
from formcheck.model import SLOW_MOTION_MIN_RATIO, VideoInfo

logger = logging.getLogger(__name__)

VFR_TOLERANCE = (
    0.10  # frame intervals differing from the median by more than this fraction mean variable rate
)
MAX_LISTED_SKIPS = 3  # corrupt frames listed one by one in .warnings; the end of the clip gives the total

# Container/stream metadata keys that give the capture frame rate of a slow-motion or high-speed recording.
# Android's MediaRecorder writes KEY_CAPTURE_RATE as the mdta key ``com.android.capture.fps`` (FFmpeg shows it in the
# container metadata); any other key ending in ``capture.fps``/``capture_fps`` (vendor variants) is read the same way.
# iPhone slow-motion .MOV files keep their frames' timestamps at the capture rate and slow playback down with an
# edit list that FFmpeg does not apply, so their ``fps`` from timestamps is already the capture rate (not verified
# on an Apple file here). A slowed-down export without metadata cannot be told from its container.
CAPTURE_FPS_KEYS = ("com.android.capture.fps",)
CAPTURE_FPS_SUFFIXES = ("capture.fps", "capture_fps")

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)
_IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "bmp_pipe", "webp_pipe", "tiff_pipe", "gif", "gif_pipe"}
_IMAGE_CODECS = {"png", "mjpeg", "bmp", "webp", "tiff", "gif", "jpegls", "jpeg2000"}
# Elementary streams with no container: their frames carry no timestamps.
_RAW_STREAM_FORMATS = {
    "h264": "H.264",
    "hevc": "HEVC",
    "m4v": "MPEG-4",
    "mpegvideo": "MPEG video",
    "vvc": "VVC",
}
_SEEK_BACKOFF_S = (0.0, 2.0, 10.0, 60.0)  # how far before the start to seek again when a seek lands after it
# Errors PyAV raises for bad data in a stream (as opposed to programming errors).
_DECODE_ERRORS = (av.error.InvalidDataError, av.error.EOFError, av.error.UndefinedError, av.error.BugError)


@dataclass(frozen=True)
class Frame:
    index: int
    time_s: float
    rgb: np.ndarray


def upright(rgb: np.ndarray, rotation_deg: int) -> np.ndarray:
    """Rotate a decoded picture clockwise by ``rotation_deg`` (a multiple of 90) so that it is upright."""
    k = (rotation_deg // 90) % 4
    if k == 0:
        return rgb
    return np.ascontiguousarray(np.rot90(rgb, k=-k))  # np.rot90 turns counter-clockwise for positive k


def clockwise_rotation(display_rotation_ccw: float) -> int:
    """Convert PyAV's display-matrix angle (counter-clockwise degrees, -180..180) to the clockwise rotation, one of
    0, 90, 180, 270, that makes the decoded picture upright."""
    return int(round(-display_rotation_ccw / 90.0)) % 4 * 90


def _short(e: BaseException) -> str:
    """FFmpeg's reason without its errno and C function name."""
    return str(getattr(e, "strerror", None) or e)


def _name(path: str | os.PathLike[str]) -> str:
    return Path(path).name or str(path)


def _check_file(path: str) -> None:
    """Fail early, with a clear message, on what FFmpeg would report cryptically."""
    name = _name(path)
    p = Path(path)
    if not p.exists():
        raise VideoError(f"{path} does not exist: check the path and file name")
    if p.is_dir():
        raise VideoError(
            f"{path} is a folder, not a video file: pass a video file (or use `formcheck batch`)"
        )
    try:
        size = p.stat().st_size
    except OSError as e:
        raise VideoError(f"cannot read {name} ({e.strerror}): check the file's permissions") from e
    if size == 0:
        raise VideoError(f"{name} is empty (0 bytes): the recording or copy failed, pass the original video")
    try:
        with open(p, "rb") as f:
            head = f.read(4096)
    except PermissionError as e:
        raise VideoError(f"cannot read {name} (permission denied): check the file's permissions") from e
    except OSError as e:
        raise VideoError(f"cannot read {name} ({e.strerror}): check the file and the disk") from e
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            raise VideoError(
                f"{name} is a {kind} image, not a video: pass a video of the runner recorded with a phone or camera"
            )
    if _looks_like_text(head):
        raise VideoError(
            f"{name} is a text file, not a video: pass a video recorded with a phone or camera (.mp4, .mov)"
        )


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 3:  # not just a character cut in half at the end of the sample
            return False
        text = head[: e.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable / max(len(text), 1) > 0.95


def _open(path: str) -> av.container.InputContainer:
    _check_file(path)
    name = _name(path)
    try:
        return av.open(path, mode="r", metadata_errors="ignore")
    except PermissionError as e:
        raise VideoError(f"cannot read {name} (permission denied): check the file's permissions") from e
    except av.error.FFmpegError as e:
        if _has_mp4_header(path):
            raise VideoError(
                f"{name} is a damaged or truncated MP4/MOV (its index cannot be read: {e.strerror}): "
                "copy the original file from the phone again"
            ) from e
        raise VideoError(
            f"{name} is not a video file FFmpeg can read ({e.strerror}): pass a video recorded with a phone or camera"
        ) from e


def _has_mp4_header(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")


def _video_stream(container: av.container.InputContainer, path: str) -> av.video.stream.VideoStream:
    name = _name(path)
    fmt = container.format.name if container.format else ""
    if not container.streams.video:
        kinds = sorted({s.type for s in container.streams})
        what = f"only {', '.join(kinds)} streams" if kinds else "no streams"
        raise VideoError(
            f"{name} is not a video file (no video stream found, {what}): pass a video recorded with a phone or camera"
        )
    raw = _RAW_STREAM_FORMATS.get(fmt)
    if raw is not None:
        raise VideoError(
            f"{name} is a raw {raw} stream with no container, so its frames have no times: put it in an MP4 "
            f"first (ffmpeg -i {name} -c copy clip.mp4)"
        )
    stream = pick_video_stream(container)
    codec = stream.codec_context.name if stream.codec_context else ""
    if (
        fmt in _IMAGE_FORMATS
        or any(part in _IMAGE_FORMATS for part in fmt.split(","))
        or (codec in _IMAGE_CODECS and (stream.frames or 0) <= 1)
    ):
        raise VideoError(
            f"{name} is an image ({fmt or codec}), not a video: pass a video of the runner recorded with a phone"
        )
    return stream


def pick_video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    """The clip's video stream: of several, the one with the most frames (by the container's count, else its
    duration), never a cover picture; the first on a tie."""
    streams = list(container.streams.video)
    moving = [s for s in streams if not s.disposition & av.stream.Disposition.attached_pic] or streams

    def size(s: av.video.stream.VideoStream) -> tuple[int, float]:
        seconds = float(s.duration * s.time_base) if s.duration and s.time_base else 0.0
        return int(s.frames or 0), seconds

    return max(moving, key=size)  # max keeps the first of equals


def display_size(width: int, height: int, sar: Fraction | None) -> tuple[int, int]:
    """The size at which a ``width`` x ``height`` picture with sample aspect ratio ``sar`` is shown, in square
    pixels: widened when ``sar`` > 1, heightened when below (no detail is thrown away)."""
    if not sar or sar <= 0 or sar == 1:
        return width, height
    if sar > 1:
        return int(round(width * sar)), height
    return width, int(round(height / sar))


def _sample_aspect_ratio(stream: av.video.stream.VideoStream) -> Fraction | None:
    for sar in (stream.sample_aspect_ratio, stream.codec_context.sample_aspect_ratio):
        if sar and 0.1 <= sar <= 10:
            return Fraction(sar)
    return None


def _capture_fps(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float | None:
    for meta in (container.metadata, stream.metadata):
        lowered = {str(k).lower(): v for k, v in meta.items()}
        keys = [k for k in CAPTURE_FPS_KEYS if k in lowered]
        keys += [k for k in lowered if k.endswith(CAPTURE_FPS_SUFFIXES) and k not in keys]
        for key in keys:
            try:
                value = float(str(lowered[key]).strip())
            except ValueError:
                logger.warning("ignoring unreadable capture rate %s=%r", key, lowered[key])
                continue
            if math.isfinite(value) and value > 0:
                return value
    return None


def _legacy_rotate(stream: av.video.stream.VideoStream) -> int | None:
    """Old FFmpeg builds exposed the display matrix as a ``rotate`` tag (clockwise degrees)."""
    value = stream.metadata.get("rotate")
    if value is None:
        return None
    try:
        return int(round(float(value) / 90.0)) % 4 * 90
    except ValueError:
        return None


@dataclass(frozen=True)
class _Probe:
    info: VideoInfo
    origin_pts: int
    time_base: Fraction
    times_s: np.ndarray  # sorted presentation times of all frames, seconds from the first frame
    truncated_note: str = ""  # set when the index lists more frames than the file holds
    frame_size: tuple[int, int] = (
        0,
        0,
    )  # (width, height) of each decoded frame in square pixels, before rotation
    coded_size: tuple[int, int] = (0, 0)  # (width, height) of the stream's pictures as stored


def _probe(path: str) -> _Probe:
    name = _name(path)
    container = _open(path)
    try:
        stream = _video_stream(container, path)
        tb = stream.time_base
        if tb is None or tb <= 0:
            raise VideoError(f"{name} has no usable time base in its video stream: re-export it as MP4")
        pts_list: list[int] = []
        try:
            for packet in container.demux(stream):
                if packet.pts is None or packet.is_discard or packet.size == 0:
                    continue
                pts_list.append(packet.pts)
        except _DECODE_ERRORS as e:
            logger.warning("%s: demuxing stopped early (%s); the file may be truncated", name, e)
        if not pts_list:
            raise VideoError(
                f"{name} contains no video frames (empty or truncated video stream): copy the original file again"
            )
        pts = np.unique(np.asarray(pts_list, dtype=np.int64))
        origin = int(stream.start_time) if stream.start_time is not None else int(pts[0])
        origin = min(origin, int(pts[0]))
        times = (pts - origin).astype(float) * float(tb)

        # Decode the first frame: it must decode, and it carries the display matrix (rotation).
        rotation = _first_frame_rotation(path, name)
        legacy = _legacy_rotate(stream)
        if rotation == 0 and legacy is not None:
            rotation = legacy

        n = int(times.size)
        if n == 1:
            raise VideoError(
                f"{name} holds a single frame, a still picture: pass a video with several seconds of running"
            )
        if n >= 2 and times[-1] > times[0]:
            fps = (n - 1) / float(times[-1] - times[0])
            dt = np.diff(times)
            med = float(np.median(dt))
            vfr = bool(np.max(np.abs(dt - med)) > VFR_TOLERANCE * med)
        else:
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
            if not rate or rate <= 0:
                raise VideoError(
                    f"{name} holds a single frame and no frame rate: pass a video with several seconds of running"
                )
            fps = float(rate)
            vfr = False
        capture = _capture_fps(container, stream)
        if capture is not None and capture < fps * SLOW_MOTION_MIN_RATIO:
            capture = None
        sar = _sample_aspect_ratio(stream)
        frame_size = display_size(stream.codec_context.width, stream.codec_context.height, sar)
        if frame_size != (stream.codec_context.width, stream.codec_context.height):
            logger.info(
                "%s: non-square pixels (sample aspect ratio %s); frames resampled to %dx%d",
                name,
                sar,
                *frame_size,
            )
        width, height = frame_size
        if rotation in (90, 270):
            width, height = height, width
        info = VideoInfo(
            path=str(path),
            width=int(width),
            height=int(height),
            fps=float(fps),
            n_frames=n,
            duration_s=float(n / fps),
            rotation_deg=int(rotation),
            codec=stream.codec_context.name or "",
            variable_frame_rate=vfr,
            capture_fps=capture,
            start_s=0.0,
        )
        listed = int(stream.frames or 0)
        note = ""
        if listed > n:
            note = (
                f"{name} looks truncated: its index lists {listed} frames but only {n} are in the file; "
                "analysing those"
            )
            logger.warning("%s", note)
        return _Probe(
            info=info,
            origin_pts=origin,
            time_base=Fraction(tb),
            times_s=times,
            truncated_note=note,
            frame_size=frame_size,
            coded_size=(stream.codec_context.width, stream.codec_context.height),
        )
    finally:
        container.close()


def _first_frame_rotation(path: str, name: str) -> int:
    container = _open(path)
    try:
        stream = pick_video_stream(container)
        try:
            for frame in container.decode(stream):
                return clockwise_rotation(frame.rotation)
        except _DECODE_ERRORS as e:
            raise VideoError(
                f"{name} is damaged: no video frame could be decoded ({e}): copy the original file again"
            ) from e
        raise VideoError(
            f"{name} is damaged or truncated: no video frame could be decoded: copy the original again"
        )
    finally:
        container.close()


def probe_video(path: str) -> VideoInfo:
    """What the container says about a clip (see module docstring); raises VideoError for anything unusable."""
    return _probe(str(path)).info


class VideoReader:
    """Iterate over the upright RGB frames of a video (or of ``[start_s, end_s]`` of it) with real timestamps."""

    def __init__(
        self,
        path: str,
        start_s: float | None = None,
        end_s: float | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = str(path)
        self.warnings: list[str] = []
        name = _name(self.path)
        if start_s is not None and (not math.isfinite(start_s) or start_s < 0):
            raise VideoError(
                f"start time must be a number >= 0 seconds, got {start_s}: pass --start in seconds"
            )
        if end_s is not None and not math.isfinite(end_s):
            raise VideoError(f"end time must be a number of seconds, got {end_s}: pass --end in seconds")
        if start_s is not None and end_s is not None and end_s <= start_s:
            raise VideoError(
                f"end time ({end_s} s) must be after start time ({start_s} s): choose --end later than --start"
            )
        probe = _probe(self.path)
        self._probe = probe
        if probe.truncated_note:
            self.warnings.append(probe.truncated_note)
        self._start_s = float(start_s) if start_s is not None else 0.0
        self._end_s = float(end_s) if end_s is not None else math.inf
        # Half a frame of slack so that a start/end given as a frame's nominal time selects that frame.
        self._eps = 0.5 / probe.info.fps if probe.info.fps > 0 else 1e-6
        times = probe.times_s
        in_range = times[(times >= self._start_s - self._eps) & (times <= self._end_s + self._eps)]
        if in_range.size == 0:
            raise VideoError(
                f"no frames between {self._start_s:g} s and {min(self._end_s, times[-1]):g} s in {name} "
                f"(the video lasts {probe.info.duration_s:.2f} s): choose --start/--end inside the video"
            )
        duration = float(in_range[-1] - in_range[0]) + 1.0 / probe.info.fps
        self.info: VideoInfo = replace(
            probe.info, n_frames=int(in_range.size), duration_s=duration, start_s=float(in_range[0])
        )
        self._threads = threads
        self._open_stream()
        self._closed = False
        self._n_skipped = 0
        self._resized_note = False

    def _open_stream(self) -> None:
        self._container = _open(self.path)
        self._stream = pick_video_stream(self._container)
        self._stream.thread_type = "AUTO"
        if self._threads is not None:
            self._stream.codec_context.thread_count = int(self._threads)

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._container.close()
            self._closed = True

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        logger.warning("%s", message)

    def _skip(self, where: str, reason: str = "") -> None:
        """Record a skipped corrupt frame; the first few are listed, the total is given at the end."""
        self._n_skipped += 1
        if self._n_skipped <= MAX_LISTED_SKIPS:
            detail = f" ({reason})" if reason else ""
            self._warn(f"{_name(self.path)}: skipped a corrupt frame at {where}{detail}")

    def _frames(self) -> Iterator[av.VideoFrame]:
        """Decoded frames; a corrupt packet is skipped with a warning instead of ending the clip."""
        name = _name(self.path)
        stream = self._stream
        packets = self._container.demux(stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                return
            except _DECODE_ERRORS as e:
                self._warn(f"{name}: reading stopped early ({_short(e)}); the file may be truncated")
                break
            try:
                frames = packet.decode()  # a None-data packet at the end flushes the decoder
            except _DECODE_ERRORS as e:
                self._skip(self._packet_time(packet), _short(e))
                continue
            yield from frames
        try:
            yield from stream.decode(None)
        except _DECODE_ERRORS as e:
            self._warn(f"{name}: could not decode the last frames ({_short(e)})")

    def _frames_from_start(self) -> Iterator[av.VideoFrame]:
        """Decoded frames from the keyframe at or before ``start_s``. A seek that lands after the start (MPEG-TS
        seeks by bytes) is retried further back, and at last the file is decoded from its beginning."""
        probe = self._probe
        tb = float(probe.time_base)
        if self._start_s <= self._probe.times_s[0] + self._eps:
            yield from self._frames()
            return
        for back in _SEEK_BACKOFF_S:
            target = probe.origin_pts + int(math.floor((self._start_s - self._eps - back) / tb))
            if target <= probe.origin_pts:
                break
            self._container.seek(target, backward=True, any_frame=False, stream=self._stream)
            frames = self._frames()
            first = next(frames, None)
            if first is None:
                break
            if first.pts is None or (first.pts - probe.origin_pts) * tb <= self._start_s + self._eps:
                yield first
                yield from frames
                return
            logger.debug("%s: a seek to %.3f s landed at %.3f s", self.path, target * tb, first.pts * tb)
        self._container.close()  # from the beginning: a fresh demuxer, no seek at all
        self._open_stream()
        yield from self._frames()

    def _square_rgb(self, frame: av.VideoFrame, t: float) -> np.ndarray:
        """The frame as RGB in square pixels at the probe's size (``display_size``); a frame of another size
        (a resolution change mid-stream) is scaled to it, with a warning."""
        width, height = self._probe.frame_size
        if (frame.width, frame.height) == (width, height):
            return frame.to_ndarray(format="rgb24")
        if not self._resized_note and (frame.width, frame.height) != self._probe.coded_size:
            self._resized_note = True
            self._warn(
                f"{_name(self.path)}: the picture size changes to {frame.width}x{frame.height} at {t:.3f} s; "
                f"those frames are scaled to {width}x{height}"
            )
        return frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="BILINEAR")

    def _packet_time(self, packet: av.Packet) -> str:
        if packet.pts is None:
            return "an unknown time"
        return f"{(packet.pts - self._probe.origin_pts) * float(self._probe.time_base):.3f} s"

    def __iter__(self) -> Iterator[Frame]:
        for index, t, frame in self.decoded():
            yield Frame(index=index, time_s=t, rgb=self.upright_rgb(frame, t))

    def upright_rgb(self, frame: av.VideoFrame, t: float) -> np.ndarray:
        """A decoded frame (``decoded``) as the upright, square-pixel, contiguous RGB that iteration yields."""
        # Contiguous here, in the reader's thread when it runs ahead (streaming.prefetch): PyAV's rows are padded
        # (a 1080-wide frame has 1088-pixel lines) and MediaPipe and the drawing need contiguous pixels; the
        # copy cost the pose thread ~1.5 ms per 1080p frame (issue 7).
        return np.ascontiguousarray(upright(self._square_rgb(frame, t), self.info.rotation_deg))

    def is_plain(self, frame: av.VideoFrame) -> bool:
        """The decoded frame's pixels are the upright RGB's (no rotation, no scaling to square pixels or to the
        probe's size): a box of it can be converted on its own (formcheck/video/foot_crops.py)."""
        return self.info.rotation_deg == 0 and (frame.width, frame.height) == self._probe.frame_size

    def decoded(self) -> Iterator[tuple[int, float, av.VideoFrame]]:
        """(index, time_s, decoded frame) of every frame iteration yields, before the RGB conversion; for callers
        that need only part of some frames (foot_crops.cut_crops)."""
        if self._closed:
            raise VideoError(f"{_name(self.path)} was already closed: open a new VideoReader")
        probe = self._probe
        tb = float(probe.time_base)
        index = 0
        self._n_skipped = 0
        last_t = -math.inf
        nominal_dt = 1.0 / probe.info.fps
        for frame in self._frames_from_start():
            if frame.pts is not None:
                t = (frame.pts - probe.origin_pts) * tb
            elif math.isfinite(last_t):
                t = last_t + nominal_dt
                self._warn(f"{_name(self.path)}: a frame without a timestamp was given {t:.3f} s")
            else:
                t = 0.0
            if t < self._start_s - self._eps:
                continue
            if t > self._end_s + self._eps:
                break
            if t <= last_t:
                self._warn(
                    f"{_name(self.path)}: skipped a frame whose timestamp ({t:.3f} s) does not increase"
                )
                continue
            if frame.is_corrupt:
                self._skip(f"{t:.3f} s")
                continue
            last_t = t
            yield index, float(t), frame
            index += 1
        missing = self.info.n_frames - index
        if index and missing > 0:
            self._warn(
                f"{_name(self.path)}: decoded {index} of {self.info.n_frames} frames; {missing} corrupt or "
                "undecodable frames are left out"
            )
        if index == 0:
            raise VideoError(
                f"{_name(self.path)}: no frame in the chosen range could be decoded: the file is damaged; "
                "copy the original again"
            )
