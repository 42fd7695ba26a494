"""The side view's contact markers per contact and per frame (docs/contacts.md "Blind labels: a following camera
and held pictures").

    python benchmarks/side_markers_probe.py CLIP [--frames A:B] [--set gait.NAME=VALUE]

For each contact formcheck finds: the Zeni candidate frame, the knee's marker, the settle time and the velocity it
settles to (the foot's own stance velocity, or the clip's ground velocity), the contact kept; then per frame the
signals of both feet (heel forward of the hips, lowest point y, its vertical velocity, knee flexion, forward image
velocity of the foot) and whether the frame repeats the previous picture. Times are in frames.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.score_contacts import CACHE_DIR, LABELS_DIR, read_labels, settings_with  # noqa: E402
from formcheck.gait import sagittal  # noqa: E402
from formcheck.gait.common import held_pictures  # noqa: E402
from formcheck.gait.foot_signals import foot_signals  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import prepare  # noqa: E402


def print_markers(traj, sigs, stride_s, leg_px, cfg) -> None:  # noqa: ANN001
    """Per contact candidate: the Zeni frame, the knee's marker, the settle time and what it settles to."""
    t, fps = traj.time_s, traj.fps
    stride_frames = stride_s * fps
    held = held_pictures(traj.repeated, math.ceil(cfg.held_picture_min_s * fps - 1e-9))
    found = []
    for side, sig in sigs.items():
        peaks = sagittal.heel_peaks(
            sig.h_heel, max(1, int(cfg.min_separation_stride * stride_frames)), cfg.min_prominence_leg
        )
        for peak in peaks:
            knee_s = sagittal.refine_contact(sig, t, int(peak), stride_frames, leg_px, cfg, held)
            if knee_s is None:
                print(f"  {side:5s} zeni {peak:3d}: no contact")
                continue
            mid_s, to_s = sagittal._stance_events(sig, t, knee_s, stride_s)
            found.append((side, knee_s, mid_s, to_s, int(peak)))
    ground_vx = sagittal._ground_velocity(sigs, t, [f[:4] for f in found])
    print(f"ground velocity {ground_vx / leg_px:+.2f} leg/s")
    for side, knee_s, mid_s, to_s, peak in sorted(found, key=lambda f: f[1]):
        sig = sigs[side]
        own = float("nan") if mid_s is None else sagittal.stance_velocity(sig, t, mid_s, to_s)
        settle = None
        if mid_s is not None:
            vx = ground_vx if to_s is None and math.isfinite(ground_vx) else None
            settle = sagittal.settle_time(sig, t, mid_s, to_s, stride_s, cfg.settle_velocity_fraction, vx)
        print(
            f"  {side:5s} zeni {peak:3d}  knee {knee_s * fps:6.2f}  settle "
            f"{'-' if settle is None else f'{settle * fps:6.2f}'}  own stance vx {own / leg_px:+.2f} leg/s  "
            f"mid {'-' if mid_s is None else f'{mid_s * fps:6.2f}'}  toe-off {'-' if to_s is None else f'{to_s * fps:6.2f}'}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip")
    ap.add_argument("--frames", default=None, help="A:B, the frames to print (default: all)")
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args(argv)
    settings = settings_with(args.set)
    raw = load_landmarks(CACHE_DIR / f"{args.clip}.npz")
    prepared = prepare(raw, settings)
    traj, leg_px, sign = prepared.clean, prepared.leg_length_px, prepared.direction_sign
    fps = traj.fps
    t = traj.time_s
    labels = read_labels(LABELS_DIR / f"{args.clip}.csv", t)
    print(f"{args.clip}: leg {leg_px:.0f} px, direction {prepared.direction_name}, fps {fps:.2f}")
    print("labels:", [(round(lab.contact_s * fps, 1), lab.foot) for lab in labels])
    print("stride", prepared.events.stride_time_s)
    for st in prepared.events.steps:
        to = None if st.toe_off_s is None else round(st.toe_off_s * fps, 2)
        mid = None if st.midstance_s is None else round(st.midstance_s * fps, 2)
        print(
            f"  step {st.side:5s} contact {st.contact_s * fps:6.2f}  mid {mid}  toe-off {to}  valid {st.valid}"
        )
    sigs = {s: foot_signals(traj, s, sign, leg_px) for s in ("left", "right")}
    print_markers(traj, sigs, prepared.events.stride_time_s, leg_px, settings.gait)
    rep = traj.repeated if traj.repeated is not None else np.zeros(len(t), bool)
    a, b = 0, len(t)
    if args.frames:
        a, b = (int(x) for x in args.frames.split(":"))
    print("frame rep | L h_heel  low_y   vy/leg  flex   vx/leg | R h_heel  low_y   vy/leg  flex   vx/leg")
    for k in range(a, min(b, len(t))):
        row = [f"{k:5d} {'R' if rep[k] else ' '}  "]
        for s in ("left", "right"):
            g = sigs[s]
            row.append(
                f"| {g.h_heel[k]:+6.2f} {g.low_y[k]:7.1f} {g.low_vy[k] / leg_px:+6.2f} "
                f"{g.knee_flexion_deg[k]:5.1f} {g.foot_vx[k] / leg_px:+6.2f} "
            )
        print("".join(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
