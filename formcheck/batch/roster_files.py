"""The roster's files in OUTDIR: their names, each athlete's page name, and the mark that tells a file a batch
wrote from a coach's own (which is never overwritten nor removed)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

ATHLETES_DIR = "athletes"
ROSTER_CSV = "roster.csv"
# What marks a file of OUTDIR as one a batch wrote: the pages' generator meta, the tables' first columns. A file
# without it (a coach's own roster.csv) is never overwritten nor removed.
PAGE_MARK = '<meta name="generator" content="formcheck">'
TABLE_HEADERS = ("athlete,sessions,latest_date,", "athlete,date,date_source,clip,report")


def athlete_stems(athletes: Iterable[str]) -> dict[str, str]:
    """Each athlete's page name (without ``.html``/``.csv``): safe characters only, unique without case."""
    base = {a: re.sub(r"[^A-Za-z0-9._-]+", "_", a).strip("._") or "athlete" for a in athletes}
    counts: dict[str, int] = {}
    for stem in base.values():
        counts[stem.lower()] = counts.get(stem.lower(), 0) + 1
    return {
        a: stem if counts[stem.lower()] == 1 else f"{stem}-{hashlib.sha1(a.encode()).hexdigest()[:6]}"
        for a, stem in base.items()
    }


def written_by_formcheck(path: Path) -> bool:
    """``path`` is a regular file carrying formcheck's mark for its kind (PAGE_MARK in a page, one of
    TABLE_HEADERS as a table's first line); False for anything else, a symlink included."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8-sig", "replace")
    except OSError:
        return False
    if path.suffix == ".csv":
        return head.startswith(TABLE_HEADERS)
    return path.suffix == ".html" and PAGE_MARK in head


def athlete_href(athlete: str, pages: Mapping[str, str], prefix: str = "") -> str:
    """The link to the athlete's page (``pages``: ``athlete_stems``), from OUTDIR or with ``prefix`` before it."""
    return f"{prefix}{ATHLETES_DIR}/{pages.get(athlete, 'athlete')}.html"
