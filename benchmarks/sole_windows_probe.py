"""Per contact of one side clip, what the sole timing sees (docs/contacts.md "Why the sole was late"): the sole
edge's and the foot's lowest landmark's heights above their stance levels over the window frames (px, up
positive), the landmark and sole contact frames, the edge lead and whether the edge rose again after coming down.

    python benchmarks/sole_windows_probe.py side_12 [--clips ../shared/clips]

Reads the cached landmarks (benchmarks/.cache) and decodes the clip's foot crops once. No label is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck import sole_edge  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import prepare  # noqa: E402
from formcheck.video.foot_crops import cut_crops  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
CLIPS_DIR = ROOT.parent / "shared" / "clips"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--clips", type=Path, default=CLIPS_DIR)
    args = ap.parse_args(argv)
    settings, cfg = AnalysisSettings(), sole_edge.SoleEdgeSettings()
    prepared = prepare(load_landmarks(args.cache / f"{args.clip}.npz"), settings)
    raw, steps, leg = prepared.raw, prepared.events.steps, prepared.leg_length_px
    xy = sole_edge.picture_xy(prepared.clean.xy_px, prepared.roll_deg, raw.video.width, raw.video.height)
    size = (raw.video.width, raw.video.height)
    plans = sole_edge.plan_windows(xy, raw.time_s, [(s.side, s.contact_s) for s in steps], leg, size)
    crops = cut_crops(args.clips / f"{args.clip}.mp4", {j: (p.frames, p.box) for j, p in plans.items()})
    stance = list(range(sole_edge.BEFORE + cfg.stance_from, sole_edge.BEFORE + cfg.stance_to + 1))
    print(f"{args.clip}: leg {leg:.0f} px, tolerance {cfg.tol * leg:.1f} px, view {prepared.view}")
    for j, plan in plans.items():
        foot_px = sole_edge.local_points(xy, plan, steps[j].side)
        t = raw.time_s[list(plan.frames)]
        r = sole_edge.time_contact(crops[j], foot_px, t, leg, cfg)
        lead = sole_edge.contact_lead(r, foot_px, leg, cfg)
        sole = "-" if r["t"] is None else f"{r['t'] * raw.fps:.2f}"
        print(
            f"#{j} {steps[j].side:5s} frames {plan.frames[0]}-{plan.frames[-1]}  landmarks "
            f"{steps[j].contact_s * raw.fps:.2f}  sole {sole}  lead {lead:+.3f} leg  used {sole_edge.usable(r)}"
            f"  rose again {r.get('rose_again', False)}"
        )
        if r["edge"] is not None:
            low = foot_px[:, :2, 1].max(axis=1)
            print("    edge up", np.round(r["level"] - np.asarray(r["edge"]), 1))
            print("    foot up", np.round(np.nanmedian(low[stance]) - low, 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
