"""``formcheck history [ATHLETE]``: trends of one runner across analysed sessions (the work is in
formcheck/history_cli.py)."""

from __future__ import annotations

import argparse

from formcheck.cli.common import EXIT_BAD_INPUT, print_error

NAME = "history"


def add_parser(sub: argparse._SubParsersAction) -> None:
    h = sub.add_parser(NAME, help="trends of one runner across analysed sessions")
    h.add_argument(
        "athlete", metavar="ATHLETE", nargs="?", default=None, help="default: the only one, or 'me'"
    )
    h.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="history database (default: your own, as analyze writes it)",
    )
    h.add_argument(
        "-o", "--outdir", default=None, help="where to write the trend plot (default: the database's folder)"
    )
    h.add_argument("--csv", default=None, metavar="FILE", help="also write the athlete's sessions as CSV")


def run(args: argparse.Namespace) -> int:
    try:
        from formcheck.history_cli import run_history_cli
    except ImportError:
        print_error("athlete history is not available in this version")
        return EXIT_BAD_INPUT
    return run_history_cli(args)
