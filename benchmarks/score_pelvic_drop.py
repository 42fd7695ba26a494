"""Pelvic drop through the whole pipeline (render, pose model, waist line from the picture) against the rendered
runner's exact drop, from behind and in front.

    python benchmarks/score_pelvic_drop.py [--drops 0 3 9] [--fps 30] [--out DIR]
                                           [--late-knee-extension false --landing-cushion-s 0 --out OTHER_DIR]

Renders one 4-second clip per view and drop (formcheck/synth), analyses it as ``formcheck analyze`` does, and prints
the measured drop, its interval and the error. The goal: within 1.5 deg of the truth in both views. About 30 s per
clip on one core (the pose model); clips are kept in ``--out`` (default benchmarks/.cache/pelvic_drop) and re-used,
a clip rendered with other parameters (another landing: benchmarks/landing_args.py) refused, not re-used.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from landing_args import add_landing_args, landing_changes, mismatch_message, params_mismatch

from formcheck.config import AnalysisSettings
from formcheck.errors import UsageError
from formcheck.pipeline import analyze_clip
from formcheck.synth.clip import render_clip
from formcheck.synth.params import RunnerParams

GOAL_DEG = 1.5


def measure(
    view: str, drop_deg: float, fps: float, out: Path, landing: dict | None = None
) -> tuple[float | None, tuple | None]:
    """The pelvic drop formcheck reads on a rendered runner of ``view`` with a true drop of ``drop_deg`` (``landing``:
    RunnerParams changes to the landing, e.g. {"late_knee_extension": True}; use another ``out`` for each)."""
    clip = out / f"{view}_{drop_deg:g}deg_{fps:g}fps.mp4"
    params = RunnerParams(
        view=view,
        pelvic_drop_deg=drop_deg,
        fps=fps,
        duration_s=4.0,
        short_side_px=480,
        seed=3,
        **(landing or {}),
    )
    truth = clip.with_suffix(".truth.json")
    if clip.is_file() and truth.is_file() and params_mismatch(truth, params):
        raise UsageError(mismatch_message(clip, params_mismatch(truth, params)))
    if not clip.is_file():
        render_clip(params, clip)
    a = analyze_clip(clip, out / "analysed", AnalysisSettings(write_video=False))
    m = a.metrics["pelvic_tilt_deg"]
    return m.value, m.interval


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drops", type=float, nargs="+", default=[0.0, 3.0, 9.0])
    ap.add_argument("--fps", type=float, default=30.0)
    # The clips of the landing before issue 15's switch are in .cache/pelvic (its old default folder).
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / ".cache" / "pelvic_drop")
    add_landing_args(ap)
    args = ap.parse_args()
    landing = landing_changes(args)
    args.out.mkdir(parents=True, exist_ok=True)
    worst = 0.0
    for view in ("rear", "front"):
        for drop in args.drops:
            value, interval = measure(view, drop, args.fps, args.out, landing)
            if value is None:
                print(f"{view:5s} truth {drop:4.1f} deg  read n/a")
                worst = float("inf")
                continue
            err = value - drop
            worst = max(worst, abs(err))
            iv = f"likely {interval[0]:.1f} to {interval[1]:.1f}" if interval else "no interval"
            print(f"{view:5s} truth {drop:4.1f} deg  read {value:5.1f} deg ({iv})  error {err:+.1f} deg")
    print(
        f"worst error {worst:.1f} deg (goal within {GOAL_DEG} deg): {'met' if worst <= GOAL_DEG else 'not met'}"
    )


if __name__ == "__main__":
    main()
