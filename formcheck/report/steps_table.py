"""The report's table of steps: one narrow row per landing (foot, time and the view's per-step values) that a reader
taps to see that landing in the video. Narrow enough for a phone without sideways scrolling."""

from __future__ import annotations

from formcheck.metrics.display import fmt_number
from formcheck.model import Analysis
from formcheck.report.escaping import html_escape as _e
from formcheck.report.views import step_columns


def steps_table(analysis: Analysis) -> str:
    """The steps as an HTML table whose rows carry ``data-step`` (the page's script seeks to them)."""
    steps = analysis.events.steps
    if not steps:
        return '<p class="muted">No steps were detected.</p>'
    cols = [(mid, head) for mid, head in step_columns(analysis.view) if mid in analysis.metrics]
    head = "".join(f'<th scope="col" class="num">{_e(h)}</th>' for _, h in cols)
    rows = []
    for i, s in enumerate(steps):
        cells = []
        for mid, _ in cols:
            m = analysis.metrics[mid]
            v = m.per_step[i] if m.per_step is not None and i < len(m.per_step) else None
            cells.append(f'<td class="num">{_e(fmt_number(v, m.unit))}</td>')
        note = "" if s.valid else f'<div class="small muted">{_e(s.reject_reason or "not measured")}</div>'
        cls = "step-row" + ("" if s.valid else " rejected")
        rows.append(
            f'<tr class="{cls}" data-step="{i}"><td class="num">{i + 1}</td>'
            f'<td><span class="foot"><span class="dot {_e(s.side)}" aria-hidden="true"></span>{_e(s.side)}</span>'
            f"{note}</td>"
            f'<td class="num">{s.contact_s:.2f}</td>{"".join(cells)}</tr>'
        )
    return (
        '<table class="steps"><thead><tr><th scope="col" class="num">#</th><th scope="col">Foot</th>'
        f'<th scope="col" class="num">Time (s)</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
