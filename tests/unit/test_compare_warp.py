"""The contact matching and time warp of ``formcheck compare`` on known answers: same and different cadences, a
landing missing on one side, different frame rates, and the alignment it yields (every matched landing shown
beside its partner's contact frame)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.compare.warp import (
    Contact,
    ContactPair,
    alignment,
    contact_frame,
    contact_warp,
    frame_map,
    match_contacts,
    step_ordinals,
)


def landings(first_s: float, step_s: float, n: int, first_side: str = "left") -> list[Contact]:
    other = {"left": "right", "right": "left"}
    sides = [first_side if i % 2 == 0 else other[first_side] for i in range(n)]
    return [Contact(first_s + i * step_s, s) for i, s in enumerate(sides)]


def frames(fps: float, duration_s: float) -> np.ndarray:
    return np.arange(int(round(duration_s * fps))) / fps


def errors(a: list[Contact], b: list[Contact], fa: np.ndarray, fb: np.ndarray) -> list[int | None]:
    pairs = match_contacts(a, b)
    warp = contact_warp(pairs, fa, fb)
    return [x.error_frames for x in alignment(pairs, frame_map(warp, fa, fb), fa, fb)]


def test_same_cadence_pairs_first_landings_of_the_same_foot():
    a = landings(0.20, 0.35, 8, "left")
    b = landings(0.50, 0.35, 8, "right")  # B starts with the other foot
    pairs = match_contacts(a, b)
    assert [p.side for p in pairs] == ["left", "right"] * 3 + ["left"]  # A's feet, in A's order
    assert all(
        next(c.side for c in a if c.time_s == p.a_s) == next(c.side for c in b if c.time_s == p.b_s)
        for p in pairs
    )
    # A's first (left) landing goes with B's first left landing, 0.85 s; then step for step.
    assert pairs[0] == ContactPair("left", 0.20, pytest.approx(0.85))
    assert len(pairs) == 7
    assert [p.b_s - p.a_s for p in pairs] == pytest.approx([0.65] * 7)


def test_different_cadences_warp_hits_every_landing_exactly():
    a = landings(0.10, 60 / 160, 12)  # 160 steps/min
    b = landings(0.30, 60 / 180, 14)  # 180 steps/min
    fa, fb = frames(30, 5.0), frames(30, 5.0)
    pairs = match_contacts(a, b)
    assert len(pairs) == 12
    assert errors(a, b, fa, fb) == [0] * 12
    warp = contact_warp(pairs, fa, fb)
    # Between landings B's clock runs at B's pace against A's: 160/180 of A's.
    assert warp.slope == pytest.approx(160 / 180, rel=0.05)


def test_a_missed_landing_on_one_side_leaves_only_its_partner_unpaired():
    a = landings(0.10, 0.35, 10)
    b = landings(0.25, 0.35, 10)
    del b[4]  # B's fifth landing (left, 1.65 s) was not detected
    pairs = match_contacts(a, b)
    assert len(pairs) == 9
    assert [round(p.b_s - p.a_s, 6) for p in pairs] == [0.15] * 9  # every other pair still step for step
    assert 0.10 + 4 * 0.35 not in [p.a_s for p in pairs]


def test_step_ordinals_count_a_gap_of_the_same_foot_as_two_steps():
    c = [Contact(0.0, "left"), Contact(0.35, "right"), Contact(1.05, "right"), Contact(1.40, "left")]
    assert step_ordinals(c, 0.35) == [0, 1, 3, 4]


def test_thirty_against_sixty_fps():
    a = landings(0.12, 0.36, 10)
    b = landings(0.31, 0.34, 11, "right")
    fa, fb = frames(30, 4.5), frames(60, 4.5)
    errs = errors(a, b, fa, fb)
    assert len(errs) >= 9 and errs == [0] * len(errs)
    # and the other way round: a 60 fps A beside a 30 fps B
    errs = errors(b, a, fb, fa)
    assert len(errs) >= 9 and errs == [0] * len(errs)


def test_contact_frame_is_the_first_frame_at_or_after_the_contact():
    f = frames(30, 1.0)
    assert contact_frame(f, 0.1) == 3  # 0.1 s is frame 3's time (within float error)
    assert contact_frame(f, 0.101) == 4
    assert contact_frame(f, 2.0) is None


def test_frames_outside_b_are_left_out_and_the_map_never_runs_backwards():
    a = landings(1.0, 0.35, 6)
    b = landings(0.2, 0.35, 6)
    fa, fb = frames(30, 3.5), frames(30, 2.5)
    fmap = frame_map(contact_warp(match_contacts(a, b), fa, fb), fa, fb)
    assert np.all(np.diff(fmap.b_index) >= 0)
    assert fmap.b_index.min() >= 0 and fmap.b_index.max() < len(fb)
    # B is filmed 0.8 s earlier in its clip: A's first 0.8 s have no B beside them.
    assert fa[fmap.a_index[0]] == pytest.approx(0.8, abs=1 / 30)


def test_no_landing_of_the_same_foot_gives_no_pairs():
    assert match_contacts([Contact(0.5, "left")], [Contact(0.7, "right")]) == []
    assert contact_warp([], frames(30, 1), frames(30, 1)) is None
