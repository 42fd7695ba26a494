"""Untrusted text (file and folder names, athletes) made safe where it is written: valid UTF-8 for files, no
control sequences for the terminal, no formulas for spreadsheets."""

from __future__ import annotations

import logging
import re

# C0 and C1 controls, DEL, the Unicode line separators, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """``text`` as valid Unicode: bytes of a name that is not UTF-8 (held by Python as lone surrogates,
    ``L\\udce4ufer``) become U+FFFD, as ``ls`` shows them."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no byte stands for
        return text.encode("utf-8", "replace").decode("utf-8")


def for_terminal(text: str, keep_newlines: bool = False) -> str:
    """``text`` for a terminal: control characters and escape sequences shown as ``\\x1b``, never run; invalid
    UTF-8 as U+FFFD. Newlines are kept only with ``keep_newlines`` (a traceback in a log)."""
    keep = "\n" if keep_newlines else ""
    return _CONTROL.sub(lambda m: m.group() if m.group() == keep else repr(m.group())[1:-1], clean_text(text))


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula and that no line-based reader splits: text
    starting with ``= + - @`` gets a leading ``'``, control characters are escaped (``for_terminal``). Numbers
    are left as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return for_terminal(value)


class TerminalFormatter(logging.Formatter):
    """A log formatter whose lines are safe for a terminal (``for_terminal``)."""

    def format(self, record: logging.LogRecord) -> str:
        return for_terminal(super().format(record), keep_newlines=True)
