"""Two-view sessions in a batch: a side clip and a rear (or front) clip of the same named athlete on the same day,
whose cadences agree within cadence's smallest detectable difference, are one run filmed twice (clips of athlete
``unknown`` never pair: nobody said who is in them); each such pair gets the session report of ``formcheck analyze
SIDE REAR --session`` (formcheck/session.py) in ``OUTDIR/<side clip>+<other clip>/``, linked from the roster.

Pairs are taken over every clip of the output folder (all runs), so a rear clip added by a later batch pairs with
the side clip of an earlier one. A pair that cannot be written (a clip folder changed by hand) is logged and
skipped: a batch never fails for a session page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from formcheck.batch.constants import UNKNOWN_ATHLETE
from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.ledger import read_clip
from formcheck.errors import FormcheckError
from formcheck.session import ClipRecord, cadence_check, pair_views, session_name, write_session

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
    """The analysed clips of OUTDIR with their athlete, recording day and view (from their analysis.json). Clips of
    athlete ``unknown`` are left out: nobody said who is in them, and two runners filmed the same day would pair."""
    records = []
    for o in clips:
        if not o.ok or o.recorded_at is None or o.athlete in ("", UNKNOWN_ATHLETE):
            continue
        doc = read_clip(outdir, o.name)
        if doc is None or doc.get("view") not in ("side", "rear", "front"):
            continue
        records.append(ClipRecord(outdir / o.name, o.athlete, o.recorded_at.date(), str(doc["view"])))
    return sorted(records, key=lambda r: (r.athlete, str(r.date), str(r.clip_dir)))


def same_run_pairs(outdir: Path, records: Sequence[ClipRecord]) -> list[tuple[ClipRecord, ClipRecord]]:
    """The (side, rear-or-front) pairs of one athlete and day (``session.pair_views``) whose cadences agree within
    cadence's smallest detectable difference (``session.cadence_check``): a name and a day (often only the file's
    copy date) are weak evidence of one run, a cadence that differs by more is a sign of two runs or two runners;
    a clip without a cadence pairs with none."""
    docs = {str(r.clip_dir): read_clip(outdir, Path(r.clip_dir).name) or {} for r in records}

    def same_run(side: ClipRecord, other: ClipRecord) -> bool:
        check = cadence_check(docs[str(side.clip_dir)], docs[str(other.clip_dir)])
        return check is not None and bool(check["agree"])

    return pair_views(records, same_run)


def write_two_view_sessions(outdir: Path, clips: Iterable[ClipOutcome]) -> list[SessionLink]:
    """Write the session report of every side + rear/front pair of one athlete and day whose cadences agree;
    returns those written."""
    links = []
    for side, other in same_run_pairs(outdir, clip_records(outdir, clips)):
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
