"""Finding the videos in a folder tree (by content, not only by extension) and naming their output folders.
(Recording dates: formcheck/history_dates.py.)"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from formcheck.batch.constants import _ISO_BMFF_BOXES, VIDEO_EXTENSIONS

log = logging.getLogger(__name__)


def sniff_container(head: bytes) -> str | None:
    """The video container named by a file's first bytes (at least 16; 400 for MPEG-TS), or None."""
    if len(head) >= 8 and head[4:8] in _ISO_BMFF_BOXES:
        return "mp4"  # ISO base media: MP4, MOV, 3GP, M4V
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"  # MKV, WebM
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "mpeg-ps"
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return "mpeg-ts"
    if len(head) >= 389 and head[4] == 0x47 and head[196] == 0x47 and head[388] == 0x47:
        return "m2ts"  # 192-byte packets (AVCHD .mts)
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "asf"
    if head.startswith(b"OggS"):
        return "ogg"
    return None


def is_candidate(path: Path) -> bool:
    """A clip to analyse: a video by content, or a file with a video extension (tried, and failed if not)."""
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as e:
        log.warning("cannot read %s (%s); skipped", path, e.strerror or e)
        return path.suffix.lower() in VIDEO_EXTENSIONS
    return sniff_container(head) is not None or path.suffix.lower() in VIDEO_EXTENSIONS


def discover_videos(
    folder: str | os.PathLike[str], exclude: Iterable[str | os.PathLike[str]] = ()
) -> list[Path]:
    """Clips under ``folder`` (sorted, recursive), skipping hidden entries, the ``exclude`` folders and clip
    folders formcheck wrote (their annotated.mp4 is an output, not a clip)."""
    from formcheck.outputs import is_output_folder

    root = Path(folder)
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here != root and is_output_folder(here):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (here / d).resolve() not in skip
        )
        for name in sorted(filenames):
            p = here / name
            if name.startswith(".") or not p.is_file():
                continue
            if is_candidate(p):
                found.append(p)
    return sorted(found)


_MAX_NAME = 200  # characters (ASCII here) of a clip folder's name: file systems allow 255 bytes


def clip_names(
    folder: str | os.PathLike[str], paths: Sequence[Path], reserved: Iterable[str] = ()
) -> dict[Path, str]:
    """Unique output folder names (module docstring: "Clip folders"); a name in ``reserved`` (the batch's own
    files, compared without case) is treated as taken."""
    root = Path(folder)
    return folder_names({p: p.relative_to(root).as_posix() for p in paths}, reserved)


def folder_names(rels: Mapping[Path, str], reserved: Iterable[str] = ()) -> dict[Path, str]:
    """Unique output folder names of clips given their relative POSIX paths (``clip_names``'s rules)."""
    base: dict[Path, str] = {}
    for p, rel_text in rels.items():
        rel = PurePosixPath(rel_text)
        parts = [*rel.parent.parts, rel.stem or rel.name]
        parts = [part for part in parts if part not in ("", ".", "..")] or ["clip"]
        base[p] = "__".join(re.sub(r"[^A-Za-z0-9._-]+", "_", part) for part in parts).lstrip(".") or "clip"
    counts: dict[str, int] = {r.lower(): 1 for r in reserved}
    for name in base.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1  # case-insensitive file systems
    out = {}
    for p, name in base.items():
        if counts[name.lower()] > 1 or len(name) > _MAX_NAME:
            digest = hashlib.sha1(os.fsencode(rels[p])).hexdigest()[:8]
            name = f"{name[:_MAX_NAME]}-{digest}"
        out[p] = name
    return out
