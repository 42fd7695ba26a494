"""``--config FILE``: a coach's bands and rules by name, checked, carried into the verdicts and every output."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.config import AnalysisSettings, Bands
from formcheck.config_file import load_settings_file
from formcheck.errors import UsageError
from formcheck.report.json_out import to_json
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.synthetic import synthetic_trajectories

STRICT_CADENCE = """
[thresholds.cadence_spm]
good = [[180, inf]]
watch = [[170, 180]]

[thresholds]
rearfoot_above_deg = 10

[gait]
min_steps_per_side = 5
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "coach.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_reach_the_settings_and_keep_every_other_default(tmp_path: Path) -> None:
    settings = load_settings_file(_write(tmp_path, STRICT_CADENCE))
    default = AnalysisSettings()
    assert settings.thresholds.cadence_spm.good == ((180.0, math.inf),)
    assert settings.thresholds.cadence_spm.watch == ((170.0, 180.0),)
    assert settings.thresholds.cadence_spm.source == "set in coach.toml"
    assert settings.thresholds.rearfoot_above_deg == 10.0
    assert settings.gait.min_steps_per_side == 5
    assert settings.thresholds.trunk_lean_deg == default.thresholds.trunk_lean_deg
    assert settings.processing == default.processing


def test_the_verdict_and_analysis_json_use_the_coach_bands(tmp_path: Path) -> None:
    traj, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    default = analyze_trajectories(traj, AnalysisSettings())
    strict = analyze_trajectories(traj, load_settings_file(_write(tmp_path, STRICT_CADENCE)))
    assert default.metrics["cadence_spm"].verdict == "good"
    assert strict.metrics["cadence_spm"].verdict == "watch"
    doc = json.loads(to_json(strict))
    assert doc["metrics"]["cadence_spm"]["verdict"] == "watch"
    assert doc["settings"]["thresholds"]["cadence_spm"]["good"] == [[180.0, None]]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[thresholds]\ncadence = 3\n", "unknown setting thresholds.cadence"),
        ("[thresholdz]\nx = 1\n", "unknown section [thresholdz]"),
        ("[gait]\nmin_steps_per_side = 2.5\n", "gait.min_steps_per_side must be a whole number"),
        ("[thresholds]\nrearfoot_above_deg = 'high'\n", "thresholds.rearfoot_above_deg must be a number"),
        ("[thresholds.cadence_spm]\ngood = 170\n", "list of [low, high] pairs"),
        ("[thresholds.cadence_spm]\ngood = [[180, 170]]\n", "low < high"),
        ("[thresholds.cadence_spm]\nbest = [[180, inf]]\n", "unknown key 'best'"),
        ("[thresholds]\ncadence_spm = 170\n", "is a band"),
        ("[thresholds\n", "not valid TOML"),
        (  # described, not judged by default: a watch band alone would flag every other value
            "[thresholds.knee_flexion_midstance_deg]\nwatch = [[0, 40]]\n",
            "[thresholds.knee_flexion_midstance_deg] has watch intervals but no good ones, so every value outside "
            "watch would be flagged: it needs good intervals too, e.g. good = [[40, inf]]",
        ),
        (
            "[thresholds.cadence_spm]\ngood = []\nwatch = [[-inf, 170]]\n",
            "needs good intervals too, e.g. good = [[170, inf]]",
        ),
        # a rate that divides: 0 crashed the swap repair (ZeroDivisionError), a negative one ran frame by frame
        ("[processing]\nswap_frame_rate_hz = 0\n", "processing.swap_frame_rate_hz must be above 0, got 0"),
        ("[processing]\nswap_frame_rate_hz = -30\n", "e.g. swap_frame_rate_hz = 30"),
        ("[processing]\nswap_frame_rate_hz = inf\n", "must be above 0, got inf"),
        ("[gait]\nsole_min_leg_px = -1\n", "gait.sole_min_leg_px must be 0 or more, got -1"),
        ("[gait]\ntoe_marker_weight = 1.5\n", "gait.toe_marker_weight must be 0 to 1, got 1.5"),
        ("[gait]\ntoe_marker_weight = -0.5\n", "gait.toe_marker_weight must be 0 to 1"),
        ("[gait]\ntoe_marker_min_contacts = -2\n", "gait.toe_marker_min_contacts must be 0 or more"),
        ("[gait]\ntoe_peak_window_stride = 0\n", "gait.toe_peak_window_stride must be above 0"),
        # a 0 Hz cut-off crashed the filter (ValueError, exit 1); falling rates were interpolated wrongly
        (
            "[processing]\ncutoff_points_hz = [[30, 0]]\n",
            "processing.cutoff_points_hz must be [frame rate, cut-off Hz] pairs, each above 0",
        ),
        ("[processing]\ncutoff_points_hz = [[60, 9], [30, 6]]\n", "the frame rates rising"),
        ("[processing]\ncontact_cutoff_points_hz = []\n", "e.g. contact_cutoff_points_hz = [[30, 12]"),
        ("[processing]\ncontact_cutoff_points_hz = [[30, inf]]\n", "each above 0"),
        (
            "[processing]\ncutoff_points_hz = [30, 6]\n",
            "e.g. cutoff_points_hz = [[30, 6], [60, 9]",
        ),
    ],
)
def test_a_wrong_file_is_one_line_naming_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(UsageError, match="^coach.toml: |is not valid TOML") as info:
        load_settings_file(_write(tmp_path, text))
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_a_positive_rate_and_a_zero_floor_are_taken(tmp_path: Path) -> None:
    text = "[processing]\nswap_frame_rate_hz = 1e9\n[gait]\nsole_min_leg_px = 0\n"
    settings = load_settings_file(_write(tmp_path, text))
    assert settings.processing.swap_frame_rate_hz == 1e9 and settings.gait.sole_min_leg_px == 0.0


def test_a_cutoff_table_is_taken(tmp_path: Path) -> None:
    text = "[processing]\ncutoff_points_hz = [[30, 6], [60, 9], [120, 18.5]]\n"
    settings = load_settings_file(_write(tmp_path, text))
    assert settings.processing.cutoff_points_hz == ((30.0, 6.0), (60.0, 9.0), (120.0, 18.5))


def test_the_command_line_refuses_a_bad_file_with_exit_2(tmp_path: Path, capsys) -> None:
    bad = _write(tmp_path, "[thresholds]\ncadence = 3\n")
    out = tmp_path / "out"
    code = main(["analyze", str(tmp_path / "none.mp4"), "-o", str(out), "--config", str(bad), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "unknown setting thresholds.cadence" in err[0]
    assert not out.exists()
    code = main(
        ["analyze", str(tmp_path / "none.mp4"), "--config", str(tmp_path / "missing.toml"), "--quiet"]
    )
    assert code == 2
    assert "no settings file" in capsys.readouterr().err


def test_every_group_of_settings_is_a_section(tmp_path: Path) -> None:
    path = tmp_path / "pose.toml"
    path.write_text("[pose]\nmax_gap_s = 2.0\nrun_stride_s = [0.4, 1.0]\n\n[pelvis]\nmin_edge_pixels = 30\n")
    settings = load_settings_file(path)
    assert settings.pose.max_gap_s == 2.0 and settings.pose.run_stride_s == (0.4, 1.0)
    assert settings.pelvis.min_edge_pixels == 30
    assert settings.gait == AnalysisSettings().gait


def test_a_described_metric_is_judged_by_a_file_that_gives_good_or_an_explicit_flag(tmp_path: Path) -> None:
    knee = "[thresholds.knee_flexion_midstance_deg]\n"
    assert not AnalysisSettings().thresholds.knee_flexion_midstance_deg.judges  # described, not judged
    bands = load_settings_file(_write(tmp_path, knee + "good = [[40, inf]]\nwatch = [[35, 40]]\n"))
    judged = bands.thresholds.knee_flexion_midstance_deg
    assert [judged.verdict(v) for v in (30.0, 38.0, 42.0)] == ["flag", "watch", "good"]
    bands = load_settings_file(_write(tmp_path, knee + "watch = [[0, 40]]\nflag = []\n"))
    no_flag = bands.thresholds.knee_flexion_midstance_deg  # an explicit empty flag band: never flagged
    assert [no_flag.verdict(v) for v in (30.0, 42.0)] == ["watch", "good"]


def test_every_metric_s_default_bands_load_back_from_a_file(tmp_path: Path) -> None:
    """Each band's default intervals, written into a file, load unchanged: the good-interval check refuses none."""
    defaults = AnalysisSettings().thresholds
    for field in dataclasses.fields(defaults):
        bands = getattr(defaults, field.name)
        if not isinstance(bands, Bands):
            continue
        text = f"[thresholds.{field.name}]\n" + "".join(
            f"{key} = [{', '.join(f'[{lo!r}, {hi!r}]' for lo, hi in getattr(bands, key))}]\n"
            for key in ("good", "watch", "flag")
            if getattr(bands, key) is not None
        )
        loaded = getattr(load_settings_file(_write(tmp_path, text)).thresholds, field.name)
        assert dataclasses.replace(loaded, source=bands.source) == bands, field.name


def test_the_command_line_refuses_a_watch_only_band_with_exit_2(tmp_path: Path, capsys) -> None:
    bad = _write(tmp_path, "[thresholds.knee_flexion_midstance_deg]\nwatch = [[0, 40]]\n")
    out = tmp_path / "out"
    code = main(["analyze", str(tmp_path / "none.mp4"), "-o", str(out), "--config", str(bad), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "needs good intervals too, e.g. good = [[40, inf]]" in err[0]
    assert not out.exists()
