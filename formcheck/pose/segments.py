"""The pose pass on contiguous time segments of a clip, one thread per segment (issue 7).

The MediaPipe Tasks PoseLandmarker runs its graph with the GIL released and uses about one core, with no thread
option; on a machine with several cores, ``pose_segments`` splits the clip's time range in ``threads`` contiguous
segments, each decoded by its own ``VideoReader`` and posed by its own landmarker in VIDEO mode. The detections come
back in frame order, so the caller's person tracker sees exactly the sequence a single pass gives; only MediaPipe's
own frame-to-frame tracking restarts at each segment join (as it already does after the multi-person probe), which
moves the landmarks of the first few frames after a join slightly (measured in the README, Performance).

Multi-person policy (see ``pipeline.estimate_landmarks``): the first segment poses its first ``probe_frames`` with
up to ``multi_poses`` people and decides whether the clip needs several poses; later segments start speculatively
with one pose and restart with ``multi_poses`` if the probe saw several people. Frames are never stored: each thread
holds one decoded frame at a time. An exception in any segment stops the others and is re-raised unchanged in the
caller; so is KeyboardInterrupt, after every thread has stopped and closed its landmarker.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from formcheck.errors import VideoError
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.tracking import PersonTracker

log = logging.getLogger(__name__)

EstimatorFactory = Callable[[int], PoseEstimator]  # num_poses -> a fresh estimator
MIN_SEGMENT_FRAMES = 90  # shorter segments are not worth a second landmarker (and its restart at the join)
_EPS_S = 1e-6


def default_pose_threads() -> int:
    """Threads for the pose pass: ``FORMCHECK_POSE_THREADS`` if set, else 2 on a multi-core machine (the model
    uses about one core each; more segments add joins and memory for little gain on common machines)."""
    env = os.environ.get("FORMCHECK_POSE_THREADS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("ignoring FORMCHECK_POSE_THREADS=%r (not a whole number)", env)
    return 2 if (os.cpu_count() or 1) >= 2 else 1


class _Decision:
    """The probe's answer (several people or not), shared between the segments' threads."""

    def __init__(self, multi: bool | None = None) -> None:
        self.multi = bool(multi)
        self.event = threading.Event()
        if multi is not None:
            self.event.set()

    def set(self, multi: bool) -> None:
        self.multi = multi
        self.event.set()


@dataclass
class Segment:
    """Frames with ``lo_s <= time_s < hi_s`` (file seconds) and what the pose model found in them."""

    lo_s: float
    hi_s: float
    times: list[float] = field(default_factory=list)
    detections: list[list[PoseDetection]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    name: str = ""
    error: BaseException | None = None


class _StoppedError(Exception):
    """Another segment failed or the caller was interrupted."""


def _run_segment(
    seg: Segment,
    reader,
    make: EstimatorFactory,
    multi_poses: int,
    decision: _Decision,
    probe: tuple[int, float, float] | None,
    stop: threading.Event,
    done: list[int],
    slot: int,
    progress: Callable[[], None] | None = None,
) -> int:
    """Pose the frames of ``seg`` from ``reader``; returns the number of poses used at the end, or 0 when a later
    segment guessed one pose and the probe (``decision``) says several (the caller poses it again). The first
    segment gets ``probe`` = (frames, fraction of them with a second person, fps) and decides ``decision``."""
    poses = multi_poses if (probe is not None or decision.multi) else 1
    estimator = make(poses)
    tracker = PersonTracker(probe[2]) if probe is not None else None
    try:
        for frame in reader:
            if stop.is_set():
                raise _StoppedError
            t = frame.time_s
            if t < seg.lo_s - _EPS_S:
                continue
            if t >= seg.hi_s - _EPS_S:
                break
            if poses == 1 and probe is None and decision.multi:
                return 0
            dets = estimator.detect(frame.rgb, t)
            seg.times.append(t)
            seg.detections.append(dets)
            done[slot] += 1
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
            if progress is not None:
                progress()
        seg.name = estimator.name
        return poses
    finally:
        estimator.close()
        if probe is not None and not decision.event.is_set():  # the segment ended within the probe
            decision.set(tracker is not None and tracker.multi_frames >= probe[1] * max(1, len(seg.times)))


def _worker(
    seg: Segment,
    open_reader: Callable[[float], object],
    make: EstimatorFactory,
    multi_poses: int,
    decision: _Decision,
    stop: threading.Event,
    done: list[int],
    slot: int,
) -> None:
    """Thread body for a later segment: pose it, and again with ``multi_poses`` if the probe saw several people.
    Errors are kept in ``seg.error`` (and stop the other segments) for the caller to re-raise."""
    try:
        while True:
            with open_reader(seg.lo_s) as reader:
                poses = _run_segment(seg, reader, make, multi_poses, decision, None, stop, done, slot)
                seg.warnings = list(reader.warnings)
            while poses == 1 and not decision.event.wait(0.1):  # finished before the probe: check the guess
                if stop.is_set():
                    return
            if poses == multi_poses or not decision.multi:
                return
            log.debug(
                "segment from %.2f s: several people, posing it again with %d poses", seg.lo_s, multi_poses
            )
            seg.times.clear()
            seg.detections.clear()
            seg.name = ""
            done[slot] = 0
    except _StoppedError:
        pass
    except VideoError as e:
        if seg.times:
            seg.error = e
            stop.set()
        else:  # nothing decodable in this part: left out with a warning, as a single pass would
            seg.warnings.append(str(e))
    except BaseException as e:  # re-raised unchanged by the caller
        seg.error = e
        stop.set()


@dataclass
class PoseRun:
    times: list[float]
    detections: list[list[PoseDetection]]
    name: str
    warnings: list[str]


def pose_segments(
    reader,
    open_reader: Callable[[float], object],
    make: EstimatorFactory,
    *,
    threads: int,
    multi_poses: int,
    probe: tuple[int, float, float] | None,
    multi: bool | None,
    progress: Callable[[int, int], None] | None = None,
) -> PoseRun:
    """Pose the clip of the open ``reader`` (whose ``info`` describes the chosen range) in ``threads`` contiguous
    time segments. The first segment is read from ``reader`` in this thread; ``open_reader(start_s)`` opens a
    reader on the same range starting at ``start_s`` for each other segment. ``make(num_poses)`` builds a fresh
    estimator. ``probe`` = (frames, fraction of them with a second person, fps) runs the multi-person probe;
    without it ``multi`` says how many poses to use (True: ``multi_poses``)."""
    info = reader.info
    n = info.n_frames
    threads = max(1, min(threads, n // MIN_SEGMENT_FRAMES))
    if probe is not None and n // max(threads, 1) <= 2 * probe[0]:
        threads = 1
    # Boundaries halfway between nominal frame times, so that rounding never puts a frame in two segments.
    cuts = [info.start_s + (round(k * n / threads) - 0.5) / info.fps for k in range(1, threads)]
    bounds = [-float("inf"), *cuts, float("inf")]
    segs = [Segment(bounds[k], bounds[k + 1]) for k in range(threads)]
    decision = _Decision(None if probe is not None else bool(multi))
    stop = threading.Event()
    done = [0] * threads
    report = None
    if progress is not None:

        def report() -> None:
            progress(sum(done), n)

    workers = [
        threading.Thread(
            target=_worker,
            args=(seg, open_reader, make, multi_poses, decision, stop, done, k + 1),
            name=f"formcheck-pose-{k + 1}",
            daemon=True,
        )
        for k, seg in enumerate(segs[1:])
    ]
    for w in workers:
        w.start()
    try:
        _run_segment(segs[0], reader, make, multi_poses, decision, probe, stop, done, 0, report)
    except _StoppedError:
        pass
    except BaseException:
        stop.set()
        raise
    finally:
        if probe is not None and not decision.event.is_set():
            decision.set(False)
        _join(workers, stop)
    for seg in segs[1:]:
        if seg.error is not None:
            raise seg.error
    warnings = list(reader.warnings)
    for seg in segs[1:]:
        warnings += [w for w in seg.warnings if w not in warnings]
    if threads > 1:
        log.debug("pose pass in %d segments of %s frames", threads, [len(s.times) for s in segs])
    return PoseRun(
        times=[t for s in segs for t in s.times],
        detections=[d for s in segs for d in s.detections],
        name=segs[0].name or next((s.name for s in segs if s.name), ""),
        warnings=warnings,
    )


def _join(workers: list[threading.Thread], stop: threading.Event) -> None:
    """Wait for the segment threads; on KeyboardInterrupt while waiting, stop them and wait again."""
    try:
        for w in workers:
            while w.is_alive():
                w.join(0.2)
    except BaseException:
        stop.set()
        for w in workers:
            w.join(5.0)
        raise


__all__ = ["MIN_SEGMENT_FRAMES", "PoseRun", "Segment", "default_pose_threads", "pose_segments"]
