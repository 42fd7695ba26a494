"""The embedded SQLite history of athletes and their sessions (the sessions and trend rules: formcheck/history.py).

One **session** is one analysed clip of one athlete, keyed by (athlete, clip sha256): analysing the same
recording again (even from another path) updates its session instead of adding a second one. One clip folder (the
same recording and the same report) is one athlete's: ``batch`` and ``analyze`` file it under a new athlete by
moving its session (``upsert_session(..., sole_owner=True)``); the same recording analysed into two folders under
two athletes is two sessions. Each session keeps the athlete, the recording
date (container ``creation_time``, else the file's modification time), the clip path, why its verdicts were withheld
(``verdicts_withheld``, NULL when they were given), how its contacts were timed (``contact_timing``: "sole" or
"landmarks"; for sessions recorded before it was kept, read from the analysis.json beside their report when it is
there, else NULL, read as "landmarks") and every metric of its ``analysis.json`` as rows (value, unit,
verdict, and the good band the verdict was judged against).
``formcheck batch`` writes to ``OUTDIR/formcheck.db`` unless ``--db`` names another file; ``formcheck analyze``
to the runner's own database (formcheck/history_dates.py ``default_history_db``).
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from datetime import datetime
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.history import MetricValue, Session, contact_timing_of, normal_contact_timing
from formcheck.safe_text import clean_text

log = logging.getLogger(__name__)

# 2: metrics.good_band; 3: metrics.interval_low, interval_high; 4: sessions.verdicts_withheld;
# 5: sessions.contact_timing
SCHEMA_VERSION = 5
DEFAULT_DB_NAME = "formcheck.db"

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
    verdicts_withheld TEXT,
    contact_timing TEXT,
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
    good_band TEXT,
    interval_low REAL,
    interval_high REAL,
    PRIMARY KEY (session_id, metric)
);
"""


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
                elif row[0] < SCHEMA_VERSION:
                    self._migrate(row[0])
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

    def _migrate(self, version: int) -> None:
        """Bring a database of an older schema up to date (inside the opening transaction)."""
        if version < 2:  # sessions recorded before good bands were kept: NULL, read as the default bands
            self._db.execute("ALTER TABLE metrics ADD COLUMN good_band TEXT")
        if version < 3:  # sessions recorded before intervals were kept: NULL, compared on the SDD alone
            self._db.execute("ALTER TABLE metrics ADD COLUMN interval_low REAL")
            self._db.execute("ALTER TABLE metrics ADD COLUMN interval_high REAL")
        if version < 4:  # sessions recorded before withheld verdicts were kept: NULL, read as verdicts given
            self._db.execute("ALTER TABLE sessions ADD COLUMN verdicts_withheld TEXT")
        if version < 5:
            self._db.execute("ALTER TABLE sessions ADD COLUMN contact_timing TEXT")
            self._fill_contact_timing()
        self._db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    def _fill_contact_timing(self) -> None:
        """Sessions recorded before the timing was kept: read it from the ``analysis.json`` beside each report
        where it is still there (the sole could time contacts when opted into); else NULL, read as "landmarks"."""
        rows = self._db.execute(
            "SELECT id, report_path FROM sessions WHERE report_path IS NOT NULL"
        ).fetchall()
        for sid, report in rows:
            try:
                doc = json.loads((Path(report).parent / "analysis.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(doc, dict):
                timing = contact_timing_of(doc)
                self._db.execute("UPDATE sessions SET contact_timing = ? WHERE id = ?", (timing, sid))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def upsert_session(self, s: Session, sole_owner: bool = False) -> int:
        """Insert the session, or update the athlete's session of the same clip (sha256); returns its id. With
        ``sole_owner`` (``batch``, ``analyze``: the command names the clip's athlete), a session of the same clip and
        the same report filed under another athlete is removed: the clip was renamed to ``s.athlete``, not copied."""
        try:
            return self._upsert(s, sole_owner)
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def _upsert(self, s: Session, sole_owner: bool = False) -> int:
        now = datetime.now().isoformat(timespec="seconds")
        with self._db:
            if sole_owner and s.report_path is not None:
                self._db.execute(
                    "DELETE FROM sessions WHERE sha256 = ? AND report_path = ? AND athlete != ?",
                    (s.sha256, clean_text(s.report_path), clean_text(s.athlete)),
                )
            self._db.execute(
                """INSERT INTO sessions (athlete, recorded_at, date_source, clip_path, sha256, report_path,
                                         formcheck_version, analysed_at, verdicts_withheld, contact_timing)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (athlete, sha256) DO UPDATE SET
                       recorded_at = excluded.recorded_at, date_source = excluded.date_source,
                       clip_path = excluded.clip_path, report_path = excluded.report_path,
                       formcheck_version = excluded.formcheck_version, analysed_at = excluded.analysed_at,
                       verdicts_withheld = excluded.verdicts_withheld,
                       contact_timing = excluded.contact_timing""",
                (
                    clean_text(s.athlete),
                    s.recorded_at.isoformat(timespec="seconds"),
                    s.date_source,
                    clean_text(s.clip_path),
                    s.sha256,
                    None if s.report_path is None else clean_text(s.report_path),
                    s.formcheck_version,
                    now,
                    clean_text(s.verdicts_withheld) or None,
                    normal_contact_timing(s.contact_timing),
                ),
            )
            sid = self._db.execute(
                "SELECT id FROM sessions WHERE athlete = ? AND sha256 = ?", (clean_text(s.athlete), s.sha256)
            ).fetchone()[0]
            self._db.execute("DELETE FROM metrics WHERE session_id = ?", (sid,))
            self._db.executemany(
                """INSERT INTO metrics (session_id, metric, value, value_text, unit, verdict, good_band,
                                        interval_low, interval_high)
                   VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    (
                        sid,
                        mid,
                        *_split_value(mv.value),
                        mv.unit,
                        mv.verdict,
                        _band_text(mv.good),
                        *(mv.interval or (None, None)),
                    )
                    for mid, mv in s.metrics.items()
                ],
            )
        return int(sid)

    def remove_clip(self, sha256: str, report_path: str) -> None:
        """Forget the sessions of a recording whose report was replaced (its file changed in place)."""
        try:
            with self._db:
                self._db.execute(
                    "DELETE FROM sessions WHERE sha256 = ? AND report_path = ?",
                    (sha256, clean_text(report_path)),
                )
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def athletes(self) -> list[str]:
        try:
            return [r[0] for r in self._db.execute("SELECT DISTINCT athlete FROM sessions ORDER BY athlete")]
        except sqlite3.Error as e:
            raise database_error(self.path, e) from e

    def sessions_of_clip(self, sha256: str) -> list[Session]:
        """Every session of one recording (by content), whichever athlete it is filed under."""
        try:
            names = [
                r[0]
                for r in self._db.execute("SELECT DISTINCT athlete FROM sessions WHERE sha256 = ?", (sha256,))
            ]
            return [x for a in names for x in self._sessions(a) if x.sha256 == sha256]
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
            """SELECT id, athlete, recorded_at, date_source, clip_path, sha256, report_path, formcheck_version,
                      verdicts_withheld, contact_timing
               FROM sessions WHERE athlete = ? ORDER BY recorded_at, id""",
            (clean_text(athlete),),
        ).fetchall()
        out = []
        for sid, ath, rec, src, clip, sha, report, version, withheld, timing in rows:
            metrics = {
                mid: MetricValue(
                    text if text is not None else value,
                    unit or "",
                    verdict or "n/a",
                    _band_of(band),
                    None if low is None or high is None else (low, high),
                )
                for mid, value, text, unit, verdict, band, low, high in self._db.execute(
                    """SELECT metric, value, value_text, unit, verdict, good_band, interval_low, interval_high
                       FROM metrics WHERE session_id = ?""",
                    (sid,),
                )
            }
            out.append(
                Session(
                    ath,
                    datetime.fromisoformat(rec),
                    clip,
                    sha,
                    metrics,
                    src,
                    report,
                    version,
                    withheld or "",
                    normal_contact_timing(timing),
                )
            )
        return out


def _split_value(value: object) -> tuple[float | None, str | None]:
    if isinstance(value, str):
        return None, value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(float(value)):
        return float(value), None
    return None, None


def _band_text(good: tuple[tuple[float, float], ...] | None) -> str | None:
    """A good band as JSON, infinite ends as null."""
    if good is None:
        return None
    return json.dumps([[None if math.isinf(x) else x for x in iv] for iv in good])


def _band_of(text: str | None) -> tuple[tuple[float, float], ...] | None:
    if text is None:
        return None
    return tuple(
        (-math.inf if lo is None else float(lo), math.inf if hi is None else float(hi))
        for lo, hi in json.loads(text)
    )
