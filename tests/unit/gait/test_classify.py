"""Running or walking (gait/classify.py) on hand-made hip tracks with known answers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import GaitSettings
from formcheck.gait.classify import gait_from_steps
from formcheck.model import GaitEvents, Step, Trajectories, VideoInfo
from formcheck.skeleton import INDEX, N_LANDMARKS

FPS = 30.0
STEP_S = 0.4  # contacts every 0.4 s: 150 steps/min, a running step rate


def _hips_lowest_at_contact(duration_s: float = 8.0) -> tuple[Trajectories, list[Step]]:
    """Hips lowest in the picture (largest y) exactly at each contact, as in walking's inverted pendulum."""
    t = np.arange(int(duration_s * FPS)) / FPS
    xy = np.zeros((t.size, N_LANDMARKS, 2))
    hip_y = 300.0 + 10.0 * np.cos(2.0 * np.pi * t / STEP_S)  # y down: max at t = k * STEP_S
    for name in ("left_hip", "right_hip"):
        xy[:, INDEX[name], 1] = hip_y
    info = VideoInfo(path="w.mp4", width=640, height=480, fps=FPS, n_frames=t.size, duration_s=duration_s)
    traj = Trajectories(xy_px=xy, visibility=np.ones((t.size, N_LANDMARKS)), time_s=t, video=info)
    steps = [
        Step(side=("left", "right")[k % 2], contact_s=k * STEP_S) for k in range(1, int(duration_s / STEP_S))
    ]
    return traj, steps


@pytest.mark.parametrize(
    ("stride_s", "kind"),
    [
        (None, "running"),  # no stride: the contacts' 150 steps/min is a running pace
        (
            0.94,
            "walking",
        ),  # the stride says 128 steps/min: a walking pace, and the hips are lowest at contact
        (0.70, "running"),  # 171 steps/min
    ],
)
def test_walking_pace_comes_from_the_stride_when_the_feet_show_one(stride_s, kind) -> None:
    traj, steps = _hips_lowest_at_contact()
    events = GaitEvents(steps=tuple(steps), stride_time_s=stride_s)
    gait = gait_from_steps(traj, events, GaitSettings())
    assert gait.lowest_hip_phase is not None and min(gait.lowest_hip_phase, 1 - gait.lowest_hip_phase) < 0.1
    assert gait.apparent_cadence_spm == pytest.approx(150.0)  # reported from the contacts either way
    assert gait.kind == kind, gait


@pytest.mark.parametrize(
    ("picture_fps", "kind"),
    [
        (None, "walking"),  # picture rate unknown: the slow pace and the hips' low point say walking
        (30.0, "walking"),  # no repeats
        (24.0, "walking"),  # a 24 fps source shows a picture 1.25 times: not a slowed replay
        (9.0, "running"),  # track_sprint_side_small: 82 steps/min is 273 counted in pictures
        (10.0, "running"),  # each picture 3 times: 246 steps/min in pictures
        (15.0, "walking"),  # each picture twice: a real-time walker in a doubled-frame file (30->60)
        (5.0, "walking"),  # 6 copies: 492 steps/min in pictures is nobody's cadence
    ],
)
def test_a_slowed_replay_of_running_is_not_walking(picture_fps, kind) -> None:
    traj, steps = _hips_lowest_at_contact()
    traj = traj.replace(video=dataclasses.replace(traj.video, picture_fps=picture_fps))
    events = GaitEvents(steps=tuple(steps), stride_time_s=2 * 60.0 / 82.0)  # 82 steps/min from the stride
    gait = gait_from_steps(traj, events, GaitSettings())
    assert gait.kind == kind, gait
    if kind == "running":
        assert gait.slowed_down  # times are not real: cadence and contact time withheld downstream
        assert "slowed-down replay of running" in gait.reason
