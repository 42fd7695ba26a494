"""``formcheck batch FOLDER -o OUTDIR``: every clip in a folder tree, its athletes and dates (the work is in
formcheck/batch)."""

from __future__ import annotations

import argparse

from formcheck.cli.common import (
    EXIT_BAD_INPUT,
    add_blur_faces_argument,
    add_capture_fps_argument,
    add_config_argument,
    add_model_argument,
    add_outdir_argument,
    add_speed_argument,
    print_error,
)

NAME = "batch"


def add_parser(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(NAME, help="analyse every clip in a folder tree")
    b.add_argument("folder", metavar="FOLDER", help="folder searched recursively for videos (by content)")
    add_outdir_argument(b)
    b.add_argument("--workers", type=int, default=None, help="parallel clips (default: number of cores)")
    b.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask cluster at ADDRESS (host:port); trust it: Dask unpickles what its workers send back",
    )
    b.add_argument("--athlete-from-folder", action="store_true", help="athlete = each clip's folder name")
    b.add_argument("--athlete", default=None, help="athlete of this run's new (or 'unknown') clips")
    b.add_argument(
        "--db", default=None, metavar="PATH", help="history database (default OUTDIR/formcheck.db)"
    )
    b.add_argument("--no-video", action="store_true", help="skip the annotated videos")
    add_model_argument(b)
    add_config_argument(b)
    add_speed_argument(b)
    b.add_argument("--quiet", action="store_true", help="no progress or log output")
    b.add_argument("--roster", default=None, metavar="FILE", help="CSV with columns file,athlete,date")
    b.add_argument(
        "--date", default=None, metavar="YYYY-MM-DD", help="recording date of this run's new clips"
    )
    add_capture_fps_argument(
        b, "for slow-motion clips whose files do not say: the frame rate they were filmed at (e.g. 120)"
    )
    add_blur_faces_argument(b)


def run(args: argparse.Namespace) -> int:
    try:
        from formcheck.batch.command import run_batch_cli
    except ImportError:
        print_error("batch processing is not available in this version")
        return EXIT_BAD_INPUT
    return run_batch_cli(args)
