"""summary.csv and the roster/index tables of a batch."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from formcheck.batch.constants import SUMMARY_NAME
from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.sessions import SessionLink
from formcheck.history import Session
from formcheck.metrics.registry import HISTORY_IDS, REGISTRY
from formcheck.safe_text import csv_cell

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3


def summary_columns() -> list[str]:
    from formcheck.report.csv_out import column_name

    cols = ["clip", "athlete", "date", "status", "error", "output"]
    for mid in HISTORY_IDS:
        cols += [column_name(mid, REGISTRY[mid].unit), f"{mid}_verdict"]
    return [*cols, "date_source"]  # extension: where the date came from (formcheck/batch/meta.py)


def summary_csv(outcomes: Sequence[ClipOutcome]) -> str:
    """``summary.csv`` text: one row per clip (OUTPUTS.md), every headline metric with its verdict."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(summary_columns())
    for o in outcomes:
        row: list[object] = [
            o.rel,
            o.athlete,
            o.recorded_at.isoformat(sep=" ", timespec="seconds") if o.recorded_at else "",
            o.status,
            o.error,
            f"{o.name}/report.html" if o.ok else "",
        ]
        for mid in HISTORY_IDS:
            m = o.metrics.get(mid, {})
            v = m.get("value")
            row += ["" if v is None else v, m.get("verdict", "") if o.ok else ""]
        row.append(o.date_source)
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def write_tables(
    outdir: Path,
    clips: Sequence[ClipOutcome],
    sessions: Mapping[str, Sequence[Session]],
    written: dict[str, str],
    two_view: Sequence[SessionLink] = (),
) -> list[str]:
    """summary.csv, then the pages (formcheck/batch/roster.py); returns the athlete files now current."""
    from formcheck.batch.roster import write_pages
    from formcheck.files import write_text_atomic

    text = summary_csv(clips)
    if written.get(SUMMARY_NAME) != text or not (outdir / SUMMARY_NAME).is_file():
        write_text_atomic(outdir / SUMMARY_NAME, text)
        written[SUMMARY_NAME] = text
    return write_pages(outdir, sessions, clips, written, two_view)
