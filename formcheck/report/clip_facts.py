"""The report's "About this clip": the file, frame rate, view, direction, pose model, steps and the rejected ones;
and the direction of travel in words, which the header and the session report use too."""

from __future__ import annotations

from pathlib import Path

from formcheck.model import Analysis
from formcheck.report.escaping import html_escape as _e
from formcheck.report.player import trimmed_span_s
from formcheck.version import __version__

# How the header says where the runner goes: a rear view's "away" alone reads as a stray word.
_DIRECTION_WORDS = {"away": "running away from the camera", "toward": "running toward the camera"}


def direction_words(direction: str) -> str:
    """The direction of travel in words: 'running left', 'running away from the camera'."""
    return _DIRECTION_WORDS.get(direction, f"running {direction}")


def clip_details(analysis: Analysis) -> str:
    """What the clip is and how it was read, as a definition list, then the rejected steps with their reasons."""
    v = analysis.video
    ev = analysis.events
    items = [
        ("File", Path(v.path).name),
        ("Resolution", f"{v.width} × {v.height} px"),
        (
            "Frame rate",
            f"{v.fps:.2f} fps"
            + (" (variable)" if v.variable_frame_rate else "")
            + (f", captured at {v.capture_fps:g} fps" if v.capture_fps else "")
            + (
                f", about {v.picture_fps:.0f} different pictures/s"
                if v.picture_fps and v.picture_fps < analysis.settings.pose.repeat_warn_ratio * v.fps
                else ""
            ),
        ),
        ("Frames", str(v.n_frames)),
        ("Duration", f"{v.duration_s:.2f} s"),
        *(
            [("Analysed part", f"{span[0]:.2f} s to {span[1]:.2f} s of the clip (--start/--end)")]
            if (span := trimmed_span_s(analysis))
            else []
        ),
        ("Rotation", f"{v.rotation_deg}°"),
        ("View", f"{analysis.view}" + (f" ({analysis.view_reason})" if analysis.view_reason else "")),
        ("Direction of travel", direction_words(analysis.direction)),
        ("Pose model", analysis.pose_model),
        ("Runner detected", f"{analysis.detected_fraction * 100:.1f}% of frames"),
        ("Filter cut-off", f"{analysis.filter_cutoff_hz:g} Hz (zero-lag Butterworth)"),
        ("Leg length", f"{analysis.leg_length_px:.0f} px"),
        ("Camera roll corrected", f"{analysis.roll_deg:.1f}°"),
        (
            "Steps",
            f"{len(ev.steps)} detected, {len(ev.valid_steps)} valid, {ev.n_rejected} rejected "
            f"({ev.rejection_rate * 100:.0f}%)",
        ),
        ("Input SHA-256", analysis.input_sha256),
        ("formcheck", analysis.formcheck_version or __version__),
    ]
    if analysis.height_cm:
        items.insert(
            [k for k, _ in items].index("Leg length") + 1, ("Runner height", f"{analysis.height_cm:g} cm")
        )
    if ev.contact_timing != "landmarks":  # the opt-in (gait.contact_timing = "sole"): say what was used
        timing = (
            "from the shoe's sole in the picture"
            if ev.contact_timing == "sole"
            else f"from the landmarks: the sole's edge was not used ({ev.contact_timing.partition(': ')[2]})"
        )
        items.insert([k for k, _ in items].index("Steps") + 1, ("Contact times", timing))
    rejected = [
        f"step {i + 1} ({s.side}, {s.contact_s:.2f} s): {s.reject_reason or 'rejected'}"
        for i, s in enumerate(ev.steps)
        if not s.valid
    ]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(val)}</dd>" for k, val in items)
    rej = ""
    if rejected:
        rej = "<h3>Rejected steps</h3><ul>" + "".join(f"<li>{_e(r)}</li>" for r in rejected) + "</ul>"
    return f'<dl class="details">{dl}</dl>{rej}'
