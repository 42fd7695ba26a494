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
