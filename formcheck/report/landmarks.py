"""``landmarks.npz``: a clip's raw landmark tracks, so metrics can be re-run without the pose model."""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from formcheck.errors import FormcheckError, InvalidDataError
from formcheck.files import atomic_path
from formcheck.model import Trajectories, VideoInfo

FORMAT_VERSION = 1


def save_landmarks(raw: Trajectories, path: str | os.PathLike[str]) -> Path:
    """Write ``raw`` as a compressed ``.npz``: xy_px, visibility, time_s, world_xyz and repeated (if any), video
    (JSON)."""
    arrays = {
        "xy_px": raw.xy_px.astype(np.float32),
        "visibility": raw.visibility.astype(np.float32),
        "time_s": raw.time_s.astype(np.float64),
        "video": np.array(json.dumps(dataclasses.asdict(raw.video))),
        "format_version": np.array(FORMAT_VERSION),
    }
    if raw.world_xyz is not None:
        arrays["world_xyz"] = np.asarray(raw.world_xyz, dtype=np.float32)
    if raw.repeated is not None:
        arrays["repeated"] = np.asarray(raw.repeated, dtype=np.float32)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return Path(path)


def _video_info(fields: dict) -> VideoInfo:
    """The clip's VideoInfo from its stored fields; fields this version does not know (written by a newer one) are
    left out, so a cache stays readable across versions."""
    known = {f.name for f in dataclasses.fields(VideoInfo)}
    return VideoInfo(**{k: v for k, v in fields.items() if k in known})


def load_landmarks(path: str | os.PathLike[str]) -> Trajectories:
    """Read a ``landmarks.npz`` written by :func:`save_landmarks`."""
    p = Path(path)
    try:
        with np.load(p, allow_pickle=False) as z:
            video = _video_info(json.loads(str(z["video"])))
            world = z["world_xyz"].astype(float) if "world_xyz" in z.files else None
            repeated = z["repeated"].astype(float) if "repeated" in z.files else None
            return Trajectories(
                xy_px=z["xy_px"].astype(float),
                visibility=z["visibility"].astype(float),
                time_s=z["time_s"].astype(float),
                video=video,
                world_xyz=world,
                repeated=repeated,
            )
    except FileNotFoundError:
        raise FormcheckError(f"no landmark cache at {p}: analyse the clip again to create it") from None
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, InvalidDataError) as exc:
        raise FormcheckError(
            f"{p} is not a readable landmark cache ({exc}); delete it and analyse again"
        ) from exc
