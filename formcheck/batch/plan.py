"""A batch's plan: which clips of FOLDER are one video (by content), each clip's folder name, athlete and date, and
which clips need the pose pass, only a re-judging or redrawing, or nothing (their analysis is up to date). The
rules are in formcheck/batch/__init__.py's docstring."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.batch.constants import INDEX_NAME, SUMMARY_NAME
from formcheck.batch.discovery import folder_names
from formcheck.batch.jobs import (
    ClipJob,
    ClipOutcome,
    can_redraw,
    judged_as_asked,
    metrics_summary,
    shows_earlier_analysis,
    up_to_date,
)
from formcheck.batch.ledger import LEDGER_NAME, Ledger, clip_key
from formcheck.batch.meta import RosterFile, clip_athlete, clip_date
from formcheck.batch.roster_files import ATHLETES_DIR, ROSTER_CSV
from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError, UsageError
from formcheck.safe_text import clean_text
from formcheck.store import DEFAULT_DB_NAME

log = logging.getLogger(__name__)

_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


def check_scheduler(address: str) -> str:
    """``address`` if it names a Dask scheduler as ``host:port`` or ``tcp://host:port``, else UsageError."""
    m = _SCHEDULER.match(address.strip())
    if m is None or not 0 < int(m[1]) < 65536:
        raise UsageError(
            f"--scheduler {address!r} is not a Dask scheduler address: give host:port, "
            "e.g. --scheduler tcp://10.0.0.5:8786"
        )
    return address.strip()


def reserved_names(out: Path, db_path: Path) -> set[str]:
    """Names in OUTDIR that belong to the batch itself, which no clip folder may take."""
    names = {SUMMARY_NAME, INDEX_NAME, DEFAULT_DB_NAME, ROSTER_CSV, ATHLETES_DIR, LEDGER_NAME}
    names |= {
        f"{n}{suffix}" for n in (DEFAULT_DB_NAME, db_path.name) for suffix in ("-journal", "-wal", "-shm")
    }
    if db_path.parent.resolve() == out.resolve():
        names.add(db_path.name)
    return names


def check_roster_path(roster: Path, out: Path) -> None:
    """UsageError when ``--roster`` is one of the files the batch writes into OUTDIR (its roster.csv, summary,
    index or an athlete's table): the batch would replace the coach's roster with its own."""
    own = {(out / n).resolve() for n in (ROSTER_CSV, SUMMARY_NAME, INDEX_NAME)}
    path = roster.resolve()
    if path in own or (out / ATHLETES_DIR).resolve() in path.parents:
        raise UsageError(
            f"--roster {roster} is a file the batch writes into {out} (its athletes' table): keep your roster CSV "
            "outside the output folder, e.g. --roster team/roster.csv"
        )


def base_folder(ledger_root: str | None, root: Path) -> Path:
    """The folder new clips are named from: the widest batch folder into this OUTDIR (``team`` when ``team/ben``
    runs after ``team``, so ``team/ben/run.mp4`` is ``ben__run`` in both)."""
    if ledger_root:
        earlier = Path(ledger_root)
        if root == earlier or earlier in root.parents:
            return earlier
    return root


@dataclass(frozen=True)
class ClipMeta:
    """What the batch knows of a job's clip beyond the job: its ledger key (the content's sha256, or
    ``path:<absolute path>`` for an unreadable file), recording date and where that date came from, and its
    source path."""

    key: str
    recorded_at: datetime
    date_source: str
    source: str

    @property
    def digest(self) -> str:
        """The content's sha256, "" for an unreadable file."""
        return "" if self.key.startswith("path:") else self.key


@dataclass(frozen=True)
class BatchPlan:
    """Every clip of the batch, once by content, in discovery order; ``meta`` by the job's ``rel``; ``replaced``:
    the ledger keys of files changed in place, new key -> the key it replaces."""

    jobs: list[ClipJob]
    meta: dict[str, ClipMeta]
    replaced: dict[str, str]


def plan_clips(
    paths: list[Path],
    root: Path,
    out: Path,
    db_path: Path,
    ledger: Ledger,
    coach: RosterFile | None,
    athlete: str | None,
    athlete_from_folder: bool,
    date: datetime | None,
) -> BatchPlan:
    """Each clip once, by content: a clip an earlier batch analysed keeps its folder (and, unless told, athlete);
    a file changed in place replaces its earlier analysis (same folder, same athlete: its old ledger entry is
    marked ``changed since``). Sets ``ledger.root`` to the folder new clips are named from."""
    from formcheck.pipeline import sha256_file

    base = base_folder(ledger.root, root)
    ledger.root = str(base)
    digests: dict[Path, str] = {}
    for p in paths:
        try:
            digests[p] = sha256_file(p)
        except (OSError, FormcheckError):
            digests[p] = ""
    unique: dict[str, Path] = {}
    for p in paths:
        key = clip_key(digests[p], p)
        if key in unique:
            log.info("%s is the same video as %s: analysed once", p, unique[key])
        else:
            unique[key] = p
    rels = {
        p: clean_text((p.relative_to(base) if base in p.parents else p.relative_to(root)).as_posix())
        for p in unique.values()
    }
    taken = {o.name for o in ledger.clips.values()}
    if out.is_dir():
        taken |= {d.name for d in out.iterdir()}
    # A file changed in place (trimmed, re-exported) replaces its earlier analysis: same folder, same athlete.
    by_source = {o.source: k for k, o in ledger.clips.items() if o.source}
    replaced: dict[str, str] = {}  # new key -> the key it replaces
    for key, p in unique.items():
        old = by_source.get(str(p))
        if key not in ledger.clips and old is not None and old not in unique:
            replaced[key] = old
            ledger.clips[key] = replace(ledger.clips.pop(old), status="error", error="changed since")
    new = {p: rels[p] for key, p in unique.items() if key not in ledger.clips}
    names = folder_names(new, reserved=reserved_names(out, db_path) | taken)
    one_athlete = all(p.parent == root for p in paths)  # FOLDER is one athlete's own folder
    jobs: list[ClipJob] = []
    meta: dict[str, ClipMeta] = {}
    for key, p in unique.items():
        earlier = ledger.clips.get(key)
        row = coach.row(p) if coach is not None else None
        name = earlier.name if earlier is not None else names[p]
        who = clip_athlete(p, root, row, athlete, athlete_from_folder, earlier, one_athlete)
        when, source = clip_date(p, rels[p], row, date, earlier)
        job = ClipJob(str(p), rels[p], name, str(out / name), who)
        jobs.append(job)
        meta[job.rel] = ClipMeta(key, when, source, str(p))
    return BatchPlan(jobs, meta, replaced)


def job_to_run(
    job: ClipJob, digest: str, settings: AnalysisSettings
) -> tuple[ClipJob | None, dict[str, Any] | None]:
    """``(job, None)`` when the clip must run (``job.redraw`` set when its cached landmarks serve: re-judged with
    other bands or rules, or its video drawn again), ``(None, analysis document)`` when it is up to date."""
    fps = settings.capture_fps
    doc = up_to_date(job, digest, settings.write_video, fps) if digest else None
    if doc is not None and settings.blur_faces and not (doc.get("settings") or {}).get("blur_faces"):
        doc = None  # analysed without --blur-faces: its video and key frames show the face
    if doc is not None and settings.write_video and shows_earlier_analysis(doc):
        doc = None  # its video was kept from an earlier analysis: drawn again if the source is back
    rejudge = doc is not None and not judged_as_asked(doc, settings)  # another --speed or --config
    if doc is None or rejudge:
        redraw = bool(digest) and (settings.write_video or rejudge) and can_redraw(job, digest, fps)
        return replace(job, redraw=redraw), None
    return None, doc


def up_to_date_outcome(job: ClipJob, digest: str, doc: dict[str, Any]) -> ClipOutcome:
    """The outcome of a clip whose analysis is up to date, read from its ``analysis.json``."""
    return ClipOutcome(
        job.rel,
        job.name,
        job.athlete,
        "ok",
        sha256=digest,
        metrics=metrics_summary(doc),
        skipped=True,
        formcheck_version=doc.get("formcheck_version", ""),
        settings=doc.get("settings"),
    )
