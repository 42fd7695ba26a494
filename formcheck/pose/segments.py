"""The pose pass on contiguous time segments of a clip, one process per segment (issue 7).

The MediaPipe Tasks PoseLandmarker uses about one core and has no thread option, and it holds the GIL while it
runs (measured: two landmarkers in two threads of one process run no faster than one). On a machine with several
cores, ``pose_segments`` can split the clip's time range in ``workers`` contiguous segments (opt-in, with
``FORMCHECK_POSE_WORKERS``; see ``default_pose_workers`` for why it is not the default): the first is posed in the
calling process, each other one in a worker process (started fresh with ``forkserver``/``spawn``: MediaPipe does not
survive ``fork``) with its own ``VideoReader`` and landmarker in VIDEO mode. The detections come back in frame
order, so the caller's person tracker sees exactly the sequence a single pass gives; only MediaPipe's own
frame-to-frame tracking restarts at each join (as it already does after the multi-person probe): a worker poses
``WARMUP_S`` of video before its segment and discards it, so tracking and smoothing are warmed up at the join, but
MediaPipe's output depends on its whole history, so landmarks after a join differ from a single pass by about 1% of
leg length (measured in the README, Performance).

Multi-person policy (see ``pose.run.estimate_landmarks``): the first segment poses its first ``probe[0]`` frames
with up to ``multi_poses`` people and decides whether the clip needs several poses; later segments start
speculatively with one pose and start again with ``multi_poses`` if the probe saw several people. Frames are never
stored or sent between processes: each process holds one decoded frame at a time and the workers send back only
their landmarks, as arrays. An exception in a worker stops the others and is re-raised unchanged in the caller; on
KeyboardInterrupt every worker is stopped (terminated if it does not stop within a few seconds) before it
propagates.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcheck.errors import FormcheckError, VideoError
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.tracking import PersonTracker
from formcheck.streaming import prefetch

log = logging.getLogger(__name__)

EstimatorFactory = Callable[
    [int], PoseEstimator
]  # num_poses -> a fresh estimator; picklable (sent to workers)
MIN_SEGMENT_FRAMES = 90  # shorter segments are not worth a worker process (start-up ~1-2 s) and a join
# A worker spends its first ~1.5 s starting Python and loading the model; the first segment gets this many more
# frames than the others so that both finish together (about 1.5 s of pose at ~30 frames/s).
WORKER_START_FRAMES = 45
# A worker poses this much video before its segment and discards it, so that MediaPipe's tracking and landmark
# smoothing are warmed up at the join as in a single pass (without it the first frames after a join come from a
# fresh detection, unsmoothed).
WARMUP_S = 1.0
_EPS_S = 1e-6
_STOP_GRACE_S = 5.0


def default_pose_workers() -> int:
    """Processes for the pose pass: ``FORMCHECK_POSE_WORKERS`` if set, else 1 (opt-in). Inside a worker process
    (``formcheck batch`` already runs one clip per core) it is 1 unless the variable says otherwise.

    Why opt-in: MediaPipe's VIDEO-mode output depends on its whole history, so landmarks after a join differ from
    a single pass (median 0.5-0.8% of leg length, 95th percentile ~5%, mostly the far foot), and on the 1080p60
    treadmill clip that was enough to lose 8 of 17 contacts and call the run "walking". Results must not depend on
    the number of cores, so the default stays one pass until the join effect is understood."""
    env = os.environ.get("FORMCHECK_POSE_WORKERS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("ignoring FORMCHECK_POSE_WORKERS=%r (not a whole number)", env)
    return 1


class _Decision:
    """The probe's answer (several people or not), shared with the worker processes."""

    def __init__(self, ctx, multi: bool | None = None) -> None:
        self.decided = ctx.Event()
        self.several = ctx.Event()
        if multi is not None:
            self.set(multi)

    @property
    def multi(self) -> bool:
        return self.several.is_set()

    def set(self, multi: bool) -> None:
        if multi:
            self.several.set()
        self.decided.set()


@dataclass
class Segment:
    """Frames with ``lo_s <= time_s < hi_s`` (file seconds) and what the pose model found in them."""

    lo_s: float
    hi_s: float
    times: list[float] = field(default_factory=list)
    detections: list[list[PoseDetection]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    name: str = ""


class _StoppedError(Exception):
    """Another segment failed or the caller was interrupted."""


def _run_segment(
    seg: Segment,
    reader,
    make: EstimatorFactory,
    multi_poses: int,
    decision: _Decision,
    probe: tuple[int, float, float] | None,
    stop,
    count: Callable[[int], None],
    warmup_s: float = 0.0,
) -> int:
    """Pose the frames of ``seg`` from ``reader``; returns the number of poses used at the end, or 0 when a later
    segment guessed one pose and the probe (``decision``) says several (the caller poses it again). The first
    segment gets ``probe`` = (frames, fraction of them with a second person, fps) and decides ``decision``."""
    poses = multi_poses if (probe is not None or decision.multi) else 1
    estimator = make(poses)
    tracker = PersonTracker(probe[2]) if probe is not None else None
    try:
        # Decode ahead in a helper thread (PyAV releases the GIL): 36 -> 42 frames/s at 720p (issue 7).
        for frame in prefetch(reader, name="formcheck-pose-decode"):
            if stop.is_set():
                raise _StoppedError
            t = frame.time_s
            if t < seg.lo_s - _EPS_S:
                if t >= seg.lo_s - warmup_s - _EPS_S:
                    estimator.detect(
                        frame.rgb, t
                    )  # warm-up: tracked and smoothed at the join, then discarded
                continue
            if t >= seg.hi_s - _EPS_S:
                break
            if poses == 1 and probe is None and decision.multi:
                return 0
            dets = estimator.detect(frame.rgb, t)
            seg.times.append(t)
            seg.detections.append(dets)
            count(len(seg.times))
            if tracker is not None and probe is not None:
                tracker.update(len(seg.times) - 1, dets)
                if len(seg.times) == probe[0]:
                    multi = tracker.multi_frames >= probe[1] * len(seg.times)
                    decision.set(multi)
                    tracker = None
                    if not multi:  # one person: the rest with one pose (faster), as a single pass does
                        estimator.close()
                        poses = 1
                        estimator = make(1)
        seg.name = estimator.name
        return poses
    finally:
        estimator.close()
        if probe is not None and not decision.decided.is_set():  # the segment ended within the probe
            n = max(1, len(seg.times))
            decision.set(tracker is not None and tracker.multi_frames >= probe[1] * n)


def _pack(seg: Segment) -> dict:
    """A segment's landmarks as a few arrays (cheap to pickle)."""
    dets = [d for frame in seg.detections for d in frame]
    n = len(dets)
    xy = np.stack([d.xy_px for d in dets]) if n else np.zeros((0, 33, 2))
    vis = np.stack([d.visibility for d in dets]) if n else np.zeros((0, 33))
    has_world = np.array([d.world_xyz is not None for d in dets], dtype=bool)
    world = np.full((n, xy.shape[1], 3), np.nan)
    for k, d in enumerate(dets):
        if d.world_xyz is not None:
            world[k] = d.world_xyz
    return {
        "times": np.asarray(seg.times, dtype=float),
        "counts": np.array([len(f) for f in seg.detections], dtype=np.int32),
        "xy": xy,
        "vis": vis,
        "world": world,
        "has_world": has_world,
        "warnings": seg.warnings,
        "name": seg.name,
    }


def _unpack(seg: Segment, data: dict) -> None:
    seg.times = data["times"].tolist()
    seg.warnings = list(data["warnings"])
    seg.name = data["name"]
    k = 0
    seg.detections = []
    for c in data["counts"].tolist():
        frame = []
        for j in range(k, k + c):
            world = data["world"][j] if data["has_world"][j] else None
            frame.append(PoseDetection(xy_px=data["xy"][j], visibility=data["vis"][j], world_xyz=world))
        seg.detections.append(frame)
        k += c


def _worker_main(
    conn,
    path: str,
    lo_s: float,
    hi_s: float,
    start_s: float,
    end_s: float | None,
    make: EstimatorFactory,
    multi_poses: int,
    decision: _Decision,
    stop,
    done,
) -> None:
    """Worker process: pose one later segment (again with ``multi_poses`` if the probe saw several people) and
    send ("ok", arrays) or ("error", exception) to the caller."""
    from formcheck.video import VideoReader

    seg = Segment(lo_s, hi_s)

    def count(n: int) -> None:
        done.value = n

    try:
        while True:
            seg.times, seg.detections = [], []
            warm_lo = max(start_s, lo_s - WARMUP_S)
            with VideoReader(path, start_s=warm_lo, end_s=end_s) as reader:
                poses = _run_segment(
                    seg, reader, make, multi_poses, decision, None, stop, count, lo_s - warm_lo
                )
                seg.warnings = list(reader.warnings)
            while poses == 1 and not decision.decided.wait(0.1):  # finished before the probe: check the guess
                if stop.is_set():
                    return
            if poses == multi_poses or not decision.multi:
                break
            log.debug("segment from %.2f s: several people, posing it again with %d poses", lo_s, multi_poses)
        conn.send(("ok", _pack(seg)))
    except (_StoppedError, KeyboardInterrupt):
        return  # the caller stops (and reports) on its own
    except VideoError as e:
        if seg.times:
            _send_error(conn, e)
        else:  # nothing decodable in this part: left out with a warning, as a single pass would
            seg.warnings.append(str(e))
            conn.send(("ok", _pack(seg)))
    except BaseException as e:  # re-raised unchanged by the caller
        _send_error(conn, e)
    finally:
        conn.close()


def _send_error(conn, e: BaseException) -> None:
    try:
        conn.send(("error", e))
    except Exception:  # not picklable: send its text
        conn.send(("error", FormcheckError(f"pose worker failed: {type(e).__name__}: {e}")))


@dataclass
class PoseRun:
    times: list[float]
    detections: list[list[PoseDetection]]
    name: str
    warnings: list[str]


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def pose_segments(
    reader,
    make: EstimatorFactory,
    *,
    workers: int,
    multi_poses: int,
    probe: tuple[int, float, float] | None,
    multi: bool | None,
    end_s: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PoseRun:
    """Pose the clip of the open ``reader`` (whose ``info`` describes the chosen range, ending at ``end_s``) in
    ``workers`` contiguous time segments; the first is read from ``reader`` in this process, each other one by a
    worker process. ``make(num_poses)`` builds a fresh estimator (picklable). ``probe`` = (frames, fraction of them
    with a second person, fps) runs the multi-person probe; without it ``multi`` says how many poses to use."""
    info = reader.info
    n = info.n_frames
    workers = max(1, min(workers, n // MIN_SEGMENT_FRAMES))
    if probe is not None and n // workers <= 2 * probe[0]:
        workers = 1
    ctx = _context()
    decision = _Decision(ctx, None if probe is not None else bool(multi))
    stop = ctx.Event()
    # Cut halfway between nominal frame times, so that rounding never puts a frame in two segments.
    head = WORKER_START_FRAMES + WARMUP_S * info.fps  # what each worker does before its first frame
    share = (n - head) / workers if workers > 1 else n
    firsts = [0] + [int(round(head + k * share)) for k in range(1, workers)]
    cuts = [info.start_s + (f - 0.5) / info.fps for f in firsts[1:]]
    bounds = [-float("inf"), *cuts, float("inf")]
    segs = [Segment(bounds[k], bounds[k + 1]) for k in range(workers)]
    done = [ctx.Value("l", 0, lock=False) for _ in range(workers)]
    procs = []
    try:
        for k in range(1, workers):
            recv, send = ctx.Pipe(duplex=False)
            p = ctx.Process(
                target=_worker_main,
                args=(
                    send,
                    info.path,
                    segs[k].lo_s,
                    segs[k].hi_s,
                    info.start_s,
                    end_s,
                    make,
                    multi_poses,
                    decision,
                    stop,
                    done[k],
                ),
                name=f"formcheck-pose-{k}",
                daemon=True,
            )
            with _main_module_hidden():
                p.start()
            send.close()
            procs.append((p, recv))

        def count(i: int) -> None:
            done[0].value = i
            if progress is not None:
                progress(sum(d.value for d in done), n)

        with contextlib.suppress(_StoppedError):
            _run_segment(segs[0], reader, make, multi_poses, decision, probe, stop, count)
        for seg, (p, recv) in zip(segs[1:], procs, strict=True):
            status, payload = _receive(p, recv)
            if status == "error":
                stop.set()
                raise payload
            _unpack(seg, payload)
        if progress is not None:
            progress(sum(len(s.times) for s in segs), n)
    except BaseException:
        stop.set()
        raise
    finally:
        if probe is not None and not decision.decided.is_set():
            decision.set(False)
        _reap(procs)
    warnings = list(reader.warnings)
    for seg in segs[1:]:
        warnings += [w for w in seg.warnings if w not in warnings]
    if workers > 1:
        log.debug("pose pass in %d segments of %s frames", workers, [len(s.times) for s in segs])
    return PoseRun(
        times=[t for s in segs for t in s.times],
        detections=[d for s in segs for d in s.detections],
        name=segs[0].name or next((s.name for s in segs if s.name), ""),
        warnings=warnings,
    )


@contextlib.contextmanager
def _main_module_hidden():
    """Start workers without re-running the caller's script: ``spawn``/``forkserver`` children import the parent's
    ``__main__`` unless it has no file or spec, and a script without an ``if __name__ == "__main__"`` guard would
    then analyse its clip again in every worker. The workers need nothing from it (their target and arguments
    live in importable modules)."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    try:
        for k in saved:
            if k == "__file__":
                del main.__dict__[k]
            else:
                main.__dict__[k] = None
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def _receive(p, recv) -> tuple[str, object]:
    """The worker's message; an error if it died without one."""
    while not recv.poll(0.1):
        if not p.is_alive() and not recv.poll(0):
            raise FormcheckError(
                f"the pose worker process stopped unexpectedly (exit code {p.exitcode}): run again, or set "
                "FORMCHECK_POSE_WORKERS=1 to pose in one process"
            )
    try:
        return recv.recv()
    except EOFError:
        raise FormcheckError(
            f"the pose worker process stopped without a result (exit code {p.exitcode}): run again, or set "
            "FORMCHECK_POSE_WORKERS=1 to pose in one process"
        ) from None


def _reap(procs: list) -> None:
    """Wait for the workers to stop (they watch ``stop``); terminate any that does not within a grace period."""
    deadline = time.monotonic() + _STOP_GRACE_S
    for p, recv in procs:
        with contextlib.suppress(KeyboardInterrupt):
            p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.terminate()
            p.join(1.0)
        recv.close()


__all__ = ["MIN_SEGMENT_FRAMES", "PoseRun", "Segment", "default_pose_workers", "pose_segments"]
