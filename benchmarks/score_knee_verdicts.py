"""Knee bend at midstance on every cached side clip: value, 95% interval and verdict, grouped by label.

    python benchmarks/score_knee_verdicts.py [--config FILE]

The coach's audit of ``knee_flexion_midstance_deg`` (docs/verdicts.md, "Knee bend at midstance: what the
literature supports"): which verdict each real side clip and each rendered sample gets under the bands in force
(the defaults, or a coach's ``--config``). Labels from ../shared/clips/LABELS.md (good form / overstride; the
held-back clips are "held back"). Reads ``benchmarks/.cache`` (``benchmarks/cache_landmarks.py``); about 10 s.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.config_file import load_settings_file  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

METRIC = "knee_flexion_midstance_deg"
CACHE_DIR = ROOT / "benchmarks" / ".cache"
SAMPLES = ("side_good_form", "side_overstride_heel")
LABELS = {
    **dict.fromkeys(
        ("side_01", "side_02", "side_06", "side_07", "side_10", "side_12", "side_16", "side_21"), "good form"
    ),
    **dict.fromkeys(("side_03", "side_13", "side_17", "side_22"), "overstride"),
    **dict.fromkeys(SAMPLES, "rendered sample"),
}
GROUPS = ("good form", "overstride", "held back", "rendered sample")


def rows(settings: AnalysisSettings) -> list[tuple[str, str, object, object, str]]:
    """(group, clip, value, interval, verdict) of every cached side clip."""
    out = []
    for path in sorted(CACHE_DIR.glob("*.npz")):
        try:
            analysis = analyze_trajectories(load_landmarks(path), settings)
        except FormcheckError:
            continue
        if analysis.view != "side" or METRIC not in analysis.metrics:
            continue
        m = analysis.metrics[METRIC]
        group = LABELS.get(path.stem, "held back")
        out.append((group, path.stem, m.value, m.interval, m.verdict))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="a coach's settings file (TOML), as formcheck analyze --config")
    args = parser.parse_args(argv)
    settings = load_settings_file(args.config) if args.config else AnalysisSettings()
    found = rows(settings)
    for group in GROUPS:
        members = [r for r in found if r[0] == group]
        if not members:
            continue
        print(f"\n{group} ({len(members)} clips)")
        for _, clip, value, interval, verdict in members:
            iv = "" if not interval else f"{interval[0]:.1f} to {interval[1]:.1f}"
            shown = "-" if value is None else f"{value:.1f}"
            print(f"  {clip:34s} {shown:>6s} deg  [{iv:>13s}]  {verdict}")
        counts = Counter(r[4] for r in members)
        print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
