"""Snapshots of the step table and the metrics of each rendered sample clip, from its stored landmarks
(tests/fixtures/landmarks; no pose model): a change in cleaning, event detection or a metric shows up here as a
readable diff of tests/snapshots/<clip>.json.

When a change is intended, rewrite the snapshots and review their diff before committing::

    FORMCHECK_UPDATE_SNAPSHOTS=1 python -m pytest tests/unit/test_snapshots.py
"""

from __future__ import annotations

import difflib
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from formcheck.config import AnalysisSettings
from formcheck.model import Analysis
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.sample_landmarks import SAMPLES, load_sample

SNAPSHOT_DIR = Path(__file__).resolve().parents[1] / "snapshots"
UPDATE = os.environ.get("FORMCHECK_UPDATE_SNAPSHOTS") == "1"
TIME_DIGITS = 4  # 0.1 ms: far finer than a frame, coarse enough that rounding noise (1e-14 s) never shows
VALUE_DIGITS = 3  # as analysis.json


def _num(x: Any, digits: int) -> Any:
    if isinstance(x, float):
        return round(x, digits) if math.isfinite(x) else None
    if isinstance(x, (list, tuple)):
        return [_num(v, digits) for v in x]
    if isinstance(x, dict):
        return {k: _num(v, digits) for k, v in x.items()}
    return x


def snapshot(analysis: Analysis) -> dict[str, Any]:
    """What the snapshot holds: view, direction, warnings, the step table, and each metric's value, verdict,
    per-side and per-step values."""
    return {
        "view": analysis.view,
        "direction": analysis.direction,
        "leg_length_px": _num(analysis.leg_length_px, 1),
        "warnings": list(analysis.warnings),
        "stride_time_s": _num(analysis.events.stride_time_s, TIME_DIGITS),
        "steps": [
            {
                "side": s.side,
                "contact_s": _num(s.contact_s, TIME_DIGITS),
                "midstance_s": _num(s.midstance_s, TIME_DIGITS),
                "toe_off_s": _num(s.toe_off_s, TIME_DIGITS),
                "valid": s.valid,
                "reject_reason": s.reject_reason,
            }
            for s in analysis.events.steps
        ],
        "metrics": {
            mid: {
                "value": _num(m.value, VALUE_DIGITS),
                "verdict": m.verdict,
                "per_side": _num(dict(m.per_side), VALUE_DIGITS) if m.per_side else None,
                "per_step": _num(list(m.per_step), VALUE_DIGITS) if m.per_step is not None else None,
            }
            for mid, m in sorted(analysis.metrics.items())
        },
    }


def to_text(doc: dict[str, Any]) -> str:
    """JSON with one step or one metric per line, so that a diff points at the step or metric that moved."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key == "steps":
            rows = [f"  {json.dumps(s)}" for s in value]
            lines.append(' "steps": [\n' + ",\n".join(rows) + f"\n ]{comma}")
        elif key == "metrics":
            rows = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
            lines.append(' "metrics": {\n' + ",\n".join(rows) + f"\n }}{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
    return "\n".join(lines) + "\n}\n"


@pytest.mark.parametrize("name", SAMPLES)
def test_steps_and_metrics_match_the_snapshot(name: str) -> None:
    raw, pelvis = load_sample(name)
    got = to_text(snapshot(analyze_trajectories(raw, AnalysisSettings(), pelvis_evidence=pelvis)))
    path = SNAPSHOT_DIR / f"{name}.json"
    if UPDATE:
        SNAPSHOT_DIR.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    if not path.is_file():
        pytest.fail(f"no snapshot {path}: create it with FORMCHECK_UPDATE_SNAPSHOTS=1")
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True), got.splitlines(keepends=True), f"{path.name} (stored)", "now"
            )
        )
        pytest.fail(
            f"{name}: steps or metrics changed:\n{diff}\nIf intended: FORMCHECK_UPDATE_SNAPSHOTS=1 python -m "
            "pytest tests/unit/test_snapshots.py, and review the snapshot's diff",
            pytrace=False,
        )


def test_to_text_is_json_and_round_trips() -> None:
    raw, pelvis = load_sample("side_good_form")
    doc = snapshot(analyze_trajectories(raw, AnalysisSettings(), pelvis_evidence=pelvis))
    assert json.loads(to_text(doc)) == json.loads(json.dumps(doc))
    assert len(doc["steps"]) > 10 and doc["metrics"]["cadence_spm"]["value"] > 150
