"""The batch's pages: ``OUTDIR/index.html`` lists the athletes, the one needing attention first (most flags in
their latest session, then borderline and watch verdicts, then failed clips), then every clip (sortable, cells
coloured by verdict, failed clips with their reason); ``OUTDIR/athletes/<name>.html`` is one athlete's page: the
trend plot as inline SVG (two sessions or more; one session is a table), every session with its change since the
one before and a link to its report, and the athlete's failed clips. A session whose verdicts were withheld (too few
usable steps) is shown apart (a hollow marker, a marked row) and is no basis for a change nor for who needs
attention: the athlete's latest session with verdicts is. Self-contained files: no network, open from
disk. ``roster.csv`` and ``athletes/<name>.csv`` carry the same as tables.

This module writes them all (``write_pages``) and makes ``roster.csv``; the pages are made by roster_index.py and
athlete_page.py (with roster_html.py, what they share), who needs attention first by roster_summary.py, and the
files' names and formcheck's mark on them are in roster_files.py."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from formcheck.batch.athlete_page import athlete_html, report_href
from formcheck.batch.constants import INDEX_NAME
from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.roster_files import (
    ATHLETES_DIR,
    ROSTER_CSV,
    athlete_href,
    athlete_stems,
    written_by_formcheck,
)
from formcheck.batch.roster_index import index_html
from formcheck.batch.roster_summary import AthleteSummary, summarize
from formcheck.batch.sessions import SessionLink
from formcheck.files import write_text_atomic
from formcheck.history import Session
from formcheck.report.history_csv import sessions_csv
from formcheck.safe_text import csv_cell

log = logging.getLogger(__name__)

_NOT_OURS = "\0not written by formcheck"  # in ``written``: a file left alone (warned once)


def roster_csv(summaries: Sequence[AthleteSummary], pages: Mapping[str, str]) -> str:
    """``roster.csv``: one row per athlete in the index's order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "athlete",
            "sessions",
            "latest_date",
            "flags",
            "borderline",
            "watch",
            "failed_clips",
            "page",
            "csv",
            "latest_verdicts_withheld",
        ]
    )
    for s in summaries:
        w.writerow(
            [
                csv_cell(c)
                for c in (
                    s.athlete,
                    len(s.sessions),
                    s.latest.recorded_at.isoformat(sep=" ", timespec="seconds") if s.latest else "",
                    s.flags,
                    s.borderline,
                    s.watch,
                    len(s.failed),
                    athlete_href(s.athlete, pages),
                    f"{ATHLETES_DIR}/{pages[s.athlete]}.csv",
                    s.latest.verdicts_withheld if s.latest is not None else "",
                )
            ]
        )
    return buf.getvalue()


def write_pages(
    outdir: Path,
    sessions: Mapping[str, Sequence[Session]],
    clips: Sequence[ClipOutcome],
    written: dict[str, str],
    two_view: Sequence[SessionLink] = (),
) -> list[str]:
    """Write index.html, roster.csv and each athlete's page and CSV (only files whose text changed since
    ``written``, which is updated; never over a file formcheck did not write: ``written_by_formcheck``); returns
    the athlete files (relative to OUTDIR) now current."""
    summaries = summarize(sessions, clips)
    pages = athlete_stems(s.athlete for s in summaries)
    texts = {
        INDEX_NAME: index_html(summaries, clips, pages, two_view),
        ROSTER_CSV: roster_csv(summaries, pages),
    }
    for s in summaries:
        stem = pages[s.athlete]
        texts[f"{ATHLETES_DIR}/{stem}.html"] = athlete_html(s, outdir, stem)
        texts[f"{ATHLETES_DIR}/{stem}.csv"] = sessions_csv(s.sessions, lambda x: report_href(x, outdir))
    for rel, text in texts.items():
        if written.get(rel) == _NOT_OURS:
            continue
        if written.get(rel) != text or not (outdir / rel).is_file():
            path = outdir / rel
            if rel != INDEX_NAME and rel not in written and path.exists() and not written_by_formcheck(path):
                log.warning(
                    "%s was not written by formcheck: left as it is (move it away to get this table)", path
                )
                written[rel] = _NOT_OURS
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
            written[rel] = text
    return [rel for rel in texts if rel.startswith(ATHLETES_DIR + "/") and written.get(rel) != _NOT_OURS]
