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
from the container's ``creation_time``, else the file's modification time.

**Dask.** With ``scheduler`` the clips run on a ``dask.distributed`` cluster; FOLDER and OUTDIR must be the same
paths on every worker (a shared file system).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import logging
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError, UsageError
from formcheck.store import DEFAULT_DB_NAME, HEADLINE_IDS, Session, Store, metrics_from_analysis

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3
SUMMARY_NAME = "summary.csv"
INDEX_NAME = "index.html"
UNKNOWN_ATHLETE = "unknown"

VIDEO_EXTENSIONS = frozenset(
    [
        ".mp4",
        ".m4v",
        ".mov",
        ".qt",
        ".3gp",
        ".3g2",
        ".mkv",
        ".webm",
        ".avi",
        ".mts",
        ".m2ts",
        ".ts",
        ".mpg",
        ".mpeg",
        ".flv",
        ".wmv",
        ".asf",
        ".ogv",
    ]
)
_ISO_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")

Progress = Callable[[int, int, int], None]  # (clips done, of which failed, clips total)


# --- discovery ---------------------------------------------------------------------------------------------------


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
    """Clips under ``folder`` (sorted, recursive), skipping hidden entries and the ``exclude`` folders."""
    root = Path(folder)
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
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


def clip_names(folder: str | os.PathLike[str], paths: Sequence[Path]) -> dict[Path, str]:
    """Unique output folder names (module docstring: "Clip folders")."""
    root = Path(folder)
    base: dict[Path, str] = {}
    for p in paths:
        rel = p.relative_to(root)
        parts = [*rel.parent.parts, rel.stem or rel.name]
        base[p] = "__".join(re.sub(r"[^A-Za-z0-9._-]+", "_", part) for part in parts).lstrip(".") or "clip"
    counts: dict[str, int] = {}
    for name in base.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1  # case-insensitive file systems
    out = {}
    for p, name in base.items():
        if counts[name.lower()] > 1:
            digest = hashlib.sha1(p.relative_to(root).as_posix().encode()).hexdigest()[:8]
            name = f"{name}-{digest}"
        out[p] = name
    return out


def recording_date(path: str | os.PathLike[str]) -> tuple[datetime, str]:
    """When the clip was recorded: the container's ``creation_time`` (as local time), else the file's
    modification time. Returns (naive local datetime, source)."""
    try:
        import av

        with av.open(str(path), metadata_errors="ignore") as c:
            metas = [c.metadata] + [s.metadata for s in c.streams.video]
            for meta in metas:
                text = meta.get("creation_time")
                if text:
                    dt = _parse_creation_time(str(text))
                    if dt is not None:
                        return dt, "creation_time metadata"
    except Exception as e:  # noqa: BLE001  # any unreadable file falls back to its mtime
        log.debug("no creation_time in %s: %s", path, e)
    ts = Path(path).stat().st_mtime
    return datetime.fromtimestamp(ts).replace(microsecond=0), "file modification time"


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


# --- jobs --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipJob:
    """One clip to analyse (picklable: sent to the workers)."""

    path: str
    rel: str  # relative to FOLDER, POSIX
    name: str  # output folder name
    clip_dir: str
    athlete: str


@dataclass(frozen=True)
class ClipOutcome:
    """The result of one clip, as the summary shows it."""

    rel: str
    name: str
    athlete: str
    status: str  # "ok" or "error"
    error: str = ""
    sha256: str = ""
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> value, unit, verdict
    skipped: bool = False  # up to date from an earlier run
    seconds: float = 0.0
    recorded_at: datetime | None = None
    date_source: str = ""
    formcheck_version: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class BatchResult:
    """What ``analyze_folder`` did: one outcome per clip in discovery order, and where the outputs are."""

    outdir: Path
    outcomes: list[ClipOutcome]
    db_path: Path
    summary_path: Path
    index_path: Path

    @property
    def n_ok(self) -> int:
        return sum(o.ok for o in self.outcomes)

    @property
    def n_failed(self) -> int:
        return sum(not o.ok for o in self.outcomes)

    @property
    def n_analysed(self) -> int:
        return sum(o.ok and not o.skipped for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.n_failed == 0 else EXIT_PARTIAL


def _metrics_summary(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for mid, m in (doc.get("metrics") or {}).items():
        out[mid] = {"value": m.get("value"), "unit": m.get("unit", ""), "verdict": m.get("verdict", "n/a")}
    return out


def up_to_date(job: ClipJob, sha256: str) -> dict[str, Any] | None:
    """The clip's earlier ``analysis.json`` when it exists and was made from this very input, else None."""
    from formcheck.report.json_out import load_analysis

    p = Path(job.clip_dir) / "analysis.json"
    if not p.is_file():
        return None
    try:
        doc = load_analysis(p)
    except FormcheckError as e:
        log.info("%s: earlier analysis unreadable (%s); analysing again", job.rel, e)
        return None
    return doc if doc.get("input", {}).get("sha256") == sha256 else None


def analyze_job(job: ClipJob, settings: AnalysisSettings) -> ClipOutcome:
    """Analyse one clip and write its folder (runs in a worker). Never raises for a clip's own failure."""
    from formcheck.pipeline import analyze_clip, write_outputs
    from formcheck.report.json_out import analysis_to_dict

    start = time.monotonic()
    try:
        analysis = analyze_clip(job.path, None, settings)
        write_outputs(analysis, job.clip_dir, write_video=settings.write_video)
        doc = analysis_to_dict(analysis, settings.thresholds)
    except FormcheckError as e:
        return ClipOutcome(job.rel, job.name, job.athlete, "error", str(e), seconds=time.monotonic() - start)
    except Exception as e:  # noqa: BLE001  # a bug in one clip must not stop the batch; logged with traceback
        log.exception("unexpected error on %s", job.rel)
        msg = f"internal error ({type(e).__name__}: {e}); please report it with the clip"
        return ClipOutcome(job.rel, job.name, job.athlete, "error", msg, seconds=time.monotonic() - start)
    return ClipOutcome(
        job.rel,
        job.name,
        job.athlete,
        "ok",
        sha256=analysis.input_sha256,
        metrics=_metrics_summary(doc),
        seconds=time.monotonic() - start,
        formcheck_version=doc.get("formcheck_version", ""),
    )


def _crashed(job: ClipJob, how: str) -> ClipOutcome:
    return ClipOutcome(
        job.rel,
        job.name,
        job.athlete,
        "error",
        f"the worker analysing this clip died ({how}): it may be too large for memory; try it alone with "
        "'formcheck analyze'",
    )


# --- runners -----------------------------------------------------------------------------------------------------

Worker = Callable[[ClipJob, AnalysisSettings], ClipOutcome]
Sink = Callable[[ClipOutcome], None]


def _init_worker(level: int) -> None:
    # Workers log like the app that started them (cli.py configures the parent; spawned children start bare).
    logging.basicConfig(level=level, format="formcheck: %(message)s", stream=sys.stderr)
    logging.getLogger("absl").setLevel(logging.ERROR)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # MediaPipe does not survive fork after initialisation: start workers fresh (forkserver, else spawn).
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    level = logging.getLogger().getEffectiveLevel()
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(level,)
    )


def run_local(
    jobs: Sequence[ClipJob],
    settings: AnalysisSettings,
    workers: int,
    sink: Sink,
    worker: Worker = analyze_job,
) -> None:
    """Run ``jobs`` on a process pool, calling ``sink`` in this process as each finishes. At most ``workers``
    clips are in flight, so when a worker dies (BrokenProcessPool) the suspects are known: alone in flight, the
    clip is recorded as failed; otherwise each suspect is retried alone in a fresh pool."""
    pending: deque[ClipJob] = deque(jobs)
    suspects: deque[ClipJob] = deque()
    pool = _new_pool(workers)
    inflight: dict[Future[ClipOutcome], ClipJob] = {}
    try:
        while pending or suspects or inflight:
            if suspects:
                if not inflight:
                    job = suspects.popleft()
                    inflight[pool.submit(worker, job, settings)] = job
            else:
                while pending and len(inflight) < workers:
                    job = pending.popleft()
                    inflight[pool.submit(worker, job, settings)] = job
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            crashed: list[ClipJob] = []
            for fut in done:
                job = inflight.pop(fut)
                try:
                    sink(fut.result())
                except BrokenProcessPool:
                    crashed.append(job)
            if not crashed:
                continue
            # The pool is broken: every other future in flight fails too (or has just finished).
            for fut in list(wait(inflight).done):
                job = inflight.pop(fut)
                try:
                    sink(fut.result())
                except BrokenProcessPool:
                    crashed.append(job)
            pool.shutdown(wait=True, cancel_futures=True)
            pool = _new_pool(workers)
            if len(crashed) == 1:
                log.warning("%s: the worker process died; recorded as failed", crashed[0].rel)
                sink(_crashed(crashed[0], "killed or crashed"))
            else:
                log.warning(
                    "a worker process died with %d clips in flight; retrying each alone", len(crashed)
                )
                suspects.extend(crashed)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_dask(
    jobs: Sequence[ClipJob],
    settings: AnalysisSettings,
    scheduler: Any,
    sink: Sink,
    worker: Worker = analyze_job,
) -> None:
    """Run ``jobs`` on a Dask cluster (``scheduler``: an address or a ``dask.distributed.Client``)."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as e:
        raise UsageError(
            "--scheduler needs dask.distributed: pip install 'formcheck[dask]' (or 'dask[distributed]')"
        ) from e
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout="20s") if own else scheduler
    except (OSError, TimeoutError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({e}): check the address") from e
    try:
        futures = {
            client.submit(
                worker, job, settings, key=f"formcheck-{job.name}-{time.time_ns()}", pure=False
            ): job
            for job in jobs
        }
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                sink(fut.result())
            except Exception as e:  # noqa: BLE001  # KilledWorker, lost connection: the clip failed, go on
                log.warning("%s: failed on the cluster (%s)", job.rel, e)
                sink(_crashed(job, f"{type(e).__name__} on the cluster"))
    finally:
        if own:
            client.close()


# --- summary -----------------------------------------------------------------------------------------------------


def summary_columns() -> list[str]:
    from formcheck.report.csv_out import column_name

    cols = ["clip", "athlete", "date", "status", "error", "output"]
    for mid in HEADLINE_IDS:
        cols += [column_name(mid, _HEADLINE_UNITS[mid]), f"{mid}_verdict"]
    return cols


_HEADLINE_UNITS = {
    "cadence_spm": "steps/min",
    "overstride_distance": "%leg",
    "foot_strike_type": "category",
    "trunk_lean_deg": "deg",
    "pelvic_tilt_deg": "deg",
    "arm_swing_deg": "deg",
}


def summary_csv(outcomes: Sequence[ClipOutcome]) -> str:
    """``summary.csv`` text: one row per clip (OUTPUTS.md), every headline metric with its verdict."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(summary_columns())
    for o in outcomes:
        row: list[object] = [
            o.rel,
            o.athlete,
            o.recorded_at.isoformat(sep=" ", timespec="seconds") if o.recorded_at else "",
            o.status,
            o.error,
            f"{o.name}/report.html" if o.ok else "",
        ]
        for mid in HEADLINE_IDS:
            m = o.metrics.get(mid, {})
            v = m.get("value")
            row += ["" if v is None else v, m.get("verdict", "") if o.ok else ""]
        w.writerow(row)
    return buf.getvalue()


def _write_tables(outdir: Path, outcomes: Sequence[ClipOutcome], db: Path) -> None:
    from formcheck.report._files import write_text_atomic
    from formcheck.report.roster import roster_html

    write_text_atomic(outdir / SUMMARY_NAME, summary_csv(outcomes))
    write_text_atomic(outdir / INDEX_NAME, roster_html(outcomes, db, outdir))


# --- the batch ---------------------------------------------------------------------------------------------------


def _athlete(path: Path, athlete: str | None, from_folder: bool, root: Path) -> str:
    if athlete:
        return athlete
    if from_folder:
        parent = path.parent
        return UNKNOWN_ATHLETE if parent.resolve() == root.resolve() else parent.name
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
    root, out = Path(folder), Path(outdir)
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder: pass the folder holding the clips")
    paths = discover_videos(root, exclude=[out])
    if not paths:
        raise UsageError(f"no videos found in {root}: put the clips (.mp4, .mov, ...) in that folder")
    workers = max(1, workers or os.cpu_count() or 1)
    db_path = Path(db) if db is not None else out / DEFAULT_DB_NAME
    out.mkdir(parents=True, exist_ok=True)
    names = clip_names(root, paths)
    jobs = [
        ClipJob(
            str(p),
            p.relative_to(root).as_posix(),
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

    with Store(db_path) as store:

        def record(o: ClipOutcome) -> None:
            nonlocal failed
            rec, src = dates[o.rel]
            o = replace(o, recorded_at=rec, date_source=src)
            results[o.rel] = o
            failed += not o.ok
            if o.ok:
                store.upsert_session(
                    Session(
                        athlete=o.athlete,
                        recorded_at=rec,
                        clip_path=str(Path(jobs[order[o.rel]].path).resolve()),
                        sha256=o.sha256,
                        metrics=metrics_from_analysis({"metrics": o.metrics}),
                        date_source=src,
                        report_path=str((out / o.name / "report.html").resolve()),
                        formcheck_version=o.formcheck_version,
                    )
                )
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
    outcomes = sorted(results.values(), key=lambda r: order[r.rel])
    return BatchResult(out, outcomes, db_path, out / SUMMARY_NAME, out / INDEX_NAME)


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
        print(f"formcheck: {e}", file=sys.stderr)
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
                print(f"  {o.rel}: {o.error}", file=sys.stderr)
        print(f"  roster: {result.index_path}", file=sys.stderr)
        print(f"  summary: {result.summary_path}", file=sys.stderr)
        print(
            f"  history: {result.db_path} (formcheck history ATHLETE --db {result.db_path})", file=sys.stderr
        )
    return result.exit_code
