"""The report's stylesheet (inlined into report.html): system fonts, responsive from phone to desktop; and the
``<head>`` every formcheck page opens with (clip report, session, compare)."""

from html import escape

from formcheck.version import __version__

CSS = """
:root{--bg:#f6f8fa;--fg:#1f2328;--muted:#59636e;--card:#fff;--line:#d1d9e0;--accent:#0969da;
--good:#1a7f37;--good-bg:#dafbe1;--watch:#7d4e00;--watch-bg:#fff1c2;--watch-bar:#d4a72c;
--flag:#c21d2b;--flag-bg:#ffebe9;--border:#953800;--border-bg:#fff1e5;--border-bar:#f0883e;--na:#59636e;--na-bg:#eef1f4;--radius:12px}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
header.top{background:#0d1117;color:#f0f6fc;padding:20px 16px 18px}
header.top>*{max-width:1080px;margin-left:auto;margin-right:auto}
.brand{margin:0;font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:#9198a1}
h1{margin:4px auto 2px;font-size:1.5rem;line-height:1.25;word-break:break-word}
.meta{margin:0 auto;color:#c9d1d9;font-size:.95rem}
main{max-width:1080px;margin:0 auto;padding:8px 16px 32px}
section{margin-top:28px}
h2{font-size:1.25rem;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:0}
.lead{font-size:1.05rem;margin:0 0 14px}
.muted{color:var(--muted)}.small{font-size:.82rem}.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.card,.finding{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--na);
border-radius:var(--radius);padding:12px 14px}
.card header,.finding header{display:flex;justify-content:space-between;align-items:center;gap:8px}
.card .value{font-size:1.7rem;font-weight:650;margin:4px 0 2px;font-variant-numeric:tabular-nums}
.card p{margin:6px 0}.card .message{font-size:.95rem}
.card .guidance,.card .cue{font-size:.88rem;color:var(--muted)}
.k{display:inline-block;font-size:.7rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;
color:var(--fg);margin-right:4px}
.v-good{border-left-color:var(--good)}.v-watch{border-left-color:var(--watch-bar)}
.v-flag{border-left-color:var(--flag)}.v-borderline{border-left-color:var(--border-bar)}.v-na{border-left-color:#afb8c1}
.chip{display:inline-flex;align-items:center;gap:4px;white-space:nowrap;font-size:.8rem;font-weight:700;
padding:2px 9px;border-radius:999px;border:1px solid currentColor}
.chip.v-good{color:var(--good);background:var(--good-bg)}.chip.v-watch{color:var(--watch);background:var(--watch-bg)}
.chip.v-flag{color:var(--flag);background:var(--flag-bg)}
.chip.v-borderline{color:var(--border);background:var(--border-bg)}
.interval{display:block;font-size:.85rem;line-height:1.35;font-weight:400;color:var(--muted)}.chip.v-na{color:var(--na);background:var(--na-bg)}
.disclaimer{background:#ddf4ff;border:1px solid #54aeff;border-radius:var(--radius);padding:12px 14px;
margin:16px 0 0}
.warnings{background:var(--watch-bg);border:1px solid var(--watch-bar);border-radius:var(--radius);
padding:10px 14px;margin-top:20px}.warnings h2{border:0;font-size:1rem;margin:0;padding:0}
.warnings ul{margin:6px 0 0;padding-left:20px}
.finding{margin-bottom:12px}.finding p{margin:8px 0}
.finding summary,details.fold>summary{cursor:pointer;display:flex;align-items:center;gap:8px;list-style:none}
.finding summary{justify-content:space-between}.finding summary::-webkit-details-marker,details.fold>summary::-webkit-details-marker{display:none}
.finding summary::after,details.fold>summary::after{content:"▸";color:var(--muted);order:-1}.finding[open] summary::after,details.fold[open]>summary::after{content:"▾"}
.finding summary h3{flex:1}details.fold>summary h2{flex:1;margin:0}details.fold>summary{border-bottom:1px solid var(--line);padding-bottom:6px;margin-bottom:12px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0;font-size:.95rem}
.finding dt{font-weight:650;color:var(--muted)}.finding dd{margin:0}
details.context{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:10px 14px}
details.context summary{cursor:pointer;font-weight:650}
details.context ul{margin:6px 0;padding-left:20px}
.keyframes{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
figure{margin:0}
.keyframe{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);overflow:hidden}
.keyframe img{display:block;width:100%;height:auto;max-height:60vh;object-fit:contain;background:#0d1117}
.keyframe a{display:block;cursor:pointer}.keyframe a.current img,.keyframe a:hover img{outline:3px solid var(--accent);outline-offset:-3px}
figcaption{font-size:.88rem;color:var(--muted);padding:8px 12px}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));gap:12px}
.plot-fig{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:12px}
.plot-fig h3{margin-bottom:6px}
svg.plot{display:block;width:100%;height:auto;max-width:460px;margin:0 auto}
svg .step{cursor:pointer}svg .step:hover{stroke:#8c959f;stroke-width:1.5}svg .step.current{stroke:#111;stroke-width:2.5;fill-opacity:.08}
svg.plot text{fill:var(--fg)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:var(--radius);
background:var(--card)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
thead th{background:#f0f3f6;font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.note{min-width:240px}
td.num.lr{white-space:normal}.nowrap{white-space:nowrap}th .mono{overflow-wrap:anywhere}
details.bands{font-size:.8rem;margin-top:4px}details.bands summary{cursor:pointer;color:var(--accent)}
tbody tr:last-child>*{border-bottom:0}
abbr{text-decoration:underline dotted;cursor:help}
.legend{list-style:none;padding:0;margin:10px 0 0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:.85rem;
color:var(--muted)}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:var(--card);
border:1px solid var(--line);border-radius:var(--radius);padding:12px 14px;margin:0;font-size:.92rem}
dl.details dt{color:var(--muted)}dl.details dd{margin:0;word-break:break-all}
footer{max-width:1080px;margin:0 auto;padding:0 16px 32px;color:var(--muted);font-size:.85rem}
a{color:var(--accent)}

.hero{display:grid;gap:14px;grid-template-columns:minmax(0,1fr)}
.hero.portrait{grid-template-columns:min(48%,calc((100vh - 150px) * var(--ar))) minmax(0,1fr);align-items:start}
.hero.portrait .hero-video{position:sticky;top:8px}
.hero .cards{align-content:start}
video{display:block;background:#000;border-radius:var(--radius);width:min(100%,calc((100vh - 150px) * var(--ar)));
height:auto;aspect-ratio:var(--ar);margin:0 auto}
.tools{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;justify-content:center;margin:8px 0 4px}
.tools .group{display:flex;flex-wrap:wrap;gap:4px;justify-content:center}
.tools button,button.show{font:inherit;font-size:.85rem;padding:6px 9px;min-height:34px;border-radius:8px;
border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}
.tools button:hover,button.show:hover{border-color:var(--accent)}
.tools button[aria-pressed=true]{background:var(--accent);color:#fff;border-color:var(--accent)}
.tools .now{font-size:.85rem;color:var(--muted);font-variant-numeric:tabular-nums;min-width:14em;text-align:center}
details.caption{margin:4px 0 0}details.caption summary{cursor:pointer;color:var(--accent)}kbd{font:inherit;font-size:.78rem;border:1px solid var(--line);border-radius:4px;padding:0 4px;background:var(--card)}
button.show{margin-top:6px;color:var(--accent)}
.tip{margin:6px 0 0;padding:6px 10px;border-radius:8px;background:#ddf4ff;color:var(--fg)}
.stale{margin:6px 0 0;padding:6px 10px;border-radius:8px;background:var(--watch-bg);border:1px solid var(--watch-bar);color:var(--fg);overflow-wrap:anywhere}
.card.compact{padding:8px 14px}.card.compact .value{font-size:1.25rem;margin:2px 0 0}
.card.compact .message{font-size:.85rem;color:var(--muted);margin:2px 0 0}
table.steps{font-size:.85rem;background:var(--card);border:1px solid var(--line);border-radius:var(--radius)}
table.steps th,table.steps td{padding:5px 6px}
table.steps tr.step-row{cursor:pointer}table.steps tr.step-row:hover{background:#f0f3f6}
table.steps tr.current{background:#ddf4ff;box-shadow:inset 4px 0 0 var(--accent)}
table.steps tr.rejected td{color:var(--muted)}.foot{white-space:nowrap}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px;vertical-align:middle}
.dot.left{background:#2f7fd8}.dot.right{background:#e07b00}
@media (max-width:760px){main{padding:4px 12px 24px}section{margin-top:22px}
.hero.portrait{grid-template-columns:minmax(0,1fr)}.hero.portrait .hero-video{position:static}
video{width:min(100%,calc(58vh * var(--ar)))}
.plot-fig{padding:8px}.keyframes{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
.keyframe figcaption{font-size:.78rem;padding:6px 8px}
table.metrics,table.metrics tbody,table.metrics tr,table.metrics th,table.metrics td{display:block}
table.metrics thead{display:none}table.metrics tr{border-bottom:1px solid var(--line);padding:6px 0}
table.metrics td,table.metrics th{border:0;padding:2px 12px}
table.metrics td{display:flex;justify-content:space-between;gap:12px;text-align:right}
table.metrics td::before{content:attr(data-label);color:var(--muted);text-align:left}
table.metrics td.note{display:block;text-align:left;min-width:0;font-size:.82rem;color:var(--muted)}
table.metrics td.note::before{content:none}
.table-wrap{overflow-x:visible}}
@media (hover:none){.keys{display:none}}
@media (max-width:600px){h1{font-size:1.25rem}.card .value{font-size:1.45rem}
.finding dl,dl.details{grid-template-columns:1fr}.finding dt,dl.details dt{margin-top:6px}
header.top{padding:12px 12px 10px}.tools{gap:6px}.tools .group{gap:3px;flex-wrap:nowrap}
.tools button{padding:5px 6px;font-size:.8rem}.tools .now{min-width:0}}
@media print{header.top{background:none;color:#000}video{display:none}}
"""


def page_head(title: str, extra_css: str = "", version: str = __version__) -> str:
    """A formcheck page's start, up to ``<body>``: the doctype, UTF-8, the phone viewport, the generator tag (which
    ``share`` and the ownership checks recognise), ``title`` (escaped) and the stylesheet with ``extra_css``."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="formcheck {escape(version, quote=True)}">
<title>{escape(title, quote=True)}</title>
<style>{CSS}{extra_css}</style>
</head>
<body>
"""
