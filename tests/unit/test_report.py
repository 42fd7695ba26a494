"""analysis.json, steps.csv, keypoints.csv, landmarks.npz and report.html on the fake side-view Analysis."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.model import Finding  # noqa: E402
from formcheck.report.csv_out import keypoint_header, write_keypoints_csv, write_steps_csv  # noqa: E402
from formcheck.report.html import DISCLAIMER, write_report  # noqa: E402
from formcheck.report.json_out import analysis_to_dict, load_analysis, to_json, write_json  # noqa: E402
from formcheck.report.labels import HEADLINE_METRICS  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from tests.fixtures.fake_analysis import N_FRAMES, N_STEPS, make_fake_analysis  # noqa: E402

SIDE_METRICS = (
    "cadence_spm",
    "overstride_distance",
    "shank_angle_ic_deg",
    "foot_strike_angle_deg",
    "foot_strike_type",
    "trunk_lean_deg",
    "knee_flexion_ic_deg",
    "knee_flexion_midstance_deg",
    "vertical_oscillation",
    "arm_swing_deg",
    "elbow_angle_deg",
    "ground_contact_ms",
    "pelvic_tilt_deg",
)


@pytest.fixture(scope="module")
def analysis():
    return make_fake_analysis()


def test_json_schema_keys_and_types(analysis):
    doc = analysis_to_dict(analysis)
    assert isinstance(doc["formcheck_version"], str)
    inp = doc["input"]
    for key, typ in {
        "path": str, "sha256": str, "width": int, "height": int, "fps": float, "frames": int,
        "duration_s": float, "rotation_deg": int,
    }.items():  # fmt: skip
        assert isinstance(inp[key], typ), key
    assert doc["view"] == "side" and doc["direction"] in ("left", "right")
    assert set(doc["pose"]) >= {"model", "detected_fraction"}
    assert {k: doc["steps"][k] for k in ("left", "right", "valid")} == {"left": 6, "right": 5, "valid": 11}
    assert doc["steps"]["rejected"] == 1
    for mid in SIDE_METRICS:
        m = doc["metrics"][mid]
        assert set(m) >= {"value", "unit", "verdict", "evidence", "n_steps", "spread", "note"}, mid
        assert m["verdict"] in ("good", "watch", "flag", "n/a")
        assert m["evidence"] in ("E", "N", "H", "X")
        assert m["value"] is None or isinstance(m["value"], (int, float, str))
    assert "per_side" in doc["metrics"]["overstride_distance"]
    assert "per_side" not in doc["metrics"]["trunk_lean_deg"]
    assert len(doc["metrics"]["overstride_distance"]["per_step"]) == N_STEPS
    assert doc["metrics"]["vertical_oscillation"]["value_cm"] == pytest.approx(4.1)
    assert "bands" in doc["metrics"]["trunk_lean_deg"] and "source" in doc["metrics"]["trunk_lean_deg"]
    f = doc["findings"][0]
    assert set(f) >= {"metric", "verdict", "guidance", "message", "cue", "why", "helps"}
    assert doc["processing"]["filter_cutoff_hz"] == 6.0


def test_json_nan_becomes_null_and_round_trips(analysis, tmp_path):
    text = to_json(analysis)
    assert "NaN" not in text
    doc = json.loads(text)
    assert doc["metrics"]["elbow_angle_deg"]["per_side"]["right"] is None
    path = write_json(analysis, tmp_path / "analysis.json")
    assert load_analysis(path) == doc
    assert load_analysis(tmp_path) == doc


def test_load_analysis_errors(tmp_path):
    with pytest.raises(FormcheckError, match="no analysis"):
        load_analysis(tmp_path / "missing.json")
    bad = tmp_path / "analysis.json"
    bad.write_text("{not json")
    with pytest.raises(FormcheckError, match="not valid JSON"):
        load_analysis(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(FormcheckError, match="not a formcheck analysis"):
        load_analysis(bad)


def test_landmarks_round_trip(analysis, tmp_path):
    path = save_landmarks(analysis.raw, tmp_path / "landmarks.npz")
    back = load_landmarks(path)
    assert back.video == analysis.raw.video
    np.testing.assert_allclose(back.xy_px, analysis.raw.xy_px, atol=1e-3)
    np.testing.assert_allclose(back.time_s, analysis.raw.time_s)
    assert back.world_xyz is not None and back.world_xyz.shape == (N_FRAMES, 33, 3)
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(FormcheckError):
        load_landmarks(tmp_path / "junk.npz")


def test_steps_csv(analysis, tmp_path):
    path = write_steps_csv(analysis, tmp_path / "steps.csv")
    rows = list(csv.reader(path.open()))
    header = rows[0]
    assert header[:8] == [
        "index", "side", "contact_s", "toe_off_s", "midstance_s", "contact_time_ms", "valid", "reject_reason"
    ]  # fmt: skip
    for col in (
        "overstride_distance_pctleg",
        "shank_angle_ic_deg",
        "foot_strike_angle_deg",
        "foot_strike_type",
    ):
        assert col in header
    assert len(rows) == 1 + N_STEPS
    rejected = rows[1 + 5]
    assert (
        rejected[header.index("valid")] == "0" and rejected[header.index("overstride_distance_pctleg")] == ""
    )
    assert rows[1][header.index("foot_strike_type")] == "rearfoot"


def test_keypoints_csv(analysis, tmp_path):
    path = write_keypoints_csv(analysis, tmp_path / "keypoints.csv")
    rows = list(csv.reader(path.open()))
    assert rows[0] == keypoint_header()
    assert len(rows[0]) == 1 + 33 * 5
    assert "left_heel_x_px_filt" in rows[0] and "nose_vis" in rows[0]
    assert len(rows) == 1 + N_FRAMES
    col = rows[0].index("right_heel_x_px")
    assert rows[1 + 40][col] == ""  # the raw gap stays empty; the filtered column is filled
    assert rows[1 + 40][rows[0].index("right_heel_x_px_filt")] != ""


@pytest.fixture(scope="module")
def report_html(analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return write_report(analysis, out, key_frames=[]).read_text()


def test_report_has_cards_disclaimer_and_inline_svg(report_html):
    for mid in HEADLINE_METRICS:
        assert f'id="card-{mid}"' in report_html
    assert report_html.count(DISCLAIMER.split(";")[0]) == 1
    assert "physical therapist or doctor" in report_html
    assert "<svg" in report_html and '<img src="http' not in report_html
    assert "Flag" in report_html and "Watch" in report_html  # verdicts as words, not only colour
    assert "What video can" in report_html and "10%" in report_html


def test_report_is_offline(report_html):
    assert re.findall(r"https?://", report_html) == []
    assert "<script src" not in report_html and "<link" not in report_html


def test_report_video_only_when_present(analysis, tmp_path):
    html = write_report(analysis, tmp_path, key_frames=[]).read_text()
    assert "<video" not in html and "--no-video" in html
    (tmp_path / "annotated.mp4").write_bytes(b"\x00")
    html = write_report(analysis, tmp_path, key_frames=[]).read_text()
    assert "<video controls playsinline" in html and 'src="annotated.mp4"' in html


def test_report_escapes_text(analysis, tmp_path):
    evil = Finding("overstride_distance", "flag", "<script>alert(1)</script>", "a & b", "<b>cue</b>")
    a = dataclasses.replace(analysis, findings=(evil,))
    html = write_report(a, tmp_path, key_frames=[]).read_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;cue" in html
