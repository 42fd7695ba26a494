"""The command line: parse, configure logging and progress, call the pipeline or batch. No analysis here.

Exit codes (OUTPUTS.md): 0 every clip analysed; 2 bad input or usage (one line on stderr); 3 some clips failed;
1 a bug (traceback).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from pathlib import Path

from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError
from formcheck.safe_text import TerminalFormatter, for_terminal
from formcheck.version import __version__

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line and exit 2 with an example."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.split()[-1] if " " in self.prog else "analyze"
        example = _USAGE_EXAMPLES.get(command)
        hint = f"e.g. {example}" if example else f"see formcheck {command} --help"
        self.exit(EXIT_BAD_INPUT, f"formcheck: {message} ({hint})\n")


_USAGE_EXAMPLES = {  # the example a usage error ends with, for the command that was typed
    "analyze": "formcheck analyze run.mp4 -o out",
    "reanalyze": "formcheck reanalyze out/run",
    "batch": "formcheck batch clips -o out",
    "history": "formcheck history ben",
}


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


CONFIG_HELP = (
    "a TOML file of coach-set bands and rules, by their names in formcheck/config.py, e.g. "
    "'[thresholds.cadence_spm] good = [[175, inf]]' (unknown names are refused)"
)


def with_config(settings: AnalysisSettings, path: str | None) -> AnalysisSettings:
    """``settings`` with the bands and rules of a ``--config`` file, when one is given."""
    if path is None:
        return settings
    from formcheck.config_file import load_settings_file

    return load_settings_file(path, settings)


# --- --speed: the cadence bands move with the running speed (config.Thresholds.speed_mps) -------------
SPEED_HELP = "running speed of the clip, e.g. 12kmh or 5:00/km: the cadence bands and target move with it"


def _speed(text: str) -> float:
    from formcheck.config import parse_speed

    try:
        return parse_speed(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_speed_argument(parser: argparse.ArgumentParser) -> None:
    """``--speed`` on a subcommand that judges clips (analyze, reanalyze, batch)."""
    parser.add_argument("--speed", type=_speed, default=None, metavar="SPEED", help=SPEED_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="formcheck", description="Running-form analysis from video.")
    parser.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    a = sub.add_parser("analyze", help="analyse one or more clips")
    a.add_argument("videos", nargs="+", metavar="VIDEO")
    a.add_argument("-o", "--outdir", default="formcheck-out", help="output folder (default ./formcheck-out)")
    a.add_argument("--view", choices=("auto", "side", "rear", "front"), default="auto")
    a.add_argument("--height-cm", type=_positive_float, default=None, help="runner's height, for centimetres")
    a.add_argument("--start", type=_positive_float, default=None, metavar="S", help="analyse from S seconds")
    a.add_argument("--end", type=_positive_float, default=None, metavar="S", help="analyse up to S seconds")
    a.add_argument("--no-video", action="store_true", help="skip the annotated video")
    a.add_argument(
        "--crop",
        choices=("none", "runner"),
        default="none",
        help="runner: the annotated video follows the runner in a square window (for a small runner in a wide clip)",
    )
    a.add_argument(
        "--capture-fps",
        type=_positive_float,
        default=None,
        metavar="FPS",
        help="for a slow-motion clip whose file does not say: the frame rate it was filmed at (e.g. 120)",
    )
    a.add_argument("--model", default=None, metavar="PATH", help="a MediaPipe PoseLandmarker .task bundle")
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
    a.add_argument("--config", default=None, metavar="FILE", help=CONFIG_HELP)
    add_speed_argument(a)
    a.add_argument("--quiet", action="store_true", help="no progress or log output")
    a.add_argument("-v", "--verbose", action="store_true", help="more log output")
    _add_session_options(a)
    _add_history_flags(a)

    r = sub.add_parser("reanalyze", help="re-run the metrics of analysed clips from their cached landmarks")
    r.add_argument("clip_dirs", nargs="+", metavar="CLIPDIR", help="OUTDIR/<clip> folders")
    r.add_argument("--height-cm", type=_positive_float, default=None)
    r.add_argument("--view", choices=("auto", "side", "rear", "front"), default="auto")
    r.add_argument("--config", default=None, metavar="FILE", help=CONFIG_HELP + " (re-judges the clip)")
    add_speed_argument(r)
    r.add_argument("--json", action="store_true")
    r.add_argument("--quiet", action="store_true")

    b = sub.add_parser("batch", help="analyse every clip in a folder tree")
    b.add_argument("folder", metavar="FOLDER", help="folder searched recursively for videos (by content)")
    b.add_argument("-o", "--outdir", default="formcheck-out", help="output folder (default ./formcheck-out)")
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
    b.add_argument("--model", default=None, metavar="PATH", help="a MediaPipe PoseLandmarker .task bundle")
    b.add_argument("--config", default=None, metavar="FILE", help=CONFIG_HELP)
    add_speed_argument(b)
    b.add_argument("--quiet", action="store_true", help="no progress or log output")
    _add_roster_flags(b)

    _add_sharing(sub, a, b)

    h = sub.add_parser("history", help="trends of one runner across analysed sessions")
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
    _add_compare_parser(sub)
    return parser


def _add_compare_parser(sub) -> None:
    c = sub.add_parser("compare", help="two takes side by side, synchronised at the landings: what changed")
    c.add_argument("take_a", metavar="A", help="the earlier take: a video, or a clip folder 'analyze' wrote")
    c.add_argument("take_b", metavar="B", help="the later take: a video, or a clip folder 'analyze' wrote")
    c.add_argument("-o", "--outdir", default="formcheck-out", help="output folder (default ./formcheck-out)")
    c.add_argument("--view", choices=("auto", "side", "rear", "front"), default="auto", help="for videos")
    c.add_argument("--height-cm", type=_positive_float, default=None, help="runner's height, for videos")
    c.add_argument("--model", default=None, metavar="PATH", help="a MediaPipe PoseLandmarker .task bundle")
    c.add_argument("--config", default=None, metavar="FILE", help=CONFIG_HELP)
    c.add_argument("--quiet", action="store_true", help="no progress or log output")


def _cmd_compare(args: argparse.Namespace) -> int:
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


# --- sharing a report: --blur-faces, --single-file, formcheck share ----------------------------------------------


def _add_sharing(
    sub: argparse._SubParsersAction, analyze: argparse.ArgumentParser, batch: argparse.ArgumentParser
) -> None:
    blur_help = "blur the runner's head in the annotated video, key frames and shared report"
    analyze.add_argument("--blur-faces", action="store_true", help=blur_help)
    batch.add_argument("--blur-faces", action="store_true", help=blur_help)
    analyze.add_argument(
        "--single-file",
        action="store_true",
        help="also write report-share.html: the report with its video inside, one file to send to the athlete",
    )
    s = sub.add_parser("share", help="make one self-contained HTML file of an analysed clip, to send")
    s.add_argument("clip_dir", metavar="CLIPDIR", help="an OUTDIR/<clip> folder written by formcheck analyze")
    s.add_argument("-o", "--output", default=None, metavar="FILE", help="default CLIPDIR/report-share.html")
    s.add_argument("--quiet", action="store_true", help="no output but errors")


def _cmd_share(args: argparse.Namespace) -> int:
    from formcheck.report.single_file import share_clip_folder

    shared = share_clip_folder(args.clip_dir, args.output)
    if not args.quiet:
        note = "" if shared.faces_blurred else f"; {shared.blur_note}"
        size = f"{shared.size_bytes / 1e6:.1f} MB"
        print(f"formcheck: wrote {for_terminal(str(shared.path))} ({size}){note}", file=sys.stderr)
    return EXIT_OK


# --- a runner's history and a coach's roster (formcheck/history_cli.py, formcheck/batch) -------------------------


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


def _add_roster_flags(b: argparse.ArgumentParser) -> None:
    b.add_argument("--roster", default=None, metavar="FILE", help="CSV with columns file,athlete,date")
    b.add_argument(
        "--date", default=None, metavar="YYYY-MM-DD", help="recording date of this run's new clips"
    )
    b.add_argument(
        "--capture-fps",
        type=_positive_float,
        default=None,
        metavar="FPS",
        help="for slow-motion clips whose files do not say: the frame rate they were filmed at (e.g. 120)",
    )


def _configure_logging(quiet: bool, verbose: bool = False) -> None:
    level = logging.ERROR if quiet else (logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter("formcheck: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # MediaPipe / TFLite chatter is not the user's business.
    logging.getLogger("absl").setLevel(logging.ERROR)


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        frac = min(done / total, 1.0) if total else 0.0
        rate = done / max(now - self.start, 1e-6)
        left = (total - done) / rate if rate > 0 and total else 0.0
        bar = "#" * int(frac * 30)
        sys.stderr.write(
            f"\r{self.label} [{bar:<30}] {done}/{total} frames {rate:4.0f} fps {left:4.0f}s left "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _settings(args: argparse.Namespace) -> AnalysisSettings:
    from formcheck.config import with_speed

    settings = with_config(_plain_settings(args), getattr(args, "config", None))
    return with_speed(settings, getattr(args, "speed", None))


def _plain_settings(args: argparse.Namespace) -> AnalysisSettings:
    return AnalysisSettings(
        view=args.view,
        height_cm=args.height_cm,
        start_s=getattr(args, "start", None),
        end_s=getattr(args, "end", None),
        model_path=getattr(args, "model", None),
        write_video=not getattr(args, "no_video", False),
        video_crop=getattr(args, "crop", "none"),
        person=getattr(args, "person", None),
        capture_fps=getattr(args, "capture_fps", None),
        blur_faces=getattr(args, "blur_faces", False),
        single_file=getattr(args, "single_file", False),
    )


def _print_summary(analysis, clip_dir: Path) -> None:
    """A few lines a runner reads in the terminal: the headline verdicts and where the report is."""
    heads = ("cadence_spm", "overstride_distance", "foot_strike_type", "trunk_lean_deg", "arm_swing_deg")
    parts = []
    for mid in heads:
        m = analysis.metrics.get(mid)
        if m is not None and m.value is not None:
            unit = "" if m.unit == "category" else f" {m.unit}"
            parts.append(f"{mid.split('_')[0]} {m.value}{unit} ({m.verdict})")
    print(for_terminal(f"{Path(analysis.video.path).name}: " + "; ".join(parts)), file=sys.stderr)
    print(f"  report: {for_terminal(str(clip_dir / 'report.html'))}", file=sys.stderr)
    for w in analysis.warnings:
        print(f"  note: {for_terminal(w)}", file=sys.stderr)


def _clip_dirs(outdir: str, videos: list[str]) -> list[Path]:
    """Each clip's folder, ``OUTDIR/<stem>``; a later clip whose stem another file of the same command already
    uses (``a/run.mp4 b/run.mp4``, compared without case) gets ``-<8 hex of sha1(its absolute path)>`` added."""
    import hashlib
    import os

    from formcheck.pipeline import clip_outdir

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


# --- analyze --session: a side clip and a rear or front clip of one run, one session report (formcheck/session.py)
VIEWS = ("auto", "side", "rear", "front")


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
        print(
            "formcheck: no session report: a clip failed (see above); fix it and run again", file=sys.stderr
        )
        return code
    try:
        side_dir, other_dir = side_first(done)
        report = write_session(side_dir, other_dir, Path(outdir) / session_name(side_dir, other_dir))
    except FormcheckError as e:
        print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not quiet:
        print(f"session report: {for_terminal(str(report))}", file=sys.stderr)
    return code


def _cmd_analyze(args: argparse.Namespace) -> int:
    import dataclasses

    from formcheck.pipeline import analyze_clip
    from formcheck.report.json_out import to_json

    problem = _session_problem(args)
    if problem is not None:
        print(f"formcheck: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = _settings(args)
    history_problem = _history_problem(args)
    if history_problem is not None:
        print(f"formcheck: {history_problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    views = args.views or (settings.view,) * len(args.videos)
    failures = history_lost = 0
    done: list[tuple[Path, str]] = []
    clip_dirs = _clip_dirs(args.outdir, args.videos)
    for video, clip_dir, view in zip(args.videos, clip_dirs, views, strict=True):
        bar = _ProgressBar(Path(video).name, enabled=not args.quiet)
        clip_settings = settings if view == settings.view else dataclasses.replace(settings, view=view)
        try:
            analysis = analyze_clip(video, args.outdir, clip_settings, progress=bar, clip_dir=clip_dir)
        except FormcheckError as e:
            bar.close()
            print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
            failures += 1
            continue
        bar.close()
        done.append((clip_dir, analysis.view))
        if args.json:
            print(to_json(analysis, indent=None), flush=True)
        if not args.quiet:
            _print_summary(analysis, clip_dir)
        if not args.no_history:
            from formcheck.history_cli import record_clip

            history_lost += not record_clip(analysis, clip_dir, args.db, args.athlete, args.date)
    code = EXIT_OK if failures == 0 else EXIT_BAD_INPUT if failures == len(args.videos) else EXIT_PARTIAL
    if code == EXIT_OK and history_lost and _history_asked(args):
        code = EXIT_PARTIAL  # every clip written, some not in the history asked for (one line each said so)
    if args.session:
        return _write_session(args.outdir, done, len(args.videos), code, args.quiet)
    return code


def _cmd_reanalyze(args: argparse.Namespace) -> int:
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
            analysis = reanalyze(clip_dir, settings)
        except FormcheckError as e:
            print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
            failures += 1
            continue
        if args.json:
            print(to_json(analysis, indent=None), flush=True)
        elif not args.quiet:
            _print_summary(analysis, Path(clip_dir))
    if failures == 0:
        return EXIT_OK
    return EXIT_BAD_INPUT if failures == len(args.clip_dirs) else EXIT_PARTIAL


def _cmd_batch(args: argparse.Namespace) -> int:
    try:
        from formcheck.batch import run_batch_cli
    except ImportError:
        print("formcheck: batch processing is not available in this version", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_batch_cli(args)


def _cmd_history(args: argparse.Namespace) -> int:
    try:
        from formcheck.history_cli import run_history_cli
    except ImportError:
        print("formcheck: athlete history is not available in this version", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_history_cli(args)


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
        print(
            "formcheck: no command given: run formcheck analyze run.mp4 -o out (formcheck --help lists all)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    _configure_logging(getattr(args, "quiet", False), getattr(args, "verbose", False))
    handlers = {
        "analyze": _cmd_analyze,
        "reanalyze": _cmd_reanalyze,
        "batch": _cmd_batch,
        "history": _cmd_history,
        "compare": _cmd_compare,
        "share": _cmd_share,
    }
    try:
        return handlers[args.command](args)
    except FormcheckError as e:
        print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as e:
        how = "terminated" if isinstance(e, Terminated) else "interrupted"
        print(
            f"formcheck: {how}; finished clips are kept, the unfinished one was not written",
            file=sys.stderr,
        )
        return 143 if isinstance(e, Terminated) else 130


if __name__ == "__main__":
    sys.exit(main())
