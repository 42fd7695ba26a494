"""benchmarks/score_stability.py and score_split_half.py helpers: how near a verdict is to changing, the halves of a
clip's steps and the reach bootstrap's check (known answers, no clips needed)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import UncertaintySettings
from formcheck.model import GaitEvents, Step
from formcheck.trajectory_analysis import PreparedClip

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import score_split_half  # noqa: E402
import score_stability  # noqa: E402


def test_edge_distance_counts_only_moves_that_change_the_verdict() -> None:
    edge = score_stability.edge_distance
    # side_24's overstride: its interval's lower end 0.04 below the 30 %leg cut-off decides borderline or flag.
    assert edge("overstride_distance", 32.6, (29.96, 34.7), "borderline") == pytest.approx(0.04, abs=1e-3)
    assert edge("overstride_distance", 35.1, (32.1, 37.2), "flag") == pytest.approx(2.1, abs=1e-3)
    # A watch value: its band edge (25) is nearer than the flag line for its upper end (30 - 28.8 = 1.2).
    assert edge("overstride_distance", 26.5, (23.9, 28.8), "watch") == pytest.approx(1.2, abs=1e-3)
    # Trunk lean 1.0 (-2.0 to 4.0) is borderline; the value crossing 0 or the upper end crossing 3.5 changes
    # nothing, the lower end rising above 0 makes it watch.
    assert edge("trunk_lean_deg", 1.0, (-2.0, 4.0), "borderline") == pytest.approx(2.0, abs=1e-3)
    # A heel strike without an overstride (watch) does not look at its share's interval, only at the share.
    assert edge("foot_strike_type", 100.0, (54.5, 100.0), "watch") == pytest.approx(50.0, abs=1e-3)
    assert edge("foot_strike_type", 100.0, (87.5, 100.0), "flag") == pytest.approx(37.5, abs=1e-3)
    assert edge("foot_strike_type", "midfoot", None, "good") is None
    assert edge("pelvic_tilt_deg", None, None, "n/a") is None


def test_robustness_row_gives_overlap_difference_over_sdd_and_both_edges() -> None:
    row = score_stability.robustness(
        "overstride_distance", (32.6, (29.96, 34.7), "borderline"), (35.1, (32.1, 37.2), "flag")
    )
    # SDD of the reach: 5 %leg or 15%, whichever is larger (registry): 5 here, so 2.5 / 5 = 0.50.
    assert row == "overlap yes d/SDD 0.50 edge 0.04/2.1"
    apart = score_stability.robustness(
        "cadence_spm", (150.0, (148.0, 152.0), "flag"), (160.0, (158.0, 162.0), "flag")
    )
    assert apart.startswith("overlap no ")
    assert (
        score_stability.robustness("foot_strike_type", ("midfoot", None, "good"), ("midfoot", None, "good"))
        == ""
    )


def _prepared(steps: list[Step]) -> PreparedClip:
    fields = {f.name: None for f in dataclasses.fields(PreparedClip)}
    return PreparedClip(**{**fields, "events": GaitEvents(steps=tuple(steps))})


def test_halves_split_at_the_median_valid_contact_and_keep_rejected_steps_in_place() -> None:
    steps = [Step("left" if i % 2 == 0 else "right", 0.3 * i, valid=i != 3) for i in range(10)]
    parts = score_split_half.halves(_prepared(steps))
    assert parts is not None
    first, second = (p.events.steps for p in parts)
    assert first + second == tuple(steps)
    assert [len([s for s in part if s.valid]) for part in (first, second)] == [4, 5]
    assert not first[3].valid  # the rejected step stays in its half
    # Fewer than 4 valid steps in a half: no halves.
    assert score_split_half.halves(_prepared(steps[:7])) is None


def test_halves_z_is_small_for_alike_halves_and_large_for_a_shift_in_time() -> None:
    rng = np.random.default_rng(1)
    steps = [Step("left" if i % 2 == 0 else "right", 0.35 * i) for i in range(24)]
    u = UncertaintySettings()
    same = list(30.0 + rng.normal(0.0, 1.5, 24))
    z = score_split_half.halves_z(steps, same, u)
    assert set(z) == {"time", "strides"} and all(abs(v) < 3.0 for v in z.values())
    # The second half reaches 6 %leg further: the halves in time differ far beyond the spread, the halves made of
    # alternate strides (each holding both halves of the clip) do not.
    shifted = [v + (6.0 if i >= 12 else 0.0) for i, v in enumerate(same)]
    z = score_split_half.halves_z(steps, shifted, u)
    assert z["time"] > 4.0 and abs(z["strides"]) < 3.0
    # A half with fewer than 3 measured steps has no interval.
    assert score_split_half.halves_z(steps[:4], same[:4], u) == {}
