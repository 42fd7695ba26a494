"""summary.csv and the roster/index tables of a batch."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from pathlib import Path

from formcheck.batch.constants import INDEX_NAME, SUMMARY_NAME
from formcheck.batch.jobs import ClipOutcome
from formcheck.metrics.registry import HISTORY_IDS, REGISTRY
from formcheck.safe_text import csv_cell

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3


def summary_columns() -> list[str]:
    from formcheck.report.csv_out import column_name

    cols = ["clip", "athlete", "date", "status", "error", "output"]
    for mid in HISTORY_IDS:
        cols += [column_name(mid, REGISTRY[mid].unit), f"{mid}_verdict"]
    return cols


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
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def _write_tables(outdir: Path, outcomes: Sequence[ClipOutcome], db: Path) -> None:
    from formcheck.batch.roster import roster_html
    from formcheck.files import write_text_atomic

    write_text_atomic(outdir / SUMMARY_NAME, summary_csv(outcomes))
    write_text_atomic(outdir / INDEX_NAME, roster_html(outcomes, db, outdir))
