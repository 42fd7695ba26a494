"""One athlete's sessions as a CSV table (``OUTDIR/athletes/<name>.csv``, ``formcheck history ATHLETE --csv``):
one row per session, oldest first: date and where it came from, the clip, its report, then each followed metric's
value, verdict and change since the session before (formcheck/history.py ``compare``), and last why the
session's verdicts were withheld (empty when they were given): such a session is not compared, and the next one is
compared with the latest session with verdicts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from formcheck.history import Session, trend
from formcheck.metrics.registry import HISTORY_IDS, REGISTRY
from formcheck.report.csv_out import column_name
from formcheck.safe_text import csv_cell


def history_columns() -> list[str]:
    cols = ["athlete", "date", "date_source", "clip", "report"]
    for mid in HISTORY_IDS:
        cols += [column_name(mid, REGISTRY[mid].unit), f"{mid}_verdict", f"{mid}_change"]
    return [*cols, "verdicts_withheld", "contact_timing"]


def sessions_csv(sessions: Sequence[Session], report_href: Callable[[Session], str] | None = None) -> str:
    """The table's text; ``report_href`` gives each session's report link (default: its stored path)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(history_columns())
    for r in trend(sessions):
        s = r.session
        report = report_href(s) if report_href is not None else (s.report_path or "")
        row: list[object] = [
            s.athlete,
            s.recorded_at.isoformat(sep=" ", timespec="seconds"),
            s.date_source,
            s.clip_path,
            report,
        ]
        for mid in HISTORY_IDS:
            mv = s.metrics.get(mid)
            row += [
                "" if mv is None or mv.value is None else mv.value,
                mv.verdict if mv else "",
                r.changes[mid],
            ]
        row += [s.verdicts_withheld, s.contact_timing]
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()
