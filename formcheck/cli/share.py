"""``formcheck share CLIPDIR``: one self-contained HTML file of an analysed clip, to send (the work is in
formcheck/report/single_file.py; ``analyze --single-file`` writes the same file)."""

from __future__ import annotations

import argparse
import sys

from formcheck.cli.common import EXIT_OK
from formcheck.safe_text import for_terminal

NAME = "share"


def add_parser(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(NAME, help="make one self-contained HTML file of an analysed clip, to send")
    s.add_argument("clip_dir", metavar="CLIPDIR", help="an OUTDIR/<clip> folder written by formcheck analyze")
    s.add_argument("-o", "--output", default=None, metavar="FILE", help="default CLIPDIR/report-share.html")
    s.add_argument("--quiet", action="store_true", help="no output but errors")


def run(args: argparse.Namespace) -> int:
    from formcheck.report.single_file import share_clip_folder

    shared = share_clip_folder(args.clip_dir, args.output)
    if not args.quiet:
        note = "" if shared.faces_blurred else f"; {shared.blur_note}"
        size = f"{shared.size_bytes / 1e6:.1f} MB"
        print(f"formcheck: wrote {for_terminal(str(shared.path))} ({size}){note}", file=sys.stderr)
    return EXIT_OK
