"""The two takes of ``formcheck compare``: each a video (analysed first, into ``OUTDIR/<stem>/`` as ``analyze``
does) or a clip folder that ``analyze`` wrote (its analysis is rebuilt from the landmark cache, without the pose
model, and its source video, recorded in analysis.json, is decoded again for the picture). Bad input raises
``UsageError`` with one line that says what to do."""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.config import AnalysisSettings
from formcheck.errors import UsageError
from formcheck.history_dates import recording_date
from formcheck.model import Analysis
from formcheck.outputs import clip_outdir
from formcheck.pipeline import analyze_clip, sha256_file
from formcheck.report.json_out import load_analysis, person_track_of, pose_warnings_of, settings_of
from formcheck.report.landmarks import load_landmarks
from formcheck.report.views import VIEW_WORDS
from formcheck.sole_timing import reused_sole_timing, sole_contact_timing
from formcheck.trajectory_analysis import measure, prepare

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Take:
    """One take: its name, clip folder, analysis.json document, the analysis rebuilt for drawing, and when it was
    recorded (``recorded_at``, from ``date_source``)."""

    name: str
    clip_dir: Path
    doc: dict[str, Any]
    analysis: Analysis
    recorded_at: datetime
    date_source: str

    @property
    def video_path(self) -> Path:
        return Path(self.analysis.video.path)


def clip_folder_of(
    path: str | os.PathLike[str], outdir: Path, settings: AnalysisSettings, clip_dir: Path | None = None
) -> Path:
    """The clip folder of a take: the folder itself, or for a video ``clip_dir`` (default ``OUTDIR/<stem>``),
    analysed there first unless it already holds an analysis of the very same file."""
    p = Path(path)
    if p.is_dir():
        return p
    if not p.exists():
        raise UsageError(f"{p} does not exist: give a video or a clip folder written by 'formcheck analyze'")
    folder = clip_dir if clip_dir is not None else clip_outdir(outdir, p)
    if _analysed_already(folder, p):
        log.info("reusing the analysis of %s in %s", p.name, folder)
    else:
        analyze_clip(p, outdir, settings, clip_dir=folder)
    return folder


def _analysed_already(folder: Path, video: Path) -> bool:
    """True when ``folder`` holds an analysis of exactly this file (same SHA-256) and its landmark cache."""
    if not (folder / "analysis.json").is_file() or not (folder / "landmarks.npz").is_file():
        return False
    try:
        doc = load_analysis(folder)
    except Exception:  # noqa: BLE001  # anything unreadable is analysed again
        return False
    return doc.get("input", {}).get("sha256") == sha256_file(video)


def read_folder(folder: Path) -> dict[str, Any]:
    """A clip folder's analysis.json, once its landmarks.npz and the source video it names are found there, and
    the video is the one analysed."""
    if not (folder / "analysis.json").is_file():
        raise UsageError(
            f"{folder} has no analysis.json: give a video, or a clip folder written by 'formcheck analyze'"
        )
    doc = load_analysis(folder)
    if not (folder / "landmarks.npz").is_file():
        raise UsageError(
            f"{folder} has no landmarks.npz: run 'formcheck analyze' on the clip again, or give the video"
        )
    source = Path(str(doc["input"].get("path") or ""))
    if not source.is_file():
        raise UsageError(
            f"the video that {folder}/analysis.json was made from, {source}, is missing: put it back, or give "
            "the video itself instead of the folder"
        )
    sha = doc["input"].get("sha256") or ""
    if sha and sha256_file(source) != sha:
        raise UsageError(
            f"{source} is not the video analysed in {folder} (its contents changed): run 'formcheck analyze' "
            "on it again, or give the video itself"
        )
    return doc


def take_from_folder(folder: Path, doc: dict[str, Any]) -> Take:
    """The take of a clip folder whose ``doc`` ``read_folder`` returned: its analysis rebuilt from the landmark
    cache with the settings and view it was made with (no pose model)."""
    source = Path(str(doc["input"]["path"]))
    sha = doc["input"].get("sha256") or ""
    raw = load_landmarks(folder / "landmarks.npz")
    raw = raw.replace(video=dataclasses.replace(raw.video, path=str(source)))
    settings = settings_of(doc) or AnalysisSettings()
    settings = dataclasses.replace(settings, view=str(doc.get("view") or settings.view))
    from formcheck.pose.pelvis import PELVIS_FILE, load_pelvis
    from formcheck.sole_contacts import SOLE_CONTACTS_FILE, load_sole_contacts

    # A "sole" contact timing: what analyze measured (sole_contacts.npz), else redone from the source (read_folder
    # checked it is the analysed video).
    prepared = prepare(raw, settings, warnings=pose_warnings_of(doc))
    sole_record = load_sole_contacts(folder / SOLE_CONTACTS_FILE)
    if sole_record is not None:
        prepared = reused_sole_timing(prepared, settings, sole_record)
    else:
        prepared = sole_contact_timing(source, prepared, settings)
    analysis = measure(
        prepared,
        settings,
        pose_model=str(doc.get("pose", {}).get("model", "unknown")),
        input_sha256=sha,
        pelvis_evidence=load_pelvis(folder / PELVIS_FILE),
    )
    analysis = dataclasses.replace(
        analysis, pose_warnings=pose_warnings_of(doc), person_track=person_track_of(doc)
    )
    recorded_at, date_source = recording_date(source)
    return Take(source.stem, folder, doc, analysis, recorded_at, date_source)


def check_same_view(doc_a: dict[str, Any], doc_b: dict[str, Any]) -> None:
    """Refuse two takes filmed from different views: their metrics and pictures cannot be compared."""
    va, vb = doc_a.get("view"), doc_b.get("view")
    if va != vb:
        name_a, name_b = (Path(str(d["input"].get("path") or "?")).stem for d in (doc_a, doc_b))
        raise UsageError(
            f"{name_a} was filmed {VIEW_WORDS.get(va, va)} and {name_b} {VIEW_WORDS.get(vb, vb)}: compare "
            "needs two clips filmed from the same view (side with side)"
        )
