"""Video decoding and encoding with PyAV: real timestamps, rotation, variable frame rate, browser-playable H.264."""

from formcheck.video.reader import Frame, VideoReader, probe_video
from formcheck.video.writer import VideoWriter

__all__ = ["Frame", "VideoReader", "VideoWriter", "probe_video"]
