"""The SQLite athlete history: schema, upserts, ordering, and the trend rules (SDD, direction toward the good band)."""

from __future__ import annotations

import argparse
import dataclasses
import math
import sqlite3
from datetime import datetime

import pytest

from formcheck.history import (
    MetricValue,
    Session,
    compare,
    format_trend_table,
    metrics_from_analysis,
    trend,
)
from formcheck.history_cli import run_history_cli
from formcheck.metrics.registry import HISTORY_IDS, REGISTRY
from formcheck.store import SCHEMA_VERSION, Store


def _session(
    athlete: str, day: int, sha: str, lean: float, cadence: float, strike: str = "midfoot"
) -> Session:
    return Session(
        athlete=athlete,
        recorded_at=datetime(2024, 5, day, 7, 30),
        clip_path=f"/clips/{sha}.mp4",
        sha256=sha,
        metrics={
            "trunk_lean_deg": MetricValue(lean, "deg", "good" if 3.5 <= lean < 11 else "watch"),
            "cadence_spm": MetricValue(cadence, "steps/min", "good" if cadence >= 169.5 else "flag"),
            "foot_strike_type": MetricValue(strike, "category", "good"),
            "pelvic_tilt_deg": MetricValue(None, "deg", "n/a"),
        },
    )


def test_history_ids_are_the_registry_entries_with_a_history_rank() -> None:
    assert HISTORY_IDS == (
        "cadence_spm",
        "overstride_distance",
        "foot_strike_type",
        "trunk_lean_deg",
        "pelvic_tilt_deg",
        "arm_swing_deg",
    )
    assert {mid for mid, spec in REGISTRY.items() if spec.history_rank is not None} == set(HISTORY_IDS)


def test_schema_is_created_once_with_a_version(tmp_path) -> None:
    db = tmp_path / "h.db"
    Store(db).close()
    Store(db).close()  # reopening does not fail nor add a second version row
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"schema_version", "sessions", "metrics"} <= tables


def test_reanalysing_a_clip_updates_its_session(tmp_path) -> None:
    with Store(tmp_path / "h.db") as st:
        first = st.upsert_session(_session("ann", 1, "aaa", 12.0, 160.0))
        again = st.upsert_session(_session("ann", 1, "aaa", 9.0, 165.0))
        assert first == again
        (s,) = st.sessions("ann")
    assert s.metrics["trunk_lean_deg"].value == 9.0
    assert s.metrics["foot_strike_type"].value == "midfoot"
    assert s.metrics["pelvic_tilt_deg"].value is None
    assert s.recorded_at == datetime(2024, 5, 1, 7, 30)


def test_sessions_are_ordered_by_date_and_athletes_listed(tmp_path) -> None:
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(_session("ann", 20, "b", 8.0, 170.0))
        st.upsert_session(_session("ann", 2, "a", 8.0, 170.0))
        st.upsert_session(_session("bob", 5, "c", 8.0, 170.0))
        st.upsert_session(
            _session("bob", 5, "a", 8.0, 170.0)
        )  # same file under another athlete: its own session
        assert st.athletes() == ["ann", "bob"]
        assert [s.sha256 for s in st.sessions("ann")] == ["a", "b"]
        assert len(st.sessions("bob")) == 2
        assert st.sessions("nobody") == []


def test_metrics_from_analysis_reads_value_unit_verdict() -> None:
    doc = {"metrics": {"cadence_spm": {"value": 171.2, "unit": "steps/min", "verdict": "good", "n_steps": 9}}}
    assert metrics_from_analysis(doc) == {"cadence_spm": MetricValue(171.2, "steps/min", "good")}


def test_sdds_are_those_of_metrics_md_section_6() -> None:
    sdd = {mid: spec.sdd for mid, spec in REGISTRY.items() if spec.sdd is not None}
    assert sdd["trunk_lean_deg"].of(10) == 2.3
    assert sdd["shank_angle_ic_deg"].of(10) == 4.8
    assert sdd["knee_flexion_ic_deg"].of(10) == 3.8
    assert sdd["pelvic_tilt_deg"].of(10) == 2.8
    assert sdd["foot_strike_angle_deg"].of(10) == 2.5
    assert sdd["cadence_spm"].of(170) == pytest.approx(5.1)
    for mid in HISTORY_IDS:
        assert mid == "foot_strike_type" or mid in sdd, mid


@pytest.mark.parametrize(
    ("mid", "before", "after", "expected"),
    [
        ("trunk_lean_deg", 12.0, 10.5, "no real change"),  # toward the good band but below the 2.3 deg SDD
        ("trunk_lean_deg", 10.5, 12.0, "no real change"),
        ("trunk_lean_deg", 14.0, 10.0, "improved"),
        ("trunk_lean_deg", 10.0, 14.0, "worse"),
        ("trunk_lean_deg", 6.0, 2.0, "worse"),  # out of the good band at the low side
        ("trunk_lean_deg", 4.0, 9.0, "changed"),  # a real change within the good band has no direction
        ("cadence_spm", 160.0, 164.0, "no real change"),  # 4 spm < 3% of 160
        ("cadence_spm", 160.0, 170.0, "improved"),
        ("cadence_spm", 172.0, 160.0, "worse"),
        ("pelvic_tilt_deg", 9.0, 7.0, "no real change"),  # 2 deg < 2.8 deg
        ("pelvic_tilt_deg", 9.0, 5.0, "improved"),
        ("overstride_distance", 24.0, 20.0, "no real change"),  # 4 %leg < 5 %leg
        ("overstride_distance", 30.0, 18.0, "changed"),  # judged on the reach: the verdict stayed "watch"
        ("arm_swing_deg", 20.0, 24.0, "no real change"),
        ("arm_swing_deg", 20.0, 35.0, "improved"),
    ],
)
def test_compare_applies_the_sdd_before_the_direction(mid, before, after, expected) -> None:
    assert compare(mid, MetricValue(before, "", "watch"), MetricValue(after, "", "watch")) == expected


def test_a_metric_judged_on_another_quantity_moves_with_its_verdict() -> None:
    # Overstride's verdict is on the heel's reach, not on the distance at contact that is its value.
    before, after = MetricValue(30.0, "%leg", "flag"), MetricValue(18.0, "%leg", "good")
    assert compare("overstride_distance", before, after) == "improved"
    assert compare("overstride_distance", after, before) == "worse"
    assert (
        compare("overstride_distance", before, MetricValue(28.0, "%leg", "good")) == "no real change"
    )  # < SDD


def test_compare_categories_and_missing_values() -> None:
    # A category's interval is that of the share of heel landings deciding it (tests/unit/test_history_verdicts.py).
    heel = MetricValue("rearfoot", "category", "flag", interval=(80.0, 100.0))
    mid = MetricValue("midfoot", "category", "good", interval=(0.0, 20.0))
    assert compare("foot_strike_type", heel, mid) == "improved"
    assert compare("foot_strike_type", mid, heel) == "worse"
    assert compare("foot_strike_type", mid, mid) == "no real change"
    fore = MetricValue("forefoot", "category", "good", interval=(0.0, 0.0))
    # The heel-landing shares cannot tell them apart: no evidence either way, not "within measurement noise".
    assert compare("foot_strike_type", mid, fore) == "n/a"
    assert compare("trunk_lean_deg", MetricValue(None), MetricValue(5.0)) == "n/a"
    assert compare("trunk_lean_deg", None, MetricValue(5.0)) == "n/a"
    # A value without a verdict (verdicts withheld: most steps rejected) is not trended.
    assert compare("cadence_spm", MetricValue(150.0, "", "flag"), MetricValue(175.0, "", "n/a")) == "n/a"
    assert (
        compare("cadence_spm", MetricValue(150.0, "", "flag"), MetricValue(175.0, "", "good")) == "improved"
    )


def test_trend_across_two_dates(tmp_path) -> None:
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(_session("ann", 15, "b", 11.5, 171.0, "midfoot"))  # inserted out of order
        st.upsert_session(_session("ann", 1, "a", 12.5, 160.0, "rearfoot"))
        rows = trend(st.sessions("ann"))
    assert [r.session.recorded_at.day for r in rows] == [1, 15]
    assert all(v == "" for v in rows[0].changes.values())
    assert rows[1].changes["trunk_lean_deg"] == "no real change"  # -1.0 deg: below the SDD, not "improved"
    assert rows[1].changes["cadence_spm"] == "improved"
    assert rows[1].changes["pelvic_tilt_deg"] == "n/a"
    text = format_trend_table(rows)
    lines = text.splitlines()
    assert lines[0].startswith("date") and "Trunk lean" in lines[0] and "Cadence" in lines[0]
    assert lines[1].startswith("2024-05-01") and lines[2].startswith("2024-05-15")
    assert (
        "12.5° watch" in lines[1] and "(no real change)" in lines[2] and "171 spm good (improved)" in lines[2]
    )


def test_history_cli(tmp_path, capsys) -> None:
    db = tmp_path / "h.db"
    with Store(db) as st:
        st.upsert_session(_session("ann", 1, "a", 12.5, 160.0))
        st.upsert_session(_session("ann", 15, "b", 8.0, 171.0))
        st.upsert_session(_session("bob", 3, "c", 8.0, 171.0))
    args = argparse.Namespace(athlete="ann", db=str(db), outdir=str(tmp_path / "plots"))
    assert run_history_cli(args) == 0
    out = capsys.readouterr().out
    assert "2024-05-01" in out and "2024-05-15" in out and "(improved)" in out
    png = tmp_path / "plots" / "trend_ann.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(png) in out

    assert run_history_cli(argparse.Namespace(athlete="bob", db=str(db), outdir=str(tmp_path / "plots"))) == 0
    assert "one session so far" in capsys.readouterr().out
    assert not (tmp_path / "plots" / "trend_bob.png").exists()  # no near-empty chart for one session

    assert run_history_cli(argparse.Namespace(athlete="zed", db=str(db), outdir=None)) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "ann, bob" in err

    assert run_history_cli(argparse.Namespace(athlete="ann", db=str(tmp_path / "none.db"), outdir=None)) == 2


def test_trend_plot_svg(tmp_path) -> None:
    import xml.etree.ElementTree as ET

    from formcheck.report.trends import plot_trends, trend_svg

    sessions = [_session("ann", 1, "a", 12.5, 160.0), _session("ann", 9, "b", 8.0, 171.0, "rearfoot")]
    svg = trend_svg(sessions, 'ann & "bo"')
    assert svg.startswith("<svg") and "http://" not in svg and "xmlns" not in svg
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'trend of ann & "bo"' and root.get("class") == "plot"
    texts = [t.text for t in root.iter("text")]
    # one panel per measured metric, the first one naming the athlete
    assert {'ann & "bo": Cadence (spm)', "Foot strike", "Trunk lean (°)"} <= set(texts)
    assert not any(t and t.startswith("Pelvic") for t in texts)  # never measured: no panel
    assert {"forefoot", "midfoot", "rearfoot"} <= set(texts)  # the category axis
    assert any(t and t.startswith("May") and "2024" in t for t in texts)  # date ticks, the year written once
    dots = [p for p in root.iter("path") if p.get("stroke-linecap") == "round" and "h0" in p.get("d", "")]
    assert len(dots) == 3 and all(p.get("d").count("h0") == 2 for p in dots)  # two sessions in each panel
    assert svg == trend_svg(sessions, 'ann & "bo"')  # deterministic
    # A session whose verdicts were withheld adds no points.
    withheld = _session("ann", 20, "c", 30.0, 120.0)
    withheld = dataclasses.replace(
        withheld, metrics={k: MetricValue(v.value, v.unit, "n/a") for k, v in withheld.metrics.items()}
    )
    again = ET.fromstring(trend_svg([*sessions, withheld], 'ann & "bo"'))
    dots = [p for p in again.iter("path") if p.get("stroke-linecap") == "round" and "h0" in p.get("d", "")]
    assert len(dots) == 3 and all(p.get("d").count("h0") == 2 for p in dots)

    path = plot_trends(sessions, tmp_path / "t.svg")
    doc = ET.fromstring(path.read_text())
    assert doc.tag == "{http://www.w3.org/2000/svg}svg" and doc.get("width")  # a standalone SVG file
    empty = ET.fromstring(trend_svg([Session("ann", datetime(2024, 5, 1), "/c.mp4", "x")], "ann"))
    assert [t.text for t in empty.iter("text")] == ["no headline metric measured yet"]
    one = ET.fromstring(trend_svg(sessions[:1], "ann"))  # a single session still gets a date axis
    assert any(t.text and "May 1" in t.text for t in one.iter("text"))


def test_trend_target_band_always_in_view() -> None:
    """Values far below the good band (cadence 150-152 against 170 and up) still show the band's edge."""
    from formcheck.report.trends import _padded

    lo, hi = _padded([150.0, 152.0], ((170.0, math.inf),))
    assert lo < 150.0 and hi > 170.0
    lo, hi = _padded([10.0, 12.0], ((-math.inf, 5.0), (20.0, 30.0)))
    assert lo < 5.0 and hi > 30.0
    assert _padded([150.0, 152.0]) == _padded([150.0, 152.0], ())


def test_a_version_1_database_is_migrated_and_its_sessions_read_with_the_default_bands(tmp_path) -> None:
    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    con.executescript(
        """CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, athlete TEXT NOT NULL, recorded_at TEXT NOT NULL,
            date_source TEXT NOT NULL, clip_path TEXT NOT NULL, sha256 TEXT NOT NULL, report_path TEXT,
            formcheck_version TEXT, analysed_at TEXT NOT NULL, UNIQUE (athlete, sha256));
        CREATE TABLE metrics (session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            metric TEXT NOT NULL, value REAL, value_text TEXT, unit TEXT, verdict TEXT,
            PRIMARY KEY (session_id, metric));
        INSERT INTO sessions VALUES (1, 'ann', '2024-05-01T07:30:00', 'x', '/a.mp4', 'a', NULL, '0.1.0',
            '2024-05-02T00:00:00');
        INSERT INTO metrics VALUES (1, 'cadence_spm', 171.0, NULL, 'steps/min', 'good');"""
    )
    con.commit()
    con.close()
    with Store(db) as st:
        (s,) = st.sessions("ann")
        st.upsert_session(_session("ann", 9, "b", 8.0, 175.0))
    assert s.metrics["cadence_spm"] == MetricValue(171.0, "steps/min", "good", None)
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_a_change_beyond_the_sdd_is_no_real_change_while_the_intervals_overlap() -> None:
    """side_24 and side_25, two takes of one runner on one day, read trunk lean +1.0 and -2.0 deg: beyond the
    2.3 deg SDD, but each within the other's interval, so the history must not call it a change."""
    before = MetricValue(1.0, "deg", "borderline", ((3.5, 11.0),), (-2.0, 4.0))
    after = MetricValue(-2.0, "deg", "borderline", ((3.5, 11.0),), (-5.1, 1.5))
    assert compare("trunk_lean_deg", before, after) == "no real change"
    apart = dataclasses.replace(after, value=-4.0, interval=(-6.0, -2.5))
    assert compare("trunk_lean_deg", before, apart) == "worse"
    assert compare("trunk_lean_deg", dataclasses.replace(before, interval=None), after) == "worse"


def test_intervals_are_kept_in_the_history_and_read_back(tmp_path) -> None:
    s = _session("ann", 1, "a", 7.0, 175.0)
    with_interval = dataclasses.replace(
        s, metrics={**s.metrics, "trunk_lean_deg": MetricValue(7.0, "deg", "good", None, (5.5, 8.5))}
    )
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(with_interval)
        (back,) = st.sessions("ann")
    assert back.metrics["trunk_lean_deg"].interval == (5.5, 8.5)
    assert back.metrics["cadence_spm"].interval is None
    doc = {
        "metrics": {
            "trunk_lean_deg": {"value": 7.0, "unit": "deg", "verdict": "good", "interval": [5.5, 8.5]}
        }
    }
    assert metrics_from_analysis(doc)["trunk_lean_deg"].interval == (5.5, 8.5)


def test_trend_compares_each_metric_with_the_latest_session_that_measured_it() -> None:
    """Side 5 deg on Monday, a rear clip (side measures not measurable) Monday later, side 12 deg on Tuesday: trunk
    lean is 'worse' against Monday's side clip, not 'n/a' against the rear clip; cadence, measured by all three,
    is compared with the rear clip just before."""

    def clip(day: int, hour: int, lean: float | None, cadence: float) -> Session:
        lean_mv = MetricValue(lean, "deg", "n/a" if lean is None else "good" if 3.5 <= lean < 11 else "watch")
        return Session(
            "ann",
            datetime(2024, 5, day, hour),
            f"/clips/{day}{hour}.mp4",
            f"{day}{hour}",
            {"trunk_lean_deg": lean_mv, "cadence_spm": MetricValue(cadence, "steps/min", "good")},
        )

    side_mon, rear_mon, side_tue = clip(6, 7, 5.0, 170.0), clip(6, 8, None, 171.0), clip(7, 7, 12.0, 185.0)
    rows = trend([side_tue, rear_mon, side_mon])
    assert [r.session for r in rows] == [side_mon, rear_mon, side_tue]
    assert rows[1].changes["trunk_lean_deg"] == "n/a"  # the rear clip itself has no value
    assert rows[2].changes["trunk_lean_deg"] == "worse"  # 5 -> 12 deg: out of the good band
    assert rows[2].changes["cadence_spm"] == compare(
        "cadence_spm", rear_mon.metrics["cadence_spm"], side_tue.metrics["cadence_spm"]
    )
    assert rows[2].changes["cadence_spm"] != "n/a"
    assert rows[0].changes["trunk_lean_deg"] == ""
