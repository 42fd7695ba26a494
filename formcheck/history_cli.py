"""``formcheck history ATHLETE``: one athlete's sessions from the history database as a trend table on stdout,
and the trend plot written beside the database (or to ``-o DIR``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formcheck.history import format_trend_table, trend
from formcheck.report.trends import plot_trends, trend_plot_name
from formcheck.safe_text import for_terminal
from formcheck.store import DEFAULT_DB_NAME, Store


def _default_db() -> Path:
    return Path("formcheck-out") / DEFAULT_DB_NAME


def run_history_cli(args: argparse.Namespace) -> int:
    """``formcheck history ATHLETE [--db PATH] [-o DIR]``: trend table on stdout, trend plot written to DIR
    (default: the database's folder). Exit 2 for a missing database or an unknown athlete."""
    db = Path(args.db) if args.db else _default_db()
    if not db.is_file():
        print(
            f"formcheck: no history database at {db}: run 'formcheck batch FOLDER -o OUTDIR' first or pass --db",
            file=sys.stderr,
        )
        return 2
    with Store(db) as store:
        known = store.athletes()
        if args.athlete not in known:
            names = ", ".join(known) if known else "none yet"
            print(
                for_terminal(
                    f"formcheck: no sessions for athlete {args.athlete!r} in {db}; known athletes: {names}"
                ),
                file=sys.stderr,
            )
            return 2
        sessions = store.sessions(args.athlete)
    rows = trend(sessions)
    print(f"{for_terminal(args.athlete)}: {len(sessions)} session(s)")
    print(format_trend_table(rows))
    print(
        "changes smaller than the smallest detectable difference, or within both sessions' intervals, are "
        "'no real change'"
    )
    outdir = Path(args.outdir) if args.outdir else db.parent
    path = plot_trends(sessions, outdir / trend_plot_name(args.athlete))
    print(f"trend plot: {path}")
    return 0
