"""The line under a report's title saying whose clip it is, when it was recorded, and links back to the batch's
roster and the athlete's page. Written into ``report.html`` between two markers, so a batch can set or update it
(a new athlete name, a corrected date) without analysing the clip again."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.files import write_text_atomic

START, END = "<!--formcheck:context-->", "<!--/formcheck:context-->"

_STYLE = "margin:6px auto 0;color:#c9d1d9;font-size:.95rem;overflow-wrap:anywhere"
_LINK_STYLE = "color:#79c0ff"


@dataclass(frozen=True)
class ReportContext:
    """Who and when, and where to go back to (label, relative href); empty fields are left out."""

    athlete: str = ""
    recorded: str = ""  # e.g. "2026-05-01 (folder or file name)"
    links: Sequence[tuple[str, str]] = field(default_factory=tuple)


def context_block(ctx: ReportContext | None = None) -> str:
    """The block between its markers (empty markers for no context: a batch may fill them later)."""
    if ctx is None:
        return START + END
    e = html.escape
    parts = []
    if ctx.athlete:
        parts.append(f"Athlete: <strong>{e(ctx.athlete)}</strong>")
    if ctx.recorded:
        parts.append(f"Recorded {e(ctx.recorded)}")
    parts += [
        f'<a style="{_LINK_STYLE}" href="{e(href, quote=True)}">{e(label)}</a>' for label, href in ctx.links
    ]
    body = f'<p class="context-line" style="{_STYLE}">{" · ".join(parts)}</p>' if parts else ""
    return START + body + END


def set_report_context(report: str | os.PathLike[str], ctx: ReportContext | None) -> bool:
    """Put ``ctx`` into an existing ``report.html`` (atomically). False when the report is missing or was written
    before it had the markers (it is left as it is)."""
    path = Path(report)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    i, j = text.find(START), text.find(END)
    if i < 0 or j < i:
        return False
    new = text[:i] + context_block(ctx) + text[j + len(END) :]
    if new != text:
        write_text_atomic(path, new)
    return True
