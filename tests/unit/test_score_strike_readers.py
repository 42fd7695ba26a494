"""benchmarks/score_strike_readers.py: the majority of up to three readers, agreement, and the third reader's file."""

from __future__ import annotations

import math
from pathlib import Path

from benchmarks.score_strike_readers import agreement, majority_class, read_third


def test_majority_needs_two_readers_seeing_one_class() -> None:
    assert majority_class(["rearfoot", "midfoot", "rearfoot"]) == "rearfoot"
    assert majority_class(["rearfoot", None, "rearfoot"]) == "rearfoot"
    assert majority_class(["rearfoot", "midfoot", None]) is None
    assert majority_class(["midfoot", None, None]) is None
    assert majority_class([None, None, None]) is None


def test_agreement_counts_only_pairs_classed_on_both_sides() -> None:
    share, n = agreement(
        [("rearfoot", "rearfoot"), ("midfoot", "rearfoot"), (None, "rearfoot"), ("midfoot", None)]
    )
    assert (share, n) == (0.5, 2)
    share, n = agreement([(None, "rearfoot")])
    assert math.isnan(share) and n == 0


def test_third_reader_file(tmp_path: Path) -> None:
    path = tmp_path / "side_99.csv"
    path.write_text(
        "clip,contact_frame,foot,pattern,sole_angle_deg,confidence,note\n"
        "side_99,8,left,heel,14,high,toes up\n"
        "side_99,20,right,unclear,,low,blurred\n"
        "side_99,31,left,flat,about 3,low,\n",
        encoding="utf-8",
    )
    assert read_third(path) == {8: ("heel", 14.0), 20: ("unclear", None), 31: ("flat", None)}
