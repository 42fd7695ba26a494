"""Annotators and the annotated-video writer on the fake side-view Analysis."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from formcheck.render import (  # noqa: E402
    ContactAnnotator,
    ElbowAnnotator,
    MetricPanelAnnotator,
    RenderPlan,
    SkeletonAnnotator,
    StepCounterAnnotator,
    TrunkAnnotator,
    style,
)
from formcheck.render.overlay import PLAYER_CONTROLS_FRAC  # noqa: E402
from formcheck.render.style import (  # noqa: E402
    AA,
    DARK,
    Scale,
    blend_rect,
    dash_segments,
    dashed_line,
    ipt,
    ipts,
    mix,
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


def test_a_bottom_panel_stands_clear_of_the_players_controls(plan):
    """The report's player covers the bottom of a paused video with its controls (about 13% of a 16:9 video's
    height on a laptop): a panel placed in a bottom corner sits above that band, so its last rows stay readable."""
    out = MetricPanelAnnotator(corner="bottom-right").annotate(blank(), plan.state_at(1.0))
    drawn_rows = np.flatnonzero((out != 100).any(axis=(1, 2)))
    assert drawn_rows.size and drawn_rows.max() < HEIGHT * (1 - PLAYER_CONTROLS_FRAC)


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


@pytest.mark.slow  # a few seconds: the full tier runs it
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


# --- The per-frame fast paths draw the same pixels as the straightforward drawing they replaced. ---------------


def _noise(h: int = 240, w: int = 320, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def _dashed_line_per_dash(img, p0, p1, color, thickness, dash):
    """The former ``dashed_line``: one ``cv2.line`` per dash."""
    v = p1 - p0
    length = float(np.hypot(*v))
    if not np.isfinite(length) or length < 1:
        return
    n = max(1, int(length // (2 * dash)))
    for i in range(n + 1):
        a = p0 + v * min(1.0, (2 * i * dash) / length)
        b = p0 + v * min(1.0, (2 * i * dash + dash) / length)
        cv2.line(img, ipt(a), ipt(b), color, thickness, AA)


def test_dashed_line_in_one_call_draws_the_same_pixels_as_one_line_per_dash():
    rng = np.random.default_rng(1)
    for trial in range(300):
        p0 = rng.uniform(-60, 380, 2)
        p1 = p0 + rng.normal(0, 1, 2) * rng.choice([0.3, 5.0, 120.0, 600.0])  # sub-pixel to far off-image
        if trial % 10 == 0:  # vertical, like the overstride and shin references
            p1 = p0 + np.array([0.0, rng.uniform(1, 200)])
        if trial % 3 == 0:
            p0 = np.floor(p0) + 0.5  # dash ends at exact halves: rounding must agree
            p1 = np.array([p0[0], p0[1] + float(rng.integers(2, 150))])
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        th, dash = int(rng.integers(1, 9)), int(rng.integers(1, 14))
        want, got = _noise(seed=trial), _noise(seed=trial)
        _dashed_line_per_dash(want, p0, p1, color, th, dash)
        dashed_line(got, p0, p1, color, th, dash)
        assert np.array_equal(want, got), (trial, p0, p1, th, dash)


def test_dash_segments_count_and_ends():
    segs = dash_segments(np.array([10.0, 10.0]), np.array([10.0, 60.0]), 5)
    assert segs.dtype == np.int32 and segs.shape == (6, 2, 2)  # 50 px / (2 * 5) = 5 gaps, 6 dashes
    assert segs[0].tolist() == [[10, 10], [10, 15]] and segs[-1].tolist() == [[10, 60], [10, 60]]
    assert dash_segments(np.array([1.0, 1.0]), np.array([1.5, 1.2]), 4) is None  # shorter than a pixel
    assert dash_segments(np.array([np.nan, 1.0]), np.array([5.0, 5.0]), 4) is None


def test_ipts_rounds_like_ipt():
    pts = np.array([[0.5, 1.5], [2.5, -0.5], [-1.5, 3.49999], [1e6 + 0.5, 7.0], [np.nan, 2.0], [np.inf, 1.0]])
    got = ipts(pts)
    assert got[:4] == [list(ipt(p)) for p in pts[:4]] == [[0, 2], [2, 0], [-2, 3], [1000000, 7]]
    assert got[4:] == [[0, 2], [0, 1]]  # non-finite coordinates become 0 (callers skip those points)


def test_blend_rect_matches_a_freshly_filled_patch():
    rng = np.random.default_rng(2)
    # Small, large, then small again: the cached fill grows and is sliced.
    for trial, (w, h) in enumerate([(30, 20), (200, 150), (310, 230), (12, 9), (400, 300)] * 4):
        x0, y0 = (int(v) for v in rng.integers(-40, 200, 2))
        color = tuple(int(c) for c in rng.integers(0, 256, 3)) if trial % 2 else DARK
        alpha = float(rng.choice([0.72, 0.7, 0.45, rng.uniform(0, 1)]))
        want, got = _noise(seed=trial), _noise(seed=trial)
        H, W = want.shape[:2]
        xa, ya, xb, yb = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
        if xb > xa and yb > ya:
            roi = want[ya:yb, xa:xb]
            fill = np.empty_like(roi)
            fill[:] = color
            cv2.addWeighted(fill, alpha, roi, 1.0 - alpha, 0, dst=roi)
        blend_rect(got, x0, y0, x0 + w, y0 + h, color, alpha)
        assert np.array_equal(want, got), trial
    fills = [b for (c, _), b in style._FILLS.items() if c == DARK]
    assert fills and np.all(fills[0] == np.array(DARK, np.uint8))  # blending never wrote into the cached fill


def _put_text_reference(img, text, org, scale, color, thickness):
    """The former ``put_text``: text size and run widths measured on every call."""
    x, y = org
    _, h, _ = style.text_size(text, scale, thickness)
    parts = text.split("°")
    for i, part in enumerate(parts):
        if part:
            cv2.putText(img, part, (x, y), style.FONT, scale, color, thickness, AA)
            x += cv2.getTextSize(part, style.FONT, scale, thickness)[0][0]
        if i < len(parts) - 1:
            r = max(2, int(round(0.16 * h)))
            cv2.circle(img, (x + r + 1, y - h + r), r, color, max(1, thickness - 1), AA)
            x += 2 * r + thickness + 2


@pytest.mark.parametrize(
    "text", ["trunk 12°", "foot +7° heel", "°", "STEPS  ", "   ", "L 3", "hip line -1.5°°"]
)
def test_put_text_with_cached_layout_draws_the_same_pixels(text):
    for scale, th in ((0.66, 1), (0.78, 2), (1.2, 3)):
        want, got = _noise(seed=3), _noise(seed=3)
        _put_text_reference(want, text, (20, 100), scale, (250, 176, 5), th)
        style.put_text(got, text, (20, 100), scale, (250, 176, 5), th)
        assert np.array_equal(want, got), (text, scale, th)


def test_ok_checks_every_point():
    assert style.ok(np.array([1.0, 2.0]), np.array([0.0, -3.0]))
    assert not style.ok(np.array([1.0, np.nan]))
    assert not style.ok(np.array([np.inf, 1.0]))
    assert not style.ok(np.array([1.0, 1.0]), None)
    assert style.ok(np.zeros(3)) and not style.ok(np.array([0.0, 0.0, np.nan]))


def _skeleton_reference(frame, state, colors, thickness=5.0, radius=6.0, min_visibility=0.5):
    """The former ``SkeletonAnnotator.annotate``: order, colours and rounding worked out per frame, per point."""
    from formcheck.render.skeleton import _LEFT, _RIGHT
    from formcheck.skeleton import EDGES_CENTRE, EDGES_LEFT, EDGES_RIGHT

    edges = [
        (INDEX[a], INDEX[b], side)
        for side, es in (("centre", EDGES_CENTRE), ("right", EDGES_RIGHT), ("left", EDGES_LEFT))
        for a, b in es
    ]
    sc = Scale.of(frame, state.leg_px)
    xy = state.xy_px
    vis = state.visibility if state.visibility is not None else np.ones(len(xy))
    good = np.all(np.isfinite(xy), axis=1)
    seen = vis >= min_visibility
    th = sc.px(thickness)
    far = "right" if state.near_side == "left" else "left"
    for a, b, side in sorted(edges, key=lambda e: 0 if e[2] == far else 1 if e[2] == "centre" else 2):
        if not (good[a] and good[b]):
            continue
        if seen[a] and seen[b]:
            cv2.line(frame, ipt(xy[a]), ipt(xy[b]), DARK, th + sc.px(3), AA)
            cv2.line(frame, ipt(xy[a]), ipt(xy[b]), colors[side], th, AA)
        else:
            _dashed_line_per_dash(
                frame, xy[a], xy[b], mix(colors[side], (160, 160, 160), 0.45), max(1, th - 1), sc.px(9)
            )
    neck = 0.5 * (xy[INDEX["left_shoulder"]] + xy[INDEX["right_shoulder"]])
    nose = xy[INDEX["nose"]]
    if good[INDEX["nose"]] and np.all(np.isfinite(neck)):
        _dashed_line_per_dash(frame, neck, nose, colors["centre"], max(1, th // 2), sc.px(6))
    r = sc.px(radius)
    for i in range(len(xy)):
        if not good[i] or i in (1, 2, 3, 4, 5, 6, 9, 10):
            continue
        color = colors["left" if i in _LEFT else "right" if i in _RIGHT else "centre"]
        if seen[i]:
            cv2.circle(frame, ipt(xy[i]), r + sc.px(2), DARK, -1, AA)
            cv2.circle(frame, ipt(xy[i]), r, color, -1, AA)
        else:
            cv2.circle(frame, ipt(xy[i]), r, mix(color, (160, 160, 160), 0.45), max(1, sc.px(2)), AA)
    return frame


def test_skeleton_draws_the_same_pixels_as_the_per_point_drawing(plan):
    rng = np.random.default_rng(4)
    annotator = SkeletonAnnotator()
    for k, t in enumerate(np.linspace(0.0, (N_FRAMES - 1) / FPS, 12)):
        s = plan.state_at(float(t))
        xy = s.xy_px.copy()
        vis = rng.uniform(0.2, 1.0, len(xy))  # some limbs dashed, some joints faded
        xy[rng.random(len(xy)) < 0.1] = np.nan
        xy = xy + rng.choice([0.0, 0.5, -0.5], xy.shape)  # exact halves: rounding must agree
        s = dataclasses.replace(s, xy_px=xy, visibility=vis, near_side="right" if k % 2 else "left")
        for h, w in ((HEIGHT, WIDTH), (1920, 1080)):
            frame = _noise(h, w, seed=k)
            want = _skeleton_reference(frame.copy(), s, annotator.colors)
            assert np.array_equal(annotator.annotate(frame, s), want), (k, h, w)


def test_metric_panel_corner_is_cached_per_frame_size(plan):
    s = plan.state_at(1.0)
    panel = MetricPanelAnnotator(runner_points=plan.runner_points())
    first = panel.annotate(blank(), dataclasses.replace(s, labels=[]))
    again = panel.annotate(blank(), dataclasses.replace(s, labels=[]))
    fresh = MetricPanelAnnotator(runner_points=plan.runner_points()).annotate(
        blank(), dataclasses.replace(s, labels=[])
    )
    assert np.array_equal(first, again) and np.array_equal(first, fresh)
    # A different frame size places the panel afresh (landscape: the corner is recomputed, not reused).
    wide = panel.annotate(blank(720, 1280), dataclasses.replace(s, labels=[]))
    wide_fresh = MetricPanelAnnotator(runner_points=plan.runner_points()).annotate(
        blank(720, 1280), dataclasses.replace(s, labels=[])
    )
    assert np.array_equal(wide, wide_fresh)


# --- one landing at a time, labels kept in key frames, marks sized by the runner ------------------------------


def test_one_landing_at_a_time(plan):
    """Every frame shows the marks of at most one landing, and they are gone before the next landing."""
    from formcheck.render.state import HOLD_FRACTION

    times = plan.contact_times
    for t in np.arange(0.0, float(plan.time_s[-1]), 1.0 / FPS):
        active = plan.state_at(t).contacts
        assert len(active) <= 1
        for mark, age in active:
            k = mark.index
            assert 0.0 <= age <= plan.hold_s + 1e-9
            if k + 1 < len(times):
                assert t < times[k + 1] and age <= HOLD_FRACTION * (times[k + 1] - times[k]) + 1e-9
    for k, c in enumerate(times):
        assert [m.index for m, _ in plan.state_at(c + 0.01).contacts] == [k]  # each landing is shown


def test_a_rejected_step_draws_nothing(analysis, plan):
    rejected = next(m for m in plan.contacts if not m.valid)
    state = plan.state_at(rejected.contact_s + 0.01)
    assert [m.index for m, _ in state.contacts] == [rejected.index]
    frame = blank()
    assert np.array_equal(ContactAnnotator().annotate(frame.copy(), state), frame)


def test_marks_scale_with_the_runner_within_limits():
    frame = blank(1080, 1920)  # the frame's own scale: 1.5
    assert Scale.of(frame).s == pytest.approx(1.5)
    assert Scale.of(frame, 300.0).s == pytest.approx(1.0)  # a runner with a 300 px leg
    assert Scale.of(frame, 450.0).s == pytest.approx(1.5)
    assert Scale.of(frame, 60.0).s == pytest.approx(0.75)  # a far runner: not below half the frame's scale
    assert Scale.of(frame, 3000.0).s == pytest.approx(2.25)  # nor above 1.5 times it
    assert Scale.of(frame, float("nan")).s == pytest.approx(1.5)


def test_key_frame_crop_keeps_every_label():
    from formcheck.render.video import crop_to_runner

    rgb = np.zeros((1000, 1000, 3), np.uint8)
    xy = np.full((33, 2), np.nan)
    xy[:10] = np.column_stack([np.linspace(400, 500, 10), np.linspace(300, 700, 10)])
    plain = crop_to_runner(rgb, xy)
    label = (560, 640, 900, 680)  # a label drawn to the right of the runner, beyond the padded box
    crop = crop_to_runner(rgb, xy, boxes=[label])
    assert crop.shape[1] > plain.shape[1] and crop.shape[0] == plain.shape[0]
    rgb[label[1] : label[3], label[0] : label[2]] = 255
    assert (crop_to_runner(rgb, xy, boxes=[label]) == 255).sum() == (rgb == 255).sum()  # the whole label


def test_key_frames_are_cropped_around_the_runners_labels(analysis, monkeypatch):
    """The key frame's crop is given every label drawn on the runner, and not the frame's corner overlays."""
    from formcheck.render import video

    seen: list[tuple[list, list]] = []
    real = video.crop_to_runner

    def spy(rgb, xy_px, pad=0.18, boxes=()):
        seen.append(list(boxes))
        return real(rgb, xy_px, pad, boxes)

    monkeypatch.setattr(video, "crop_to_runner", spy)
    plan = RenderPlan(analysis)
    stack = default_annotators(plan)
    collector = video._KeyFrameCollector(plan, video.key_frame_steps(plan))
    fixed_seen = []
    for t in plan.time_s:
        state = plan.state_at(float(t))
        out = annotate_frame(blank(), state, stack)
        collector.offer(state.time_s, out, state)
        fixed_seen.append(list(state.fixed))
        if not collector.pending:
            break
    assert len(collector.result()) == len(seen) == 2
    for boxes in seen:
        assert len(boxes) >= 3  # overstride, shin and foot labels at least (and trunk, elbow)
        assert not any(b in f for f in fixed_seen for b in boxes)  # the panel and step counter stay out
    assert all(len(f) == 2 for f in fixed_seen)  # the panel and the step counter on every frame


def test_marks_follow_an_approaching_runner():
    """Per frame, the runner's leg length sizes the marks: a runner growing to twice the size gets marks twice as
    big (in 5% steps); frames without legs take their neighbours' value."""
    from formcheck.render.state import LEG_STEP, runner_leg_px

    n = 120
    t = np.arange(n) / 30.0
    grow = np.linspace(1.0, 2.0, n)
    xy = np.full((n, 33, 2), np.nan)
    for side, x in (("left", 300.0), ("right", 340.0)):
        xy[:, INDEX[f"{side}_hip"]] = np.column_stack([np.full(n, x), 400 - 0 * grow])
        xy[:, INDEX[f"{side}_knee"]] = np.column_stack([np.full(n, x), 400 + 100 * grow])
        xy[:, INDEX[f"{side}_ankle"]] = np.column_stack([np.full(n, x), 400 + 200 * grow])
    xy[50:60] = np.nan
    leg = runner_leg_px(xy, t)
    assert np.isfinite(leg).all()
    assert leg[0] == pytest.approx(200.0, rel=LEG_STEP - 1) and leg[-1] == pytest.approx(
        400.0, rel=LEG_STEP - 1
    )
    assert np.all(np.diff(leg) >= 0)  # grows with the runner, never back
    assert len(np.unique(leg)) <= 16  # 5% steps: the size changes now and then, not every frame


def test_crop_windows_follow_the_runner_inside_the_frame(analysis):
    from formcheck.render.crop import WINDOW_PAD, runner_windows

    tr = analysis.clean
    W, H = 1920, 1080
    shifted = tr.xy_px + np.array([600.0, 0.0]) * (tr.time_s / tr.time_s[-1])[:, None, None]  # runs right
    win = runner_windows(shifted, tr.time_s, W, H)
    assert win is not None and win.out_px == 1080
    assert np.all(win.x0 >= 0) and np.all(win.y0 >= 0)
    assert np.all(win.x0 + win.side <= W + 1e-6) and np.all(win.y0 + win.side <= H + 1e-6)
    assert win.x0[-1] - win.x0[0] > 300  # it follows the runner (600 px) across the frame, from its left edge
    for k in (10, 75, 140):
        pts = shifted[k][np.all(np.isfinite(shifted[k]), axis=1)]
        inside = (pts >= [win.x0[k], win.y0[k]]) & (pts <= [win.x0[k] + win.side[k], win.y0[k] + win.side[k]])
        assert inside.all(), k  # the whole runner is in the window
        body = np.ptp(pts[:, 1])
        assert win.side[k] == pytest.approx(min(WINDOW_PAD * body, H), rel=0.25)
    state = RenderPlan(analysis).state_at(float(tr.time_s[75]))
    state = dataclasses.replace(state, xy_px=shifted[75])
    moved = win.move(state, 75)
    z = win.zoom(75)
    assert moved.leg_px == pytest.approx(state.leg_px * z)
    np.testing.assert_allclose(moved.xy_px, (shifted[75] - [win.x0[75], win.y0[75]]) * z)
    assert win.cut(blank(H, W), 75).shape == (1080, 1080, 3)


@pytest.mark.slow  # about 4 s: renders a whole annotated video
def test_render_cropped_video(tmp_path):
    writer_mod = pytest.importorskip("formcheck.video.writer")
    from formcheck.video.reader import VideoReader

    src = tmp_path / "input.mp4"
    with writer_mod.VideoWriter(str(src), WIDTH, HEIGHT, FPS) as w:
        for i in range(N_FRAMES):
            w.write(blank(), i / FPS)
    a = make_fake_analysis(path=str(src))
    with pytest.raises(ValueError, match="crop must be one of"):
        render_annotated_video(a, tmp_path / "x.mp4", crop="face")
    result = render_annotated_video(a, tmp_path / "annotated.mp4", crop="runner")
    with VideoReader(str(tmp_path / "annotated.mp4")) as r:
        assert (r.info.width, r.info.height, r.info.n_frames) == (WIDTH, WIDTH, N_FRAMES)
    assert sorted(k.side for k in result.key_frames) == ["left", "right"]


def test_key_frames_leave_out_the_panel_and_counter(analysis):
    """A key frame is the runner and their marks: the metric panel and step counter (the frame's own overlays)
    are not drawn on it, so its crop never cuts them."""
    from formcheck.render.video import _draw_and_offer, _KeyFrameCollector, key_frame_steps

    plan = RenderPlan(analysis)
    drawn = []

    class Spy:
        frame_overlay = True

        def annotate(self, frame, state):
            drawn.append(state.time_s)
            return frame

    stack = [Spy(), *default_annotators(plan)]
    collector = _KeyFrameCollector(plan, key_frame_steps(plan))
    for t in plan.time_s:
        _draw_and_offer(plan, stack, collector, float(t), blank())
    assert len(collector.result()) == 2
    assert len(drawn) == len(plan.time_s)  # the video's frames have it, the two key frames do not


def test_rear_key_frames_at_midstance_with_what_is_drawn(analysis):
    """From behind, a key frame is taken at midstance (where pelvic drop, step width and side lean are measured),
    of the step whose pelvic drop is nearest its side's median, and its caption names what is drawn."""
    from formcheck.model import MetricResult
    from formcheck.render.video import _caption, key_frame_steps, key_time_s

    steps = analysis.events.steps
    drops = tuple(None if not s.valid else float(i % 5) for i, s in enumerate(steps))
    metrics = {
        **analysis.metrics,
        "pelvic_tilt_deg": MetricResult(
            "pelvic_tilt_deg", 2.0, "deg", "good", "N", per_step=drops, extra={"source": "image"}
        ),
    }
    rear = dataclasses.replace(analysis, view="rear", direction="away", metrics=metrics)
    plan = RenderPlan(rear)
    chosen = key_frame_steps(plan)
    for i in chosen:
        side = [d for s, d in zip(steps, drops, strict=True) if s.side == steps[i].side and d is not None]
        assert abs(drops[i] - np.median(side)) == min(abs(d - np.median(side)) for d in side)
        assert key_time_s(plan, i) == steps[i].midstance_s != steps[i].contact_s
        caption = _caption(plan, i)
        assert "midstance" in caption and f"pelvic drop {drops[i]:+.1f}°" in caption
        assert "not the drop above" in caption and "midline" in caption and "shin" not in caption
    assert key_time_s(RenderPlan(analysis), chosen[0]) == steps[chosen[0]].contact_s  # side view: at contact


def test_side_panel_draws_only_what_the_side_view_measures(analysis, plan):
    """Pelvic drop cannot be seen from the side: no 'Pelvic drop n/a' row on a side clip's panel; the
    rear view's panel leads with it."""
    from formcheck.render.state import panel_rows

    labels = [row.label for row in plan.state_at(1.0).panel]
    assert analysis.view == "side"
    assert labels == ["Overstride", "Foot strike", "Trunk lean", "Arm swing", "Cadence"]
    rear = dataclasses.replace(analysis, view="rear")
    assert [row.label for row in panel_rows(rear)][:3] == ["Pelvic drop", "Side lean", "Step width"]
