"""Who is in a clip and when it was recorded, from what the coach says first.

Athlete: a roster CSV row for the file (``--roster FILE``, columns ``file,athlete,date``), then ``--athlete`` (for
clips new to OUTDIR or still ``unknown``), then the folder (``--athlete-from-folder``: the folder the clip is in, so
``batch team/ben`` files ben's clips under ``ben``, while a clip at the top of a team's folder, beside athletes'
folders, stays ``unknown``), then what an earlier batch into the same OUTDIR recorded, and last ``unknown``.

Date (``history_dates.choose_date``, the order ``analyze`` uses too): a roster CSV row for the file, then ``--date``
(for clips new to OUTDIR only: a re-run with ``--date`` for this week's clips does not re-date last week's), then a
date a person gave in an earlier run (flag or roster), then a date written in the clip's folder or file name, and
last the file's own date (its embedded ``creation_time``, else its modification time). To change the athlete or
date of a clip already in OUTDIR, name it in a roster CSV."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from formcheck.batch.constants import UNKNOWN_ATHLETE
from formcheck.batch.jobs import ClipOutcome
from formcheck.errors import UsageError
from formcheck.history_dates import (
    FROM_FLAG,
    FROM_ROSTER,
    choose_date,
    parse_date,
)
from formcheck.safe_text import clean_text


@dataclass(frozen=True)
class RosterRow:
    athlete: str | None
    date: datetime | None


@dataclass
class RosterFile:
    """A coach's roster CSV: rows by the file's absolute path, and by bare file name for rows naming one."""

    by_path: dict[Path, RosterRow]
    by_name: dict[str, RosterRow | None]  # None: several rows share the name (ambiguous)
    used: set[int]

    def row(self, clip: Path) -> RosterRow | None:
        row = self.by_path.get(_norm(clip))
        if row is None:
            row = self.by_name.get(clip.name)
        if row is not None:
            self.used.add(id(row))
        return row

    def unused(self) -> int:
        rows = {id(r): r for r in [*self.by_path.values(), *(r for r in self.by_name.values() if r)]}
        return len(set(rows) - self.used)


def _norm(p: Path) -> Path:
    return Path(os.path.normpath(p.absolute()))


def load_roster_csv(path: str | os.PathLike[str], folder: Path) -> RosterFile:
    """Read ``--roster FILE``. ``file`` is a path relative to FOLDER (or to the CSV's own folder, or absolute),
    or a bare file name; empty ``athlete``/``date`` cells say nothing. UsageError for a missing file, missing
    columns or a bad date."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(
            f"cannot read the roster {p} ({e}): give a CSV file with columns file,athlete,date"
        ) from e
    reader = csv.DictReader(text.splitlines())
    cols = {c.strip().lower() for c in reader.fieldnames or []}
    if "file" not in cols or not cols & {"athlete", "date"}:
        raise UsageError(
            f"the roster {p} needs the columns file,athlete,date (it has: {', '.join(sorted(cols))})"
        )
    by_path: dict[Path, RosterRow] = {}
    by_name: dict[str, RosterRow | None] = {}
    for n, rec in enumerate(reader, start=2):
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in rec.items()}
        name = rec.get("file", "")
        if not name:
            continue
        date = parse_date(rec["date"], f"{p.name} line {n}: date") if rec.get("date") else None
        row = RosterRow(clean_text(rec["athlete"]) if rec.get("athlete") else None, date)
        given = Path(name)
        for base in (folder, p.parent) if not given.is_absolute() else (Path("/"),):
            by_path.setdefault(_norm(base / given), row)
        if "/" not in name and "\\" not in name:
            by_name[name] = None if name in by_name else row
    return RosterFile(by_path, by_name, set())


def clip_athlete(
    clip: Path,
    folder: Path,
    row: RosterRow | None,
    athlete: str | None,
    from_folder: bool,
    earlier: ClipOutcome | None,
    one_athlete: bool = False,
) -> str:
    """The clip's athlete by the precedence of the module docstring. ``--athlete`` describes the clips of this run:
    it names a clip new to OUTDIR, or one still filed as ``unknown``, never moves a clip an earlier run gave an
    athlete (a roster row naming the clip does). ``one_athlete``: every clip of the batch lies at the top of
    FOLDER, which is then one athlete's folder named after them; in a team's folder a clip at the top belongs to
    no athlete's folder."""
    if row is not None and row.athlete:
        return row.athlete
    if athlete and (earlier is None or earlier.athlete in ("", UNKNOWN_ATHLETE)):
        return clean_text(athlete)
    if from_folder and clip.parent != folder:
        return clean_text(clip.parent.name) or UNKNOWN_ATHLETE
    if from_folder and one_athlete and earlier is None:  # ``batch team/ben``: ben's own folder
        return clean_text(folder.name) or UNKNOWN_ATHLETE
    if earlier is not None and earlier.athlete:
        return earlier.athlete
    return UNKNOWN_ATHLETE


def clip_date(
    clip: Path, rel: str, row: RosterRow | None, date: datetime | None, earlier: ClipOutcome | None
) -> tuple[datetime, str]:
    """(recording date, its source) by ``history_dates.choose_date``, the order ``analyze`` uses too: a roster
    row naming the clip, else ``--date`` for a clip new to OUTDIR (a clip an earlier run dated keeps its date:
    ``--date`` describes this run's new clips), else a date a person gave in an earlier run, else a date in the
    path, else the file's own."""
    given = None
    if row is not None and row.date is not None:
        given = (row.date, FROM_ROSTER)
    elif date is not None and earlier is None:
        given = (date, FROM_FLAG)
    before = None
    if earlier is not None and earlier.recorded_at is not None:
        before = (earlier.recorded_at, earlier.date_source)
    return choose_date(clip, rel, given, before)


def check_date_flag(text: str | None) -> datetime | None:
    return None if text is None else parse_date(text)


__all__ = ["RosterFile", "RosterRow", "check_date_flag", "clip_athlete", "clip_date", "load_roster_csv"]
