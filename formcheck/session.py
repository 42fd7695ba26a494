"""One run filmed twice, from the side and from behind (or in front): one session report.

Each clip is analysed alone into its own folder; a session joins two of those folders' ``analysis.json``
documents. Every headline measure is taken from the view that measures it (overstride, foot strike, trunk lean and
arm swing from the side; pelvic drop from behind or in front; cadence from the side, with the other clip's cadence
noted when the two differ by more than the smallest detectable difference: a sign they were not the same run).

Pure in the middle (``pair_views``, ``source_view``, ``session_document``), I/O at the edge (``write_session``),
so that ``batch`` can pair the clips of one athlete and day and write their sessions from the clip folders.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

from formcheck.config import AnalysisSettings, Thresholds
from formcheck.errors import FormcheckError, OutputError, ViewError
from formcheck.files import write_text_atomic
from formcheck.guidance import finding_rank
from formcheck.metrics.registry import HEADLINE_IDS, METRIC_ORDER, REGISTRY, title
from formcheck.outputs import CLIP, SESSION, SESSION_MARKER, check_folder_kind, folder_kind
from formcheck.report.json_out import clean_json, load_analysis, metric_from_dict, settings_of
from formcheck.report.labels import metric_bands
from formcheck.report.session_html import (
    SESSION_LINK_END,
    SESSION_LINK_START,
    render_session_report,
    url_path,
)
from formcheck.report.views import VIEW_WORDS
from formcheck.version import __version__

SESSION_SCHEMA = "formcheck-session/1"
SESSION_FILE = "session.json"
# SESSION_MARKER (formcheck/outputs.py) marks a folder formcheck wrote as a session (not a clip folder: batch,
# analyze and compare never take it for theirs).
SESSION_MARKER_TEXT = (
    "This folder was written by formcheck (a session report). formcheck replaces only its files.\n"
)
FRONTAL_VIEWS = ("rear", "front")
# The session's headline measures, in the single-clip report's reading order (the registry's headline ranks):
# overstride, foot strike, trunk lean, pelvic drop, arm swing, cadence.
SESSION_MEASURES: tuple[str, ...] = HEADLINE_IDS


class ClipRecord(NamedTuple):
    """One analysed clip as ``pair_views`` sees it: its folder, athlete, date and camera view."""

    clip_dir: Path | str
    athlete: str
    date: object  # a date, a datetime (its day counts) or a 'YYYY-MM-DD' string
    view: str


def _day(date: object) -> object:
    return date.date() if isinstance(date, _dt.datetime) else date


def pair_views(
    clips: Iterable[ClipRecord | tuple[Any, str, object, str]],
    same_run: Callable[[ClipRecord, ClipRecord], bool] | None = None,
) -> list[tuple[ClipRecord, ClipRecord]]:
    """The (side, rear-or-front) pairs among ``clips`` of the same athlete on the same day. Within one athlete
    and day, side clips and frontal clips are each taken in the order of their folder names (rear before front);
    each frontal clip takes the first side clip left that ``same_run(side, other)`` accepts (any, without it), so
    they pair one to one; a clip left without a partner is in no pair. Pairs come athlete-and-day by
    athlete-and-day, in the order each first appears in ``clips``."""
    groups: dict[tuple[str, object], list[ClipRecord]] = {}
    for item in clips:
        rec = ClipRecord(*item)
        groups.setdefault((rec.athlete, _day(rec.date)), []).append(rec)
    pairs: list[tuple[ClipRecord, ClipRecord]] = []
    for group in groups.values():
        sides = sorted((r for r in group if r.view == "side"), key=lambda r: str(r.clip_dir))
        others = sorted(
            (r for r in group if r.view in FRONTAL_VIEWS),
            key=lambda r: (FRONTAL_VIEWS.index(r.view), str(r.clip_dir)),
        )
        for other in others:
            side = next((x for x in sides if same_run is None or same_run(x, other)), None)
            if side is not None:
                pairs.append((side, other))
                sides.remove(side)
    return pairs


def session_name(side_clip_dir: str | os.PathLike[str], other_clip_dir: str | os.PathLike[str]) -> str:
    """The session folder's name: ``<side clip folder>+<other clip folder>``."""
    return f"{Path(side_clip_dir).name}+{Path(other_clip_dir).name}"


def check_views(side_view: str, other_view: str, side_name: str = "", other_name: str = "") -> None:
    """Raise ViewError unless one clip is a side view and the other a rear or front view."""
    if side_view == "side" and other_view in FRONTAL_VIEWS:
        return
    views = f"{side_name or 'the first clip'} is {side_view}, {other_name or 'the second'} is {other_view}"
    if side_view == other_view:
        raise ViewError(
            f"both clips are {side_view} views ({views}): a session needs one side clip and one rear or front "
            "clip of the same run (force a wrong view with --views side,rear)"
        )
    raise ViewError(
        f"a session needs one side clip and one rear or front clip ({views}); "
        "force a wrong view with --views side,rear"
    )


def _metric(doc: Mapping[str, Any], metric_id: str) -> Mapping[str, Any]:
    return (doc.get("metrics") or {}).get(metric_id) or {}


def _has_value(doc: Mapping[str, Any], metric_id: str) -> bool:
    return _metric(doc, metric_id).get("value") is not None


def source_view(metric_id: str, side_doc: Mapping[str, Any], other_doc: Mapping[str, Any]) -> str | None:
    """The view a session takes ``metric_id`` from: ``side`` or the other clip's view (rear or front), or None
    when neither clip's view measures it. Cadence comes from the side. Otherwise the registry's views decide;
    a metric both views may measure (``ALL_VIEWS``) is a frontal-plane measure (it has a place on the rear/front
    video panel) and comes from behind or in front unless only the side clip has a value."""
    other_view = str(other_doc.get("view"))
    spec = REGISTRY.get(metric_id)
    views = spec.views if spec is not None else ("side",)
    in_side, in_other = "side" in views, other_view in views
    if metric_id == "cadence_spm" or (in_side and not in_other):
        return "side" if in_side else None
    if in_other and not in_side:
        return other_view
    if not (in_side or in_other):
        return None
    frontal_first = spec is not None and spec.frontal_panel_rank is not None
    if frontal_first:
        return (
            other_view if _has_value(other_doc, metric_id) or not _has_value(side_doc, metric_id) else "side"
        )
    return "side" if _has_value(side_doc, metric_id) or not _has_value(other_doc, metric_id) else other_view


def thresholds_of(doc: Mapping[str, Any]) -> Thresholds:
    """The thresholds a clip was judged with (this version's defaults for a file that does not record them)."""
    return (settings_of(doc) or AnalysisSettings()).thresholds


def _measure(metric_id: str, doc: Mapping[str, Any], view: str | None) -> dict[str, Any]:
    m = _metric(doc, metric_id) if view is not None else {}
    spec = REGISTRY.get(metric_id)
    band = metric_bands(metric_id, thresholds_of(doc)) if view is not None else None
    entry: dict[str, Any] = {
        "title": title(metric_id),
        "value": m.get("value"),
        "unit": m.get("unit", spec.unit if spec is not None else ""),
        "interval": m.get("interval"),
        "verdict": m.get("verdict", "n/a"),
        "evidence": m.get("evidence"),
        "n_steps": m.get("n_steps", 0),
        "band": band.bands if band is not None else None,
        "band_source": band.source if band is not None else None,
        "source_view": view,
        "note": m.get("note", "" if view is not None else "neither clip's view measures it"),
    }
    if m.get("verdict_value") is not None:
        entry["judged_on"] = {
            "what": spec.verdict_on if spec is not None else "",
            "value": m.get("verdict_value"),
            "interval": m.get("verdict_interval"),
        }
    return entry


def cadence_check(side_doc: Mapping[str, Any], other_doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The two clips' cadences side by side: ``agree`` is False when they differ by more than cadence's smallest
    detectable difference (the registry's SDD, of the side clip's value): a sign the clips were not the same
    run. None when either clip has no cadence."""
    side = _metric(side_doc, "cadence_spm").get("value")
    other = _metric(other_doc, "cadence_spm").get("value")
    if not isinstance(side, (int, float)) or not isinstance(other, (int, float)):
        return None
    sdd = REGISTRY["cadence_spm"].sdd
    smallest = sdd.of(float(side)) if sdd is not None else 0.0
    difference = float(other) - float(side)
    return {
        "side_value": side,
        "other_view": other_doc.get("view"),
        "other_value": other,
        "difference": difference,
        "smallest_detectable_difference": smallest,
        "sdd_source": sdd.source if sdd is not None else "",
        "agree": abs(difference) <= smallest,
    }


def cadence_note(check: Mapping[str, Any] | None) -> str:
    """The sentence the report shows under cadence when the clips disagree ('' when they agree)."""
    if not check or check["agree"]:
        return ""
    view = VIEW_WORDS.get(str(check["other_view"]), str(check["other_view"]))
    more = "more" if check["difference"] > 0 else "fewer"
    return (
        f"{view.capitalize()} the cadence was {check['other_value']:.0f} steps/min, "
        f"{abs(check['difference']):.0f} {more} than from the side: more than the smallest detectable difference "
        f"({check['smallest_detectable_difference']:.0f} steps/min), a sign the two clips were not the same run."
    )


def _rank_key(finding: Mapping[str, Any], doc: Mapping[str, Any]) -> tuple[int, float, int]:
    """The clip report's ranking (``guidance.finding_rank``: most severe verdict first, then the surest), the
    finding's metric read from its own clip with that clip's thresholds; ties in the registry's order."""
    mid = str(finding.get("metric"))
    entry = _metric(doc, mid)
    m = metric_from_dict(mid, entry) if entry else None
    severity, sureness = finding_rank(str(finding.get("verdict")), m, thresholds_of(doc))
    order = METRIC_ORDER.index(mid) if mid in METRIC_ORDER else len(METRIC_ORDER)
    return severity, sureness, order


def work_on(side_doc: Mapping[str, Any], other_doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding of both clips on a metric taken from that clip's view, ranked as the clip report ranks
    findings (``_rank_key``); each carries its ``source_view``."""
    ranked = []
    for doc in (side_doc, other_doc):
        view = doc.get("view")
        for f in doc.get("findings") or []:
            if source_view(str(f.get("metric")), side_doc, other_doc) == view:
                ranked.append((_rank_key(f, doc), {**f, "source_view": view}))
    return [f for _, f in sorted(ranked, key=lambda item: item[0])]


def _clip_entry(doc: Mapping[str, Any], clip_rel: str) -> dict[str, Any]:
    inp = doc.get("input") or {}
    steps = doc.get("steps") or {}
    return {
        "view": doc.get("view"),
        "folder": clip_rel,
        "report": f"{clip_rel}/report.html",
        "annotated_video": f"{clip_rel}/annotated.mp4",
        "video": Path(str(inp.get("path", ""))).name,
        "sha256": inp.get("sha256"),
        "duration_s": inp.get("duration_s"),
        "direction": doc.get("direction"),
        "valid_steps": steps.get("valid"),
        "formcheck_version": doc.get("formcheck_version"),
    }


def session_document(
    side_doc: Mapping[str, Any],
    other_doc: Mapping[str, Any],
    side_rel: str,
    other_rel: str,
    created: _dt.datetime | None = None,
) -> dict[str, Any]:
    """The ``session.json`` document of a side clip and a rear or front clip (their ``analysis.json``
    documents), whose folders are ``side_rel`` and ``other_rel`` relative to the session folder. Raises
    ViewError unless the views are one side and one rear or front."""
    check_views(str(side_doc.get("view")), str(other_doc.get("view")))
    created = created or _dt.datetime.now().astimezone()
    measures = {}
    for mid in SESSION_MEASURES:
        view = source_view(mid, side_doc, other_doc)
        doc = side_doc if view == "side" else other_doc
        measures[mid] = _measure(mid, doc, view)
    check = cadence_check(side_doc, other_doc)
    warnings = [f"{VIEW_WORDS['side']}: {w}" for w in side_doc.get("warnings") or []]
    warnings += [
        f"{VIEW_WORDS.get(str(other_doc.get('view')), '')}: {w}" for w in other_doc.get("warnings") or []
    ]
    doc = {
        "schema": SESSION_SCHEMA,
        "formcheck_version": __version__,
        "created": created.isoformat(timespec="seconds"),
        "views": [side_doc.get("view"), other_doc.get("view")],
        "clips": [_clip_entry(side_doc, side_rel), _clip_entry(other_doc, other_rel)],
        "measures": measures,
        "cadence_check": check,
        "cadence_note": cadence_note(check),
        "work_on": work_on(side_doc, other_doc),
        "warnings": warnings,
    }
    return clean_json(doc)


def check_session_dir(session_dir: str | os.PathLike[str]) -> None:
    """Raise OutputError unless formcheck may write ``session_dir``: absent, empty, or a session it wrote."""
    folder = Path(session_dir)
    check_folder_kind(folder, SESSION)
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_dir() and not folder.is_symlink():
        try:
            if folder_kind(folder) == SESSION or not any(folder.iterdir()):
                return
        except OSError as e:
            raise OutputError(
                f"cannot read {folder} ({e.strerror or e}): choose another folder with -o"
            ) from e
    raise OutputError(
        f"{folder} already exists and was not written by formcheck as a session: choose another folder with -o"
    )


def write_session(
    side_clip_dir: str | os.PathLike[str],
    other_clip_dir: str | os.PathLike[str],
    session_dir: str | os.PathLike[str],
) -> Path:
    """Write ``session_dir/report.html`` and ``session_dir/session.json`` (last) from two clip folders, a side
    clip's and a rear or front clip's; returns the report's path. Raises FormcheckError (one line) when a folder
    holds no analysis (the clip failed), the views do not make a pair, or the session folder is not formcheck's."""
    side_dir, other_dir, out = Path(side_clip_dir), Path(other_clip_dir), Path(session_dir)
    docs = []
    for clip in (side_dir, other_dir):
        if not (clip / "analysis.json").is_file():
            raise FormcheckError(
                f"no session report: {clip} holds no analysis (the clip failed or was not analysed); "
                "analyse it again with formcheck analyze"
            )
        docs.append(load_analysis(clip))
    side_doc, other_doc = docs
    check_views(str(side_doc.get("view")), str(other_doc.get("view")), side_dir.name, other_dir.name)
    check_session_dir(out)
    rels = [Path(os.path.relpath(d.resolve(), out.resolve())).as_posix() for d in (side_dir, other_dir)]
    document = session_document(side_doc, other_doc, rels[0], rels[1])
    html = render_session_report(document, side_doc, other_doc, out)

    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / SESSION_MARKER).write_text(SESSION_MARKER_TEXT, encoding="utf-8")
    except OSError as e:
        raise OutputError(f"cannot write {out} ({e.strerror or e}): choose a writable folder with -o") from e
    (out / SESSION_FILE).unlink(missing_ok=True)  # written last: a session.json is never older than its page
    report = write_text_atomic(out / "report.html", html)
    for clip in (side_dir, other_dir):
        link_clip_to_session(clip, report)
    write_text_atomic(
        out / SESSION_FILE, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )
    return report


_BACK_LINK = re.compile("\n?" + re.escape(SESSION_LINK_START) + ".*?" + re.escape(SESSION_LINK_END), re.S)


def link_clip_to_session(clip_dir: str | os.PathLike[str], session_report: str | os.PathLike[str]) -> bool:
    """Put a link to ``session_report`` at the top of the clip's own report.html (replacing an earlier one), so a
    runner who opens one clip finds both views. Only a report in a folder formcheck wrote; the link goes when the
    clip is analysed again. Returns whether the report was changed."""
    clip = Path(clip_dir)
    page = clip / "report.html"
    if folder_kind(clip) != CLIP or not page.is_file() or page.is_symlink():
        return False
    text = _BACK_LINK.sub("", page.read_text(encoding="utf-8"))
    if "<main>" not in text:
        return False
    href = Path(os.path.relpath(Path(session_report).resolve(), clip.resolve())).as_posix()
    link = (
        f'\n{SESSION_LINK_START}<p class="tip session-link">This clip is one view of a run filmed twice: '
        f'<a href="{escape(url_path(href), quote=True)}">see both views together</a>.</p>{SESSION_LINK_END}'
    )
    write_text_atomic(page, text.replace("<main>", "<main>" + link, 1))
    return True


def side_first(
    clips: Sequence[tuple[Path, str]],
) -> tuple[Path, Path]:
    """The (side, other) clip folders of two (folder, view) pairs, in that order; ViewError unless the views are
    one side and one rear or front."""
    (a, va), (b, vb) = clips
    if vb == "side" and va != "side":
        (a, va), (b, vb) = (b, vb), (a, va)
    check_views(va, vb, a.name, b.name)
    return a, b
