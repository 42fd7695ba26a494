"""Custom verdict bands travel with the analysis: analysis.json, the report and the athlete history print and use
exactly the bands the verdicts were judged with (with good >= 180 spm, 176 spm was judged 'watch' while
analysis.json printed 'good >= 169.5')."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import datetime

import pytest

from formcheck.config import INF, AnalysisSettings, Thresholds, settings_from_dict
from formcheck.history import MetricValue, Session, compare, good_band, metrics_from_analysis, trend
from formcheck.report.html import write_report
from formcheck.report.json_out import load_analysis, write_json
from formcheck.store import Store
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.synthetic import synthetic_trajectories

_TH = Thresholds()
STRICT = AnalysisSettings(
    thresholds=dataclasses.replace(
        _TH,
        cadence_spm=dataclasses.replace(_TH.cadence_spm, good=((180.0, INF),), watch=((170.0, 180.0),)),
        # Flag cut-offs far from the runner's 7 deg, so the verdict is good, not borderline.
        trunk_lean_deg=dataclasses.replace(
            _TH.trunk_lean_deg, good=((5.0, 9.0),), watch=((0.0, 5.0), (9.0, 15.0))
        ),
    )
)


@pytest.fixture(scope="module")
def runs():
    traj, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    return analyze_trajectories(traj, AnalysisSettings()), analyze_trajectories(traj, STRICT)


def test_the_verdict_uses_the_custom_bands(runs) -> None:
    default, strict = runs
    assert default.metrics["cadence_spm"].value == pytest.approx(176.0, abs=1.5)
    assert default.metrics["cadence_spm"].verdict == "good"
    assert strict.metrics["cadence_spm"].verdict == "watch"
    assert strict.settings == STRICT and default.settings == AnalysisSettings()


def test_analysis_json_prints_and_records_the_bands_used(runs, tmp_path) -> None:
    _, strict = runs
    doc = load_analysis(write_json(strict, tmp_path / "analysis.json"))
    cadence = doc["metrics"]["cadence_spm"]
    assert cadence["verdict"] == "watch"
    assert cadence["bands"] == "good >= 180; watch 170 to 180; flag otherwise"
    assert doc["settings"]["thresholds"]["cadence_spm"]["good"] == [[180.0, None]]  # infinity as null
    assert doc["steps"]["unreliable"] is False
    assert settings_from_dict(doc["settings"]) == STRICT  # reads back exactly (step width's 1e-9 included)


def test_the_report_prints_the_bands_used(runs, tmp_path) -> None:
    default, strict = runs
    html = write_report(strict, tmp_path, key_frames=()).read_text()
    assert "good &gt;= 180; watch 170 to 180" in html and "169.5" not in html
    assert strict.metrics["trunk_lean_deg"].verdict == "good"
    assert "within the usual 5-9°" in html  # the trunk-lean card quotes the good band used
    html = write_report(default, tmp_path, key_frames=()).read_text()
    assert "good &gt;= 169.5; watch 166.5 to 169.5" in html


def test_the_history_keeps_and_uses_the_bands_used(runs, tmp_path) -> None:
    _, strict = runs
    write_json(strict, tmp_path / "analysis.json")
    metrics = metrics_from_analysis(load_analysis(tmp_path / "analysis.json"))
    assert metrics["cadence_spm"].verdict == "watch"
    assert metrics["cadence_spm"].good == ((180.0, math.inf),)
    sessions = [
        Session(
            "ann",
            datetime(2024, 5, 1),
            "/a.mp4",
            "a",
            {"cadence_spm": MetricValue(170.0, "steps/min", "watch", ((180.0, INF),))},
        ),
        Session("ann", datetime(2024, 5, 9), "/b.mp4", "b", {"cadence_spm": metrics["cadence_spm"]}),
    ]
    with Store(tmp_path / "h.db") as st:
        for s in sessions:
            st.upsert_session(s)
        stored = st.sessions("ann")
    assert [s.metrics["cadence_spm"] for s in stored] == [s.metrics["cadence_spm"] for s in sessions]
    # 170 -> 176 spm is beyond the 3% SDD: toward the good band of >= 180 is an improvement; by the default band
    # (>= 169.5) both are good and the change has no direction.
    assert trend(stored)[1].changes["cadence_spm"] == "improved"
    legacy = [MetricValue(v, "steps/min", "good") for v in (170.0, 176.0)]
    assert compare("cadence_spm", *legacy) == "changed"


def test_older_analysis_json_without_settings_still_reads(runs, tmp_path) -> None:
    default, _ = runs
    path = write_json(default, tmp_path / "analysis.json")
    doc = json.loads(path.read_text())
    del doc["settings"]
    path.write_text(json.dumps(doc))
    old = load_analysis(path)
    cadence = metrics_from_analysis(old)["cadence_spm"]
    assert cadence.good is None and cadence.verdict == "good"
    assert good_band("cadence_spm", cadence) == Thresholds().cadence_spm.good  # judged with the default bands


def test_overstride_prints_the_reach_bands_its_verdict_is_taken_on(runs, tmp_path) -> None:
    default, _ = runs
    doc = load_analysis(write_json(default, tmp_path / "analysis.json"))
    over = doc["metrics"]["overstride_distance"]
    reach_bands = default.settings.thresholds.overstride_reach_pct
    assert (
        over["bands"]
        == "on the heel's reach ahead of the hips just before landing: " + reach_bands.describe()
    )
    assert over["source"] == reach_bands.source
    assert over["verdict"] in (reach_bands.verdict(over["reach_pctleg"]), "borderline")
