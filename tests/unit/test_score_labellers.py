"""benchmarks/score_labellers.py: two labellers' contacts paired and compared (known answers)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import score_labellers  # noqa: E402
from score_labellers import FrameLabel  # noqa: E402


def _lab(frame: int, foot: str, toe_off: int | None = None, pattern: str = "heel") -> FrameLabel:
    return FrameLabel(frame, toe_off, foot, pattern, "high")


def test_pairs_are_one_to_one_by_time_closest_first_and_count_differently_named_feet() -> None:
    first = [_lab(10, "left"), _lab(20, "right"), _lab(30, "left")]
    # 19 and 21 both lie 1 frame from 20: the first in order wins, 21 is left over (22 frames from nothing else).
    second = [_lab(11, "right"), _lab(19, "right"), _lab(21, "right"), _lab(29, "left")]
    assert score_labellers.pair_labels(first, second, 5) == [(0, 0), (1, 1), (2, 3)]
    a = score_labellers.agreement("clip", first, second, 5)
    assert a.contact_diffs == [1, -1, -1]
    assert a.feet_named_differently == 1  # 10 left against 11 right
    assert (a.unpaired_first, a.unpaired_second) == (0, 1)


def test_agreement_counts_differences_toe_offs_patterns_and_unpaired_within_the_common_span() -> None:
    first = [_lab(5, "right"), _lab(10, "left", 14), _lab(20, "right", 25, "flat"), _lab(30, "left", 35)]
    second = [_lab(11, "left", 14), _lab(20, "right", 26, "heel"), _lab(31, "left"), _lab(60, "right")]
    a = score_labellers.agreement("clip", first, second, 5)
    assert a.contact_diffs == [1, 0, 1]
    assert a.toe_off_diffs == [0, 1]  # the third pair has no second-set toe-off
    assert a.pattern_pairs == [("heel", "heel"), ("flat", "heel"), ("heel", "heel")]
    # Frame 5 lies before the second set's first label less 5 frames, frame 60 after the first set's last plus 5:
    # neither counts as unpaired.
    assert (a.unpaired_first, a.unpaired_second) == (0, 0)


def test_describe_reports_same_frame_and_within_one_shares() -> None:
    text = score_labellers.describe([0, 0, 1, -2])
    assert "same frame  50.0%" in text and "within 1  75.0%" in text and "-2:1" in text
    assert score_labellers.describe([]) == "no pairs"


def test_main_refuses_when_no_clip_is_labelled_twice(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert score_labellers.main(["--first", str(tmp_path / "a"), "--second", str(tmp_path / "b")]) == 2
