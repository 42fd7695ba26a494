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

**Parts.** ``analyze_folder`` (here) wires them: discovery.py finds the clips, plan.py names them and decides
which run, runners.py runs them (jobs.py: one clip), recording.py records each outcome and rewrites the tables
(summary.py, roster.py and its pages), ledger.py remembers OUTDIR's clips between runs; command.py is
``formcheck batch``.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.batch.constants import INDEX_NAME, SUMMARY_NAME, UNKNOWN_ATHLETE, VIDEO_EXTENSIONS, Progress
from formcheck.batch.discovery import clip_names, discover_videos, is_candidate, sniff_container
from formcheck.batch.jobs import BatchResult, ClipJob, ClipOutcome, analyze_job, up_to_date
from formcheck.batch.ledger import load_ledger
from formcheck.batch.meta import load_roster_csv
from formcheck.batch.plan import (
    check_roster_path,
    check_scheduler,
    job_to_run,
    plan_clips,
    up_to_date_outcome,
)
from formcheck.batch.recording import BatchRecorder
from formcheck.batch.runners import run_dask, run_local
from formcheck.batch.summary import summary_columns, summary_csv
from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError, UsageError
from formcheck.outdir import check_outdir_writable
from formcheck.outputs import clean_stale_partials
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
    "run_dask",
    "run_local",
    "sniff_container",
    "summary_columns",
    "summary_csv",
    "up_to_date",
]

log = logging.getLogger(__name__)


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
    is unusable; a clip's failure is an ``error`` outcome, not an exception. The clips run through this module's
    ``run_local`` or ``run_dask`` (looked up here, so a test can stand in for them)."""
    settings = settings or AnalysisSettings()
    if isinstance(scheduler, str):
        scheduler = check_scheduler(scheduler)
    root, out = Path(folder).absolute(), Path(outdir).absolute()  # absolute: workers may run elsewhere
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder: pass the folder holding the clips")
    if roster is not None:
        check_roster_path(Path(roster), out)
    paths = discover_videos(root, exclude=[out])
    if not paths:
        raise UsageError(f"no videos found in {root}: put the clips (.mp4, .mov, ...) in that folder")
    coach = load_roster_csv(roster, root) if roster is not None else None
    check_outdir_writable(out)  # created only once the input is known good: a bad --roster leaves no OUTDIR
    clean_stale_partials(out)  # what a killed batch left: temporary clip folders and tables
    workers = max(1, workers or os.cpu_count() or 1)
    db_path = Path(db).absolute() if db is not None else out / DEFAULT_DB_NAME
    ledger = load_ledger(out, db_path)
    plan = plan_clips(paths, root, out, db_path, ledger, coach, athlete, athlete_from_folder, date)
    jobs = plan.jobs
    if coach is not None and coach.unused():
        log.warning("%d rows of the roster %s name no clip found in %s", coach.unused(), roster, root)

    try:
        store: Store | None = Store(db_path)
    except FormcheckError as e:  # the clips are still analysed and written; the history is reported missing
        log.warning("%s", e)
        store = None
    rec = BatchRecorder(out, ledger, store, plan.meta, plan.replaced, len(jobs), progress)
    try:
        todo = []
        for job in jobs:
            digest = plan.meta[job.rel].digest
            run, doc = job_to_run(job, digest, settings)
            if run is not None:
                todo.append(run)
            else:
                assert doc is not None
                rec.record(up_to_date_outcome(job, digest, doc), write=False)
        rec.write_sessions()
        rec.write_all()
        log.info("%d clips: %d up to date, %d to analyse", len(jobs), len(jobs) - len(todo), len(todo))
        if todo:
            if scheduler is not None:
                run_dask(todo, settings, scheduler, rec.record)
            else:
                run_local(todo, settings, min(workers, len(todo)), rec.record)
            rec.write_sessions()
        rec.write_all()
    finally:
        if store is not None:
            store.close()
    order = {j.rel: i for i, j in enumerate(jobs)}
    outcomes = sorted(rec.results.values(), key=lambda r: order[r.rel])
    return BatchResult(
        out, outcomes, db_path, out / SUMMARY_NAME, out / INDEX_NAME, history_missing=rec.history_errors
    )
