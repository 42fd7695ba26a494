"""The pose pass: stream a clip through the pose model, follow the people in it, and return the runner's raw
landmark tracks. Frames are never stored (ARCHITECTURE.md rule 8)."""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from formcheck.config import AnalysisSettings, PoseSettings
from formcheck.errors import UsageError, VideoError
from formcheck.model import Trajectories, VideoInfo
from formcheck.pose.appearance import with_torso_colours
from formcheck.pose.base import PoseDetection, PoseEstimator
from formcheck.pose.refind import expected_boxes, refind
from formcheck.pose.tracking import (
    Box,
    PersonTracker,
    TrackSummary,
    box_of,
    choose_runner,
    describe_jumps,
    summarize_tracks,
    track_arrays,
)
from formcheck.pose.zoom import ZoomedSearch, refine_frames
from formcheck.processing.gating import legs_seen_frames
from formcheck.processing.scale import leg_length_series_px
from formcheck.skeleton import LEFT_LEG, RIGHT_LEG

if TYPE_CHECKING:
    from formcheck.video.reader import VideoReader
    from formcheck.video.repeats import RepeatDetector

log = logging.getLogger(__name__)

# What a zoomed second look at a small runner replaces: both legs, hip to toe (the feet are what the whole frame
# misplaces on a small runner, and the contact rules read the whole chain). The trunk and arms keep the whole-frame
# pass's tracks: replacing them too moved overground_side_tracking_cam's trunk lean across its watch line in one
# half of the clip (docs/small_runner.md "A small runner seen: a second look closer").
LEGS = np.array(LEFT_LEG + RIGHT_LEG)

Progress = Callable[[int, int], None]  # (frames done, frames total)

EstimatorFactory = Callable[[int], PoseEstimator]  # num_poses -> a fresh estimator (closed by the pose pass)
StillEstimatorFactory = Callable[[], PoseEstimator]  # a fresh estimator that detects afresh on every call


@dataclass(frozen=True)
class PoseResult:
    """What the pose pass found: the runner's raw ``landmarks`` (pixels of the upright frame, NaN where nobody
    was found, times on capture time for slow-motion files), the pose ``model`` name, the reader's and the
    tracker's ``warnings``, and, when people were tracked, the analysed ``track`` (its id), why it was chosen, and
    the ``tracks`` found."""

    landmarks: Trajectories
    model: str
    warnings: tuple[str, ...] = ()
    track: int | None = None
    track_reason: str = ""
    tracks: tuple[TrackSummary, ...] = ()


def estimate_landmarks(
    path: str | os.PathLike[str],
    settings: AnalysisSettings,
    *,
    make_estimator: EstimatorFactory | None = None,
    progress: Progress | None = None,
    make_still_estimator: StillEstimatorFactory | None = None,
) -> PoseResult:
    """Stream the clip through the pose model (by default the built-in MediaPipe model, ``settings.model_path``;
    ``make_estimator(num_poses)`` builds another) and pick the runner's landmark tracks.

    People are followed across frames (pose/tracking.py) and the runner is chosen among them (``settings.person``
    picks another track). Policy for the cost of multi-person detection (``settings.pose``): the first
    ``probe_s`` seconds are posed with up to ``multi_poses`` people; if nobody else shows up there (and no
    ``--person`` was asked), the rest of the clip runs with one pose, which is much faster.

    A runner too small for the whole-frame detector (``_zoom_reason``: legs seen in fewer than
    ``pose.zoom_below_fraction`` of the frames, and the runner absent or small): the frames where the legs were not
    seen are posed again on zoomed crops near the runner's path (pose/zoom.py) with ``make_still_estimator()`` (by
    default the same model in IMAGE mode; none when only ``make_estimator`` is given), and its finds fill those
    frames only. Clips where the runner is found, or is large enough for the whole frame, pay nothing. The decoded
    frames' repeats give the clip's real picture rate (``VideoInfo.picture_fps``)."""
    from formcheck.video import VideoReader
    from formcheck.video.repeats import RepeatDetector, picture_rate_fps

    if make_estimator is None:
        make_estimator, own_still = _own_models(settings)
        if make_still_estimator is None:
            make_still_estimator = own_still
    cfg = settings.pose
    repeats = RepeatDetector.from_settings(cfg)
    with VideoReader(str(path), start_s=settings.start_s, end_s=settings.end_s) as reader:
        info = reader.info
        tracker = PersonTracker(info.effective_fps, cfg)
        probe_frames = max(1, int(round(info.fps * cfg.probe_s))) if settings.person is None else None
        times, name = pose_frames(reader, make_estimator, tracker, probe_frames, progress, repeats)
        warnings = list(reader.warnings)
    if not times:
        raise VideoError(
            f"no frame could be decoded from {Path(path).name}: the file may be damaged; re-export it"
        )
    runner = _pick_runner(path, tracker, times, info, settings)
    if settings.person is not None and tracker.compares_looks and tracker.identity_jumps:
        runner = _refind_pass(path, settings, make_estimator, tracker, runner, len(times), progress)

    # Not with --person: its number names a track of the whole-frame pass.
    seen = legs_seen_frames(runner.xy_px, runner.visibility, settings.processing.visibility_min)
    known = _known_boxes(runner, seen, cfg.box_visibility_min)
    why = _zoom_reason(seen, known, info, cfg)
    search_lost = why is not None
    refine = _small_runner_frames(runner, seen, info, cfg)
    if why is None and refine.any():
        why = f"runner small in the frame (legs under {cfg.zoom_refine_below_leg_px:.0f} px)"
    if make_still_estimator is not None and settings.person is None and why is not None:
        runner = _zoomed_pass(
            path,
            settings,
            info,
            make_still_estimator,
            runner,
            seen,
            known,
            why,
            progress,
            refine,
            search_lost,
        )
    warnings += runner.warnings
    # Repeats are judged inside the chosen runner's box (video/repeats.py); None when nowhere could tell.
    repeated = repeats.repeated_where(runner.xy_px, info.fps)
    picture_fps = picture_rate_fps(repeated, info.fps, cfg.repeat_max_still_s)
    info = dataclasses.replace(info, picture_fps=None if picture_fps is None else round(picture_fps, 2))
    time_s = np.asarray(times, dtype=float)
    if settings.capture_fps:  # the user says how fast the phone recorded a slow-motion clip
        info = dataclasses.replace(info, capture_fps=float(settings.capture_fps))
    slow = info.slow_motion_factor
    if slow > 1.0:
        time_s = time_s / slow  # playback seconds -> real seconds of motion
        warnings.append(f"slow-motion file: captured at {info.capture_fps:g} fps, analysed on real time")
    traj = Trajectories(
        xy_px=runner.xy_px,
        visibility=runner.visibility,
        time_s=time_s,
        video=info,
        world_xyz=runner.world_xyz,
        repeated=repeated if len(repeated) == len(time_s) else None,
    )
    return PoseResult(
        landmarks=traj,
        model=name,
        warnings=tuple(warnings),
        track=None if runner.chosen is None else runner.chosen.id,
        track_reason=runner.reason,
        tracks=runner.tracks,
    )


@dataclass(frozen=True)
class _Runner:
    """The runner's raw arrays from one pose pass, the track chosen, why, and what to tell the user."""

    xy_px: np.ndarray
    visibility: np.ndarray
    world_xyz: np.ndarray
    chosen: TrackSummary | None = None
    reason: str = ""
    tracks: tuple[TrackSummary, ...] = ()
    warnings: tuple[str, ...] = ()


def _pick_runner(
    path: str | os.PathLike[str],
    tracker: PersonTracker,
    times: list[float],
    info: VideoInfo,
    settings: AnalysisSettings,
) -> _Runner:
    """Choose the runner among the tracked people (``settings.person`` picks one) and gather their landmarks."""
    summaries = summarize_tracks(tracker, np.asarray(times), info.width, info.height, info.effective_fps)
    if not summaries:
        return _Runner(*track_arrays([], len(times)))
    try:
        chosen, reason = choose_runner(summaries, settings.person)
    except ValueError as e:
        raise UsageError(f"{Path(path).name}: {e}") from e
    # One person at a time all along: every detection is theirs, even across long gaps, unless the pose model was
    # seen hopping from one person to another (identity jumps, pose/tracking.py).
    hopping = bool(tracker.identity_jumps)
    alone = tracker.max_people_in_frame <= 1 and settings.person is None and not hopping
    picked = tracker.tracks if alone else [tracker.tracks[chosen.id - 1]]
    xy, vis, world = track_arrays(picked, len(times))
    warnings: list[str] = []
    jumps = describe_jumps(tracker, np.asarray(times))
    if hopping and tracker.max_people_in_frame <= 1:
        others = [f"#{s.id}, {s.top} top" if s.top else f"#{s.id}" for s in summaries if s.id != chosen.id]
        told = (
            f"two or more people: the pose model saw one at a time and jumped between them {jumps}; "
            f"analysed #{chosen.id} only"
        )
        if chosen.top:  # the tracker told them apart by colour: say which one this is
            told += f", the one in the {chosen.top} top"
        if others:
            told += f" ({reason}); pass --person N to analyse another ({'; '.join(others)})"
        else:
            told += ", the frames of the other person (seen too briefly to analyse) left out"
        warnings.append(told)
        log.info("%s: identity jumps at frames %s", Path(path).name, tracker.identity_jumps)
    elif len(summaries) > 1:
        listed = "; ".join(s.describe() for s in summaries)
        log.info("%s: people tracked: %s; %s", Path(path).name, listed, reason)
        warnings.append(
            f"{len(summaries)} people in frame; analysed #{chosen.id} ({reason}). Tracked: {listed}. "
            "Pass --person N to analyse another"
        )
    return _Runner(xy, vis, world, chosen, reason, tuple(summaries), tuple(warnings))


def _zoom_reason(seen: np.ndarray, known: list[Box | None], info: VideoInfo, cfg: PoseSettings) -> str | None:
    """Why the zoomed search should run (the note's opening words), or None: it runs when the whole-frame pass saw
    the runner's legs in fewer than ``zoom_below_fraction`` of the frames and the runner is absent or small
    (median box height under ``zoom_small_height_fraction`` of the frame's height); a runner large enough for the
    whole frame who is simply out of it for part of the clip (a pass-by) is not searched for."""
    if len(seen) == 0 or seen.mean() >= cfg.zoom_below_fraction:
        return None
    heights_px = [b[3] - b[1] for b in known if b is not None]
    if not heights_px:
        return "runner not found in the whole frame"
    median_px = float(np.median(heights_px))
    if median_px >= cfg.zoom_small_height_fraction * info.height:
        return None
    return f"runner small in the frame ({median_px:.0f} px, {median_px / info.height:.0%} of its height)"


def _small_runner_frames(runner: _Runner, seen: np.ndarray, info: VideoInfo, cfg: PoseSettings) -> np.ndarray:
    """Frames where the whole-frame pass saw a runner whose legs are shorter than ``zoom_refine_below_leg_px``
    (pose/zoom.py ``refine_frames``): they get a zoomed second look."""
    if cfg.zoom_refine_below_leg_px <= 0 or not seen.any():
        return np.zeros(len(seen), dtype=bool)
    traj = Trajectories(
        xy_px=runner.xy_px, visibility=runner.visibility, time_s=np.arange(len(seen), dtype=float), video=info
    )
    leg_px = np.fmax(leg_length_series_px(traj, "left"), leg_length_series_px(traj, "right"))
    leg_px[~seen] = np.nan
    return refine_frames(leg_px, info.effective_fps, cfg.zoom_refine_below_leg_px) & seen


def _known_boxes(runner: _Runner, seen: np.ndarray, vis_min: float) -> list[Box | None]:
    """The runner's box in each frame where their legs were ``seen``, None elsewhere."""
    return [box_of(runner.xy_px[k], runner.visibility[k], vis_min) if s else None for k, s in enumerate(seen)]


def _zoomed_pass(
    path: str | os.PathLike[str],
    settings: AnalysisSettings,
    info: VideoInfo,
    make_still_estimator: StillEstimatorFactory,
    runner: _Runner,
    seen: np.ndarray,
    known: list[Box | None],
    why: str,
    progress: Progress | None = None,
    refine: np.ndarray | None = None,
    search_lost: bool = True,
) -> _Runner:
    """Pose again, on zoomed crops (pose/zoom.py), the frames where the whole-frame ``runner``'s legs were not
    seen (only when ``search_lost``), near the runner's path, and fill those frames with the finds; the frames
    marked in ``refine`` (a small runner seen) are posed on a close crop and take its legs. The whole-frame
    runner's choice, tracks and warnings stay (``--person`` numbers whole-frame tracks). Tells (a warning) ``why``
    it ran and what it cost when it found anyone; ``progress`` runs again from 0 over the second pass."""
    from formcheck.video import VideoReader

    name = Path(path).name
    log.info("%s: %s; searching zoomed tiles", name, why)
    vis_min = settings.processing.visibility_min
    n_frames = len(seen)
    budget = int(settings.pose.zoom_crops_per_frame * n_frames)
    n_refine = 0 if refine is None else int(refine.sum())  # one crop each, on top of the search's budget
    # Without the search for a lost runner, nothing after the last frame to look at again needs decoding.
    stop_after = None if search_lost or refine is None else int(np.flatnonzero(refine).max(initial=-1))
    stopped_early = False
    t0 = time.perf_counter()
    finds: dict[int, PoseDetection] = {}
    frames = 0
    with (
        VideoReader(str(path), start_s=settings.start_s, end_s=settings.end_s) as reader,
        ZoomedSearch(
            make_still_estimator(),
            info.width,
            info.height,
            info.effective_fps,
            settings.pose,
            known,
            budget + n_refine,
            refine=() if refine is None else refine.tolist(),
            search_lost=search_lost,
        ) as search,
    ):
        for frame in reader:
            if frames < n_frames:
                for det in search.detect(frame.rgb, frame.time_s):
                    finds[frames] = det
            frames += 1
            if progress is not None:
                progress(min(frames, n_frames), n_frames)
            if search.exhausted:
                break
            if stop_after is not None and frames > stop_after:
                stopped_early = True
                break
    if progress is not None and stopped_early:
        progress(n_frames, n_frames)
    cost = f"{search.crops_posed} crops posed in {time.perf_counter() - t0:.0f} s"
    if search.exhausted:
        cost += ", its budget spent"
    if not finds or (frames != n_frames and not search.exhausted and not stopped_early):
        log.info("%s: %s; searched zoomed tiles (%s): nobody found", name, why, cost)
        return runner
    xy, vis, world = runner.xy_px.copy(), runner.visibility.copy(), runner.world_xyz.copy()
    for k, det in finds.items():
        if not seen[k]:
            xy[k], vis[k] = det.xy_px, det.visibility
            world[k] = np.nan if det.world_xyz is None else det.world_xyz
        elif refine is not None and refine[k]:  # a second look: the legs only (see the module's LEGS)
            xy[k, LEGS], vis[k, LEGS] = det.xy_px[LEGS], det.visibility[LEGS]
            world[k, LEGS] = np.nan if det.world_xyz is None else det.world_xyz[LEGS]
    before, after = seen.mean(), legs_seen_frames(xy, vis, vis_min).mean()
    if not search_lost:  # only the second look at a small runner seen
        told = (
            f"{why}: {search.refined} of {n_frames} frames posed again on a closer crop ({cost}); "
            "filming closer gives surer feet"
        )
    else:
        if search.refined:
            cost += f"; {search.refined} frames posed again closer"
        told = (
            f"{why}: searched zoomed tiles ({cost}); legs seen in {before:.0%} -> {after:.0%} of the frames"
        )
    log.info("%s: %s", name, told)
    return dataclasses.replace(
        runner, xy_px=xy, visibility=vis, world_xyz=world, warnings=(*runner.warnings, told)
    )


def _refind_pass(
    path: str | os.PathLike[str],
    settings: AnalysisSettings,
    make_estimator: EstimatorFactory,
    tracker: PersonTracker,
    runner: _Runner,
    n_frames: int,
    progress: Progress | None = None,
) -> _Runner:
    """``--person N`` where the pose model saw one person at a time and hopped: pose N again, alone, in the frames
    where it saw someone else or no one (pose/refind.py), with a fresh one-pose estimator, and fill those frames with
    the finds that look like N. Tells (a warning) how many frames it filled; ``progress`` runs again from 0."""
    from formcheck.video import VideoReader

    track = next((t for t in tracker.tracks if runner.chosen and t.id == runner.chosen.id), None)
    if track is None or track.colour is None:
        return runner
    colour = track.colour
    seen = set(track.frames)
    todo = {
        k: box for k, box in enumerate(expected_boxes(track, n_frames)) if k not in seen and box is not None
    }
    if not todo:
        return runner
    t0 = time.perf_counter()
    xy, vis, world = runner.xy_px.copy(), runner.visibility.copy(), runner.world_xyz.copy()
    found = 0
    last = max(todo)
    estimator = make_estimator(1)
    try:
        with VideoReader(str(path), start_s=settings.start_s, end_s=settings.end_s) as reader:
            for k, frame in enumerate(reader):
                if k > last:
                    break
                if k in todo:
                    det = refind(frame.rgb, todo[k], colour, estimator, frame.time_s, settings.pose)
                    if det is not None:
                        xy[k], vis[k] = det.xy_px, det.visibility
                        world[k] = np.nan if det.world_xyz is None else det.world_xyz
                        found += 1
                if progress is not None:
                    progress(k + 1, n_frames)
    finally:
        estimator.close()
    told = (
        f"person #{track.id} posed again alone where the pose model saw someone else or no one: found in "
        f"{found} of {len(todo)} frames ({time.perf_counter() - t0:.0f} s)"
    )
    log.info("%s: %s", Path(path).name, told)
    return dataclasses.replace(
        runner, xy_px=xy, visibility=vis, world_xyz=world, warnings=(*runner.warnings, told)
    )


def pose_frames(
    reader: VideoReader,
    make_estimator: EstimatorFactory,
    tracker: PersonTracker,
    probe_frames: int | None,
    progress: Progress | None = None,
    repeats: RepeatDetector | None = None,
) -> tuple[list[float], str]:
    """Pose every frame of ``reader`` in one pass, feeding ``tracker``; returns the frame times and the model's
    name. The pass starts with ``multi_poses`` poses (the tracker's ``PoseSettings``); after ``probe_frames``
    frames (None: never), if a second person was seen in fewer than ``multi_probe_fraction`` of them, it goes on
    with one pose. While the tracker compares looks (one person a frame so far), each detection gets its torso's
    colours (pose/appearance.py). Frames are decoded ahead in a helper thread (PyAV releases the GIL) and never
    stored."""
    from formcheck.streaming import prefetch

    times: list[float] = []
    cfg = tracker.cfg
    estimator = make_estimator(cfg.multi_poses)
    try:
        for frame in prefetch(reader, name="formcheck-pose-decode"):
            detections = estimator.detect(frame.rgb, frame.time_s)
            if tracker.compares_looks:  # the torso's colours, read while the frame is at hand
                detections = with_torso_colours(detections, frame.rgb, cfg.identity_jump_trunk_visibility_min)
            tracker.update(len(times), detections)
            if repeats is not None:
                repeats.update(frame.rgb)
            times.append(frame.time_s)
            if progress is not None:
                progress(len(times), reader.info.n_frames)
            if len(times) == probe_frames and tracker.multi_frames < cfg.multi_probe_fraction * len(times):
                estimator.close()  # one person: the rest with one pose (faster)
                estimator = make_estimator(1)
        return times, estimator.name
    finally:
        estimator.close()


def _own_models(settings: AnalysisSettings) -> tuple[EstimatorFactory, StillEstimatorFactory]:
    """The built-in MediaPipe model (or ``settings.model_path``), resolved once, as two estimator factories: VIDEO
    mode for the pose pass, IMAGE mode with one pose a call for the zoomed search."""
    from formcheck.pose.mediapipe_backend import MediaPipePose
    from formcheck.pose.models import resolve_model

    model_path, model_name = resolve_model(settings.model_path)
    video = functools.partial(MediaPipePose, str(model_path), model_name)
    still = functools.partial(MediaPipePose, str(model_path), model_name, num_poses=1, still_images=True)
    return video, still
