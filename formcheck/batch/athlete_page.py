"""``OUTDIR/athletes/<name>.html``: one athlete's trend plot (inline SVG, from two sessions; one session is a
table), every session with its change since the one before and a link to its report, and the failed clips."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from formcheck.batch.constants import INDEX_NAME
from formcheck.batch.roster_files import ATHLETES_DIR
from formcheck.batch.roster_html import counts_html, esc, page_html, when
from formcheck.batch.roster_summary import AthleteSummary
from formcheck.history import TIMING_WORDS, WITHHELD_NOTE, Session, TrendRow, timing_note, trend
from formcheck.metrics.display import fmt_number
from formcheck.metrics.registry import HISTORY_IDS, label
from formcheck.report.trends import trend_svg

_svg_cache: dict[tuple, str] = {}  # the trend plots drawn, by athlete and what they plot


def _trend_svg(athlete: str, sessions: list[Session]) -> str:
    """The athlete's trend plot, drawn once for the same sessions (a batch rewrites the pages after every clip)."""
    key = (
        athlete,
        tuple(
            (
                s.sha256,
                s.recorded_at,
                s.verdicts_withheld,
                tuple(sorted((k, v.value, v.verdict) for k, v in s.metrics.items() if k in HISTORY_IDS)),
            )
            for s in sessions
        ),
    )
    if key not in _svg_cache:
        if len(_svg_cache) > 256:
            _svg_cache.clear()
        _svg_cache[key] = trend_svg(sessions, athlete)
    return _svg_cache[key]


def report_href(s: Session, outdir: Path) -> str:
    """The link from an athlete's page to the session's report: relative inside OUTDIR, a file URI outside it, ""
    when there is none."""
    if not s.report_path:
        return ""
    report = Path(s.report_path)
    try:
        report.relative_to(outdir.resolve())
    except ValueError:
        return report.as_uri() if report.is_absolute() else ""
    return Path(os.path.relpath(report, (outdir / ATHLETES_DIR).resolve())).as_posix()


def _one_session(s: Session, href: str) -> str:
    """An athlete's only session as a table of its values and verdicts."""
    rows = []
    for mid in HISTORY_IDS:
        mv = s.metrics.get(mid)
        if mv is None or mv.value is None:
            continue
        rows.append(
            f'<tr><th scope="row">{esc(label(mid))}</th><td class="v-{esc(mv.verdict)}">'
            f"{esc(fmt_number(mv.value, mv.unit))}</td><td>{esc(mv.verdict)}</td></tr>"
        )
    date = when(s.recorded_at)
    link = f'<a href="{esc(href)}">{esc(date)}</a>' if href else esc(date)
    withheld = (
        f'<p class="muted">{esc(WITHHELD_NOTE.capitalize())} ({esc(s.verdicts_withheld)}): the values are '
        "measured, not judged.</p>"
        if s.withheld
        else ""
    )
    return (
        f"<h2>The session of {link}</h2>{withheld}"
        '<p class="muted">One session so far: trends appear from the second one.</p>'
        '<div class="wrap"><table class="one"><thead><tr><th>metric</th><th>value</th><th>verdict</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _sessions_table(sessions: Sequence[Session], outdir: Path) -> str:
    """Every session, latest first, each value with its change since the session it is compared with."""
    head = "".join(f"<th>{esc(label(m))}</th>" for m in HISTORY_IDS)
    body = []
    for r in reversed(trend(sessions)):  # latest first
        s = r.session
        href = report_href(s, outdir)
        date = when(s.recorded_at)
        day = f'<a href="{esc(href)}">{esc(date)}</a>' if href else esc(date)
        cells = [f"<td>{day}{session_note(r)}</td>"]
        for mid in HISTORY_IDS:
            mv = s.metrics.get(mid)
            text = fmt_number(mv.value, mv.unit) if mv else "–"
            change = r.changes.get(mid, "")
            note = f' <span class="muted">({esc(change)})</span>' if change and change != "n/a" else ""
            cls = f' class="v-{esc(mv.verdict)}"' if mv else ""
            cells.append(f"<td{cls}>{esc(text)}{note}</td>")
        body.append(('<tr class="withheld">' if s.withheld else "<tr>") + "".join(cells) + "</tr>")
    return (
        "<h2>Every session, latest first</h2>"
        f'<div class="wrap"><table><thead><tr><th>date</th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
        '<p class="muted">Changes smaller than the smallest detectable difference, or within the intervals of both '
        'sessions, show as "no real change"; "improved"/"worse" mean toward/away from the good band (shaded). A '
        "session whose verdicts were withheld (too few usable steps; a hollow marker in the plot) is not compared: "
        "the next one is compared with the latest session with verdicts. Measures read at each landing (overstride) "
        "are not compared between sessions whose landings were timed differently (from the shoe's sole or from the "
        "pose's landmarks): that difference is the method's, not the runner's.</p>"
    )


def session_note(r: TrendRow) -> str:
    """Under a session's date: its verdicts were withheld (the reason on hover), which session it was compared
    with instead of withheld ones, and which metrics were not compared because the contacts were timed another way
    (the full sentence on hover)."""
    if r.session.withheld:
        return f'<div class="note" title="{esc(r.session.verdicts_withheld)}">{esc(WITHHELD_NOTE)}</div>'
    notes = []
    if r.passed_over:
        basis = r.compared_with
        text = (
            f"compared with {when(basis.recorded_at)}" if basis is not None else "nothing earlier to compare"
        )
        notes.append(f'<div class="note">{esc(text)}</div>')
    if r.timing_changed:
        names = ", ".join(label(m) for m in r.timing_changed)
        notes.append(
            f'<div class="note" title="{esc(timing_note(r))}">{esc(names)} not compared: contacts timed '
            f"{esc(TIMING_WORDS.get(r.session.contact_timing, r.session.contact_timing))}</div>"
        )
    return "".join(notes)


def athlete_html(s: AthleteSummary, outdir: Path, stem: str) -> str:
    """``athletes/<stem>.html``: the athlete's trend, sessions and failed clips."""
    parts = [
        f'<nav><a href="../{INDEX_NAME}">&larr; roster</a> · <a href="{esc(stem)}.csv">sessions as CSV</a></nav>',
        f"<h1>{esc(s.athlete)}</h1>",
        f"<p>{len(s.sessions)} session{'s' if len(s.sessions) != 1 else ''}"
        + (f", latest {s.latest.recorded_at:%Y-%m-%d}: " if s.latest else ": ")
        + f"{counts_html(s)}</p>",
    ]
    if len(s.sessions) >= 2:
        parts.append(
            f"<figure><figcaption>Trends of {esc(s.athlete)}</figcaption>"
            f"{_trend_svg(s.athlete, s.sessions)}</figure>"
        )
        parts.append(_sessions_table(s.sessions, outdir))
    elif s.sessions:
        parts.append(_one_session(s.sessions[0], report_href(s.sessions[0], outdir)))
    if s.failed:
        items = "".join(f"<li><strong>{esc(o.rel)}</strong>: {esc(o.error)}</li>" for o in s.failed)
        parts.append(f'<h2>Clips that could not be analysed</h2><ul class="failed">{items}</ul>')
    return page_html(f"formcheck: {s.athlete}", "\n".join(parts))
