"""``formcheck reanalyze CLIPDIR...``: re-run the metrics of analysed clips from their cached landmarks (no pose
model), e.g. judged again with a ``--config`` or at a ``--speed``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.cli.common import (
    CONFIG_HELP,
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_PARTIAL,
    add_config_argument,
    add_speed_argument,
    add_view_argument,
    positive_float,
    print_error,
    print_summary,
    with_config,
)
from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError
from formcheck.safe_text import for_terminal

if TYPE_CHECKING:
    from formcheck.model import Analysis

NAME = "reanalyze"


def add_parser(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser(NAME, help="re-run the metrics of analysed clips from their cached landmarks")
    r.add_argument("clip_dirs", nargs="+", metavar="CLIPDIR", help="OUTDIR/<clip> folders")
    r.add_argument("--height-cm", type=positive_float, default=None)
    add_view_argument(r)
    add_config_argument(r, CONFIG_HELP + " (re-judges the clip)")
    add_speed_argument(r)
    r.add_argument(
        "--redraw",
        action="store_true",
        help="draw annotated.mp4 again from the source video even if what it draws did not change (by default "
        "it is redrawn only when it did)",
    )
    r.add_argument("--json", action="store_true")
    r.add_argument("--quiet", action="store_true")


def run(args: argparse.Namespace) -> int:
    from formcheck.config import with_speed
    from formcheck.pipeline import reanalyze
    from formcheck.report.json_out import to_json

    settings = with_config(
        AnalysisSettings(view=args.view, height_cm=args.height_cm, write_video=False), args.config
    )
    settings = with_speed(settings, args.speed)
    failures = 0
    for clip_dir in args.clip_dirs:
        try:
            analysis = reanalyze(clip_dir, settings, redraw=args.redraw)
        except FormcheckError as e:
            print_error(for_terminal(str(e)))
            failures += 1
            continue
        if args.json:
            print(to_json(analysis, indent=None), flush=True)
        elif not args.quiet:
            print_summary(_not_said_twice(analysis), Path(clip_dir))
    if failures == 0:
        return EXIT_OK
    return EXIT_BAD_INPUT if failures == len(args.clip_dirs) else EXIT_PARTIAL


def _not_said_twice(analysis: Analysis) -> Analysis:
    """The analysis without the kept-video warning, which ``reanalyze`` has just said on stderr."""
    import dataclasses

    from formcheck.model import EARLIER_VIDEO_LINE

    if analysis.earlier_video is None:
        return analysis

    kept = tuple(w for w in analysis.warnings if not w.startswith(EARLIER_VIDEO_LINE))
    return dataclasses.replace(analysis, warnings=kept)
