"""What the commands share: exit codes, the parser whose usage errors are one line, the options several commands
take (--outdir, --view, --model, --config, --speed, --capture-fps, --blur-faces), the one-line error, logging, the
progress bar, settings from the parsed options and the summary a runner reads in the terminal."""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from pathlib import Path

from formcheck.config import AnalysisSettings
from formcheck.safe_text import TerminalFormatter, for_terminal

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 1, 2, 3  # OUTPUTS.md

VIEWS = ("auto", "side", "rear", "front")

USAGE_EXAMPLES = {  # the example a usage error ends with, for the command that was typed
    "analyze": "formcheck analyze run.mp4 -o out",
    "reanalyze": "formcheck reanalyze out/run",
    "batch": "formcheck batch clips -o out",
    "history": "formcheck history ben",
}


class UsageParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line and exit 2 with an example."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.split()[-1] if " " in self.prog else "analyze"
        example = USAGE_EXAMPLES.get(command)
        hint = f"e.g. {example}" if example else f"see formcheck {command} --help"
        self.exit(EXIT_BAD_INPUT, f"formcheck: {message} ({hint})\n")


def print_error(message: str) -> None:
    """The one line on stderr that a bad input gets (``message`` is shown as typed: pass it through
    ``for_terminal`` when it holds text from a file or a path)."""
    print(f"formcheck: {message}", file=sys.stderr)


# --- options ------------------------------------------------------------------------------------------------------


def positive_float(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def add_outdir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--outdir", default="formcheck-out", help="output folder (default ./formcheck-out)"
    )


def add_view_argument(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument("--view", choices=VIEWS, default="auto", help=help)


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=None, metavar="PATH", help="a MediaPipe PoseLandmarker .task bundle"
    )


CONFIG_HELP = (
    "a TOML file of coach-set bands and rules, by their names in formcheck/config.py, e.g. "
    "'[thresholds.cadence_spm] good = [[175, inf]]' (unknown names are refused)"
)


def add_config_argument(parser: argparse.ArgumentParser, help: str = CONFIG_HELP) -> None:
    parser.add_argument("--config", default=None, metavar="FILE", help=help)


def with_config(settings: AnalysisSettings, path: str | None) -> AnalysisSettings:
    """``settings`` with the bands and rules of a ``--config`` file, when one is given."""
    if path is None:
        return settings
    from formcheck.config_file import load_settings_file

    return load_settings_file(path, settings)


# --speed: the cadence bands move with the running speed (config.Thresholds.speed_mps)
SPEED_HELP = "running speed of the clip, e.g. 12kmh or 5:00/km: the cadence bands and target move with it"


def speed_mps(text: str) -> float:
    """An argparse type: a running speed typed by a person (``config.parse_speed``), in m/s."""
    from formcheck.config import parse_speed

    try:
        return parse_speed(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_speed_argument(parser: argparse.ArgumentParser) -> None:
    """``--speed`` on a subcommand that judges clips (analyze, reanalyze, batch)."""
    parser.add_argument("--speed", type=speed_mps, default=None, metavar="SPEED", help=SPEED_HELP)


def add_capture_fps_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--capture-fps``: the frame rate a slow-motion clip was filmed at, when its file does not say."""
    parser.add_argument("--capture-fps", type=positive_float, default=None, metavar="FPS", help=help)


def add_blur_faces_argument(parser: argparse.ArgumentParser) -> None:
    help = "blur the runner's head in the annotated video, key frames and shared report"
    parser.add_argument("--blur-faces", action="store_true", help=help)


def settings_from_args(args: argparse.Namespace) -> AnalysisSettings:
    """The analysis settings of the parsed options: the flags, then a ``--config`` file, then ``--speed``."""
    from formcheck.config import with_speed

    plain = AnalysisSettings(
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
    settings = with_config(plain, getattr(args, "config", None))
    return with_speed(settings, getattr(args, "speed", None))


# --- the terminal -------------------------------------------------------------------------------------------------


def configure_logging(quiet: bool, verbose: bool = False) -> None:
    level = logging.ERROR if quiet else (logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter("formcheck: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # MediaPipe / TFLite chatter is not the user's business.
    logging.getLogger("absl").setLevel(logging.ERROR)


class ProgressBar:
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


def print_summary(analysis, clip_dir: Path) -> None:
    """A few lines a runner reads in the terminal: the headline verdicts of the clip's view (the report's cards)
    and where the report is."""
    from formcheck.metrics.registry import REGISTRY, panel_ids  # not at import: the CLI starts without NumPy

    side_heads = ("cadence_spm", "overstride_distance", "foot_strike_type", "trunk_lean_deg", "arm_swing_deg")
    heads = side_heads if analysis.view == "side" else panel_ids(analysis.view)
    parts = []
    for mid in heads:
        m = analysis.metrics.get(mid)
        if m is not None and m.value is not None:
            unit = "" if m.unit == "category" else f" {m.unit}"
            label = mid.split("_")[0] if analysis.view == "side" else REGISTRY[mid].short_title.lower()
            parts.append(f"{label} {m.value}{unit} ({m.verdict})")
    print(for_terminal(f"{Path(analysis.video.path).name}: " + "; ".join(parts)), file=sys.stderr)
    print(f"  report: {for_terminal(str(clip_dir / 'report.html'))}", file=sys.stderr)
    for w in analysis.warnings:
        print(f"  note: {for_terminal(w)}", file=sys.stderr)
