"""benchmarks/frontal_rate_probe.py: the same landmarks read at half the rate, and the ms errors docs/contacts.md
("Rear and front at 60 fps: the one-frame bar halves, the error does not") rests on, against known answers."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.frontal_rate_probe import (  # noqa: E402
    averaged,
    contact_errors_ms,
    detected_contacts,
    every_other_frame,
    summary,
    unmirrored,
)
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.skeleton import INDEX  # noqa: E402
from tests.fixtures.handmade import rear_runner  # noqa: E402


@pytest.mark.parametrize("phase", [0, 1])
def test_every_other_frame_keeps_one_frame_in_two_at_half_the_rate(phase: int) -> None:
    traj = rear_runner(fps=60.0, duration_s=2.0).traj
    half = every_other_frame(traj, phase)
    assert half.fps == pytest.approx(30.0)
    assert half.video.n_frames == len(half.time_s) == 60
    np.testing.assert_allclose(half.time_s, traj.time_s[phase::2])
    np.testing.assert_array_equal(half.xy_px, traj.xy_px[phase::2])
    np.testing.assert_array_equal(half.visibility, traj.visibility[phase::2])


def test_contact_errors_pair_each_foot_within_100_ms_and_count_the_rest_missed() -> None:
    truth = {"left": [1.0, 1.7, 2.0], "right": [1.35]}
    detected = {"left": [1.01, 1.98, 2.5]}  # 1.7 has no detection within 100 ms; no right foot detected
    errors, missed = contact_errors_ms(detected, truth)
    assert sorted(errors) == pytest.approx([-20.0, 10.0])
    assert missed == 2


def test_summary_counts_a_missed_contact_outside_every_bar() -> None:
    s = summary([10.0, -20.0, 40.0], missed=1)
    assert s["contacts"] == 4
    assert s["within_16.7_ms"] == pytest.approx(0.25)
    assert s["within_33.3_ms"] == pytest.approx(0.5)
    assert s["mean_ms"] == pytest.approx(10.0)
    assert s["sd_ms"] == pytest.approx(float(np.std([10.0, -20.0, 40.0])))


def test_a_hand_made_rear_runner_lands_within_half_a_frame_at_either_rate() -> None:
    """The hand-made rear runner's feet reach the ground between two frames: read at 60 fps its contacts are within
    half a 60 fps frame (8.3 ms), on every other frame within half a 30 fps frame (16.7 ms)."""
    run = rear_runner(fps=60.0)
    reads = [(run.traj, 1000.0 / 60.0), (every_other_frame(run.traj, 0), 1000.0 / 30.0)]
    reads.append((every_other_frame(run.traj, 1), 1000.0 / 30.0))
    for traj, frame_ms in reads:
        view, detected = detected_contacts(traj, AnalysisSettings())
        errors, missed = contact_errors_ms(detected, run.contacts_s)
        assert view == "rear"
        assert missed == 0
        assert len(errors) == sum(len(c) for c in run.contacts_s.values())
        assert max(abs(e) for e in errors) <= 0.55 * frame_ms


def test_unmirrored_reverses_the_columns_and_swaps_the_sides() -> None:
    traj = rear_runner(fps=30.0, duration_s=1.0).traj
    width = float(traj.video.width)
    mirrored_xy = traj.xy_px.copy()
    mirrored_xy[..., 0] = width - mirrored_xy[..., 0]
    left, right = INDEX["left_ankle"], INDEX["right_ankle"]
    # in the mirrored picture the runner's left ankle is where the right one would be, and the model names it so
    mirrored_xy[:, [left, right]] = mirrored_xy[:, [right, left]]
    back = unmirrored(traj.replace(xy_px=mirrored_xy), width)
    np.testing.assert_allclose(back.xy_px[:, left], traj.xy_px[:, left])
    np.testing.assert_allclose(back.xy_px[:, right], traj.xy_px[:, right])
    assert traj.xy_px[0, left, 0] != traj.xy_px[0, right, 0]


def test_averaged_takes_the_mean_and_the_one_reading_where_the_other_is_missing() -> None:
    traj = rear_runner(fps=30.0, duration_s=1.0).traj
    other_xy = traj.xy_px + 4.0
    other_xy[3, INDEX["left_heel"]] = np.nan
    other = traj.replace(xy_px=other_xy, visibility=np.full_like(traj.visibility, 0.5))
    mean = averaged(traj, other)
    np.testing.assert_allclose(mean.xy_px[0], traj.xy_px[0] + 2.0)
    np.testing.assert_allclose(mean.xy_px[3, INDEX["left_heel"]], traj.xy_px[3, INDEX["left_heel"]])
    assert mean.visibility[0, INDEX["left_heel"]] == pytest.approx(0.5)
    assert mean.visibility[3, INDEX["left_heel"]] == pytest.approx(traj.visibility[3, INDEX["left_heel"]])
