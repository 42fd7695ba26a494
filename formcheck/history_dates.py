"""When a clip was recorded, and who says so (``choose_date``, the one order ``analyze`` and ``batch`` share): a
date given for this clip in this run (``analyze --date``; in a batch a roster CSV row, or ``--date`` for a clip new
to OUTDIR), then a date the user gave for it in an earlier run (a flag or a roster row: a correction is never
undone by the file's name), then a date in the clip's folder or file name, then the file's own date, its embedded
``creation_time`` (camera clock) before its modification time. Also where a runner's own history lives by
default."""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime
from pathlib import Path

from formcheck.errors import UsageError

log = logging.getLogger(__name__)

HISTORY_DB_NAME = "history.db"

# Date sources, as summary.csv and the history database name them.
FROM_FLAG = "date flag"  # --date (a CSV cell must not start with "-")
FROM_ROSTER = "roster csv"
FROM_PATH = "folder or file name"
FROM_METADATA = "creation_time metadata"
FROM_MTIME = "file modification time"
FROM_NOW = "analysis time"  # the file is gone: when it was analysed
USER_DATES = (FROM_FLAG, FROM_ROSTER)  # a date a person typed for the clip

_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def default_history_db() -> Path:
    """A runner's own history database: ``$XDG_DATA_HOME/formcheck/history.db``, else
    ``~/.local/share/formcheck/history.db`` (the XDG Base Directory specification's data home)."""
    base = os.environ.get("XDG_DATA_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "formcheck" / HISTORY_DB_NAME


def parse_date(text: str, what: str = "--date") -> datetime:
    """``YYYY-MM-DD`` (optionally with ``HH:MM``) as a naive local datetime; UsageError naming ``what``."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a date: give YYYY-MM-DD, e.g. 2026-05-01") from None


def date_in_path(rel: str) -> datetime | None:
    """A calendar date written in a clip's relative path (``ben/2026-05-01/run.mp4``, ``ben/20260501_run.mp4``):
    the last one found, the one nearest the file. None when there is none or it is not a real day."""
    for m in reversed(list(_DATE_IN_NAME.finditer(rel))):
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    return None


def choose_date(
    clip: str | os.PathLike[str],
    rel: str,
    given: tuple[datetime, str] | None,
    earlier: tuple[datetime, str] | None,
) -> tuple[datetime, str]:
    """(recording date, its source) by the order of the module docstring: ``given`` (this run's date for this
    clip, with its source), else ``earlier`` when a person gave it (source in USER_DATES), else a date in ``rel``
    (the clip's relative path or file name), else the file's own date."""
    if given is not None:
        return given
    if earlier is not None and earlier[1] in USER_DATES:
        return earlier
    named = date_in_path(rel)
    if named is not None:
        return named, FROM_PATH
    return recording_date(clip)


def recording_date(path: str | os.PathLike[str]) -> tuple[datetime, str]:
    """The file's own date: the container's ``creation_time`` (as local time), else the file's modification
    time (now, for a file that is gone). Returns (naive local datetime, source)."""
    try:
        import av

        with av.open(str(path), metadata_errors="ignore") as c:
            metas = [c.metadata] + [s.metadata for s in c.streams.video]
            for meta in metas:
                text = meta.get("creation_time")
                if text:
                    dt = _parse_creation_time(str(text))
                    if dt is not None:
                        return dt, FROM_METADATA
    except Exception as e:  # noqa: BLE001  # any unreadable file falls back to its mtime
        log.debug("no creation_time in %s: %s", path, e)
    try:
        ts = Path(path).stat().st_mtime
    except OSError:
        return datetime.now().replace(microsecond=0), FROM_NOW
    return datetime.fromtimestamp(ts).replace(microsecond=0), FROM_MTIME


def _parse_creation_time(text: str) -> datetime | None:
    text = text.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.year < 1971:  # 1904/1970 epochs: an unset MP4 time
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone().replace(tzinfo=None)
    return dt.replace(microsecond=0)
