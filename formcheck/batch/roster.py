"""The batch's pages: ``OUTDIR/index.html`` lists the athletes, the one needing attention first (most flags in
their latest session, then borderline and watch verdicts, then failed clips), then every clip (sortable, cells
coloured by verdict, failed clips with their reason); ``OUTDIR/athletes/<name>.html`` is one athlete's page: the
trend plot as inline SVG (two sessions or more; one session is a table), every session with its change since the
one before and a link to its report, and the athlete's failed clips. A session whose verdicts were withheld (too few
usable steps) is shown apart (a hollow marker, a marked row) and is no basis for a change nor for who needs
attention: the athlete's latest session with verdicts is. Self-contained files: no network, open from
disk. ``roster.csv`` and ``athletes/<name>.csv`` carry the same as tables."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from formcheck.batch.constants import INDEX_NAME
from formcheck.batch.jobs import ClipOutcome
from formcheck.batch.sessions import SessionLink
from formcheck.files import write_text_atomic
from formcheck.history import TIMING_WORDS, WITHHELD_NOTE, Session, TrendRow, timing_note, trend
from formcheck.metrics.display import fmt_number
from formcheck.metrics.registry import HISTORY_IDS, label
from formcheck.report.history_csv import sessions_csv
from formcheck.report.session_html import url_path
from formcheck.report.trends import trend_svg
from formcheck.safe_text import csv_cell

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
a{color:#0969da}nav{margin:4px 0 10px}ul.failed li{overflow-wrap:anywhere}
figure{margin:8px 0}figcaption{font-weight:600;margin-bottom:4px}
#athletes td{white-space:normal}#athletes td:first-child{overflow-wrap:anywhere;min-width:5em}
#athletes th,#athletes td{padding:6px 8px}#athletes td span{white-space:nowrap;line-height:1.7}table.one{width:auto;min-width:min(100%,26em)}
tr.withheld td{background:#f6f8fa;font-style:italic}tr.withheld td:first-child{font-style:normal}
.note{font-size:.85em;color:#59636e;white-space:normal}#athletes td span.note{white-space:normal}
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


def when(d: datetime) -> str:
    """A recording date as people read it: the time only when one is known (not midnight)."""
    return f"{d:%Y-%m-%d}" if (d.hour, d.minute, d.second) == (0, 0, 0) else f"{d:%Y-%m-%d %H:%M}"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _metric_cell(m: dict | None) -> str:
    if not m:
        return '<td data-sort=""></td>'
    value, unit, verdict = m.get("value"), m.get("unit", ""), m.get("verdict", "n/a")
    sort = "" if value is None else (f"{value}" if isinstance(value, (int, float)) else str(value))
    text = fmt_number(value, unit)
    return f'<td class="v-{_esc(verdict)}" data-sort="{_esc(sort)}" title="{_esc(verdict)}">{_esc(text)}</td>'


def _clip_rows(outcomes: Sequence[ClipOutcome], pages: Mapping[str, str]) -> str:
    rows = []
    for o in outcomes:
        date = when(o.recorded_at) if o.recorded_at else ""
        link = f'<a href="{_esc(o.name)}/report.html">{_esc(o.rel)}</a>' if o.ok else _esc(o.rel)
        page = f'<a href="{_esc(athlete_href(o.athlete, pages))}">{_esc(o.athlete)}</a>'
        cells = [
            f"<td>{link}</td>",
            f"<td>{page}</td>",
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


ATHLETES_DIR = "athletes"
ROSTER_CSV = "roster.csv"
# What marks a file of OUTDIR as one a batch wrote: the pages' generator meta, the tables' first columns. A file
# without it (a coach's own roster.csv) is never overwritten nor removed.
PAGE_MARK = '<meta name="generator" content="formcheck">'
TABLE_HEADERS = ("athlete,sessions,latest_date,", "athlete,date,date_source,clip,report")
_NOT_OURS = "\0not written by formcheck"  # in ``written``: a file left alone (warned once)
_DISCLAIMER = "formcheck is not medical advice. Each clip's report explains its verdicts and their sources."


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
    return f"{prefix}{ATHLETES_DIR}/{pages.get(athlete, 'athlete')}.html"


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


def _page(title: str, body: str, sortable: bool = False) -> str:
    script = f"<script>{_JS}</script>" if sortable else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="formcheck">
<title>{_esc(title)}</title><style>{_CSS}</style></head>
<body><main>
{body}
<p class="muted">{_DISCLAIMER}</p>
</main>{script}</body></html>
"""


def _counts(s: AthleteSummary) -> str:
    if s.latest is None:
        return '<span class="muted">no analysed clip</span>'
    parts = [
        f'<span class="v-{cls}">{n} {cls}</span>'
        for cls, n in (("flag", s.flags), ("borderline", s.borderline), ("watch", s.watch))
        if n
    ]
    judged = s.latest_judged
    if judged is None:
        return f'<span class="muted note">{WITHHELD_NOTE}</span>'
    counts = " ".join(parts) or '<span class="v-good">all good</span>'
    if s.latest_withheld:  # the counts are of an earlier session: say so
        return (
            f'<span class="muted note">{WITHHELD_NOTE}; the latest session with verdicts '
            f"({_esc(when(judged.recorded_at))}):</span> {counts}"
        )
    return counts


def _two_view_section(two_view: Sequence[SessionLink], pages: Mapping[str, str]) -> str:
    """Runs filmed from the side and from behind (or in front) on one day, each with its session report."""
    if not two_view:
        return ""
    items = "".join(
        f'<li><a href="{_esc(url_path(s.href))}">{_esc(s.athlete)}, {_esc(s.date)}</a>'
        f'<span class="muted"> ({_esc(s.side_clip)} + {_esc(s.other_clip)})</span></li>'
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
            f'<tr><td><a href="{_esc(athlete_href(s.athlete, pages))}">{_esc(s.athlete)}</a>'
            f'<div class="muted">{len(s.sessions)} session{"s" if len(s.sessions) != 1 else ""}</div></td>'
            f"<td>{_counts(s)}</td><td>{_esc(latest)}</td><td>{failed}</td></tr>"
        )
    n_ok = sum(o.ok for o in clips)
    head = "".join(f"<th>{_esc(label(m))}</th>" for m in HISTORY_IDS)
    body = f"""<h1>formcheck roster</h1>
<p class="muted">{len(summaries)} athletes, {len(clips)} clips: {n_ok} analysed, {len(clips) - n_ok} failed.
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
    return _page("formcheck roster", body, sortable=True)


def _report_href(s: Session, outdir: Path) -> str:
    if not s.report_path:
        return ""
    report = Path(s.report_path)
    try:
        report.relative_to(outdir.resolve())
    except ValueError:
        return report.as_uri() if report.is_absolute() else ""
    return Path(os.path.relpath(report, (outdir / ATHLETES_DIR).resolve())).as_posix()


def _one_session(s: Session, href: str) -> str:
    rows = []
    for mid in HISTORY_IDS:
        mv = s.metrics.get(mid)
        if mv is None or mv.value is None:
            continue
        rows.append(
            f'<tr><th scope="row">{_esc(label(mid))}</th><td class="v-{_esc(mv.verdict)}">'
            f"{_esc(fmt_number(mv.value, mv.unit))}</td><td>{_esc(mv.verdict)}</td></tr>"
        )
    date = when(s.recorded_at)
    link = f'<a href="{_esc(href)}">{_esc(date)}</a>' if href else _esc(date)
    withheld = (
        f'<p class="muted">{_esc(WITHHELD_NOTE.capitalize())} ({_esc(s.verdicts_withheld)}): the values are '
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
    head = "".join(f"<th>{_esc(label(m))}</th>" for m in HISTORY_IDS)
    body = []
    for r in reversed(trend(sessions)):  # latest first
        s = r.session
        href = _report_href(s, outdir)
        date = when(s.recorded_at)
        day = f'<a href="{_esc(href)}">{_esc(date)}</a>' if href else _esc(date)
        cells = [f"<td>{day}{_session_note(r)}</td>"]
        for mid in HISTORY_IDS:
            mv = s.metrics.get(mid)
            text = fmt_number(mv.value, mv.unit) if mv else "–"
            change = r.changes.get(mid, "")
            note = f' <span class="muted">({_esc(change)})</span>' if change and change != "n/a" else ""
            cls = f' class="v-{_esc(mv.verdict)}"' if mv else ""
            cells.append(f"<td{cls}>{_esc(text)}{note}</td>")
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


def _session_note(r: TrendRow) -> str:
    """Under a session's date: its verdicts were withheld (the reason on hover), which session it was compared
    with instead of withheld ones, and which metrics were not compared because the contacts were timed another way
    (the full sentence on hover)."""
    if r.session.withheld:
        return f'<div class="note" title="{_esc(r.session.verdicts_withheld)}">{_esc(WITHHELD_NOTE)}</div>'
    notes = []
    if r.passed_over:
        basis = r.compared_with
        text = (
            f"compared with {when(basis.recorded_at)}" if basis is not None else "nothing earlier to compare"
        )
        notes.append(f'<div class="note">{_esc(text)}</div>')
    if r.timing_changed:
        names = ", ".join(label(m) for m in r.timing_changed)
        notes.append(
            f'<div class="note" title="{_esc(timing_note(r))}">{_esc(names)} not compared: contacts timed '
            f"{_esc(TIMING_WORDS.get(r.session.contact_timing, r.session.contact_timing))}</div>"
        )
    return "".join(notes)


def athlete_html(s: AthleteSummary, outdir: Path, stem: str) -> str:
    """``athletes/<stem>.html``: the athlete's trend, sessions and failed clips."""
    parts = [
        f'<nav><a href="../{INDEX_NAME}">&larr; roster</a> · <a href="{_esc(stem)}.csv">sessions as CSV</a></nav>',
        f"<h1>{_esc(s.athlete)}</h1>",
        f"<p>{len(s.sessions)} session{'s' if len(s.sessions) != 1 else ''}"
        + (f", latest {s.latest.recorded_at:%Y-%m-%d}: " if s.latest else ": ")
        + f"{_counts(s)}</p>",
    ]
    if len(s.sessions) >= 2:
        parts.append(
            f"<figure><figcaption>Trends of {_esc(s.athlete)}</figcaption>"
            f"{_trend_svg(s.athlete, s.sessions)}</figure>"
        )
        parts.append(_sessions_table(s.sessions, outdir))
    elif s.sessions:
        parts.append(_one_session(s.sessions[0], _report_href(s.sessions[0], outdir)))
    if s.failed:
        items = "".join(f"<li><strong>{_esc(o.rel)}</strong>: {_esc(o.error)}</li>" for o in s.failed)
        parts.append(f'<h2>Clips that could not be analysed</h2><ul class="failed">{items}</ul>')
    return _page(f"formcheck: {s.athlete}", "\n".join(parts))


def roster_csv(summaries: Sequence[AthleteSummary], pages: Mapping[str, str]) -> str:
    """``roster.csv``: one row per athlete in the index's order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "athlete",
            "sessions",
            "latest_date",
            "flags",
            "borderline",
            "watch",
            "failed_clips",
            "page",
            "csv",
            "latest_verdicts_withheld",
        ]
    )
    for s in summaries:
        w.writerow(
            [
                csv_cell(c)
                for c in (
                    s.athlete,
                    len(s.sessions),
                    s.latest.recorded_at.isoformat(sep=" ", timespec="seconds") if s.latest else "",
                    s.flags,
                    s.borderline,
                    s.watch,
                    len(s.failed),
                    athlete_href(s.athlete, pages),
                    f"{ATHLETES_DIR}/{pages[s.athlete]}.csv",
                    s.latest.verdicts_withheld if s.latest is not None else "",
                )
            ]
        )
    return buf.getvalue()


def write_pages(
    outdir: Path,
    sessions: Mapping[str, Sequence[Session]],
    clips: Sequence[ClipOutcome],
    written: dict[str, str],
    two_view: Sequence[SessionLink] = (),
) -> list[str]:
    """Write index.html, roster.csv and each athlete's page and CSV (only files whose text changed since
    ``written``, which is updated; never over a file formcheck did not write: ``written_by_formcheck``); returns
    the athlete files (relative to OUTDIR) now current."""
    summaries = summarize(sessions, clips)
    pages = athlete_stems(s.athlete for s in summaries)
    texts = {
        INDEX_NAME: index_html(summaries, clips, pages, two_view),
        ROSTER_CSV: roster_csv(summaries, pages),
    }
    for s in summaries:
        stem = pages[s.athlete]
        texts[f"{ATHLETES_DIR}/{stem}.html"] = athlete_html(s, outdir, stem)
        texts[f"{ATHLETES_DIR}/{stem}.csv"] = sessions_csv(s.sessions, lambda x: _report_href(x, outdir))
    for rel, text in texts.items():
        if written.get(rel) == _NOT_OURS:
            continue
        if written.get(rel) != text or not (outdir / rel).is_file():
            path = outdir / rel
            if rel != INDEX_NAME and rel not in written and path.exists() and not written_by_formcheck(path):
                log.warning(
                    "%s was not written by formcheck: left as it is (move it away to get this table)", path
                )
                written[rel] = _NOT_OURS
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
            written[rel] = text
    return [rel for rel in texts if rel.startswith(ATHLETES_DIR + "/") and written.get(rel) != _NOT_OURS]
