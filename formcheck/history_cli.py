"""A runner's own history: ``formcheck analyze`` records each clip as a session (``record_clip``), and
``formcheck history [ATHLETE]`` prints one athlete's sessions as a trend table on stdout, writes the trend plot
beside the database (or to ``-o DIR``) and, with ``--csv FILE``, the sessions as CSV.

The database is the runner's own (``$XDG_DATA_HOME/formcheck/history.db``, else
``~/.local/share/formcheck/history.db``) unless ``--db`` names another, e.g. a batch's ``OUTDIR/formcheck.db``.
A clip is keyed by its content (SHA-256): analysing the same recording again updates its session, never adds one.
The athlete is ``me`` unless ``--athlete`` says; a clip is in the history once: analysing it under another athlete
moves its session (the same recording and the same report folder). The date is ``--date``, else one a person gave
the clip before (``--date``, a batch's roster row), else a date in the file's name (``2026-05-01_tempo.mp4``), else
the file's own (its embedded creation time, else its modification time): ``history_dates.choose_date``."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.files import write_text_atomic
from formcheck.history import (
    Session,
    format_trend_table,
    metrics_from_analysis,
    normal_contact_timing,
    trend,
    trend_notes,
)
from formcheck.history_dates import (
    FROM_FLAG,
    USER_DATES,
    choose_date,
    default_history_db,
    parse_date,
)
from formcheck.model import Analysis
from formcheck.report.context import ReportContext, set_report_context
from formcheck.report.history_csv import sessions_csv
from formcheck.report.trends import plot_trends, trend_plot_name
from formcheck.safe_text import clean_text, for_terminal
from formcheck.store import DEFAULT_DB_NAME, Store

log = logging.getLogger(__name__)

DEFAULT_ATHLETE = "me"


def record_clip(
    analysis: Analysis, clip_dir: Path, db: str | None, athlete: str | None, date: str | None
) -> bool:
    """Record an analysed clip as a session of ``athlete`` and put who and when into its report. False (with one
    warning line) when the database cannot be written: the clip's outputs are kept."""
    from formcheck.report.json_out import analysis_to_dict

    who = clean_text(athlete) if athlete else DEFAULT_ATHLETE
    path = Path(db) if db else default_history_db()
    when, source = _clip_date(analysis, path, who, date)
    set_report_context(clip_dir / "report.html", ReportContext(who, f"{when:%Y-%m-%d} ({source})"))
    session = Session(
        athlete=who,
        recorded_at=when,
        clip_path=str(Path(analysis.video.path).resolve()),
        sha256=analysis.input_sha256,
        metrics=metrics_from_analysis(analysis_to_dict(analysis)),
        date_source=source,
        report_path=str((clip_dir / "report.html").resolve()),
        formcheck_version=analysis.formcheck_version,
        verdicts_withheld=analysis.verdicts_withheld,
        contact_timing=normal_contact_timing(analysis.events.contact_timing),
    )
    try:
        with Store(path) as store:
            # A clip folder is one athlete's: analysed under a new name, its session moves.
            store.upsert_session(session, sole_owner=True)
    except FormcheckError as e:
        print(
            f"formcheck: the clip's outputs are written but it is not in your history: {for_terminal(str(e))}"
            ", or pass --no-history",
            file=sys.stderr,
        )
        return False
    return True


def _clip_date(analysis: Analysis, db: Path, athlete: str, date: str | None) -> tuple[datetime, str]:
    """By ``history_dates.choose_date``, the order ``batch`` uses too: ``--date``, else a date a person gave this
    clip before (``--date`` or a roster row; the athlete's own session first), else a date in the file's name,
    else the file's own date."""
    given = (parse_date(date), FROM_FLAG) if date else None
    earlier = None
    if given is None and db.is_file():
        try:
            with Store(db) as store:
                typed = [
                    s for s in store.sessions_of_clip(analysis.input_sha256) if s.date_source in USER_DATES
                ]
        except FormcheckError:
            typed = []  # recording below says it in one line
        typed.sort(key=lambda s: s.athlete != athlete)
        if typed:
            earlier = (typed[0].recorded_at, typed[0].date_source)
    path = analysis.video.path
    return choose_date(path, Path(path).name, given, earlier)


def _pick_athlete(given: str | None, known: list[str]) -> str | None:
    if given:
        return given
    if len(known) == 1:
        return known[0]
    return DEFAULT_ATHLETE if DEFAULT_ATHLETE in known else None


def _default_db(athlete: str | None) -> Path:
    """The runner's own database; else, when it is missing or lacks the ``athlete`` named, and a batch wrote
    ``./formcheck-out/formcheck.db`` (``formcheck batch clips`` with no ``-o``: OUTPUTS.md's default), that one.
    Which one was read is said on stderr when it is the batch's."""
    own, batch_db = default_history_db(), Path("formcheck-out") / DEFAULT_DB_NAME
    if not batch_db.is_file():
        return own
    if own.is_file():
        try:
            with Store(own) as store:
                known = store.athletes()
        except FormcheckError:
            known = []
        if athlete is None or athlete in known:  # no name: pick among the own database's athletes
            return own
    why = "your own history has no such athlete" if own.is_file() else "no history of your own yet"
    print(f"formcheck: reading {for_terminal(str(batch_db))} ({why}; --db picks a database)", file=sys.stderr)
    return batch_db


def run_history_cli(args: argparse.Namespace) -> int:
    """``formcheck history [ATHLETE] [--db PATH] [-o DIR] [--csv FILE]``: trend table on stdout, trend plot
    written to DIR (default: the database's folder). Exit 2 for a missing database or an unknown athlete."""
    db = Path(args.db) if args.db else _default_db(args.athlete)
    if not db.is_file():
        print(
            f"formcheck: no history database at {for_terminal(str(db))}: analyse a clip first "
            "('formcheck analyze run.mp4'), or pass a batch's database with --db OUTDIR/formcheck.db",
            file=sys.stderr,
        )
        return 2
    with Store(db) as store:
        known = store.athletes()
        athlete = _pick_athlete(args.athlete, known)
        if athlete not in known:
            names = ", ".join(known) if known else "none yet"
            what = f"no sessions for athlete {athlete!r}" if athlete else "several athletes: name one"
            print(for_terminal(f"formcheck: {what} in {db}; known athletes: {names}"), file=sys.stderr)
            return 2
        sessions = store.sessions(athlete)
    rows = trend(sessions)
    print(f"{for_terminal(athlete)}: {len(sessions)} session(s)")
    print(format_trend_table(rows))
    for note in trend_notes(rows):
        print(for_terminal(note))
    print(
        "changes smaller than the smallest detectable difference, or within both sessions' intervals, are "
        "'no real change'"
    )
    outdir = Path(args.outdir) if args.outdir else db.parent
    if len(sessions) >= 2:
        path = plot_trends(sessions, outdir / trend_plot_name(athlete))
        print(f"trend plot: {path}")
    else:
        print("one session so far: the trend plot comes with the second")
    if getattr(args, "csv", None):
        try:
            csv_path = write_text_atomic(args.csv, sessions_csv(sessions))
        except (OSError, FormcheckError) as e:
            print(
                f"formcheck: cannot write --csv {for_terminal(args.csv)}: {for_terminal(str(e))}",
                file=sys.stderr,
            )
            return 2
        print(f"sessions: {csv_path}")
    return 0
