"""Render the rendered-runner contact set (side 30/60/120 fps with rearfoot, midfoot and forefoot strikes,
overstride and good form; rear and front with pelvic drop 0/3/9 deg at 30 and 60 fps) and pose each clip once, so
``score_contacts.py --synthetic`` can score it (docs/contacts.md, "The swing foot lands like a real one").

    python benchmarks/render_contact_set.py OUT_DIR [--touchdown-forward-frac 0.3] [--landing-cushion-s S]
                                                   [--late-knee-extension true|false] [NAME ...]
    python benchmarks/score_contacts.py --synthetic --samples OUT_DIR --cache OUT_DIR
    python benchmarks/render_contact_set.py OUT_DIR2 --set held-out [...]   # other runners, 60 and 120 fps side

``--set held-out`` renders a second side-view set (``HELD_OUT_SET``: other seeds, cadences, strikes, first-contact
phases, an overground panning camera) to check rules tuned on the first one (docs/contacts.md "The side view at 60
and 120 fps").

``--touchdown-forward-frac F`` renders every runner with swing-leg retraction (``RunnerParams.touchdown_forward_frac``:
the foot lands moving forward at F of the running speed); without it, the default swing. The landing knee
(benchmarks/landing_args.py): the runner's default (late knee, 0.04 s cushion), or the one before issue 15's switch
with ``--late-knee-extension false --landing-cushion-s 0``. Use one OUT_DIR per choice (a clip in OUT_DIR rendered
with other parameters is refused, not reused).

``--set check-120`` renders a third side-view set at 120 fps (``CHECK_120_SET``), rendered after the 120 fps event
cut-off was chosen, to check it and the candidates the first two sets could not tell apart.

``--set frontal-check`` renders a second rear/front set (``CHECK_SET``: other seeds, cadences, speeds, drops, 50
fps, an overground runner followed by the camera) to check frontal rules tuned on the first one (docs/contacts.md
"The rear view's landing lies between the hips' top and their fastest fall"):

    python benchmarks/render_contact_set.py OUT_DIR3 --set frontal-check

``--set front-fast`` renders front-view runners at 50, 60 and 120 fps (``FRONT_FAST_SET``), a third look at the front
view's reach at high frame rates (docs/contacts.md "Rear and front at 60 fps: looked at, not changed").

``--set rear-fast`` renders rear-view runners at 50 and 60 fps (``REAR_FAST_SET``), a third rear set for readings at
high frame rates (docs/contacts.md "Rear and front at 60 fps: the one-frame bar halves, the error does not").

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
SIDE_3S = {**SIDE, "duration_s": 3.0}  # the 120 fps runners: 3 s holds enough steps
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
        **SIDE_3S, **OVERSTRIDE, fps=120, cadence_spm=160, orientation="portrait", seed=17
    ),
    "s120_good": RunnerParams(**SIDE_3S, fps=120, cadence_spm=172, seed=20),
    "s120_fore": RunnerParams(**SIDE_3S, **FOREFOOT, fps=120, cadence_spm=180, seed=21),
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

# A second rear/front set, for checking a frontal rule chosen on CONTACT_SET against other runners (docs/contacts.md,
# "The rear view's landing lies between the hips' top and their fastest fall"): other seeds, cadences, speeds, drops,
# frame rates, and an overground runner followed by the camera.
CHECK_SET: dict[str, RunnerParams] = {
    f"chk_{view}{fps}_{cadence}": RunnerParams(
        view=view,
        fps=float(fps),
        cadence_spm=float(cadence),
        speed_mps=speed,
        contact_time_s=contact,
        pelvic_drop_deg=drop,
        short_side_px=short,
        duration_s=4.0,
        seed=seed,
        surface=surface,
    )
    for view in ("rear", "front")
    for fps, cadence, speed, contact, drop, short, seed, surface in (
        (30, 180, 3.4, 0.185, 5.0, 480, 41, "treadmill"),
        (30, 160, 2.7, 0.23, 0.0, 540, 42, "treadmill"),
        (30, 175, 3.2, 0.195, 4.0, 480, 46, "overground"),  # followed by the camera
        (50, 172, 3.0, 0.21, 3.0, 540, 43, "treadmill"),
        (60, 165, 2.8, 0.22, 6.0, 480, 44, "treadmill"),
        (60, 186, 3.6, 0.175, 9.0, 480, 45, "treadmill"),
    )
}


# Side-view runners at 60 and 120 fps unlike those of CONTACT_SET (seeds, cadences, strikes, the first contact's phase
# between frames, travel direction, an overground panning camera), to check rules tuned on it.
HELD_OUT_SET: dict[str, RunnerParams] = {
    "h60_mid": RunnerParams(**SIDE, **MIDFOOT, fps=60, cadence_spm=185, first_contact_s=0.151, seed=31),
    "h60_heel": RunnerParams(
        **SIDE,
        foot_strike_angle_deg=10.0,
        fps=60,
        cadence_spm=152,
        direction="left",
        first_contact_s=0.108,
        seed=32,
    ),
    "h60_fore_ground": RunnerParams(
        **SIDE, **FOREFOOT, fps=60, cadence_spm=182, surface="overground", first_contact_s=0.137, seed=33
    ),
    "h60_over": RunnerParams(
        **SIDE, **OVERSTRIDE, fps=60, cadence_spm=168, direction="left", first_contact_s=0.119, seed=34
    ),
    "h120_mid": RunnerParams(**SIDE_3S, **MIDFOOT, fps=120, cadence_spm=178, first_contact_s=0.141, seed=35),
    "h120_heel": RunnerParams(
        **SIDE_3S,
        foot_strike_angle_deg=10.0,
        fps=120,
        cadence_spm=156,
        direction="left",
        first_contact_s=0.113,
        seed=36,
    ),
    "h120_fore": RunnerParams(
        **SIDE_3S,
        **FOREFOOT,
        fps=120,
        cadence_spm=188,
        orientation="portrait",
        first_contact_s=0.129,
        seed=37,
    ),
    "h120_over_ground": RunnerParams(
        **SIDE_3S,
        **OVERSTRIDE,
        fps=120,
        cadence_spm=164,
        surface="overground",
        first_contact_s=0.146,
        seed=38,
    ),
}
# A third side-view set at 120 fps only (other seeds, cadences, strikes and first-contact phases), rendered after the
# event cut-off was chosen on CONTACT_SET and checked on HELD_OUT_SET: the check of the candidates those two could not
# tell apart (docs/contacts.md "Contacts at 120 fps from less-smoothed tracks").
CHECK_120_SET: dict[str, RunnerParams] = {
    "c120_mid": RunnerParams(**SIDE_3S, **MIDFOOT, fps=120, cadence_spm=166, first_contact_s=0.122, seed=41),
    "c120_heel": RunnerParams(
        **SIDE_3S, foot_strike_angle_deg=12.0, fps=120, cadence_spm=172, first_contact_s=0.137, seed=42
    ),
    "c120_fore": RunnerParams(
        **SIDE_3S, **FOREFOOT, fps=120, cadence_spm=176, direction="left", first_contact_s=0.118, seed=43
    ),
    "c120_over": RunnerParams(
        **SIDE_3S, **OVERSTRIDE, fps=120, cadence_spm=158, first_contact_s=0.131, seed=44
    ),
    "c120_good_ground": RunnerParams(
        **SIDE_3S,
        fps=120,
        cadence_spm=182,
        surface="overground",
        direction="left",
        first_contact_s=0.144,
        seed=45,
    ),
    "c120_heel_portrait": RunnerParams(
        **SIDE_3S,
        foot_strike_angle_deg=6.0,
        fps=120,
        cadence_spm=162,
        orientation="portrait",
        first_contact_s=0.109,
        seed=46,
    ),
}


def _frontal_runners(prefix: str, view: str, rows: tuple[tuple, ...]) -> dict[str, RunnerParams]:
    """Rear or front runners named ``<prefix><fps>_<cadence>``, one per row of (fps, cadence, speed m/s, contact
    s, pelvic drop deg, short side px, duration s, seed, surface)."""
    return {
        f"{prefix}{fps}_{cadence}": RunnerParams(
            view=view,
            fps=float(fps),
            cadence_spm=float(cadence),
            speed_mps=speed,
            contact_time_s=contact,
            pelvic_drop_deg=drop,
            short_side_px=short,
            duration_s=duration,
            seed=seed,
            surface=surface,
        )
        for fps, cadence, speed, contact, drop, short, duration, seed, surface in rows
    }


# Front-view runners at 50-120 fps unlike those of CONTACT_SET and CHECK_SET, rendered after the front reach's fit had
# been chosen on CONTACT_SET and checked on CHECK_SET, to judge it once more (docs/contacts.md, "Rear and front at
# 60 fps: looked at, not changed").
FRONT_FAST_SET = _frontal_runners(
    "ff_front",
    "front",
    (
        (60, 158, 2.6, 0.235, 2.0, 480, 4.0, 51, "treadmill"),
        (60, 172, 3.1, 0.2, 0.0, 540, 4.0, 52, "treadmill"),
        (60, 180, 3.3, 0.19, 5.0, 480, 4.0, 53, "overground"),  # followed by the camera
        (60, 192, 3.8, 0.17, 7.0, 480, 4.0, 54, "treadmill"),
        (50, 166, 2.9, 0.215, 4.0, 480, 4.0, 55, "treadmill"),
        (120, 176, 3.2, 0.2, 3.0, 480, 3.0, 56, "treadmill"),
    ),
)

# Rear-view runners at 50 and 60 fps unlike those of CONTACT_SET and CHECK_SET (seeds, cadences, speeds, drops, an
# overground runner followed by the camera), rendered to check rear-view readings at 60 fps chosen on those two
# (docs/contacts.md, "Rear and front at 60 fps: the one-frame bar halves, the error does not").
REAR_FAST_SET = _frontal_runners(
    "rf_rear",
    "rear",
    (
        (60, 158, 2.6, 0.235, 2.0, 480, 4.0, 61, "treadmill"),
        (60, 172, 3.1, 0.2, 0.0, 540, 4.0, 62, "treadmill"),
        (60, 180, 3.3, 0.19, 5.0, 480, 4.0, 63, "overground"),  # followed by the camera
        (60, 192, 3.8, 0.17, 7.0, 480, 4.0, 64, "treadmill"),
        (50, 166, 2.9, 0.215, 4.0, 480, 4.0, 65, "treadmill"),
    ),
)

SETS = {
    "contact": CONTACT_SET,
    "held-out": HELD_OUT_SET,
    "frontal-check": CHECK_SET,
    "check-120": CHECK_120_SET,
    "front-fast": FRONT_FAST_SET,
    "rear-fast": REAR_FAST_SET,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("names", nargs="*", help="default: every clip of the set")
    ap.add_argument("--set", choices=SETS, default="contact", help="which set (default: contact)")
    add_landing_args(ap, touchdown=True)
    args = ap.parse_intermixed_args(argv)  # options before or after the names
    chosen = SETS[args.set]
    unknown = set(args.names) - set(chosen)
    if unknown:
        print(
            f"unknown clip names: {', '.join(sorted(unknown))}; choose from {', '.join(chosen)}",
            file=sys.stderr,
        )
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or chosen:
        video, landmarks = args.out / f"{name}.mp4", args.out / f"{name}.npz"
        t0 = time.perf_counter()
        params = chosen[name].replace(**landing_changes(args))
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
