"""benchmarks/sole_contacts_probe.py: the test that the sole edge follows the sole (known answers)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import sole_contacts_probe as probe  # noqa: E402

LEG_PX = 100.0
STANCE = [6, 7, 8, 9]
CONTACT = 4
# The foot's lowest landmark falls 10 px a frame and stops at frame 4 (rows grow downward).
FOOT = np.array([60.0, 70, 80, 90, 100, 100, 100, 100, 100, 100, 100])


def test_an_edge_that_comes_down_with_the_foot_leads_by_nothing() -> None:
    edge = FOOT + 7.0  # the sole's edge 7 px below the landmarks, rigidly
    assert probe.edge_lead(edge, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.0)


def test_an_edge_that_lands_a_frame_after_the_foot_leads_by_one_frame_of_fall() -> None:
    # Frames 2..4: the edge stands 30, 20, 10 px above its level, the foot 20, 10, 0: 10 px = 0.1 leg higher.
    late = np.r_[FOOT[0], FOOT[:-1]] + 5.0
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.10)
    # From frame 3 only (--follow-from -1): 20 - 10 and 10 - 0 px.
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX, first=-1) == pytest.approx(0.10)


def test_an_edge_that_lands_before_the_landmarks_leads_negatively() -> None:
    early = np.r_[FOOT[1:], FOOT[-1]]  # down one frame sooner: 0.1 leg below the foot in frames 2 and 3
    assert probe.edge_lead(early, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(-0.2 / 3)


def test_frames_without_an_edge_are_left_out_and_none_at_all_is_nan() -> None:
    late = np.r_[FOOT[0], FOOT[:-1]] + 5.0
    late[2] = np.nan  # frames 3 and 4 remain: 20 - 10 and 10 - 0 px
    assert probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX) == pytest.approx(0.10)
    late[3:5] = np.nan
    assert np.isnan(probe.edge_lead(late, FOOT, STANCE, CONTACT, LEG_PX))


def test_a_clip_follows_the_sole_when_its_median_lead_is_at_most_the_limit() -> None:
    assert probe.FOLLOW_MAX_LEG == 0.01
    assert probe.clip_follows([-0.02, 0.0, 0.01, 0.05])  # median 0.005
    assert probe.clip_follows([0.01, 0.01, np.nan])  # NaN left out; on the limit passes
    assert not probe.clip_follows([0.0, 0.015, 0.016])  # median 0.015: the treadmills and the grass
    assert not probe.clip_follows([np.nan, np.nan])  # nothing measured: nothing to trust
    assert not probe.clip_follows([])
    assert probe.clip_follows([0.012], max_lead=0.02)
