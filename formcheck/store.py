"""The embedded SQLite history of athletes and their sessions, and the trend rules across sessions.

One **session** is one analysed clip of one athlete, keyed by (athlete, clip sha256): analysing the same
recording again (even from another path) updates its session instead of adding a second one; the same file filed
under two athletes is two sessions (never silently moved from one athlete to another). Each session keeps the athlete, the recording
date (container ``creation_time``, else the file's modification time), the clip path and every metric of its
``analysis.json`` as rows (value, unit, verdict). ``formcheck batch`` writes to ``OUTDIR/formcheck.db`` unless
``--db`` names another file.

Between two consecutive sessions a change counts only when it reaches the metric's smallest detectable
difference (``SDD``, METRICS.md section 6); a smaller change is "no real change", never an improvement.
"""

from __future__ import annotations

import argparse
import logging
import math
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.config import Thresholds
from formcheck.errors import FormcheckError
from formcheck.safe_text import clean_text, for_terminal

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DEFAULT_DB_NAME = "formcheck.db"

# The headline metrics (metrics/registry.py ``headline=True``), in the order of the trend table.
HEADLINE_IDS: tuple[str, ...] = (
    "cadence_spm",
    "overstride_distance",
    "foot_strike_type",
    "trunk_lean_deg",
    "pelvic_tilt_deg",
    "arm_swing_deg",
)


@dataclass(frozen=True)
class SDD:
    """Smallest detectable difference: ``absolute`` in the metric's unit, or ``relative`` (fraction of the
    earlier value), whichever is larger."""

    absolute: float = 0.0
    relative: float = 0.0
    source: str = ""

    def of(self, previous: float) -> float:
        return max(self.absolute, self.relative * abs(previous))


# METRICS.md section 6 (Dingenen 2018; Murray 2019): upper ends of the published ranges, since pose-estimation
# noise adds to them. Cadence, overstride and arm swing have no published 2D SDD: the values below are
# formcheck's conservative choices.
SMALLEST_DETECTABLE_DIFFERENCE: dict[str, SDD] = {
    "trunk_lean_deg": SDD(2.3, source="Dingenen 2018 (trunk lean 1.3-2.3 deg)"),
    "shank_angle_ic_deg": SDD(4.8, source="Dingenen 2018 (tibia inclination 2.2-4.8 deg)"),
    "knee_flexion_ic_deg": SDD(3.8, source="Dingenen 2018 (knee flexion 2.3-3.8 deg)"),
    "knee_flexion_midstance_deg": SDD(3.8, source="Dingenen 2018 (knee flexion 2.3-3.8 deg)"),
    "pelvic_tilt_deg": SDD(2.8, source="Dingenen 2018 (contralateral pelvic drop 2.7-2.8 deg)"),
    "foot_strike_angle_deg": SDD(2.5, source="Murray 2019 (foot strike angle typical error 2.5 deg)"),
    # A 30 fps frame is ~10% of a step; the median over 15+ steps is far steadier. 3% is ~5 spm at 170 spm.
    "cadence_spm": SDD(relative=0.03, source="formcheck choice: 3% of the earlier value"),
    # Heel and hip landmarks each carry ~3-4% of leg length of 2D error (synthetic-runner measurements), so a
    # heel-to-hip distance needs 5% of leg length, or 15% of the earlier value when larger.
    "overstride_distance": SDD(absolute=5.0, relative=0.15, source="formcheck choice: 5 %leg or 15%"),
    # Joint-angle RMSE of markerless pose is 4-11 deg (arXiv 2505.04713): 5 deg or 10% of the earlier value.
    "arm_swing_deg": SDD(absolute=5.0, relative=0.10, source="formcheck choice: 5 deg or 10%"),
}

_VERDICT_RANK = {"good": 0, "watch": 1, "borderline": 2, "flag": 3}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    athlete TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    date_source TEXT NOT NULL,
    clip_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    report_path TEXT,
    formcheck_version TEXT,
    analysed_at TEXT NOT NULL,
    UNIQUE (athlete, sha256)
);
CREATE INDEX IF NOT EXISTS sessions_athlete ON sessions (athlete, recorded_at);
CREATE TABLE IF NOT EXISTS metrics (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    value REAL,
    value_text TEXT,
    unit TEXT,
    verdict TEXT,
    PRIMARY KEY (session_id, metric)
);
"""


@dataclass(frozen=True)
class MetricValue:
    """One metric of a session: a number, a category (str) or None when not measurable."""

    value: float | str | None
    unit: str = ""
    verdict: str = "n/a"


@dataclass(frozen=True)
class Session:
    """One analysed clip of one athlete."""

    athlete: str
    recorded_at: datetime
    clip_path: str
    sha256: str
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)
    date_source: str = "file modification time"  # or "creation_time metadata"
    report_path: str | None = None
    formcheck_version: str | None = None


def metrics_from_analysis(doc: Mapping[str, Any]) -> dict[str, MetricValue]:
    """Every metric of an ``analysis.json`` document as ``MetricValue``s."""
    out: dict[str, MetricValue] = {}
    for mid, m in (doc.get("metrics") or {}).items():
        if isinstance(m, Mapping):
            out[mid] = MetricValue(m.get("value"), str(m.get("unit") or ""), str(m.get("verdict") or "n/a"))
    return out


LOCK_TIMEOUT_S = 30.0  # how long a write waits for another program's lock on the database


def database_error(path: Path, e: sqlite3.Error) -> FormcheckError:
    """A one-line error for a database that fails after it was opened: locked, damaged, or not a database."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return FormcheckError(
            f"the history database {path} stayed locked by another program ({text}): close that program, "
            "or choose another --db"
        )
    return FormcheckError(
        f"the history database {path} is damaged ({text}): restore it from a backup, or choose another --db"
    )


class Store:
    """The athlete history database. Use as a context manager, or call ``close()``. Every database failure is
    raised as a one-line FormcheckError."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=LOCK_TIMEOUT_S)
            self._db.execute("PRAGMA foreign_keys = ON")
            with self._db:
                self._db.executescript(_SCHEMA)
                row = self._db.execute("SELECT version FROM schema_version").fetchone()
                if row is None:
                    self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                elif row[0] > SCHEMA_VERSION:
                    raise FormcheckError(
                        f"{self.path} was written by a newer formcheck (schema {row[0]}): upgrade formcheck"
                    )
        except sqlite3.Error as e:
            if hasattr(self, "_db"):
                self._db.close()
            raise FormcheckError(
                f"cannot open the history database {self.path} ({e}): choose another --db"
            ) from e
        except OSError as e:
            raise FormcheckError(
                f"cannot open the history database {self.path} ({e.strerror or e}): choose another --db"
            ) from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def upsert_session(self, s: Session) -> int:
        """Insert the session, or update the athlete's session of the same clip (sha256); returns its id."""
        try:
            return self._upsert(s)
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def _upsert(self, s: Session) -> int:
        now = datetime.now().isoformat(timespec="seconds")
        with self._db:
            self._db.execute(
                """INSERT INTO sessions (athlete, recorded_at, date_source, clip_path, sha256, report_path,
                                         formcheck_version, analysed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (athlete, sha256) DO UPDATE SET
                       recorded_at = excluded.recorded_at, date_source = excluded.date_source,
                       clip_path = excluded.clip_path, report_path = excluded.report_path,
                       formcheck_version = excluded.formcheck_version, analysed_at = excluded.analysed_at""",
                (
                    clean_text(s.athlete),
                    s.recorded_at.isoformat(timespec="seconds"),
                    s.date_source,
                    clean_text(s.clip_path),
                    s.sha256,
                    None if s.report_path is None else clean_text(s.report_path),
                    s.formcheck_version,
                    now,
                ),
            )
            sid = self._db.execute(
                "SELECT id FROM sessions WHERE athlete = ? AND sha256 = ?", (clean_text(s.athlete), s.sha256)
            ).fetchone()[0]
            self._db.execute("DELETE FROM metrics WHERE session_id = ?", (sid,))
            self._db.executemany(
                "INSERT INTO metrics (session_id, metric, value, value_text, unit, verdict) VALUES (?,?,?,?,?,?)",
                [(sid, mid, *_split_value(mv.value), mv.unit, mv.verdict) for mid, mv in s.metrics.items()],
            )
        return int(sid)

    def athletes(self) -> list[str]:
        try:
            return [r[0] for r in self._db.execute("SELECT DISTINCT athlete FROM sessions ORDER BY athlete")]
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def sessions(self, athlete: str) -> list[Session]:
        """The athlete's sessions, oldest first."""
        try:
            return self._sessions(athlete)
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def _sessions(self, athlete: str) -> list[Session]:
        rows = self._db.execute(
            """SELECT id, athlete, recorded_at, date_source, clip_path, sha256, report_path, formcheck_version
               FROM sessions WHERE athlete = ? ORDER BY recorded_at, id""",
            (clean_text(athlete),),
        ).fetchall()
        out = []
        for sid, ath, rec, src, clip, sha, report, version in rows:
            metrics = {
                mid: MetricValue(text if text is not None else value, unit or "", verdict or "n/a")
                for mid, value, text, unit, verdict in self._db.execute(
                    "SELECT metric, value, value_text, unit, verdict FROM metrics WHERE session_id = ?",
                    (sid,),
                )
            }
            out.append(Session(ath, datetime.fromisoformat(rec), clip, sha, metrics, src, report, version))
        return out


def _split_value(value: object) -> tuple[float | None, str | None]:
    if isinstance(value, str):
        return None, value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(float(value)):
        return float(value), None
    return None, None


# --- trends ------------------------------------------------------------------------------------------------------


def _distance_to_good(metric_id: str, value: float, thresholds: Thresholds) -> float | None:
    from formcheck.report.labels import bands_for

    bands = bands_for(metric_id, thresholds)
    if bands is None or not bands.good:
        return None
    return min(0.0 if lo <= value < hi else min(abs(value - lo), abs(value - hi)) for lo, hi in bands.good)


def compare(
    metric_id: str,
    previous: MetricValue | None,
    current: MetricValue | None,
    thresholds: Thresholds | None = None,
) -> str:
    """How a metric moved between two consecutive sessions: ``improved``, ``worse``, ``no real change``,
    ``changed`` (a real change with no direction: both in the good band, or no bands), or ``n/a``. A value that
    formcheck gave no verdict (e.g. a clip whose steps were mostly rejected) is not compared: it is not to be
    trusted enough to call a change."""
    th = thresholds or Thresholds()
    if previous is None or current is None or previous.value is None or current.value is None:
        return "n/a"
    if "n/a" in (previous.verdict, current.verdict):
        return "n/a"
    a, b = previous.value, current.value
    if isinstance(a, str) or isinstance(b, str):
        if a == b:
            return "no real change"
        ra, rb = _VERDICT_RANK.get(previous.verdict), _VERDICT_RANK.get(current.verdict)
        if ra is None or rb is None or ra == rb:
            return "changed"
        return "improved" if rb < ra else "worse"
    sdd = SMALLEST_DETECTABLE_DIFFERENCE.get(metric_id)
    if sdd is not None and abs(b - a) < sdd.of(a):
        return "no real change"
    da, db = _distance_to_good(metric_id, a, th), _distance_to_good(metric_id, b, th)
    if da is None or db is None or da == db:
        return "changed"
    return "improved" if db < da else "worse"


@dataclass(frozen=True)
class TrendRow:
    """One session in the trend table, with each headline metric and how it moved since the session before."""

    session: Session
    changes: dict[str, str]


def trend(sessions: Iterable[Session], thresholds: Thresholds | None = None) -> list[TrendRow]:
    """Sessions oldest first, each with ``compare`` against the previous one (the first one: ``""``)."""
    rows: list[TrendRow] = []
    prev: Session | None = None
    for s in sorted(sessions, key=lambda s: s.recorded_at):
        changes = {
            mid: "" if prev is None else compare(mid, prev.metrics.get(mid), s.metrics.get(mid), thresholds)
            for mid in HEADLINE_IDS
        }
        rows.append(TrendRow(s, changes))
        prev = s
    return rows


def format_trend_table(rows: list[TrendRow]) -> str:
    """The trend table as plain text: date, then each headline metric with its change since the session before."""
    from formcheck.report.labels import SHORT_TITLES, fmt_number

    head = ["date", *(SHORT_TITLES.get(m, m) for m in HEADLINE_IDS)]
    body = []
    for r in rows:
        cells = [r.session.recorded_at.strftime("%Y-%m-%d %H:%M")]
        for mid in HEADLINE_IDS:
            mv = r.session.metrics.get(mid)
            text = fmt_number(mv.value, mv.unit) if mv is not None else "–"
            if mv is not None and mv.verdict not in ("n/a", ""):
                text += f" {mv.verdict}"
            change = r.changes.get(mid, "")
            if change and change != "n/a":
                text += f" ({change})"
            cells.append(text)
        body.append(cells)
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [head, *body]
    ]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------------------------


def _default_db() -> Path:
    return Path("formcheck-out") / DEFAULT_DB_NAME


def run_history_cli(args: argparse.Namespace) -> int:
    """``formcheck history ATHLETE [--db PATH] [-o DIR]``: trend table on stdout, trend plot written to DIR
    (default: the database's folder). Exit 2 for a missing database or an unknown athlete."""
    db = Path(args.db) if args.db else _default_db()
    if not db.is_file():
        print(
            f"formcheck: no history database at {db}: run 'formcheck batch FOLDER -o OUTDIR' first or pass --db",
            file=sys.stderr,
        )
        return 2
    with Store(db) as store:
        known = store.athletes()
        if args.athlete not in known:
            names = ", ".join(known) if known else "none yet"
            print(
                for_terminal(
                    f"formcheck: no sessions for athlete {args.athlete!r} in {db}; known athletes: {names}"
                ),
                file=sys.stderr,
            )
            return 2
        sessions = store.sessions(args.athlete)
    rows = trend(sessions)
    print(f"{for_terminal(args.athlete)}: {len(sessions)} session(s)")
    print(format_trend_table(rows))
    print("changes smaller than the smallest detectable difference (METRICS.md 6) are 'no real change'")
    from formcheck.report.trends import plot_trends, trend_plot_name

    outdir = Path(args.outdir) if args.outdir else db.parent
    path = plot_trends(sessions, outdir / trend_plot_name(args.athlete))
    print(f"trend plot: {path}")
    return 0
