"""The pose pass: stream a clip through the pose model, follow the people in it, and return the runner's raw
landmark tracks. Frames are never stored (ARCHITECTURE.md rule 8)."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcheck.config import AnalysisSettings
from formcheck.errors import UsageError
from formcheck.model import Trajectories

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (frames done, frames total)

# Multi-person policy (pose/tracking.py): pose the first PROBE_S seconds with up to MULTI_POSES people; keep doing so
# only if a second person is seen in at least MULTI_PROBE_FRACTION of those frames.
MULTI_POSES = 3
PROBE_S = 1.0
MULTI_PROBE_FRACTION = 0.2


def estimate_landmarks(
    path: str | os.PathLike[str],
    settings: AnalysisSettings,
    estimator=None,
    progress: Progress | None = None,
    selection: dict | None = None,
    pose_workers: int | None = None,
) -> tuple[Trajectories, str, list[str]]:
    """Stream the clip through the pose model. Returns raw trajectories (pixels of the upright frame, NaN where
    nobody was found), the model name, and the reader's warnings. Slow-motion files are put on capture time.

    People are followed across frames (pose/tracking.py) and the runner is chosen among them (``settings.person``
    picks another track). Policy for the cost of multi-person detection: the first second is posed with up to
    ``MULTI_POSES`` people; if nobody else shows up there (and no ``--person`` was asked), the rest of the clip
    runs with one pose, which is much faster. ``selection``, when given, receives the chosen track id, the
    reason and the tracks' summaries. With the built-in model the clip is posed in ``pose_workers`` time segments
    in parallel processes (pose/segments.py; default ``default_pose_workers()``); an injected ``estimator`` runs
    in one pass without the probe."""
    from formcheck.pose.tracking import PersonTracker, choose_runner, summarize_tracks, track_arrays
    from formcheck.video import VideoReader

    with VideoReader(str(path), start_s=settings.start_s, end_s=settings.end_s) as reader:
        info = reader.info
        tracker = PersonTracker(info.effective_fps)
        if estimator is None:
            run = _pose_own_model(path, reader, settings, progress, pose_workers)
            times, name, warnings = run.times, run.name, run.warnings
            for i, dets in enumerate(run.detections):
                tracker.update(i, dets)
            del run
        else:
            times = []
            for frame in reader:
                dets = estimator.detect(frame.rgb, frame.time_s)
                tracker.update(len(times), dets)
                times.append(frame.time_s)
                if progress is not None:
                    progress(len(times), info.n_frames)
            name = estimator.name
            warnings = list(reader.warnings)
    summaries = summarize_tracks(tracker, np.asarray(times), info.width, info.height, info.effective_fps)
    if summaries:
        try:
            chosen, reason = choose_runner(summaries, settings.person)
        except ValueError as e:
            raise UsageError(f"{Path(path).name}: {e}") from e
        # One person at a time all along: every detection is theirs, even across long gaps.
        alone = tracker.max_people_in_frame <= 1 and settings.person is None
        picked = tracker.tracks if alone else [tracker.tracks[chosen.id - 1]]
        xy, vis, world = track_arrays(picked, len(times))
        if len(summaries) > 1:
            listed = "; ".join(s.describe() for s in summaries)
            log.info("%s: people tracked: %s; %s", Path(path).name, listed, reason)
            warnings.append(
                f"{len(summaries)} people in frame; analysed #{chosen.id} ({reason}). Tracked: {listed}. "
                "Pass --person N to analyse another"
            )
        if selection is not None:
            selection.update(track=chosen.id, reason=reason, tracks=summaries)
    else:
        n = len(times)
        xy, vis, world = track_arrays([], n)
    if not times:
        from formcheck.errors import VideoError

        raise VideoError(
            f"no frame could be decoded from {Path(path).name}: the file may be damaged; re-export it"
        )
    time_s = np.asarray(times, dtype=float)
    if settings.capture_fps:  # the user says how fast the phone recorded a slow-motion clip
        info = dataclasses.replace(info, capture_fps=float(settings.capture_fps))
    slow = info.capture_fps / info.fps if info.capture_fps and info.capture_fps > info.fps * 1.05 else 1.0
    if slow > 1.0:
        time_s = time_s / slow  # playback seconds -> real seconds of motion
        warnings.append(f"slow-motion file: captured at {info.capture_fps:g} fps, analysed on real time")
    traj = Trajectories(xy_px=xy, visibility=vis, time_s=time_s, video=info, world_xyz=world)
    return traj, name, warnings


def _pose_own_model(path, reader, settings: AnalysisSettings, progress: Progress | None, workers: int | None):
    """The built-in MediaPipe model on the open ``reader``'s range, in parallel time segments."""
    import functools

    from formcheck.pose.mediapipe_backend import MediaPipePose
    from formcheck.pose.models import resolve_model
    from formcheck.pose.segments import default_pose_workers, pose_segments

    model_path, model_name = resolve_model(settings.model_path)
    info = reader.info
    probe = None
    if settings.person is None:
        probe = (max(1, int(round(info.fps * PROBE_S))), MULTI_PROBE_FRACTION, info.effective_fps)
    return pose_segments(
        reader,
        functools.partial(MediaPipePose, str(model_path), model_name),  # (num_poses) -> estimator; picklable
        workers=workers or default_pose_workers(),
        multi_poses=MULTI_POSES,
        probe=probe,
        multi=settings.person is not None,
        end_s=settings.end_s,
        progress=progress,
    )
