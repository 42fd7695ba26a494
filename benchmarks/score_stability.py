"""Verdicts that must agree: mirror images of one clip, and takes of one runner on the same day.

    python benchmarks/score_stability.py [--set gait.contact_timing='"landmarks"']

Prints each headline metric's value, interval and verdict for every pair, and counts the verdicts that differ.
Pairs (clips/LABELS.md and the clip collection): side_02/side_07 and side_06/side_12 are mirror images,
side_24/side_25 two takes of one runner on one day.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from score_contacts import CLIPS_DIR, add_settings_options, analyze, settings_with  # noqa: E402

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.metrics.registry import HEADLINE_IDS, REGISTRY, bands_for  # noqa: E402
from formcheck.metrics.uncertainty import interval_verdict  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
PAIRS = (("side_02", "side_07"), ("side_06", "side_12"), ("side_24", "side_25"))
# The foot-strike type is a flag only when the share of heel landings lies above one half with its interval
# (metrics/foot_strike.py _type_verdict): for this check, flag above the line and watch below, so that an interval
# across it reads borderline.
HEEL_SHARE_LINE_PCT = 50.0


def _verdict_rule(metric_id: str) -> tuple[Callable[[float], str], list[float]] | None:
    """The point verdict of the judged quantity of ``metric_id`` and the values where it changes."""
    if metric_id == "foot_strike_type":
        return (lambda v: "flag" if v > HEEL_SHARE_LINE_PCT else "watch"), [HEEL_SHARE_LINE_PCT]
    bands = bands_for(metric_id, AnalysisSettings().thresholds)
    if bands is None:
        return None
    ends = [e for lo_hi in (*bands.good, *bands.watch, *(bands.flag or ())) for e in lo_hi]
    return bands.verdict, sorted({e for e in ends if math.isfinite(e)})


def edge_distance(metric_id: str, value: object, interval: object, verdict: str = "") -> float | None:
    """The smallest move of the value or of one end of its interval, in the metric's unit, that changes the
    verdict under the rule formcheck applies (``uncertainty.interval_verdict``); None without a number or bands.
    Only the value's band decides between good and watch, and only the interval's ends decide flag against
    borderline, so a move across a line that changes nothing does not count. A foot-strike type that is not a
    heel-strike flag or borderline does not look at its share's interval, only at the share."""
    rule = _verdict_rule(metric_id)
    if metric_id == "foot_strike_type" and verdict not in ("flag", "borderline") and interval:
        interval = (value, value)
    if rule is None or not isinstance(value, (int, float)) or not interval:
        return None
    verdict_of, lines = rule
    x, lo, hi = float(value), float(interval[0]), float(interval[1])
    now = interval_verdict(verdict_of, x, (lo, hi))
    moves = []
    for which, point in enumerate((x, lo, hi)):
        for line in lines:
            for beyond in (line - 1e-6, line + 1e-6):
                moved = [x, lo, hi]
                moved[which] = beyond
                x2, lo2, hi2 = moved
                if lo2 <= x2 <= hi2 and interval_verdict(verdict_of, x2, (lo2, hi2)) != now:
                    moves.append(abs(beyond - point))
    return min(moves) if moves else None


def robustness(metric_id: str, a: tuple, b: tuple) -> str:
    """'overlap yes d/SDD 0.5 edge 0.1/2.1' for one pair's row (see the module docstring)."""
    (x, ix, va), (y, iy, vb) = a, b
    if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
        return ""
    overlap = "-" if not ix or not iy else ("yes" if ix[0] <= iy[1] and iy[0] <= ix[1] else "no")
    spec = REGISTRY.get(metric_id)
    sdd = spec.sdd.of(float(x)) if spec is not None and spec.sdd is not None else None
    ratio = f"{abs(y - x) / sdd:4.2f}" if sdd else "   -"
    ea, eb = edge_distance(metric_id, x, ix, va), edge_distance(metric_id, y, iy, vb)
    edges = "/".join("-" if e is None else f"{e:.2f}" if e < 1 else f"{e:.1f}" for e in (ea, eb))
    return f"overlap {overlap:3s} d/SDD {ratio} edge {edges}"


def verdicts(
    name: str, settings: AnalysisSettings | None = None, clips: Path = CLIPS_DIR
) -> dict[str, tuple[object, object, str]] | str:
    try:
        a = analyze(
            load_landmarks(CACHE_DIR / f"{name}.npz"), settings or AnalysisSettings(), clips / f"{name}.mp4"
        )
    except FormcheckError as e:
        return f"not analysed: {e}"
    # The value and interval the verdict was judged on (the reach for overstride, the heel-landing share for the
    # foot-strike type), else the metric's own.
    return {
        mid: (m.extra.get("verdict_value", m.value), m.extra.get("verdict_interval") or m.interval, m.verdict)
        for mid, m in a.metrics.items()
        if mid in HEADLINE_IDS
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_settings_options(ap)
    args = ap.parse_args(argv)
    settings = settings_with(args.set)
    differ = compared = 0
    for a, b in PAIRS:
        va, vb = verdicts(a, settings, args.clips), verdicts(b, settings, args.clips)
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
            print(
                f"  {mid:24s} {x!s:>9} {ix!s:>16} {v1:10s} | {y!s:>9} {iy!s:>16} {v2:10s} "
                f"{robustness(mid, va[mid], vb[mid])}{mark}"
            )
            compared += 1
            differ += v1 != v2
    print(f"\n{differ} of {compared} headline verdicts differ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
