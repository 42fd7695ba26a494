"""The rendered runner's landing on the benchmark scripts' command lines, and the check that a cached rendered clip
was rendered with the parameters asked for (docs/contacts.md "The realistic landing made the default").

    --late-knee-extension [true|false]   (bare: true)   --landing-cushion-s S   (0: the rigid foot)

Without either flag the runner keeps ``RunnerParams``' defaults (the late knee and a 0.04 s cushion); the landing
before issue 15's switch is ``--late-knee-extension false --landing-cushion-s 0``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

LANDING_FIELDS = ("touchdown_forward_frac", "landing_cushion_s", "late_knee_extension")
# A truth.json written before a field existed, or with the spelling it had then, means what these do now.
_OLD_SPELLING = {"landing_cushion_s": {None: 0.0}}
_MISSING_MEANT = {"touchdown_forward_frac": None, "landing_cushion_s": 0.0, "late_knee_extension": False}


def parse_bool(text: str) -> bool:
    """``true``/``false`` (also 1/0, yes/no) for a flag that takes a value."""
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes"):
        return True
    if lowered in ("0", "false", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def add_landing_args(ap: argparse.ArgumentParser, touchdown: bool = False) -> None:
    """``--late-knee-extension [BOOL]``, ``--landing-cushion-s S`` (and ``--touchdown-forward-frac F``)."""
    ap.add_argument(
        "--late-knee-extension",
        type=parse_bool,
        nargs="?",
        const=True,
        default=None,
        metavar="BOOL",
        help="the swing knee extends late into contact (default true; false: the hovering knee of before)",
    )
    ap.add_argument(
        "--landing-cushion-s",
        type=float,
        default=None,
        help="the landing knee flexes smoothly over S seconds (default 0.04; 0: the rigid foot of before)",
    )
    if touchdown:
        ap.add_argument(
            "--touchdown-forward-frac",
            type=float,
            default=None,
            help="swing-leg retraction: the landing foot's forward speed, a fraction of the running speed (0..1)",
        )


def landing_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The RunnerParams changes the flags ask for (none: the runner's defaults)."""
    out: dict[str, Any] = {}
    if args.late_knee_extension is not None:
        out["late_knee_extension"] = args.late_knee_extension
    if args.landing_cushion_s is not None:
        out["landing_cushion_s"] = args.landing_cushion_s
    if getattr(args, "touchdown_forward_frac", None) is not None:
        out["touchdown_forward_frac"] = args.touchdown_forward_frac
    return out


def stored_params(truth_path: Path) -> dict[str, Any]:
    """The RunnerParams a rendered clip's truth.json was written with, old spellings read as today's."""
    params = dict(json.loads(Path(truth_path).read_text(encoding="utf-8"))["params"])
    for field, meant in _MISSING_MEANT.items():
        value = params.get(field, meant)
        params[field] = _OLD_SPELLING.get(field, {}).get(value, value)
    return params


def params_mismatch(truth_path: Path, params: Any) -> dict[str, tuple[Any, Any]]:
    """{field: (stored, wanted)} where a cached clip's truth.json differs from ``params`` (a RunnerParams); empty
    when the clip is the one asked for. Compared through JSON, as the truth file stores them; a field the file
    lacks (added to RunnerParams after it was written, at a default that left the runner as it was) is not
    compared, except the landing's, whose defaults changed."""
    stored = stored_params(truth_path)
    wanted = json.loads(json.dumps(params.to_dict()))
    return {k: (stored[k], v) for k, v in wanted.items() if k in stored and stored[k] != v}


def mismatch_message(clip: Path, diff: dict[str, tuple[Any, Any]]) -> str:
    """One line saying which parameters a cached clip differs in, and what to do."""
    shown = ", ".join(f"{k} {a!r} (want {b!r})" for k, (a, b) in sorted(diff.items()))
    return f"{clip} was rendered with other parameters: {shown}; use another output folder for each landing"
