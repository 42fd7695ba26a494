"""An athlete's history: sessions, the metrics followed across them, and how each moved from one session to the
next. Pure: the SQLite store (formcheck/store.py) keeps sessions, the report draws them (formcheck/report/trends.py).

One **session** is one analysed clip of one athlete. Each metric keeps its value, unit, verdict and the good band
its verdict was judged against (the analysis's own settings). Between two consecutive sessions a change counts only
when it reaches the metric's smallest detectable difference (``MetricSpec.sdd``, METRICS.md section 6) and the two
sessions' 95% intervals do not overlap; anything less is "no real change", never an improvement. A category (foot
strike) has no difference to measure: a change of category counts only when the intervals of the share that decides
it (the share of heel landings, registry ``category_interval``) do not overlap. A metric is compared with the latest
earlier session that has a value for it (a side clip with the side clip before, across a rear clip between them).

A session whose verdicts were withheld (too few usable steps: formcheck/metrics/withheld.py, docs/verdicts.md) is
kept and shown, but its values are no basis for a change either way: it is not compared, and the session after it is
compared with the latest session whose verdicts were given (``TrendRow.passed_over`` names the withheld ones).

A metric read at each foot contact (``MetricSpec.read_at_contact``: overstride) is not compared between two sessions
whose contacts were timed differently (``gait.contact_timing``: the shoe's sole in the picture or the pose's
landmarks): on the same clip the two timings read overstride up to 15 %leg apart (docs/contacts.md, "What moves with
the contacts"), a change of method, not of the runner (``TrendRow.timing_changed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from formcheck.config import Thresholds, settings_from_dict
from formcheck.metrics.registry import HISTORY_IDS, REGISTRY, bands_for, label

Interval = tuple[float, float]

# Sessions recorded before analysis.json carried its settings were judged with formcheck's default bands (the
# command line offers no way to change them), so their good bands are read as those.
LEGACY_THRESHOLDS = Thresholds()

_VERDICT_RANK = {"good": 0, "watch": 1, "borderline": 2, "flag": 3}


@dataclass(frozen=True)
class MetricValue:
    """One metric of a session: a number, a category (str) or None when not measurable; ``good`` is the good
    band its verdict was judged against (None: a session recorded before bands were kept)."""

    value: float | str | None
    unit: str = ""
    verdict: str = "n/a"
    good: tuple[Interval, ...] | None = None
    # The value's 95% interval; for a category, that of the share deciding it (registry ``category_interval``).
    # None: not given, or an older session.
    interval: Interval | None = None


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
    # Why the clip's verdicts were withheld (analysis.json ``steps.verdicts_withheld``), '' when they were given.
    verdicts_withheld: str = ""
    # How the clip's contacts were timed (``contact_timing_of``): "sole" or "landmarks".
    contact_timing: str = "landmarks"

    @property
    def withheld(self) -> bool:
        """The clip's verdicts were withheld: too few usable steps to judge or compare on."""
        return bool(self.verdicts_withheld)


def thresholds_of(doc: Mapping[str, Any]) -> Thresholds | None:
    """The thresholds an ``analysis.json`` document was judged with, or None for a document written before
    formcheck recorded its settings."""
    data = doc.get("settings")
    return settings_from_dict(data).thresholds if isinstance(data, Mapping) else None


def withheld_reason(doc: Mapping[str, Any]) -> str:
    """Why an ``analysis.json`` document's verdicts were withheld (``steps.verdicts_withheld``), '' when they were
    given or the document predates the key."""
    steps = doc.get("steps")
    reason = steps.get("verdicts_withheld") if isinstance(steps, Mapping) else None
    return str(reason) if reason else ""


def contact_timing_of(doc: Mapping[str, Any]) -> str:
    """How an ``analysis.json`` document's contacts were timed: "sole" when the shoe's sole timed them, else
    "landmarks" (the landmarks' timing, the sole refused or not at hand, or a document from before the choice)."""
    steps = doc.get("steps")
    timing = steps.get("contact_timing") if isinstance(steps, Mapping) else None
    return normal_contact_timing(timing)


def normal_contact_timing(timing: object) -> str:
    """``steps.contact_timing`` ("landmarks", "sole", "sole refused: ...", ...) as the history keeps it: "sole" or
    "landmarks"."""
    return "sole" if timing == "sole" else "landmarks"


def metrics_from_analysis(doc: Mapping[str, Any]) -> dict[str, MetricValue]:
    """Every metric of an ``analysis.json`` document as ``MetricValue``s, each with the good band of the
    document's own settings (None when the document has none recorded)."""
    th = thresholds_of(doc)
    out: dict[str, MetricValue] = {}
    for mid, m in (doc.get("metrics") or {}).items():
        if isinstance(m, Mapping):
            bands = None if th is None else bands_for(mid, th)
            spec = REGISTRY.get(mid)
            iv = m.get(spec.category_interval if spec is not None and spec.category_interval else "interval")
            if (
                iv is None
                and spec is not None
                and spec.category_interval
                and _is_number(m.get("verdict_value"))
            ):
                # Written before the category's own key: a category's verdict_value has only ever been the share
                # that decides it (foot strike: of heel landings), with that share's interval as verdict_interval.
                iv = m.get("verdict_interval")
            out[mid] = MetricValue(
                m.get("value"),
                str(m.get("unit") or ""),
                str(m.get("verdict") or "n/a"),
                None if bands is None else bands.good,
                (float(iv[0]), float(iv[1])) if isinstance(iv, (list, tuple)) and len(iv) == 2 else None,
            )
    return out


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def good_band(metric_id: str, mv: MetricValue | None) -> tuple[Interval, ...] | None:
    """The good band ``mv``'s value was judged against; for a session recorded before bands were kept, the
    default band (LEGACY_THRESHOLDS). None for a metric without bands, or whose bands judge another quantity
    than its value (``MetricSpec.verdict_on``)."""
    spec = REGISTRY.get(metric_id)
    if spec is not None and spec.verdict_on:
        return None
    if mv is not None and mv.good is not None:
        return mv.good
    bands = bands_for(metric_id, LEGACY_THRESHOLDS)
    return None if bands is None else bands.good


def _distance_to_good(value: float, good: tuple[Interval, ...] | None) -> float | None:
    if not good:
        return None
    return min(0.0 if lo <= value < hi else min(abs(value - lo), abs(value - hi)) for lo, hi in good)


def _overlap(a: Interval | None, b: Interval | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def compare(metric_id: str, previous: MetricValue | None, current: MetricValue | None) -> str:
    """How a metric moved between two consecutive sessions: ``improved``, ``worse``, ``no real change``,
    ``changed`` (a real change with no direction: both in the good band, or no bands), or ``n/a``. Direction is
    toward or away from the current session's good band; for a category, or a metric whose bands judge another
    quantity than its value (``MetricSpec.verdict_on``), from the change of verdict. A category's change counts only
    when the intervals of the share deciding it do not overlap (side_21's halves: a heel-landing share of 40%,
    interval 0-100%, then midfoot, is no real change); without both intervals it is not compared (``n/a``). A value
    that formcheck gave no verdict (e.g. a clip whose steps were mostly rejected) is not compared: it is not to be
    trusted enough to call a change; nor is a number without a smallest detectable difference (``n/a``)."""
    if previous is None or current is None or previous.value is None or current.value is None:
        return "n/a"
    if "n/a" in (previous.verdict, current.verdict):
        return "n/a"
    a, b = previous.value, current.value
    if isinstance(a, str) or isinstance(b, str):
        return _category_change(metric_id, previous, current)
    spec = REGISTRY.get(metric_id)
    sdd = None if spec is None else spec.sdd
    if sdd is None:
        # No published (or measured) smallest detectable difference: the clips' intervals carry the spread over
        # steps but not the spread between takes (head pitch read 6 and 22 deg on two takes of one runner on one
        # day, side_24/side_25), so a change cannot be told from noise.
        return "n/a"
    if abs(b - a) < sdd.of(a):
        return "no real change"
    if _overlap(previous.interval, current.interval):
        return "no real change"  # each session's value could be the other's: the clips cannot tell them apart
    if spec is not None and spec.verdict_on:
        return _by_verdict(previous, current)
    good = good_band(metric_id, current)
    da, db = _distance_to_good(a, good), _distance_to_good(b, good)
    if da is None or db is None or da == db:
        return "changed"
    return "improved" if db < da else "worse"


def _category_change(metric_id: str, previous: MetricValue, current: MetricValue) -> str:
    """A change of category is real only when the shares that decide it lie apart: their intervals do not overlap.
    A category has no smallest detectable difference of its own; the share's interval is the evidence. A change
    between two categories that the share does not separate (midfoot and forefoot: no heel landing in either) has
    no evidence in it, so it is not compared (``n/a``) rather than called no real change."""
    if previous.value == current.value:
        return "no real change"
    spec = REGISTRY.get(metric_id)
    if (
        spec is not None
        and spec.category_share_of
        and spec.category_share_of not in (previous.value, current.value)
    ):
        return "n/a"
    if previous.interval is None or current.interval is None:
        return "n/a"  # no evidence either way: older sessions, or too few steps for a share's interval
    if _overlap(previous.interval, current.interval):
        return "no real change"
    return _by_verdict(previous, current)


def _by_verdict(previous: MetricValue, current: MetricValue) -> str:
    """A real change told by its verdicts: better, worse, or ``changed`` when the verdict stayed."""
    ra, rb = _VERDICT_RANK.get(previous.verdict), _VERDICT_RANK.get(current.verdict)
    if ra is None or rb is None or ra == rb:
        return "changed"
    return "improved" if rb < ra else "worse"


@dataclass(frozen=True)
class TrendRow:
    """One session in the trend table, with each followed metric and how it moved since the session before.
    ``passed_over``: the sessions with verdicts withheld since the latest one with verdicts, which this one is
    compared with instead (empty for a withheld session itself: it is not compared)."""

    session: Session
    changes: dict[str, str]
    passed_over: tuple[Session, ...] = ()
    compared_with: Session | None = None  # the latest earlier session with verdicts, when ``passed_over``
    # Metrics read at contact not compared because the session they would be compared with timed its contacts the
    # other way (``Session.contact_timing``), with that session.
    timing_changed: tuple[str, ...] = ()
    timing_basis: Session | None = None


def trend(sessions: Iterable[Session]) -> list[TrendRow]:
    """Sessions oldest first, each metric with ``compare`` against the latest earlier session that measured it
    (the first one: ``""``). Not simply the session before: a rear clip between two side clips reads the side
    measures as not measurable, and the side clip after it is compared with the side clip before. A session whose
    verdicts were withheld is neither compared (every change ``n/a``) nor compared against: the next one is compared
    with the latest session whose verdicts were given."""
    rows: list[TrendRow] = []
    latest: dict[str, tuple[MetricValue, Session]] = {}  # metric id -> its value in the latest sound session
    latest_sound: Session | None = None
    passed: list[Session] = []  # withheld sessions since ``latest_sound``
    for s in sorted(sessions, key=lambda s: s.recorded_at):
        if s.withheld:
            rows.append(TrendRow(s, {mid: "" if not rows else "n/a" for mid in HISTORY_IDS}))
            passed.append(s)
            continue
        changes: dict[str, str] = {}
        timing_changed: list[str] = []
        timing_basis: Session | None = None
        for mid in HISTORY_IDS:
            before = latest.get(mid)
            if not rows:
                changes[mid] = ""
            elif before is not None and _timing_differs(mid, before[1], s):
                changes[mid] = "n/a"
                timing_changed.append(mid)
                timing_basis = before[1]
            else:
                changes[mid] = compare(mid, None if before is None else before[0], s.metrics.get(mid))
        rows.append(
            TrendRow(
                s,
                changes,
                tuple(passed),
                latest_sound if passed else None,
                tuple(timing_changed),
                timing_basis,
            )
        )
        passed, latest_sound = [], s
        for mid in HISTORY_IDS:
            mv = s.metrics.get(mid)
            if mv is not None and mv.value is not None:
                latest[mid] = (mv, s)
    return rows


def _timing_differs(metric_id: str, previous: Session, current: Session) -> bool:
    """The metric is read at contact and the two sessions timed their contacts differently."""
    spec = REGISTRY.get(metric_id)
    return spec is not None and spec.read_at_contact and previous.contact_timing != current.contact_timing


TIMING_WORDS = {"sole": "from the shoe's sole in the picture", "landmarks": "from the pose's landmarks"}


def timing_note(r: TrendRow) -> str:
    """Why a session's metrics read at contact were not compared (``TrendRow.timing_changed``), '' otherwise."""
    if not r.timing_changed or r.timing_basis is None:
        return ""
    names = ", ".join(label(m) for m in r.timing_changed)
    return (
        f"{names} not compared with {r.timing_basis.recorded_at:%Y-%m-%d %H:%M}: its contacts were timed "
        f"{TIMING_WORDS.get(r.timing_basis.contact_timing, r.timing_basis.contact_timing)}, this clip's "
        f"{TIMING_WORDS.get(r.session.contact_timing, r.session.contact_timing)} (a change of method, not of the "
        "runner)"
    )


WITHHELD_NOTE = "verdicts withheld: too few usable steps"


def trend_notes(rows: Iterable[TrendRow]) -> list[str]:
    """One plain line per session whose verdicts were withheld, per session compared across such sessions with an
    earlier one, and per session whose metrics read at contact were not compared (contacts timed another way): what a reader of the table needs to know why a session was not compared."""
    out = []
    for r in rows:
        day = f"{r.session.recorded_at:%Y-%m-%d %H:%M}"
        if r.session.withheld:
            out.append(f"{day}: {WITHHELD_NOTE} ({r.session.verdicts_withheld}); its values are not compared")
        elif r.passed_over:
            skipped = ", ".join(f"{p.recorded_at:%Y-%m-%d %H:%M}" for p in r.passed_over)
            basis = (
                f"compared with {r.compared_with.recorded_at:%Y-%m-%d %H:%M} (the latest session with verdicts)"
                if r.compared_with is not None
                else "not compared: no earlier session has verdicts"
            )
            out.append(f"{day}: {basis}, not with {skipped} (verdicts withheld)")
        if r.timing_changed:
            out.append(f"{day}: {timing_note(r)}")
    return out


def format_trend_table(rows: list[TrendRow]) -> str:
    """The trend table as plain text: date, then each followed metric with its change since the latest earlier
    session that measured it; a session whose verdicts were withheld has "(withheld)" after its date
    (``trend_notes`` says why)."""
    head = ["date", *(label(m) for m in HISTORY_IDS)]
    body = []
    for r in rows:
        cells = [
            r.session.recorded_at.strftime("%Y-%m-%d %H:%M") + (" (withheld)" if r.session.withheld else "")
        ]
        for mid in HISTORY_IDS:
            mv = r.session.metrics.get(mid)
            text = REGISTRY[mid].format(mv.value, mv.unit) if mv is not None else "–"
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
