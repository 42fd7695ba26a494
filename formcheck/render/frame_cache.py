"""``keyframes.npz``: the decoded video frames behind the report's key frames, kept in the clip folder so that
``formcheck reanalyze`` redraws the key frames without decoding the video again (decoding starts at the keyframe
before each contact, often seconds of video: 0.35-0.7 s of a one-minute clip's re-analysis) and still has them
when the source video has moved.

Frames are stored as JPEG (quality 95) with their file time and the input's SHA-256; a cache for another input,
or one that cannot be read, is ignored (the frames are decoded again)."""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.files import atomic_path

logger = logging.getLogger(__name__)

FRAME_CACHE_FILE = "keyframes.npz"
JPEG_QUALITY = 95
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SourceFrame:
    """A decoded frame before anything is drawn on it, at the reader's time stamp (file time, seconds)."""

    file_time_s: float
    rgb: np.ndarray


def save_source_frames(
    path: str | os.PathLike[str], frames: Sequence[SourceFrame], input_sha256: str
) -> Path:
    """Write ``frames`` as JPEGs into one uncompressed ``.npz`` (atomic)."""
    import cv2

    arrays: dict[str, np.ndarray] = {
        "format_version": np.array(FORMAT_VERSION),
        "input_sha256": np.array(input_sha256),
        "file_time_s": np.array([f.file_time_s for f in frames], dtype=np.float64),
    }
    for k, f in enumerate(frames):
        ok, buf = cv2.imencode(
            ".jpg", cv2.cvtColor(f.rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
        )
        if not ok:
            raise ValueError(f"cannot encode a {f.rgb.shape} frame as JPEG")
        arrays[f"jpeg_{k}"] = buf.reshape(-1)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    return Path(path)


def load_source_frames(path: str | os.PathLike[str], input_sha256: str) -> list[SourceFrame]:
    """The frames cached at ``path`` for the input with ``input_sha256``; [] when there are none, the cache
    belongs to another input, or it cannot be read (logged: the frames are then decoded again)."""
    import cv2

    p = Path(path)
    if not p.is_file() or not input_sha256:
        return []
    try:
        with np.load(p, allow_pickle=False) as z:
            if int(z["format_version"]) != FORMAT_VERSION or str(z["input_sha256"]) != input_sha256:
                return []
            times = z["file_time_s"]
            if times.ndim != 1 or times.dtype.kind != "f":
                raise ValueError(f"file_time_s is not a list of times ({times.dtype} {times.shape})")
            frames = []
            for k, t in enumerate(times):
                bgr = cv2.imdecode(z[f"jpeg_{k}"], cv2.IMREAD_COLOR)
                if bgr is None:
                    raise ValueError(f"frame {k} is not a JPEG")
                frames.append(SourceFrame(float(t), cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
            return frames
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        logger.info("key-frame cache %s not used (%s); decoding the video instead", p, exc)
        return []
