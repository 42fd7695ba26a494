"""The batch roster ``OUTDIR/index.html``: one row per clip (athlete, date, status, headline metrics coloured by
verdict, a link to the clip's report), sortable by clicking a header, then one section per athlete with the
trend plot inline as SVG and the trend table. One self-contained file: no network, opens from disk."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from pathlib import Path

from formcheck.batch.jobs import ClipOutcome
from formcheck.errors import FormcheckError
from formcheck.history import Session, trend
from formcheck.metrics.display import fmt_number
from formcheck.metrics.registry import HISTORY_IDS, label
from formcheck.report.trends import trend_svg
from formcheck.store import Store

log = logging.getLogger(__name__)

_CSS = """
body{margin:0;background:#f6f8fa;color:#1f2328;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,
sans-serif}
main{max-width:1180px;margin:0 auto;padding:16px}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.6em 0 .4em}
.muted{color:#59636e}
.wrap{overflow-x:auto;background:#fff;border:1px solid #d1d9e0;border-radius:10px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:6px 10px;border-bottom:1px solid #e6eaef;text-align:left;white-space:nowrap}
th{background:#eef1f4;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td.err{white-space:normal;color:#c21d2b;min-width:20em;max-width:34em}
.v-good{background:#dafbe1;color:#1a7f37}.v-watch{background:#fff1c2;color:#7d4e00}
.v-flag{background:#ffebe9;color:#c21d2b;font-weight:600}.v-borderline{background:#fff1e5;color:#953800}.v-n\\/a{color:#59636e}
.s-ok{color:#1a7f37}.s-error{color:#c21d2b;font-weight:600}
section.athlete{background:#fff;border:1px solid #d1d9e0;border-radius:10px;padding:8px 14px;margin:14px 0}
svg.plot{width:100%;height:auto;max-width:760px}
"""

# Click a header to sort by it; numbers (data-sort) sort as numbers, empty cells last.
_JS = """
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
      function key(r){var c=r.cells[i];var k=c.getAttribute('data-sort');return k===null?c.textContent.trim():k;}
      rows.sort(function(x,y){
        var a=key(x),c=key(y);if(a===''||c==='')return (a==='')-(c==='');
        var na=Number(a),nc=Number(c);
        var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);
        return asc?r:-r;});
      rows.forEach(function(r){b.appendChild(r);});
    });
  });
});
"""

_svg_cache: dict[tuple, str] = {}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _metric_cell(m: dict | None) -> str:
    if not m:
        return '<td data-sort=""></td>'
    value, unit, verdict = m.get("value"), m.get("unit", ""), m.get("verdict", "n/a")
    sort = "" if value is None else (f"{value}" if isinstance(value, (int, float)) else str(value))
    text = fmt_number(value, unit)
    return f'<td class="v-{_esc(verdict)}" data-sort="{_esc(sort)}" title="{_esc(verdict)}">{_esc(text)}</td>'


def _clip_rows(outcomes: Sequence[ClipOutcome]) -> str:
    rows = []
    for o in outcomes:
        date = o.recorded_at.strftime("%Y-%m-%d %H:%M") if o.recorded_at else ""
        link = f'<a href="{_esc(o.name)}/report.html">{_esc(o.rel)}</a>' if o.ok else _esc(o.rel)
        cells = [
            f"<td>{link}</td>",
            f"<td>{_esc(o.athlete)}</td>",
            f"<td>{_esc(date)}</td>",
            f'<td class="s-{_esc(o.status)}">{_esc(o.status)}</td>',
        ]
        cells += [_metric_cell(o.metrics.get(mid)) if o.ok else "<td></td>" for mid in HISTORY_IDS]
        cells.append(f'<td class="err">{_esc(o.error)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows)


def _trend_svg(athlete: str, sessions: list[Session]) -> str:
    key = (
        athlete,
        tuple(
            (
                s.sha256,
                s.recorded_at,
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


def _athlete_section(athlete: str, sessions: list[Session], outdir: Path) -> str:
    head = "".join(f"<th>{_esc(label(m))}</th>" for m in HISTORY_IDS)
    body = []
    for r in trend(sessions):
        s = r.session
        try:
            href = Path(s.report_path).relative_to(outdir.resolve()).as_posix() if s.report_path else ""
        except ValueError:
            href = Path(s.report_path).as_uri() if s.report_path else ""
        date = s.recorded_at.strftime("%Y-%m-%d %H:%M")
        cells = [f'<td><a href="{_esc(href)}">{_esc(date)}</a></td>' if href else f"<td>{_esc(date)}</td>"]
        for mid in HISTORY_IDS:
            mv = s.metrics.get(mid)
            text = fmt_number(mv.value, mv.unit) if mv else "–"
            change = r.changes.get(mid, "")
            note = f' <span class="muted">({_esc(change)})</span>' if change and change != "n/a" else ""
            cls = f' class="v-{_esc(mv.verdict)}"' if mv else ""
            cells.append(f"<td{cls}>{_esc(text)}{note}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<section class="athlete" id="athlete-{_esc(athlete)}"><h2>{_esc(athlete)} '
        f'<span class="muted">({len(sessions)} session{"s" if len(sessions) != 1 else ""})</span></h2>'
        f"{_trend_svg(athlete, sessions)}"
        f'<div class="wrap"><table><thead><tr><th>date</th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
        '<p class="muted">Changes smaller than the smallest detectable difference, or within the intervals of both sessions, show as '
        '"no real change"; "improved"/"worse" mean toward/away from the good band (shaded).</p></section>'
    )


def roster_html(outcomes: Sequence[ClipOutcome], db_path: str | Path, outdir: str | Path) -> str:
    """The whole ``index.html`` text. Athlete sections come from the history store at ``db_path`` (their
    sessions may include clips of earlier batches that share the database)."""
    outdir = Path(outdir)
    athletes = sorted({o.athlete for o in outcomes if o.ok})
    sections = []
    if athletes and Path(db_path).is_file():
        try:
            with Store(db_path) as store:
                for a in athletes:
                    sessions = store.sessions(a)
                    if sessions:
                        sections.append(_athlete_section(a, sessions, outdir))
        except FormcheckError as e:  # a damaged or locked history: the roster of this batch is still written
            log.info("no athlete trends in the roster: %s", e)
            sections = []
    n_ok = sum(o.ok for o in outcomes)
    head = "".join(f"<th>{_esc(label(m))}</th>" for m in HISTORY_IDS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>formcheck roster</title><style>{_CSS}</style></head>
<body><main>
<h1>formcheck roster</h1>
<p class="muted">{len(outcomes)} clips: {n_ok} analysed, {len(outcomes) - n_ok} failed. Click a column header
to sort. Cells are coloured by verdict: <span class="v-good">good</span> <span class="v-watch">watch</span>
<span class="v-flag">flag</span>.</p>
<div class="wrap"><table class="sortable" id="roster"><thead><tr><th>clip</th><th>athlete</th><th>date</th>
<th>status</th>{head}<th>error</th></tr></thead>
<tbody>
{_clip_rows(outcomes)}
</tbody></table></div>
{"".join(sections)}
<p class="muted">formcheck is not medical advice. Each clip's report explains its verdicts and their sources.</p>
</main><script>{_JS}</script></body></html>
"""
