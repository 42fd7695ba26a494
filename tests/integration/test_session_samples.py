"""``formcheck analyze side_overstride_heel.mp4 rear_pelvic_drop.mp4 --session`` on the shipped sample videos (the
pose model on two rendered clips): one session report with all six headline measures filled from their views, the
samples' known faults among the verdicts, and the clips in their own folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.metrics.registry import HEADLINE_IDS

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"


def test_sample_side_and_rear_make_one_session(tmp_path, capsys):
    side, rear = SAMPLES / "side_overstride_heel.mp4", SAMPLES / "rear_pelvic_drop.mp4"
    if not (side.is_file() and rear.is_file()):
        pytest.skip("sample_videos/ not present")
    code = main(["analyze", str(rear), str(side), "--session", "-o", str(tmp_path), "--no-video"])
    err = capsys.readouterr().err
    assert code == 0, err
    session = tmp_path / "side_overstride_heel+rear_pelvic_drop"
    assert f"session report: {session / 'report.html'}" in err
    doc = json.loads((session / "session.json").read_text(encoding="utf-8"))
    assert doc["views"] == ["side", "rear"]
    measures = doc["measures"]
    assert list(measures) == list(HEADLINE_IDS)
    for mid, m in measures.items():
        assert m["value"] is not None and m["verdict"] != "n/a", (mid, m)
    assert measures["pelvic_tilt_deg"]["source_view"] == "rear"
    assert {measures[m]["source_view"] for m in HEADLINE_IDS if m != "pelvic_tilt_deg"} == {"side"}
    # The samples' faults (sample_videos/*.truth.json): a heel strike that reaches ahead, a dropping pelvis.
    assert measures["foot_strike_type"]["value"] == "rearfoot"
    # A clear overstride: the heel reaches 35.3% of leg length ahead (flag from 30); through the pose model 35.1,
    # interval 33.6-37.4 (sample_videos/make_samples.py).
    assert measures["overstride_distance"]["verdict"] == "flag"
    assert measures["pelvic_tilt_deg"]["verdict"] in ("borderline", "flag")
    side_doc = json.loads((tmp_path / "side_overstride_heel" / "analysis.json").read_text(encoding="utf-8"))
    assert measures["cadence_spm"]["value"] == side_doc["metrics"]["cadence_spm"]["value"]
    html = (session / "report.html").read_text(encoding="utf-8")
    assert (
        'href="../side_overstride_heel/report.html"' in html
        and 'href="../rear_pelvic_drop/report.html"' in html
    )
