"""The compare folder's ``report.html``: what changed between the two takes, metric by metric, and the two runners
side by side in ``compare.mp4`` with the single-clip report's player (speed, frame step, landing to landing)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path

from formcheck.compare.changes import ChangeRow, headline, with_interval
from formcheck.compare.takes import Take
from formcheck.compare.video import layout_for
from formcheck.compare.warp import Alignment
from formcheck.report.css import page_head
from formcheck.report.escaping import html_escape as _e
from formcheck.report.player import PLAYER_JS, PORTRAIT_MAX_ASPECT, data_script, player_html
from formcheck.version import __version__

# history.compare's outcome -> the chip's colour class (the report's verdict colours).
CHANGE_CLASS = {"improved": "good", "worse": "flag", "no real change": "na", "changed": "watch", "n/a": "na"}
CHANGE_SYMBOL = {"improved": "✓", "worse": "✕", "no real change": "=", "changed": "~", "n/a": "–"}

EXTRA_CSS = """
.changes{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.change .pair{display:grid;grid-template-columns:auto minmax(0,1fr);gap:2px 10px;margin:8px 0 4px;font-size:.92rem}
.change .pair dt{color:var(--muted)}.change .pair dd{margin:0;font-variant-numeric:tabular-nums}
.change .words{font-size:.9rem;margin:6px 0 0}
.sync{margin:8px 0 0}
"""


def _card(row: ChangeRow, roles: tuple[str, str]) -> str:
    cls = CHANGE_CLASS.get(row.change, "na")
    sdd = ""
    if row.sdd is not None and row.change in ("no real change", "improved", "worse"):
        sdd = f'<p class="muted small">Smallest real change: {_e(_fmt_sdd(row))}</p>'
    return (
        f'<article class="card change v-{cls}"><header><h3>{_e(row.title)}</h3>'
        f'<span class="chip v-{cls}"><span aria-hidden="true">{CHANGE_SYMBOL.get(row.change, "")}</span> '
        f"{_e(row.change if row.change != 'n/a' else 'not compared')}</span></header>"
        f'<dl class="pair"><dt>{_e(roles[0])}</dt><dd>{_e(with_interval(row.metric, row.a))}</dd>'
        f"<dt>{_e(roles[1])}</dt><dd>{_e(with_interval(row.metric, row.b))}</dd></dl>"
        f'<p class="words">{_e(row.words.capitalize())}</p>{sdd}</article>'
    )


def _fmt_sdd(row: ChangeRow) -> str:
    from formcheck.metrics.display import fmt_number

    return fmt_number(row.sdd, row.unit)


def _sync_line(aligned: Sequence[Alignment]) -> str:
    errors = [abs(x.error_frames) for x in aligned if x.error_frames is not None]
    if not errors:
        return "No matched landing falls inside the video."
    good = sum(e <= 1 for e in errors)
    return (
        f"The two runners are lined up at their landings: {good} of {len(errors)} matched landings show B's "
        f"landing within one frame of A's (largest gap {max(errors)} frame{'s' if max(errors) != 1 else ''})."
    )


def render_page(
    a: Take,
    b: Take,
    rows: Sequence[ChangeRow],
    aligned: Sequence[Alignment],
    video_time: dict[int, float],
    labels: tuple[str, str],
    outdir: Path,
    created: _dt.datetime | None = None,
) -> str:
    """The page's HTML (``outdir``: where compare.mp4 already is). ``video_time`` maps A's frame index to its time in compare.mp4 (the landings the
    player steps through); ``labels`` name the two halves."""
    created = created or _dt.datetime.now().astimezone()
    roles = ("Before (A)", "After (B)")
    lay = layout_for(
        (a.analysis.video.width, a.analysis.video.height), (b.analysis.video.width, b.analysis.video.height)
    )
    width, height = lay.size
    shape = "portrait" if width <= PORTRAIT_MAX_ASPECT * height else "landscape"
    steps = [
        {"i": n, "side": x.side, "t": video_time[x.a_frame], "c": round(float(x.a_s), 2), "valid": True}
        for n, x in enumerate(sorted(aligned, key=lambda x: x.a_frame))
        if x.a_frame in video_time
    ]
    data = {
        "fps": round(float(a.analysis.video.fps), 4),
        "portrait_max_aspect": PORTRAIT_MAX_ASPECT,
        "steps": steps,
    }
    caption = (
        f"Left: {labels[0]}. Right: {labels[1]}. B's video is slowed or sped up between landings so that each "
        "landing of A is shown beside B's landing of the same foot; the marks are those of each clip's own report."
    )
    player = player_html(outdir, "compare.mp4", width, height, caption, summary="What the two halves show")
    cards = "".join(_card(r, roles) for r in rows)
    warnings = [f"{t.name}: {w}" for t in (a, b) for w in t.doc.get("warnings") or []]
    timings = [t.analysis.events.contact_timing for t in (a, b)]
    if (timings[0] == "sole") != (timings[1] == "sole"):
        warnings.insert(
            0,
            f"the contacts were timed differently ({a.name}: {timings[0]}; {b.name}: {timings[1]}): readings at "
            "landing (shin angle, overstride, contact time) can differ by that alone; re-analyse both the same way",
        )
    if b.recorded_at < a.recorded_at:
        warnings.insert(
            0,
            f"{b.name} ({b.recorded_at:%Y-%m-%d}) was recorded before {a.name} ({a.recorded_at:%Y-%m-%d}), yet "
            "it is read as the later take: give the earlier take first (formcheck compare BEFORE AFTER)",
        )
    warn_html = (
        '<aside class="warnings" aria-label="warnings"><h2>Before you read on</h2><ul>'
        + "".join(f"<li>{_e(w)}</li>" for w in warnings)
        + "</ul></aside>"
        if warnings
        else ""
    )
    meta = [
        f"{a.doc.get('view')} view",
        f"A: {a.name}, {a.recorded_at:%Y-%m-%d}",
        f"B: {b.name}, {b.recorded_at:%Y-%m-%d}",
        created.strftime("%Y-%m-%d %H:%M"),
    ]
    head = page_head(f"Before and after: {a.name} vs {b.name}", EXTRA_CSS)
    return f"""{head}<header class="top">
  <p class="brand">formcheck · before and after</p>
  <h1>{_e(a.name)} → {_e(b.name)}</h1>
  <p class="meta">{" · ".join(_e(x) for x in meta)}</p>
</header>
<main>
{warn_html}
<section id="summary">
  <p class="lead">{_e(headline(list(rows)))}</p>
  <p class="muted small">A change counts only when it is at least the smallest change formcheck can detect for that
  measure and the two clips' likely ranges (95% intervals) do not overlap; anything less is within measurement
  noise. Better or worse means closer to or further from the good range.</p>
</section>
<section id="video">
  <h2>Side by side</h2>
  <div class="hero {shape}" style="--ar:{width / height:.4f}"><div class="hero-video">{player}</div></div>
  <p class="sync muted small">{_e(_sync_line(aligned))}</p>
</section>
<section id="changes">
  <h2>What changed</h2>
  <div class="changes">{cards}</div>
</section>
</main>
<footer>formcheck {_e(__version__)} · A: {_e(a.video_path.name)} · B: {_e(b.video_path.name)}</footer>
{data_script(data)}
<script>{PLAYER_JS}</script>
</body>
</html>
"""
