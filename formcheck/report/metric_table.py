"""The report's "Every metric": one row per metric (value, left / right, spread, steps, evidence, verdict, note, bands
and their source) and the legend of the evidence tags."""

from __future__ import annotations

from formcheck.metrics.display import fmt_number, is_missing, plain_words
from formcheck.metrics.registry import title
from formcheck.model import Analysis, MetricResult
from formcheck.report.escaping import html_escape as _e
from formcheck.report.labels import EVIDENCE_LEGEND, metric_bands, ordered_ids
from formcheck.report.measure_html import value_text, verdict_chip


def _side(m: MetricResult) -> str:
    """The left and right values, "" when the metric has none."""
    if not m.per_side:
        return ""
    vals = [m.per_side.get(s) for s in ("left", "right")]
    if all(is_missing(v) for v in vals):
        return ""
    # Each side's value stays whole; the line may break after the slash (a narrow desktop table, a phone).
    return " / ".join(f'<span class="nowrap">{_e(fmt_number(v, m.unit))}</span>' for v in vals)


def metric_table(analysis: Analysis) -> str:
    """Every metric of ``analysis`` in the report's order, with the bands of its own thresholds."""
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
            f'<td class="num" data-label="Value">{_e(value_text(m))}</td>'
            f'<td class="num lr" data-label="Left / right">{_side(m)}</td>'
            f'<td class="num" data-label="Spread (IQR)">{_e(spread)}</td>'
            f'<td class="num" data-label="Steps">{m.n_steps}</td>'
            f'<td data-label="Evidence"><abbr title="{_e(EVIDENCE_LEGEND.get(m.evidence, ""))}">'
            f"{_e(m.evidence)}</abbr></td>"
            f'<td data-label="Verdict">{verdict_chip(m.verdict)}</td>'
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
