"""Metrics (metrics/) on the hand-made treadmill runner with its step table as constructed (no event detection):
cadence, contact time, trunk lean, knee flexion at midstance and vertical oscillation are known by construction
(tests/fixtures/handmade.py)."""

from __future__ import annotations

import math

import pytest

from formcheck.config import GaitSettings, Thresholds, UncertaintySettings
from formcheck.metrics import MetricContext, compute_metrics
from formcheck.model import GaitEvents, MetricResult, Step
from tests.fixtures.handmade import HandmadeRun, treadmill_runner

STRIDE_S = 0.7
DUTY = 0.36


def _metrics(
    run: HandmadeRun, direction: int = 1, drop: int | None = None, invalid: set[int] = frozenset()
) -> dict[str, MetricResult]:
    """All metrics of ``run`` with its true step table (step ``drop`` and steps ``invalid`` marked invalid)."""
    end = run.traj.time_s[-1]
    steps = sorted(
        (
            Step(side, c, toe_off_s=c + DUTY * STRIDE_S, midstance_s=c + 0.5 * DUTY * STRIDE_S)
            for side, times in run.contacts_s.items()
            for c in times
            if c + DUTY * STRIDE_S < end
        ),
        key=lambda s: s.contact_s,
    )
    for i in {drop} - {None} | set(invalid):
        steps[i] = Step(steps[i].side, steps[i].contact_s, valid=False, reject_reason="test")
    ctx = MetricContext(
        traj=run.traj,
        events=GaitEvents(steps=tuple(steps), stride_time_s=STRIDE_S),
        view="side",
        direction=direction,
        leg_length_px=run.leg_px,
        near_side="left" if direction > 0 else "right",
        thresholds=Thresholds(),
        gait=GaitSettings(),
        uncertainty=UncertaintySettings(),
    )
    return compute_metrics(ctx)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_cadence_and_contact_time(fps: float) -> None:
    m = _metrics(treadmill_runner(stride_s=STRIDE_S, duty=DUTY, fps=fps))
    assert m["cadence_spm"].value == pytest.approx(120.0 / STRIDE_S, abs=0.1)
    assert m["cadence_spm"].per_side == pytest.approx({"left": 171.4, "right": 171.4}, abs=0.1)
    assert m["ground_contact_ms"].value == pytest.approx(1000 * DUTY * STRIDE_S, abs=0.5)


def test_cadence_skips_an_invalid_step() -> None:
    m = _metrics(treadmill_runner(stride_s=STRIDE_S, duty=DUTY), drop=5)
    assert m["cadence_spm"].value == pytest.approx(120.0 / STRIDE_S, abs=0.1)
    assert m["cadence_spm"].per_step[5] is None and m["cadence_spm"].per_step[6] is None


def test_cadence_from_one_foot_uses_only_whole_strides() -> None:
    """With every left step rejected, cadence falls back to the right foot's strides (120 / 0.7 s); with every
    other right step rejected too, the right contacts left are two strides apart: no cadence, rather than half."""
    run = treadmill_runner(stride_s=STRIDE_S, duty=DUTY)
    n = len(_metrics(run)["cadence_spm"].per_step)
    sides = [
        s.side
        for s in sorted(
            (Step(side, c) for side, ts in run.contacts_s.items() for c in ts), key=lambda s: s.contact_s
        )
    ][:n]
    lefts = {i for i, side in enumerate(sides) if side == "left"}
    one_foot = _metrics(run, invalid=lefts)["cadence_spm"]
    assert one_foot.value == pytest.approx(120.0 / STRIDE_S, abs=0.5)
    assert "stride times of each foot" in one_foot.note
    rights = [i for i, side in enumerate(sides) if side == "right"]
    gaps = _metrics(run, invalid=lefts | set(rights[1::2]))["cadence_spm"]
    assert gaps.value is None and gaps.verdict == "n/a"


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("lean_deg", [-4.0, 0.0, 8.0, 15.0])
def test_trunk_lean_is_the_lean_built_in(lean_deg: float, direction: int) -> None:
    """Forward lean is positive whichever way the runner travels; leaning back is negative."""
    run = treadmill_runner(stride_s=STRIDE_S, duty=DUTY, lean_deg=lean_deg, direction=direction)
    m = _metrics(run, direction=direction)["trunk_lean_deg"]
    assert m.value == pytest.approx(lean_deg, abs=0.05)
    assert m.extra["at_midstance_deg"] == pytest.approx(lean_deg, abs=0.05)


def test_knee_flexion_at_midstance_and_no_vertical_oscillation() -> None:
    """At midstance the ankle is under the hips, 0.95 leg below them; with thigh and shank half a leg each the
    knee angle follows from the law of cosines. The hips do not move: no vertical oscillation."""
    m = _metrics(treadmill_runner(stride_s=STRIDE_S, duty=DUTY))
    knee = math.degrees(math.acos((0.5**2 + 0.5**2 - 0.95**2) / (2 * 0.5 * 0.5)))
    assert m["knee_flexion_midstance_deg"].value == pytest.approx(180.0 - knee, abs=0.5)
    assert m["vertical_oscillation"].value == pytest.approx(0.0, abs=1e-6)
