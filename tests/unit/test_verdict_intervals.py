"""Every verdict in analysis.json comes with its interval and the bands actually used, and no ``flag``'s interval
reaches the good band (docs/verdicts.md).

Checked on the rendered sample clips (tests/fixtures/landmarks, the analyses behind tests/snapshots) and, when
their cached landmarks are there, on every real clip (benchmarks/.cache)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest

from formcheck.config import INF, AnalysisSettings, Bands, Thresholds
from formcheck.errors import FormcheckError
from formcheck.metrics.registry import REGISTRY, bands_for
from formcheck.metrics.uncertainty import interval_verdict
from formcheck.report.json_out import analysis_to_dict
from formcheck.report.landmarks import load_landmarks
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.sample_landmarks import SAMPLES, load_sample

CACHE = Path(__file__).resolve().parents[2] / "benchmarks" / ".cache"


def _edges(intervals: list[list[float | None]]) -> list[tuple[float, float]]:
    return [(-INF if lo is None else lo, INF if hi is None else hi) for lo, hi in intervals]


def _overlaps(lo: float, hi: float, bands: list[tuple[float, float]]) -> bool:
    return any(lo < b_hi and hi >= b_lo for b_lo, b_hi in bands)


def problems(doc: dict[str, Any], thresholds: Thresholds) -> list[str]:
    """Every way ``doc`` (an analysis.json document) breaks the rule, as readable lines."""
    out = []
    for mid, m in doc["metrics"].items():
        verdict = m["verdict"]
        if verdict == "n/a":
            continue
        iv = m.get("verdict_interval")
        if iv is None or len(iv) != 2 or not all(isinstance(x, (int, float)) for x in iv) or iv[0] > iv[1]:
            out.append(f"{mid}: verdict {verdict} without an interval ({iv!r})")
            continue
        bands = bands_for(mid, thresholds)
        if bands is not None:
            used = m.get("verdict_bands")
            want = {"good": bands.good, "watch": bands.watch, "flag": bands.flag}
            for key, edges in want.items():
                got = used.get(key) if used else None
                if (None if got is None else _edges(got)) != (None if edges is None else list(edges)):
                    out.append(f"{mid}: verdict_bands[{key}] {got!r} is not the bands used {edges!r}")
            if verdict == "flag" and _overlaps(iv[0], iv[1], list(bands.good)):
                out.append(f"{mid}: flag with interval {iv} reaching the good band {bands.good}")
            # As written (rounded outward, each end in its band): side_24's borderline was stored as [30.0, 34.7]
            # against the 30 %leg cut-off, wholly in the flag band.
            in_flag = [bands.verdict(float(x)) == "flag" for x in iv]
            if verdict == "borderline" and all(in_flag):
                out.append(f"{mid}: borderline, interval {iv} written wholly in the flag band")
            if verdict == "flag" and not all(in_flag):
                out.append(f"{mid}: flag, interval {iv} written reaching out of the flag band")
        elif mid == "foot_strike_type" and verdict == "flag" and iv[0] <= 50.0:
            out.append(f"{mid}: heel-strike flag with a heel-landing share {iv} that may not be most steps")
        if verdict == "flag" and REGISTRY[mid].headline_card is None and "bands" not in m:
            out.append(f"{mid}: flag without the rule it was judged by")
    return out


def test_the_check_catches_a_flag_whose_interval_reaches_the_good_band() -> None:
    th = Thresholds()
    good_bands = {"good": [[None, 25.0]], "watch": [[25.0, 30.0]], "flag": None}
    doc = {
        "metrics": {
            "overstride_distance": {
                "verdict": "flag",
                "verdict_interval": [24.0, 35.0],
                "verdict_bands": good_bands,
                "bands": "good < 25; watch 25 to 30; flag otherwise",
            },
            "trunk_lean_deg": {"verdict": "watch", "verdict_interval": None},
            "cadence_spm": {"verdict": "good", "verdict_interval": [170.0, 175.0], "verdict_bands": None},
        }
    }
    found = problems(doc, th)
    assert any("overstride_distance: flag with interval" in p for p in found)
    assert any("trunk_lean_deg: verdict watch without an interval" in p for p in found)
    assert any(p.startswith("cadence_spm: verdict_bands[good]") for p in found)
    doc["metrics"]["overstride_distance"]["verdict_interval"] = [26.0, 35.0]
    assert [p for p in problems(doc, th) if p.startswith("overstride_distance")] == [
        "overstride_distance: flag, interval [26.0, 35.0] written reaching out of the flag band"
    ]
    doc["metrics"]["overstride_distance"]["verdict_interval"] = [30.0, 35.0]
    assert not any(p.startswith("overstride_distance") for p in problems(doc, th))


def test_flag_only_when_the_whole_interval_lies_beyond_the_cut_off() -> None:
    bands = Bands(good=((-INF, 25.0),), watch=((25.0, 30.0),), evidence="H", source="test")
    assert interval_verdict(bands.verdict, 36.0, (31.0, 41.0)) == "flag"
    assert interval_verdict(bands.verdict, 36.0, (27.0, 41.0)) == "borderline"
    assert interval_verdict(bands.verdict, 28.0, (26.0, 31.0)) == "borderline"
    assert interval_verdict(bands.verdict, 28.0, (26.0, 29.5)) == "watch"
    assert interval_verdict(bands.verdict, 20.0, (15.0, 24.0)) == "good"


@pytest.mark.parametrize("name", SAMPLES)
def test_rendered_samples_every_verdict_has_its_interval_and_bands(name: str) -> None:
    raw, pelvis = load_sample(name)
    settings = AnalysisSettings()
    doc = analysis_to_dict(analyze_trajectories(raw, settings, pelvis_evidence=pelvis))
    assert problems(doc, settings.thresholds) == []
    judged = [m for m in doc["metrics"].values() if m["verdict"] != "n/a"]
    assert len(judged) >= 5  # the check saw real verdicts
    assert all(math.isfinite(x) for m in judged for x in m["verdict_interval"])


def test_verdict_bands_are_the_coach_set_ones() -> None:
    raw, pelvis = load_sample("side_overstride_heel")
    th = dataclasses.replace(
        Thresholds(),
        overstride_reach_pct=dataclasses.replace(
            Thresholds().overstride_reach_pct, good=((-INF, 40.0),), watch=()
        ),
    )
    settings = dataclasses.replace(AnalysisSettings(), thresholds=th)
    doc = analysis_to_dict(analyze_trajectories(raw, settings, pelvis_evidence=pelvis))
    m = doc["metrics"]["overstride_distance"]
    assert m["verdict_bands"] == {"good": [[None, 40.0]], "watch": [], "flag": None}
    assert m["verdict"] == "good"
    assert m["verdict_interval"][1] < 40.0
    assert problems(doc, th) == []


@pytest.mark.slow
@pytest.mark.realclips
def test_real_clips_every_verdict_has_its_interval_and_no_flag_reaches_good() -> None:
    clips = sorted(CACHE.glob("*.npz"))
    if not clips:
        pytest.skip("no cached landmarks in benchmarks/.cache (benchmarks/cache_landmarks.py)")
    settings = AnalysisSettings()
    found, analysed = [], 0
    for path in clips:
        try:
            doc = analysis_to_dict(analyze_trajectories(load_landmarks(path), settings))
        except FormcheckError:
            continue
        analysed += 1
        found += [f"{path.stem}: {p}" for p in problems(doc, settings.thresholds)]
    assert analysed >= 20
    assert found == []


# --- interval ends as written (analysis.json, the report, the comparison page) -----------------------------------


def test_the_check_catches_a_borderline_written_wholly_beyond_the_cut_off() -> None:
    th = Thresholds()
    bands = {"good": [[None, 25.0]], "watch": [[25.0, 30.0]], "flag": None}
    entry = {"verdict": "borderline", "verdict_interval": [30.0, 34.7], "verdict_bands": bands, "bands": "x"}
    found = problems({"metrics": {"overstride_distance": entry}}, th)
    assert found == ["overstride_distance: borderline, interval [30.0, 34.7] written wholly in the flag band"]
    entry["verdict_interval"] = [29.9, 34.8]
    assert problems({"metrics": {"overstride_distance": entry}}, th) == []


def test_written_intervals_are_rounded_outward() -> None:
    """side_24's reach interval, 29.96 to 34.71 %leg, was stored as [30.0, 34.7] beside its ``borderline`` verdict
    against the 30 %leg cut-off, as if it lay wholly beyond it."""
    from formcheck.metrics.aggregate import measured

    m = measured("overstride_distance", "%leg", 32.6, "borderline", "E", n_steps=16, interval=(29.96, 34.71))
    assert m.interval == (29.9, 34.8)
    # Already at the precision: unchanged (no drift from binary fractions).
    assert measured("x", "deg", 1.0, "good", "E", n_steps=3, interval=(0.3, 29.9)).interval == (0.3, 29.9)
    assert measured("x", "ms", 200.0, "n/a", "E", n_steps=3, interval=(180.2, 219.1), digits=0).interval == (
        180.0,
        220.0,
    )


def test_a_written_end_stays_in_the_band_it_lies_in() -> None:
    """Rounding outward must not carry an end over a band edge either: the cadence bands' edges sit at 166.5 and
    169.5 so that whole numbers read right, and a flag whose upper end is 166.47 must not be written 166.5 (watch)."""
    from formcheck.metrics.display import fmt_interval, written_interval

    cadence = Thresholds().cadence_spm.verdict
    assert written_interval((160.21, 166.47), 1, cadence) == (160.2, 166.47)
    assert written_interval((160.21, 166.41), 1, cadence) == (160.2, 166.4)  # up to 166.5 would be watch
    assert written_interval((160.21, 166.41), 1) == (160.2, 166.5)  # without bands: plain outward
    assert fmt_interval((160.2, 166.3), "steps/min", band_of=cadence) == "160 to 166 spm"
    reach = Thresholds().overstride_reach_pct.verdict
    assert fmt_interval((29.9, 34.8), "%leg", band_of=reach) == "29 to 35% leg"
    assert fmt_interval((30.02, 34.8), "%leg", band_of=reach) == "30 to 35% leg"  # a flag's end stays at 30
    assert fmt_interval((-2.04, 4.0), "deg") == "-2.1 to 4.0°"


def test_the_report_and_the_comparison_print_the_interval_outward() -> None:
    from formcheck.compare.changes import with_interval
    from formcheck.history import MetricValue
    from formcheck.model import MetricResult
    from formcheck.report.measure_html import interval_html

    reach = MetricResult(
        "overstride_distance",
        28.1,
        "%leg",
        "borderline",
        "E",
        16,
        extra={"verdict_value": 32.6, "verdict_interval": [29.9, 34.8]},
    )
    text = interval_html(reach, Thresholds())
    assert "32.6" in text or "33" in text
    assert "likely 29 to 35% leg" in text
    assert with_interval("cadence_spm", MetricValue(158.2, "steps/min", "flag", None, (157.6, 158.9))) == (
        "158 spm (likely 157 to 159)"
    )
    strike = MetricValue("rearfoot", "category", "watch", None, (0.0, 100.0))
    assert with_interval("foot_strike_type", strike) == (
        "rearfoot (the share of heel landings likely 0 to 100%)"
    )
