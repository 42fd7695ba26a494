"""``report.html``: one self-contained page (inline CSS, inline SVG plots, base64 key frames; the annotated video by
relative path) that a runner or coach reads on a phone or a desktop, opened from disk with no network."""

from __future__ import annotations

import base64
import datetime as _dt
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from formcheck.config import Thresholds
from formcheck.files import write_text_atomic
from formcheck.guidance import good_message
from formcheck.metrics.display import (
    VERDICT_WORDS,
    fmt_interval,
    fmt_number,
    in_one_line,
    is_missing,
    plain_words,
)
from formcheck.metrics.registry import REGISTRY, bands_for, label, not_measured_from, ordered_specs, title
from formcheck.metrics.withheld import FILM_AGAIN, NO_VERDICT, NO_VERDICTS
from formcheck.model import EARLIER_VIDEO_LINE, Analysis, EarlierVideo, Finding, MetricResult
from formcheck.report.context import context_block  # who and when: filled in by analyze and batch
from formcheck.report.css import page_head
from formcheck.report.json_out import redraw_advice
from formcheck.report.labels import EVIDENCE_LEGEND, VERDICT_SYMBOLS, metric_bands, ordered_ids
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
from formcheck.report.views import CARD_STEP_METRIC, headline_ids, video_caption
from formcheck.version import __version__


class KeyFrame(Protocol):
    """What the report needs of a key frame: an annotated RGB picture of one step's contact. The video side makes
    them (formcheck.render.video.KeyFrame) and hands them over as data; the report never decodes video."""

    side: str
    step_index: int
    time_s: float
    rgb: np.ndarray
    caption: str


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


def _e(x: object) -> str:
    return escape(str(x), quote=True)


def _chip(verdict: str) -> str:
    return (
        f'<span class="chip v-{_slug(verdict)}"><span aria-hidden="true">{VERDICT_SYMBOLS.get(verdict, "")}'
        f"</span> {_e(VERDICT_WORDS.get(verdict, verdict))}</span>"
    )


def _slug(verdict: str) -> str:
    return "na" if verdict == "n/a" else verdict


def _value(m: MetricResult) -> str:
    text = fmt_number(m.value, m.unit)
    if m.value_cm is not None and not is_missing(m.value_cm):
        text += f" ({m.value_cm:.1f} cm)"
    return text


def _interval(m: MetricResult | None, th: Thresholds) -> str:
    """The 95% interval the verdict was judged on, in words a runner reads: 'likely 9.4 to 18.2'; for a metric
    judged on another quantity (overstride: the heel's reach), that quantity's value and interval. Rounded outward
    at the decimals shown, each end in the band it lies in (``display.fmt_interval``): side_24's reach interval,
    29.96 to 34.7, reads '29 to 35' beside its borderline verdict against the 30% cut-off, not '30 to 35'."""
    if m is None:
        return ""
    bands = bands_for(m.id, th)
    band_of = None if bands is None else bands.verdict
    judged = m.extra.get("verdict_value"), m.extra.get("verdict_interval")
    if judged[0] is not None and judged[1] is not None:
        spec = REGISTRY.get(m.id)
        what = spec.verdict_on if spec is not None and spec.verdict_on else "judged on"
        unit = spec.verdict_unit if spec is not None and spec.verdict_unit else m.unit
        # Every resample agrees (a heel-landing share of 100%): no range to give.
        if judged[1][0] == judged[1][1]:
            return f' <span class="interval">{_e(what)}: {_e(fmt_number(judged[0], unit))}</span>'
        return (
            f' <span class="interval">{_e(what)}: {_e(fmt_number(judged[0], unit))}, likely '
            f"{_e(fmt_interval(tuple(judged[1]), unit, band_of=band_of))}</span>"
        )
    if m.interval is None or m.interval[0] == m.interval[1]:
        return ""
    return f' <span class="interval">likely {_e(fmt_interval(m.interval, m.unit, band_of=band_of))}</span>'


def _findings_by_metric(analysis: Analysis) -> dict[str, Finding]:
    out: dict[str, Finding] = {}
    for f in analysis.findings:
        out.setdefault(f.metric, f)
    # A finding on a part of a headline card (e.g. the shank angle of overstride) speaks for the card when the
    # card has none and the part has no card of its own in this view; parts in registry order.
    cards = headline_ids(analysis.view)
    for spec in ordered_specs():
        card = spec.headline_card
        if card in cards and spec.id not in cards and spec.id in out and card not in out:
            out[card] = out[spec.id]
    return out


def typical_step(analysis: Analysis, metric_id: str) -> int | None:
    """The valid step whose value of ``metric_id`` is nearest its median: the landing that shows the metric as it
    usually is (None when the metric has no per-step values)."""
    m = analysis.metrics.get(CARD_STEP_METRIC.get(metric_id, metric_id))
    if m is None or m.per_step is None:
        return None
    vals = [
        (i, float(v))
        for i, (s, v) in enumerate(zip(analysis.events.steps, m.per_step, strict=False))
        if s.valid and isinstance(v, (int, float)) and not is_missing(v)
    ]
    if not vals:
        return None
    med = float(np.median([v for _, v in vals]))
    return min(vals, key=lambda iv: abs(iv[1] - med))[0]


def _card(
    mid: str,
    m: MetricResult | None,
    f: Finding | None,
    th: Thresholds,
    step: int | None,
    withheld: bool = False,
) -> str:
    """A headline card. A verdict worth reading (flag, borderline, watch) gets its message, cue and a button that
    plays the typical landing slowly; good and n/a cards are compact. ``withheld``: the clip's verdicts were
    withheld (too few usable steps), so an n/a card shows the measured value and interval and says so."""
    verdict = m.verdict if m is not None else "n/a"
    value = _value(m) if m is not None else "–"
    full = f is not None or verdict in ("flag", "borderline", "watch")
    parts = [
        f'<article class="card v-{_slug(verdict)}{"" if full else " compact"}" id="card-{_e(mid)}">',
        f"<header><h3>{_e(title(mid))}</h3>{_chip(verdict)}</header>",
        f'<p class="value">{_e(value)}{_interval(m, th)}</p>',
    ]
    if f is not None and f.message:
        parts.append(f'<p class="message">{_e(f.message)}</p>')
    elif m is not None and good_message(m, th):
        parts.append(f'<p class="message">{_e(good_message(m, th))}</p>')
    elif withheld and m is not None and NO_VERDICT in m.note:  # n/a for its own reason: says nothing more
        parts.append('<p class="message muted">Measured, not judged: too few usable steps (see above).</p>')
    elif m is not None and m.note:
        parts.append(f'<p class="message muted">{_e(_first_clause(plain_words(m.note)))}</p>')
    if f is not None and f.cue:
        parts.append(f'<p class="cue"><span class="k">Cue</span> “{_e(f.cue)}”</p>')
    if full and step is not None:
        parts.append(
            f'<button type="button" class="show" data-step="{step}" data-slow="1">▶ Show me a landing '
            f"(step {step + 1}, ¼ speed)</button>"
        )
    parts.append("</article>")
    return "".join(parts)


def _first_clause(note: str) -> str:
    """The first clause of a metric's note, up to a semicolon or colon (the rest is in the table of every
    metric)."""
    return note.split("; ")[0].split(": ")[0]


def _summary_sentence(analysis: Analysis) -> str:
    """Every flag, borderline and watch among the findings, in the findings' order (most severe first, then the
    surest: ``guidance.confidence``), then the headline measures that look fine."""
    if analysis.verdicts_withheld:  # the reason and what to film, rather than "see the notes"
        return (
            f"No verdicts for this clip: {_e(analysis.verdicts_withheld)}. The measured values are shown with their "
            f"95% intervals. {_e(FILM_AGAIN)}."
        )
    heads = [(mid, analysis.metrics[mid]) for mid in headline_ids(analysis.view) if mid in analysis.metrics]
    return summary_sentence(analysis.findings, heads)


def summary_sentence(ordered: Sequence[Finding], heads: Sequence[tuple[str, MetricResult]]) -> str:
    """The ten-second summary of ``ordered`` findings (already ranked) and the ``heads`` headline measures that
    look fine; shared by the clip report and the session report (formcheck/report/session_html.py)."""

    def found(verdict: str) -> list[str]:
        return [title(f.metric).lower() for f in ordered if f.verdict == verdict]

    flagged, borderline, watch = found("flag"), found("borderline"), found("watch")
    good = [title(mid).lower() for mid, m in heads if m.verdict == "good"]
    bits = []
    if flagged:
        bits.append(f"Worth working on: <strong>{_e(', '.join(flagged))}</strong>.")
    if borderline:
        bits.append(
            f"Close to the line, within measurement error: <strong>{_e(', '.join(borderline))}</strong>."
        )
    if watch:
        bits.append(f"Worth a look: <strong>{_e(', '.join(watch))}</strong>.")
    if good:
        bits.append(f"Looking fine: {_e(', '.join(good))}.")
    if not flagged and not watch and not borderline:
        if not good:
            bits.insert(0, "No verdicts for this clip: see the notes above.")
        elif ordered:  # e.g. the knee bend at midstance: not a headline measure, still a finding
            bits.insert(0, "The headline measures look fine; the findings below are worth a look.")
        else:
            bits.insert(0, "Nothing in this clip stands out.")
    return " ".join(bits)


def _card_ids(analysis: Analysis, fbm: dict[str, Finding]) -> list[str]:
    """The headline metrics that get a card: those with a verdict or a finding, and, when the clip's verdicts were
    withheld, those with a measured value. The other n/a ones are listed in one line instead (``_not_measured``),
    out of the way."""

    def shown(m: MetricResult) -> bool:
        return m.verdict != "n/a" or bool(analysis.verdicts_withheld and not is_missing(m.value))

    return [
        mid
        for mid in headline_ids(analysis.view)
        if mid in fbm or (mid in analysis.metrics and shown(analysis.metrics[mid]))
    ]


def _not_measured(analysis: Analysis, fbm: dict[str, Finding]) -> str:
    """One compact line for the headline metrics this clip gives no verdict on: those the camera view cannot
    measure (with the view that can), then those the clip had too little evidence for (with the reason)."""
    other = [label(mid).lower() for mid in not_measured_from(analysis.view)]
    shown = set(_card_ids(analysis, fbm))
    missing = [
        (label(mid).lower(), _first_clause(plain_words(analysis.metrics[mid].note)))
        for mid in headline_ids(analysis.view)
        if mid not in shown and mid in analysis.metrics
    ]
    parts = []
    if other:
        where = "from the side" if analysis.view != "side" else "from behind"
        them = "it" if len(other) == 1 else "them"
        parts.append(f"Not measured from this view: {_e(', '.join(other))} (film {where} to get {them}).")
    if missing:
        # A reason already in "Before you read on" (a slowed-down clip's cadence) is not said again in full.
        told = [w.lower() for w in analysis.warnings]
        missing = [
            (name, "see above" if why and any(why.lower() in w for w in told) else why)
            for name, why in missing
        ]
        parts.append(
            "No verdict in this clip: "
            + "; ".join(f"{_e(name)} ({_e(why)})" if why else _e(name) for name, why in missing)
            + "."
        )
    return f'<p class="not-measured muted">{" ".join(parts)}</p>' if parts else ""


# How the header says where the runner goes: a rear view's "away" alone reads as a stray word.
_DIRECTION_WORDS = {"away": "running away from the camera", "toward": "running toward the camera"}


def direction_words(direction: str) -> str:
    """The direction of travel in words: 'running left', 'running away from the camera'."""
    return _DIRECTION_WORDS.get(direction, f"running {direction}")


def _sentence(text: str) -> str:
    """A guidance statement or a warning (stored lower-case, to be quoted mid-sentence or in a terminal line) as
    a sentence of its own."""
    text = text.strip()
    if not text:
        return text
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _finding_detail(f: Finding, m: MetricResult | None) -> str:
    rows = [
        f'<details class="finding v-{_slug(f.verdict)}">',
        f"<summary><h3>{_e(title(f.metric))}</h3>{_chip(f.verdict)}</summary>",
        f"<p>{_e(f.message)}</p><dl>",
        f"<dt>Guidance</dt><dd>{_e(_sentence(f.guidance))}</dd>",
    ]
    if f.why:
        rows.append(f"<dt>Why it matters</dt><dd>{_e(f.why)}</dd>")
    if f.helps:
        rows.append(f"<dt>What helps</dt><dd>{_e(f.helps)}</dd>")
    if f.cue:
        rows.append(f"<dt>Cue</dt><dd>“{_e(f.cue)}”</dd>")
    ev = f.evidence or (m.evidence if m is not None else "")
    if ev:
        rows.append(
            f'<dt>Evidence</dt><dd><abbr title="{_e(EVIDENCE_LEGEND.get(ev, ""))}">{_e(ev)}</abbr> – '
            f"{_e(EVIDENCE_LEGEND.get(ev, ''))}</dd>"
        )
    rows.append("</dl></details>")
    return "".join(rows)


def _jpeg_data_uri(rgb: np.ndarray, max_side_px: int = 720, quality: int = 82) -> str:
    h, w = rgb.shape[:2]
    k = min(1.0, max_side_px / max(h, w))
    img = (
        cv2.resize(rgb, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        if k < 1
        else rgb
    )
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def _key_frames(frames: Sequence[KeyFrame]) -> str:
    if not frames:
        return (
            '<p class="muted">No key frames: the input video could not be decoded again for this report.</p>'
        )
    figs = []
    for k in frames:
        uri = _jpeg_data_uri(k.rgb)
        if not uri:
            continue
        alt = f"{k.side} foot, step {k.step_index + 1}, {k.time_s:.2f} s"
        h, w = k.rgb.shape[:2]
        figs.append(
            f'<figure class="keyframe"><a href="#fc-video" class="kf" data-step="{k.step_index}" '
            f'title="see this landing in the video"><img src="{uri}" width="{w}" height="{h}" alt="{_e(alt)}"></a>'
            f"<figcaption>{_e(k.caption or alt)}</figcaption></figure>"
        )
    return f'<div class="keyframes">{"".join(figs)}</div>'


def _plots(plots: Sequence[Plot]) -> str:
    if not plots:
        return '<p class="muted">No per-step values to plot in this clip.</p>'
    return "".join(
        f'<figure class="plot-fig" id="plot-{_e(p.id)}"><h3>{_e(p.title)}</h3>{p.svg}'
        f"<figcaption>{_e(p.caption)}</figcaption></figure>"
        for p in plots
    )


def _side(m: MetricResult) -> str:
    if not m.per_side:
        return ""
    vals = [m.per_side.get(s) for s in ("left", "right")]
    if all(is_missing(v) for v in vals):
        return ""
    # Each side's value stays whole; the line may break after the slash (a narrow desktop table, a phone).
    return " / ".join(f'<span class="nowrap">{_e(fmt_number(v, m.unit))}</span>' for v in vals)


def _metric_table(analysis: Analysis) -> str:
    th = analysis.settings.thresholds
    rows = []
    for mid in ordered_ids(list(analysis.metrics)):
        m = analysis.metrics[mid]
        bands = metric_bands(mid, th)
        band_html = ""
        if bands is not None:
            band_html = (
                f'<details class="bands"><summary>bands and source</summary><div>{_e(bands.bands)}</div>'
                f'<div class="muted">{_e(bands.source)}</div></details>'
            )
        spread = "" if is_missing(m.spread) else fmt_number(m.spread, m.unit)
        rows.append(
            "<tr>"
            f'<th scope="row">{_e(title(mid))}<div class="small muted mono">{_e(mid)}</div></th>'
            f'<td class="num" data-label="Value">{_e(_value(m))}</td>'
            f'<td class="num lr" data-label="Left / right">{_side(m)}</td>'
            f'<td class="num" data-label="Spread (IQR)">{_e(spread)}</td>'
            f'<td class="num" data-label="Steps">{m.n_steps}</td>'
            f'<td data-label="Evidence"><abbr title="{_e(EVIDENCE_LEGEND.get(m.evidence, ""))}">'
            f"{_e(m.evidence)}</abbr></td>"
            f'<td data-label="Verdict">{_chip(m.verdict)}</td>'
            f'<td class="note" data-label="Note">{_e(plain_words(m.note))}{band_html}</td>'
            "</tr>"
        )
    legend = " ".join(f"<li><strong>{k}</strong> {_e(v)}</li>" for k, v in EVIDENCE_LEGEND.items())
    return (
        '<div class="table-wrap"><table class="metrics"><thead><tr><th scope="col">Metric</th>'
        '<th scope="col">Value</th><th scope="col">Left / right</th><th scope="col">Spread (IQR)</th>'
        '<th scope="col">Steps</th><th scope="col">Evidence</th><th scope="col">Verdict</th>'
        '<th scope="col">Note, bands and source</th></tr></thead><tbody>'
        + "".join(rows)
        + f'</tbody></table></div><ul class="legend" aria-label="evidence tags">{legend}</ul>'
    )


def _details(analysis: Analysis) -> str:
    v = analysis.video
    ev = analysis.events
    items = [
        ("File", Path(v.path).name),
        ("Resolution", f"{v.width} × {v.height} px"),
        (
            "Frame rate",
            f"{v.fps:.2f} fps"
            + (" (variable)" if v.variable_frame_rate else "")
            + (f", captured at {v.capture_fps:g} fps" if v.capture_fps else "")
            + (
                f", about {v.picture_fps:.0f} different pictures/s"
                if v.picture_fps and v.picture_fps < analysis.settings.pose.repeat_warn_ratio * v.fps
                else ""
            ),
        ),
        ("Frames", str(v.n_frames)),
        ("Duration", f"{v.duration_s:.2f} s"),
        *(
            [("Analysed part", f"{span[0]:.2f} s to {span[1]:.2f} s of the clip (--start/--end)")]
            if (span := trimmed_span_s(analysis))
            else []
        ),
        ("Rotation", f"{v.rotation_deg}°"),
        ("View", f"{analysis.view}" + (f" ({analysis.view_reason})" if analysis.view_reason else "")),
        ("Direction of travel", direction_words(analysis.direction)),
        ("Pose model", analysis.pose_model),
        ("Runner detected", f"{analysis.detected_fraction * 100:.1f}% of frames"),
        ("Filter cut-off", f"{analysis.filter_cutoff_hz:g} Hz (zero-lag Butterworth)"),
        ("Leg length", f"{analysis.leg_length_px:.0f} px"),
        ("Camera roll corrected", f"{analysis.roll_deg:.1f}°"),
        (
            "Steps",
            f"{len(ev.steps)} detected, {len(ev.valid_steps)} valid, {ev.n_rejected} rejected "
            f"({ev.rejection_rate * 100:.0f}%)",
        ),
        ("Input SHA-256", analysis.input_sha256),
        ("formcheck", analysis.formcheck_version or __version__),
    ]
    if analysis.height_cm:
        items.insert(
            [k for k, _ in items].index("Leg length") + 1, ("Runner height", f"{analysis.height_cm:g} cm")
        )
    if ev.contact_timing != "landmarks":  # the opt-in (gait.contact_timing = "sole"): say what was used
        timing = (
            "from the shoe's sole in the picture"
            if ev.contact_timing == "sole"
            else f"from the landmarks: the sole's edge was not used ({ev.contact_timing.partition(': ')[2]})"
        )
        items.insert([k for k, _ in items].index("Steps") + 1, ("Contact times", timing))
    rejected = [
        f"step {i + 1} ({s.side}, {s.contact_s:.2f} s): {s.reject_reason or 'rejected'}"
        for i, s in enumerate(ev.steps)
        if not s.valid
    ]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(val)}</dd>" for k, val in items)
    rej = ""
    if rejected:
        rej = "<h3>Rejected steps</h3><ul>" + "".join(f"<li>{_e(r)}</li>" for r in rejected) + "</ul>"
    return f'<dl class="details">{dl}</dl>{rej}'


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
    fbm = _findings_by_metric(analysis)
    th = analysis.settings.thresholds
    cards = "".join(
        _card(
            mid,
            analysis.metrics.get(mid),
            fbm.get(mid),
            th,
            typical_step(analysis, mid),
            bool(analysis.verdicts_withheld),
        )
        for mid in _card_ids(analysis, fbm)
    )
    details = "".join(_finding_detail(f, analysis.metrics.get(f.metric)) for f in analysis.findings)
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
            + "".join(f"<li>{_e(_sentence(w))}</li>" for w in told)
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
  <p class="lead">{_summary_sentence(analysis)}</p>
  {_not_measured(analysis, fbm)}
  <div class="hero {shape}" style="--ar:{width / height:.4f}">
    <div class="hero-video" id="video">{player}</div>
    <div class="cards">{cards}</div>
  </div>
  <p class="disclaimer" role="note"><strong>Not a diagnosis.</strong> {_e(DISCLAIMER)}</p>
</section>
<section id="keyframes" aria-labelledby="h-keyframes">
  <h2 id="h-keyframes">Landing, frame by frame</h2>
  {_key_frames(key_frames)}
</section>
<section id="plots" aria-labelledby="h-plots">
  <h2 id="h-plots">Step by step</h2>
  <div class="plots">{_plots(all_plots(analysis))}</div>
</section>
{_fold("findings", "What we saw and what helps", findings_body)}
{_fold("steps", f"Every step ({len(ev.steps)})", steps_table(analysis))}
{_fold("metrics", "Every metric", _metric_table(analysis))}
{_fold("clip", "About this clip", _details(analysis))}
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


# Pieces the session report (formcheck/report/session_html.py) reuses, so both pages word a measure alike.
headline_card = _card
verdict_chip = _chip
finding_detail = _finding_detail
