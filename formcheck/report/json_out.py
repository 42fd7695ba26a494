"""``analysis.json``: the whole result as JSON (OUTPUTS.md schema), and re-reading it.

Keys of OUTPUTS.md are never renamed; extra keys (``steps.rejected``, ``processing``, ``warnings``, metric
``bands``/``source``, finding ``why``/``helps``) only extend it. NaN and infinities become ``null``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.config import AnalysisSettings, Thresholds, settings_from_dict, settings_to_dict
from formcheck.errors import FormcheckError
from formcheck.files import write_text_atomic
from formcheck.metrics.registry import REGISTRY, bands_for
from formcheck.model import EVIDENCE_TAGS, VERDICTS, Analysis, EarlierVideo, MetricResult
from formcheck.report.labels import metric_bands, ordered_ids
from formcheck.safe_text import clean_text
from formcheck.version import DRAWING_VERSION, __version__

_CORE_METRIC_KEYS = ("value", "unit", "verdict", "evidence", "n_steps", "spread", "note")


def clean_json(value: Any, digits: int | None = 3) -> Any:
    """A JSON-safe copy of ``value``: floats rounded to ``digits`` decimals (None: not rounded), NaN/inf -> None,
    numpy -> Python."""
    if isinstance(value, dict):
        return {str(k): clean_json(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v, digits) for v in value]
    if isinstance(value, np.ndarray):
        return clean_json(value.tolist(), digits)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            return None
        return f if digits is None else round(f, digits)
    return value


def metric_to_dict(m: MetricResult, thresholds: Thresholds) -> dict[str, Any]:
    """One metric entry of ``analysis.json``; ``bands`` and ``source`` are those of ``thresholds``, the ones the
    verdict was judged against."""
    d: dict[str, Any] = {
        "value": m.value,
        "unit": m.unit,
        "verdict": m.verdict,
        "evidence": m.evidence,
        "n_steps": m.n_steps,
        "spread": m.spread,
        "note": m.note,
    }
    if m.per_side is not None:
        d["per_side"] = {side: m.per_side.get(side) for side in ("left", "right")}
    if m.value_cm is not None:
        d["value_cm"] = m.value_cm
    if m.interval is not None:
        d["interval"] = list(m.interval)
    if m.per_step is not None:
        d["per_step"] = list(m.per_step)
    bands = metric_bands(m.id, thresholds)
    if bands is not None:
        d["bands"] = bands.bands
        d["source"] = bands.source
    for key, val in m.extra.items():
        d.setdefault(key, val)  # extras extend, never override the contract's keys
    return d


def _band_edges(intervals: tuple[tuple[float, float], ...]) -> list[list[float | None]]:
    """Band intervals as JSON: an open end (infinity) is null."""
    return [[lo if math.isfinite(lo) else None, hi if math.isfinite(hi) else None] for lo, hi in intervals]


def verdict_basis(
    metrics: Mapping[str, MetricResult], metric_id: str, thresholds: Thresholds
) -> dict[str, Any]:
    """What a metric's verdict was judged on, in machine-readable form (docs/verdicts.md): ``verdict_interval``,
    the interval of the quantity the bands judge (the value's own, the ``verdict_interval`` a metric reports
    for another quantity, or that of the metric a category is read from), and ``verdict_bands``, the band edges
    used (``flag`` null: everything outside good and watch)."""
    m = metrics[metric_id]
    out: dict[str, Any] = {}
    if m.verdict != "n/a":
        spec = REGISTRY.get(metric_id)
        source = metrics.get(spec.interval_from) if spec is not None and spec.interval_from else None
        interval = m.extra.get("verdict_interval") or m.interval or (source.interval if source else None)
        out["verdict_interval"] = None if interval is None else list(interval)
    bands = bands_for(metric_id, thresholds)
    if bands is not None:
        out["verdict_bands"] = {
            "good": _band_edges(bands.good),
            "watch": _band_edges(bands.watch),
            "flag": None if bands.flag is None else _band_edges(bands.flag),
        }
    return out


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The ``analysis.json`` document (plain JSON types, floats rounded, NaN as None). Bands, rules and the
    ``settings`` key are the analysis's own settings, the ones its verdicts were judged with."""
    settings = analysis.settings
    v = analysis.video
    ev = analysis.events
    doc: dict[str, Any] = {
        "formcheck_version": analysis.formcheck_version or __version__,
        # How this formcheck draws annotated.mp4 (a kept video's own is in ``annotated_video``).
        "drawing_version": DRAWING_VERSION,
        "input": {
            "path": v.path,
            "sha256": analysis.input_sha256,
            "width": v.width,
            "height": v.height,
            "fps": round(v.fps, 3),
            "frames": v.n_frames,
            "duration_s": round(v.duration_s, 3),
            "rotation_deg": v.rotation_deg,
            "codec": v.codec,
            "variable_frame_rate": v.variable_frame_rate,
            "capture_fps": v.capture_fps,
            "picture_fps": v.picture_fps,
            "start_s": v.start_s,
        },
        "view": analysis.view,
        "direction": analysis.direction,
        "view_reason": analysis.view_reason,
        "pose": {
            "model": analysis.pose_model,
            "detected_fraction": analysis.detected_fraction,
            "warnings": list(analysis.pose_warnings),
        },
        "steps": {
            "left": ev.count("left"),
            "right": ev.count("right"),
            "valid": len(ev.valid_steps),
            "total": len(ev.steps),
            "rejected": ev.n_rejected,
            "rejection_rate": ev.rejection_rate,
            "unreliable": ev.rejection_rate > settings.gait.unreliable_rejection_rate,
            "verdicts_withheld": analysis.verdicts_withheld or None,
            "method": ev.method,
            "stride_time_s": ev.stride_time_s,
            "contact_timing": ev.contact_timing,
        },
        "metrics": {
            mid: metric_to_dict(analysis.metrics[mid], settings.thresholds)
            for mid in ordered_ids(list(analysis.metrics))
        },
        "findings": [
            {
                "metric": f.metric,
                "verdict": f.verdict,
                "guidance": f.guidance,
                "message": f.message,
                "cue": f.cue,
                "why": f.why,
                "helps": f.helps,
                "evidence": f.evidence,
            }
            for f in analysis.findings
        ],
        "warnings": list(analysis.warnings),
        "faces_blurred": analysis.faces_blurred,
        "processing": {
            "filter_cutoff_hz": analysis.filter_cutoff_hz,
            "leg_length_px": analysis.leg_length_px,
            "roll_deg": analysis.roll_deg,
            "height_cm": analysis.height_cm,
            "person_track": analysis.person_track,
        },
    }
    doc = clean_json(doc)
    if analysis.earlier_video is not None:
        # Not rounded: the record of what the video draws is compared exactly with a fresh one at the next
        # re-analysis (a setting of 1/6 s rounded to 0.167 would read as a change for ever).
        doc["annotated_video"] = clean_json(earlier_video_to_dict(analysis.earlier_video), digits=None)
    for mid, entry in doc["metrics"].items():  # band edges not rounded, as the settings below
        entry.update(clean_json(verdict_basis(analysis.metrics, mid, settings.thresholds), digits=None))
    # Not rounded: a band may start at 1e-9 (step width), and the settings must read back exactly.
    doc["settings"] = clean_json(settings_to_dict(settings), digits=None)
    return doc


def earlier_video_to_dict(earlier: EarlierVideo) -> dict[str, Any]:
    """``annotated_video`` of analysis.json (docs/outputs.md): the folder's video shows an earlier analysis, what
    differs, and how to have it drawn again."""
    return {
        "shows_this_analysis": False,
        "drawing_sha256": earlier.drawing_sha256,
        "drawn": earlier.drawn,
        "differences": list(earlier.differences),
        "source_path": earlier.source_path,
        "to_redraw": redraw_advice(earlier),
    }


def redraw_advice(earlier: EarlierVideo) -> str:
    """What to do to get a video that shows the analysis: one sentence."""
    import shlex

    return (
        f"put the clip back at {earlier.source_path} (the very file analysed) and run "
        f"'formcheck reanalyze {shlex.quote(earlier.clip_dir)}'"
    )


def to_json(analysis: Analysis, indent: int | None = 2) -> str:
    """``analysis.json`` as text (strict JSON: no NaN)."""
    text = json.dumps(analysis_to_dict(analysis), indent=indent, ensure_ascii=False, allow_nan=False)
    return clean_text(text)  # a file name that is not UTF-8


def write_json(analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    """Write ``analysis.json`` atomically (temporary name, then rename)."""
    return write_text_atomic(path, to_json(analysis) + "\n")


def load_analysis(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Re-read an ``analysis.json`` (or the folder holding one) as a dict."""
    p = Path(path)
    if p.is_dir():
        p = p / "analysis.json"
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormcheckError(f"no analysis found at {p}: run 'formcheck analyze VIDEO' first") from None
    except OSError as exc:
        raise FormcheckError(f"cannot read {p}: {exc.strerror or exc}") from exc
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormcheckError(f"{p} is not valid JSON ({exc}); delete it and analyse the clip again") from exc
    if not isinstance(doc, dict) or "metrics" not in doc or "input" not in doc:
        raise FormcheckError(
            f"{p} is not a formcheck analysis (no 'input'/'metrics'); analyse the clip again"
        )
    return doc


def settings_of(doc: Mapping[str, Any]) -> AnalysisSettings | None:
    """The settings an ``analysis.json`` document was computed with, or None for a file written before
    formcheck recorded them (no ``settings`` key)."""
    data = doc.get("settings")
    return settings_from_dict(data) if isinstance(data, Mapping) else None


# What the pose pass's warnings hold (formcheck/pose/run.py: people tracked, zoomed search, slow motion): used only
# to tell them among the ``warnings`` of an analysis.json written before ``pose.warnings`` existed, whose re-analysis
# used to drop them. The video reader's lines (formcheck/video/reader.py) begin with the file's name.
_POSE_STAGE_MARKS = (
    "people in frame; analysed #",
    ": searched zoomed tiles (",
    "slow-motion file: captured at",
)


def pose_warnings_of(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The warnings the pose pass gave when ``doc`` (an ``analysis.json`` document) was made, so a re-analysis
    from its landmarks says them again: ``pose.warnings``; for a file written before that key, the lines of
    ``warnings`` the pose pass is known to write (they name the file, the people tracked, the zoomed search or the
    slow motion); none when neither is there (unknown)."""
    pose = doc.get("pose")
    stored = pose.get("warnings") if isinstance(pose, Mapping) else None
    if isinstance(stored, list):
        return tuple(str(w) for w in stored if isinstance(w, str))
    lines = doc.get("warnings")
    if not isinstance(lines, list):
        return ()
    source = doc.get("input")
    name = Path(str(source.get("path") or "")).name if isinstance(source, Mapping) else ""
    return tuple(
        w
        for w in lines
        if isinstance(w, str)
        and (
            any(mark in w for mark in _POSE_STAGE_MARKS) or (name and w.startswith((f"{name}:", f"{name} ")))
        )
    )


def person_track_of(doc: Mapping[str, Any]) -> int | None:
    """The person track an ``analysis.json`` document analysed when several people were tracked
    (``processing.person_track``), or None (one person, or not recorded)."""
    processing = doc.get("processing")
    track = processing.get("person_track") if isinstance(processing, Mapping) else None
    return track if isinstance(track, int) and not isinstance(track, bool) else None


_METRIC_FIELDS = (*_CORE_METRIC_KEYS, "per_side", "value_cm", "interval", "per_step", "bands", "source")


def metric_from_dict(metric_id: str, entry: Mapping[str, Any]) -> MetricResult:
    """A metric entry of ``analysis.json`` read back as a ``MetricResult`` (the inverse of ``metric_to_dict``):
    keys beyond the contract's go back into ``extra``; ``bands`` and ``source`` are dropped, since they follow
    from the thresholds. An unknown verdict or evidence tag reads as ``n/a`` / ``H``."""
    interval = entry.get("interval")
    per_step = entry.get("per_step")
    verdict = entry.get("verdict", "n/a")
    evidence = entry.get("evidence", "H")
    return MetricResult(
        id=metric_id,
        value=entry.get("value"),
        unit=str(entry.get("unit", "")),
        verdict=verdict if verdict in VERDICTS else "n/a",
        evidence=evidence if evidence in EVIDENCE_TAGS else "H",
        n_steps=int(entry.get("n_steps") or 0),
        spread=entry.get("spread"),
        per_side=entry.get("per_side"),
        per_step=tuple(per_step) if isinstance(per_step, list) else None,
        note=str(entry.get("note") or ""),
        value_cm=entry.get("value_cm"),
        extra={k: v for k, v in entry.items() if k not in _METRIC_FIELDS},
        interval=(interval[0], interval[1]) if isinstance(interval, list) and len(interval) == 2 else None,
    )
