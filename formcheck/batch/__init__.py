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
again. ``summary.csv`` and ``index.html`` are rewritten atomically after every clip, and each clip's folder is
written atomically with ``analysis.json`` last, so an interrupted batch loses nothing finished and leaves nothing
half-written; running it again finishes the rest.

**History.** Each analysed clip is a session in the SQLite store (``OUTDIR/formcheck.db`` unless ``db`` is given):
athlete from ``athlete``, else the clip's parent folder name with ``athlete_from_folder``, else ``unknown``; date
from the container's ``creation_time``, else the file's modification time. A database that cannot be opened or
written (damaged, locked by another program) does not stop the batch: every clip is still analysed and summarised,
and the batch exits 3 naming how many sessions were not saved.

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
from pathlib import Path
from typing import Any

from formcheck.batch.constants import INDEX_NAME, SUMMARY_NAME, UNKNOWN_ATHLETE, VIDEO_EXTENSIONS, Progress
from formcheck.batch.discovery import (
    clip_names,
    discover_videos,
    is_candidate,
    recording_date,
    sniff_container,
)
from formcheck.batch.jobs import BatchResult, ClipJob, ClipOutcome, _metrics_summary, analyze_job, up_to_date
from formcheck.batch.runners import run_dask, run_local
from formcheck.batch.summary import _write_tables, summary_columns, summary_csv
from formcheck.config import AnalysisSettings, with_speed
from formcheck.errors import FormcheckError, UsageError
from formcheck.history import Session, metrics_from_analysis
from formcheck.outputs import check_outdir_writable, clean_stale_partials
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
    "recording_date",
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
    names = {SUMMARY_NAME, INDEX_NAME, DEFAULT_DB_NAME}
    names |= {
        f"{n}{suffix}" for n in (DEFAULT_DB_NAME, db_path.name) for suffix in ("-journal", "-wal", "-shm")
    }
    if db_path.parent.resolve() == out.resolve():
        names.add(db_path.name)
    return names


def _athlete(path: Path, athlete: str | None, from_folder: bool, root: Path) -> str:
    if athlete:
        return clean_text(athlete)
    if from_folder:
        parent = path.parent
        return UNKNOWN_ATHLETE if parent.resolve() == root.resolve() else clean_text(parent.name)
    return UNKNOWN_ATHLETE


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
) -> BatchResult:
    """Analyse every clip under ``folder`` into ``outdir`` (module docstring has the rules). Raises UsageError
    when the folder is missing or holds no videos; a clip's failure is an ``error`` outcome, not an exception."""
    settings = settings or AnalysisSettings()
    if isinstance(scheduler, str):
        scheduler = check_scheduler(scheduler)
    root, out = Path(folder).absolute(), Path(outdir).absolute()  # absolute: workers may run elsewhere
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder: pass the folder holding the clips")
    check_outdir_writable(out)
    clean_stale_partials(out)  # what a killed batch left: temporary clip folders and tables
    paths = discover_videos(root, exclude=[out])
    if not paths:
        raise UsageError(f"no videos found in {root}: put the clips (.mp4, .mov, ...) in that folder")
    workers = max(1, workers or os.cpu_count() or 1)
    db_path = Path(db).absolute() if db is not None else out / DEFAULT_DB_NAME
    names = clip_names(root, paths, reserved=_reserved_names(out, db_path))
    jobs = [
        ClipJob(
            str(p),
            clean_text(p.relative_to(root).as_posix()),  # shown in the summary; ``path`` stays exact
            names[p],
            str(out / names[p]),
            _athlete(p, athlete, athlete_from_folder, root),
        )
        for p in paths
    ]
    order = {j.rel: i for i, j in enumerate(jobs)}
    dates = {j.rel: recording_date(j.path) for j in jobs}
    results: dict[str, ClipOutcome] = {}
    failed = 0
    history_errors: list[str] = []

    try:
        store: Store | None = Store(db_path)
    except FormcheckError as e:  # the clips are still analysed and written; the history is reported missing
        log.warning("%s", e)
        store = None
    try:

        def record(o: ClipOutcome) -> None:
            nonlocal failed
            rec, src = dates[o.rel]
            o = replace(o, recorded_at=rec, date_source=src)
            results[o.rel] = o
            failed += not o.ok
            if o.ok and store is None:
                history_errors.append(o.rel)
            elif o.ok:
                try:
                    store.upsert_session(
                        Session(
                            athlete=o.athlete,
                            recorded_at=rec,
                            clip_path=str(Path(jobs[order[o.rel]].path).resolve()),
                            sha256=o.sha256,
                            metrics=metrics_from_analysis({"metrics": o.metrics, "settings": o.settings}),
                            date_source=src,
                            report_path=str((out / o.name / "report.html").resolve()),
                            formcheck_version=o.formcheck_version,
                        )
                    )
                except FormcheckError as e:  # the clip's outputs and summary row are kept; the batch goes on
                    if not history_errors:
                        log.warning("%s", e)
                    history_errors.append(o.rel)
            if o.ok:
                log.info("%s: ok%s", o.rel, " (up to date)" if o.skipped else f" in {o.seconds:.1f} s")
            else:
                log.info("%s: %s", o.rel, o.error)
            _write_tables(out, sorted(results.values(), key=lambda r: order[r.rel]), db_path)
            if progress is not None:
                progress(len(results), failed, len(jobs))

        todo = []
        for job in jobs:
            from formcheck.pipeline import sha256_file

            try:
                digest = sha256_file(job.path)
            except OSError:
                todo.append(job)
                continue
            doc = up_to_date(job, digest)
            if doc is None:
                todo.append(job)
            else:
                record(
                    ClipOutcome(
                        job.rel,
                        job.name,
                        job.athlete,
                        "ok",
                        sha256=digest,
                        metrics=_metrics_summary(doc),
                        skipped=True,
                        formcheck_version=doc.get("formcheck_version", ""),
                        settings=doc.get("settings"),
                    )
                )
        log.info("%d clips: %d up to date, %d to analyse", len(jobs), len(jobs) - len(todo), len(todo))
        if todo:
            if scheduler is not None:
                run_dask(todo, settings, scheduler, record)
            else:
                run_local(todo, settings, min(workers, len(todo)), record)
        if not results:  # pragma: no cover - nothing recorded means nothing to write
            _write_tables(out, [], db_path)
    finally:
        if store is not None:
            store.close()
    outcomes = sorted(results.values(), key=lambda r: order[r.rel])
    return BatchResult(
        out, outcomes, db_path, out / SUMMARY_NAME, out / INDEX_NAME, history_missing=history_errors
    )


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
    settings = AnalysisSettings(model_path=args.model, write_video=not args.no_video)
    if args.config is not None:
        from formcheck.config_file import load_settings_file

        try:
            settings = load_settings_file(args.config, settings)
        except FormcheckError as e:
            print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
            return EXIT_BAD_INPUT
    settings = with_speed(settings, getattr(args, "speed", None))  # --speed (issue 16)
    bar = _BatchBar(enabled=not args.quiet)
    try:
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
        print(f"  roster: {for_terminal(str(result.index_path))}", file=sys.stderr)
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
