"""A session whose verdicts were withheld (too few usable steps: formcheck/metrics/withheld.py) in the athlete
history: kept and marked in the database (older databases migrate, their rows read as not withheld), never the
basis of a change (the next session is compared with the latest one with verdicts, and says so), and shown apart
in the trend table, the plot, the CSV and the roster's pages."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
from formcheck.batch.athlete_page import athlete_html
from formcheck.batch.roster import roster_csv
from formcheck.batch.roster_index import index_html
from formcheck.batch.roster_summary import summarize
from formcheck.cli import main
from formcheck.history import (
    WITHHELD_NOTE,
    MetricValue,
    Session,
    format_trend_table,
    trend,
    trend_notes,
    withheld_reason,
)
from formcheck.report.history_csv import sessions_csv
from formcheck.report.trends import trend_svg
from formcheck.store import SCHEMA_VERSION, Store

# overground_rear_skeleton_drawn's reason, as its analysis.json gives it
REASON = (
    "3 of 7 steps were rejected as implausible, leaving 1 left and 3 right: too few to trust after so many "
    "rejections (7 a side needed)"
)


def _session(day: int, pelvic: float, cadence: float, withheld: bool = False) -> Session:
    """A rear clip of ann: pelvic drop (good below 5 deg) and cadence; withheld: every verdict n/a."""

    def verdict(v: str) -> str:
        return "n/a" if withheld else v

    return Session(
        "ann",
        datetime(2026, 11, day, 8, 0),
        f"/clips/{day}.mp4",
        f"sha{day}",
        {
            "pelvic_tilt_deg": MetricValue(pelvic, "deg", verdict("good" if pelvic < 5 else "flag")),
            "cadence_spm": MetricValue(cadence, "steps/min", verdict("good" if cadence >= 169.5 else "flag")),
        },
        verdicts_withheld=REASON if withheld else "",
    )


SOUND_1, WITHHELD_8, SOUND_15 = (
    _session(1, 2.0, 160.0),
    _session(8, 3.0, 175.0, True),
    _session(15, 9.0, 180.0),
)


def test_withheld_reason_reads_steps_verdicts_withheld() -> None:
    assert withheld_reason({"steps": {"verdicts_withheld": REASON}}) == REASON
    assert withheld_reason({"steps": {"verdicts_withheld": None}}) == ""
    assert (
        withheld_reason({"steps": {}}) == withheld_reason({}) == ""
    )  # written before the key: verdicts given


def test_the_session_after_a_withheld_one_is_compared_with_the_latest_sound_one() -> None:
    rows = trend([SOUND_15, WITHHELD_8, SOUND_1])
    assert [r.session for r in rows] == [SOUND_1, WITHHELD_8, SOUND_15]
    assert rows[1].changes == {mid: "n/a" for mid in rows[1].changes}  # the withheld session is not compared
    # 2 -> 9 deg pelvic drop against the 1st (worse), not n/a against the 8th's unjudged 3 deg
    assert rows[2].changes["pelvic_tilt_deg"] == "worse"
    # 160 -> 180 spm against the 1st: improved; against the 8th's 175 it would be no real change
    assert rows[2].changes["cadence_spm"] == "improved"
    assert rows[2].passed_over == (WITHHELD_8,) and rows[2].compared_with == SOUND_1
    assert rows[1].passed_over == () and rows[1].compared_with is None
    assert rows[0].passed_over == () and rows[0].compared_with is None


def test_without_the_mark_the_same_values_are_compared_as_before() -> None:
    unmarked = dataclasses.replace(WITHHELD_8, verdicts_withheld="")  # an older row: read as verdicts given
    rows = trend([SOUND_1, unmarked, SOUND_15])
    assert rows[2].passed_over == () and rows[2].changes["pelvic_tilt_deg"] == "n/a"  # against the n/a one


def test_a_withheld_first_session_leaves_nothing_to_compare_with() -> None:
    rows = trend([WITHHELD_8, SOUND_15])
    assert set(rows[1].changes.values()) <= {"n/a"} and rows[1].compared_with is None
    notes = trend_notes(rows)
    assert (
        notes[1]
        == "2026-11-15 08:00: not compared: no earlier session has verdicts, not with 2026-11-08 08:00 "
        "(verdicts withheld)"
    )


def test_trend_table_marks_the_withheld_session_and_says_what_was_compared() -> None:
    rows = trend([SOUND_1, WITHHELD_8, SOUND_15])
    lines = format_trend_table(rows).splitlines()
    assert lines[2].startswith("2026-11-08 08:00 (withheld)") and "3.0°" in lines[2]
    assert "good" not in lines[2] and "flag" not in lines[2] and "(" not in lines[2].split("(withheld)")[1]
    assert "(withheld)" not in lines[1] + lines[3]
    assert "9.0° flag (worse)" in lines[3] and "180 spm good (improved)" in lines[3]
    assert trend_notes(rows) == [
        f"2026-11-08 08:00: {WITHHELD_NOTE} ({REASON}); its values are not compared",
        "2026-11-15 08:00: compared with 2026-11-01 08:00 (the latest session with verdicts), not with "
        "2026-11-08 08:00 (verdicts withheld)",
    ]
    assert trend_notes(trend([SOUND_1, SOUND_15])) == []


def test_the_plot_shows_the_withheld_session_as_a_hollow_marker_off_the_line() -> None:
    root = ET.fromstring(trend_svg([SOUND_1, WITHHELD_8, SOUND_15], "ann"))
    dots = [p for p in root.iter("path") if p.get("stroke-linecap") == "round" and "h0" in p.get("d", "")]
    assert len(dots) == 2 and all(p.get("d").count("h0") == 2 for p in dots)  # the sound sessions, each panel
    rings = [g for g in root.iter("g") if g.get("fill") == "#fff" and list(g.iter("circle"))]
    assert len(rings) == 2 and all(
        len(list(g.iter("circle"))) == 1 for g in rings
    )  # the withheld one, each panel
    lines = [p for p in root.iter("path") if p.get("stroke-linejoin") == "round"]
    assert len(lines) == 2 and all(
        p.get("d").count(" ") == 3 for p in lines
    )  # two points a line: not through it
    texts = [t.text for t in root.iter("text")]
    assert WITHHELD_NOTE in texts and "verdicts given" in texts  # the legend says what the hollow marker is
    plain = ET.fromstring(trend_svg([SOUND_1, SOUND_15], "ann"))
    assert WITHHELD_NOTE not in [t.text for t in plain.iter("text")]
    # a withheld session's x lies between the sound ones: the ring sits between the two dots of its panel
    ring_x = float(next(iter(rings[0].iter("circle"))).get("cx"))
    xs = [float(seg.split()[0]) for seg in dots[0].get("d").lstrip("M").split("h0M")]
    assert min(xs) < ring_x < max(xs)


def test_the_plot_png_draws_a_withheld_only_metric(tmp_path) -> None:
    from formcheck.report.trends import _panels, plot_trends

    side_only = dataclasses.replace(
        WITHHELD_8, metrics={**WITHHELD_8.metrics, "trunk_lean_deg": MetricValue(4.0, "deg", "n/a")}
    )
    panels = {p[0]: p for p in _panels([SOUND_1, side_only, SOUND_15])}
    assert panels["trunk_lean_deg"][2:] == ([], [], [side_only.recorded_at], [4.0])
    path = plot_trends([SOUND_1, side_only, SOUND_15], tmp_path / "t.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_has_the_reason_in_a_column_before_the_timing() -> None:
    rows = list(csv.DictReader(io.StringIO(sessions_csv([SOUND_1, WITHHELD_8, SOUND_15]))))
    assert [r["verdicts_withheld"] for r in rows] == ["", REASON, ""]
    assert rows[2]["pelvic_tilt_deg_change"] == "worse" and rows[1]["pelvic_tilt_deg_change"] == "n/a"
    assert list(rows[0])[-2:] == ["verdicts_withheld", "contact_timing"] and list(rows[0])[:5] == [
        "athlete",
        "date",
        "date_source",
        "clip",
        "report",
    ]


def test_the_store_keeps_the_mark_and_updates_it(tmp_path) -> None:
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(SOUND_1)
        st.upsert_session(WITHHELD_8)
        assert [s.verdicts_withheld for s in st.sessions("ann")] == ["", REASON]
        st.upsert_session(
            dataclasses.replace(WITHHELD_8, verdicts_withheld="")
        )  # analysed again: verdicts given
        assert [s.withheld for s in st.sessions("ann")] == [False, False]


def test_a_version_3_database_migrates_and_its_sessions_read_as_not_withheld(tmp_path) -> None:
    db = tmp_path / "v3.db"
    con = sqlite3.connect(db)
    con.executescript(
        """CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (3);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, athlete TEXT NOT NULL, recorded_at TEXT NOT NULL,
            date_source TEXT NOT NULL, clip_path TEXT NOT NULL, sha256 TEXT NOT NULL, report_path TEXT,
            formcheck_version TEXT, analysed_at TEXT NOT NULL, UNIQUE (athlete, sha256));
        CREATE TABLE metrics (session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            metric TEXT NOT NULL, value REAL, value_text TEXT, unit TEXT, verdict TEXT, good_band TEXT,
            interval_low REAL, interval_high REAL, PRIMARY KEY (session_id, metric));
        INSERT INTO sessions VALUES (1, 'ann', '2026-11-01T08:00:00', 'x', '/a.mp4', 'a', NULL, '0.1.0',
            '2026-11-02T00:00:00');
        INSERT INTO metrics VALUES (1, 'cadence_spm', 171.0, NULL, 'steps/min', 'good', NULL, NULL, NULL);"""
    )
    con.commit()
    con.close()
    with Store(db) as st:
        (old,) = st.sessions("ann")
        st.upsert_session(WITHHELD_8)
        after = st.sessions("ann")
    assert old.verdicts_withheld == "" and old.metrics["cadence_spm"].value == 171.0
    assert [s.verdicts_withheld for s in after] == ["", REASON]
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)] == [(5,)]
    con.close()
    with Store(db) as st:  # opened again: no second migration
        assert len(st.sessions("ann")) == 2


def test_roster_counts_the_latest_sound_session_and_marks_the_withheld_one(tmp_path) -> None:
    flagged = _session(1, 9.0, 160.0)  # two flags
    (s,) = summarize({"ann": [flagged, WITHHELD_8]}, [])
    assert s.latest_withheld and (s.flags, s.borderline, s.watch) == (
        2,
        0,
        0,
    )  # not "all good" from n/a verdicts
    index = index_html([s], [], {"ann": "ann"})
    assert "2 flag" in index and "all good" not in index and WITHHELD_NOTE in index
    (row,) = csv.DictReader(io.StringIO(roster_csv([s], {"ann": "ann"})))
    assert row["flags"] == "2" and row["latest_verdicts_withheld"] == REASON
    (only,) = summarize({"ann": [WITHHELD_8]}, [])
    assert WITHHELD_NOTE in index_html([only], [], {"ann": "ann"})
    assert "all good" not in index_html([only], [], {"ann": "ann"})
    page = athlete_html(only, tmp_path, "ann")
    assert "Verdicts withheld: too few usable steps" in page and REASON in page


def test_athlete_page_marks_the_withheld_row_and_the_basis_of_the_next(tmp_path) -> None:
    (s,) = summarize({"ann": [SOUND_1, WITHHELD_8, SOUND_15]}, [])
    assert (s.flags, s.latest_withheld) == (1, False)
    page = athlete_html(s, tmp_path, "ann")
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = body.split("</tr>")[:3]  # latest first
    assert "compared with 2026-11-01 08:00" in rows[0] and "(worse)" in rows[0] and "(improved)" in rows[0]
    assert rows[1].startswith('<tr class="withheld">') and WITHHELD_NOTE in rows[1] and REASON in rows[1]
    assert "(" not in rows[1].split("</td>", 1)[1].replace("(&quot;", "")  # no change called on it
    assert 'class="withheld"' not in rows[0] + rows[2]
    assert WITHHELD_NOTE in page.split("<figure>")[1].split("</figure>")[0]  # the plot's legend


@pytest.fixture
def fake_analyze(monkeypatch) -> None:
    """``analyze_clip`` without the pose pass: the fake runner, its cadence from the file's first word, its
    verdicts withheld when the file says ``withheld``."""
    from formcheck.outputs import write_outputs
    from tests.fixtures.fake_analysis import make_fake_analysis

    def analyze_clip(video, outdir, settings, progress=None, clip_dir=None):
        words = Path(video).read_text().split()
        a = make_fake_analysis(path=str(Path(video).absolute()))
        metrics = dict(a.metrics)
        metrics["cadence_spm"] = dataclasses.replace(
            metrics["cadence_spm"], value=float(words[0]), interval=None
        )
        reason = ""
        if "withheld" in words:
            reason = REASON
            metrics = {k: dataclasses.replace(m, verdict="n/a") for k, m in metrics.items()}
        a = dataclasses.replace(
            a, metrics=metrics, verdicts_withheld=reason, input_sha256=pipeline.sha256_file(video)
        )
        write_outputs(a, clip_dir, write_video=False)
        return a

    monkeypatch.setattr(pipeline, "analyze_clip", analyze_clip)


def test_history_command_through_analyze(tmp_path, fake_analyze, capsys) -> None:
    """Three clips of ann through ``analyze --athlete --date --db``, the middle one withheld; ``history`` compares
    the third with the first, marks the second, and draws it as a hollow marker."""
    db, out = tmp_path / "h.db", tmp_path / "out"
    for day, text in (
        ("2026-11-01", "160 sound"),
        ("2026-11-08", "175 withheld"),
        ("2026-11-15", "180 sound"),
    ):
        clip = tmp_path / f"run_{day}.mp4"
        clip.write_text(text)
        os.utime(clip, (0, 0))
        args = [
            "analyze",
            str(clip),
            "-o",
            str(out),
            "--quiet",
            "--athlete",
            "ann",
            "--date",
            day,
            "--db",
            str(db),
        ]
        assert main(args) == 0
    assert '"verdicts_withheld": "3 of 7' in (out / "run_2026-11-08" / "analysis.json").read_text()
    with Store(db) as st:
        assert [s.verdicts_withheld for s in st.sessions("ann")] == ["", REASON, ""]
    capsys.readouterr()
    csv_path = tmp_path / "ann.csv"
    assert (
        main(["history", "ann", "--db", str(db), "-o", str(tmp_path / "plots"), "--csv", str(csv_path)]) == 0
    )
    text = capsys.readouterr().out
    lines = text.splitlines()
    (withheld,) = [ln for ln in lines if ln.startswith("2026-11-08 00:00 (withheld) ")]
    (third,) = [ln for ln in lines if ln.startswith("2026-11-15 00:00  ")]
    assert "175 spm" in withheld and "spm good" not in withheld and "(improved)" not in withheld
    assert "180 spm good (improved)" in third  # against 160 on the 1st, not 175 on the 8th (no real change)
    assert f"2026-11-08 00:00: {WITHHELD_NOTE} ({REASON}); its values are not compared" in lines
    assert (
        "2026-11-15 00:00: compared with 2026-11-01 00:00 (the latest session with verdicts), not with "
        "2026-11-08 00:00 (verdicts withheld)" in lines
    )
    assert (tmp_path / "plots" / "trend_ann.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert [r["verdicts_withheld"] for r in rows] == ["", REASON, ""]
    assert [r["cadence_spm_change"] for r in rows] == ["", "n/a", "improved"]


def test_a_batch_ledger_files_the_clip_as_withheld(tmp_path) -> None:
    """``batch`` builds each session from its ledger: the reason comes from the clip's analysis.json."""
    from formcheck.batch.jobs import ClipOutcome
    from formcheck.batch.ledger import Ledger

    ledger = Ledger()
    for key, reason in (("a", REASON), ("b", None)):
        ledger.clips[key] = ClipOutcome(
            f"{key}.mp4", key, "ann", "ok", sha256=key, recorded_at=datetime(2026, 11, 8)
        )
        ledger.read_analysis(key, {"steps": {"verdicts_withheld": reason}, "metrics": {}})
    assert ledger.session("a", tmp_path).verdicts_withheld == REASON
    assert not ledger.session("b", tmp_path).withheld
