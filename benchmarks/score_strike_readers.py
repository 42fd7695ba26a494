"""The foot-strike pattern as up to three people read it, and formcheck against each and against their majority
(issue 15: "strike pattern agrees with the labels on at least 85%"; docs/strike.md "Three readers").

    python benchmarks/score_strike_readers.py [--third benchmarks/labels/strike_third] [--per-step]

Readers: the first labeller (``benchmarks/labels/contacts``), the second where there is one
(``contacts_second``, paired by time as in ``score_contacts.py``) and a third reading of the pattern alone at the
first labeller's contact frames, with an estimated sole angle (``strike_third``: clip, contact_frame, foot,
pattern, sole_angle_deg, confidence, note). Only clips the third reader read are scored. formcheck's per-step
class (``foot_strike_type``'s per-step values) is matched to the first labeller's frames by ``score_contacts.py``'s
matching; ``unclear`` is no class. Prints, per clip and in all: each pair of readers' agreement, formcheck's
agreement with each reader, with the majority class (two or three readers seeing the same class), and the rank
correlation of formcheck's per-step strike angle with the third reader's sole angle.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.score_contacts import (  # noqa: E402
    CACHE_DIR,
    LABELS_DIR,
    PATTERN_TO_CLASS,
    SECOND_LABELS_DIR,
    attach_second_labels,
    match_nearest,
    read_labels,
    strike_classes,
)
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

THIRD_DIR = ROOT / "benchmarks" / "labels" / "strike_third"
READERS = ("first", "second", "third")


@dataclass(frozen=True)
class Reading:
    """One landing as the readers and formcheck classed it (None: not read, or no class)."""

    clip: str
    frame: int
    classes: dict[str, str | None]  # reader -> class
    sole_angle_deg: float | None  # the third reader's estimate
    formcheck: str | None
    formcheck_angle_deg: float | None


def majority_class(classes: list[str | None]) -> str | None:
    """The class at least two readers saw, or None (fewer than two agree)."""
    seen = Counter(c for c in classes if c is not None)
    if not seen:
        return None
    kind, n = seen.most_common(1)[0]
    return kind if n >= 2 else None


def agreement(pairs: list[tuple[str | None, str | None]]) -> tuple[float, int]:
    """Share of pairs with both sides classed that agree, and their number."""
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    return (sum(a == b for a, b in both) / len(both) if both else float("nan")), len(both)


def read_third(path: Path) -> dict[int, tuple[str, float | None]]:
    """contact frame -> (pattern, sole angle in degrees or None)."""
    out: dict[int, tuple[str, float | None]] = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            frame = row.get("contact_frame", "").strip()
            if not frame:
                continue
            angle = row.get("sole_angle_deg", "").strip()
            try:
                value = float(angle) if angle else None
            except ValueError:
                value = None
            out[int(frame)] = (row.get("pattern", "").strip(), value)
    return out


def clip_readings(
    clip: str, third: dict[int, tuple[str, float | None]], cache: Path
) -> tuple[list[Reading], float | None]:
    """Each labelled landing as the readers and formcheck classed it, and formcheck's runner strike angle."""
    raw = load_landmarks(cache / f"{clip}.npz")
    labels = read_labels(LABELS_DIR / f"{clip}.csv", raw.time_s)
    second = SECOND_LABELS_DIR / f"{clip}.csv"
    if second.is_file():
        labels = attach_second_labels(labels, read_labels(second, raw.time_s), 2.5 / raw.fps)
    analysis = analyze_trajectories(raw, AnalysisSettings())
    steps = analysis.events.steps
    classes = strike_classes(analysis)
    angles_metric = analysis.metrics.get("foot_strike_angle_deg")
    angles = list(angles_metric.per_step) if angles_metric and angles_metric.per_step else [None] * len(steps)
    stride = analysis.events.stride_time_s or 0.7
    pairs = dict(
        match_nearest([lab.contact_s for lab in labels], [st.contact_s for st in steps], 0.3 * stride)
    )
    frame_of = {float(t): k for k, t in enumerate(raw.time_s)}
    out = []
    for i, lab in enumerate(labels):
        frame = frame_of[lab.contact_s]
        pattern3, sole = third.get(frame, ("", None))
        j = pairs.get(i)
        out.append(
            Reading(
                clip=clip,
                frame=frame,
                classes={
                    "first": PATTERN_TO_CLASS.get(lab.pattern),
                    "second": PATTERN_TO_CLASS.get(lab.second_pattern or ""),
                    "third": PATTERN_TO_CLASS.get(pattern3),
                },
                sole_angle_deg=sole,
                formcheck=None if j is None else classes[j],
                formcheck_angle_deg=None if j is None or angles[j] is None else float(angles[j]),
            )
        )
    runner = None if angles_metric is None or angles_metric.value is None else float(angles_metric.value)
    return out, runner


def summary_line(name: str, rows: list[Reading]) -> str:
    parts = [f"{name:24s} {len(rows):3d} landings"]
    for a, b in (("first", "second"), ("first", "third"), ("second", "third")):
        share, n = agreement([(r.classes[a], r.classes[b]) for r in rows])
        if n:
            parts.append(f"{a[0]}-{b[0]} {100 * share:5.1f}% of {n:3d}")
    for reader in READERS:
        share, n = agreement([(r.classes[reader], r.formcheck) for r in rows])
        if n:
            parts.append(f"fc-{reader[0]} {100 * share:5.1f}% of {n:3d}")
    share, n = agreement([(majority_class(list(r.classes.values())), r.formcheck) for r in rows])
    parts.append(f"fc-majority {100 * share:5.1f}% of {n:3d}")
    both = [(r.sole_angle_deg, r.formcheck_angle_deg) for r in rows]
    both = [(a, b) for a, b in both if a is not None and b is not None]
    if len(both) >= 5:
        rho = spearmanr(*zip(*both, strict=True)).statistic
        parts.append(
            f"angle rho {rho:+.2f} (n {len(both)}, third median {np.median([a for a, _ in both]):+.1f})"
        )
    return "  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--third", type=Path, default=THIRD_DIR)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--per-step", action="store_true")
    ap.add_argument("--all", action="store_true", help="also every other labelled clip (one or two readers)")
    args = ap.parse_args(argv)
    files = sorted(args.third.glob("*.csv"))
    if not files:
        print(f"no third readings in {args.third}", file=sys.stderr)
        return 2
    everything: list[Reading] = []
    angle_lines: list[str] = []
    for path in files:
        third = read_third(path)
        rows, corrected = clip_readings(path.stem, third, args.cache)
        everything += rows
        print(summary_line(path.stem, rows))
        if args.per_step:
            for r in rows:
                print(
                    f"    {r.frame:4d} {r.classes} sole {r.sole_angle_deg} formcheck {r.formcheck} "
                    f"{r.formcheck_angle_deg}"
                )
        sole = [a for _, a in third.values() if a is not None]
        angle_lines.append(
            f"  {path.stem:24s} formcheck {fmt(corrected)} / {fmt(uncorrected_runner_angle(path.stem, args.cache))}"
            f"   third reader {fmt(float(np.median(sole)) if sole else None)} (n {len(sole)})"
        )
    print(summary_line("ALL", everything))
    if args.all:
        print_every_clip(everything, {path.stem for path in files}, args.cache)
    print()
    print(
        "runner angle (deg): formcheck (corrected / raw, correction off) against the third reader's median sole angle"
    )
    print("\n".join(angle_lines))
    return 0


def fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:+5.1f}"


def uncorrected_runner_angle(clip: str, cache: Path) -> float | None:
    """formcheck's runner strike angle (``foot_strike_angle_deg``) without the pose-bias correction."""
    import dataclasses

    settings = AnalysisSettings()
    settings = dataclasses.replace(
        settings, uncertainty=dataclasses.replace(settings.uncertainty, correct_pose_strike_bias=False)
    )
    m = analyze_trajectories(load_landmarks(cache / f"{clip}.npz"), settings).metrics.get(
        "foot_strike_angle_deg"
    )
    return None if m is None or m.value is None else float(m.value)


def print_every_clip(read_by_three: list[Reading], third_clips: set[str], cache: Path) -> None:
    """The figures over every labelled clip: those the third reader read and the rest (one or two readers)."""
    rest: list[Reading] = []
    for path in sorted(LABELS_DIR.glob("*.csv")):
        if path.stem in third_clips or not (cache / f"{path.stem}.npz").is_file():
            continue
        try:
            rest += clip_readings(path.stem, {}, cache)[0]
        except FormcheckError as e:  # a slow-motion file without its capture rate: no class to compare
            print(f"{path.stem:24s} skipped, refused: {e}", file=sys.stderr)
    every = read_by_three + rest
    print(summary_line("every labelled clip", every))
    single = [
        (r.classes["first"], r.formcheck)
        for r in every
        if sum(c is not None for c in r.classes.values()) == 1
    ]
    share, n = agreement(single)
    print(
        f"{'':24s} where one person (the first labeller) read the pattern: formcheck agrees {100 * share:.1f}% of {n}"
    )
    share, n = agreement([(majority_class(list(r.classes.values())), r.formcheck) for r in every])
    print(f"{'':24s} where two or three people saw one class: formcheck agrees {100 * share:.1f}% of {n}")


if __name__ == "__main__":
    raise SystemExit(main())
