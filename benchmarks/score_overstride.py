"""Score the overstride verdict against people's judgement: the side clips that their collection's authors sorted
into "overstride" and "good running form" (``../shared/clips/LABELS.md``).

    python benchmarks/cache_landmarks.py            # once: pose every clip
    python benchmarks/score_overstride.py [--labels ../shared/clips/LABELS.md] [--set gait.contact_timing='"landmarks"']

Prints, per labelled clip, the measures behind the verdict (heel-to-hip distance at contact with its interval,
shank angle, knee flexion at contact), formcheck's verdict and the label, then the balanced accuracy of
``flag`` against the labels (the mean of the share of overstride clips flagged and the share of good-form clips
not flagged), and the same with ``borderline`` counted as a flag. Clips whose labels are held back are listed
with their verdicts only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from score_contacts import add_settings_options, analyze, settings_with  # noqa: E402

from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
LABELS = ROOT.parent / "shared" / "clips" / "LABELS.md"


def read_labels(path: Path) -> dict[str, str]:
    """clip stem -> 'overstride' | 'good form', from the Markdown table of LABELS.md."""
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\|\s*`([^`]+)\.mp4`\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def balanced_accuracy(rows: list[tuple[str, str]], positive: set[str]) -> float:
    """rows: (label, verdict). Mean of recall on overstride clips and specificity on good-form clips."""
    pos = [v for lab, v in rows if lab == "overstride"]
    neg = [v for lab, v in rows if lab != "overstride"]
    if not pos or not neg:
        return float("nan")
    tpr = sum(v in positive for v in pos) / len(pos)
    tnr = sum(v not in positive for v in neg) / len(neg)
    return 0.5 * (tpr + tnr)


def _fmt(v) -> str:
    return "   n/a" if v is None else f"{v:6.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--held-back", action="store_true", help="also list the side clips without labels")
    add_settings_options(ap)
    args = ap.parse_args(argv)
    if not args.labels.is_file():
        print(f"no labels at {args.labels}", file=sys.stderr)
        return 2
    labels = read_labels(args.labels)
    names = sorted(labels)
    if args.held_back:
        names += sorted(p.stem for p in args.cache.glob("side_[0-9]*.npz") if p.stem not in labels)
    settings = settings_with(args.set)
    rows: list[tuple[str, str]] = []
    print(
        f"{'clip':10s} {'label':11s} {'at IC':>6s} {'reach %leg':>20s} {'shank':>6s} {'kneeIC':>6s}  verdict"
    )
    for name in names:
        cache = args.cache / f"{name}.npz"
        if not cache.is_file():
            print(f"{name:10s} no cached landmarks: run benchmarks/cache_landmarks.py", file=sys.stderr)
            continue
        label = labels.get(name, "(held back)")
        try:
            analysis = analyze(load_landmarks(cache), settings, args.clips / f"{name}.mp4")
        except FormcheckError as e:
            verdict = "n/a"
            print(f"{name:10s} {label:11s} not analysed: {e}")
        else:
            m = analysis.metrics["overstride_distance"]
            shank = analysis.metrics["shank_angle_ic_deg"].value
            knee = analysis.metrics["knee_flexion_ic_deg"].value
            interval = m.extra.get("reach_interval")
            iv = f"[{interval[0]:5.1f},{interval[1]:5.1f}]" if interval else " " * 13
            reach = m.extra.get("reach_pctleg")
            verdict = m.verdict
            print(
                f"{name:10s} {label:11s} {_fmt(m.value)} {_fmt(reach)} {iv} {_fmt(shank)} {_fmt(knee)}  {verdict}"
            )
        if name in labels:
            rows.append((label, verdict))
    print()
    print(f"balanced accuracy, flag vs the rest:              {balanced_accuracy(rows, {'flag'}):.2f}")
    print(
        f"balanced accuracy, flag or borderline vs the rest: {balanced_accuracy(rows, {'flag', 'borderline'}):.2f}"
    )
    print(
        f"balanced accuracy, flag/borderline/watch:          {balanced_accuracy(rows, {'flag', 'borderline', 'watch'}):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
