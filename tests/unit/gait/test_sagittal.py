"""Side-view events (gait/sagittal.py) on the hand-made treadmill runner, whose contacts and toe-offs are set by
construction (tests/fixtures/handmade.py)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import GaitSettings
from formcheck.gait.sagittal import detect_sagittal_events
from tests.fixtures.handmade import treadmill_runner


def _nearest(times: list[float], t: float) -> float:
    return min(times, key=lambda x: abs(x - t))


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize(("stride_s", "fps"), [(0.7, 30.0), (0.64, 60.0)])
def test_contacts_and_toe_offs_of_a_handmade_runner(direction: int, stride_s: float, fps: float) -> None:
    duty = 0.36
    run = treadmill_runner(stride_s=stride_s, duty=duty, fps=fps, direction=direction)
    events = detect_sagittal_events(run.traj, direction, run.leg_px, GaitSettings())
    frame = 1.0 / fps
    assert events.stride_time_s == pytest.approx(stride_s, rel=0.01)
    assert all(s.valid for s in events.steps), [s.reject_reason for s in events.steps]
    assert all(
        a.side != b.side for a, b in zip(events.steps, events.steps[1:], strict=False)
    )  # feet alternate
    end = run.traj.time_s[-1]
    for side in ("left", "right"):
        found = [s for s in events.steps if s.side == side]
        # Every landing away from the clip's ends is found, within half a frame.
        inner = [c for c in run.contacts_s[side] if 0.5 < c < end - 0.5]
        assert len([s for s in found if 0.5 < s.contact_s < end - 0.5]) == len(inner)
        for s in found:
            assert abs(s.contact_s - _nearest(run.contacts_s[side], s.contact_s)) < 0.5 * frame
            # Midstance: the knee is most flexed with the ankle under the hips, half-way through the stance.
            assert s.midstance_s == pytest.approx(s.contact_s + 0.5 * duty * stride_s, abs=frame)
            if s.contact_s < end - stride_s:  # the swing after it is inside the clip
                assert s.toe_off_s is not None
                assert abs(s.toe_off_s - _nearest(run.toe_offs_s[side], s.toe_off_s)) < 0.5 * frame


def test_a_runner_standing_still_has_no_steps() -> None:
    run = treadmill_runner()
    still = run.traj.replace(xy_px=np.broadcast_to(run.traj.xy_px[:1], run.traj.xy_px.shape).copy())
    events = detect_sagittal_events(still, 1, run.leg_px, GaitSettings())
    assert events.steps == () and events.stride_time_s is None
