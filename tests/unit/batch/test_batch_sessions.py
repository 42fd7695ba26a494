"""A batch pairs a side clip and a rear (or front) clip of one athlete on one day into one session report
(formcheck/batch/sessions.py), across runs into the same OUTDIR, and lists it on the roster; clips of another day
or athlete, two side clips, clips of athlete ``unknown``, or clips whose cadences differ by more than cadence's
smallest detectable difference, make no session."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

import formcheck.batch as batch
from formcheck.batch.jobs import ClipJob, ClipOutcome, metrics_summary
from formcheck.config import AnalysisSettings
from formcheck.pipeline import sha256_file
from formcheck.report.json_out import load_analysis
from tests.fixtures.fake_session import PELVIC_DROP_DEG, frontal_analysis, side_analysis, write_clip

NO_VIDEO = AnalysisSettings(write_video=False)


def _job(job: ClipJob, settings) -> ClipOutcome:
    """A clip whose file says its view: 'side ...' or 'rear ...' (a rear clip's cadence: 'rear 150 ...', else 172;
    the side clip's is 170)."""
    words = Path(job.path).read_text().split()
    view = words[0]
    cadence = float(words[1]) if len(words) > 1 and words[1].isdigit() else 172.0
    a = side_analysis(job.path) if view == "side" else frontal_analysis(view, cadence, path=job.path)
    write_clip(Path(job.clip_dir), dataclasses.replace(a, input_sha256=sha256_file(job.path)))
    doc = load_analysis(Path(job.clip_dir))
    return ClipOutcome(
        job.rel, job.name, job.athlete, "ok", sha256=doc["input"]["sha256"], metrics=metrics_summary(doc)
    )


@pytest.fixture
def fake(monkeypatch) -> None:
    monkeypatch.setattr(
        batch,
        "run_local",
        lambda jobs, settings, workers, sink, worker=None: [sink(_job(j, settings)) for j in jobs],
    )


def _clip(root: Path, rel: str, text: str, day: int) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    stamp = datetime(2026, 3, day, 9, 0).timestamp()
    os.utime(p, (stamp, stamp))


def test_side_and_rear_of_one_day_make_one_session_across_runs(tmp_path, fake) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ann/side.mp4", "side ann", 2)
    _clip(team, "ann/other_day_rear.mp4", "rear ann later", 9)  # another day: no partner
    _clip(team, "ben/side_a.mp4", "side ben a", 2)
    _clip(team, "ben/side_b.mp4", "side ben b", 2)  # two side clips: no session
    batch.analyze_folder(team, out, NO_VIDEO, workers=1, athlete_from_folder=True)
    assert not list(out.glob("*+*"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Runs filmed from two views" not in index

    _clip(team, "ann/rear.mp4", "rear ann", 2)  # the rear clip arrives in a later run
    batch.analyze_folder(team, out, NO_VIDEO, workers=1, athlete_from_folder=True)
    sessions = sorted(p.name for p in out.glob("*+*"))
    assert sessions == ["ann__side+ann__rear"]
    doc = json.loads((out / sessions[0] / "session.json").read_text(encoding="utf-8"))
    pelvic = doc["measures"]["pelvic_tilt_deg"]
    assert pelvic["value"] == pytest.approx(PELVIC_DROP_DEG) and pelvic["source_view"] == "rear"
    assert doc["measures"]["overstride_distance"]["source_view"] == "side"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('href="ann__side%2Bann__rear/report.html"') == 1
    assert "ann, 2026-03-02" in index
    # each clip report links to the session; the roster still lists every clip once
    for clip in ("ann__side", "ann__rear"):
        assert "ann__side%2Bann__rear/report.html" in (out / clip / "report.html").read_text(encoding="utf-8")
    assert len((out / "summary.csv").read_text(encoding="utf-8").splitlines()) == 1 + 5


def test_clips_of_unknown_athletes_never_pair(tmp_path, fake) -> None:
    """Ben's side clip and Ann's rear clip, filmed the same day, at the top of a team folder: nobody said who is in
    them (athlete ``unknown``), so they are not one run."""
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben_side.mp4", "side ben", 2)
    _clip(team, "ann_rear.mp4", "rear ann", 2)
    r = batch.analyze_folder(team, out, NO_VIDEO, workers=1)
    assert {o.athlete for o in r.outcomes} == {"unknown"} and r.n_ok == 2
    assert not list(out.glob("*+*"))
    assert "one view of a run filmed twice" not in (out / "ben_side" / "report.html").read_text(
        encoding="utf-8"
    )


def test_clips_whose_cadences_disagree_never_pair(tmp_path, fake) -> None:
    """One athlete, one day, a side clip at 170 steps/min and a rear clip at 150: two runs, no session; a second
    rear clip at 172 (within the SDD) pairs with the side clip."""
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ann/side.mp4", "side ann", 2)
    _clip(team, "ann/a_rear.mp4", "rear 150 ann", 2)
    batch.analyze_folder(team, out, NO_VIDEO, workers=1, athlete_from_folder=True)
    assert not list(out.glob("*+*"))
    _clip(team, "ann/b_rear.mp4", "rear 172 ann", 2)
    batch.analyze_folder(team, out, NO_VIDEO, workers=1, athlete_from_folder=True)
    assert sorted(p.name for p in out.glob("*+*")) == ["ann__side+ann__b_rear"]
