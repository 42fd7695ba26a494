"""``OUTDIR/index.html``: the athletes, the one needing attention first, the runs filmed from two views, then every
clip (sortable, cells coloured by verdict, failed clips with their reason)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.roster_files import ROSTER_CSV, athlete_href
from formcheck.batch.roster_html import counts_html, esc, page_html, when
from formcheck.batch.roster_summary import AthleteSummary
from formcheck.batch.sessions import SessionLink
from formcheck.metrics.display import fmt_number
from formcheck.metrics.registry import HISTORY_IDS, label
from formcheck.report.session_html import url_path


def _metric_cell(m: dict | None) -> str:
    """A metric's cell: its value, coloured by its verdict, sorting by the number."""
    if not m:
        return '<td data-sort=""></td>'
    value, unit, verdict = m.get("value"), m.get("unit", ""), m.get("verdict", "n/a")
    sort = "" if value is None else (f"{value}" if isinstance(value, (int, float)) else str(value))
    text = fmt_number(value, unit)
    return f'<td class="v-{esc(verdict)}" data-sort="{esc(sort)}" title="{esc(verdict)}">{esc(text)}</td>'


def _clip_rows(outcomes: Sequence[ClipOutcome], pages: Mapping[str, str]) -> str:
    """One row per clip: its report, athlete, date, status, headline values and error."""
    rows = []
    for o in outcomes:
        date = when(o.recorded_at) if o.recorded_at else ""
        link = f'<a href="{esc(o.name)}/report.html">{esc(o.rel)}</a>' if o.ok else esc(o.rel)
        page = f'<a href="{esc(athlete_href(o.athlete, pages))}">{esc(o.athlete)}</a>'
        cells = [
            f"<td>{link}</td>",
            f"<td>{page}</td>",
            f"<td>{esc(date)}</td>",
            f'<td class="s-{esc(o.status)}">{esc(o.status)}</td>',
        ]
        cells += [_metric_cell(o.metrics.get(mid)) if o.ok else "<td></td>" for mid in HISTORY_IDS]
        cells.append(f'<td class="err">{esc(o.error)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows)


def _two_view_section(two_view: Sequence[SessionLink], pages: Mapping[str, str]) -> str:
    """Runs filmed from the side and from behind (or in front) on one day, each with its session report."""
    if not two_view:
        return ""
    items = "".join(
        f'<li><a href="{esc(url_path(s.href))}">{esc(s.athlete)}, {esc(s.date)}</a>'
        f'<span class="muted"> ({esc(s.side_clip)} + {esc(s.other_clip)})</span></li>'
        for s in two_view
    )
    return (
        '<h2>Runs filmed from two views</h2>\n<p class="muted">A side clip and a rear or front clip of one '
        "athlete on one day, in one report: every headline measure from the view that measures it.</p>\n"
        f"<ul>{items}</ul>"
    )


def index_html(
    summaries: Sequence[AthleteSummary],
    clips: Sequence[ClipOutcome],
    pages: Mapping[str, str],
    two_view: Sequence[SessionLink] = (),
) -> str:
    """The whole ``index.html``: athletes by attention, the runs filmed from two views, then every clip."""
    rows = []
    for s in summaries:
        latest = s.latest.recorded_at.strftime("%Y-%m-%d") if s.latest else ""
        failed = f'<span class="s-error">{len(s.failed)}</span>' if s.failed else "0"
        rows.append(
            f'<tr><td><a href="{esc(athlete_href(s.athlete, pages))}">{esc(s.athlete)}</a>'
            f'<div class="muted">{len(s.sessions)} session{"s" if len(s.sessions) != 1 else ""}</div></td>'
            f"<td>{counts_html(s)}</td><td>{esc(latest)}</td><td>{failed}</td></tr>"
        )
    n_ok = sum(o.ok for o in clips)
    head = "".join(f"<th>{esc(label(m))}</th>" for m in HISTORY_IDS)
    body = f"""<h1>formcheck roster</h1>
<p class="muted">{len(summaries)} athlete{"" if len(summaries) == 1 else "s"}, {len(clips)} clip{"" if len(clips) == 1 else "s"}: {n_ok} analysed, {len(clips) - n_ok} failed.
Export: <a href="{ROSTER_CSV}">{ROSTER_CSV}</a>, <a href="summary.csv">summary.csv</a>.</p>
<h2>Athletes, who needs attention first</h2>
<p class="muted">Ordered by the verdicts of each athlete's latest session with verdicts (not one whose verdicts
were withheld for too few usable steps): flags first, then borderline and watch, then failed clips.</p>
<div class="wrap"><table id="athletes"><thead><tr><th>athlete</th><th>latest session</th><th>date</th>
<th>failed</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></div>
{_two_view_section(two_view, pages)}
<h2>Every clip</h2>
<p class="muted">Click a column header to sort. Cells are coloured by verdict: <span class="v-good">good</span>
<span class="v-watch">watch</span> <span class="v-borderline">borderline</span> <span class="v-flag">flag</span>.</p>
<div class="wrap"><table class="sortable" id="roster"><thead><tr><th>clip</th><th>athlete</th><th>date</th>
<th>status</th>{head}<th>error</th></tr></thead>
<tbody>
{_clip_rows(clips, pages)}
</tbody></table></div>"""
    return page_html("formcheck roster", body, sortable=True)
