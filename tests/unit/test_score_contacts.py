"""benchmarks/score_contacts.py helpers: label halves and one-to-one matching (known answers)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import score_contacts  # noqa: E402


def _labels(n: int) -> list[score_contacts.Label]:
    return [score_contacts.Label(0.4 * i, None, "left", "heel", "high") for i in range(n)]


def test_halves_split_each_clip_in_time_order_and_cover_it() -> None:
    labels = _labels(5)
    first = score_contacts.half_of(labels, "first")
    second = score_contacts.half_of(labels, "second")
    assert [lab.contact_s for lab in first] == [0.0, 0.4, 0.8]
    assert first + second == labels
    assert score_contacts.half_of(labels, None) == labels


def test_matching_pairs_closest_first_and_only_within_the_limit() -> None:
    # 1.02 is closer to 1.0 than 0.95 is; 0.95 then pairs with nothing else within 0.1 s; 3.0 has no label.
    pairs = score_contacts.match_nearest([1.0, 2.0], [0.95, 1.02, 2.05, 3.0], 0.1)
    assert pairs == [(0, 1), (1, 2)]
