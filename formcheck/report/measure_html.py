"""How one measure and its verdict read on the clip and session reports: the verdict's chip, the value, the interval
it was judged on, and a finding's details (guidance, why, what helps, cue, evidence)."""

from __future__ import annotations

from formcheck.config import Thresholds
from formcheck.metrics.display import VERDICT_WORDS, fmt_interval, fmt_number, is_missing
from formcheck.metrics.registry import REGISTRY, bands_for, title
from formcheck.model import Finding, MetricResult
from formcheck.report.escaping import html_escape as _e
from formcheck.report.labels import EVIDENCE_LEGEND, VERDICT_SYMBOLS


def verdict_chip(verdict: str) -> str:
    """The verdict as a coloured chip: its symbol (for colour-blind readers) and its word."""
    return (
        f'<span class="chip v-{verdict_slug(verdict)}"><span aria-hidden="true">{VERDICT_SYMBOLS.get(verdict, "")}'
        f"</span> {_e(VERDICT_WORDS.get(verdict, verdict))}</span>"
    )


def verdict_slug(verdict: str) -> str:
    """The verdict as a CSS class suffix (``n/a`` -> ``na``)."""
    return "na" if verdict == "n/a" else verdict


def value_text(m: MetricResult) -> str:
    """The metric's value with its unit, and in centimetres too when the runner's height was given."""
    text = fmt_number(m.value, m.unit)
    if m.value_cm is not None and not is_missing(m.value_cm):
        text += f" ({m.value_cm:.1f} cm)"
    return text


def interval_html(m: MetricResult | None, th: Thresholds) -> str:
    """The 95% interval the verdict was judged on, in words a runner reads: 'likely 9.4 to 18.2'; for a metric
    judged on another quantity (overstride: the heel's reach), that quantity's value and interval. Rounded outward
    at the decimals shown, each end in the band it lies in (``display.fmt_interval``): side_24's reach interval,
    29.96 to 34.7, reads '29 to 35' beside its borderline verdict against the 30% cut-off, not '30 to 35'."""
    if m is None:
        return ""
    bands = bands_for(m.id, th)
    band_of = None if bands is None else bands.verdict
    spec = REGISTRY.get(m.id)
    judged = m.extra.get("verdict_value"), m.extra.get("verdict_interval")
    if spec is not None and spec.category_share and spec.category_interval:
        # A category: the share that decides it, for every category (not only the one its verdict is judged on).
        share = m.extra.get(spec.category_share), m.extra.get(spec.category_interval)
        judged = share if share[0] is not None and share[1] is not None else judged
    if judged[0] is not None and judged[1] is not None:
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


def first_clause(note: str) -> str:
    """The first clause of a metric's note, up to a semicolon or colon (the rest is in the table of every
    metric)."""
    return note.split("; ")[0].split(": ")[0]


def as_sentence(text: str) -> str:
    """A guidance statement or a warning (stored lower-case, to be quoted mid-sentence or in a terminal line) as
    a sentence of its own."""
    text = text.strip()
    if not text:
        return text
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def finding_detail(f: Finding, m: MetricResult | None) -> str:
    """A finding folded under its title and chip: message, guidance, why it matters, what helps, cue, evidence."""
    rows = [
        f'<details class="finding v-{verdict_slug(f.verdict)}">',
        f"<summary><h3>{_e(title(f.metric))}</h3>{verdict_chip(f.verdict)}</summary>",
        f"<p>{_e(f.message)}</p><dl>",
        f"<dt>Guidance</dt><dd>{_e(as_sentence(f.guidance))}</dd>",
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
