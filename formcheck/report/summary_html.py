"""The clip report's "In ten seconds": the headline cards (value, verdict, message, cue and the typical landing to
play), the summary sentence, and one line for the headline measures this clip gives no verdict on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from formcheck.config import Thresholds
from formcheck.guidance import good_message
from formcheck.metrics.display import is_missing, plain_words
from formcheck.metrics.registry import label, not_measured_from, ordered_specs, title
from formcheck.metrics.withheld import FILM_AGAIN, NO_VERDICT
from formcheck.model import Analysis, Finding, MetricResult
from formcheck.report.escaping import html_escape as _e
from formcheck.report.measure_html import first_clause, interval_html, value_text, verdict_chip, verdict_slug
from formcheck.report.views import CARD_STEP_METRIC, headline_ids


def findings_by_metric(analysis: Analysis) -> dict[str, Finding]:
    """Each metric's first finding, and the finding that speaks for a headline card through one of its parts."""
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


def headline_card(
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
    value = value_text(m) if m is not None else "–"
    full = f is not None or verdict in ("flag", "borderline", "watch")
    parts = [
        f'<article class="card v-{verdict_slug(verdict)}{"" if full else " compact"}" id="card-{_e(mid)}">',
        f"<header><h3>{_e(title(mid))}</h3>{verdict_chip(verdict)}</header>",
        f'<p class="value">{_e(value)}{interval_html(m, th)}</p>',
    ]
    if f is not None and f.message:
        parts.append(f'<p class="message">{_e(f.message)}</p>')
    elif m is not None and good_message(m, th):
        parts.append(f'<p class="message">{_e(good_message(m, th))}</p>')
    elif withheld and m is not None and NO_VERDICT in m.note:  # n/a for its own reason: says nothing more
        parts.append('<p class="message muted">Measured, not judged: too few usable steps (see above).</p>')
    elif m is not None and m.note:
        parts.append(f'<p class="message muted">{_e(first_clause(plain_words(m.note)))}</p>')
    if f is not None and f.cue:
        parts.append(f'<p class="cue"><span class="k">Cue</span> “{_e(f.cue)}”</p>')
    if full and step is not None:
        parts.append(
            f'<button type="button" class="show" data-step="{step}" data-slow="1">▶ Show me a landing '
            f"(step {step + 1}, ¼ speed)</button>"
        )
    parts.append("</article>")
    return "".join(parts)


def clip_summary_sentence(analysis: Analysis) -> str:
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


def card_ids(analysis: Analysis, fbm: dict[str, Finding]) -> list[str]:
    """The headline metrics that get a card: those with a verdict or a finding, and, when the clip's verdicts were
    withheld, those with a measured value. The other n/a ones are listed in one line instead (``not_measured_line``),
    out of the way."""

    def shown(m: MetricResult) -> bool:
        return m.verdict != "n/a" or bool(analysis.verdicts_withheld and not is_missing(m.value))

    return [
        mid
        for mid in headline_ids(analysis.view)
        if mid in fbm or (mid in analysis.metrics and shown(analysis.metrics[mid]))
    ]


def not_measured_line(analysis: Analysis, fbm: dict[str, Finding]) -> str:
    """One compact line for the headline metrics this clip gives no verdict on: those the camera view cannot
    measure (with the view that can), then those the clip had too little evidence for (with the reason)."""
    other = [label(mid).lower() for mid in not_measured_from(analysis.view)]
    shown = set(card_ids(analysis, fbm))
    missing = [
        (label(mid).lower(), first_clause(plain_words(analysis.metrics[mid].note)))
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
