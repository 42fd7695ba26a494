"""The report's video tools and what they seek to: landing times in video seconds, the steps table, tap targets in
the plots, the cards' "show me" buttons; and the rear/front report built for its view."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

from formcheck.metrics.registry import panel_ids
from formcheck.model import MetricResult
from formcheck.report.html import render_report
from formcheck.report.player import PLAYER_JS, data_script, player_data
from formcheck.report.plots import MAX_TARGETS, all_plots
from formcheck.report.steps_table import steps_table
from formcheck.report.summary_html import typical_step
from formcheck.report.views import headline_ids
from tests.fixtures.fake_analysis import N_STEPS, make_fake_analysis


@pytest.fixture(scope="module")
def analysis():
    return make_fake_analysis()


def test_landing_times_are_the_first_frame_showing_the_marks(analysis):
    data = player_data(analysis)
    t = analysis.clean.time_s
    assert data["fps"] == pytest.approx(analysis.video.fps, abs=1e-3)
    assert [s["i"] for s in data["steps"]] == list(range(N_STEPS))
    for s, step in zip(data["steps"], analysis.events.steps, strict=True):
        assert s["side"] == step.side and s["valid"] == step.valid
        k = int(np.argmin(np.abs(t - s["t"])))
        assert s["t"] == pytest.approx(t[k], abs=1e-4)  # a frame's own time
        first = t[k] + 1e-6 >= step.contact_s and (k == 0 or t[k - 1] + 1e-6 < step.contact_s)
        assert first  # the first frame at or after the contact: the first to show its marks
    slow = player_data(analysis, video_per_motion_s=4.0)  # a 4x slow-motion file plays 4x longer
    assert [s["t"] for s in slow["steps"]] == pytest.approx([4.0 * s["t"] for s in data["steps"]], abs=1e-3)


def test_a_trimmed_clips_video_starts_at_its_first_analysed_frame(analysis):
    """--start/--end: annotated.mp4 holds the analysed frames only, so its time 0 is the first analysed frame;
    the player seeks in that clock and shows the clip's contact times (as the key frames and steps.csv)."""
    cut = 30  # the analysis starts 30 frames (1 s) into the clip
    t = analysis.clean.time_s

    def trim(tr):
        return dataclasses.replace(tr, xy_px=tr.xy_px[cut:], visibility=tr.visibility[cut:], time_s=tr.time_s[cut:],
                                   world_xyz=None)  # fmt: skip

    steps = [s for s in analysis.events.steps if s.contact_s > t[cut]]
    trimmed = dataclasses.replace(
        analysis,
        raw=trim(analysis.raw),
        clean=trim(analysis.clean),
        events=dataclasses.replace(analysis.events, steps=tuple(steps)),
    )
    whole = {round(s.contact_s, 6): d["t"] for s, d in zip(analysis.events.steps, player_data(analysis)["steps"],
                                                               strict=True)}  # fmt: skip
    data = player_data(trimmed)
    assert len(data["steps"]) == len(steps) > 3
    for d, s in zip(data["steps"], steps, strict=True):
        assert d["t"] == pytest.approx(whole[round(s.contact_s, 6)] - t[cut], abs=1e-4)
        assert d["c"] == round(s.contact_s, 2)  # the clip's time, shown by the player
    # A trimmed 4x slow-motion file: its video starts at the first analysed frame too, and plays 4x longer.
    slow = player_data(trimmed, video_per_motion_s=4.0)
    assert [d["t"] for d in slow["steps"]] == pytest.approx([4.0 * d["t"] for d in data["steps"]], abs=1e-3)
    assert [d["c"] for d in slow["steps"]] == [d["c"] for d in data["steps"]]  # motion seconds of the clip
    # A video of the whole clip (drawn by an earlier formcheck) keeps the whole clip's clock.
    legacy = player_data(trimmed, video_origin_s=0.0)
    assert [d["t"] for d in legacy["steps"]] == pytest.approx([whole[round(s.contact_s, 6)] for s in steps])
    assert "steps[k].c" in PLAYER_JS  # the "now" line reads the clip's time


def test_data_script_cannot_close_its_element():
    html = data_script({"x": "</script><script>alert(1)</script>"})
    assert html.count("</script>") == 1 and json.loads(html[html.index(">") + 1 : -len("</script>")])["x"]


def test_steps_table_has_a_row_per_step(analysis):
    html = steps_table(analysis)
    rows = re.findall(r'<tr class="step-row( rejected)?" data-step="(\d+)"', html)
    assert [int(i) for _, i in rows] == list(range(N_STEPS))
    assert [bool(r) for r, _ in rows] == [not s.valid for s in analysis.events.steps]
    assert "Heel ahead" in html and "gap of 5 frames" in html


def test_plot_points_are_tap_targets(analysis):
    plots = {p.id: p for p in all_plots(analysis)}
    over = analysis.metrics["overstride_distance"].per_step
    measured = {i for i, v in enumerate(over) if v is not None}
    targets = re.findall(r'<circle class="step" data-step="(\d+)"', plots["overstride"].svg)
    assert len(targets) == 2 * len(measured)  # heel and shin panels
    assert {int(i) for i in targets} == measured
    assert len(re.findall(r'class="step"', plots["trunk_lean"].svg)) == N_STEPS  # one per contact on the line
    assert 'class="step"' not in plots["knee_cycle"].svg  # averaged strides: no single step


def test_long_clips_have_no_tap_targets(analysis):
    from tests.unit.report.test_report import _long_analysis

    a = _long_analysis(seconds=150.0, fps=30.0)
    assert len(a.events.steps) > MAX_TARGETS
    assert all('class="step"' not in p.svg for p in all_plots(a))


def test_cards_show_the_typical_landing(analysis, tmp_path):
    html = render_report(analysis, tmp_path)
    card = html[html.index('id="card-overstride_distance"') :]
    card = card[: card.index("</article>")]
    i = typical_step(analysis, "overstride_distance")
    vals = [v for s, v in zip(analysis.events.steps, analysis.metrics["overstride_distance"].per_step, strict=True)
            if s.valid and v is not None]  # fmt: skip
    assert analysis.events.steps[i].valid
    assert abs(analysis.metrics["overstride_distance"].per_step[i] - np.median(vals)) == min(
        abs(v - np.median(vals)) for v in vals
    )
    assert f'data-step="{i}" data-slow="1"' in card
    assert 'id="fc-data"' in html and "<script>" in html


def _frontal(analysis, view: str = "rear"):
    rng = np.random.default_rng(1)
    metrics = dict(analysis.metrics)
    for mid, unit, verdict in (
        ("pelvic_tilt_deg", "deg", "flag"),
        ("lateral_trunk_lean_deg", "deg", "good"),
        ("step_width", "%hip width", "watch"),
    ):
        per_step = tuple(None if not s.valid else float(rng.normal(5, 3)) for s in analysis.events.steps)
        metrics[mid] = MetricResult(mid, 5.0, unit, verdict, "N", n_steps=11, per_step=per_step)
    for mid in ("overstride_distance", "trunk_lean_deg", "foot_strike_type", "arm_swing_deg"):
        metrics[mid] = MetricResult(mid, None, metrics[mid].unit, "n/a", "E", note="needs a side view")
    return dataclasses.replace(analysis, view=view, direction="away", metrics=metrics, findings=())


@pytest.mark.parametrize("view", ["rear", "front"])
def test_frontal_report_leads_with_its_own_metrics(analysis, tmp_path, view):
    a = _frontal(analysis, view)
    (tmp_path / "annotated.mp4").write_bytes(b"\x00")
    html = render_report(a, tmp_path)
    cards = re.findall(r'<article class="card[^"]*" id="card-([a-z_]+)"', html)
    assert list(headline_ids(view)) == list(panel_ids(view))
    # n/a metrics get no card: they are named in one line (arm crossover has no value in this fake analysis)
    assert a.metrics["arm_crossover_pct"].verdict == "n/a"
    assert cards == [m for m in headline_ids(view) if m != "arm_crossover_pct"]
    assert cards[:3] == ["pelvic_tilt_deg", "lateral_trunk_lean_deg", "step_width"]
    summary = html[html.index('id="summary"') : html.index('id="keyframes"')]
    assert "side view" not in summary and "card-overstride" not in summary
    assert (
        "Not measured from this view: overstride, foot strike, trunk lean, arm swing (film from the side"
        in (summary)
    )
    assert "No verdict in this clip: arm crossover" in summary
    assert "pink line joins the hip landmarks" in summary  # the video caption describes the frontal drawing
    plots = [p.id for p in all_plots(a)]
    assert plots == ["pelvic_tilt_deg", "step_width", "lateral_trunk_lean_deg"]
    assert "Pelvic drop" in steps_table(a) and "Heel ahead" not in steps_table(a)


def test_crop_tip_only_for_a_small_runner_in_a_wide_frame():
    from formcheck.report.player import crop_tip

    assert "--crop runner" in crop_tip(1920, 1080, 259.0, cropped=False)  # street clip: leg 24% of the height
    assert crop_tip(1920, 1080, 259.0, cropped=True) == ""  # already following the runner
    assert crop_tip(1920, 1080, 500.0, cropped=False) == ""  # a near runner
    assert (
        crop_tip(608, 1080, 100.0, cropped=False) == ""
    )  # portrait: the runner fills a phone's screen anyway
