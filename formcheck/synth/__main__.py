"""``python -m formcheck.synth OUT.mp4 --view side --cadence 170 ...``: render one synthetic clip and its truth."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from formcheck.errors import FormcheckError
from formcheck.synth.clip import render_clip, truth_path_for
from formcheck.synth.params import RunnerParams

# Short option names for the most used parameters; every RunnerParams field is also accepted as --field_name.
ALIASES = {
    "cadence_spm": "--cadence",
    "trunk_lean_deg": "--lean",
    "foot_strike_angle_deg": "--strike",
    "shank_angle_ic_deg": "--shank",
    "pelvic_drop_deg": "--pelvic-drop",
    "duration_s": "--duration",
    "roll_deg": "--roll",
}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m formcheck.synth",
        description="Render a synthetic running clip with exact ground truth (<out>.truth.json beside it).",
        epilog="example: python -m formcheck.synth runner.mp4 --view side --cadence 176 --strike 3 --shank 3",
    )
    ap.add_argument("out", help="output .mp4 path")
    for f in dataclasses.fields(RunnerParams):
        names = [f"--{f.name}"] + ([ALIASES[f.name]] if f.name in ALIASES else [])
        if f.type in ("bool", bool):
            ap.add_argument(
                *names, dest=f.name, type=lambda v: v.lower() in ("1", "true", "yes"), default=None
            )
        else:
            typ = {"int": int, "float": float, "float | None": float, "str": str}.get(str(f.type), str)
            ap.add_argument(*names, dest=f.name, type=typ, default=None, help=f"default {f.default!r}")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    changes = {k: v for k, v in vars(args).items() if k != "out" and v is not None}
    try:
        truth = render_clip(RunnerParams(**changes), args.out)
    except FormcheckError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    print(f"wrote {args.out} and {truth_path_for(args.out).name}: {len(truth.steps)} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
