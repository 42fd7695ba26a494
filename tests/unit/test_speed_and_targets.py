"""``--speed`` moves the cadence bands and target (METRICS.md 4.1; config.Thresholds.speed_mps), and advice is a
target ('try 170-176 steps per minute, about 8% more than now') wherever a target makes sense."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from formcheck.cli import build_parser
from formcheck.config import AnalysisSettings, Thresholds, parse_speed, settings_from_dict, with_speed
from formcheck.guidance import build_findings, cadence_target, target_text
from formcheck.model import MetricResult
from formcheck.report.json_out import analysis_to_dict
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.sample_landmarks import load_sample


@pytest.mark.parametrize(
    ("text", "kmh"),
    [
        ("12kmh", 12.0),
        ("12 km/h", 12.0),
        ("12kph", 12.0),
        ("5:00/km", 12.0),
        ("5:00 min/km", 12.0),
        ("4:00/km", 15.0),
    ],
)
def test_parse_speed(text: str, kmh: float) -> None:
    assert parse_speed(text) * 3.6 == pytest.approx(kmh)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("fast", "is not a speed"),
        ("12", "is not a speed"),
        ("5:75/km", "is not a speed"),
        ("0:00/km", "is not a pace"),
        ("50kmh", "outside 4-30 km/h"),
        ("30:00/km", "outside 4-30 km/h"),
    ],
)
def test_bad_speed_is_refused_with_what_to_type(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as e:
        parse_speed(text)
    assert "12kmh" in str(e.value) and "5:00/km" in str(e.value)


def test_cadence_bands_move_with_speed() -> None:
    th = Thresholds()
    assert th.cadence_spm_at_speed == th.cadence_spm  # no speed: the published bands
    at_3 = dataclasses.replace(th, speed_mps=3.0).cadence_spm_at_speed
    assert at_3.good == th.cadence_spm.good
    fast = dataclasses.replace(th, speed_mps=15 / 3.6).cadence_spm_at_speed  # 4.17 m/s: +14 steps/min
    assert fast.good[0][0] == 183.5  # 169.5 + 12 * (4.17 - 3), to 0.1 steps/min
    assert fast.watch[0][1] == pytest.approx(fast.good[0][0])
    assert "15.0 km/h" in fast.source and "van Oeveren" in fast.source
    flat = dataclasses.replace(th, speed_mps=15 / 3.6, cadence_spm_per_mps=0.0).cadence_spm_at_speed
    assert flat == th.cadence_spm  # a coach's --config can keep the published bands at every speed


def test_speed_changes_the_verdict_and_is_recorded_in_analysis_json() -> None:
    raw, pelvis = load_sample("side_overstride_heel")
    plain = analyze_trajectories(raw, AnalysisSettings(), pelvis_evidence=pelvis)
    slow = analyze_trajectories(
        raw, with_speed(AnalysisSettings(), parse_speed("7kmh")), pelvis_evidence=pelvis
    )
    assert (
        plain.metrics["cadence_spm"].value
        == slow.metrics["cadence_spm"].value
        == pytest.approx(160.0, abs=0.3)  # the sample's true cadence; reads 159.8
    )
    assert plain.metrics["cadence_spm"].verdict == "flag"
    assert slow.metrics["cadence_spm"].verdict == "good"  # 7 km/h: good from 169.5 - 12 * 1.06 = 156.8
    doc = analysis_to_dict(slow)
    assert doc["settings"]["thresholds"]["speed_mps"] == pytest.approx(7 / 3.6)
    assert doc["metrics"]["cadence_spm"]["verdict_bands"]["good"] == [[156.8, None]]
    assert doc["metrics"]["cadence_spm"]["bands"].startswith("good >= 156.8; watch 153.8 to 156.8")
    assert "7.0 km/h" in doc["metrics"]["cadence_spm"]["source"]
    # read back, the settings judge the same way
    again = settings_from_dict(json.loads(json.dumps(doc["settings"])))
    assert again.thresholds.speed_mps == pytest.approx(7 / 3.6)


def test_speed_option_on_analyze_reanalyze_and_batch() -> None:
    parser = build_parser()
    for argv in (["analyze", "a.mp4"], ["reanalyze", "out/a"], ["batch", "clips"]):
        assert parser.parse_args([*argv, "--speed", "5:00/km"]).speed == pytest.approx(12 / 3.6)
        assert parser.parse_args(argv).speed is None


def test_bad_speed_on_the_command_line_is_one_line_and_exit_2(tmp_path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "analyze", str(tmp_path / "a.mp4"), "--speed", "fast"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "'fast' is not a speed" in lines[0] and "12kmh" in lines[0]


def _m(mid: str, value: float, unit: str, verdict: str, **kw) -> MetricResult:
    return MetricResult(mid, value, unit, verdict, "H", n_steps=12, interval=(value - 1, value + 1), **kw)


@pytest.mark.parametrize(
    ("spm", "speed_kmh", "want"),
    [
        (164.0, None, "Try 173-180 steps per minute, about 8% more than now"),
        (160.2, None, "Try 170-176 steps per minute, about 8% more than now"),
        (150.0, None, "Try 158-165 steps per minute first, about 5-10% more than now"),
        (171.0, None, "Keep it at 170 steps per minute or more"),
        (160.2, 15.0, "Try 169-176 steps per minute first"),  # at 15 km/h good starts at 183.5
    ],
)
def test_cadence_advice_is_a_target(spm: float, speed_kmh: float | None, want: str) -> None:
    th = Thresholds(speed_mps=None if speed_kmh is None else speed_kmh / 3.6)
    assert want in cadence_target(spm, th)


def test_findings_say_the_target_for_banded_metrics() -> None:
    th = Thresholds()
    metrics = {
        "cadence_spm": _m("cadence_spm", 160.2, "steps/min", "flag"),
        "overstride_distance": _m(
            "overstride_distance", 27.0, "%leg", "flag", extra={"verdict_value": 33.7, "reach_pctleg": 33.7}
        ),
        "trunk_lean_deg": _m("trunk_lean_deg", 13.0, "deg", "watch"),
        "arm_swing_deg": _m("arm_swing_deg", 20.0, "deg", "watch"),
    }
    by_id = {f.metric: f.message for f in build_findings(metrics, th)}
    assert "Try 170-176 steps per minute, about 8% more than now" in by_id["cadence_spm"]
    assert (
        "Aim for the heel to reach less than 25% of leg length ahead of the hips before landing (now 33.7%)"
        in (by_id["overstride_distance"])
    )
    assert "Aim for 3.5-11° (now 13°)" in by_id["trunk_lean_deg"]
    assert "Aim for 30-120° (now 20°)" in by_id["arm_swing_deg"]
    # a borderline value already inside the good band gets no target; a category has none
    assert target_text(_m("knee_flexion_midstance_deg", 46.3, "deg", "borderline"), th) == ""
    assert target_text(MetricResult("foot_strike_type", "rearfoot", "category", "watch", "E"), th) == ""


def test_trunk_lean_near_zero_is_not_called_leaning_back() -> None:
    th = Thresholds()
    near = MetricResult("trunk_lean_deg", -1.3, "deg", "borderline", "N", n_steps=14, interval=(-4.0, 1.6))
    far = MetricResult("trunk_lean_deg", -6.0, "deg", "flag", "N", n_steps=14, interval=(-8.0, -4.0))
    (f_near,) = build_findings({"trunk_lean_deg": near}, th)
    (f_far,) = build_findings({"trunk_lean_deg": far}, th)
    assert "lean back" not in f_near.message and "close to vertical" in f_near.message
    assert "You lean back by 6°" in f_far.message


def test_a_coach_config_can_keep_the_published_bands_at_every_speed(tmp_path) -> None:
    from formcheck.config_file import load_settings_file
    from formcheck.errors import UsageError

    path = tmp_path / "coach.toml"
    path.write_text("[thresholds]\ncadence_spm_per_mps = 0\n", encoding="utf-8")
    settings = with_speed(load_settings_file(path), parse_speed("16kmh"))
    assert settings.thresholds.cadence_spm_at_speed == Thresholds().cadence_spm
    path.write_text("[thresholds]\nspeed_mps = 3.3\n", encoding="utf-8")
    with pytest.raises(UsageError, match="speed_mps cannot be set from a file"):
        load_settings_file(path)


def test_findings_of_one_verdict_are_ranked_by_how_sure_they_are() -> None:
    th = Thresholds()
    metrics = {
        # cadence 165 (161-169): 4.5 steps/min below good, half-width 4 -> 1.1
        "cadence_spm": MetricResult(
            "cadence_spm", 165.0, "steps/min", "flag", "E", n_steps=12, interval=(161.0, 169.0)
        ),
        # trunk lean 20 (18-22): 9 deg above good, half-width 2 -> 4.5
        "trunk_lean_deg": MetricResult(
            "trunk_lean_deg", 20.0, "deg", "flag", "N", n_steps=12, interval=(18.0, 22.0)
        ),
        "arm_swing_deg": MetricResult(
            "arm_swing_deg", 25.0, "deg", "watch", "H", n_steps=12, interval=(20.0, 31.0)
        ),
    }
    order = [f.metric for f in build_findings(metrics, th)]
    assert order == ["trunk_lean_deg", "cadence_spm", "arm_swing_deg"]


def test_a_borderline_cadence_above_the_line_is_not_called_low() -> None:
    m = MetricResult(
        "cadence_spm", 171.4, "steps/min", "borderline", "E", n_steps=12, interval=(165.9, 180.9)
    )
    (f,) = build_findings({"cadence_spm": m}, Thresholds())
    assert "just above the line" in f.message and "low side" not in f.message
    assert "Keep it at 170 steps per minute or more" in f.message
