"""Many clips: analyse every video of a folder tree on a local process pool, or on a Dask cluster.

**Discovery.** Every file under FOLDER is considered, except hidden files and folders (name starting with ``.``)
and OUTDIR when it lies inside FOLDER. A file is a clip when its first bytes are a video container's signature
(ISO-BMFF ``ftyp`` for MP4/MOV/3GP/M4V, EBML for MKV/WebM, RIFF AVI, MPEG-TS, MPEG-PS, FLV, ASF/WMV, Ogg), so a
video with no or a wrong extension is found. A file with a video extension (``.mp4``, ``.mov``, ...) whose content
is not a video is *also* taken, tried, and recorded as failed with the reader's message (e.g. "is a text file"):
a coach who dropped ``run.mp4`` in the folder should see why it was not analysed. Other files are ignored.

**Clip folders.** A clip's outputs go to ``OUTDIR/<name>/`` where name is its path relative to FOLDER without the
extension, folders joined by ``__`` (``athleteA/2024-05/run.mp4`` -> ``athleteA__2024-05__run``; a clip at the
top of FOLDER keeps its stem, as ``analyze`` does). Characters other than letters, digits, ``.-_`` become ``_``.
If two clips still get the same name (``run.mp4`` and ``run.mov``), each gets ``-<8 hex of sha1(relative path)>``
appended.

**Resume.** A clip whose ``OUTDIR/<name>/analysis.json`` exists and records the input's sha256 is not analysed
again; one judged with other bands or rules (``--speed``, ``--config``) is judged again from its cached landmarks,
without the pose pass (a speed given before stands when none is given now). ``summary.csv`` and ``index.html``
are rewritten atomically after every clip, and each clip's folder is written atomically with ``analysis.json``
last, so an interrupted batch loses nothing finished and leaves nothing half-written; running it again finishes
the rest.

**History.** Each analysed clip is a session in the SQLite store (``OUTDIR/formcheck.db`` unless ``db`` is given),
with the athlete and date of formcheck/batch/meta.py (``athlete``/``date`` name only clips new to OUTDIR). A
database that cannot be opened or written (damaged, locked by another program) does not stop the batch: every clip
is still analysed and summarised, and the batch exits 3 naming how many sessions were not saved.

Clip folders never take the name of the batch's own files (``summary.csv``, ``index.html``, the database and
its journals, trend plots): such a clip gets the hash too. Folders under FOLDER that formcheck wrote (holding its
``.formcheck`` marker) are outputs, not clips, and are skipped.

**Dask.** With ``scheduler`` (``host:port`` or ``tcp://host:port``) the clips run on a ``dask.distributed``
cluster; FOLDER and OUTDIR are sent as absolute paths and must be the same on every worker (a shared file
system). The scheduler and its workers must be trusted: Dask unpickles what they send back.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.batch.constants import INDEX_NAME, SUMMARY_NAME, UNKNOWN_ATHLETE, VIDEO_EXTENSIONS, Progress
from formcheck.batch.discovery import (
    clip_names,
    discover_videos,
    folder_names,
    is_candidate,
    sniff_container,
)
from formcheck.batch.jobs import (
    BatchResult,
    ClipJob,
    ClipOutcome,
    analyze_job,
    can_redraw,
    judged_as_asked,
    metrics_summary,
    shows_earlier_analysis,
    up_to_date,
)
from formcheck.batch.ledger import (
    LEDGER_NAME,
    Ledger,
    clip_key,
    load_ledger,
    read_clip,
    save_ledger,
    sorted_clips,
)
from formcheck.batch.meta import clip_athlete, clip_date, load_roster_csv
from formcheck.batch.roster import ATHLETES_DIR, ROSTER_CSV, athlete_href, athlete_stems, written_by_formcheck
from formcheck.batch.runners import run_dask, run_local
from formcheck.batch.sessions import SessionLink, write_two_view_sessions
from formcheck.batch.summary import summary_columns, summary_csv, write_tables
from formcheck.config import AnalysisSettings, with_speed
from formcheck.errors import FormcheckError, UsageError
from formcheck.history import Session
from formcheck.history_dates import parse_date
from formcheck.outputs import check_outdir_writable, clean_stale_partials
from formcheck.report.context import ReportContext, set_report_context
from formcheck.safe_text import clean_text, for_terminal
from formcheck.store import DEFAULT_DB_NAME, Store

__all__ = [
    "INDEX_NAME",
    "SUMMARY_NAME",
    "UNKNOWN_ATHLETE",
    "VIDEO_EXTENSIONS",
    "BatchResult",
    "ClipJob",
    "ClipOutcome",
    "Progress",
    "analyze_folder",
    "check_scheduler",
    "analyze_job",
    "clip_names",
    "discover_videos",
    "is_candidate",
    "run_batch_cli",
    "run_dask",
    "run_local",
    "sniff_container",
    "summary_columns",
    "summary_csv",
    "up_to_date",
]

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3


# --- the batch ---------------------------------------------------------------------------------------------------


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


def _reserved_names(out: Path, db_path: Path) -> set[str]:
    """Names in OUTDIR that belong to the batch itself, which no clip folder may take."""
    names = {SUMMARY_NAME, INDEX_NAME, DEFAULT_DB_NAME, ROSTER_CSV, ATHLETES_DIR, LEDGER_NAME}
    names |= {
        f"{n}{suffix}" for n in (DEFAULT_DB_NAME, db_path.name) for suffix in ("-journal", "-wal", "-shm")
    }
    if db_path.parent.resolve() == out.resolve():
        names.add(db_path.name)
    return names


def _check_roster_path(roster: Path, out: Path) -> None:
    """UsageError when ``--roster`` is one of the files the batch writes into OUTDIR (its roster.csv, summary,
    index or an athlete's table): the batch would replace the coach's roster with its own."""
    own = {(out / n).resolve() for n in (ROSTER_CSV, SUMMARY_NAME, INDEX_NAME)}
    path = roster.resolve()
    if path in own or (out / ATHLETES_DIR).resolve() in path.parents:
        raise UsageError(
            f"--roster {roster} is a file the batch writes into {out} (its athletes' table): keep your roster CSV "
            "outside the output folder, e.g. --roster team/roster.csv"
        )


def _base_folder(ledger_root: str | None, root: Path) -> Path:
    """The folder new clips are named from: the widest batch folder into this OUTDIR (``team`` when ``team/ben``
    runs after ``team``, so ``team/ben/run.mp4`` is ``ben__run`` in both)."""
    if ledger_root:
        earlier = Path(ledger_root)
        if root == earlier or earlier in root.parents:
            return earlier
    return root


def analyze_folder(
    folder: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    settings: AnalysisSettings | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    athlete: str | None = None,
    athlete_from_folder: bool = False,
    db: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    roster: str | os.PathLike[str] | None = None,
    date: datetime | None = None,
) -> BatchResult:
    """Analyse every clip under ``folder`` into ``outdir`` (module docstring has the rules), merging into what
    ``outdir`` already holds. Raises UsageError when the folder is missing or holds no videos, or the roster CSV
    is unusable; a clip's failure is an ``error`` outcome, not an exception."""
    from formcheck.pipeline import sha256_file

    settings = settings or AnalysisSettings()
    if isinstance(scheduler, str):
        scheduler = check_scheduler(scheduler)
    root, out = Path(folder).absolute(), Path(outdir).absolute()  # absolute: workers may run elsewhere
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder: pass the folder holding the clips")
    if roster is not None:
        _check_roster_path(Path(roster), out)
    paths = discover_videos(root, exclude=[out])
    if not paths:
        raise UsageError(f"no videos found in {root}: put the clips (.mp4, .mov, ...) in that folder")
    coach = load_roster_csv(roster, root) if roster is not None else None
    check_outdir_writable(out)  # created only once the input is known good: a bad --roster leaves no OUTDIR
    clean_stale_partials(out)  # what a killed batch left: temporary clip folders and tables
    workers = max(1, workers or os.cpu_count() or 1)
    db_path = Path(db).absolute() if db is not None else out / DEFAULT_DB_NAME
    ledger = load_ledger(out, db_path)
    base = _base_folder(ledger.root, root)
    ledger.root = str(base)

    # Each clip once, by content: a clip an earlier batch analysed keeps its folder (and, unless told, athlete).
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
    names = folder_names(new, reserved=_reserved_names(out, db_path) | taken)
    one_athlete = all(p.parent == root for p in paths)  # FOLDER is one athlete's own folder
    jobs: list[ClipJob] = []
    meta: dict[str, tuple[str, datetime, str, str]] = {}  # rel -> (key, date, date source, source path)
    for key, p in unique.items():
        earlier = ledger.clips.get(key)
        row = coach.row(p) if coach is not None else None
        name = earlier.name if earlier is not None else names[p]
        who = clip_athlete(p, root, row, athlete, athlete_from_folder, earlier, one_athlete)
        when, source = clip_date(p, rels[p], row, date, earlier)
        job = ClipJob(str(p), rels[p], name, str(out / name), who)
        jobs.append(job)
        meta[job.rel] = (key, when, source, str(p))
    if coach is not None and coach.unused():
        log.warning("%d rows of the roster %s name no clip found in %s", coach.unused(), roster, root)

    results: dict[str, ClipOutcome] = {}
    failed = 0
    history_errors: list[str] = []
    written: dict[str, str] = {}
    try:
        store: Store | None = Store(db_path)
    except FormcheckError as e:  # the clips are still analysed and written; the history is reported missing
        log.warning("%s", e)
        store = None

    def sessions() -> dict[str, list[Session]]:
        """Each athlete's sessions: this folder's clips, and those the database holds from elsewhere."""
        by: dict[str, list[Session]] = {}
        for key in ledger.clips:
            s = ledger.session(key, out)
            if s is not None:
                by.setdefault(s.athlete, []).append(s)
        if store is not None:
            mine = {o.sha256 for o in ledger.clips.values()}
            here = (
                str(out.resolve()) + os.sep
            )  # this folder's clips are the ledger's (a removed folder: gone)
            for a in list(by):
                try:
                    by[a] += [
                        s
                        for s in store.sessions(a)
                        if s.sha256 not in mine and not (s.report_path or "").startswith(here)
                    ]
                except FormcheckError as e:
                    log.info("no sessions from the history database: %s", e)
        return by

    two_view: list[SessionLink] = []  # side + rear/front pairs of one athlete and day, as session reports

    def write_sessions() -> None:
        two_view[:] = write_two_view_sessions(out, ledger.clips.values())

    def write_all() -> None:
        current = write_tables(out, sorted_clips(ledger.clips.values()), sessions(), written, two_view)
        _remove_stale_pages(out, ledger, current)
        save_ledger(out, ledger)

    try:

        def record(o: ClipOutcome, write: bool = True) -> None:
            nonlocal failed
            key, rec, src, source = meta[o.rel]
            # An unreadable file has no content hash: its key is "path:<absolute path>", its sha256 empty.
            digest = "" if key.startswith("path:") else key
            o = replace(o, recorded_at=rec, date_source=src, source=source, sha256=o.sha256 or digest)
            if o.ok:
                doc = read_clip(out, o.name)
                if doc is not None:
                    ledger.read_analysis(key, doc)
            results[o.rel] = o
            ledger.clips[key] = o
            failed += not o.ok
            if key in replaced and store is not None:
                try:
                    store.remove_clip(replaced.pop(key), str((out / o.name / "report.html").resolve()))
                except FormcheckError as e:
                    log.info("%s", e)
            if o.ok and store is None:
                history_errors.append(o.rel)
            elif o.ok:
                try:
                    session = ledger.session(key, out)
                    assert session is not None
                    store.upsert_session(session, sole_owner=True)
                except FormcheckError as e:  # the clip's outputs and summary row are kept; the batch goes on
                    if not history_errors:
                        log.warning("%s", e)
                    history_errors.append(o.rel)
            if o.ok:
                stems = athlete_stems({c.athlete for c in ledger.clips.values()})
                links = (
                    ("roster", f"../{INDEX_NAME}"),
                    (f"{o.athlete}'s page", athlete_href(o.athlete, stems, "../")),
                )
                set_report_context(
                    out / o.name / "report.html", ReportContext(o.athlete, f"{rec:%Y-%m-%d} ({src})", links)
                )
                log.info("%s: ok%s", o.rel, " (up to date)" if o.skipped else f" in {o.seconds:.1f} s")
            else:
                log.info("%s: %s", o.rel, o.error)
            if write:  # clips already up to date are written once, after all of them
                write_all()
            if progress is not None:
                progress(len(results), failed, len(jobs))

        todo = []
        for job in jobs:
            digest = meta[job.rel][0] if not meta[job.rel][0].startswith("path:") else ""
            fps = settings.capture_fps
            doc = up_to_date(job, digest, settings.write_video, fps) if digest else None
            if doc is not None and settings.blur_faces and not (doc.get("settings") or {}).get("blur_faces"):
                doc = None  # analysed without --blur-faces: its video and key frames show the face
            if doc is not None and settings.write_video and shows_earlier_analysis(doc):
                doc = None  # its video was kept from an earlier analysis: drawn again if the source is back
            rejudge = doc is not None and not judged_as_asked(doc, settings)  # another --speed or --config
            if doc is None or rejudge:
                redraw = bool(digest) and (settings.write_video or rejudge) and can_redraw(job, digest, fps)
                todo.append(replace(job, redraw=redraw))
            else:
                record(
                    ClipOutcome(
                        job.rel,
                        job.name,
                        job.athlete,
                        "ok",
                        sha256=digest,
                        metrics=metrics_summary(doc),
                        skipped=True,
                        formcheck_version=doc.get("formcheck_version", ""),
                        settings=doc.get("settings"),
                    ),
                    write=False,
                )
        write_sessions()
        write_all()
        log.info("%d clips: %d up to date, %d to analyse", len(jobs), len(jobs) - len(todo), len(todo))
        if todo:
            if scheduler is not None:
                run_dask(todo, settings, scheduler, record)
            else:
                run_local(todo, settings, min(workers, len(todo)), record)
            write_sessions()
        write_all()
    finally:
        if store is not None:
            store.close()
    order = {j.rel: i for i, j in enumerate(jobs)}
    outcomes = sorted(results.values(), key=lambda r: order[r.rel])
    return BatchResult(
        out, outcomes, db_path, out / SUMMARY_NAME, out / INDEX_NAME, history_missing=history_errors
    )


_PAGE_REL = re.compile(rf"^{ATHLETES_DIR}/[A-Za-z0-9._-]+\.(?:html|csv)$")


def _remove_stale_pages(out: Path, ledger: Ledger, current: list[str]) -> None:
    """Athlete pages an earlier run wrote for an athlete who has no clip now (renamed): removed, never a file
    formcheck did not write. The ledger is a file in OUTDIR anyone can edit: only ``athletes/<name>.html|csv``
    inside OUTDIR/athletes that carries formcheck's mark is removed."""
    pages_dir = (out / ATHLETES_DIR).resolve()
    for rel in set(ledger.pages) - set(current):
        path = out / rel
        if not _PAGE_REL.match(rel) or path.parent.resolve() != pages_dir or not written_by_formcheck(path):
            log.info("not removing %s: not an athlete page formcheck wrote", path)
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as e:
            log.info("cannot remove %s: %s", path, e)
    ledger.pages = list(current)


# --- command line ------------------------------------------------------------------------------------------------


class _BatchBar:
    """Clips done, failures and time left on one stderr line (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.first: int | None = None

    def __call__(self, done: int, failed: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.first is None:  # clips already up to date finish at once; time the rest
            self.first, self.start = done, now
        ran = done - self.first
        rate = ran / max(now - self.start, 1e-6)
        left = f"{(total - done) / rate:4.0f}s left" if ran > 0 else "  ?s left"
        bar = "#" * int(30 * done / max(total, 1))
        sys.stderr.write(f"\rbatch [{bar:<30}] {done}/{total} clips, {failed} failed, {left} ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 90 + "\r")
            sys.stderr.flush()


def run_batch_cli(args: argparse.Namespace) -> int:
    """``formcheck batch FOLDER -o OUTDIR ...``: exit 0 all ok, 3 some failed, 2 no folder or no videos."""
    if args.workers is not None and args.workers < 1:
        print(f"formcheck: --workers must be 1 or more, got {args.workers}", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = AnalysisSettings(
        model_path=args.model,
        write_video=not args.no_video,
        capture_fps=getattr(args, "capture_fps", None),
        blur_faces=getattr(args, "blur_faces", False),
    )
    from formcheck.pipeline import MAX_CAPTURE_FPS

    if settings.capture_fps is not None and not 1.0 <= settings.capture_fps <= MAX_CAPTURE_FPS:
        print(
            f"formcheck: --capture-fps must be the frame rate the clips were filmed at (1-{MAX_CAPTURE_FPS:g} "
            f"frames per second), got {settings.capture_fps:g}: e.g. --capture-fps 120",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.config is not None:
        from formcheck.config_file import load_settings_file

        try:
            settings = load_settings_file(args.config, settings)
        except FormcheckError as e:
            print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
            return EXIT_BAD_INPUT
    settings = with_speed(settings, getattr(args, "speed", None))
    bar = _BatchBar(enabled=not args.quiet)
    try:
        date = parse_date(args.date) if getattr(args, "date", None) else None
        result = analyze_folder(
            args.folder,
            args.outdir,
            settings,
            workers=args.workers,
            scheduler=args.scheduler,
            athlete=args.athlete,
            athlete_from_folder=args.athlete_from_folder,
            db=args.db,
            progress=bar,
            roster=getattr(args, "roster", None),
            date=date,
        )
    except FormcheckError as e:
        bar.close()
        print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        bar.close()
    if not args.quiet:
        skipped = sum(o.skipped for o in result.outcomes)
        print(
            f"{len(result.outcomes)} clips: {result.n_ok} ok ({skipped} already up to date), {result.n_failed} failed",
            file=sys.stderr,
        )
        for o in result.outcomes:
            if not o.ok:
                print(f"  {for_terminal(o.rel)}: {for_terminal(o.error)}", file=sys.stderr)
        print(
            f"  roster: {for_terminal(str(result.index_path))} (every clip of this folder, all runs)",
            file=sys.stderr,
        )
        print(f"  summary: {for_terminal(str(result.summary_path))}", file=sys.stderr)
        db = for_terminal(str(result.db_path))
        print(f"  history: {db} (formcheck history ATHLETE --db {db})", file=sys.stderr)
    if result.history_missing:
        print(
            f"formcheck: {len(result.history_missing)} analysed clips are not in the history database "
            f"{for_terminal(str(result.db_path))} (it could not be written; their outputs and summary rows are kept): "
            "run the batch again once the database is free, or pass another --db",
            file=sys.stderr,
        )
    return result.exit_code
