"""What the roster's pages share: the page (style, the script that sorts a table by a clicked header, the
disclaimer), dates as people read them, and an athlete's verdict counts."""

from __future__ import annotations

import html
from datetime import datetime

from formcheck.batch.roster_files import PAGE_MARK
from formcheck.batch.roster_summary import AthleteSummary
from formcheck.history import WITHHELD_NOTE

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

_DISCLAIMER = "formcheck is not medical advice. Each clip's report explains its verdicts and their sources."


def when(d: datetime) -> str:
    """A recording date as people read it: the time only when one is known (not midnight)."""
    return f"{d:%Y-%m-%d}" if (d.hour, d.minute, d.second) == (0, 0, 0) else f"{d:%Y-%m-%d %H:%M}"


def esc(value: object) -> str:
    """``value`` as HTML text or an attribute's value."""
    return html.escape(str(value), quote=True)


def page_html(title: str, body: str, sortable: bool = False) -> str:
    """A whole self-contained page around ``body``, marked as formcheck's (``PAGE_MARK``); ``sortable``: with the
    script that sorts its ``table.sortable`` by a clicked header."""
    script = f"<script>{_JS}</script>" if sortable else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
{PAGE_MARK}
<title>{esc(title)}</title><style>{_CSS}</style></head>
<body><main>
{body}
<p class="muted">{_DISCLAIMER}</p>
</main>{script}</body></html>
"""


def counts_html(s: AthleteSummary) -> str:
    """The flag, borderline and watch counts of the athlete's latest session with verdicts, saying so when the
    latest session's verdicts were withheld."""
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
            f"({esc(when(judged.recorded_at))}):</span> {counts}"
        )
    return counts
