"""``formcheck analyze VIDEO... -o OUTDIR``: analyse clips one by one, record them in the runner's history, and with
``--session`` join a side clip and a rear or front clip of one run in one report (formcheck/session.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formcheck.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_PARTIAL,
    VIEWS,
    ProgressBar,
    add_blur_faces_argument,
    add_capture_fps_argument,
    add_config_argument,
    add_model_argument,
    add_outdir_argument,
    add_speed_argument,
    add_view_argument,
    positive_float,
    print_error,
    print_summary,
    settings_from_args,
)
from formcheck.errors import FormcheckError
from formcheck.safe_text import for_terminal

NAME = "analyze"


def add_parser(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser(NAME, help="analyse one or more clips")
    a.add_argument("videos", nargs="+", metavar="VIDEO")
    add_outdir_argument(a)
    add_view_argument(a)
    a.add_argument("--height-cm", type=positive_float, default=None, help="runner's height, for centimetres")
    a.add_argument("--start", type=positive_float, default=None, metavar="S", help="analyse from S seconds")
    a.add_argument("--end", type=positive_float, default=None, metavar="S", help="analyse up to S seconds")
    a.add_argument("--no-video", action="store_true", help="skip the annotated video")
    a.add_argument(
        "--crop",
        choices=("none", "runner"),
        default="none",
        help="runner: the annotated video follows the runner in a square window (for a small runner in a wide clip)",
    )
    add_capture_fps_argument(
        a, "for a slow-motion clip whose file does not say: the frame rate it was filmed at (e.g. 120)"
    )
    add_model_argument(a)
    a.add_argument(
        "--person",
        type=int,
        default=None,
        metavar="N",
        help="with several people in frame, analyse track N (the tracks are listed in the warnings)",
    )
    a.add_argument(
        "--json", action="store_true", help="print each clip's analysis.json to stdout, one per line"
    )
    add_config_argument(a)
    add_speed_argument(a)
    a.add_argument("--quiet", action="store_true", help="no progress or log output")
    a.add_argument("-v", "--verbose", action="store_true", help="more log output")
    _add_session_options(a)
    _add_history_flags(a)
    add_blur_faces_argument(a)
    a.add_argument(
        "--single-file",
        action="store_true",
        help="also write report-share.html: the report with its video inside, one file to send to the athlete",
    )


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from formcheck.pipeline import analyze_clip
    from formcheck.report.json_out import to_json

    problem = _session_problem(args)
    if problem is not None:
        print_error(problem)
        return EXIT_BAD_INPUT
    settings = settings_from_args(args)
    history_problem = _history_problem(args)
    if history_problem is not None:
        print_error(history_problem)
        return EXIT_BAD_INPUT
    views = args.views or (settings.view,) * len(args.videos)
    failures = history_lost = 0
    done: list[tuple[Path, str]] = []
    clip_dirs = _clip_dirs(args.outdir, args.videos)
    for video, clip_dir, view in zip(args.videos, clip_dirs, views, strict=True):
        bar = ProgressBar(Path(video).name, enabled=not args.quiet)
        clip_settings = settings if view == settings.view else dataclasses.replace(settings, view=view)
        try:
            analysis = analyze_clip(video, args.outdir, clip_settings, progress=bar, clip_dir=clip_dir)
        except FormcheckError as e:
            bar.close()
            print_error(for_terminal(str(e)))
            failures += 1
            continue
        bar.close()
        done.append((clip_dir, analysis.view))
        if args.json:
            print(to_json(analysis, indent=None), flush=True)
        if not args.quiet:
            print_summary(analysis, clip_dir)
        if not args.no_history:
            from formcheck.history_cli import record_clip

            history_lost += not record_clip(analysis, clip_dir, args.db, args.athlete, args.date)
    code = EXIT_OK if failures == 0 else EXIT_BAD_INPUT if failures == len(args.videos) else EXIT_PARTIAL
    if code == EXIT_OK and history_lost and _history_asked(args):
        code = EXIT_PARTIAL  # every clip written, some not in the history asked for (one line each said so)
    if args.session:
        return _write_session(args.outdir, done, len(args.videos), code, args.quiet)
    return code


def _clip_dirs(outdir: str, videos: list[str]) -> list[Path]:
    """Each clip's folder, ``OUTDIR/<stem>``; a later clip whose stem another file of the same command already
    uses (``a/run.mp4 b/run.mp4``, compared without case) gets ``-<8 hex of sha1(its absolute path)>`` added."""
    import hashlib
    import os

    from formcheck.outputs import clip_outdir

    taken: dict[str, str] = {}
    dirs = []
    for video in videos:
        folder = clip_outdir(outdir, video)
        real = os.path.realpath(video)
        owner = taken.setdefault(folder.name.lower(), real)
        if owner != real:
            digest = hashlib.sha1(os.fsencode(real)).hexdigest()[:8]
            folder = folder.with_name(f"{folder.name}-{digest}")
            taken[folder.name.lower()] = real
        dirs.append(folder)
    return dirs


# --- a runner's history (formcheck/history_cli.py) ----------------------------------------------------------------


def _add_history_flags(a: argparse.ArgumentParser) -> None:
    """``analyze`` records each clip in the runner's own history database."""
    a.add_argument("--athlete", default=None, help="whose clips these are in the history (default 'me')")
    a.add_argument(
        "--date", default=None, metavar="YYYY-MM-DD", help="recording date (default: the file's own)"
    )
    a.add_argument(
        "--db", default=None, metavar="PATH", help="history database (default: per user, see docs)"
    )
    a.add_argument("--no-history", action="store_true", help="do not record the clips in the history")


def _history_asked(args: argparse.Namespace) -> bool:
    """The history was asked for (``--db``, ``--athlete``, ``--date``): failing to record it is exit 3. The
    default per-user history is a convenience: a read-only home (CI, containers) warns and exits 0."""
    return bool(args.db or args.athlete or args.date)


def _history_problem(args: argparse.Namespace) -> str | None:
    """A bad ``--date``, or one given with ``--no-history`` (it would be ignored), refused before any work."""
    if args.no_history and (args.date is not None or args.athlete is not None):
        flag = "--date" if args.date is not None else "--athlete"
        return f"{flag} is recorded in the history, which --no-history turns off: drop one of them"
    if args.date is not None:
        from formcheck.history_dates import parse_date

        try:
            parse_date(args.date)
        except FormcheckError as e:
            return str(e)
    return None


# --- --session: a side clip and a rear or front clip of one run, one session report (formcheck/session.py) --------


def _view_pair(text: str) -> tuple[str, str]:
    views = tuple(v.strip().lower() for v in text.split(","))
    if len(views) != 2 or any(v not in VIEWS for v in views):
        raise argparse.ArgumentTypeError(f"expected two views, one per clip, e.g. side,rear; got {text!r}")
    return views  # type: ignore[return-value]


def _add_session_options(a: argparse.ArgumentParser) -> None:
    a.add_argument(
        "--session",
        action="store_true",
        help="the two clips are one run filmed from the side and from behind (or in front): also write one "
        "report joining them, in OUTDIR/<side clip>+<other clip>/",
    )
    a.add_argument(
        "--views",
        type=_view_pair,
        default=None,
        metavar="V1,V2",
        help="with --session: each clip's view in order, e.g. side,rear (default: detected; auto for one)",
    )


def _session_problem(args: argparse.Namespace) -> str | None:
    """Why the --session options cannot work (one line), or None."""
    if not args.session:
        return (
            "--views is for --session (two clips of one run); for one view use --view" if args.views else None
        )
    if len(args.videos) != 2:
        return (
            f"--session takes exactly 2 clips, a side clip and a rear or front clip of the same run; got "
            f"{len(args.videos)} (e.g. formcheck analyze side.mp4 rear.mp4 --session)"
        )
    if args.views is None and args.view != "auto":
        return (
            f"--view {args.view} would make both clips {args.view} views: with --session give one view per clip, "
            "e.g. --views side,rear, or leave the views to detection"
        )
    a, b = args.views or ("auto", "auto")
    if a == b != "auto" or ("side" not in (a, b) and "auto" not in (a, b)):
        return f"--views {a},{b}: a session needs one side clip and one rear or front clip, e.g. --views side,rear"
    return None


def _write_session(outdir: str, done: list[tuple[Path, str]], n_clips: int, code: int, quiet: bool) -> int:
    """Write the session of the analysed clips ``done`` ((folder, view) each); the exit code."""
    from formcheck.session import session_name, side_first, write_session

    if len(done) != n_clips:
        print_error("no session report: a clip failed (see above); fix it and run again")
        return code
    try:
        side_dir, other_dir = side_first(done)
        report = write_session(side_dir, other_dir, Path(outdir) / session_name(side_dir, other_dir))
    except FormcheckError as e:
        print_error(for_terminal(str(e)))
        return EXIT_BAD_INPUT
    if not quiet:
        print(f"session report: {for_terminal(str(report))}", file=sys.stderr)
    return code
