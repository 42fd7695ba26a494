"""HTML escaping shared by the report pages: every value written into a page goes through ``html_escape``."""

from __future__ import annotations

from html import escape


def html_escape(x: object) -> str:
    """``x`` as text safe inside an HTML element or a quoted attribute."""
    return escape(str(x), quote=True)
