"""``formcheck batch``'s work after parsing: the settings from the flags, a progress bar on a terminal, and the
summary of what was done on stderr. Bad input is one line and exit 2 (formcheck/batch/__init__.py has the rules)."""

from __future__ import annotations

import argparse
import sys
import time

from formcheck.batch import analyze_folder
from formcheck.batch.constants import EXIT_BAD_INPUT
from formcheck.config import AnalysisSettings, with_speed
from formcheck.errors import FormcheckError
from formcheck.history_dates import parse_date
from formcheck.safe_text import for_terminal


class BatchBar:
    """Clips done, failures and time left on one stderr line (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.first: int | None = None

    def __call__(self, done: int, failed: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.first is None:  # clips already up to date finish at once; time the rest
            self.first, self.start = done, now
        ran = done - self.first
        rate = ran / max(now - self.start, 1e-6)
        left = f"{(total - done) / rate:4.0f}s left" if ran > 0 else "  ?s left"
        bar = "#" * int(30 * done / max(total, 1))
        sys.stderr.write(f"\rbatch [{bar:<30}] {done}/{total} clips, {failed} failed, {left} ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 90 + "\r")
            sys.stderr.flush()


def run_batch_cli(args: argparse.Namespace) -> int:
    """``formcheck batch FOLDER -o OUTDIR ...``: exit 0 all ok, 3 some failed, 2 no folder or no videos."""
    if args.workers is not None and args.workers < 1:
        print(f"formcheck: --workers must be 1 or more, got {args.workers}", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = AnalysisSettings(
        model_path=args.model,
        write_video=not args.no_video,
        capture_fps=getattr(args, "capture_fps", None),
        blur_faces=getattr(args, "blur_faces", False),
    )
    from formcheck.pipeline import MAX_CAPTURE_FPS

    if settings.capture_fps is not None and not 1.0 <= settings.capture_fps <= MAX_CAPTURE_FPS:
        print(
            f"formcheck: --capture-fps must be the frame rate the clips were filmed at (1-{MAX_CAPTURE_FPS:g} "
            f"frames per second), got {settings.capture_fps:g}: e.g. --capture-fps 120",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.config is not None:
        from formcheck.config_file import load_settings_file

        try:
            settings = load_settings_file(args.config, settings)
        except FormcheckError as e:
            print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
            return EXIT_BAD_INPUT
    settings = with_speed(settings, getattr(args, "speed", None))
    bar = BatchBar(enabled=not args.quiet)
    try:
        date = parse_date(args.date) if getattr(args, "date", None) else None
        result = analyze_folder(
            args.folder,
            args.outdir,
            settings,
            workers=args.workers,
            scheduler=args.scheduler,
            athlete=args.athlete,
            athlete_from_folder=args.athlete_from_folder,
            db=args.db,
            progress=bar,
            roster=getattr(args, "roster", None),
            date=date,
        )
    except FormcheckError as e:
        bar.close()
        print(f"formcheck: {for_terminal(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        bar.close()
    if not args.quiet:
        skipped = sum(o.skipped for o in result.outcomes)
        print(
            f"{len(result.outcomes)} clips: {result.n_ok} ok ({skipped} already up to date), {result.n_failed} failed",
            file=sys.stderr,
        )
        for o in result.outcomes:
            if not o.ok:
                print(f"  {for_terminal(o.rel)}: {for_terminal(o.error)}", file=sys.stderr)
        print(
            f"  roster: {for_terminal(str(result.index_path))} (every clip of this folder, all runs)",
            file=sys.stderr,
        )
        print(f"  summary: {for_terminal(str(result.summary_path))}", file=sys.stderr)
        db = for_terminal(str(result.db_path))
        print(f"  history: {db} (formcheck history ATHLETE --db {db})", file=sys.stderr)
    if result.history_missing:
        print(
            f"formcheck: {len(result.history_missing)} analysed clips are not in the history database "
            f"{for_terminal(str(result.db_path))} (it could not be written; their outputs and summary rows are kept): "
            "run the batch again once the database is free, or pass another --db",
            file=sys.stderr,
        )
    return result.exit_code
