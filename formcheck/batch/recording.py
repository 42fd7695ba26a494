"""What a batch does as each clip finishes: the outcome goes into the ledger and the history database, the clip's
report gets its athlete, date and links, and OUTDIR's tables, roster and athlete pages are rewritten (atomically),
so an interrupted batch loses nothing finished."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import replace
from pathlib import Path

from formcheck.batch.constants import INDEX_NAME, Progress
from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.ledger import Ledger, read_clip, save_ledger, sorted_clips
from formcheck.batch.plan import ClipMeta
from formcheck.batch.roster_files import ATHLETES_DIR, athlete_href, athlete_stems, written_by_formcheck
from formcheck.batch.sessions import SessionLink, write_two_view_sessions
from formcheck.batch.summary import write_tables
from formcheck.errors import FormcheckError
from formcheck.history import Session
from formcheck.report.context import ReportContext, set_report_context
from formcheck.store import Store

log = logging.getLogger(__name__)

_PAGE_REL = re.compile(rf"^{ATHLETES_DIR}/[A-Za-z0-9._-]+\.(?:html|csv)$")


def remove_stale_pages(out: Path, ledger: Ledger, current: list[str]) -> None:
    """Athlete pages an earlier run wrote for an athlete who has no clip now (renamed): removed, never a file
    formcheck did not write. The ledger is a file in OUTDIR anyone can edit: only ``athletes/<name>.html|csv``
    inside OUTDIR/athletes that carries formcheck's mark is removed."""
    pages_dir = (out / ATHLETES_DIR).resolve()
    for rel in set(ledger.pages) - set(current):
        path = out / rel
        if not _PAGE_REL.match(rel) or path.parent.resolve() != pages_dir or not written_by_formcheck(path):
            log.info("not removing %s: not an athlete page formcheck wrote", path)
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as e:
            log.info("cannot remove %s: %s", path, e)
    ledger.pages = list(current)


class BatchRecorder:
    """Records each clip's outcome as it finishes (``record``, the runners' sink) and keeps OUTDIR's batch files
    current. ``store`` is None when the history database could not be opened: the clips are still recorded in
    the ledger and tables, and named in ``history_errors``."""

    def __init__(
        self,
        out: Path,
        ledger: Ledger,
        store: Store | None,
        meta: dict[str, ClipMeta],
        replaced: dict[str, str],
        total: int,
        progress: Progress | None,
    ) -> None:
        self.out = out
        self.ledger = ledger
        self.store = store
        self.meta = meta
        self.replaced = replaced
        self.total = total
        self.progress = progress
        self.results: dict[str, ClipOutcome] = {}
        self.failed = 0
        self.history_errors: list[str] = []
        self.written: dict[str, str] = {}  # OUTDIR's pages and tables as last written (roster.write_pages)
        # side + rear/front pairs of one athlete and day, as session reports
        self.two_view: list[SessionLink] = []

    def sessions(self) -> dict[str, list[Session]]:
        """Each athlete's sessions: this folder's clips, and those the database holds from elsewhere."""
        by: dict[str, list[Session]] = {}
        for key in self.ledger.clips:
            s = self.ledger.session(key, self.out)
            if s is not None:
                by.setdefault(s.athlete, []).append(s)
        if self.store is not None:
            mine = {o.sha256 for o in self.ledger.clips.values()}
            here = (
                str(self.out.resolve()) + os.sep
            )  # this folder's clips are the ledger's (a removed folder: gone)
            for a in list(by):
                try:
                    by[a] += [
                        s
                        for s in self.store.sessions(a)
                        if s.sha256 not in mine and not (s.report_path or "").startswith(here)
                    ]
                except FormcheckError as e:
                    log.info("no sessions from the history database: %s", e)
        return by

    def write_sessions(self) -> None:
        """Write the session reports of the clips filmed from two views."""
        self.two_view[:] = write_two_view_sessions(self.out, self.ledger.clips.values())

    def write_all(self) -> None:
        """Rewrite the summary, roster and athlete pages, remove stale pages and save the ledger."""
        current = write_tables(
            self.out, sorted_clips(self.ledger.clips.values()), self.sessions(), self.written, self.two_view
        )
        remove_stale_pages(self.out, self.ledger, current)
        save_ledger(self.out, self.ledger)

    def record(self, o: ClipOutcome, write: bool = True) -> None:
        """Record one clip's outcome; ``write``: rewrite OUTDIR's tables now (clips already up to date are
        written once, after all of them)."""
        out, ledger, store = self.out, self.ledger, self.store
        m = self.meta[o.rel]
        key, rec, src = m.key, m.recorded_at, m.date_source
        # An unreadable file has no content hash: its key is "path:<absolute path>", its sha256 empty.
        o = replace(o, recorded_at=rec, date_source=src, source=m.source, sha256=o.sha256 or m.digest)
        if o.ok:
            doc = read_clip(out, o.name)
            if doc is not None:
                ledger.read_analysis(key, doc)
        self.results[o.rel] = o
        ledger.clips[key] = o
        self.failed += not o.ok
        if key in self.replaced and store is not None:
            try:
                store.remove_clip(self.replaced.pop(key), str((out / o.name / "report.html").resolve()))
            except FormcheckError as e:
                log.info("%s", e)
        if o.ok and store is None:
            self.history_errors.append(o.rel)
        elif o.ok:
            try:
                session = ledger.session(key, out)
                assert session is not None
                store.upsert_session(session, sole_owner=True)
            except FormcheckError as e:  # the clip's outputs and summary row are kept; the batch goes on
                if not self.history_errors:
                    log.warning("%s", e)
                self.history_errors.append(o.rel)
        if o.ok:
            stems = athlete_stems({c.athlete for c in ledger.clips.values()})
            links = (
                ("roster", f"../{INDEX_NAME}"),
                (f"{o.athlete}'s page", athlete_href(o.athlete, stems, "../")),
            )
            set_report_context(
                out / o.name / "report.html", ReportContext(o.athlete, f"{rec:%Y-%m-%d} ({src})", links)
            )
            log.info("%s: ok%s", o.rel, " (up to date)" if o.skipped else f" in {o.seconds:.1f} s")
        else:
            log.info("%s: %s", o.rel, o.error)
        if write:
            self.write_all()
        if self.progress is not None:
            self.progress(len(self.results), self.failed, self.total)
