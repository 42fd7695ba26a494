"""A batch re-run tries again to draw a clip's annotated.mp4 that a re-judging run had to keep from an earlier
analysis (its source video was not at hand: ``annotated_video`` of analysis.json); a clip whose video shows its
analysis stays up to date, and a ``--no-video`` run leaves the video alone."""

from __future__ import annotations

import json
from pathlib import Path

from formcheck.batch import analyze_folder
from formcheck.config import AnalysisSettings

KEPT = {"shows_this_analysis": False, "drawing_sha256": "0" * 64, "differences": ["Cadence: good -> flag"]}


def _mark_kept(clip_dir: Path) -> None:
    path = clip_dir / "analysis.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["annotated_video"] = KEPT
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_a_video_kept_from_an_earlier_analysis_is_drawn_again_by_the_next_run(tmp_path, fake_runs) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    team.mkdir()
    (team / "run.mp4").write_text("170 ann")
    analyze_folder(team, out, AnalysisSettings())
    assert fake_runs.analysed == ["run.mp4"]

    fake_runs.analysed.clear()
    analyze_folder(team, out, AnalysisSettings())
    assert (fake_runs.analysed, fake_runs.redrawn) == ([], [])  # up to date: nothing to do

    _mark_kept(out / "run")
    analyze_folder(team, out, AnalysisSettings(write_video=False))
    assert (fake_runs.analysed, fake_runs.redrawn) == ([], [])  # --no-video: the video is not asked for
    analyze_folder(team, out, AnalysisSettings())
    assert (fake_runs.analysed, fake_runs.redrawn) == ([], ["run.mp4"])  # from the landmarks, no pose pass
