"""How closely two people labelling foot contacts by eye agree: the floor under any contact-timing goal.

    python benchmarks/score_labellers.py [--first benchmarks/labels/contacts] [--second benchmarks/labels/contacts_second]

For every clip labelled in both folders, each second-set contact is paired one-to-one with the first set's contact
nearest in frames (within ``--match-frames``, closest pairs first). Pairing is by time, not by the foot's name: in
a mirrored clip one labeller may name the runner's real left what the other names the picture's left, so the
pairs whose feet are named differently are counted instead. Printed per clip and over all clips: the share on the
same frame, within one frame, the signed mean (second minus first) and the distribution of differences, for
contacts and toe-offs; unpaired labels of either set; and strike-pattern agreement where both sets saw a pattern.

The same counts formcheck gets from ``benchmarks/score_contacts.py`` (its marked frame against a label) can then be
read against how often two labellers land on the same frame.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from score_contacts import match_nearest

ROOT = Path(__file__).resolve().parents[1]
FIRST_DIR = ROOT / "benchmarks" / "labels" / "contacts"
SECOND_DIR = ROOT / "benchmarks" / "labels" / "contacts_second"
SEEN_PATTERNS = ("heel", "flat", "forefoot")


@dataclass(frozen=True)
class FrameLabel:
    contact_frame: int
    toe_off_frame: int | None
    foot: str
    pattern: str
    confidence: str


@dataclass
class Agreement:
    name: str
    contact_diffs: list[int] = field(default_factory=list)  # second - first, frames
    toe_off_diffs: list[int] = field(default_factory=list)
    pattern_pairs: list[tuple[str, str]] = field(default_factory=list)
    unpaired_first: int = 0
    unpaired_second: int = 0
    feet_named_differently: int = 0

    def add(self, other: Agreement) -> None:
        self.contact_diffs += other.contact_diffs
        self.toe_off_diffs += other.toe_off_diffs
        self.pattern_pairs += other.pattern_pairs
        self.unpaired_first += other.unpaired_first
        self.unpaired_second += other.unpaired_second
        self.feet_named_differently += other.feet_named_differently


def read_frame_labels(path: Path) -> list[FrameLabel]:
    """A label file's contacts in frame order; rows without a contact frame are skipped."""
    out = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            frame = (row.get("contact_frame") or "").strip()
            if not frame:
                continue
            toe_off = (row.get("toe_off_frame") or "").strip()
            out.append(
                FrameLabel(
                    int(frame),
                    int(toe_off) if toe_off else None,
                    (row.get("foot") or "").strip().lower(),
                    (row.get("pattern") or "").strip().lower(),
                    (row.get("confidence") or "").strip().lower(),
                )
            )
    return sorted(out, key=lambda lab: lab.contact_frame)


def pair_labels(first: list[FrameLabel], second: list[FrameLabel], max_frames: int) -> list[tuple[int, int]]:
    """One-to-one (first index, second index) pairs, closest in frames first, within ``max_frames``."""
    return match_nearest(
        [lab.contact_frame for lab in first], [lab.contact_frame for lab in second], max_frames
    )


def agreement(name: str, first: list[FrameLabel], second: list[FrameLabel], max_frames: int) -> Agreement:
    """Differences between two labellers' contacts (and toe-offs, patterns) on one clip.

    Only the span both labelled counts: a label of one set before the other's first or after its last is left out,
    so one labeller stopping earlier is not counted as a disagreement."""
    lo = max(first[0].contact_frame, second[0].contact_frame) - max_frames
    hi = min(first[-1].contact_frame, second[-1].contact_frame) + max_frames
    first = [lab for lab in first if lo <= lab.contact_frame <= hi]
    second = [lab for lab in second if lo <= lab.contact_frame <= hi]
    pairs = pair_labels(first, second, max_frames)
    out = Agreement(name)
    out.unpaired_first = len(first) - len(pairs)
    out.unpaired_second = len(second) - len(pairs)
    for i, j in pairs:
        a, b = first[i], second[j]
        out.contact_diffs.append(b.contact_frame - a.contact_frame)
        out.feet_named_differently += a.foot != b.foot
        if a.toe_off_frame is not None and b.toe_off_frame is not None:
            out.toe_off_diffs.append(b.toe_off_frame - a.toe_off_frame)
        if a.pattern in SEEN_PATTERNS and b.pattern in SEEN_PATTERNS:
            out.pattern_pairs.append((a.pattern, b.pattern))
    return out


def describe(diffs: list[int]) -> str:
    """Same frame, within one frame, median |difference|, signed mean and the histogram of differences."""
    if not diffs:
        return "no pairs"
    d = np.asarray(diffs)
    hist = " ".join(f"{k:+d}:{n}" for k, n in sorted(Counter(diffs).items()))
    return (
        f"{len(d):3d} pairs  same frame {100 * np.mean(d == 0):5.1f}%  within 1 {100 * np.mean(abs(d) <= 1):5.1f}%  "
        f"median |diff| {np.median(abs(d)):.1f}  mean {d.mean():+.2f} fr  [{hist}]"
    )


def print_agreement(a: Agreement) -> None:
    patterns = (
        f"pattern agrees {100 * np.mean([x == y for x, y in a.pattern_pairs]):.0f}% of {len(a.pattern_pairs)}"
        if a.pattern_pairs
        else "pattern: none seen by both"
    )
    print(f"{a.name}")
    print(
        f"    contacts  {describe(a.contact_diffs)}  unpaired first {a.unpaired_first} / second {a.unpaired_second}"
    )
    print(f"    toe-offs  {describe(a.toe_off_diffs)}")
    print(f"    {patterns}; feet named differently in {a.feet_named_differently} pairs")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--first", type=Path, default=FIRST_DIR)
    ap.add_argument("--second", type=Path, default=SECOND_DIR)
    ap.add_argument("--match-frames", type=int, default=5, help="largest difference that still pairs, frames")
    args = ap.parse_args(argv)
    clips = sorted(p.stem for p in args.second.glob("*.csv") if (args.first / p.name).exists())
    if not clips:
        print(f"no clip is labelled in both {args.first} and {args.second}", file=sys.stderr)
        return 2
    total = Agreement("ALL")
    for clip in clips:
        first = read_frame_labels(args.first / f"{clip}.csv")
        second = read_frame_labels(args.second / f"{clip}.csv")
        if not first or not second:
            continue
        a = agreement(clip, first, second, args.match_frames)
        print_agreement(a)
        total.add(a)
    print()
    print_agreement(total)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
