"""Writing a clip's output folder: atomically (a temporary folder renamed into place, analysis.json last), with
one-line errors for an unwritable folder or a full disk."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.errors import OutputError
from formcheck.model import Analysis

if TYPE_CHECKING:
    from formcheck.render.frame_cache import SourceFrame


def check_outdir_writable(outdir: str | os.PathLike[str]) -> None:
    """Create ``outdir`` and write a scratch file in it, so that an unusable ``-o`` fails before the pose pass."""
    import tempfile

    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise OutputError(
            f"cannot write to the output folder {folder} ({e.strerror or e}): choose a writable folder with -o"
        ) from e


def clip_outdir(outdir: str | os.PathLike[str], video_path: str | os.PathLike[str]) -> Path:
    return Path(outdir) / Path(video_path).stem


def write_outputs(
    analysis: Analysis,
    clip_dir: str | os.PathLike[str],
    write_video: bool = True,
    keep_video: Path | None = None,
    pelvis_evidence: dict[float, float] | None = None,
    keep_landmarks: Path | None = None,
    cached_frames: Sequence[SourceFrame] = (),
) -> Path:
    """Write every file of a clip into a temporary folder, then move it into place: a failed clip never leaves a
    folder that looks complete. ``analysis.json`` is written last. ``keep_video`` carries an existing
    annotated.mp4 over when the video is not rendered again, ``keep_landmarks`` the landmark cache that
    ``analysis.raw`` was read from (both hard-linked where the file system allows: no copy of a large file);
    ``cached_frames`` are decoded frames from the old folder's key-frame cache, used instead of decoding."""
    from formcheck.render.frame_cache import FRAME_CACHE_FILE, save_source_frames
    from formcheck.render.video import try_key_frames_and_sources
    from formcheck.report.csv_out import write_keypoints_csv, write_steps_csv
    from formcheck.report.html import write_report
    from formcheck.report.json_out import write_json
    from formcheck.report.landmarks import save_landmarks

    final = Path(clip_dir)
    tmp = final.parent / f".{final.name}.partial-{os.getpid()}"
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        if keep_landmarks is not None and keep_landmarks.is_file():
            _link_or_copy(keep_landmarks, tmp / "landmarks.npz")
        else:
            save_landmarks(analysis.raw, tmp / "landmarks.npz")
        if pelvis_evidence:
            from formcheck.pose.pelvis import PELVIS_FILE, save_pelvis

            save_pelvis(tmp / PELVIS_FILE, pelvis_evidence)
        write_steps_csv(analysis, tmp / "steps.csv")
        write_keypoints_csv(analysis, tmp / "keypoints.csv")
        if write_video:
            from formcheck.render.video import render_annotated_video

            rendered = render_annotated_video(analysis, tmp / "annotated.mp4")
            key_frames, sources = rendered.key_frames, rendered.key_frame_sources
        else:
            if keep_video is not None and keep_video.is_file():
                _link_or_copy(keep_video, tmp / "annotated.mp4")
            key_frames, sources = try_key_frames_and_sources(analysis, cached_frames)
        if sources:
            save_source_frames(tmp / FRAME_CACHE_FILE, sources, analysis.input_sha256)
        write_report(analysis, tmp, key_frames=key_frames)
        write_json(analysis, tmp / "analysis.json")
        if final.exists():
            old = final.parent / f".{final.name}.old-{os.getpid()}"
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(_os_error_message(e, final)) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` as ``dst`` (instant; outputs are replaced as whole folders, never edited in place), or
    copy it where links are not possible (another file system, FAT)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _os_error_message(e: OSError, where: Path) -> str:
    import errno

    if e.errno == errno.ENOSPC:
        return f"the disk is full while writing {where}: free some space and run again"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {where.parent}: choose a writable folder with -o"
    return f"cannot write {where} ({e.strerror or e}): choose another folder with -o"
