"""``formcheck compare A B``: two takes side by side, synchronised at the landings: what changed (the work is in
formcheck/compare)."""

from __future__ import annotations

import argparse
import sys

from formcheck.cli.common import (
    EXIT_OK,
    add_config_argument,
    add_model_argument,
    add_outdir_argument,
    add_view_argument,
    positive_float,
    with_config,
)
from formcheck.config import AnalysisSettings
from formcheck.safe_text import for_terminal

NAME = "compare"


def add_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(NAME, help="two takes side by side, synchronised at the landings: what changed")
    c.add_argument("take_a", metavar="A", help="the earlier take: a video, or a clip folder 'analyze' wrote")
    c.add_argument("take_b", metavar="B", help="the later take: a video, or a clip folder 'analyze' wrote")
    add_outdir_argument(c)
    add_view_argument(c, help="for videos")
    c.add_argument("--height-cm", type=positive_float, default=None, help="runner's height, for videos")
    add_model_argument(c)
    add_config_argument(c)
    c.add_argument("--quiet", action="store_true", help="no progress or log output")


def run(args: argparse.Namespace) -> int:
    from formcheck.compare.run import run_compare

    settings = with_config(
        AnalysisSettings(view=args.view, height_cm=args.height_cm, model_path=args.model), args.config
    )
    result = run_compare(args.take_a, args.take_b, args.outdir, settings)
    if not args.quiet:
        counts = {k: sum(r.change == k for r in result.rows) for k in ("improved", "worse", "no real change")}
        errors = [abs(x.error_frames) for x in result.aligned if x.error_frames is not None]
        print(
            for_terminal(
                f"{result.a.name} -> {result.b.name}: {counts['improved']} improved, {counts['worse']} worse, "
                f"{counts['no real change']} no real change; {sum(e <= 1 for e in errors)} of {len(errors)} "
                "landings lined up within one frame"
            ),
            file=sys.stderr,
        )
        print(f"  report: {for_terminal(str(result.folder / 'report.html'))}", file=sys.stderr)
    return EXIT_OK
