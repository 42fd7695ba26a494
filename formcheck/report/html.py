"""``report.html``: one self-contained page (inline CSS, inline SVG plots, base64 key frames; the annotated video by
relative path) that a runner or coach reads on a phone or a desktop, opened from disk with no network.

This module lays out the page; its sections are made by summary_html.py (the ten-second summary and the cards),
key_frames.py, plots.py, measure_html.py (the findings), steps_table.py, metric_table.py and clip_facts.py."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path

from formcheck.files import write_text_atomic
from formcheck.metrics.display import in_one_line
from formcheck.metrics.withheld import NO_VERDICTS
from formcheck.model import EARLIER_VIDEO_LINE, Analysis, EarlierVideo
from formcheck.report.clip_facts import clip_details, direction_words
from formcheck.report.context import context_block  # who and when: filled in by analyze and batch
from formcheck.report.css import page_head
from formcheck.report.escaping import html_escape as _e
from formcheck.report.json_out import redraw_advice
from formcheck.report.key_frames import KeyFrame, key_frames_html
from formcheck.report.measure_html import as_sentence, finding_detail
from formcheck.report.metric_table import metric_table
from formcheck.report.player import (
    PLAYER_JS,
    PORTRAIT_MAX_ASPECT,
    crop_tip,
    data_script,
    player_data,
    player_html,
    span_note,
    trimmed_span_s,
)
from formcheck.report.plots import Plot, all_plots
from formcheck.report.steps_table import steps_table
from formcheck.report.summary_html import (
    card_ids,
    clip_summary_sentence,
    findings_by_metric,
    headline_card,
    not_measured_line,
    typical_step,
)
from formcheck.report.views import video_caption
from formcheck.version import __version__

DISCLAIMER = (
    "formcheck describes how you move; it does not diagnose. If you have pain that persists despite rest and "
    "changes to your running, pain that radiates into your buttocks or legs, or numbness, tingling or weakness in "
    "your legs, see a physical therapist or doctor."
)
CONTEXT_ITEMS = (
    ("Warm up", "a few easy minutes and some mobility before faster running."),
    ("Build gradually", "raise weekly distance or time by about 10% at most."),
    ("Rest and recover", "easy days and sleep are when the body adapts."),
    ("Shoes", "comfortable, fitted to your foot, replaced when worn out."),
    ("Surfaces", "mix softer ground with roads; avoid sudden changes in terrain."),
)


def _plots(plots: Sequence[Plot]) -> str:
    """The plots as figures with a title and caption, or a line saying there is nothing to plot."""
    if not plots:
        return '<p class="muted">No per-step values to plot in this clip.</p>'
    return "".join(
        f'<figure class="plot-fig" id="plot-{_e(p.id)}"><h3>{_e(p.title)}</h3>{p.svg}'
        f"<figcaption>{_e(p.caption)}</figcaption></figure>"
        for p in plots
    )


def _fold(section_id: str, heading: str, body: str, open_: bool = False) -> str:
    """A section whose body is folded under its heading (``<details>``)."""
    return (
        f'<section id="{section_id}"><details class="fold"{" open" if open_ else ""}>'
        f"<summary><h2>{_e(heading)}</h2></summary>{body}</details></section>"
    )


def render_report(
    analysis: Analysis,
    outdir: Path,
    key_frames: Sequence[KeyFrame] = (),
    video_file: str | None = "annotated.mp4",
    created: _dt.datetime | None = None,
    video_per_motion_s: float = 1.0,
    video_origin_s: float | None = None,
) -> str:
    """The report's HTML text. Bands, rules and plots shade the analysis's own thresholds. ``video_per_motion_s``
    converts motion seconds into the annotated video's seconds (above 1 for a slow-motion file);
    ``video_origin_s`` is the clip's motion time at the video's start (default: the first analysed frame,
    ``player.contact_frame_times``)."""
    created = created or _dt.datetime.now().astimezone()
    clip = Path(analysis.video.path).name
    fbm = findings_by_metric(analysis)
    th = analysis.settings.thresholds
    cards = "".join(
        headline_card(
            mid,
            analysis.metrics.get(mid),
            fbm.get(mid),
            th,
            typical_step(analysis, mid),
            bool(analysis.verdicts_withheld),
        )
        for mid in card_ids(analysis, fbm)
    )
    details = "".join(finding_detail(f, analysis.metrics.get(f.metric)) for f in analysis.findings)
    warnings = ""
    # The summary says why the verdicts were withheld and what to film: not said twice on a phone's screen.
    told = [
        w
        for w in analysis.warnings
        if not (analysis.verdicts_withheld and w.startswith(NO_VERDICTS))
        and not (analysis.earlier_video and w.startswith(EARLIER_VIDEO_LINE))  # said under the video
    ]
    if told:
        warnings = (
            '<aside class="warnings" aria-label="warnings"><h2>Before you read on</h2><ul>'
            + "".join(f"<li>{_e(as_sentence(w))}</li>" for w in told)
            + "</ul></aside>"
        )
    context = "".join(f"<li><strong>{_e(k)}</strong>: {_e(v)}</li>" for k, v in CONTEXT_ITEMS)
    ev = analysis.events
    meta = [
        f"{analysis.view} view",
        direction_words(analysis.direction),
        f"{analysis.video.duration_s:.1f} s"
        + (f" ({span[0]:.1f}–{span[1]:.1f} s of the clip)" if (span := trimmed_span_s(analysis)) else ""),
        f"{len(ev.valid_steps)} steps analysed",
        created.strftime("%Y-%m-%d %H:%M"),
    ]
    v = analysis.video
    width, height = (v.width, v.height) if analysis.settings.video_crop == "none" else (1, 1)
    shape = "portrait" if width <= PORTRAIT_MAX_ASPECT * height else "landscape"
    tip = crop_tip(v.width, v.height, analysis.leg_length_px, analysis.settings.video_crop != "none")
    note = span_note(analysis)
    if note and video_origin_s is not None and video_origin_s < float(analysis.raw.time_s[0]):
        note = ""  # a video of the whole clip from an earlier formcheck (formcheck.outputs.video_origin_s)
    player = player_html(
        outdir,
        video_file,
        width,
        height,
        video_caption(analysis.view),
        tip,
        note=note,
        stale=_earlier_video_note(analysis.earlier_video),
    )
    findings_body = (details or '<p class="muted">No watch or flag findings in this clip.</p>') + (
        '<details class="context"><summary>What video can\'t see</summary>'
        "<p>Form is only part of the picture. These matter as much and are not measured here:</p>"
        f"<ul>{context}</ul></details>"
    )
    head = page_head(f"Running form: {clip}", version=analysis.formcheck_version or __version__)
    return f"""{head}<header class="top">
  <p class="brand">formcheck · running form report</p>
  <h1>{_e(clip)}</h1>
  <p class="meta">{" · ".join(_e(x) for x in meta)}</p>
  {context_block()}
</header>
<main>
{warnings}
<section id="summary" aria-labelledby="h-summary">
  <h2 id="h-summary">In ten seconds</h2>
  <p class="lead">{clip_summary_sentence(analysis)}</p>
  {not_measured_line(analysis, fbm)}
  <div class="hero {shape}" style="--ar:{width / height:.4f}">
    <div class="hero-video" id="video">{player}</div>
    <div class="cards">{cards}</div>
  </div>
  <p class="disclaimer" role="note"><strong>Not a diagnosis.</strong> {_e(DISCLAIMER)}</p>
</section>
<section id="keyframes" aria-labelledby="h-keyframes">
  <h2 id="h-keyframes">Landing, frame by frame</h2>
  {key_frames_html(key_frames)}
</section>
<section id="plots" aria-labelledby="h-plots">
  <h2 id="h-plots">Step by step</h2>
  <div class="plots">{_plots(all_plots(analysis))}</div>
</section>
{_fold("findings", "What we saw and what helps", findings_body)}
{_fold("steps", f"Every step ({len(ev.steps)})", steps_table(analysis))}
{_fold("metrics", "Every metric", metric_table(analysis))}
{_fold("clip", "About this clip", clip_details(analysis))}
</main>
<footer><p>Made by formcheck {_e(analysis.formcheck_version or __version__)} on
{_e(created.strftime("%Y-%m-%d"))}. Thresholds and their sources are in analysis.json. Verdicts read as “worth a look”,
not as medical advice.</p></footer>
{data_script(player_data(analysis, video_per_motion_s, video_origin_s))}
<script>{PLAYER_JS}</script>
</body>
</html>
"""


def _earlier_video_note(earlier: EarlierVideo | None) -> str:
    """The note under a video kept from an earlier analysis: what it shows differently and how to redraw it."""
    if earlier is None:
        return ""
    differences = in_one_line(earlier.differences).replace(" -> ", " → ")
    return (
        "This video was drawn from an earlier analysis of the clip and differs from this page (the video → "
        f"this page: {differences}). To have it redrawn, {redraw_advice(earlier)}."
    )


def write_report(
    analysis: Analysis,
    outdir: str | os.PathLike[str],
    key_frames: Sequence[KeyFrame] = (),
    video_file: str | None = "annotated.mp4",
    video_per_motion_s: float = 1.0,
    video_origin_s: float | None = None,
) -> Path:
    """Write ``outdir/report.html`` atomically. ``key_frames`` are the annotated frames at contact that the video
    side made (formcheck.outputs hands them over, with ``video_per_motion_s``: the annotated video's seconds per
    second of motion); the video is embedded by relative path only if ``outdir/video_file`` exists."""
    out = Path(outdir)
    html = render_report(
        analysis,
        out,
        key_frames,
        video_file,
        video_per_motion_s=video_per_motion_s,
        video_origin_s=video_origin_s,
    )
    return write_text_atomic(out / "report.html", html)
