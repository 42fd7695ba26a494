"""formcheck's errors. Each says what went wrong and what to do; the CLI prints it as one line (exit code 2).

Anything that is not a FormcheckError is a bug (exit code 1).
"""

from __future__ import annotations


class FormcheckError(Exception):
    """Base of every expected failure: bad input, or a clip that cannot be analysed."""

    exit_code = 2


class UsageError(FormcheckError):
    """Bad command-line arguments or settings."""


class VideoError(FormcheckError):
    """The file is missing, not a video, empty, truncated or unreadable."""


class ModelError(FormcheckError):
    """The pose model cannot be found, built or loaded."""


class NoRunnerError(FormcheckError):
    """Nobody (or nobody usable) was found in the clip."""


class NotRunningError(FormcheckError):
    """A person was found but is not running (standing, walking)."""


class TooFewStepsError(FormcheckError):
    """The clip holds too few usable steps for the metrics."""


class ViewError(FormcheckError):
    """The camera view (side, rear, front) cannot be told or does not suit the request."""


class InvalidDataError(FormcheckError):
    """A core data structure was built with inconsistent contents (shapes, NaN time, non-increasing time)."""


class OutputError(FormcheckError):
    """Outputs cannot be written (folder not writable, disk full)."""
