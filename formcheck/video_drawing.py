"""What ``annotated.mp4`` draws from an analysis, read from its ``analysis.json`` document, and what differs between
two of them: ``formcheck reanalyze`` (and a batch that re-judges) draws the video again only when it would change.

The video draws (formcheck/render): the panel of the view's headline metrics (value and verdict,
``render.state.panel_rows_of``), at each landing the overstride, shin and foot labels coloured by the step's own
verdict (``render.state.step_verdict``), the step counter, and the skeleton, trunk and elbow angles from the cleaned
landmarks. analysis.json holds the first two; the landmarks, the landing times and the counter follow from
``landmarks.npz`` (kept as it is by a re-analysis) and the settings that clean the tracks and find the landings, so
those settings (``TRACK_SETTINGS``) and the steps' counts stand for them. Pure: no files, no pixels.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from formcheck.config import AnalysisSettings, settings_to_dict
from formcheck.metrics.display import whole_degrees
from formcheck.render.state import judged_step_value, panel_rows_of, step_verdict
from formcheck.report.json_out import clean_json, metric_from_dict, settings_of

# Settings that move what is drawn other than through the values and verdicts compared below: the analysed span,
# the crop and face blur of the picture, the capture rate (the time base), and what cleans the landmark tracks and
# times the landings (``trajectory_analysis.prepare``: processing, gait, pose).
TRACK_SETTINGS = ("start_s", "end_s", "video_crop", "capture_fps", "blur_faces", "processing", "gait", "pose")
# analysis.json's ``processing`` outputs that the drawing scales or places with.
TRACK_OUTPUTS = ("filter_cutoff_hz", "leg_length_px", "roll_deg", "person_track")
STEP_COUNTS = ("left", "right", "valid", "total")
# The per-step metrics whose labels a landing draws (render/contact.py).
LANDING_METRICS = ("overstride_distance", "shank_angle_ic_deg", "foot_strike_angle_deg", "foot_strike_type")


def drawn_summary(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the annotated video of the analysis ``doc`` (an analysis.json document) draws, as plain JSON data:
    equal summaries draw the same video."""
    # A document without settings was judged with the defaults.
    settings = settings_of(doc) or AnalysisSettings()
    metrics = {
        mid: metric_from_dict(mid, entry)
        for mid, entry in (doc.get("metrics") or {}).items()
        if isinstance(entry, Mapping)
    }
    view = str(doc.get("view", ""))
    plain = settings_to_dict(settings)
    processing = doc.get("processing") if isinstance(doc.get("processing"), Mapping) else {}
    steps = doc.get("steps") if isinstance(doc.get("steps"), Mapping) else {}
    return clean_json(
        {
            # None: drawn by a formcheck from before the drawing was versioned.
            "drawing_version": doc.get("drawing_version"),
            "view": view,
            "direction": doc.get("direction"),
            "panel": [[r.label, r.value, r.verdict] for r in panel_rows_of(view, metrics)],
            "landings": _landings(metrics, settings),
            "steps": {k: steps.get(k) for k in STEP_COUNTS},
            "tracks": {
                **{k: plain[k] for k in TRACK_SETTINGS},
                **{k: processing.get(k) for k in TRACK_OUTPUTS},
            },
        },
        digits=None,
    )


def _landings(metrics: Mapping[str, Any], settings: AnalysisSettings) -> list[list[str]]:
    """Per step: the overstride, shin and foot labels a landing draws, each with its colour's verdict."""
    over, shank, foot, strike = (metrics.get(mid) for mid in LANDING_METRICS)
    n = max((len(m.per_step) for m in (over, shank, foot, strike) if m is not None and m.per_step), default=0)
    th = settings.thresholds
    rows = []
    for i in range(n):
        o, s, f = (_number(m, i) for m in (over, shank, foot))
        k = (
            strike.per_step[i]
            if strike is not None and strike.per_step and i < len(strike.per_step)
            else None
        )
        rows.append(
            [
                "" if o is None else f"{o:.0f}",
                step_verdict(over, judged_step_value(over, i), th),
                "" if s is None else whole_degrees(s),
                step_verdict(shank, s, th),
                ("" if f is None else whole_degrees(f, signed=True))
                + (f" {k}" if isinstance(k, str) else ""),
            ]
        )
    return rows


def _number(m: Any, i: int) -> float | None:
    if m is None or not m.per_step or i >= len(m.per_step):
        return None
    v = m.per_step[i]
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def drawing_sha256(summary: Mapping[str, Any]) -> str:
    """A fingerprint of a drawn summary (stored in analysis.json when the video shows an earlier analysis)."""
    text = json.dumps(summary, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def drawing_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """What a video drawn from ``after`` would show differently from one drawn from ``before`` (two
    ``drawn_summary`` results), in words; empty when the two draw the same video."""
    changes: list[str] = []
    if before.get("drawing_version") != after.get("drawing_version"):
        changes.append("how formcheck draws the video (an earlier version drew it)")
    for what in ("view", "direction"):
        if before.get(what) != after.get(what):
            changes.append(f"the {what} ({before.get(what)} -> {after.get(what)})")
    rows_before = {row[0]: row for row in before.get("panel") or ()}
    rows_after = {row[0]: row for row in after.get("panel") or ()}
    for name in [*rows_before, *(n for n in rows_after if n not in rows_before)]:
        a, b = rows_before.get(name), rows_after.get(name)
        if a != b:
            changes.append(_panel_change(name, a, b))
    landings_before, landings_after = before.get("landings") or [], after.get("landings") or []
    moved = sum(a != b for a, b in zip(landings_before, landings_after, strict=False))
    moved += abs(len(landings_before) - len(landings_after))
    if moved:
        changes.append(f"the marks of {moved} landing{'s' if moved != 1 else ''}")
    if before.get("steps") != after.get("steps"):
        changes.append("the steps counted")
    tracks_before, tracks_after = before.get("tracks") or {}, after.get("tracks") or {}
    moved_settings = sorted(
        k for k in {*tracks_before, *tracks_after} if tracks_before.get(k) != tracks_after.get(k)
    )
    if moved_settings:
        changes.append("the landmarks and landings drawn (" + ", ".join(moved_settings) + ")")
    return tuple(changes)


def _panel_change(name: str, before: Any, after: Any) -> str:
    """'Cadence: flag -> good', 'Trunk lean: 6.8° -> 7.4°', or both, or a row shown or gone."""
    if before is None or after is None:
        return f"{name}: {'shown' if before is None else 'no longer shown'}"
    if before[1] == after[1]:
        return f"{name}: {before[2]} -> {after[2]}"
    if before[2] == after[2]:
        return f"{name}: {before[1]} -> {after[1]}"
    return f"{name}: {before[1]} {before[2]} -> {after[1]} {after[2]}"


def shown_drawing(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the clip folder's annotated.mp4 draws, by its analysis.json ``doc``: the earlier drawing that
    ``annotated_video`` records when the video was kept from an earlier analysis, else ``doc``'s own."""
    record = doc.get("annotated_video")
    if isinstance(record, Mapping) and record.get("shows_this_analysis") is False:
        drawn = record.get("drawn")
        if isinstance(drawn, Mapping):
            return dict(drawn)
    return drawn_summary(doc)


def video_changes(previous: Mapping[str, Any] | None, after: Mapping[str, Any]) -> tuple[str, ...]:
    """What a folder's annotated.mp4 (drawn as its analysis.json ``previous`` says) shows differently from the
    drawing ``after`` (a ``drawn_summary``), in words; empty when it shows the same. Without ``previous`` (no
    analysis.json) what the video shows is unknown: it counts as changed."""
    if not previous:
        return ("what it shows is unknown (no analysis.json)",)
    shown = shown_drawing(previous)
    if drawing_sha256(shown) == drawing_sha256(after):
        return ()
    return drawing_changes(shown, after) or ("what it draws",)


__all__ = [
    "TRACK_SETTINGS",
    "drawing_changes",
    "drawing_sha256",
    "drawn_summary",
    "shown_drawing",
    "video_changes",
]
