"""The athlete history and how each clip's contacts were timed (``gait.contact_timing``): a measure read at each
landing (overstride, ``MetricSpec.read_at_contact``) is not compared between a clip timed from the shoe's sole and
one timed from the pose's landmarks (the same clip reads overstride up to 15 %leg apart: docs/contacts.md), and the
database, the CSV, the trend notes and the athlete page say so; other measures are compared as before."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import datetime

from formcheck.batch.athlete_page import session_note
from formcheck.history import (
    MetricValue,
    Session,
    contact_timing_of,
    format_trend_table,
    trend,
    trend_notes,
)
from formcheck.report.history_csv import sessions_csv
from formcheck.store import SCHEMA_VERSION, Store


def _side(day: int, overstride: float, cadence: float, timing: str) -> Session:
    """A side clip of bo: overstride (good up to 30 %leg here) and cadence, contacts timed by ``timing``."""
    return Session(
        "bo",
        datetime(2026, 11, day, 8, 0),
        f"/clips/{day}.mp4",
        f"sha{day}",
        {
            "overstride_distance": MetricValue(
                overstride,
                "%leg",
                "good" if overstride <= 30 else "flag",
                ((0.0, 30.0),),
                (overstride - 2, overstride + 2),
            ),
            "cadence_spm": MetricValue(cadence, "steps/min", "good" if cadence >= 169.5 else "flag"),
        },
        contact_timing=timing,
    )


LANDMARKS_1 = _side(1, 40.0, 160.0, "landmarks")
SOLE_8 = _side(8, 15.0, 175.0, "sole")
SOLE_15 = _side(15, 45.0, 176.0, "sole")


def test_contact_timing_of_reads_steps_contact_timing() -> None:
    assert contact_timing_of({"steps": {"contact_timing": "sole"}}) == "sole"
    assert contact_timing_of({"steps": {"contact_timing": "landmarks"}}) == "landmarks"
    # refused or not at hand: the landmarks timed the contacts
    assert contact_timing_of({"steps": {"contact_timing": "sole refused: the edge does not come down"}}) == (
        "landmarks"
    )
    assert contact_timing_of({"steps": {}}) == "landmarks"  # written before the choice existed
    assert contact_timing_of({}) == "landmarks"


def test_overstride_is_not_compared_across_timings_but_cadence_is() -> None:
    rows = trend([LANDMARKS_1, SOLE_8])
    assert rows[1].changes["overstride_distance"] == "n/a"  # 40 -> 15 %leg would have read "improved"
    assert rows[1].changes["cadence_spm"] == "improved"
    assert rows[1].timing_changed == ("overstride_distance",) and rows[1].timing_basis is LANDMARKS_1
    (note,) = trend_notes(rows)
    assert note.startswith("2026-11-08 08:00: Overstride not compared with 2026-11-01 08:00")
    assert "timed from the pose's landmarks, this clip's from the shoe's sole in the picture" in note
    line = format_trend_table(rows).splitlines()[2]
    assert "175 spm good (improved)" in line and "15% leg good (" not in line


def test_sessions_timed_alike_are_compared() -> None:
    rows = trend([LANDMARKS_1, SOLE_8, SOLE_15])
    assert rows[2].changes["overstride_distance"] == "worse"  # 15 -> 45 %leg, both from the sole
    assert rows[2].timing_changed == () and rows[2].timing_basis is None
    assert len(trend_notes(rows)) == 1  # only the switch is noted
    same = trend([LANDMARKS_1, _side(8, 15.0, 175.0, "landmarks")])
    assert same[1].changes["overstride_distance"] == "improved" and same[1].timing_changed == ()


def test_csv_and_athlete_page_say_how_the_contacts_were_timed() -> None:
    rows = list(csv.DictReader(io.StringIO(sessions_csv([LANDMARKS_1, SOLE_8]))))
    assert [r["contact_timing"] for r in rows] == ["landmarks", "sole"]
    assert rows[1]["overstride_distance_change"] == "n/a" and rows[1]["cadence_spm_change"] == "improved"
    html = session_note(trend([LANDMARKS_1, SOLE_8])[1])
    assert "Overstride not compared: contacts timed from the shoe" in html
    assert "a change of method, not of the runner" in html  # the full sentence on hover
    assert session_note(trend([LANDMARKS_1, SOLE_8])[0]) == ""


def test_the_store_keeps_the_timing(tmp_path) -> None:
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(LANDMARKS_1)
        st.upsert_session(SOLE_8)
        assert [s.contact_timing for s in st.sessions("bo")] == ["landmarks", "sole"]
        rows = trend(st.sessions("bo"))
    assert rows[1].changes["overstride_distance"] == "n/a"


def _version_4_database(tmp_path, rows_sql: str):
    """A history database as formcheck wrote it before the contact timing was kept (schema 4), with ``rows_sql``."""
    db = tmp_path / "v4.db"
    con = sqlite3.connect(db)
    con.executescript(
        """CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (4);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, athlete TEXT NOT NULL, recorded_at TEXT NOT NULL,
            date_source TEXT NOT NULL, clip_path TEXT NOT NULL, sha256 TEXT NOT NULL, report_path TEXT,
            formcheck_version TEXT, analysed_at TEXT NOT NULL, verdicts_withheld TEXT, UNIQUE (athlete, sha256));
        CREATE TABLE metrics (session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            metric TEXT NOT NULL, value REAL, value_text TEXT, unit TEXT, verdict TEXT, good_band TEXT,
            interval_low REAL, interval_high REAL, PRIMARY KEY (session_id, metric));"""
        + rows_sql
    )
    con.commit()
    con.close()
    return db


def test_a_version_4_database_migrates_and_its_sessions_read_as_landmarks(tmp_path) -> None:
    db = _version_4_database(
        tmp_path,
        """INSERT INTO sessions VALUES (1, 'bo', '2026-10-01T08:00:00', 'x', '/a.mp4', 'a', NULL, '0.1.0',
            '2026-10-02T00:00:00', NULL);
        INSERT INTO metrics VALUES (1, 'overstride_distance', 40.0, NULL, '%leg', 'flag', NULL, 38.0, 42.0);""",
    )
    with Store(db) as st:
        (old,) = st.sessions("bo")
        st.upsert_session(SOLE_8)
        rows = trend(st.sessions("bo"))
    assert old.contact_timing == "landmarks"
    assert rows[1].changes["overstride_distance"] == "n/a" and rows[1].timing_basis.sha256 == "a"
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)] == [(5,)]
    assert con.execute("SELECT contact_timing FROM sessions ORDER BY id").fetchall() == [(None,), ("sole",)]
    con.close()


def test_a_migrated_session_takes_its_timing_from_the_analysis_beside_its_report(tmp_path) -> None:
    """The sole could time contacts (opted into) before the database kept it: the migration reads each session's
    ``steps.contact_timing`` from the analysis.json beside its report, where it still is."""
    sole_dir, gone_dir = tmp_path / "clip_sole", tmp_path / "clip_gone"
    sole_dir.mkdir()
    (sole_dir / "analysis.json").write_text('{"steps": {"contact_timing": "sole"}}', encoding="utf-8")
    db = _version_4_database(
        tmp_path,
        f"""INSERT INTO sessions VALUES (1, 'bo', '2026-10-01T08:00:00', 'x', '/a.mp4', 'a',
            '{sole_dir / "report.html"}', '0.1.0', '2026-10-02T00:00:00', NULL);
        INSERT INTO sessions VALUES (2, 'bo', '2026-10-05T08:00:00', 'x', '/b.mp4', 'b',
            '{gone_dir / "report.html"}', '0.1.0', '2026-10-06T00:00:00', NULL);""",
    )
    with Store(db) as st:
        assert [s.contact_timing for s in st.sessions("bo")] == ["sole", "landmarks"]


def test_a_batch_files_each_clip_with_its_timing(tmp_path) -> None:
    from formcheck.batch.jobs import ClipOutcome
    from formcheck.batch.ledger import Ledger

    ledger = Ledger()
    for key, timing in (("a", "sole"), ("b", "sole refused: runner too small (77 px leg, needs 100)")):
        ledger.clips[key] = ClipOutcome(
            key, key, "bo", "ok", sha256=f"sha{key}", recorded_at=datetime(2026, 11, 1), source=f"/{key}.mp4"
        )
        ledger.read_analysis(key, {"steps": {"contact_timing": timing}, "metrics": {}})
    assert [ledger.session(k, tmp_path).contact_timing for k in ("a", "b")] == ["sole", "landmarks"]
