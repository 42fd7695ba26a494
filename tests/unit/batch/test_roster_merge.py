"""A coach's roster that grows: a team batch, then one athlete's folder into the same OUTDIR, then the team again
with video, leave every clip exactly once in summary.csv, index.html, roster.csv and the database, with the right
athletes and folder names, and every video present; athlete and date precedence (roster CSV, flags, folder,
earlier run, the file's own date)."""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from formcheck.batch import analyze_folder
from formcheck.batch.ledger import LEDGER_NAME
from formcheck.cli import main
from formcheck.config import AnalysisSettings
from formcheck.store import Store

NO_VIDEO = AnalysisSettings(write_video=False)
VIDEO = AnalysisSettings(write_video=True)

TEAM = {  # relative path -> content (the fake job reads the cadence from it)
    "ann/2026-03-01_tempo.mp4": "150 ann tempo",
    "ann/easy.mp4": "172 ann easy",
    "ben/run1.mp4": "165 ben first",
    "ben/run2.mp4": "175 ben second",
    "ben/bad.mp4": "broken ben",
    "cat/only.mp4": "180 cat",
}


@pytest.fixture
def team(tmp_path) -> Path:
    root = tmp_path / "team"
    for i, (rel, text) in enumerate(TEAM.items()):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        stamp = datetime(2026, 1, 10 + i, 12, 0).timestamp()
        os.utime(p, (stamp, stamp))
    return root


def summary(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))


def sessions(out: Path) -> dict[str, list[str]]:
    with Store(out / "formcheck.db") as st:
        return {a: sorted(Path(s.report_path).parent.name for s in st.sessions(a)) for a in st.athletes()}


def check_roster(out: Path, want: dict[str, str]) -> None:
    """Every clip once, with its athlete (``want``: folder name -> athlete), in every roster output."""
    rows = summary(out)
    ok = {r["output"].split("/")[0]: r["athlete"] for r in rows if r["status"] == "ok"}
    assert ok == want
    assert len(rows) == len(want) + 1  # the failed clip too, once
    failed = [r for r in rows if r["status"] == "error"]
    assert [(r["clip"], r["athlete"]) for r in failed] == [("ben/bad.mp4", "ben")]
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in want:
        assert page.count(f'href="{name}/report.html"') == 1, name
    n_athletes = len(set(want.values()) | {"ben"})
    athletes = f"{n_athletes} athlete" + ("" if n_athletes == 1 else "s")
    assert f"{athletes}, {len(want) + 1} clips:" in page  # "1 athlete", not "1 athletes"
    by_athlete: dict[str, list[str]] = {}
    for name, athlete in want.items():
        by_athlete.setdefault(athlete, []).append(name)
    assert sessions(out) == {a: sorted(v) for a, v in by_athlete.items()}
    clip_dirs = sorted(d.name for d in out.iterdir() if (d / "analysis.json").is_file())
    assert clip_dirs == sorted(want)


TEAM_FOLDERS = {
    "ann__2026-03-01_tempo": "ann",
    "ann__easy": "ann",
    "ben__run1": "ben",
    "ben__run2": "ben",
    "cat__only": "cat",
}


def test_team_then_one_athlete_then_video(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "team-out"
    r1 = analyze_folder(team, out, NO_VIDEO, athlete_from_folder=True)
    assert r1.exit_code == 3 and r1.n_ok == 5
    check_roster(out, TEAM_FOLDERS)

    # One athlete's folder into the team's output, with a new clip: merged, not replaced.
    (team / "ben" / "run3.mp4").write_text("160 ben third")
    r2 = analyze_folder(team / "ben", out, NO_VIDEO, athlete_from_folder=True)
    assert [o.athlete for o in r2.outcomes] == ["ben"] * 4
    assert sorted(o.name for o in r2.outcomes if o.ok) == ["ben__run1", "ben__run2", "ben__run3"]
    assert fake_runs.analysed.count("ben/run1.mp4") == 1  # up to date: not analysed again
    want = {**TEAM_FOLDERS, "ben__run3": "ben"}
    check_roster(out, want)
    assert {r["clip"] for r in summary(out)} >= {"ann/easy.mp4", "ben/run3.mp4"}

    # One athlete's folder without --athlete-from-folder: the athletes an earlier run gave are kept.
    analyze_folder(team / "ben", out, NO_VIDEO)
    check_roster(out, want)

    # The whole team again, now with video: only the videos are made, none of the clips analysed again.
    analysed = len(fake_runs.analysed)
    r3 = analyze_folder(team, out, VIDEO, athlete_from_folder=True)
    assert not any(o.skipped for o in r3.outcomes if o.ok)  # "up to date" considers the requested video
    assert len(fake_runs.analysed) == analysed and len(fake_runs.redrawn) == 6
    check_roster(out, want)
    for name in want:
        assert (out / name / "annotated.mp4").is_file(), name
    r4 = analyze_folder(team, out, VIDEO, athlete_from_folder=True)
    ok = [o for o in r4.outcomes if o.ok]
    assert len(ok) == len(want) and all(o.skipped for o in ok)  # every clip analysed, now really up to date

    # Pages: an athlete page each, the roster CSV by attention, the report header with links back.
    roster = list(csv.DictReader((out / "roster.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["athlete"] for r in roster][0] == "ann"  # ann's latest session (150 spm) flags cadence
    assert {r["athlete"] for r in roster} == {"ann", "ben", "cat"}
    for r in roster:
        assert (out / r["page"]).is_file() and (out / r["csv"]).is_file()
    ben = (out / "athletes" / "ben.html").read_text(encoding="utf-8")
    assert "ben/bad.mp4" in ben and "is a text file" in ben  # failed clips under their athlete
    assert "<svg" in ben and "Trends of ben" in ben
    cat = (out / "athletes" / "cat.html").read_text(encoding="utf-8")
    assert "<svg" not in cat and "One session so far" in cat  # one session: a table, not empty charts
    report = (out / "ben__run3" / "report.html").read_text(encoding="utf-8")
    assert "Athlete: <strong>ben</strong>" in report
    assert 'href="../index.html"' in report and 'href="../athletes/ben.html"' in report
    ben_csv = list(csv.DictReader((out / "athletes" / "ben.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["clip"].rsplit("/", 1)[-1] for r in ben_csv] == ["run1.mp4", "run2.mp4", "run3.mp4"]
    assert [r["cadence_spm"] for r in ben_csv] == ["165.0", "175.0", "160.0"]


def test_subfolder_first_then_team_keeps_names(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "out"
    analyze_folder(team / "ben", out, NO_VIDEO, athlete_from_folder=True)
    assert sessions(out) == {"ben": ["run1", "run2"]}
    analyze_folder(team, out, NO_VIDEO, athlete_from_folder=True)
    got = {r["output"].split("/")[0]: r["athlete"] for r in summary(out) if r["status"] == "ok"}
    assert got == {
        "run1": "ben",
        "run2": "ben",
        "ann__2026-03-01_tempo": "ann",
        "ann__easy": "ann",
        "cat__only": "cat",
    }
    assert len(summary(out)) == 6


def test_removed_clip_folder_leaves_the_pages(team, tmp_path, fake_runs) -> None:
    import shutil

    out = tmp_path / "out"
    db = tmp_path / "shared.db"  # a database shared with other output folders
    analyze_folder(team / "ben", out, NO_VIDEO, athlete_from_folder=True, db=db)
    shutil.rmtree(out / "run2")
    (team / "ben" / "run2.mp4").unlink()
    analyze_folder(team / "ben", out, NO_VIDEO, athlete_from_folder=True, db=db)
    page = (out / "athletes" / "ben.html").read_text(encoding="utf-8")
    assert "run1/report.html" in page and "run2" not in page


def test_athlete_renamed_moves_the_session(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "out"
    analyze_folder(team / "cat", out, NO_VIDEO)
    assert sessions(out) == {"unknown": ["only"]}
    assert (out / "athletes" / "unknown.html").is_file()
    analyze_folder(team / "cat", out, NO_VIDEO, athlete="Cat Smith")
    assert sessions(out) == {"Cat Smith": ["only"]}  # moved, not copied
    assert not (out / "athletes" / "unknown.html").exists()  # the stale page formcheck wrote is gone
    assert (out / "athletes" / "Cat_Smith.html").is_file()


def test_date_precedence_roster_flag_folder_file(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "out"
    roster = tmp_path / "roster.csv"
    roster.write_text("file,athlete,date\nann/easy.mp4,Ann B,2026-04-02\nonly.mp4,,2026-04-03\n")
    analyze_folder(team, out, NO_VIDEO, athlete_from_folder=True, roster=roster, date=datetime(2026, 5, 5))
    rows = {r["clip"]: r for r in summary(out)}
    assert (rows["ann/easy.mp4"]["athlete"], rows["ann/easy.mp4"]["date"]) == ("Ann B", "2026-04-02 00:00:00")
    assert rows["ann/easy.mp4"]["date_source"] == "roster csv"
    assert (rows["cat/only.mp4"]["athlete"], rows["cat/only.mp4"]["date"]) == ("cat", "2026-04-03 00:00:00")
    assert (
        rows["ben/run1.mp4"]["date"] == "2026-05-05 00:00:00"
        and rows["ben/run1.mp4"]["date_source"] == "date flag"
    )
    # Without flags: a date in the path beats the file's own; a date the coach gave is kept on a re-run.
    out2 = tmp_path / "out2"
    analyze_folder(team, out2, NO_VIDEO, athlete_from_folder=True, roster=roster)
    analyze_folder(team, out2, NO_VIDEO, athlete_from_folder=True)
    rows = {r["clip"]: r for r in summary(out2)}
    assert rows["ann/2026-03-01_tempo.mp4"]["date"] == "2026-03-01 00:00:00"
    assert rows["ann/2026-03-01_tempo.mp4"]["date_source"] == "folder or file name"
    assert rows["ann/easy.mp4"]["date"] == "2026-04-02 00:00:00"  # from the roster of the run before
    assert rows["ben/run1.mp4"]["date_source"] == "file modification time"
    assert rows["ben/run1.mp4"]["date"] == "2026-01-12 12:00:00"


def test_roster_csv_errors(team, tmp_path, fake_runs, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,who\nx,y\n")
    assert main(["batch", str(team), "-o", str(tmp_path / "o"), "--roster", str(bad), "--quiet"]) == 2
    assert "file,athlete,date" in capsys.readouterr().err
    bad.write_text("file,athlete,date\nann/easy.mp4,ann,May 1st\n")
    assert main(["batch", str(team), "-o", str(tmp_path / "o"), "--roster", str(bad), "--quiet"]) == 2
    assert "line 2" in capsys.readouterr().err
    assert main(["batch", str(team), "-o", str(tmp_path / "o"), "--date", "yesterday", "--quiet"]) == 2
    assert main(["batch", str(team), "-o", str(tmp_path / "o"), "--roster", str(tmp_path / "none.csv")]) == 2


def test_ledger_lost_is_rebuilt_from_folders_and_db(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "out"
    analyze_folder(team, out, NO_VIDEO, athlete_from_folder=True)
    (out / LEDGER_NAME).unlink()
    analyze_folder(team / "ben", out, NO_VIDEO)  # athletes and folders from the database and the clip folders
    rows = summary(out)
    assert {r["output"].split("/")[0]: r["athlete"] for r in rows if r["status"] == "ok"} == TEAM_FOLDERS
    assert sessions(out) == {
        "ann": ["ann__2026-03-01_tempo", "ann__easy"],
        "ben": ["ben__run1", "ben__run2"],
        "cat": ["cat__only"],
    }
    assert len(rows) == 6  # the failed clip, once (the lost ledger knew its athlete: now unknown)
    doc = json.loads((out / LEDGER_NAME).read_text(encoding="utf-8"))
    assert len(doc["clips"]) == 6


def test_batch_capture_fps_and_cli_flags(team, tmp_path, fake_runs) -> None:
    out = tmp_path / "out"
    roster = tmp_path / "roster.csv"
    roster.write_text("file,athlete,date\nben/run1.mp4,Benjamin,\n")
    args = ["batch", str(team), "-o", str(out), "--no-video", "--quiet", "--athlete-from-folder"]
    assert main([*args, "--capture-fps", "120", "--roster", str(roster), "--date", "2026-06-01"]) == 3
    assert fake_runs.settings.capture_fps == 120.0 and not fake_runs.settings.write_video
    rows = {r["clip"]: r for r in summary(out)}
    assert (
        rows["ben/run1.mp4"]["athlete"] == "Benjamin"
        and rows["ben/run1.mp4"]["date"] == "2026-06-01 00:00:00"
    )
    assert main([*args, "--capture-fps", "0.5"]) == 2  # not a filming rate
    # Clips analysed without the capture rate are analysed again when it is given; with the same rate, not.
    out2 = tmp_path / "out2"
    analyze_folder(team, out2, NO_VIDEO, athlete_from_folder=True)
    n = len(fake_runs.analysed)
    analyze_folder(
        team, out2, AnalysisSettings(write_video=False, capture_fps=240.0), athlete_from_folder=True
    )
    assert len(fake_runs.analysed) == n + 5
    analyze_folder(
        team, out2, AnalysisSettings(write_video=False, capture_fps=240.0), athlete_from_folder=True
    )
    analyze_folder(team, out2, NO_VIDEO, athlete_from_folder=True)  # no rate asked: the one used stands
    assert len(fake_runs.analysed) == n + 5
