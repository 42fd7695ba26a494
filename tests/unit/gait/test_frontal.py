"""Rear-view events (gait/frontal.py) on the hand-made rear runner, whose contacts, toe-offs and lowest hips are
set by construction (tests/fixtures/handmade.py)."""

from __future__ import annotations

import pytest

from formcheck.config import GaitSettings
from formcheck.gait.frontal import detect_frontal_events
from tests.fixtures.handmade import rear_runner


@pytest.mark.parametrize(("stride_s", "fps"), [(0.7, 30.0), (0.62, 60.0)])
def test_contacts_toe_offs_and_midstance_of_a_handmade_rear_runner(stride_s: float, fps: float) -> None:
    duty = 0.36
    run = rear_runner(stride_s=stride_s, duty=duty, fps=fps)
    events = detect_frontal_events(run.traj, run.leg_px, GaitSettings())
    frame = 1.0 / fps
    end = run.traj.time_s[-1]
    assert events.method == "frontal"
    assert events.stride_time_s == pytest.approx(stride_s, rel=0.01)
    assert all(s.valid for s in events.steps), [s.reject_reason for s in events.steps]
    assert all(a.side != b.side for a, b in zip(events.steps, events.steps[1:], strict=False))
    for side in ("left", "right"):
        found = [s for s in events.steps if s.side == side]
        assert len(found) == len([c for c in run.contacts_s[side] if c + duty * stride_s < end])
        for s, contact in zip(found, run.contacts_s[side], strict=False):
            assert s.contact_s == pytest.approx(contact, abs=0.5 * frame)
            assert s.toe_off_s == pytest.approx(contact + duty * stride_s, abs=0.5 * frame)
            assert s.midstance_s == pytest.approx(contact + 0.5 * duty * stride_s, abs=0.5 * frame)
