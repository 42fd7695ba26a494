"""The held-picture rule (docs/contacts.md "Held pictures") on a hand-made runner filmed as a replay: each picture
shown 2 or 3 times (and, with ``--long``, every tenth twice as long, as track_sprint_side_small shows it), the
same landmarks on every copy plus jitter. Side-view contacts are scored against the runner's true landings with
the per-frame repeats withheld (None: the rule off) and given (the rule on).

    python benchmarks/held_pictures_probe.py [--jitter-px 1] [--long]

Prints, for each, the contacts scored (away from the clip's ends), the mean error (frames, + late), the share
within 1.5 frames and the count beyond 3 frames. 2 x 4 seeds x 2 strides x every phase of the hold: 80 clips.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import GaitSettings  # noqa: E402
from formcheck.gait.sagittal import detect_sagittal_events  # noqa: E402
from tests.fixtures.handmade import treadmill_runner  # noqa: E402

FPS = 30.0


def picture_starts(n_frames: int, copies: int, phase: int, long_every: int) -> np.ndarray:
    """Per frame, the frame where its picture first appears: pictures of ``copies`` frames from ``phase`` on, every
    ``long_every``-th of twice that (0: none)."""
    first = np.zeros(n_frames, dtype=int)
    start, k = phase, 0
    while start < n_frames:
        first[start:] = start
        k += 1
        start += 2 * copies if long_every and k % long_every == 0 else copies
    return first


def contact_errors(
    copies: int, seed: int, stride_s: float, phase: int, jitter_px: float, long_every: int
) -> tuple:
    """Contact errors (frames) of one held clip with the repeats withheld and given."""
    run = treadmill_runner(stride_s=stride_s, duty=0.36, fps=FPS, direction=1)
    traj = run.traj
    first = picture_starts(traj.n_frames, copies, phase, long_every)
    jitter = np.random.default_rng(seed).normal(0.0, jitter_px, traj.xy_px.shape)
    held = traj.replace(xy_px=traj.xy_px[first] + jitter)
    repeated = (np.arange(traj.n_frames) != first).astype(float)
    out = []
    for clip in (held, held.replace(repeated=repeated)):
        events = detect_sagittal_events(clip, 1, run.leg_px, GaitSettings())
        inner = [s for s in events.steps if 0.3 < s.contact_s < traj.time_s[-1] - 0.3]
        out.append(
            [
                (s.contact_s - min(run.contacts_s[s.side], key=lambda c: abs(c - s.contact_s))) * FPS
                for s in inner
            ]
        )
    return tuple(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--jitter-px", type=float, default=1.0, help="landmark jitter per frame (the leg is 200 px)"
    )
    ap.add_argument("--long", action="store_true", help="every tenth picture held twice as long")
    args = ap.parse_args(argv)
    withheld: list[float] = []
    given: list[float] = []
    for copies in (2, 3):
        for seed in range(4):
            for stride_s in (0.64, 0.72):
                for phase in range(copies):
                    a, b = contact_errors(
                        copies, seed, stride_s, phase, args.jitter_px, 10 if args.long else 0
                    )
                    withheld += a
                    given += b
    for name, errors in (("repeats withheld (rule off)", withheld), ("repeats given (rule on)", given)):
        e = np.abs(np.array(errors))
        print(
            f"{name:28s} {e.size:4d} contacts  mean {np.mean(errors):+.2f} fr  within 1.5 fr {np.mean(e <= 1.5):.1%}"
            f"  beyond 3 fr {int(np.sum(e > 3))}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
