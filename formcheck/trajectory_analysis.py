"""The analysis of a clip's landmark tracks: everything after pose estimation, as pure functions (no file, video
or model I/O), so a clip can be re-analysed from its cached landmarks in milliseconds.

raw landmarks -> cleaned trajectories (gating, swap repair, gap filling, low-pass) -> view and direction -> gait
events (after levelling a rolled camera) -> gait class -> metrics -> verdicts and findings: an ``Analysis``.
Two stages: ``prepare`` (up to the step table and gait class) and ``measure`` (metrics, verdicts, findings);
``analyze_trajectories`` is one then the other. Rear and front clips measure the pelvis line from the picture
between the two (formcheck/pipeline.py, which wires pose, this and the outputs).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.config import AnalysisSettings, GaitSettings, ProcessingSettings
from formcheck.errors import NoRunnerError, NotRunningError, TooFewStepsError, ViewError
from formcheck.gait.classify import classify_gait, too_few_steps_message
from formcheck.gait.common import validate_steps
from formcheck.gait.frontal import classify_frontal_gait, detect_frontal_events
from formcheck.gait.sagittal import detect_sagittal_events
from formcheck.guidance import build_findings
from formcheck.metrics import MetricContext, compute_metrics, withhold_verdicts
from formcheck.metrics.withheld import NO_VERDICT, verdicts_withheld_reason, withheld_warning
from formcheck.model import Analysis, GaitEvents, Trajectories, VideoInfo
from formcheck.processing.filtering import cutoff_for_fps, lowpass
from formcheck.processing.gaps import fill_short_gaps
from formcheck.processing.gating import gate_by_visibility, legs_seen_fraction
from formcheck.processing.orientation import estimate_direction, estimate_view
from formcheck.processing.scale import fit_ground_roll_deg, leg_length_px, near_side, rotate_points
from formcheck.processing.swaps import repair_swaps, swap_frame_step
from formcheck.skeleton import INDEX
from formcheck.version import __version__

log = logging.getLogger(__name__)


def detected_fraction(raw: Trajectories, visibility_min: float) -> float:
    """The share of frames (0-1) in which at least half the hip, knee and ankle landmarks are seen."""
    return legs_seen_fraction(raw.xy_px, raw.visibility, visibility_min)


def _repeated_pictures_note(video: VideoInfo, warn_ratio: float) -> str:
    """The warning for a file that repeats its pictures (``VideoInfo.picture_fps`` below ``warn_ratio`` times its
    frame rate; docs/small_runner.md), or ''."""
    pictures = video.picture_fps
    if not pictures or pictures >= warn_ratio * video.fps:
        return ""
    return (
        f"the file repeats its pictures: about {pictures:.0f} different pictures a second in a {video.fps:g} fps "
        f"file, so events are timed only to about 1/{pictures:.0f} s: analyse the original recording if there is one"
    )


def clean_trajectories(
    raw: Trajectories, settings: AnalysisSettings
) -> tuple[Trajectories, float, int, Trajectories]:
    """Gate by visibility, repair leg swaps, fill short gaps, low-pass. Returns (clean, cut-off Hz, swaps, sharp):
    ``sharp`` is the same tracks low-passed at the higher contact cut-off, for the angles read at contact."""
    p = settings.processing
    gated = gate_by_visibility(raw, p.visibility_min)
    step = swap_frame_step(gated, p.swap_frame_rate_hz)
    repaired, n_swaps = repair_swaps(
        gated, p.swap_gain_min, p.swap_collapse_ratio, p.max_gap_frames, frame_step=step
    )
    filled = fill_short_gaps(repaired, p.max_gap_frames)
    fc = cutoff_for_fps(filled.fps, p.cutoff_points_hz)
    sharp_fc = cutoff_for_fps(filled.fps, p.contact_cutoff_points_hz)
    return (
        lowpass(filled, fc, p.butterworth_order),
        fc,
        n_swaps,
        lowpass(filled, sharp_fc, p.butterworth_order),
    )


def _roll_correct(
    traj: Trajectories, events: GaitEvents, leg_px: float, cfg: ProcessingSettings
) -> tuple[Trajectories, float]:
    """Level the ground line (METRICS.md 2.1) from the lowest foot point at each midstance. Treadmill clips, whose
    steps all land in one place, give no line and are left as they are."""
    pts = []
    for st in events.valid_steps:
        if st.midstance_s is None:
            continue
        k = traj.frame_index_at(st.midstance_s)
        heel = traj.xy_px[k, INDEX[f"{st.side}_heel"]]
        toe = traj.xy_px[k, INDEX[f"{st.side}_foot_index"]]
        pts.append(heel if (np.isfinite(heel[1]) and not heel[1] < toe[1]) else toe)
    roll = fit_ground_roll_deg(np.array(pts).reshape(-1, 2), min_span_px=1.5 * leg_px)
    if roll is None or abs(roll) < cfg.roll_min_deg or abs(roll) > cfg.roll_max_deg:
        return traj, 0.0
    return _rotated(traj, roll), roll


def _rotated(traj: Trajectories, roll_deg: float) -> Trajectories:
    """``traj`` turned by ``-roll_deg`` about the frame's centre: the ground line level."""
    centre = (traj.video.width / 2.0, traj.video.height / 2.0)
    return traj.replace(xy_px=rotate_points(traj.xy_px, -roll_deg, centre))


def _scaled_gait(cfg: GaitSettings, factor: float) -> GaitSettings:
    lo, hi = cfg.stance_time_s
    slo, shi = cfg.step_time_s
    return dataclasses.replace(
        cfg, stance_time_s=(lo * factor, hi * factor), step_time_s=(slo * factor, shi * factor)
    )


@dataclass(frozen=True)
class PreparedClip:
    """A clip between events and metrics: its cleaned trajectories, view, direction, step table and what the
    metrics need to know about them (``prepare``). Rear and front clips measure the pelvis line from the picture
    at the midstances of ``events`` before ``measure`` computes the metrics."""

    raw: Trajectories
    clean: Trajectories
    sharp: Trajectories  # less smoothed, for the angles read at contact (config.contact_cutoff_points_hz)
    detected_fraction: float
    filter_cutoff_hz: float
    leg_length_px: float
    view: str
    view_reason: str
    direction_sign: int  # side view: +1 = travel toward image-right
    direction_name: str  # side view: 'left' | 'right'; frontal: 'toward' | 'away'
    events: GaitEvents
    roll_deg: float
    gait: GaitSettings  # the step-time limits used (relaxed for a clip that plays slowed down)
    timing_valid: bool
    timing_note: str
    withhold_verdicts: bool
    warnings: tuple[str, ...]
    verdicts_withheld: str = ""  # why no verdict is given (verdicts_withheld_reason), '' when they are


def analyze_trajectories(
    raw: Trajectories,
    settings: AnalysisSettings | None = None,
    *,
    pose_model: str = "unknown",
    input_sha256: str = "",
    warnings: list[str] | tuple[str, ...] = (),
    pelvis_evidence: dict[float, float] | None = None,
) -> Analysis:
    """Everything after pose estimation, as a pure function of the raw landmarks: ``prepare`` then ``measure``.
    ``pelvis_evidence`` (rear and front views): midstance time -> image tilt of the pelvis line
    (``formcheck.pose.pelvis``)."""
    settings = settings or AnalysisSettings()
    prepared = prepare(raw, settings, warnings=warnings)
    return measure(
        prepared, settings, pose_model=pose_model, input_sha256=input_sha256, pelvis_evidence=pelvis_evidence
    )


def prepare(
    raw: Trajectories, settings: AnalysisSettings, *, warnings: list[str] | tuple[str, ...] = ()
) -> PreparedClip:
    """Gate, clean and scale the landmarks, find the view and direction, detect the steps (after levelling a
    rolled camera), and classify the gait. Raises NoRunnerError, ViewError, NotRunningError or TooFewStepsError
    with a one-line message."""
    warn = list(warnings)
    name = Path(raw.video.path).name
    frac = detected_fraction(raw, settings.processing.visibility_min)
    if frac < settings.processing.min_detected_fraction:
        raise NoRunnerError(
            f"no runner found in {100 * (1 - frac):.0f}% of the frames of {name}: film the whole body, side-on, "
            "with the runner filling a good part of the frame"
        )
    if frac < settings.processing.warn_detected_fraction:
        warn.append(
            f"the runner is visible in {100 * frac:.0f}% of the frames; only those parts were analysed"
        )
    repeats = _repeated_pictures_note(raw.video, settings.pose.repeat_warn_ratio)
    if repeats:
        warn.append(repeats)
    clean, fc, n_swaps, sharp = clean_trajectories(raw, settings)
    if n_swaps:
        log.info("repaired left/right swaps in %d frames", n_swaps)
    leg_px = leg_length_px(clean)
    if not math.isfinite(leg_px) or leg_px <= 0:
        raise NoRunnerError(f"the runner's legs were not tracked in {name}: film the whole body, side-on")
    if leg_px < 40:
        raise NoRunnerError(
            f"the runner is too small in {name} (legs about {leg_px:.0f} px long): move closer or zoom so the "
            "runner fills at least a third of the frame height"
        )

    view_est = estimate_view(clean)
    view = view_est.view if settings.view == "auto" else settings.view
    view_reason = view_est.reason if settings.view == "auto" else f"chosen with --view {settings.view}"
    if view == "unknown":
        raise ViewError(
            f"cannot tell the camera view of {name}: {view_est.reason}; or pass --view side|rear|front"
        )
    if view == "side":
        direction = estimate_direction(clean, leg_px)
        if not direction.agree:
            warn.append(
                f"direction cues disagree ({direction.votes}); assumed travel toward image-{direction.name}"
            )

        events = detect_sagittal_events(clean, direction.sign, leg_px, settings.gait)
        clean, roll = _roll_correct(clean, events, leg_px, settings.processing)
        if roll:
            sharp = _rotated(sharp, roll)
            events = detect_sagittal_events(clean, direction.sign, leg_px, settings.gait)
            warn.append(f"camera roll of {roll:.1f} deg corrected from the ground line")

        gait = classify_gait(clean, events, direction.sign, leg_px, settings.gait)
        direction_sign, direction_name = direction.sign, direction.name
    else:  # rear or front view (METRICS.md 3.2, 5)
        events = detect_frontal_events(clean, leg_px, settings.gait, contact_traj=sharp, view=view)
        roll = 0.0
        # The gait is told by where the hips are lowest between contacts, before the hover rule moves a contact to
        # the hips' highest point (a walker's hips rise from contact to mid-stance: the rule would make them run).
        # The rule acts on rear views only.
        unmoved = (
            detect_frontal_events(
                clean, leg_px, settings.gait, contact_traj=sharp, view=view, hover_rule=False
            )
            if view == "rear"
            else events
        )
        gait = classify_frontal_gait(clean, unmoved, leg_px, settings.gait)
        direction_sign, direction_name = 1, "toward" if view == "front" else "away"
    if gait.kind == "standing":
        raise NotRunningError(f"the person in {name} is standing still ({gait.reason}): film them running")
    if gait.kind == "walking":
        raise NotRunningError(f"the person in {name} is walking, not running ({gait.reason}): film a run")

    gait_cfg = settings.gait
    timing_valid, timing_note = True, ""
    if gait.slowed_down or gait.sped_up:
        # Stretch the time limits to the clip's own pace.
        factor = settings.gait.pace_factor(60.0 / gait.apparent_cadence_spm)
        gait_cfg = _scaled_gait(gait_cfg, factor)
        events = dataclasses.replace(events, steps=validate_steps(list(events.steps), gait_cfg))
        timing_valid = False
        timing_note = (
            f"the clip plays slowed down (apparent cadence {gait.apparent_cadence_spm:.0f} steps/min) and its file "
            "gives no capture frame rate, so times are not real (pass --capture-fps with the rate it was filmed at)"
            if gait.slowed_down
            else f"the clip plays sped up (apparent cadence {gait.apparent_cadence_spm:.0f} steps/min), so times "
            "are not real (pass the original recording, played in real time)"
        )
        warn.append(timing_note + ": cadence and contact time are not reported; angles and distances are")

    n_valid = len(events.valid_steps)
    if n_valid < settings.gait.min_steps_total:
        duration = raw.time_s[-1] - raw.time_s[0] if raw.n_frames > 1 else 0.0
        raise TooFewStepsError(too_few_steps_message(name, n_valid, duration, gait, events, settings.gait))
    withheld = verdicts_withheld_reason(events, settings.gait)
    if withheld:
        warn.append(withheld_warning(withheld))
    elif events.rejection_rate > settings.gait.unreliable_rejection_rate:
        warn.append(
            f"{events.n_rejected} of {len(events.steps)} steps were rejected as implausible: treat the numbers "
            "as unreliable"
        )
    per_side_min = settings.gait.min_steps_per_side
    if not withheld and min(events.count("left"), events.count("right")) < per_side_min:
        warn.append(
            f"fewer than {per_side_min} valid steps per side (left {events.count('left')}, right "
            f"{events.count('right')}): the averages are less stable (Dingenen 2018); film longer"
        )

    return PreparedClip(
        raw=raw,
        clean=clean,
        sharp=sharp,
        detected_fraction=frac,
        filter_cutoff_hz=fc,
        leg_length_px=leg_px,
        view=view,
        view_reason=view_reason,
        direction_sign=direction_sign,
        direction_name=direction_name,
        events=events,
        roll_deg=roll,
        gait=gait_cfg,
        timing_valid=timing_valid,
        timing_note=timing_note,
        withhold_verdicts=bool(withheld),
        verdicts_withheld=withheld,
        warnings=tuple(warn),
    )


def measure(
    prepared: PreparedClip,
    settings: AnalysisSettings,
    *,
    pose_model: str = "unknown",
    input_sha256: str = "",
    pelvis_evidence: dict[float, float] | None = None,
) -> Analysis:
    """Metrics, verdicts and findings of a prepared clip. ``pelvis_evidence`` is used in rear and front views."""
    p = prepared
    ctx = MetricContext(
        pelvis_line_deg=pelvis_evidence if p.view in ("rear", "front") else None,
        traj=p.clean,
        contact_traj=p.sharp,
        events=p.events,
        view=p.view,
        direction=p.direction_sign,
        leg_length_px=p.leg_length_px,
        near_side=near_side(p.clean),
        thresholds=settings.thresholds,
        gait=p.gait,
        height_cm=settings.height_cm,
        timing_valid=p.timing_valid,
        timing_note=p.timing_note,
        uncertainty=settings.uncertainty,
    )
    metrics = compute_metrics(ctx)
    if p.withhold_verdicts:
        metrics = withhold_verdicts(
            metrics, f"{NO_VERDICT}{p.verdicts_withheld or 'most steps were rejected'}"
        )
    blurred, blur_warning = _face_blur_check(p.raw, settings)
    return Analysis(
        video=p.raw.video,
        input_sha256=input_sha256,
        view=p.view,
        direction=p.direction_name,
        pose_model=pose_model,
        detected_fraction=p.detected_fraction,
        raw=p.raw,
        clean=p.clean,
        events=p.events,
        metrics=metrics,
        findings=build_findings(metrics, settings.thresholds),
        leg_length_px=p.leg_length_px,
        filter_cutoff_hz=p.filter_cutoff_hz,
        settings=settings,
        warnings=p.warnings + blur_warning,
        height_cm=settings.height_cm,
        formcheck_version=__version__,
        view_reason=p.view_reason,
        roll_deg=p.roll_deg,
        faces_blurred=blurred,
        verdicts_withheld=p.verdicts_withheld,
    )


def _face_blur_check(raw: Trajectories, settings: AnalysisSettings) -> tuple[bool, tuple[str, ...]]:
    """``--blur-faces``: whether the head can be blurred (it is placed in at least one frame), and the warning
    when it cannot: formcheck never claims a blur it did not draw."""
    if not settings.blur_faces:
        return False, ()
    from formcheck.render.face_blur import NO_FACE_WARNING, head_found

    return (True, ()) if head_found(raw.xy_px) else (False, (NO_FACE_WARNING,))


__all__ = [
    "PreparedClip",
    "analyze_trajectories",
    "clean_trajectories",
    "detected_fraction",
    "measure",
    "prepare",
]
