"""The session of a side clip and a rear or front clip of one run (formcheck/session.py): pairing clips, the view
each measure comes from, the cadence check, the ranked findings, session.json and its report, and every error path
(same view twice, a failed clip, a folder formcheck did not write), on fake analyses with known answers."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from formcheck.errors import FormcheckError, OutputError, ViewError
from formcheck.metrics.registry import HEADLINE_IDS
from formcheck.report.html import render_report
from formcheck.report.labels import metric_bands
from formcheck.session import (
    SESSION_FILE,
    SESSION_MARKER,
    SESSION_MEASURES,
    ClipRecord,
    cadence_check,
    pair_views,
    session_document,
    session_name,
    side_first,
    source_view,
    thresholds_of,
    write_session,
)
from tests.fixtures.fake_session import (
    PELVIC_DROP_DEG,
    PELVIC_INTERVAL,
    frontal_analysis,
    frontal_doc,
    side_analysis,
    side_doc,
    write_clip,
)

SIDE_SOURCED = ("overstride_distance", "foot_strike_type", "trunk_lean_deg", "arm_swing_deg", "cadence_spm")


# --- pair_views ------------------------------------------------------------------------------------------------


def test_pair_views_pairs_side_with_rear_or_front_of_the_same_athlete_and_day():
    d1, d2 = dt.date(2026, 5, 1), dt.date(2026, 5, 8)
    clips = [
        ("ann/side_may1", "ann", d1, "side"),
        ("ann/rear_may1", "ann", dt.datetime(2026, 5, 1, 18, 30), "rear"),  # same day, a later hour
        ("ann/rear_may8", "ann", d2, "rear"),  # no side clip that day
        ("bob/front_may1", "bob", d1, "front"),
        ("bob/side_may1", "bob", dt.datetime(2026, 5, 1, 7, 0), "side"),
        ("bob/side_may8", "bob", d2, "side"),  # no rear clip that day
        ("cat/side", "cat", d1, "side"),
        ("cat/rear", "dan", d1, "rear"),  # another athlete
    ]
    pairs = pair_views(clips)
    assert [(a.clip_dir, b.clip_dir) for a, b in pairs] == [
        ("ann/side_may1", "ann/rear_may1"),
        ("bob/side_may1", "bob/front_may1"),
    ]
    assert all(isinstance(r, ClipRecord) for pair in pairs for r in pair)


def test_pair_views_one_to_one_in_folder_order_rear_before_front():
    day = "2026-05-01"
    clips = [
        ClipRecord("b_side", "ann", day, "side"),
        ClipRecord("z_front", "ann", day, "front"),
        ClipRecord("a_side", "ann", day, "side"),
        ClipRecord("y_rear", "ann", day, "rear"),
        ClipRecord("c_side", "ann", day, "side"),  # three sides, two frontal: one side left unpaired
        ClipRecord("x_side", "ann", day, "side"),
    ]
    assert [(a.clip_dir, b.clip_dir) for a, b in pair_views(clips)] == [
        ("a_side", "y_rear"),
        ("b_side", "z_front"),
    ]


def test_pair_views_of_nothing_or_same_view_clips_is_empty():
    assert pair_views([]) == []
    assert pair_views([("a", "ann", "d", "side"), ("b", "ann", "d", "side")]) == []
    assert pair_views([("a", "ann", "d", "rear"), ("b", "ann", "d", "front")]) == []


# --- where each measure comes from -----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["rear", "front"])
def test_each_headline_measure_from_the_view_that_measures_it(view):
    side, other = side_doc(), frontal_doc(view)
    assert {mid: source_view(mid, side, other) for mid in HEADLINE_IDS} == {
        "overstride_distance": "side",
        "foot_strike_type": "side",
        "trunk_lean_deg": "side",
        "pelvic_tilt_deg": view,
        "arm_swing_deg": "side",  # the registry: arm swing is measured side-on
        "cadence_spm": "side",
    }
    assert source_view("step_width", side, other) == view
    assert source_view("knee_collapse_deg", side, other) == view  # rear/front only
    assert source_view("knee_flexion_midstance_deg", side, other) == "side"


def test_a_frontal_plane_metric_comes_from_the_side_only_when_the_other_clip_has_no_value():
    side, other = side_doc(), frontal_doc()
    side["metrics"]["step_width"]["value"] = 9.0
    assert source_view("step_width", side, other) == "rear"
    other["metrics"]["step_width"]["value"] = None
    # The side view cannot measure step width (registry views: rear and front; the side only explains its n/a),
    # so it never stands in for the rear clip.
    assert source_view("step_width", side, other) == "rear"


def test_session_document_fills_all_six_headline_measures_with_verdict_interval_and_band():
    side, rear = side_doc(), frontal_doc("rear")
    doc = session_document(side, rear, "../run_side", "../run_rear", created=dt.datetime(2026, 5, 1, 9, 0))
    assert list(doc["measures"]) == list(SESSION_MEASURES) == list(HEADLINE_IDS)
    assert doc["views"] == ["side", "rear"]
    for mid, m in doc["measures"].items():
        assert m["value"] is not None, mid
        assert m["verdict"] in ("good", "watch", "borderline", "flag"), mid
        source = side if m["source_view"] == "side" else rear
        assert (
            m["value"] == source["metrics"][mid]["value"]
            and m["verdict"] == source["metrics"][mid]["verdict"]
        )
        band = metric_bands(mid, thresholds_of(source))
        assert m["band"] == band.bands and m["band_source"] == band.source, mid
    pelvic = doc["measures"]["pelvic_tilt_deg"]
    assert (pelvic["value"], pelvic["interval"], pelvic["verdict"], pelvic["source_view"]) == (
        PELVIC_DROP_DEG,
        list(PELVIC_INTERVAL),
        "flag",
        "rear",
    )
    assert doc["measures"]["cadence_spm"]["value"] == 170.0 and doc["measures"]["cadence_spm"][
        "interval"
    ] == [
        168.2,
        171.9,
    ]
    assert [c["folder"] for c in doc["clips"]] == ["../run_side", "../run_rear"]
    assert doc["clips"][1]["report"] == "../run_rear/report.html"
    assert doc["clips"][0]["annotated_video"] == "../run_side/annotated.mp4"
    assert doc["created"] == "2026-05-01T09:00:00"
    json.dumps(doc, allow_nan=False)  # strict JSON


def test_cadence_agreeing_within_the_smallest_detectable_difference_gives_no_note():
    # SDD of cadence: 3% of the side clip's 170 steps/min = 5.1 steps/min (registry).
    check = cadence_check(side_doc(), frontal_doc(cadence_spm=175.0))
    assert check["smallest_detectable_difference"] == pytest.approx(5.1)
    assert check["difference"] == pytest.approx(5.0) and check["agree"] is True
    assert session_document(side_doc(), frontal_doc(cadence_spm=175.0), "a", "b")["cadence_note"] == ""


def test_cadence_disagreeing_is_noted_as_a_sign_of_two_runs():
    doc = session_document(side_doc(), frontal_doc(cadence_spm=181.0), "a", "b")
    assert doc["cadence_check"]["agree"] is False and doc["cadence_check"]["difference"] == pytest.approx(
        11.0
    )
    assert doc["cadence_note"] == (
        "From behind the cadence was 181 steps/min, 11 more than from the side: more than the smallest detectable "
        "difference (5 steps/min), a sign the two clips were not the same run."
    )
    assert doc["measures"]["cadence_spm"]["value"] == 170.0  # still the side clip's


def test_work_on_ranks_both_views_findings_as_the_clip_report_does():
    doc = session_document(side_doc(), frontal_doc(), "a", "b")
    ranked = [(f["metric"], f["verdict"], f["source_view"]) for f in doc["work_on"]]
    # Flags first, then watch; within a verdict the surer finding first, as a clip report ranks them: the pelvic
    # drop lies 1.7 half-intervals beyond its good band, the overstride (no interval) 0; step width 1.6, foot
    # strike 0. The rear clip's cadence finding is dropped (cadence comes from the side).
    assert ranked == [
        ("pelvic_tilt_deg", "flag", "rear"),
        ("overstride_distance", "flag", "side"),
        ("step_width", "watch", "rear"),
        ("foot_strike_type", "watch", "side"),
    ]
    # The same order as guidance.finding_rank gives on the clips' own results (not read back from JSON).
    from formcheck.guidance import finding_rank

    clips = {"side": side_analysis(), "rear": frontal_analysis("rear", 172.0)}
    keys = [
        finding_rank(verdict, clips[view].metrics[mid], clips[view].settings.thresholds)
        for mid, verdict, view in ranked
    ]
    assert keys == sorted(keys) and keys[0][1] < keys[1][1] and keys[2][1] < keys[3][1]


@pytest.mark.parametrize(
    "views,message",
    [
        (("side", "side"), "both clips are side views"),
        (("rear", "rear"), "both clips are rear views"),
        (("rear", "front"), "a session needs one side clip and one rear or front clip"),
    ],
)
def test_views_that_make_no_session_are_refused(views, message):
    side = side_doc()
    side["view"] = views[0]
    other = frontal_doc(views[1]) if views[1] != "side" else side_doc()
    with pytest.raises(ViewError, match=message):
        session_document(side, other, "a", "b")


def test_side_first_orders_a_pair_and_refuses_the_same_view_twice():
    assert side_first([(Path("r"), "rear"), (Path("s"), "side")]) == (Path("s"), Path("r"))
    assert side_first([(Path("s"), "side"), (Path("f"), "front")]) == (Path("s"), Path("f"))
    with pytest.raises(ViewError, match="both clips are side views"):
        side_first([(Path("a"), "side"), (Path("b"), "side")])


# --- write_session: the files --------------------------------------------------------------------------------


@pytest.fixture
def clips(tmp_path):
    side = write_clip(tmp_path / "run_side", side_analysis(), video=b"\x00video")
    rear = write_clip(tmp_path / "run_rear", frontal_analysis("rear", cadence_spm=181.0))
    return side, rear


def test_write_session_writes_report_and_session_json(clips, tmp_path):
    side, rear = clips
    out = tmp_path / session_name(side, rear)
    assert out.name == "run_side+run_rear"
    report = write_session(side, rear, out)
    assert report == out / "report.html"
    assert (out / SESSION_MARKER).is_file()
    doc = json.loads((out / SESSION_FILE).read_text(encoding="utf-8"))
    assert doc["schema"] == "formcheck-session/1"
    assert all(doc["measures"][mid]["value"] is not None for mid in HEADLINE_IDS)
    html = report.read_text(encoding="utf-8")
    cards = re.findall(r'<article class="card[^"]*" id="card-([a-z_]+)"', html)
    assert cards[:6] == list(HEADLINE_IDS)
    # Links and videos by relative path; the rear clip has no annotated video, so none is linked.
    assert 'href="../run_side/report.html"' in html and 'href="../run_rear/report.html"' in html
    assert 'src="../run_side/annotated.mp4"' in html and "../run_rear/annotated.mp4" not in html
    for href in re.findall(r'(?:href|src)="([^"#]+)"', html):
        assert (out / unquote(href)).resolve().is_file(), href
    assert "From behind the cadence was 181 steps/min" in html
    assert "Measured from behind." in html and "Measured from the side." in html


def test_session_cards_read_as_the_clip_reports_do(clips, tmp_path):
    side, rear = clips
    html = write_session(side, rear, tmp_path / "s").read_text(encoding="utf-8")
    for analysis, mids in (
        (side_analysis(), SIDE_SOURCED),
        (frontal_analysis("rear", 181.0), ("pelvic_tilt_deg",)),
    ):
        clip_html = render_report(analysis, tmp_path)
        for mid in mids:
            card = re.search(rf'id="card-{mid}">(.*?)</article>', clip_html, re.S).group(1)
            value = re.search(r'<p class="value">.*?</p>', card, re.S).group(0)  # value, interval, band words
            assert value in html, mid
            message = re.search(r'<p class="message[^"]*">.*?</p>', card, re.S)
            if message:
                assert message.group(0) in html, mid


def _back_links(clip: Path) -> list[str]:
    return re.findall(r'<p class="tip session-link">.*?<a href="([^"]+)"', (clip / "report.html").read_text())


def test_each_clip_report_links_back_to_the_session_once(tmp_path):
    # Names a URL would misread: a space, '#' (a fragment) and '+' (the session's own separator).
    side = write_clip(tmp_path / "run #2 side", side_analysis())
    rear = write_clip(tmp_path / "run #2 rear", frontal_analysis())
    out = tmp_path / session_name(side, rear)
    write_session(side, rear, out)
    write_session(side, rear, out)  # again: the link is replaced, not added twice
    for clip in (side, rear):
        links = _back_links(clip)
        assert links == ["../run%20%232%20side%2Brun%20%232%20rear/report.html"], links
        assert (clip / unquote(links[0])).resolve() == (out / "report.html").resolve()
    html = (out / "report.html").read_text()
    assert (
        'href="../run%20%232%20rear/report.html"' in html
        and 'src="../run%20%232%20side/annotated.mp4"' not in html
    )


def test_no_back_link_in_a_report_formcheck_did_not_write(clips, tmp_path):
    side, rear = clips
    (rear / ".formcheck").unlink()
    (rear / "landmarks.npz").unlink(missing_ok=True)  # not a clip folder of formcheck's any more
    before = (rear / "report.html").read_text()
    write_session(side, rear, tmp_path / "s")
    assert (rear / "report.html").read_text() == before and len(_back_links(side)) == 1


def test_a_session_is_rewritten_in_place(clips, tmp_path):
    side, rear = clips
    out = tmp_path / "s"
    write_session(side, rear, out)
    (out / "notes.txt").write_text("mine")  # a file formcheck did not write survives
    write_session(side, rear, out)
    assert (out / "notes.txt").read_text() == "mine" and (out / SESSION_FILE).is_file()


def test_a_failed_clip_gives_no_session(clips, tmp_path):
    side, rear = clips
    (rear / "analysis.json").unlink()  # what a failed clip leaves: no analysis.json
    out = tmp_path / "s"
    with pytest.raises(FormcheckError, match="holds no analysis"):
        write_session(side, rear, out)
    assert not out.exists()


def test_same_view_twice_gives_no_session(tmp_path):
    a = write_clip(tmp_path / "a", side_analysis())
    b = write_clip(tmp_path / "b", side_analysis())
    with pytest.raises(ViewError, match="both clips are side views"):
        write_session(a, b, tmp_path / "s")
    assert not (tmp_path / "s").exists()


def test_a_folder_formcheck_did_not_write_is_left_alone(clips, tmp_path):
    side, rear = clips
    out = tmp_path / "mine"
    out.mkdir()
    (out / "report.html").write_text("my own page")
    with pytest.raises(OutputError, match="not written by formcheck"):
        write_session(side, rear, out)
    assert (out / "report.html").read_text() == "my own page"
