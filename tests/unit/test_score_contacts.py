"""benchmarks/score_contacts.py helpers: label halves and one-to-one matching (known answers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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


def test_second_labels_attach_to_the_nearest_contact_within_the_limit_whatever_the_foot_is_named() -> None:
    first = [
        score_contacts.Label(1.0, None, "left", "heel", "high"),
        score_contacts.Label(1.4, None, "right", "heel", "high"),
        score_contacts.Label(1.8, None, "left", "heel", "high"),
    ]
    # 1.03 pairs with 1.0 although named right (mirrored clips); 1.43 and 1.77 pair; 2.5 lies beyond the limit.
    second = [
        score_contacts.Label(1.03, None, "right", "heel", "high"),
        score_contacts.Label(1.43, None, "right", "heel", "high"),
        score_contacts.Label(1.77, None, "left", "heel", "high"),
        score_contacts.Label(2.5, None, "left", "heel", "high"),
    ]
    got = score_contacts.attach_second_labels(first, second, 0.05)
    assert [lab.second_contact_s for lab in got] == [1.03, 1.43, 1.77]


def test_a_contact_labelled_twice_scores_against_the_nearer_label() -> None:
    # Labels at frames 10 (first) and 11 (second), formcheck at 11: on the second labeller's frame.
    assert score_contacts.error_against_either(1.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == 0.0
    # formcheck at 12: one frame from the second, two from the first.
    assert score_contacts.error_against_either(2.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == 1.0
    # formcheck at 9: the first labeller's frame is nearer; ties go to the first labeller.
    assert score_contacts.error_against_either(-1.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == -1.0
    # Sub-frame errors (rendered clips): the nearer one, whichever side.
    assert score_contacts.error_against_either(
        0.8, 10 / 30, 11 / 30, 30.0, whole_frames=False
    ) == pytest.approx(-0.2)
