"""What a batch re-run into the same OUTDIR may change and what it must leave alone: ``--date``/``--athlete`` name
this run's new clips only (a roster row re-dates or moves a known one), a date a person gave beats the file's
name; ``--speed``/``--config`` re-judge clips from their cached landmarks; a ``roster.csv`` formcheck did not write
is never replaced, and ``--roster`` may not be one of the batch's own files; stale-page removal touches only the
athlete pages formcheck wrote."""

from __future__ import annotations

import csv
import json
import logging
import os
from datetime import datetime
from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
from formcheck.batch import analyze_folder
from formcheck.batch.ledger import LEDGER_NAME
from formcheck.cli import main
from formcheck.config import AnalysisSettings, parse_speed, with_speed
from formcheck.errors import UsageError
from formcheck.report.json_out import load_analysis, settings_of
from formcheck.store import Store

NO_VIDEO = AnalysisSettings(write_video=False)


def _clip(root: Path, rel: str, text: str, day: int) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    stamp = datetime(2026, 5, day, 9, 0).timestamp()
    os.utime(p, (stamp, stamp))
    return p


def _rows(out: Path) -> dict[str, dict[str, str]]:
    return {
        r["clip"]: r for r in csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines())
    }


def test_date_and_athlete_flags_name_only_this_runs_new_clips(tmp_path, fake_runs) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/week1.mp4", "170 ben week one", 1)
    analyze_folder(team, out, NO_VIDEO, athlete="ben")
    assert _rows(out)["ben/week1.mp4"]["date"] == "2026-05-01 09:00:00"

    _clip(team, "ben/week2.mp4", "172 ben week two", 9)
    analyze_folder(team, out, NO_VIDEO, athlete="someone", date=datetime(2026, 5, 8))
    rows = _rows(out)
    assert (rows["ben/week1.mp4"]["date"], rows["ben/week1.mp4"]["athlete"]) == ("2026-05-01 09:00:00", "ben")
    assert (rows["ben/week2.mp4"]["date"], rows["ben/week2.mp4"]["date_source"]) == (
        "2026-05-08 00:00:00",
        "date flag",
    )
    assert rows["ben/week2.mp4"]["athlete"] == "someone"
    with Store(out / "formcheck.db") as st:
        assert [s.recorded_at.date().isoformat() for s in st.sessions("ben")] == ["2026-05-01"]

    # A roster row names a known clip: it is re-dated and moved.
    roster = tmp_path / "roster.csv"
    roster.write_text("file,athlete,date\nben/week2.mp4,ben,2026-05-07\n")
    analyze_folder(team, out, NO_VIDEO, roster=roster, date=datetime(2026, 6, 1))
    rows = _rows(out)
    assert (rows["ben/week2.mp4"]["date"], rows["ben/week2.mp4"]["athlete"]) == ("2026-05-07 00:00:00", "ben")
    assert rows["ben/week1.mp4"]["date"] == "2026-05-01 09:00:00"
    with Store(out / "formcheck.db") as st:
        assert st.athletes() == ["ben"] and len(st.sessions("ben")) == 2


def test_a_date_given_before_beats_the_date_in_the_file_name(tmp_path, fake_runs) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ann/2026-03-01_tempo.mp4", "165 ann", 3)
    roster = tmp_path / "roster.csv"
    roster.write_text("file,athlete,date\n2026-03-01_tempo.mp4,ann,2026-03-02\n")  # the coach's correction
    analyze_folder(team, out, NO_VIDEO, roster=roster)
    analyze_folder(team, out, NO_VIDEO)  # a plain re-run keeps the correction
    row = _rows(out)["ann/2026-03-01_tempo.mp4"]
    assert (row["date"], row["date_source"], row["athlete"]) == ("2026-03-02 00:00:00", "roster csv", "ann")


def test_a_roster_csv_formcheck_did_not_write_is_never_replaced(tmp_path, fake_runs, capsys, caplog) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/run.mp4", "170 ben", 1)
    out.mkdir()
    coach = out / "roster.csv"
    coach_text = "file,athlete,date\nben/run.mp4,ben,2026-05-02\n"
    coach.write_text(coach_text)
    # --roster naming the batch's own output file: refused in one line, before anything is written
    assert main(["batch", str(team), "-o", str(out), "--roster", str(coach), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "outside the output folder" in err[0]
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv"] and coach.read_text() == coach_text
    with pytest.raises(UsageError):
        analyze_folder(team, out, NO_VIDEO, roster=out / "athletes" / "ben.csv")
    # A plain batch leaves the coach's file as it is, and says so
    with caplog.at_level(logging.WARNING, logger="formcheck.batch.roster"):
        analyze_folder(team, out, NO_VIDEO)
    assert coach.read_text() == coach_text
    assert [r.getMessage() for r in caplog.records if "roster.csv" in r.getMessage()] == [
        f"{coach} was not written by formcheck: left as it is (move it away to get this table)"
    ]  # once, not after every clip
    assert (out / "summary.csv").is_file() and (out / "athletes" / "unknown.html").is_file()
    # A roster.csv formcheck wrote is rewritten as before
    coach.unlink()
    analyze_folder(team, out, NO_VIDEO)
    assert coach.read_text().startswith("athlete,sessions,latest_date,")
    _clip(team, "ben/run2.mp4", "171 ben", 2)
    analyze_folder(team, out, NO_VIDEO)
    assert "unknown,2," in coach.read_text()


def test_a_bad_roster_leaves_no_output_folder(tmp_path, fake_runs, capsys) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/run.mp4", "170 ben", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,who\nx,y\n")
    assert main(["batch", str(team), "-o", str(out), "--roster", str(bad), "--quiet"]) == 2
    assert main(["batch", str(team), "-o", str(out), "--roster", str(tmp_path / "none.csv"), "--quiet"]) == 2
    assert not out.exists()


def test_stale_page_removal_only_touches_athlete_pages_formcheck_wrote(tmp_path, fake_runs) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "cat/only.mp4", "180 cat", 1)
    analyze_folder(team, out, NO_VIDEO)
    victim = tmp_path / "precious.txt"
    victim.write_text("a file of the user's")
    own = out / "athletes" / "notes.csv"
    own.write_text("the coach's notes\n")
    ledger = json.loads((out / LEDGER_NAME).read_text(encoding="utf-8"))
    ledger["pages"] += ["../precious.txt", str(victim), "athletes/notes.csv", "summary.csv"]
    (out / LEDGER_NAME).write_text(json.dumps(ledger), encoding="utf-8")
    analyze_folder(team, out, NO_VIDEO, athlete="Cat Smith")  # unknown -> Cat Smith: unknown's page is stale
    assert victim.read_text() == "a file of the user's" and own.is_file() and (out / "summary.csv").is_file()
    assert (
        not (out / "athletes" / "unknown.html").exists() and (out / "athletes" / "Cat_Smith.html").is_file()
    )


def test_a_speed_or_config_rerun_rejudges_from_the_cached_landmarks(tmp_path, fake_runs) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/run.mp4", "170 ben", 1)
    analyze_folder(team, out, NO_VIDEO, athlete="ben")
    assert fake_runs.analysed == ["ben/run.mp4"] and fake_runs.redrawn == []
    fast = with_speed(NO_VIDEO, parse_speed("14kmh"))
    r = analyze_folder(team, out, fast)
    assert [o.skipped for o in r.outcomes] == [False]  # not "up to date": judged at no speed
    assert fake_runs.analysed == ["ben/run.mp4"] and fake_runs.redrawn == ["ben/run.mp4"]  # no pose pass
    doc = load_analysis(out / "ben__run" / "analysis.json")
    assert settings_of(doc).thresholds.speed_mps == pytest.approx(14 / 3.6)
    r = analyze_folder(team, out, fast)
    assert [o.skipped for o in r.outcomes] == [True]  # judged as asked now
    r = analyze_folder(team, out, NO_VIDEO)  # no --speed: the speed given before stands
    assert [o.skipped for o in r.outcomes] == [True] and len(fake_runs.redrawn) == 1
    config = tmp_path / "coach.toml"
    config.write_text("[thresholds.cadence_spm]\ngood = [[175, inf]]\n")
    assert main(["batch", str(team), "-o", str(out), "--no-video", "--quiet", "--config", str(config)]) == 0
    assert fake_runs.redrawn == ["ben/run.mp4"] * 2
    doc = load_analysis(out / "ben__run" / "analysis.json")
    assert settings_of(doc).thresholds.cadence_spm.good == ((175.0, float("inf")),)
    assert settings_of(doc).thresholds.speed_mps == pytest.approx(14 / 3.6)


def test_a_clip_judged_before_verdicts_could_be_withheld_is_rejudged(tmp_path, fake_runs) -> None:
    """An analysis.json without ``steps.verdicts_withheld`` was judged by a formcheck that gave verdicts on too few
    usable steps: a re-run re-judges it from its cached landmarks (no pose pass), once."""
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/run.mp4", "170 ben", 1)
    analyze_folder(team, out, NO_VIDEO, athlete="ben")
    doc_path = out / "ben__run" / "analysis.json"
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    assert "verdicts_withheld" in doc["steps"]
    del doc["steps"]["verdicts_withheld"]
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    r = analyze_folder(team, out, NO_VIDEO)
    assert [o.skipped for o in r.outcomes] == [False]
    assert fake_runs.analysed == ["ben/run.mp4"] and fake_runs.redrawn == ["ben/run.mp4"]
    assert "verdicts_withheld" in load_analysis(doc_path)["steps"]
    r = analyze_folder(team, out, NO_VIDEO)
    assert [o.skipped for o in r.outcomes] == [True] and fake_runs.redrawn == ["ben/run.mp4"]


def test_reanalyze_keeps_the_speed_given_before(tmp_path) -> None:
    from formcheck.outputs import write_outputs
    from tests.fixtures.fake_analysis import make_fake_analysis

    clip_dir = tmp_path / "run"
    a = make_fake_analysis(path=str(tmp_path / "run.mp4"))
    write_outputs(a, clip_dir, write_video=False)
    fast = with_speed(NO_VIDEO, parse_speed("14kmh"))
    assert pipeline.reanalyze(clip_dir, fast).settings.thresholds.speed_mps == pytest.approx(14 / 3.6)
    assert pipeline.reanalyze(clip_dir, NO_VIDEO).settings.thresholds.speed_mps == pytest.approx(14 / 3.6)
    slow = with_speed(NO_VIDEO, parse_speed("9kmh"))
    assert pipeline.reanalyze(clip_dir, slow).settings.thresholds.speed_mps == pytest.approx(9 / 3.6)


def test_an_unreadable_clip_has_no_hash(tmp_path, fake_runs, monkeypatch) -> None:
    team, out = tmp_path / "team", tmp_path / "out"
    _clip(team, "ben/bad.mp4", "broken ben", 1)
    real = pipeline.sha256_file

    def sha256_file(path):
        if Path(path).name == "bad.mp4":
            raise OSError("permission denied")
        return real(path)

    monkeypatch.setattr(pipeline, "sha256_file", sha256_file)
    r = analyze_folder(team, out, NO_VIDEO)
    assert [(o.status, o.sha256) for o in r.outcomes] == [("error", "")]
    (item,) = json.loads((out / LEDGER_NAME).read_text(encoding="utf-8"))["clips"]
    assert item["sha256"] == "" and item["key"].startswith("path:")


def test_usage_error_example_is_the_command_typed(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as e:
        main(["batch", str(tmp_path), "--speed", "fast"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "formcheck batch clips -o out" in err and "formcheck analyze" not in err
