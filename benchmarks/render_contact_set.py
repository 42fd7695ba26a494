"""Render the rendered-runner contact set (side 30/60/120 fps with rearfoot, midfoot and forefoot strikes,
overstride and good form; rear and front with pelvic drop 0/3/9 deg at 30 and 60 fps) and pose each clip once, so
``score_contacts.py --synthetic`` can score it (docs/contacts.md, "The swing foot lands like a real one").

    python benchmarks/render_contact_set.py OUT_DIR [--touchdown-forward-frac 0.3] [--landing-cushion-s S]
                                                   [--late-knee-extension true|false] [NAME ...]
    python benchmarks/score_contacts.py --synthetic --samples OUT_DIR --cache OUT_DIR

``--touchdown-forward-frac F`` renders every runner with swing-leg retraction (``RunnerParams.touchdown_forward_frac``:
the foot lands moving forward at F of the running speed); without it, the default swing. The landing knee
(benchmarks/landing_args.py): the runner's default (late knee, 0.04 s cushion), or the one before issue 15's switch
with ``--late-knee-extension false --landing-cushion-s 0``. Use one OUT_DIR per choice (a clip in OUT_DIR rendered
with other parameters is refused, not reused).

Writes ``OUT_DIR/<name>.mp4``, ``<name>.truth.json`` and ``<name>.npz`` (landmarks); existing files are kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.landing_args import (  # noqa: E402
    add_landing_args,
    landing_changes,
    mismatch_message,
    params_mismatch,
)
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.pose.run import estimate_landmarks  # noqa: E402
from formcheck.report.landmarks import save_landmarks  # noqa: E402
from formcheck.synth import RunnerParams, render_clip  # noqa: E402

SIDE = dict(view="side", short_side_px=480, crf=28, duration_s=4.0)
FOREFOOT = dict(foot_strike_angle_deg=-8.0, speed_mps=2.7, contact_time_s=0.2)
MIDFOOT = dict(foot_strike_angle_deg=0.0)
OVERSTRIDE = dict(foot_strike_angle_deg=18.0, shank_angle_ic_deg=14.0, knee_flexion_ic_deg=8.0)
FRONTAL = dict(short_side_px=480, duration_s=5.0, seed=5)

CONTACT_SET: dict[str, RunnerParams] = {
    "s30_good": RunnerParams(**SIDE, fps=30, cadence_spm=170, seed=11),
    "s30_fore": RunnerParams(**SIDE, **FOREFOOT, fps=30, cadence_spm=180, seed=12),
    "s30_over": RunnerParams(**SIDE, **OVERSTRIDE, fps=30, cadence_spm=160, direction="left", seed=13),
    "s30_mid": RunnerParams(**SIDE, **MIDFOOT, fps=30, cadence_spm=175, seed=18),
    "s60_good": RunnerParams(**SIDE, fps=60, cadence_spm=165, direction="left", seed=14),
    "s60_fore": RunnerParams(**SIDE, **FOREFOOT, fps=60, cadence_spm=176, seed=15),
    "s60_over": RunnerParams(**SIDE, **OVERSTRIDE, fps=60, cadence_spm=160, seed=19),
    "s120_over": RunnerParams(
        **{**SIDE, "duration_s": 3.0}, **OVERSTRIDE, fps=120, cadence_spm=160, orientation="portrait", seed=17
    ),
    "s120_good": RunnerParams(**{**SIDE, "duration_s": 3.0}, fps=120, cadence_spm=172, seed=20),
    "s120_fore": RunnerParams(**{**SIDE, "duration_s": 3.0}, **FOREFOOT, fps=120, cadence_spm=180, seed=21),
    **{
        f"{view}{fps}_drop{drop}": RunnerParams(
            view=view,
            pelvic_drop_deg=float(drop),
            fps=float(fps),
            **({**FRONTAL, "duration_s": 4.0, "seed": 6} if fps == 60 else FRONTAL),
        )
        for view in ("rear", "front")
        for fps, drop in ((30, 0), (30, 3), (30, 9), (60, 9))
    },
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("names", nargs="*", help=f"default: all of {', '.join(CONTACT_SET)}")
    add_landing_args(ap, touchdown=True)
    args = ap.parse_args(argv)
    unknown = set(args.names) - set(CONTACT_SET)
    if unknown:
        print(
            f"unknown clip names: {', '.join(sorted(unknown))}; choose from {', '.join(CONTACT_SET)}",
            file=sys.stderr,
        )
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or CONTACT_SET:
        video, landmarks = args.out / f"{name}.mp4", args.out / f"{name}.npz"
        t0 = time.perf_counter()
        params = CONTACT_SET[name].replace(**landing_changes(args))
        truth = args.out / f"{name}.truth.json"
        if video.is_file() and truth.is_file():
            diff = params_mismatch(truth, params)
            if diff:
                print(mismatch_message(video, diff), file=sys.stderr)
                return 2
        if not video.is_file():
            render_clip(params, video)
        if not landmarks.is_file():
            save_landmarks(estimate_landmarks(video, AnalysisSettings()).landmarks, landmarks)
        print(f"{name}: {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
