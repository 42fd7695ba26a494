"""A runner's own history: ``formcheck analyze`` records each clip in the per-user database (XDG_DATA_HOME, set to
a tmp folder for every test by tests/conftest.py), the same clip only once; ``--db``, ``--athlete``, ``--date``,
``--no-history``; a database that cannot be written loses no analysis (exit 3, one line); ``history`` reads it."""

from __future__ import annotations

import csv
import dataclasses
import os
from datetime import datetime
from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
from formcheck.cli import main
from formcheck.history_dates import default_history_db
from formcheck.store import Store


@pytest.fixture
def fake_analyze(monkeypatch) -> list[str]:
    """``analyze_clip`` without the pose pass: the fake runner's analysis of the file, written to its folder."""
    from formcheck.outputs import write_outputs
    from tests.fixtures.fake_analysis import make_fake_analysis

    calls: list[str] = []

    def analyze_clip(video, outdir, settings, progress=None, clip_dir=None):
        calls.append(str(video))
        a = make_fake_analysis(path=str(Path(video).absolute()))
        a = dataclasses.replace(a, input_sha256=pipeline.sha256_file(video))
        write_outputs(a, clip_dir, write_video=False)
        return a

    monkeypatch.setattr(pipeline, "analyze_clip", analyze_clip)
    return calls


@pytest.fixture
def clip(tmp_path) -> Path:
    p = tmp_path / "run.mp4"
    p.write_text("a runner's clip")
    stamp = datetime(2026, 2, 1, 8, 30).timestamp()
    os.utime(p, (stamp, stamp))
    return p


def test_default_db_is_per_user(tmp_path, monkeypatch) -> None:
    assert default_history_db() == Path(os.environ["XDG_DATA_HOME"]) / "formcheck" / "history.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_history_db() == tmp_path / ".local" / "share" / "formcheck" / "history.db"


def test_analyze_records_each_clip_once(clip, tmp_path, fake_analyze, capsys) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-o", str(out), "--quiet"]) == 0
    assert main(["analyze", str(clip), "-o", str(out), "--quiet"]) == 0  # the same clip again
    with Store(default_history_db()) as st:
        assert st.athletes() == ["me"]
        (s,) = st.sessions("me")
    assert s.recorded_at == datetime(2026, 2, 1, 8, 30) and s.date_source == "file modification time"
    assert s.report_path == str((out / "run" / "report.html").resolve())
    report = (out / "run" / "report.html").read_text(encoding="utf-8")
    assert "Athlete: <strong>me</strong>" in report and "Recorded 2026-02-01" in report
    assert "index.html" not in report  # no roster to link back to
    capsys.readouterr()
    assert main(["history"]) == 0  # the only athlete, from the same per-user database
    assert "me: 1 session(s)" in capsys.readouterr().out


def test_analyze_athlete_date_db_and_no_history(clip, tmp_path, fake_analyze, capsys) -> None:
    db = tmp_path / "ann.db"
    args = ["analyze", str(clip), "-o", str(tmp_path / "o"), "--quiet", "--db", str(db)]
    assert main([*args, "--athlete", "Ann", "--date", "2026-03-04"]) == 0
    with Store(db) as st:
        (s,) = st.sessions("Ann")
    assert s.recorded_at == datetime(2026, 3, 4) and s.date_source == "date flag"
    assert main([*args, "--athlete", "Ann"]) == 0  # again without --date: the date given before stands
    with Store(db) as st:
        assert [(x.recorded_at, x.date_source) for x in st.sessions("Ann")] == [
            (datetime(2026, 3, 4), "date flag")
        ]
    named = tmp_path / "2026-01-20_tempo.mp4"
    named.write_text("another clip")
    assert main(["analyze", str(named), "-o", str(tmp_path / "o"), "--quiet", "--db", str(db)]) == 0
    with Store(db) as st:
        assert [(x.recorded_at, x.date_source) for x in st.sessions("me")] == [
            (
                datetime(2026, 1, 20),
                "folder or file name",
            )
        ]
    assert main(["analyze", str(clip), "-o", str(tmp_path / "p"), "--quiet", "--no-history"]) == 0
    assert not default_history_db().exists()
    csv_path = tmp_path / "ann.csv"
    assert main(["history", "Ann", "--db", str(db), "--csv", str(csv_path), "-o", str(tmp_path)]) == 0
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert [(r["athlete"], r["date"], r["cadence_spm"]) for r in rows] == [
        ("Ann", "2026-03-04 00:00:00", "170.0")
    ]
    assert (
        main(["history", "Ann", "--db", str(db), "--csv", str(csv_path / "x.csv"), "-o", str(tmp_path)]) == 2
    )
    assert "cannot write --csv" in capsys.readouterr().err
    assert main(["analyze", str(clip), "-o", str(tmp_path / "q"), "--date", "March", "--quiet"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert len(fake_analyze) == 4  # the bad date was refused before any analysis


def test_unwritable_db_keeps_the_analysis(clip, tmp_path, fake_analyze, capsys) -> None:
    bad = tmp_path / "not-a-db"
    bad.write_text("this is not a database\n" * 100)
    assert main(["analyze", str(clip), "-o", str(tmp_path / "o"), "--quiet", "--db", str(bad)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not in your history" in err[0]
    assert (tmp_path / "o" / "run" / "analysis.json").is_file()


def test_history_needs_a_name_among_several(clip, tmp_path, fake_analyze, capsys) -> None:
    for who in ("ann", "ben"):
        assert main(["analyze", str(clip), "-o", str(tmp_path / who), "--athlete", who, "--quiet"]) == 0
    assert main(["history"]) == 2
    assert "known athletes: ann, ben" in capsys.readouterr().err
    assert main(["history", "--db", str(tmp_path / "none.db")]) == 2


def test_a_clip_is_in_the_history_once_and_keeps_the_date_given(tmp_path, fake_analyze) -> None:
    """``analyze`` under a typo'd athlete, then the right one, moves the clip's session (one clip folder, one
    session); the date given with ``--date`` stands over the date in the file's name, whoever the clip is filed
    under next."""
    named = tmp_path / "2026-01-20_tempo.mp4"
    named.write_text("a clip with a date in its name")
    args = ["analyze", str(named), "-o", str(tmp_path / "o"), "--quiet"]
    assert main([*args, "--date", "2026-01-22"]) == 0
    assert main([*args, "--athlete", "bne"]) == 0
    assert main([*args, "--athlete", "ben"]) == 0
    with Store(default_history_db()) as st:
        assert st.athletes() == ["ben"]
        (s,) = st.sessions("ben")
    assert (s.recorded_at, s.date_source) == (datetime(2026, 1, 22), "date flag")
    report = (tmp_path / "o" / "2026-01-20_tempo" / "report.html").read_text(encoding="utf-8")
    assert "Athlete: <strong>ben</strong>" in report and "Recorded 2026-01-22" in report


def test_a_read_only_default_history_is_a_warning_not_a_failure(
    clip, tmp_path, fake_analyze, capsys, monkeypatch
):
    """The per-user history is on by default: when it cannot be written, the clip still succeeds (exit 0) with one
    line naming --no-history; asked for with --db it is exit 3."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    assert main(["analyze", str(clip), "-o", str(tmp_path / "o"), "--quiet"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not in your history" in err[0] and "--no-history" in err[0]
    assert main(["analyze", str(clip), "-o", str(tmp_path / "o"), "--quiet", "--athlete", "ann"]) == 3
    assert (
        main(["analyze", str(clip), "-o", str(tmp_path / "o"), "--quiet", "--db", str(blocker / "h.db")]) == 3
    )


def test_history_flags_with_no_history_are_refused(clip, tmp_path, fake_analyze, capsys) -> None:
    for flag, value in (("--date", "2026-03-04"), ("--athlete", "ann")):
        assert main(["analyze", str(clip), "-o", str(tmp_path / "o"), "--no-history", flag, value]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and flag in err[0] and "--no-history" in err[0]
    assert fake_analyze == []  # refused before any analysis
    assert not (tmp_path / "o").exists()


def test_history_reads_the_batch_database_of_the_current_folder(
    clip, tmp_path, fake_analyze, capsys, monkeypatch
):
    """``formcheck batch clips`` (default OUTDIR ./formcheck-out) then ``formcheck history ben``: the per-user database
    does not know ben, so the batch's is read, and stderr says which."""
    monkeypatch.chdir(tmp_path)
    batch_db = tmp_path / "formcheck-out" / "formcheck.db"
    args = ["analyze", str(clip), "-o", str(tmp_path / "b"), "--quiet"]
    assert main([*args, "--athlete", "ben", "--db", str(batch_db)]) == 0
    capsys.readouterr()
    assert main(["history", "ben"]) == 0  # no per-user database yet
    out, err = capsys.readouterr()
    assert "ben: 1 session(s)" in out and "formcheck-out/formcheck.db" in err
    assert (
        main(["analyze", str(clip), "-o", str(tmp_path / "me"), "--quiet"]) == 0
    )  # now the runner's own: 'me'
    capsys.readouterr()
    assert main(["history", "ben"]) == 0  # the per-user database has no ben
    out, err = capsys.readouterr()
    assert "ben: 1 session(s)" in out and "formcheck-out/formcheck.db" in err
    for name in (["me"], []):  # the per-user database has me (the only one): read, nothing said
        assert main(["history", *name]) == 0
        out, err = capsys.readouterr()
        assert "me: 1 session(s)" in out and err == ""
