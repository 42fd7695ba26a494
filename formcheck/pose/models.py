"""Find the pose model: the default BlazePose bundle built from the installed mediapipe wheel, or a user's ``.task``.

The mediapipe 0.10.21 wheel ships the BlazePose networks of the legacy Solutions API
(``mediapipe/modules/pose_detection/pose_detection.tflite``, ``mediapipe/modules/pose_landmark/pose_landmark_full.tflite``)
but not the ``pose_landmarker_*.task`` bundle the Tasks ``PoseLandmarker`` loads, and formcheck never downloads at
run time. So the default bundle is built once, offline, from those two files:

1. each ``.tflite`` gets the image-input metadata the Tasks graphs read to normalise pixels, with the ranges the
   legacy graphs use for the same networks: the detector takes [-1, 1] (mean 127.5, std 127.5;
   ``pose_detection_cpu.pbtxt``) and the landmark network [0, 1] (mean 0, std 255;
   ``pose_landmark_by_roi_cpu.pbtxt``);
2. both are zipped, stored uncompressed and 4-byte aligned, as ``pose_detector.tflite`` and
   ``pose_landmarks_detector.tflite`` (the names inside the official ``pose_landmarker_full.task``);
3. the bundle is written to a temporary file, loaded once to check it, and renamed into the cache:
   ``$FORMCHECK_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/formcheck`` or ``~/.cache/formcheck``, file
   ``models/pose_landmarker_full.task``. Two processes building at once each write their own temporary file and
   the last rename wins; both results are identical.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import zipfile
from pathlib import Path

from formcheck.errors import ModelError

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "blazepose-full"
DEFAULT_BUNDLE_NAME = "pose_landmarker_full.task"
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")

# (file in the mediapipe wheel, name in the bundle, normalisation mean, std, description)
_SOURCES = (
    (
        "modules/pose_detection/pose_detection.tflite",
        "pose_detector.tflite",
        127.5,
        127.5,
        "BlazePose person detector (input scaled to [-1, 1])",
    ),
    (
        "modules/pose_landmark/pose_landmark_full.tflite",
        "pose_landmarks_detector.tflite",
        0.0,
        255.0,
        "BlazePose GHUM 3D landmarks, full (input scaled to [0, 1])",
    ),
)


# The cached bundle's name carries a digest of the recipe above, so a formcheck that builds it differently (other
# normalisation, other networks) never reuses a bundle an older version left in the cache.
_RECIPE_DIGEST = hashlib.sha256(repr(_SOURCES).encode()).hexdigest()[:8]
CACHED_BUNDLE_NAME = f"pose_landmarker_full-{_RECIPE_DIGEST}.task"


def cache_dir() -> Path:
    """formcheck's cache folder: ``$FORMCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/formcheck``, else
    ``~/.cache/formcheck``."""
    explicit = os.environ.get("FORMCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "formcheck"


def default_bundle_path() -> Path:
    return cache_dir() / "models" / CACHED_BUNDLE_NAME


def _mediapipe_root() -> Path:
    try:
        import mediapipe
    except ImportError as e:  # pragma: no cover - mediapipe is a hard dependency
        raise ModelError(f"mediapipe is not installed ({e}): pip install mediapipe==0.10.21") from e
    return Path(mediapipe.__file__).parent


def _with_metadata(model: bytes, name: str, mean: float, std: float, description: str) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    content, _ = writer.populate()
    return bytes(content)


def build_default_bundle(dest: Path | None = None, force: bool = False) -> Path:
    """Build (once) the default PoseLandmarker bundle from the mediapipe wheel and return its path."""
    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    dest = Path(dest) if dest is not None else default_bundle_path()
    if not force and dest.is_file() and _is_bundle(dest):
        return dest
    root = _mediapipe_root()
    models: dict[str, bytes] = {}
    for rel, member, mean, std, description in _SOURCES:
        src = root / rel
        try:
            raw = src.read_bytes()
        except OSError as e:
            raise ModelError(
                f"cannot read {src} from the mediapipe wheel ({e.strerror}): reinstall mediapipe==0.10.21 "
                "or pass an official pose_landmarker .task bundle with --model"
            ) from e
        models[member] = _with_metadata(raw, Path(member).stem, mean, std, description)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ModelError(
            f"cannot create the model cache {dest.parent} ({e.strerror}): set FORMCHECK_CACHE_DIR to a writable folder"
        ) from e
    tmp = dest.parent / f".{dest.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        model_asset_bundle_utils.create_model_asset_bundle(models, str(tmp))
        check_bundle_loads(tmp)
        os.replace(tmp, dest)
    except OSError as e:
        raise ModelError(
            f"cannot write the pose model to {dest.parent} ({e.strerror}): set FORMCHECK_CACHE_DIR to a writable folder"
        ) from e
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("built the default pose model %s from the mediapipe wheel into %s", DEFAULT_MODEL_NAME, dest)
    return dest


def _is_bundle(path: Path) -> bool:
    """A complete bundle: a readable zip holding both networks (a half-written file fails this)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            return all(m in names for m in BUNDLE_MEMBERS) and z.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def check_bundle_loads(path: Path) -> None:
    """Load the bundle with the Tasks PoseLandmarker once; raise ModelError if mediapipe rejects it."""
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.pose.native_log import filtered_native_stderr

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)), running_mode=vision.RunningMode.IMAGE
    )
    try:
        with filtered_native_stderr():
            landmarker = vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelError(
            f"{Path(path).name} is not a pose model mediapipe can load ({first[:160]}): pass a PoseLandmarker "
            ".task bundle (pose_landmarker_lite/full/heavy.task)"
        ) from e
    landmarker.close()


def model_name_for(path: Path) -> str:
    """``blazepose-lite``/``-full``/``-heavy`` when the file name says which, else the file's stem."""
    stem = Path(path).stem
    m = re.search(r"(?<![a-z])(lite|full|heavy)(?![a-z])", stem.lower())
    return f"blazepose-{m.group(1)}" if m else stem


def resolve_model(path: str | None) -> tuple[Path, str]:
    """The model file and its name: the default bundle (built on first use) when ``path`` is None, else the
    user's ``.task`` bundle, checked by loading it."""
    if path is None:
        return build_default_bundle(), DEFAULT_MODEL_NAME
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelError(
            f"pose model {path} does not exist: check the --model path, or leave it out for the default"
        )
    if not p.is_file():
        raise ModelError(
            f"pose model {path} is not a file: pass a .task bundle such as pose_landmarker_full.task"
        )
    if not zipfile.is_zipfile(p):
        hint = " (a bare .tflite is not enough)" if p.suffix.lower() == ".tflite" else ""
        raise ModelError(
            f"pose model {p.name} is not a .task bundle{hint}: pass a MediaPipe PoseLandmarker .task file "
            "such as pose_landmarker_full.task"
        )
    if not _is_bundle(p):
        raise ModelError(
            f"pose model {p.name} is a zip without {' and '.join(BUNDLE_MEMBERS)}: pass a MediaPipe "
            "PoseLandmarker .task file such as pose_landmarker_full.task"
        )
    check_bundle_loads(p)
    return p, model_name_for(p)
