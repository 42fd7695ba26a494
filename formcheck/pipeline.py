"""analyze_clip and reanalyze: the one place where the stages are wired, with the I/O at the edges.

video -> landmarks (formcheck/pose/run.py: ``estimate_landmarks`` streams the clip through the pose model, frames
are never stored) -> the pure analysis of the landmark tracks (formcheck/trajectory_analysis.py: ``prepare``,
then the pelvis line of rear and front clips measured from the picture, then ``measure``) -> the clip's folder
(formcheck/outputs.py: ``write_outputs`` writes it atomically, ``analysis.json`` last). ``reanalyze`` does the
same from a clip folder's cached landmarks, without the model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError, UsageError, VideoError
from formcheck.gait.frontal import pelvis_reading_time_s
from formcheck.model import EARLIER_VIDEO_LINE, Analysis, EarlierVideo, Trajectories
from formcheck.outdir import check_outdir_writable, taken_back_on_failure
from formcheck.outputs import (
    CLIP,
    check_clip_dir,
    check_folder_kind,
    clip_outdir,
    write_outputs,
)
from formcheck.pose.run import EstimatorFactory, Progress, estimate_landmarks
from formcheck.skeleton import INDEX
from formcheck.sole_contacts import (
    SOLE_CONTACTS_FILE,
    load_sole_contacts,
)
from formcheck.sole_timing import (
    NOT_AT_HAND,
    check_contact_timing,
    measured_sole_contacts,
    reused_sole_timing,
    sole_asked,
    sole_contact_timing,
)
from formcheck.trajectory_analysis import PreparedClip, measure, prepare

log = logging.getLogger(__name__)

MAX_CAPTURE_FPS = 1000.0  # phones film at most 960 fps


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """The file's SHA-256 (hex), read in ``chunk``-byte blocks; VideoError when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(chunk):
                h.update(block)
    except OSError as e:  # gone or unreadable since it was probed (card removed, sync client)
        raise VideoError(
            f"cannot read {Path(path).name} ({e.strerror or e}): check that the file is still there and readable"
        ) from e
    return h.hexdigest()


def analyze_clip(
    video_path: str | os.PathLike[str],
    outdir: str | os.PathLike[str] | None = None,
    settings: AnalysisSettings | None = None,
    *,
    progress: Progress | None = None,
    make_estimator: EstimatorFactory | None = None,
    clip_dir: str | os.PathLike[str] | None = None,
) -> Analysis:
    """Analyse one clip; with ``outdir``, write its files to ``outdir/<clip stem>/`` (or to ``clip_dir``). Raises
    FormcheckError subclasses for bad input (one-line messages)."""
    settings = settings or AnalysisSettings()
    if settings.view not in ("auto", "side", "rear", "front"):
        raise UsageError(f"--view must be auto, side, rear or front, got {settings.view!r}")
    if settings.height_cm is not None and not 80 <= settings.height_cm <= 250:
        raise UsageError(
            f"--height-cm must be a height in centimetres (80-250), got {settings.height_cm:g}: "
            "give the runner's height, e.g. --height-cm 175"
        )
    if settings.capture_fps is not None and not 1.0 <= settings.capture_fps <= MAX_CAPTURE_FPS:
        raise UsageError(
            f"--capture-fps must be the frame rate the clip was filmed at (1-{MAX_CAPTURE_FPS:g} frames per "
            f"second), got {settings.capture_fps:g}: e.g. --capture-fps 120"
        )
    check_contact_timing(settings)
    if settings.single_file and not settings.write_video:
        raise UsageError("--single-file puts the annotated video in the report: drop --no-video")
    from formcheck.video import probe_video

    path = Path(video_path).absolute()  # stored in the outputs: valid from any folder (re-analysis)
    probe_video(str(path))  # fail fast, before the model loads, on a file that is not a video
    created: list[Path] = []
    if outdir is not None:
        created = check_outdir_writable(outdir)
        clip_dir = Path(clip_dir) if clip_dir is not None else clip_outdir(outdir, path)
    with taken_back_on_failure(created):  # a refused clip leaves no empty -o folder behind
        if outdir is not None:
            check_clip_dir(clip_dir, path)  # before the pose pass: never after minutes of work
        from concurrent.futures import ThreadPoolExecutor

        # Hash the file while the pose pass runs (hashlib releases the GIL on large blocks; issue 7).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-sha256") as pool:
            hashing = pool.submit(sha256_file, path)
            pose = estimate_landmarks(path, settings, make_estimator=make_estimator, progress=progress)
            digest = hashing.result()
        prepared = prepare(pose.landmarks, settings, warnings=pose.warnings)
        prepared = sole_contact_timing(path, prepared, settings)
        pelvis = _pelvis_evidence(path, prepared, settings) if prepared.view in ("rear", "front") else None
        analysis = measure(
            prepared, settings, pose_model=pose.model, input_sha256=digest, pelvis_evidence=pelvis or None
        )
        analysis = dataclasses.replace(
            analysis, pose_warnings=pose.warnings, person_track=pose.track if len(pose.tracks) > 1 else None
        )
        if outdir is not None:
            write_outputs(
                analysis,
                clip_dir,
                write_video=settings.write_video,
                pelvis_evidence=pelvis,
                sole_contacts=measured_sole_contacts(prepared.events),
            )
    return analysis


def _pelvis_evidence(path: Path, prepared: PreparedClip, settings: AnalysisSettings) -> dict[float, float]:
    """The pelvis line from the picture at each valid midstance (rear/front views; METRICS.md 5.1, 10; the middle
    of the stance in the front view: gait.frontal.pelvis_reading_time_s)."""
    from formcheck.metrics.context import sample_point
    from formcheck.pose.pelvis import measure_pelvis_lines

    frames = prepared.clean.time_s
    read_at = (pelvis_reading_time_s(s, prepared.view, frames) for s in prepared.events.valid_steps)
    times = [t for t in read_at if t is not None]
    hips = {
        t: 0.5
        * (
            sample_point(prepared.raw, INDEX["left_hip"], t)
            + sample_point(prepared.raw, INDEX["right_hip"], t)
        )
        for t in times
    }
    return measure_pelvis_lines(path, times, settings.model_path, hips, settings.pelvis)


def reanalyze(
    clip_dir: str | os.PathLike[str],
    settings: AnalysisSettings | None = None,
    *,
    redraw: bool = False,
    found_at: str | os.PathLike[str] | None = None,
) -> Analysis:
    """Re-run everything after pose from a clip folder's cached ``landmarks.npz`` (no pose model) and rewrite its
    tables, report and analysis.json; annotated.mp4 is drawn again from the source video only when what it draws
    changed (``_video_decision``), or always with ``redraw`` (UsageError, before anything is written, when the
    source video is not at hand). ``found_at``: where the caller found the clip (a batch, whose clips' folder may
    have moved since): the source when the recorded one is gone and it is the very file (same SHA-256)."""
    from formcheck.report.json_out import load_analysis, person_track_of, pose_warnings_of
    from formcheck.report.landmarks import load_landmarks

    clip_dir = Path(clip_dir)
    check_folder_kind(clip_dir, CLIP, "give a clip folder (OUTDIR/<clip>) written by formcheck analyze")
    cache = clip_dir / "landmarks.npz"
    if not cache.is_file():
        raise FormcheckError(f"{clip_dir} has no landmarks.npz: run 'formcheck analyze' on the clip first")
    raw = load_landmarks(cache)
    from formcheck.pose.pelvis import PELVIS_FILE, load_pelvis

    pelvis = load_pelvis(clip_dir / PELVIS_FILE)  # measured by analyze_clip; reused, never recomputed here
    sole_record = load_sole_contacts(clip_dir / SOLE_CONTACTS_FILE)  # the same, for the sole contact timing
    previous = load_analysis(clip_dir / "analysis.json") if (clip_dir / "analysis.json").is_file() else {}
    sha256 = previous.get("input", {}).get("sha256", "")
    moved = _moved_source(raw, sha256, found_at)
    if moved is not None:  # the landmarks (re-saved below) and analysis.json give where the clip is now
        raw = raw.replace(video=dataclasses.replace(raw.video, path=str(moved)))
    source = Path(raw.video.path)
    source_problem = _source_problem(source, sha256)  # hashes the video at most once, when first asked
    settings = _keep_sharing_choices(settings or AnalysisSettings(), previous, clip_dir)
    # The pose pass is not run again: what it told (warnings, the person analysed) is carried from analysis.json.
    pose_warnings = pose_warnings_of(previous)
    prepared = prepare(raw, settings, warnings=pose_warnings)
    if sole_record is not None:
        prepared = reused_sole_timing(prepared, settings, sole_record)
    else:
        prepared = _reanalysis_contacts(prepared, settings, source_problem)
        sole_record = measured_sole_contacts(prepared.events)
    prepared = _timing_change_told(prepared, previous)
    analysis = measure(
        prepared,
        settings,
        pose_model=previous.get("pose", {}).get("model", "unknown"),
        input_sha256=sha256,
        pelvis_evidence=pelvis,
    )
    analysis = dataclasses.replace(
        analysis, pose_warnings=pose_warnings, person_track=person_track_of(previous)
    )
    source_ok = _source_check(source, sha256, source_problem)
    if redraw and source_problem():
        raise UsageError(
            f"cannot redraw {clip_dir / 'annotated.mp4'}: {source_problem()}; put the analysed clip back at that "
            "path and run again"
        )
    said = "annotated.mp4 redrawn (--redraw)" if redraw else ""
    if not redraw:
        analysis, redraw, said = _video_decision(
            analysis, previous, clip_dir, settings.write_video, source_problem
        )
    from formcheck.render.frame_cache import FRAME_CACHE_FILE, load_source_frames

    cached = [] if redraw else load_source_frames(clip_dir / FRAME_CACHE_FILE, analysis.input_sha256)
    write_outputs(
        analysis,
        clip_dir,
        write_video=redraw,
        keep_video=clip_dir / "annotated.mp4",
        pelvis_evidence=pelvis,
        keep_landmarks=cache if moved is None else None,
        cached_frames=cached,
        source_ok=source_ok,
        sole_contacts=sole_record,  # kept even when this analysis used the landmarks
    )
    if said:
        log.warning("%s: %s", clip_dir, said)
    return analysis


def _reanalysis_contacts(
    prepared: PreparedClip, settings: AnalysisSettings, source_problem: Callable[[], str]
) -> PreparedClip:
    """``sole_contact_timing`` from the analysed video when it is at hand (``source_problem`` says why not), for a
    folder without ``sole_contacts.npz`` (written before it); without the video the landmark contacts are kept and
    one warning says so."""
    if not sole_asked(prepared, settings):
        return prepared
    problem = source_problem()
    if not problem:
        return sole_contact_timing(Path(prepared.raw.video.path), prepared, settings)
    line = (
        f'contact timing "sole" needs the video ({problem}): the contacts come from the landmarks; put the '
        "analysed clip back at that path and re-analyse"
    )
    events = dataclasses.replace(prepared.events, contact_timing=NOT_AT_HAND)
    return dataclasses.replace(prepared, events=events, warnings=(*prepared.warnings, line))


def _timing_change_told(prepared: PreparedClip, previous: dict) -> PreparedClip:
    """One warning when the contacts were timed from the sole before and from the landmarks now because the setting
    was not given again (``--config`` settings are not carried over): the readings at contact can move."""
    before = str(previous.get("settings", {}).get("gait", {}).get("contact_timing", "landmarks"))
    if before != "sole" or prepared.view != "side" or prepared.events.contact_timing != "landmarks":
        return prepared
    line = (
        'contact timing: the earlier analysis timed the contacts from the sole ([gait] contact_timing = "sole"); '
        "this one from the landmarks, so readings at contact can differ: pass the same --config to keep it"
    )
    return dataclasses.replace(prepared, warnings=(*prepared.warnings, line))


def _keep_sharing_choices(settings: AnalysisSettings, previous: dict, clip_dir: Path) -> AnalysisSettings:
    """A clip analysed with ``--blur-faces`` keeps it when re-analysed (its key frames are drawn again and must not
    show the face the first analysis hid); a clip with a ``report-share.html`` (``--single-file`` or ``formcheck
    share``) gets it written again, with the new results, rather than removed as stale; a clip judged at a
    ``--speed`` keeps it unless a new one is given; the span ``--start``/``--end`` chose is kept, since the cached
    landmarks hold only that span (and a redrawn video covers it); so is a ``--crop`` unless another is given (the
    kept video is cropped so, and a redrawn one is)."""
    from formcheck.config import keep_earlier_speed
    from formcheck.report.json_out import settings_of
    from formcheck.report.single_file import SHARE_FILE

    before = settings_of(previous) if previous else None
    return dataclasses.replace(
        keep_earlier_speed(settings, before),
        start_s=before.start_s if before else settings.start_s,
        end_s=before.end_s if before else settings.end_s,
        blur_faces=settings.blur_faces or bool(before and before.blur_faces),
        video_crop=before.video_crop if before and settings.video_crop == "none" else settings.video_crop,
        single_file=settings.single_file
        or bool(before and before.single_file)
        or (clip_dir / SHARE_FILE).is_file(),
    )


def _video_decision(
    analysis: Analysis,
    previous: dict,
    clip_dir: Path,
    write_video: bool,
    source_problem: Callable[[], str],
) -> tuple[Analysis, bool, str]:
    """Whether a re-analysis draws annotated.mp4 again: when the folder's video would show something else now
    (its panel's values and verdicts, the landing marks: formcheck/video_drawing.py) or, with ``write_video``, is
    missing; only from the very source video. A changed video that cannot be redrawn is kept, and the analysis
    says so (``Analysis.earlier_video``: analysis.json, the report). Returns the analysis, whether to draw, and the
    line to say once the folder is written ('' for none). Nothing is decoded or hashed when the video shows the new
    analysis already."""
    from formcheck.metrics.display import in_one_line
    from formcheck.report.json_out import analysis_to_dict, redraw_advice
    from formcheck.video_drawing import drawing_sha256, drawn_summary, shown_drawing, video_changes

    if not (clip_dir / "annotated.mp4").is_file():
        return analysis, write_video and not source_problem(), ""
    after = drawn_summary(analysis_to_dict(analysis))
    changes = video_changes(previous, after)
    if not changes:
        return analysis, False, ""
    problem = source_problem()
    if not problem:
        return analysis, True, f"annotated.mp4 redrawn, since what it draws changed ({in_one_line(changes)})"
    shown = shown_drawing(previous) if previous else {}
    earlier = EarlierVideo(
        drawing_sha256=drawing_sha256(shown),
        drawn=shown,
        differences=changes,
        source_path=str(Path(analysis.video.path)),
        clip_dir=str(clip_dir.absolute()),
    )
    line = (
        f"{EARLIER_VIDEO_LINE} ({in_one_line(changes)}): it was kept, since {problem}; "
        f"to have it redrawn, {redraw_advice(earlier)}"
    )
    return (
        dataclasses.replace(analysis, earlier_video=earlier, warnings=(*analysis.warnings, line)),
        False,
        line,
    )


def _moved_source(raw: Trajectories, sha256: str, found_at: str | os.PathLike[str] | None) -> Path | None:
    """``found_at`` (absolute) when the clip is no longer at the path its landmarks record but is there (same
    SHA-256), else None."""
    if found_at is None or not sha256:
        return None
    there, recorded = Path(found_at).absolute(), Path(raw.video.path)
    if there == recorded or not _source_problem(recorded, sha256)():
        return None
    return there if not _source_problem(there, sha256)() else None


def _source_problem(path: Path, sha256: str) -> Callable[[], str]:
    """A check, run at most once, that ``path`` is still the analysed video (same SHA-256): '' when it is, else
    why not, in words. A video that moved, changed, or is another file at the same path is never decoded."""
    from functools import cache

    @cache
    def problem() -> str:
        if not sha256:
            return "the analysis does not record its source video's SHA-256 (analyse the clip again)"
        if not path.is_file():
            return f"the source video {path} is not at hand"
        try:
            same = sha256_file(path) == sha256
        except VideoError:
            return f"the source video {path} cannot be read"
        return "" if same else f"{path} is not the video that was analysed (its SHA-256 differs)"

    return problem


def _source_check(path: Path, sha256: str, problem: Callable[[], str] | None = None) -> Callable[[], bool]:
    """``_source_problem`` as a yes/no for the key frames, saying once why the source is not used for them."""
    from functools import cache

    problem = problem or _source_problem(path, sha256)

    @cache
    def ok() -> bool:
        why = problem()
        if why:
            log.warning("%s; key frames come from keyframes.npz only", why)
        return not why

    return ok


__all__ = ["MAX_CAPTURE_FPS", "analyze_clip", "reanalyze", "sha256_file"]
