"""Running jobs in parallel: a local process pool, or a Dask distributed cluster."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from formcheck.batch.jobs import ClipJob, ClipOutcome, _crashed, analyze_job
from formcheck.config import AnalysisSettings
from formcheck.errors import UsageError
from formcheck.safe_text import TerminalFormatter

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3


Worker = Callable[[ClipJob, AnalysisSettings], ClipOutcome]
Sink = Callable[[ClipOutcome], None]


def _init_worker(level: int, parent_pid: int | None = None) -> None:
    if parent_pid is not None:
        exit_with(parent_pid)
    # Workers log like the app that started them (formcheck/cli configures the parent; spawned children start bare).
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter("formcheck: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger("absl").setLevel(logging.ERROR)


def exit_with(parent_pid: int) -> None:
    """End this process when ``parent_pid`` ends, however it ends (``kill -9`` included): a worker must not
    outlive its batch holding a pose model. The parent (the forkserver) is watched by the kernel
    (``PR_SET_PDEATHSIG``), the batch process by a thread waiting on its pidfd (or polling it)."""
    import ctypes
    import select
    import signal
    import threading

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            log.debug("PR_SET_PDEATHSIG not available")

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent_pid)  # type: ignore[attr-defined]
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable once the process has ended
        else:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except OSError:
                    pass
        os._exit(1)

    threading.Thread(target=watch, name="formcheck-parent-watch", daemon=True).start()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # MediaPipe does not survive fork after initialisation: start workers fresh (forkserver, else spawn).
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    level = logging.getLogger().getEffectiveLevel()
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(level, os.getpid())
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down now: queued clips cancelled, running workers ended (an interrupted batch must not
    wait minutes for clips nobody will collect)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=5.0)


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
        _stop(pool)
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
