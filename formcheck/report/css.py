"""The report's stylesheet (inlined into report.html): system fonts, responsive from phone to desktop."""

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
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0;font-size:.95rem}
.finding dt{font-weight:650;color:var(--muted)}.finding dd{margin:0}
details.context{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:10px 14px}
details.context summary{cursor:pointer;font-weight:650}
details.context ul{margin:6px 0;padding-left:20px}
video{display:block;width:100%;max-height:80vh;background:#000;border-radius:var(--radius)}
.keyframes{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
figure{margin:0}
.keyframe{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);overflow:hidden}
.keyframe img{display:block;width:100%;height:auto;max-height:520px;object-fit:contain;background:#0d1117}
figcaption{font-size:.88rem;color:var(--muted);padding:8px 12px}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,480px),1fr));gap:12px}
.plot-fig{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:12px}
.plot-fig h3{margin-bottom:6px}
svg.plot{display:block;width:100%;height:auto}
svg.plot text{fill:var(--fg)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:var(--radius);
background:var(--card)}
table{border-collapse:collapse;width:100%;min-width:720px;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
thead th{background:#f0f3f6;font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.note{min-width:240px}
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
@media (max-width:600px){h1{font-size:1.25rem}.card .value{font-size:1.45rem}
.finding dl,dl.details{grid-template-columns:1fr}.finding dt,dl.details dt{margin-top:6px}}
@media print{header.top{background:none;color:#000}video{display:none}}
"""
