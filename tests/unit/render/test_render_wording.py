"""Words drawn on the annotated video and under the report's key frames, as a runner reads them (a coach's read of
side_21, whose left landing read 'foot +14° indeterminate')."""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from formcheck.render import ContactAnnotator, RenderPlan
from formcheck.render.video import _caption
from tests.fixtures.fake_analysis import HEIGHT, WIDTH, make_fake_analysis


def _plan_with_step(strike: str, foot_deg: float | None = None) -> tuple[RenderPlan, int]:
    """A plan whose first valid measured step is classed ``strike`` (and read ``foot_deg``), set in the analysis's
    metrics so that the plan words it as it would any step."""
    analysis = make_fake_analysis()
    plan = RenderPlan(analysis)
    i = next(k for k, m in enumerate(plan.contacts) if m.valid and m.foot_deg is not None)
    metrics = dict(analysis.metrics)
    per_step = list(metrics["foot_strike_type"].per_step)
    per_step[i] = strike
    metrics["foot_strike_type"] = dataclasses.replace(metrics["foot_strike_type"], per_step=tuple(per_step))
    if foot_deg is not None:
        angles = list(metrics["foot_strike_angle_deg"].per_step)
        angles[i] = foot_deg
        metrics["foot_strike_angle_deg"] = dataclasses.replace(
            metrics["foot_strike_angle_deg"], per_step=tuple(angles)
        )
    return RenderPlan(dataclasses.replace(analysis, metrics=metrics)), i


def _unclear_plan() -> tuple[RenderPlan, int]:
    return _plan_with_step("indeterminate")


def test_a_step_classed_with_the_others_against_its_own_angle_says_overall() -> None:
    """side_23's step read +16 deg and was classed midfoot with the runner's other steps: 'foot +16° midfoot' read
    as a contradiction (the rearfoot line is 8 deg)."""
    plan, i = _plan_with_step("midfoot", 16.0)
    assert "foot +16° (midfoot overall)" in _caption(plan, i)
    plan, i = _plan_with_step("midfoot", 4.0)
    assert "foot +4° (midfoot)" in _caption(plan, i)
    plan, i = _plan_with_step("rearfoot", 16.0)
    assert "foot +16° (rearfoot)" in _caption(plan, i)


def test_key_frame_caption_says_type_unclear_not_indeterminate() -> None:
    plan, i = _unclear_plan()
    caption = _caption(plan, i)
    assert "(type unclear)" in caption and "indeterminate" not in caption


def test_video_label_says_type_unclear_not_indeterminate(monkeypatch) -> None:
    import formcheck.render.contact as contact

    plan, i = _unclear_plan()
    drawn: list[str] = []
    real_label = contact.label

    def spy(img, text, *args, **kwargs):
        drawn.append(text)
        return real_label(img, text, *args, **kwargs)

    monkeypatch.setattr(contact, "label", spy)
    state = plan.state_at(plan.contacts[i].contact_s + 0.01)
    assert [m.index for m, _ in state.contacts] == [i]
    ContactAnnotator().annotate(np.full((HEIGHT, WIDTH, 3), 100, np.uint8), state)
    foot = [t for t in drawn if t.startswith("foot ")]
    assert foot and foot[0].endswith(" type unclear")
    assert not any("indeterminate" in t for t in drawn)


def test_key_frame_caption_says_which_way_a_backward_shin_leans() -> None:
    """side_21's key frame read 'shin -6° from vertical'."""
    plan = RenderPlan(make_fake_analysis())
    i = next(k for k, m in enumerate(plan.contacts) if m.valid and m.shank_deg is not None)
    marks = list(plan.contacts)
    marks[i] = dataclasses.replace(marks[i], shank_deg=-6.2)
    plan.contacts = tuple(marks)
    assert "shin 6° back from vertical (ankle behind the knee)" in _caption(plan, i)
    marks[i] = dataclasses.replace(marks[i], shank_deg=7.8)
    plan.contacts = tuple(marks)
    assert "shin 8° from vertical" in _caption(plan, i) and "back" not in _caption(plan, i)
    marks[i] = dataclasses.replace(marks[i], shank_deg=-0.3)  # rounds to 0: no direction to tell
    plan.contacts = tuple(marks)
    assert "shin 0° from vertical" in _caption(plan, i)


def test_rear_key_frame_caption_says_which_way_in_words() -> None:
    """overground_rear_receding's key frames read 'pelvic drop -2.9° ..., + = swing-side hip lower' and the front
    joggers' 'trunk -1.9° toward the stance foot'."""
    from formcheck.model import MetricResult

    analysis = make_fake_analysis()
    n = len(analysis.events.steps)
    drops = tuple(-2.9 if i % 2 else 9.9 for i in range(n))
    leans = tuple(-1.9 if i % 2 else 7.0 for i in range(n))
    metrics = {
        **analysis.metrics,
        "pelvic_tilt_deg": MetricResult(
            "pelvic_tilt_deg", 2.0, "deg", "good", "N", per_step=drops, extra={"source": "image"}
        ),
        "lateral_trunk_lean_deg": MetricResult(
            "lateral_trunk_lean_deg", 1.0, "deg", "good", "N", per_step=leans
        ),
        "step_width": MetricResult(
            "step_width",
            10.0,
            "%hip width",
            "watch",
            "H",
            per_step=tuple(-22.0 if i % 2 else 24.0 for i in range(n)),
        ),
    }
    plan = RenderPlan(dataclasses.replace(analysis, view="rear", direction="away", metrics=metrics))
    valid = [i for i, s in enumerate(analysis.events.steps) if s.valid]
    even, odd = next(i for i in valid if i % 2 == 0), next(i for i in valid if i % 2)
    up = _caption(plan, odd)
    assert "no pelvic drop (from the waistband in the picture): the swing-side hip sits 2.9° higher" in up
    assert "trunk 1.9° away from the stance foot" in up and not re.search(r"-\d", up)
    down = _caption(plan, even)
    assert "pelvic drop +9.9° (from the waistband in the picture): the swing-side hip sits lower" in down
    assert "trunk 7.0° toward the stance foot" in down
    assert "heel 22% of hip width across the midline (crossover)" in up
    assert "heel 24% of hip width from the midline;" in down
