"""formcheck: running-form analysis from video.

Public API: ``analyze_clip``, ``analyze_folder``, ``load_analysis``. Importing formcheck changes nothing global
(no logging configuration, no environment changes).
"""

from __future__ import annotations

from formcheck.version import __version__

__all__ = ["__version__", "analyze_clip", "analyze_folder", "load_analysis"]


def __getattr__(name: str):  # lazy: importing formcheck must not import mediapipe or av
    if name == "analyze_clip":
        from formcheck.pipeline import analyze_clip

        return analyze_clip
    if name == "analyze_folder":
        from formcheck.batch import analyze_folder

        return analyze_folder
    if name == "load_analysis":
        from formcheck.report.json_out import load_analysis

        return load_analysis
    raise AttributeError(f"module 'formcheck' has no attribute {name!r}")
