"""formcheck/video_drawing.py: what annotated.mp4 draws, read from analysis.json, and whether a re-judged analysis
changes it (``reanalyze`` redraws the video only then)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from formcheck.report.json_out import analysis_to_dict
from formcheck.video_drawing import (
    drawing_changes,
    drawing_sha256,
    drawn_summary,
    shown_drawing,
    video_changes,
)
from tests.fixtures.fake_analysis import make_fake_analysis


@pytest.fixture(scope="module")
def fake():
    return make_fake_analysis()


@pytest.fixture()
def doc(fake) -> dict[str, Any]:
    return analysis_to_dict(fake)


def _changes(before: dict, after: dict) -> tuple[str, ...]:
    return drawing_changes(drawn_summary(before), drawn_summary(after))


def test_the_same_analysis_draws_the_same_video(doc) -> None:
    again = copy.deepcopy(doc)
    assert _changes(doc, again) == ()
    assert drawing_sha256(drawn_summary(doc)) == drawing_sha256(drawn_summary(again))
    assert video_changes(doc, drawn_summary(again)) == ()


def test_a_panel_verdict_that_changes_is_named(doc) -> None:
    after = copy.deepcopy(doc)
    after["metrics"]["cadence_spm"]["verdict"] = "flag"
    assert _changes(doc, after) == ("Cadence: good -> flag",)
    assert drawing_sha256(drawn_summary(doc)) != drawing_sha256(drawn_summary(after))


def test_a_panel_value_that_changes_as_drawn_is_named_and_one_that_rounds_alike_is_not(doc) -> None:
    after = copy.deepcopy(doc)
    after["metrics"]["trunk_lean_deg"]["value"] = 7.4
    assert _changes(doc, after) == ("Trunk lean: 7.1° -> 7.4°",)
    after["metrics"]["trunk_lean_deg"]["value"] = doc["metrics"]["trunk_lean_deg"]["value"] + 0.001
    assert _changes(doc, after) == ()  # the panel shows one decimal: the same text, the same video


def test_the_summary_reads_the_colours_the_renderer_gives_each_landing(fake, doc) -> None:
    from formcheck.render.state import RenderPlan

    landings = drawn_summary(doc)["landings"]
    marks = RenderPlan(fake).contacts
    assert len(landings) == len(marks) == 12
    for row, mark in zip(landings, marks, strict=True):
        assert row[1] == mark.overstride_verdict
        if mark.shank_deg is not None and mark.valid:
            assert row[3] == mark.shank_verdict
            assert row[2] == f"{round(mark.shank_deg)}°"
    assert {row[3] for row in landings if row[2]} == {"watch"}  # 8-9° against the default 5-10° watch band


def test_a_band_that_recolours_the_landings_changes_the_video(doc) -> None:
    after = copy.deepcopy(doc)
    after["settings"]["thresholds"]["shank_angle_ic_deg"]["good"] = [[None, 10.0]]
    after["settings"]["thresholds"]["shank_angle_ic_deg"]["watch"] = [[10.0, 15.0]]
    assert _changes(doc, after) == ("the marks of 11 landings",)  # every valid step's shin turns good


def test_re_judging_what_the_video_does_not_draw_leaves_it_as_it_is(doc) -> None:
    after = copy.deepcopy(doc)
    after["metrics"]["knee_flexion_midstance_deg"]["verdict"] = "good"  # not on the panel, not at a landing
    after["settings"]["thresholds"]["knee_flexion_midstance_deg"]["good"] = [[30.0, None]]
    after["settings"]["write_video"] = False  # how reanalyze runs
    after["settings"]["height_cm"] = 180.0
    after["findings"] = []
    after["warnings"] = ["something else"]
    assert _changes(doc, after) == ()
    assert video_changes(doc, drawn_summary(after)) == ()


def test_settings_that_move_the_skeleton_or_the_landings_change_the_video(doc) -> None:
    after = copy.deepcopy(doc)
    after["settings"]["processing"]["visibility_min"] = 0.6
    after["settings"]["gait"]["min_steps_per_side"] = 9
    assert _changes(doc, after) == ("the landmarks and landings drawn (gait, processing)",)
    after = copy.deepcopy(doc)
    after["settings"]["video_crop"] = "runner"
    assert _changes(doc, after) == ("the landmarks and landings drawn (video_crop)",)


def test_steps_view_and_direction_are_compared(doc) -> None:
    after = copy.deepcopy(doc)
    after["steps"]["valid"] = 10
    after["direction"] = "left"
    assert _changes(doc, after) == ("the direction (right -> left)", "the steps counted")


def test_many_differences_are_all_listed(doc) -> None:
    after = copy.deepcopy(doc)
    for mid in ("cadence_spm", "trunk_lean_deg", "arm_swing_deg"):
        after["metrics"][mid]["verdict"] = "flag"
    after["metrics"]["overstride_distance"]["verdict"] = "good"
    assert len(_changes(doc, after)) == 4


def test_a_video_kept_from_an_earlier_analysis_is_compared_with_what_it_shows(doc) -> None:
    shown = copy.deepcopy(doc)  # what the kept video draws
    judged = copy.deepcopy(doc)  # what analysis.json said after a re-analysis without the source
    judged["metrics"]["cadence_spm"]["verdict"] = "flag"
    judged["annotated_video"] = {
        "shows_this_analysis": False,
        "drawing_sha256": drawing_sha256(drawn_summary(shown)),
        "drawn": drawn_summary(shown),
        "differences": ["Cadence: good -> flag"],
    }
    assert shown_drawing(judged) == drawn_summary(shown)
    # Judged back as the video shows: nothing to redraw, although analysis.json said otherwise.
    assert video_changes(judged, drawn_summary(shown)) == ()
    # Judged again as analysis.json says: the video still differs.
    assert video_changes(judged, drawn_summary(judged)) == ("Cadence: good -> flag",)
    # Judged otherwise again: told from what the video shows, not from analysis.json's flag.
    other = copy.deepcopy(judged)
    other["metrics"]["cadence_spm"]["verdict"] = "watch"
    other["metrics"]["trunk_lean_deg"]["verdict"] = "watch"
    assert video_changes(judged, drawn_summary(other)) == (
        "Trunk lean: good -> watch",
        "Cadence: good -> watch",
    )
    # A record without the drawing (damaged) falls back on the document's own.
    del judged["annotated_video"]["drawn"]
    assert video_changes(judged, drawn_summary(judged)) == ()


def test_without_an_earlier_analysis_what_the_video_shows_is_unknown(doc) -> None:
    assert video_changes({}, drawn_summary(doc)) == ("what it shows is unknown (no analysis.json)",)


def test_a_document_from_before_the_settings_were_kept_reads_as_judged_with_the_defaults(doc) -> None:
    old = copy.deepcopy(doc)
    del old["settings"]
    assert _changes(old, doc) == ()


def test_a_kept_videos_record_reads_back_as_what_it_shows(fake, tmp_path) -> None:
    """The record written to analysis.json and read back equals a fresh summary of the same drawing: its floats
    are not rounded (a setting of 1/6 s stored as 0.167 read as a change at every later re-analysis, so a clip
    judged back to what its video shows kept its "earlier analysis" note for ever)."""
    import dataclasses

    from formcheck.model import EarlierVideo
    from formcheck.report.json_out import load_analysis, to_json

    shown = analysis_to_dict(fake)
    assert shown["settings"]["gait"]["held_picture_min_s"] == pytest.approx(1 / 6)
    drawn = drawn_summary(shown)
    kept = dataclasses.replace(
        fake,
        earlier_video=EarlierVideo(
            drawing_sha256(drawn), drawn, ("Cadence: good -> flag",), "/x.mp4", "/out/x"
        ),
    )
    (tmp_path / "analysis.json").write_text(to_json(kept), encoding="utf-8")
    doc = load_analysis(tmp_path / "analysis.json")
    assert shown_drawing(doc) == drawn
    assert video_changes(doc, drawn) == ()


def test_a_video_drawn_by_an_earlier_formcheck_counts_as_changed(doc) -> None:
    """The same values and verdicts drawn by a formcheck whose drawing differed (older analysis.json files have no
    ``drawing_version``): the video is drawn again (or said to show an earlier analysis), not kept as current."""
    from formcheck.version import DRAWING_VERSION

    older = copy.deepcopy(doc)
    del older["drawing_version"]
    assert doc["drawing_version"] == DRAWING_VERSION
    assert video_changes(older, drawn_summary(doc)) == (
        "how formcheck draws the video (an earlier version drew it)",
    )
    assert video_changes(doc, drawn_summary(doc)) == ()
