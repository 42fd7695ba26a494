"""Who needs attention first: each athlete's sessions, failed clips and the verdicts of their latest session with
verdicts (a session whose verdicts were withheld is no basis for it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from formcheck.batch.jobs import ClipOutcome
from formcheck.history import Session


@dataclass(frozen=True)
class AthleteSummary:
    """One athlete on the roster: sessions oldest first, failed clips, and the latest session's verdicts."""

    athlete: str
    sessions: list[Session]
    failed: list[ClipOutcome]
    flags: int = 0
    borderline: int = 0
    watch: int = 0

    @property
    def latest(self) -> Session | None:
        return self.sessions[-1] if self.sessions else None

    @property
    def latest_judged(self) -> Session | None:
        """The latest session whose verdicts were given, None when every one was withheld."""
        return next((x for x in reversed(self.sessions) if not x.withheld), None)

    @property
    def latest_withheld(self) -> bool:
        """The latest session's verdicts were withheld: the counts are those of the latest one with verdicts."""
        return self.latest is not None and self.latest.withheld

    @property
    def attention(self) -> tuple[int, int, int]:
        """Sort key, largest first: flags, then borderline and watch verdicts, then failed clips."""
        return (self.flags, self.borderline + self.watch, len(self.failed))


def summarize(
    sessions: Mapping[str, Sequence[Session]], clips: Sequence[ClipOutcome]
) -> list[AthleteSummary]:
    """Every athlete with sessions or failed clips, the one needing attention first (then by name); the verdicts
    counted are those of the athlete's latest session with verdicts (a clip whose verdicts were withheld has only
    ``n/a``: it would read as all good)."""
    names = set(sessions) | {o.athlete for o in clips}
    out = []
    for a in names:
        ss = sorted(sessions.get(a, ()), key=lambda s: s.recorded_at)
        judged = [s for s in ss if not s.withheld]
        verdicts = [mv.verdict for mv in judged[-1].metrics.values()] if judged else []
        out.append(
            AthleteSummary(
                a,
                ss,
                [o for o in clips if o.athlete == a and not o.ok],
                verdicts.count("flag"),
                verdicts.count("borderline"),
                verdicts.count("watch"),
            )
        )
    return sorted(out, key=lambda s: (tuple(-x for x in s.attention), s.athlete.lower()))
