"""Annotators and the annotated-video writer on the fake side-view Analysis."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from formcheck.render import (  # noqa: E402
    ContactAnnotator,
    ElbowAnnotator,
    MetricPanelAnnotator,
    RenderPlan,
    SkeletonAnnotator,
    StepCounterAnnotator,
    TrunkAnnotator,
)
from formcheck.render.video import annotate_frame, default_annotators, render_annotated_video  # noqa: E402
from formcheck.skeleton import INDEX  # noqa: E402
from tests.fixtures.fake_analysis import FPS, HEIGHT, N_FRAMES, WIDTH, contact_times_s, make_fake_analysis  # noqa: E402


@pytest.fixture(scope="module")
def analysis():
    return make_fake_analysis()


@pytest.fixture(scope="module")
def plan(analysis):
    return RenderPlan(analysis)


def blank(h: int = HEIGHT, w: int = WIDTH) -> np.ndarray:
    return np.full((h, w, 3), 100, np.uint8)


def test_state_is_pure_and_cheap(plan):
    c0 = contact_times_s()[0]
    s = plan.state_at(c0 + 0.05)
    assert s.xy_px is not None and s.steps_left == 1 and s.steps_right == 0
    assert [m.index for m, _ in s.contacts] == [0]
    assert plan.state_at(c0 + 0.5).contacts[0][0].index == 1
    assert plan.state_at(100.0).xy_px is None  # outside the tracked range


def test_skeleton_draws_at_the_hip(plan):
    s = plan.state_at(1.0)
    out = SkeletonAnnotator().annotate(blank(), s)
    x, y = np.round(s.xy_px[INDEX["left_hip"]]).astype(int)
    assert not np.array_equal(out[y, x], [100, 100, 100])
    assert (out != 100).any(axis=2).mean() < 0.2


@pytest.mark.parametrize(
    "annotator",
    [SkeletonAnnotator(), ContactAnnotator(), TrunkAnnotator(), ElbowAnnotator(), StepCounterAnnotator()],
)
def test_annotators_change_pixels(plan, annotator):
    s = plan.state_at(contact_times_s()[2] + 0.03)
    assert (annotator.annotate(blank(), s) != 100).any()


def test_contact_marks_only_near_contact(plan):
    c = contact_times_s()[3]
    assert (ContactAnnotator().annotate(blank(), plan.state_at(c + 0.05)) != 100).any()
    assert not (ContactAnnotator().annotate(blank(), plan.state_at(c - 0.03)) != 100).any()


def test_panel_sits_in_a_corner_with_verdict_colours(plan):
    out = MetricPanelAnnotator(corner="top-left").annotate(blank(), plan.state_at(1.0))
    assert (out[20:60, 20:60] != 100).any()
    assert not (out[HEIGHT - 40 :, WIDTH - 40 :] != 100).any()
    red = (out[:, :, 0] > 200) & (out[:, :, 1] < 90)  # the flag dot of the overstride row
    assert red.any()


def test_annotators_survive_nan_landmarks(analysis):
    xy = analysis.clean.xy_px.copy()
    xy[:, ::2] = np.nan
    xy[60:80] = np.nan
    a = dataclasses.replace(analysis, clean=analysis.clean.replace(xy_px=xy))
    plan = RenderPlan(a)
    stack = default_annotators(plan)
    for t in np.arange(0, N_FRAMES) / FPS:
        annotate_frame(blank(), plan.state_at(float(t)), stack)


def test_landscape_and_small_frames(plan):
    stack = default_annotators(plan)
    for h, w in ((720, 1280), (240, 136), (31, 17)):
        out = annotate_frame(blank(h, w), plan.state_at(0.35), stack)
        assert out.shape == (h, w, 3)


def test_render_annotated_video(tmp_path):
    writer_mod = pytest.importorskip("formcheck.video.writer")
    from formcheck.video.reader import VideoReader

    src = tmp_path / "input.mp4"
    with writer_mod.VideoWriter(str(src), WIDTH, HEIGHT, FPS) as w:
        for i in range(N_FRAMES):
            w.write(blank(), i / FPS)
    a = make_fake_analysis(path=str(src))
    result = render_annotated_video(a, tmp_path / "annotated.mp4")
    assert result.n_frames == N_FRAMES
    with VideoReader(str(tmp_path / "annotated.mp4")) as r:
        assert r.info.n_frames == N_FRAMES
        assert r.info.fps == pytest.approx(FPS, rel=1e-3)
    assert sorted(k.side for k in result.key_frames) == ["left", "right"]
    for k in result.key_frames:
        assert k.rgb.ndim == 3 and k.rgb.shape[0] > 100 and (k.rgb != 100).any()
        assert "lands" in k.caption
