"""Every side clip judged with both contact timings: what moves when the contacts come from the shoe's sole instead
of the landmarks (docs/contacts.md "On by default?").

    python benchmarks/contact_timing_verdicts.py [--clips ../shared/clips] [--all]

For each cached side clip (benchmarks/.cache, benchmarks/cache_landmarks.py) prints ``steps.contact_timing`` under
the sole, the leg length, and the measures read at contact (overstride, shank angle, knee flexion at contact,
ground contact time) with the two timings, then every metric whose verdict changes (``--all``: also the metrics
that keep theirs). No label is read.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from score_contacts import CLIPS_DIR, sole_retimed  # noqa: E402

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import measure, prepare  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
AT_CONTACT = ("overstride_distance", "shank_angle_ic_deg", "knee_flexion_ic_deg", "ground_contact_ms")


def with_timing(settings: AnalysisSettings, timing: str) -> AnalysisSettings:
    return dataclasses.replace(settings, gait=dataclasses.replace(settings.gait, contact_timing=timing))


def _num(v: object) -> str:
    return f"{v:7.1f}" if isinstance(v, (int, float)) else f"{v!s:>7}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--clips", type=Path, default=CLIPS_DIR)
    ap.add_argument("--all", action="store_true", help="also the metrics whose verdict does not change")
    args = ap.parse_args(argv)
    base = AnalysisSettings()
    changed = 0
    for path in sorted(args.cache.glob("*side*.npz")):
        try:
            prepared = prepare(load_landmarks(path), with_timing(base, "landmarks"))
        except FormcheckError as e:
            print(f"{path.stem:36s} not analysed: {str(e)[:60]}")
            continue
        if prepared.view != "side":
            continue
        sole_settings = with_timing(base, "sole")
        landmarks = measure(prepared, with_timing(base, "landmarks"))
        sole = measure(sole_retimed(prepared, sole_settings, args.clips / f"{path.stem}.mp4"), sole_settings)
        print(f"{path.stem:36s} leg {prepared.leg_length_px:5.0f} px  {sole.events.contact_timing}")
        for mid in AT_CONTACT:
            a, b = landmarks.metrics.get(mid), sole.metrics.get(mid)
            if a is not None and b is not None:
                va, vb = a.extra.get("verdict_value", a.value), b.extra.get("verdict_value", b.value)
                judged = f"  (judged on {_num(va)} -> {_num(vb)})" if va != a.value or vb != b.value else ""
                print(
                    f"    {mid:26s} {_num(a.value)} -> {_num(b.value)}   {a.verdict:10s} -> {b.verdict}{judged}"
                )
        for mid, a in landmarks.metrics.items():
            b = sole.metrics.get(mid)
            verdict_b = b.verdict if b is not None else "(none)"
            if mid not in AT_CONTACT and (a.verdict != verdict_b or args.all):
                value_b = b.value if b is not None else None
                print(f"    {mid:26s} {_num(a.value)} -> {_num(value_b)}   {a.verdict:10s} -> {verdict_b}")
            changed += a.verdict != verdict_b
    print(f"\n{changed} verdicts change")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
