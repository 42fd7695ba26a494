"""Print the rear/front event detector's per-frame signals around each labelled (or true) contact: the landing
foot's lowest point, its fall speed, the ground line, the still-and-low mask, the hips, the other foot, and (on a
rendered clip) the exact foot and hips. How the rear view's early contacts were found (docs/contacts.md, "The
hovering foot and the lifting foot").

    python benchmarks/frontal_signals_probe.py overground_rear_receding [--labels benchmarks/labels/contacts_second]
    python benchmarks/frontal_signals_probe.py --synthetic DIR/rear30_drop0      # DIR/NAME.npz + NAME.truth.json
    options: --first K (skip the first K contacts), --count N (default 6), --before 8, --after 6 (frames)

Columns: frame, lowest point of the landing foot (6 Hz and 12 Hz tracks, px, y down), its fall speed (12 Hz,
px/frame), ground line, ground line minus the foot, speed (6 Hz) and the still threshold (px/frame), in the
still-and-low mask (1/0), hip-centre y (6 and 12 Hz), the other foot's lowest point; then the exact values.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.gait import frontal  # noqa: E402
from formcheck.processing.filtering import central_velocity  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import prepare  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
LABELS_DIR = ROOT / "benchmarks" / "labels" / "contacts"


def contacts(args: argparse.Namespace, time_s: np.ndarray) -> tuple[list[tuple[float, str]], dict | None]:
    """(time, foot) of each labelled or true contact, and the rendered clip's truth (else None)."""
    if args.synthetic:
        truth = json.loads(Path(f"{args.clip}.truth.json").read_text())
        out = [(float(c), side) for side, ev in truth["events"].items() for c in ev["contact_s"]]
        return sorted(out), truth
    with open(Path(args.labels) / f"{args.clip}.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["contact_frame"].strip()]
    out = [
        (float(time_s[int(r["contact_frame"])]), r["foot"])
        for r in rows
        if int(r["contact_frame"]) < len(time_s)
    ]
    return sorted(out), None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip", help="a cached real clip's name, or with --synthetic DIR/NAME")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--labels", default=str(LABELS_DIR))
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--before", type=int, default=8)
    ap.add_argument("--after", type=int, default=6)
    args = ap.parse_args(argv)
    path = Path(f"{args.clip}.npz") if args.synthetic else CACHE_DIR / f"{args.clip}.npz"
    if not path.is_file():
        print(
            f"no landmarks at {path}: run benchmarks/cache_landmarks.py (or render_contact_set.py)",
            file=sys.stderr,
        )
        return 2
    raw = load_landmarks(path)
    settings = AnalysisSettings()
    cfg = settings.gait
    p = prepare(raw, settings)
    if p.view == "side":
        print(f"{args.clip} is a side view: this probe is for rear and front clips", file=sys.stderr)
        return 2
    t, fps = p.clean.time_s, p.clean.fps
    segment = frontal.cut_segments(p.sharp, cfg.frontal_cut_torso_per_frame)
    sig = frontal.frontal_signals(
        p.clean, p.leg_length_px, p.events.stride_time_s or cfg.typical_stride_s, segment
    )
    sharp_low = frontal.foot_low_y(p.sharp)
    sharp_hip = p.sharp.mid("left_hip", "right_hip")[:, 1]
    threshold = cfg.frontal_stance_speed_leg_per_s * sig.scale_px
    rate = frontal.size_change_rate_per_s(sig.scale_px, fps)
    print(
        f"{args.clip}: view {p.view}, {fps:.2f} fps, leg {p.leg_length_px:.0f} px, size change {100 * rate:.1f}%/s"
    )
    found, truth = contacts(args, raw.time_s)
    exact = None
    if truth is not None:
        exact = np.array(truth["frames"]["landmarks_px"])
        names = truth["landmark_names"]
    for when, side in found[args.first : args.first + args.count]:
        other = "left" if side == "right" else "right"
        k = int(np.searchsorted(t, when - 1e-6))
        mask = frontal.stance_mask(sig, side, fps, cfg)
        fall = central_velocity(sharp_low[side], t) / fps
        marked = [
            round(s.contact_s * fps, 2)
            for s in p.events.steps
            if s.side == side and abs(s.contact_s - when) < 0.2
        ]
        print(f"--- {side} contact at frame {when * fps:.2f}; formcheck's: {marked}")
        print(
            "  fr  low6Hz low12Hz  fall  ground  gap  speed  thr in  hip6Hz hip12Hz  other"
            + ("  | exact low  hip" if exact is not None else "")
        )
        for j in range(max(0, k - args.before), min(len(t), k + args.after)):
            row = (
                f"{j:4d} {sig.low_y[side][j]:7.1f} {sharp_low[side][j]:7.1f} {fall[j]:5.2f} {sig.ground_y[j]:7.1f} "
                f"{sig.ground_y[j] - sig.low_y[side][j]:5.1f} {sig.speed[side][j] / fps:5.2f} {threshold[j] / fps:5.2f}"
                f" {int(mask[j])} {sig.hip_y[j]:7.1f} {sharp_hip[j]:7.1f} {sig.low_y[other][j]:7.1f}"
            )
            if exact is not None and j < len(exact):
                foot = max(
                    exact[j, names.index(f"{side}_heel"), 1], exact[j, names.index(f"{side}_foot_index"), 1]
                )
                hips = 0.5 * (exact[j, names.index("left_hip"), 1] + exact[j, names.index("right_hip"), 1])
                row += f"  | {foot:7.1f} {hips:6.1f}"
            print(row + ("  <- contact" if j == k else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
