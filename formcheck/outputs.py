"""Writing a clip's output folder: every file goes to a temporary folder first (analysis.json last), which is then
renamed into place, or, over an earlier folder, whose files are moved in one by one (analysis.json removed first
and moved last); with one-line errors for an unwritable folder or a full disk.

Ownership: every clip folder holds a marker file, ``.formcheck``. An existing folder is written into only when it
holds the marker (or is a clip folder from before the marker: it holds analysis.json and landmarks.npz); then only
formcheck's own files in it (``OUTPUT_FILES``) are replaced or removed, anything else is left where it is. A
two-view session folder (``.formcheck-session``) and a compare folder (``.formcheck-compare``) have markers of
their own: each command writes only into its own kind of folder (``check_folder_kind``).
Temporary folders left by a killed run (``.<name>.partial-<pid>-<host>``, holding the marker) are removed by the
next run on the same machine once their process is gone.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from formcheck.errors import OutputError
from formcheck.files import HOST_TAG
from formcheck.model import Analysis

if TYPE_CHECKING:
    from formcheck.render.frame_cache import SourceFrame
    from formcheck.sole_contacts import SoleContacts


MARKER = ".formcheck"
MARKER_TEXT = "This folder was written by formcheck. formcheck replaces only the files it wrote here.\n"
SESSION_MARKER = ".formcheck-session"  # formcheck/session.py's folders
COMPARE_MARKER = ".formcheck-compare"  # formcheck/compare's folders
CLIP, SESSION, COMPARE = "clip", "session", "compare"
_KIND_WORDS = {
    CLIP: "a clip folder (formcheck analyze)",
    SESSION: "a two-view session folder (formcheck analyze --session, batch)",
    COMPARE: "a compare folder (formcheck compare)",
}
# Every file formcheck writes in a clip folder; nothing else in one is ever replaced or deleted.
OUTPUT_FILES = frozenset(
    {
        MARKER,
        "analysis.json",
        "annotated.mp4",
        "report.html",
        "steps.csv",
        "keypoints.csv",
        "landmarks.npz",
        "keyframes.npz",
        "pelvis.json",
        "sole_contacts.npz",
        "report-share.html",
    }
)
_HOST_TAG = HOST_TAG
T = TypeVar("T")
_PARTIAL = re.compile(r"^\.(?P<name>.+)\.partial-(?P<pid>\d+)-(?P<host>[0-9a-f]{8})$")
_TMP_FILE = re.compile(r"^\.(?P<name>.+)\.tmp-(?P<pid>\d+)-(?P<host>[0-9a-f]{8})\.[^/]*\.tmp$")


def is_clip_folder(folder: str | os.PathLike[str]) -> bool:
    """True when ``folder`` is a clip folder formcheck wrote (it holds the marker)."""
    return folder_kind(folder) == CLIP and (Path(folder) / MARKER).is_file()


def folder_kind(folder: str | os.PathLike[str]) -> str | None:
    """Which kind of folder formcheck wrote ``folder`` as: ``CLIP``, ``SESSION`` or ``COMPARE`` (by its marker; a
    compare folder from before its own marker holds the clip marker and compare.json but no analysis.json; a clip
    folder from before any marker holds analysis.json and landmarks.npz), or None."""
    f = Path(folder)
    if (f / SESSION_MARKER).is_file():
        return SESSION
    if (f / COMPARE_MARKER).is_file():
        return COMPARE
    if (f / MARKER).is_file():
        legacy_compare = (f / "compare.json").is_file() and not (f / "analysis.json").exists()
        return COMPARE if legacy_compare else CLIP
    return CLIP if _legacy_clip_folder(f) else None


def is_output_folder(folder: str | os.PathLike[str]) -> bool:
    """True for any folder formcheck wrote: a clip folder (with the marker or from a version before it), a session
    or a compare folder. What is inside is formcheck's output, never a clip to analyse."""
    return folder_kind(folder) is not None


def check_folder_kind(
    folder: str | os.PathLike[str],
    kind: str,
    advice: str = "choose another folder with -o (or rename the clip)",
) -> None:
    """Raise OutputError (one line, ending with ``advice``) when ``folder`` is a folder formcheck wrote as another
    kind than ``kind``: a command never writes into another command's folder."""
    found = folder_kind(folder)
    if found is not None and found != kind:
        raise OutputError(
            f"{folder} is {_KIND_WORDS[found]}, not {_KIND_WORDS[kind].split(' (')[0]}: {advice}"
        )


def _legacy_clip_folder(folder: Path) -> bool:
    """A clip folder from a formcheck without the marker: it holds analysis.json and landmarks.npz."""
    return all(
        (folder / n).is_file() and not (folder / n).is_symlink() for n in ("analysis.json", "landmarks.npz")
    )


def check_clip_dir(
    clip_dir: str | os.PathLike[str], video_path: str | os.PathLike[str] | None = None
) -> None:
    """Raise OutputError unless formcheck may write ``clip_dir``: it does not exist, is empty, or is a clip folder
    formcheck wrote; and the input video is not one of the files it would replace."""
    folder = Path(clip_dir)
    try:
        if not folder.exists() and not folder.is_symlink():
            return
    except OSError as e:  # a name too long for the file system
        raise OutputError(os_error_message(e, folder)) from e
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(
            f"{folder} already exists and is not a folder formcheck wrote: choose another folder with -o "
            "(or rename the clip)"
        )
    video = Path(video_path) if video_path is not None else None
    if video is not None and video.name in OUTPUT_FILES and _same_file(video, folder / video.name):
        raise OutputError(
            f"{video} would be overwritten by its own outputs in {folder}: choose another folder with -o"
        )
    check_folder_kind(folder, CLIP)
    try:
        empty = not any(folder.iterdir())
    except OSError as e:
        raise OutputError(os_error_message(e, folder)) from e
    if empty or folder_kind(folder) == CLIP:
        return
    holds_input = video is not None and _inside(video, folder)
    what = "it holds the video itself" if holds_input else "it holds files formcheck did not write"
    raise OutputError(
        f"{folder} already exists and was not written by formcheck ({what}): choose another folder with -o"
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def clean_stale_partials(parent: str | os.PathLike[str]) -> list[Path]:
    """Remove what a killed formcheck on this machine left in ``parent``: temporary clip folders (they hold the
    marker) and temporary files (``files.atomic_path``) whose process is gone. Returns what was removed."""
    removed = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    for p in entries:
        folder = _PARTIAL.match(p.name)
        m = folder or _TMP_FILE.match(p.name)
        if m is None or m["host"] != _HOST_TAG or int(m["pid"]) == os.getpid() or p.is_symlink():
            continue
        if _pid_alive(int(m["pid"])):
            continue
        if folder is not None and is_output_folder(p):
            shutil.rmtree(p, ignore_errors=True)
        elif folder is None and p.is_file():
            p.unlink(missing_ok=True)
        else:
            continue
        removed.append(p)
    return removed


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
    source_ok: Callable[[], bool] | None = None,
    sole_contacts: SoleContacts | None = None,
) -> Path:
    """Write every file of a clip into a temporary folder, then move it into place: a failed clip never leaves a
    folder that looks complete. ``analysis.json`` is written last. ``keep_video`` carries an existing
    annotated.mp4 over when the video is not rendered again, ``keep_landmarks`` the landmark cache that
    ``analysis.raw`` was read from (both hard-linked where the file system allows: no copy of a large file);
    ``cached_frames`` are decoded frames from the old folder's key-frame cache, used instead of decoding;
    ``source_ok`` is asked before the input video is decoded for the frames the cache lacks; ``sole_contacts``,
    what the sole contact timing measured, is kept as ``sole_contacts.npz`` (formcheck/sole_contacts.py)."""
    from formcheck.render.frame_cache import FRAME_CACHE_FILE, save_source_frames
    from formcheck.render.state import motion_per_file_s
    from formcheck.render.video import try_key_frames_and_sources
    from formcheck.report.csv_out import write_keypoints_csv, write_steps_csv
    from formcheck.report.html import write_report
    from formcheck.report.json_out import write_json
    from formcheck.report.landmarks import save_landmarks

    final = Path(clip_dir)
    check_clip_dir(final, analysis.video.path)

    def write(tmp: Path) -> None:
        if keep_landmarks is not None and keep_landmarks.is_file():
            _link_or_copy(keep_landmarks, tmp / "landmarks.npz")
        else:
            save_landmarks(analysis.raw, tmp / "landmarks.npz")
        if pelvis_evidence:
            from formcheck.pose.pelvis import PELVIS_FILE, save_pelvis

            save_pelvis(tmp / PELVIS_FILE, pelvis_evidence)
        if sole_contacts is not None:
            from formcheck.sole_contacts import SOLE_CONTACTS_FILE, save_sole_contacts

            save_sole_contacts(tmp / SOLE_CONTACTS_FILE, sole_contacts)
        write_steps_csv(analysis, tmp / "steps.csv")
        write_keypoints_csv(analysis, tmp / "keypoints.csv")
        if write_video:
            from formcheck.render.video import render_annotated_video

            rendered = render_annotated_video(
                analysis, tmp / "annotated.mp4", crop=analysis.settings.video_crop
            )
            key_frames, sources = rendered.key_frames, rendered.key_frame_sources
        video_origin_s = None  # the video starts at the first analysed frame (render_annotated_video)
        if not write_video:
            if keep_video is not None and keep_video.is_file():
                _link_or_copy(keep_video, tmp / "annotated.mp4")
                video_origin_s = kept_video_origin_s(analysis, tmp / "annotated.mp4")
            key_frames, sources = try_key_frames_and_sources(analysis, cached_frames, source_ok)
        if sources:
            save_source_frames(tmp / FRAME_CACHE_FILE, sources, analysis.input_sha256)
        video_per_motion_s = 1.0 / motion_per_file_s(analysis.video)
        write_report(
            analysis,
            tmp,
            key_frames=key_frames,
            video_per_motion_s=video_per_motion_s,
            video_origin_s=video_origin_s,
        )
        if analysis.settings.single_file:
            _write_share_file(tmp, final)
        write_json(analysis, tmp / "analysis.json")

    write_folder(final, write, MARKER, MARKER_TEXT, OUTPUT_FILES, last="analysis.json")
    return final


def kept_video_origin_s(analysis: Analysis, video: Path) -> float | None:
    """Where a kept ``annotated.mp4`` starts, in the clip's motion seconds: None (the first analysed frame, as
    formcheck draws it) unless it holds more frames than were analysed: a video of the whole clip, drawn by a
    formcheck from before ``--start``/``--end`` trimmed the video, which starts at the clip's start (0)."""
    from formcheck.errors import FormcheckError
    from formcheck.video import probe_video

    try:
        frames = probe_video(str(video)).n_frames
    except FormcheckError:
        return None
    return 0.0 if frames > analysis.raw.n_frames + 1 else None


def _write_share_file(tmp: Path, final: Path) -> None:
    """``--single-file``: the report with its video inside (formcheck/report/single_file.py), when there is a
    video to put in it."""
    from formcheck.report.single_file import SHARE_FILE, VIDEO_FILE, write_single_file

    if not (tmp / VIDEO_FILE).is_file():
        logging.getLogger(__name__).warning(
            "no %s for %s: the clip has no annotated video", SHARE_FILE, final
        )
        return
    write_single_file(tmp, tmp / SHARE_FILE, shown_as=str(final / SHARE_FILE))


def write_folder(
    final: Path,
    write: Callable[[Path], T],
    marker: str,
    marker_text: str,
    own_files: Iterable[str],
    last: str,
) -> T:
    """Write a folder atomically: ``write(tmp)`` fills a temporary folder beside ``final`` (holding ``marker``,
    so a killed run's leftovers are recognised), which is then renamed into place, or, over an existing
    ``final``, whose files are moved in one by one (``last`` removed first and moved last, so a folder holding
    ``last`` is complete); files in ``own_files`` the new outputs lack are removed, anything else is left alone.
    An OSError becomes an OutputError with one line; nothing is left half-written. Returns what ``write`` did."""
    short = os.fsdecode(os.fsencode(final.name)[:120])  # the temporary name must fit where the final one does
    tmp = final.parent / f".{short}.partial-{os.getpid()}-{_HOST_TAG}"
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_partials(final.parent)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        (tmp / marker).write_text(marker_text, encoding="utf-8")
        result = write(tmp)
        if final.exists():
            _replace_own_files(tmp, final, frozenset(own_files), last)
        else:
            tmp.rename(final)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(os_error_message(e, final)) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _replace_own_files(tmp: Path, final: Path, own_files: frozenset[str], last: str) -> None:
    """Move the files of ``tmp`` into the existing folder ``final``, ``last`` last, and remove the files of
    ``own_files`` in ``final`` that the new outputs lack. Files formcheck did not write are left alone."""
    (final / last).unlink(missing_ok=True)  # from here until the end the folder is not complete
    new = {p.name for p in tmp.iterdir()}
    for name in [*sorted(new - {last}), last]:
        if name not in new:
            continue
        os.replace(tmp / name, final / name)
        (tmp / name).unlink(missing_ok=True)  # a hard link of the file it replaced: rename(2) left both
    for name in own_files - new:
        stale = final / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    tmp.rmdir()


def _link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` as ``dst`` (instant; outputs are replaced as whole folders, never edited in place), or
    copy it where links are not possible (another file system, FAT)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def os_error_message(e: OSError, where: Path) -> str:
    """One line for an OSError while writing ``where``: what happened and what to do."""
    if e.errno == errno.ENOSPC:
        return f"the disk is full while writing {where}: free some space and run again"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {where.parent}: choose a writable folder with -o"
    if e.errno == errno.ENAMETOOLONG:
        return f"the name {where.name!r} is too long for the file system: rename the clip to a shorter name"
    return f"cannot write {where} ({e.strerror or e}): choose another folder with -o"
