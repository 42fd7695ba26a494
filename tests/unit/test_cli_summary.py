"""The terminal summary names the headline measures of the clip's own view."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.cli.common import print_summary
from formcheck.model import MetricResult


def _analysis(view: str, metrics: list[MetricResult]) -> SimpleNamespace:
    return SimpleNamespace(
        view=view,
        metrics={m.id: m for m in metrics},
        video=SimpleNamespace(path=f"/clips/{view}.mp4"),
        warnings=(),
    )


def test_a_rear_clip_summary_names_its_frontal_measures(capsys: pytest.CaptureFixture[str]) -> None:
    rear = _analysis(
        "rear",
        [
            MetricResult("pelvic_tilt_deg", 6.9, "deg", "borderline", "E"),
            MetricResult("cadence_spm", 171.4, "steps/min", "borderline", "E"),
            MetricResult("trunk_lean_deg", None, "deg", "n/a", "E"),
        ],
    )
    print_summary(rear, Path("out/rear"))
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "rear.mp4: pelvic drop 6.9 deg (borderline); cadence 171.4 steps/min (borderline)"


def test_a_side_clip_summary_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    side = _analysis(
        "side",
        [
            MetricResult("overstride_distance", 16.1, "%leg", "good", "E"),
            MetricResult("cadence_spm", 175.9, "steps/min", "good", "E"),
            MetricResult("pelvic_tilt_deg", None, "deg", "n/a", "E"),
        ],
    )
    print_summary(side, Path("out/side"))
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "side.mp4: cadence 175.9 steps/min (good); overstride 16.1 %leg (good)"
