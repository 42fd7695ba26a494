"""Two-view sessions in a batch: a side clip and a rear (or front) clip of the same athlete on the same day are one
run filmed twice; each such pair gets the session report of ``formcheck analyze SIDE REAR --session``
(formcheck/session.py) in ``OUTDIR/<side clip>+<other clip>/``, linked from the roster.

Pairs are taken over every clip of the output folder (all runs), so a rear clip added by a later batch pairs with
the side clip of an earlier one. A pair that cannot be written (a clip folder changed by hand) is logged and
skipped: a batch never fails for a session page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.ledger import read_clip
from formcheck.errors import FormcheckError
from formcheck.session import ClipRecord, pair_views, session_name, write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionLink:
    """One written session, as the roster lists it."""

    athlete: str
    date: str  # YYYY-MM-DD
    side_clip: str  # clip folder names
    other_clip: str
    href: str  # the session report, relative to OUTDIR


def clip_records(outdir: Path, clips: Iterable[ClipOutcome]) -> list[ClipRecord]:
    """The analysed clips of OUTDIR with their athlete, recording day and view (from their analysis.json)."""
    records = []
    for o in clips:
        if not o.ok or o.recorded_at is None:
            continue
        doc = read_clip(outdir, o.name)
        if doc is None or doc.get("view") not in ("side", "rear", "front"):
            continue
        records.append(ClipRecord(outdir / o.name, o.athlete, o.recorded_at.date(), str(doc["view"])))
    return sorted(records, key=lambda r: (r.athlete, str(r.date), str(r.clip_dir)))


def write_two_view_sessions(outdir: Path, clips: Iterable[ClipOutcome]) -> list[SessionLink]:
    """Write the session report of every side + rear/front pair of one athlete and day; returns those written."""
    links = []
    for side, other in pair_views(clip_records(outdir, clips)):
        name = session_name(side.clip_dir, other.clip_dir)
        try:
            write_session(side.clip_dir, other.clip_dir, outdir / name)
        except FormcheckError as e:
            log.warning("no session report for %s: %s", name, e)
            continue
        links.append(
            SessionLink(
                side.athlete,
                str(side.date),
                Path(side.clip_dir).name,
                Path(other.clip_dir).name,
                f"{name}/report.html",
            )
        )
    return links
