"""What an output folder holds, across batches: every clip once, keyed by its content (SHA-256), with its folder
name, athlete, recording date (and where the date came from), status and error. Kept in
``OUTDIR/.formcheck-roster.json`` so a later batch (the whole team, one athlete's folder, the same again with
video) merges into the roster instead of replacing it, and keeps the folder names and athletes it had.

Clip folders in OUTDIR that the ledger does not know (an older formcheck, ``formcheck analyze -o OUTDIR``) are
adopted: athlete and date from the history database when it has the clip's session, else ``unknown`` and the
file's own date. A clip folder that was removed leaves the roster; so does a failed clip whose file is gone."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.batch.constants import UNKNOWN_ATHLETE
from formcheck.batch.jobs import ClipOutcome, metrics_summary
from formcheck.errors import FormcheckError
from formcheck.files import write_text_atomic
from formcheck.history import MetricValue, Session, contact_timing_of, metrics_from_analysis, withheld_reason
from formcheck.history_dates import FROM_MTIME
from formcheck.store import Store

log = logging.getLogger(__name__)

LEDGER_NAME = ".formcheck-roster.json"
_VERSION = 1
_FIELDS = ("name", "rel", "source", "athlete", "date_source", "status", "error", "sha256")


@dataclass
class Ledger:
    """The clips of one output folder (key: ``sha256``, or ``path:<absolute path>`` for an unreadable file)."""

    root: str | None = None  # the widest batch folder seen: new clips are named relative to it
    clips: dict[str, ClipOutcome] = field(default_factory=dict)
    metrics: dict[str, dict[str, MetricValue]] = field(default_factory=dict)  # key -> the session's metrics
    withheld: dict[str, str] = field(
        default_factory=dict
    )  # key -> why its verdicts were withheld ('' or absent: given)
    contact_timing: dict[str, str] = field(default_factory=dict)  # key -> "sole" or "landmarks"
    pages: list[str] = field(default_factory=list)  # athlete pages and CSVs written (relative to OUTDIR)

    def session(self, key: str, outdir: Path) -> Session | None:
        """The clip as a history session (ok clips with a date only)."""
        o = self.clips[key]
        if not o.ok or o.recorded_at is None:
            return None
        return Session(
            o.athlete,
            o.recorded_at,
            o.source,
            o.sha256,
            self.metrics.get(key, {}),
            o.date_source,
            str((outdir / o.name / "report.html").resolve()),
            o.formcheck_version,
            self.withheld.get(key, ""),
            self.contact_timing.get(key, "landmarks"),
        )

    def read_analysis(self, key: str, doc: dict[str, Any]) -> None:
        """Keep what the history needs of the clip's ``analysis.json``: its metrics and whether its verdicts were
        withheld."""
        self.metrics[key] = metrics_from_analysis(doc)
        self.withheld[key] = withheld_reason(doc)
        self.contact_timing[key] = contact_timing_of(doc)


def clip_key(sha256: str, path: str | Path) -> str:
    return sha256 or f"path:{Path(path).absolute()}"


def read_clip(outdir: Path, name: str) -> dict[str, Any] | None:
    """A clip folder's analysis.json, or None when it is missing or unreadable."""
    from formcheck.report.json_out import load_analysis

    p = outdir / name / "analysis.json"
    if not p.is_file():
        return None
    try:
        return load_analysis(p)
    except FormcheckError as e:
        log.info("%s: %s", p, e)
        return None


def with_analysis(o: ClipOutcome, doc: dict[str, Any]) -> ClipOutcome:
    return replace(
        o,
        status="ok",
        error="",
        metrics=metrics_summary(doc),
        formcheck_version=doc.get("formcheck_version", ""),
        settings=doc.get("settings"),
    )


def load_ledger(outdir: Path, db_path: Path | None) -> Ledger:
    """The output folder's ledger, checked against its clip folders (module docstring)."""
    ledger = Ledger()
    path = outdir / LEDGER_NAME
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.warning("%s is unreadable (%s); the roster is rebuilt from the clip folders", path, e)
    ledger.root = raw.get("root")
    ledger.pages = [str(p) for p in raw.get("pages", [])]
    claimed: set[str] = set()
    for item in raw.get("clips", []):
        try:
            key = str(item["key"])
            o = ClipOutcome(
                **{k: str(item.get(k, "")) for k in ("rel", "name", "athlete", "status")},
                error=str(item.get("error", "")),
                sha256=str(item.get("sha256", "")),
                recorded_at=datetime.fromisoformat(item["recorded_at"]) if item.get("recorded_at") else None,
                date_source=str(item.get("date_source", "")),
                source=str(item.get("source", "")),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if o.ok:
            doc = read_clip(outdir, o.name)
            if doc is None or doc.get("input", {}).get("sha256") != o.sha256:
                continue  # its folder was removed or holds another clip now
            o = with_analysis(o, doc)
            ledger.read_analysis(key, doc)
        elif not (o.source and Path(o.source).exists()):
            continue  # a failed clip whose file is gone
        ledger.clips[key] = o
        claimed.add(o.name)
    _adopt(ledger, outdir, claimed, db_path)
    return ledger


def _adopt(ledger: Ledger, outdir: Path, claimed: set[str], db_path: Path | None) -> None:
    """Clip folders of OUTDIR the ledger does not know, added with what the database says of them."""
    found = []
    if outdir.is_dir():
        for folder in sorted(outdir.iterdir()):
            if folder.name in claimed or folder.name.startswith(".") or not folder.is_dir():
                continue
            doc = read_clip(outdir, folder.name)
            sha = (doc or {}).get("input", {}).get("sha256")
            if doc is not None and sha and sha not in ledger.clips:
                found.append((folder.name, sha, doc))
    if not found:
        return
    known: dict[str, Session] = {}
    if db_path is not None and db_path.is_file():
        try:
            with Store(db_path) as st:
                for name, sha, _ in found:
                    report = str((outdir / name / "report.html").resolve())
                    for s in st.sessions_of_clip(sha):
                        if s.report_path == report or sha not in known:
                            known[sha] = s
        except FormcheckError as e:
            log.info("no athletes from the history database: %s", e)
    for name, sha, doc in found:
        if sha in ledger.clips:
            continue  # the same clip in two folders (an older formcheck): the first one is kept
        source = str(doc.get("input", {}).get("path", ""))
        s = known.get(sha)
        if s is not None:
            athlete, date, src = s.athlete, s.recorded_at, s.date_source
        else:
            p = Path(source) if source and Path(source).is_file() else outdir / name / "analysis.json"
            athlete, date, src = (
                UNKNOWN_ATHLETE,
                datetime.fromtimestamp(p.stat().st_mtime).replace(microsecond=0),
                FROM_MTIME,
            )
        o = ClipOutcome(
            Path(source).name or name,
            name,
            athlete,
            "ok",
            sha256=sha,
            recorded_at=date,
            date_source=src,
            source=source,
        )
        ledger.clips[sha] = with_analysis(o, doc)
        ledger.read_analysis(sha, doc)


def save_ledger(outdir: Path, ledger: Ledger) -> None:
    clips = []
    for key, o in ledger.clips.items():
        item = {k: getattr(o, k) for k in _FIELDS}
        item["key"] = key
        item["recorded_at"] = o.recorded_at.isoformat(timespec="seconds") if o.recorded_at else ""
        clips.append(item)
    doc = {"version": _VERSION, "root": ledger.root, "pages": sorted(set(ledger.pages)), "clips": clips}
    write_text_atomic(outdir / LEDGER_NAME, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def sorted_clips(clips: Iterable[ClipOutcome]) -> list[ClipOutcome]:
    """Roster order: athlete, then date, then clip path."""
    return sorted(clips, key=lambda o: (o.athlete.lower(), o.recorded_at or datetime.min, o.rel))


__all__ = ["LEDGER_NAME", "Ledger", "clip_key", "load_ledger", "save_ledger", "sorted_clips"]
