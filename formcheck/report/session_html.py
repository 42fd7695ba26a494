"""A session's ``report.html``: one run filmed from the side and from behind (or in front) on one page. The six
headline measures, each from the view that measures it and worded as the clip report words it (its cards,
summary and findings are reused from formcheck/report/summary_html.py and measure_html.py), both annotated
videos by relative path, what else each view measured, and links to each clip's own report. Built from the clips'
``analysis.json`` documents and the session document (formcheck/session.py); self-contained, opens from disk with no network."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from formcheck.config import AnalysisSettings, Thresholds
from formcheck.metrics.registry import METRIC_ORDER, REGISTRY
from formcheck.model import Finding, MetricResult
from formcheck.report.clip_facts import direction_words
from formcheck.report.css import page_head
from formcheck.report.escaping import html_escape as _e
from formcheck.report.html import DISCLAIMER
from formcheck.report.json_out import metric_from_dict, settings_of
from formcheck.report.labels import metric_bands
from formcheck.report.measure_html import finding_detail
from formcheck.report.summary_html import headline_card, summary_sentence
from formcheck.report.views import VIEW_WORDS
from formcheck.version import __version__

# The link a clip's report gets to its session page (formcheck/session.py writes it, the single file drops it).
SESSION_LINK_START, SESSION_LINK_END = "<!-- formcheck-session -->", "<!-- /formcheck-session -->"

SESSION_CSS = """
#summary .cards{grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr))}
.card .from{font-size:.8rem;color:var(--muted);margin:2px 0 0}
.clips{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,330px),1fr));gap:16px;align-items:start}
.clip{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:12px;min-width:0}
.clip h3{margin:0 0 8px}.clip video{width:min(100%,calc(70vh * var(--ar)))}
.clip .links{margin:8px 0 0;font-size:.92rem;display:flex;flex-wrap:wrap;gap:4px 16px}
.clip .cards{margin-top:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,220px),1fr))}
.clip details.also{margin-top:12px}.clip details.also>summary{cursor:pointer;font-weight:650}.clip .facts{margin:6px 0 0;font-size:.88rem;color:var(--muted)}
.finding .from{font-size:.85rem;color:var(--muted);margin:6px 0 0}
"""


def url_path(path: str) -> str:
    """A relative file path as a URL path: a folder named ``run #2`` or ``a+b`` must not read as a fragment,
    query or space."""
    return quote(path, safe="/")


def _url(path: str) -> str:
    return _e(url_path(path))


def _thresholds(doc: Mapping[str, Any]) -> Thresholds:
    return (settings_of(doc) or AnalysisSettings()).thresholds


def _finding(entry: Mapping[str, Any]) -> Finding:
    fields = ("metric", "verdict", "guidance", "message", "cue", "why", "helps", "evidence")
    return Finding(**{k: str(entry.get(k) or "") for k in fields})


def _metric_result(doc: Mapping[str, Any], metric_id: str) -> MetricResult | None:
    entry = (doc.get("metrics") or {}).get(metric_id)
    return None if not isinstance(entry, Mapping) else metric_from_dict(metric_id, entry)


def _card_findings(doc: Mapping[str, Any], cards: tuple[str, ...]) -> dict[str, Finding]:
    """This clip's finding per card: its own, or (as the clip report does) that of a part of the card measured
    in the same clip when the card has none."""
    out: dict[str, Finding] = {}
    for f in doc.get("findings") or []:
        out.setdefault(str(f.get("metric")), _finding(f))
    for mid in METRIC_ORDER:
        card = REGISTRY[mid].headline_card
        if card in cards and mid not in cards and mid in out and card not in out:
            out[card] = out[mid]
    return out


def _with(card_html: str, extra: str) -> str:
    """``extra`` placed inside a card (before its closing tag)."""
    close = "</article>"
    return card_html[: -len(close)] + extra + close if card_html.endswith(close) else card_html + extra


def _bands(metric_id: str, th: Thresholds) -> str:
    band = metric_bands(metric_id, th)
    if band is None:
        return ""
    return (
        f'<details class="bands"><summary>bands and source</summary><div>{_e(band.bands)}</div>'
        f'<div class="muted">{_e(band.source)}</div></details>'
    )


def _headline_cards(session: Mapping[str, Any], docs: Mapping[str, Mapping[str, Any]]) -> str:
    cards = tuple(session["measures"])
    out = []
    for mid, measure in session["measures"].items():
        view = measure.get("source_view")
        doc = docs.get(view) if view else None
        if doc is None:
            out.append(headline_card(mid, None, None, AnalysisSettings().thresholds, None))
            continue
        th = _thresholds(doc)
        card = headline_card(mid, _metric_result(doc, mid), _card_findings(doc, cards).get(mid), th, None)
        extra = f'<p class="from">Measured {_e(VIEW_WORDS.get(view, view))}.</p>'
        if mid == "cadence_spm" and session.get("cadence_note"):
            extra += f'<p class="message muted">{_e(session["cadence_note"])}</p>'
        out.append(_with(card, extra + _bands(mid, th)))
    return "".join(out)


def _summary(session: Mapping[str, Any], docs: Mapping[str, Mapping[str, Any]]) -> str:
    ranked = [_finding(f) for f in session.get("work_on") or []]
    heads = []
    for mid, measure in session["measures"].items():
        doc = docs.get(measure.get("source_view") or "")
        m = _metric_result(doc, mid) if doc is not None else None
        if m is not None:
            heads.append((mid, m))
    return summary_sentence(ranked, heads)


def _work_on(session: Mapping[str, Any], docs: Mapping[str, Mapping[str, Any]]) -> str:
    items = []
    for entry in session.get("work_on") or []:
        view = str(entry.get("source_view"))
        doc = docs.get(view) or {}
        detail = finding_detail(_finding(entry), _metric_result(doc, str(entry.get("metric"))))
        seen = f'</summary><p class="from">Seen {_e(VIEW_WORDS.get(view, view))}.</p>'
        items.append(detail.replace("</summary>", seen, 1))
    return "".join(items) or '<p class="muted">No watch or flag findings in either clip.</p>'


def _aspect(doc: Mapping[str, Any]) -> float:
    inp = doc.get("input") or {}
    crop = ((doc.get("settings") or {}).get("video_crop")) or "none"
    w, h = inp.get("width") or 1, inp.get("height") or 1
    return 1.0 if crop != "none" else float(w) / float(h)


def _clip_section(clip: Mapping[str, Any], doc: Mapping[str, Any], session_dir: Path, skip: set[str]) -> str:
    view = str(clip.get("view"))
    folder = str(clip["folder"])
    video_rel, report_rel = str(clip["annotated_video"]), str(clip["report"])
    has_video = Path(os.path.normpath(session_dir / video_rel)).is_file()  # the folder may not exist yet
    if has_video:
        player = (
            f'<video controls playsinline muted preload="auto" src="{_url(video_rel)}" '
            f'aria-label="annotated video {_e(VIEW_WORDS.get(view, view))}">'
            f'Your browser cannot play the video; open <a href="{_url(video_rel)}">{_e(video_rel)}</a>.</video>'
        )
    else:
        player = '<p class="muted">The annotated video was not written for this clip (<code>--no-video</code>).</p>'
    links = [f'<a href="{_url(report_rel)}">This clip\'s full report</a>']
    if has_video:
        links.append(f'<a href="{_url(video_rel)}">the annotated video</a>')
    links.append(f'<a href="{_url(folder + "/analysis.json")}">analysis.json</a>')
    th = _thresholds(doc)
    findings = _card_findings(doc, ())
    cards = []
    for mid in METRIC_ORDER:
        m = _metric_result(doc, mid)
        if mid in skip or m is None or m.value is None:
            continue
        cards.append(_with(headline_card(mid, m, findings.get(mid), th, None), _bands(mid, th)))
    facts = " · ".join(
        str(x)
        for x in (
            f"{clip.get('duration_s') or 0:.1f} s" if clip.get("duration_s") is not None else "",
            f"{clip.get('valid_steps')} steps analysed" if clip.get("valid_steps") is not None else "",
            direction_words(str(clip["direction"])) if clip.get("direction") else "",
        )
        if x
    )
    # The frontal view's other measures (side lean, step width, crossover) are what a side clip cannot show:
    # open; the side view's many others are folded.
    also = (
        f'<details class="also"{" open" if view != "side" else ""}><summary>Also measured '
        f'{_e(VIEW_WORDS.get(view, view))} ({len(cards)})</summary><div class="cards">{"".join(cards)}</div></details>'
        if cards
        else ""
    )
    return (
        f'<article class="clip" id="clip-{_e(view)}" style="--ar:{_aspect(doc):.4f}">'
        f"<h3>{_e(VIEW_WORDS.get(view, view).capitalize())}: {_e(clip.get('video') or folder)}</h3>"
        f'{player}<p class="facts">{_e(facts)}</p><p class="links">{" · ".join(links)}</p>{also}</article>'
    )


def render_session_report(
    session: Mapping[str, Any],
    side_doc: Mapping[str, Any],
    other_doc: Mapping[str, Any],
    session_dir: Path,
    created: _dt.datetime | None = None,
) -> str:
    """The session report's HTML text from the session document and the two clips' ``analysis.json``
    documents; ``session_dir`` is where it will be written (the videos are linked relative to it)."""
    created = created or _dt.datetime.now().astimezone()
    docs = {str(side_doc.get("view")): side_doc, str(other_doc.get("view")): other_doc}
    names = [str(c.get("video") or c.get("folder")) for c in session["clips"]]
    views = [str(v) for v in session["views"]]
    warnings = ""
    if session.get("warnings"):
        warnings = (
            '<aside class="warnings" aria-label="warnings"><h2>Before you read on</h2><ul>'
            + "".join(f"<li>{_e(w)}</li>" for w in session["warnings"])
            + "</ul></aside>"
        )
    skip = set(session["measures"])
    clips = "".join(
        _clip_section(clip, docs[str(clip.get("view"))], session_dir, skip) for clip in session["clips"]
    )
    meta = [f"{views[0]} and {views[1]} views of one run", created.strftime("%Y-%m-%d %H:%M")]
    head = page_head(f"Running form session: {' + '.join(names)}", SESSION_CSS)
    return f"""{head}<header class="top">
  <p class="brand">formcheck · running form · one run, two views</p>
  <h1>{_e(" + ".join(names))}</h1>
  <p class="meta">{" · ".join(_e(x) for x in meta)}</p>
</header>
<main>
{warnings}
<section id="summary" aria-labelledby="h-summary">
  <h2 id="h-summary">In ten seconds</h2>
  <p class="lead">{_summary(session, docs)}</p>
  <div class="cards">{_headline_cards(session, docs)}</div>
  <p class="disclaimer" role="note"><strong>Not a diagnosis.</strong> {_e(DISCLAIMER)}</p>
</section>
<section id="work-on" aria-labelledby="h-work-on">
  <h2 id="h-work-on">What to work on</h2>
  {_work_on(session, docs)}
</section>
<section id="clips" aria-labelledby="h-clips">
  <h2 id="h-clips">The two clips</h2>
  <div class="clips">{clips}</div>
</section>
</main>
<footer><p>Made by formcheck {_e(__version__)} on {_e(created.strftime("%Y-%m-%d"))} from the two clips'
analysis.json; the headline measures, their bands and sources are in session.json. Verdicts read as “worth a
look”, not as medical advice.</p></footer>
</body>
</html>
"""
