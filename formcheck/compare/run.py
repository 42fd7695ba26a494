"""``formcheck compare A B -o OUTDIR``: two takes of a runner, before and after, into
``OUTDIR/compare-<A>-vs-<B>/`` (``compare.mp4``, ``report.html``, ``compare.json``). The folder is written as a
clip folder is (formcheck/outputs.py ``write_folder``): into a temporary folder holding compare's own marker,
``.formcheck-compare``, then moved into place, ``compare.json`` last; an existing folder is replaced only when it is
a compare folder formcheck wrote (never a clip or session folder)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.compare.changes import ChangeRow, change_rows, headline
from formcheck.compare.page import render_page
from formcheck.compare.takes import Take, check_same_view, clip_folder_of, read_folder, take_from_folder
from formcheck.compare.video import render_compare_video
from formcheck.compare.warp import (
    Alignment,
    Contact,
    FrameMap,
    alignment,
    contact_warp,
    frame_map,
    match_contacts,
)
from formcheck.config import AnalysisSettings
from formcheck.errors import OutputError, UsageError
from formcheck.outdir import check_outdir_writable, taken_back_on_failure
from formcheck.outputs import (
    COMPARE,
    COMPARE_MARKER,
    MARKER,
    check_folder_kind,
    clip_outdir,
    folder_kind,
    os_error_message,
    write_folder,
)
from formcheck.render.state import motion_per_file_s
from formcheck.report.json_out import clean_json
from formcheck.version import __version__

log = logging.getLogger(__name__)

COMPARE_MARKER_TEXT = (
    "This folder was written by formcheck compare. formcheck replaces only the files it wrote here.\n"
)
COMPARE_FILES = (COMPARE_MARKER, "compare.mp4", "report.html", "compare.json")  # what formcheck writes there
# ... and the clip marker a compare folder held before it had its own: removed when the folder is written again.
_OWN_FILES = (*COMPARE_FILES, MARKER)
SYNC_METHOD = (
    "piecewise-linear time warp of B's timeline onto A's between matched landings of the same foot; its knots are "
    "the landings' contact frames (the first frame at or after each contact), so each matched landing of A is "
    "shown beside B's"
)


@dataclass(frozen=True)
class CompareResult:
    folder: Path
    a: Take
    b: Take
    rows: list[ChangeRow]
    aligned: list[Alignment]


def compare_folder_name(a: str, b: str) -> str:
    return f"compare-{a}-vs-{b}"


def contacts_of(take: Take) -> list[Contact]:
    """The take's valid landings, in time order."""
    steps = sorted(take.analysis.events.valid_steps, key=lambda s: s.contact_s)
    return [Contact(float(s.contact_s), s.side) for s in steps]


def take_label(take: Take, role: str) -> str:
    """The name strip of a half: "A (before) - side_24 - 2026-01-05" (the video font has no middle dot).."""
    return f"{role} - {take.name} - {take.recorded_at:%Y-%m-%d}"


def run_compare(
    path_a: str | os.PathLike[str],
    path_b: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    settings: AnalysisSettings | None = None,
) -> CompareResult:
    """Analyse (or load) both takes, synchronise them at their landings, and write the compare folder. Raises
    FormcheckError subclasses with one-line messages for bad input."""
    settings = settings or AnalysisSettings()
    out = Path(outdir)
    for p in (path_a, path_b):
        if not Path(p).exists():
            raise UsageError(
                f"{p} does not exist: give a video or a clip folder written by 'formcheck analyze'"
            )
    with taken_back_on_failure(
        check_outdir_writable(out)
    ):  # a failed compare leaves no empty -o folder behind
        return _compare_into(out, path_a, path_b, settings)


def _compare_into(
    out: Path, path_a: str | os.PathLike[str], path_b: str | os.PathLike[str], settings: AnalysisSettings
) -> CompareResult:
    """``compare``'s work once ``out`` is known writable."""
    dir_a = clip_outdir(out, path_a)
    dir_b = clip_outdir(out, path_b)
    if dir_b.name.lower() == dir_a.name.lower() and Path(path_a).resolve() != Path(path_b).resolve():
        dir_b = dir_b.with_name(dir_b.name + "-b")  # two files of one name from two folders
    folders = clip_folder_of(path_a, out, settings, dir_a), clip_folder_of(path_b, out, settings, dir_b)
    docs = read_folder(folders[0]), read_folder(folders[1])
    check_same_view(*docs)
    a, b = take_from_folder(folders[0], docs[0]), take_from_folder(folders[1], docs[1])
    folder = out / compare_folder_name(a.name, b.name)
    check_compare_dir(folder)

    ta, tb = a.analysis.clean.time_s, b.analysis.clean.time_s
    pairs = match_contacts(contacts_of(a), contacts_of(b))
    warp = contact_warp(pairs, ta, tb)
    if warp is None:
        raise UsageError(
            f"no landing of the same foot was found in both {a.name} and {b.name}: film a few strides in each"
        )
    planned = frame_map(warp, ta, tb)
    rows = change_rows(a.doc, b.doc)
    labels = (take_label(a, "A (before)"), take_label(b, "B (after)"))

    def write(tmp: Path) -> list[Alignment]:
        shown = render_compare_video(a.analysis, b.analysis, planned, tmp / "compare.mp4", labels)
        as_shown = FrameMap(*(_column(shown, i) for i in (0, 1)))
        aligned = alignment(pairs, as_shown, ta, tb)
        video_time = _output_times(a, shown)
        (tmp / "report.html").write_text(
            render_page(a, b, rows, aligned, video_time, labels, tmp), encoding="utf-8"
        )
        doc = compare_doc(a, b, rows, aligned, shown)
        (tmp / "compare.json").write_text(
            json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        return aligned

    aligned = _write_folder(folder, write)
    return CompareResult(folder, a, b, rows, aligned)


def _column(shown: list[tuple[int, int]], i: int) -> np.ndarray:
    return np.array([s[i] for s in shown], dtype=int)


def _output_times(a: Take, shown: list[tuple[int, int]]) -> dict[int, float]:
    """A's frame index -> its time in compare.mp4 (seconds from the first frame, the file's clock)."""
    if not shown:
        return {}
    t = a.analysis.clean.time_s
    per_file = 1.0 / motion_per_file_s(a.analysis.video)
    first = float(t[shown[0][0]])
    return {ka: round((float(t[ka]) - first) * per_file, 4) for ka, _ in shown}


def _take_doc(take: Take) -> dict[str, Any]:
    v = take.analysis.video
    return {
        "name": take.name,
        "video": str(take.video_path),
        "clip_dir": str(take.clip_dir),
        "recorded_at": take.recorded_at.isoformat(),
        "date_source": take.date_source,
        "fps": round(float(v.fps), 3),
        "valid_steps": len(take.analysis.events.valid_steps),
        "contact_timing": take.analysis.events.contact_timing,
    }


def _metric_doc(mv) -> dict[str, Any]:
    return {"value": mv.value, "interval": list(mv.interval) if mv.interval else None, "verdict": mv.verdict}


def compare_doc(
    a: Take, b: Take, rows: list[ChangeRow], aligned: list[Alignment], shown: list[tuple[int, int]]
) -> dict[str, Any]:
    """The ``compare.json`` document (docs/outputs.md)."""
    errors = [x.error_frames for x in aligned if x.error_frames is not None]
    return clean_json(
        {
            "formcheck_version": __version__,
            "view": a.doc.get("view"),
            "a": _take_doc(a),
            "b": _take_doc(b),
            "summary": headline(rows),
            "metrics": [
                {
                    "id": r.metric,
                    "title": r.title,
                    "unit": r.unit,
                    "a": _metric_doc(r.a),
                    "b": _metric_doc(r.b),
                    "change": r.change,
                    "words": r.words,
                    "sdd": r.sdd,
                }
                for r in rows
            ],
            "sync": {
                "method": SYNC_METHOD,
                "landings": [
                    {
                        "side": x.side,
                        "a_contact_s": x.a_s,
                        "b_contact_s": x.b_s,
                        "a_frame": x.a_frame,
                        "b_contact_frame": x.b_contact_frame,
                        "b_shown_frame": x.b_shown_frame,
                        "error_frames": x.error_frames,
                    }
                    for x in aligned
                ],
                "matched": len(aligned),
                "within_one_frame": sum(abs(e) <= 1 for e in errors),
                "max_error_frames": max((abs(e) for e in errors), default=None),
                "frames": [list(s) for s in shown],
            },
        }
    )


def check_compare_dir(folder: Path) -> None:
    """Raise OutputError (one line) unless formcheck compare may write ``folder``: it does not exist, is empty, or
    is a compare folder formcheck wrote."""
    check_folder_kind(folder, COMPARE)
    try:
        if not folder.exists() and not folder.is_symlink():
            return
        a_folder = folder.is_dir() and not folder.is_symlink()
        if a_folder and (folder_kind(folder) == COMPARE or not any(folder.iterdir())):
            return
    except OSError as e:
        raise OutputError(os_error_message(e, folder)) from e
    raise OutputError(
        f"{folder} already exists and was not written by formcheck compare: choose another folder with -o"
    )


def _write_folder(folder: Path, write) -> Any:
    """``write(tmp)`` into the compare folder, atomically, ``compare.json`` last (formcheck/outputs.py)."""
    return write_folder(folder, write, COMPARE_MARKER, COMPARE_MARKER_TEXT, _OWN_FILES, last="compare.json")
