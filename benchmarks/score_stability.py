"""Verdicts that must agree: mirror images of one clip, and takes of one runner on the same day.

    python benchmarks/score_stability.py

Prints each headline metric's value, interval and verdict for every pair, and counts the verdicts that differ.
Pairs (clips/LABELS.md and the clip collection): side_02/side_07 and side_06/side_12 are mirror images,
side_24/side_25 two takes of one runner on one day.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.metrics.registry import HEADLINE_IDS  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
PAIRS = (("side_02", "side_07"), ("side_06", "side_12"), ("side_24", "side_25"))


def verdicts(name: str) -> dict[str, tuple[object, object, str]] | str:
    try:
        a = analyze_trajectories(load_landmarks(CACHE_DIR / f"{name}.npz"), AnalysisSettings())
    except FormcheckError as e:
        return f"not analysed: {e}"
    # The value and interval the verdict was judged on (the reach for overstride, the heel-landing share for the
    # foot-strike type), else the metric's own.
    return {
        mid: (m.extra.get("verdict_value", m.value), m.extra.get("verdict_interval") or m.interval, m.verdict)
        for mid, m in a.metrics.items()
        if mid in HEADLINE_IDS
    }


def main() -> int:
    differ = compared = 0
    for a, b in PAIRS:
        va, vb = verdicts(a), verdicts(b)
        print(f"{a} / {b}")
        if isinstance(va, str) or isinstance(vb, str):
            print(
                f"  {a}: {va if isinstance(va, str) else 'analysed'}; {b}: {vb if isinstance(vb, str) else 'analysed'}"
            )
            differ += 1
            compared += 1
            continue
        for mid in HEADLINE_IDS:
            if mid not in va:
                continue
            (x, ix, v1), (y, iy, v2) = va[mid], vb[mid]
            mark = "" if v1 == v2 else "   <- differs"
            print(f"  {mid:24s} {x!s:>9} {ix!s:>16} {v1:10s} | {y!s:>9} {iy!s:>16} {v2:10s}{mark}")
            compared += 1
            differ += v1 != v2
    print(f"\n{differ} of {compared} headline verdicts differ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
