"""Side-view contacts timed from the shoe's sole in the picture (``gait.contact_timing = "sole"``): the glue between
the analysis after pose (trajectory_analysis.prepare), a second decode of the clip's foot crops (video.foot_crops),
the pure sole edge (sole_edge) and what it measured, kept for re-analysis (sole_contacts)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from formcheck.config import CHOICES, AnalysisSettings
from formcheck.errors import UsageError, VideoError
from formcheck.gait.common import validate_steps
from formcheck.model import GaitEvents
from formcheck.sole_contacts import SoleContacts, matched_sole_times, sole_contacts_of
from formcheck.trajectory_analysis import PreparedClip

log = logging.getLogger(__name__)

# A re-analysis asked for the sole timing of a folder without sole_contacts.npz and without its video.
NOT_AT_HAND = "sole refused: the video is not at hand"
READ_AGAIN = "the video could not be read again"  # a passing failure, not what the sole measured


def check_contact_timing(settings: AnalysisSettings) -> None:
    """UsageError (exit 2, one line) when ``gait.contact_timing`` is not one of its words."""
    choices = CHOICES["gait.contact_timing"]
    if settings.gait.contact_timing not in choices:
        raise UsageError(
            f"gait.contact_timing must be {' or '.join(choices)}, got {settings.gait.contact_timing!r}: "
            'e.g. [gait] contact_timing = "sole" in the --config file'
        )


def sole_asked(prepared: PreparedClip, settings: AnalysisSettings) -> bool:
    """``gait.contact_timing`` is valid, is "sole", and the clip is a side view (the only view it times)."""
    check_contact_timing(settings)
    return settings.gait.contact_timing == "sole" and prepared.view == "side"


def too_small(prepared: PreparedClip, settings: AnalysisSettings) -> str | None:
    """Why the sole is not used on a runner whose leg is under ``gait.sole_min_leg_px`` (config.py), else None."""
    floor_px = settings.gait.sole_min_leg_px
    if prepared.leg_length_px >= floor_px:
        return None
    return f"runner too small ({prepared.leg_length_px:.0f} px leg, needs {floor_px:g})"


def sole_contact_timing(path: Path, prepared: PreparedClip, settings: AnalysisSettings) -> PreparedClip:
    """With ``gait.contact_timing = "sole"`` and a side view: the contacts retimed from the shoe's sole in the
    picture (formcheck/sole_edge.py; the clip decoded once more, crops around each landmark contact), or the
    landmark contacts kept with the reason (``GaitEvents.contact_timing``). Otherwise ``prepared`` unchanged."""
    if not sole_asked(prepared, settings):
        return prepared
    if (small := too_small(prepared, settings)) is not None:
        return _sole_refused(prepared, small)  # before the second decode: it costs nothing then
    import cv2

    from formcheck import sole_edge
    from formcheck.video.foot_crops import cut_crops

    raw, steps = prepared.raw, prepared.events.steps
    xy = sole_edge.picture_xy(prepared.clean.xy_px, prepared.roll_deg, raw.video.width, raw.video.height)
    plans = sole_edge.plan_windows(
        xy,
        raw.time_s,
        [(s.side, s.contact_s) for s in steps],
        prepared.leg_length_px,
        (raw.video.width, raw.video.height),
    )
    try:
        crops = cut_crops(
            path, {j: (p.frames, p.box) for j, p in plans.items()}, settings.start_s, settings.end_s
        )
    except VideoError as e:  # read once already: gone or changed since; the landmark contacts still stand
        return _sole_refused(prepared, f"{READ_AGAIN} ({e})")
    windows = [
        (crops[j], sole_edge.local_points(xy, plans[j], s.side), raw.time_s[list(plans[j].frames)])
        if j in plans and len(crops[j]) == len(plans[j].frames)
        else None
        for j, s in enumerate(steps)
    ]
    try:
        timing = sole_edge.retime_contacts(windows, prepared.leg_length_px)
    except (ValueError, cv2.error) as e:  # an optional refinement never fails the clip
        return _sole_refused(prepared, f"the picture could not be read around the feet: {e}")
    if timing.contact_s is None:
        return _sole_refused(prepared, timing.reason)
    return _with_sole_times(prepared, timing.contact_s)


def measured_sole_contacts(events: GaitEvents) -> SoleContacts | None:
    """What to keep in ``sole_contacts.npz``: what the sole measured (used, or refused for what the picture showed);
    None when it was not asked or never looked at the picture (video not at hand or not readable: measured again
    next time)."""
    timing = events.contact_timing
    if timing == NOT_AT_HAND or timing.startswith(f"sole refused: {READ_AGAIN}"):
        return None
    return sole_contacts_of(events)


def reused_sole_timing(
    prepared: PreparedClip, settings: AnalysisSettings, record: SoleContacts
) -> PreparedClip:
    """``sole_contact_timing`` from what it measured before (``sole_contacts.npz``), without the video: each landmark
    contact takes the stored sole time of the stored landmark contact within half a frame (none: it stays); a clip
    refused then is refused now, for the same reason."""
    if not sole_asked(prepared, settings):
        return prepared
    if (small := too_small(prepared, settings)) is not None:
        return _sole_refused(prepared, small)
    if record.refusal is not None:
        return _sole_refused(prepared, record.refusal)
    landmark_s = [s.contact_s for s in prepared.events.steps]
    return _with_sole_times(prepared, matched_sole_times(record, landmark_s, prepared.raw.fps))


def _with_sole_times(prepared: PreparedClip, sole_s: Sequence[float | None]) -> PreparedClip:
    """The steps with each contact moved to its sole time (None: the landmark contact stays), validated again."""
    steps = prepared.events.steps
    new_steps = tuple(
        s if t is None else dataclasses.replace(s, contact_s=t, strike_read_s=s.contact_s)
        for s, t in zip(steps, sole_s, strict=True)
    )
    if any(b.contact_s < a.contact_s for a, b in zip(new_steps, new_steps[1:], strict=False)):
        return _sole_refused(prepared, "the retimed contacts are out of order")
    new_steps = validate_steps(list(new_steps), prepared.gait)  # contact and step times as retimed
    log.info(
        "contact timing from the sole: %d of %d contacts moved",
        sum(t is not None for t in sole_s),
        len(steps),
    )
    events = dataclasses.replace(prepared.events, steps=new_steps, contact_timing="sole")
    return dataclasses.replace(prepared, events=events)


def _sole_refused(prepared: PreparedClip, reason: str) -> PreparedClip:
    """The landmark contacts kept, ``steps.contact_timing`` and one warning line saying why."""
    events = dataclasses.replace(prepared.events, contact_timing=f"sole refused: {reason}")
    line = f"contact timing: the sole's edge was not used ({reason}); the contacts come from the landmarks"
    return dataclasses.replace(prepared, events=events, warnings=(*prepared.warnings, line))
