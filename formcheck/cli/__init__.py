"""The command line: parse, configure logging and progress, call the pipeline or batch. No analysis here.

One module per command (its subparser and handler: analyze, reanalyze, batch, share, history, compare); what they
share (exit codes, common options, the one-line error) is in ``common``. This module builds the parser and
dispatches; ``main`` is the console entry point (``formcheck``, ``python -m formcheck.cli``).

Exit codes (OUTPUTS.md): 0 every clip analysed; 2 bad input or usage (one line on stderr); 3 some clips failed;
1 a bug (traceback).
"""

from __future__ import annotations

import argparse

from formcheck.cli import analyze, batch, compare, history, reanalyze, share
from formcheck.cli.common import EXIT_BAD_INPUT, UsageParser, configure_logging, print_error
from formcheck.errors import FormcheckError
from formcheck.safe_text import for_terminal
from formcheck.version import __version__

COMMANDS = (analyze, reanalyze, batch, share, history, compare)  # in the order --help lists them


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(prog="formcheck", description="Running-form analysis from video.")
    parser.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=UsageParser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        print_error("no command given: run formcheck analyze run.mp4 -o out (formcheck --help lists all)")
        return EXIT_BAD_INPUT
    configure_logging(getattr(args, "quiet", False), getattr(args, "verbose", False))
    handlers = {command.NAME: command.run for command in COMMANDS}
    try:
        return handlers[args.command](args)
    except FormcheckError as e:
        print_error(for_terminal(str(e)))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as e:
        how = "terminated" if isinstance(e, Terminated) else "interrupted"
        print_error(f"{how}; finished clips are kept, the unfinished one was not written")
        return 143 if isinstance(e, Terminated) else 130


__all__ = ["build_parser", "main"]
