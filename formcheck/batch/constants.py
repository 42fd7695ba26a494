"""Names shared by the batch modules."""

from __future__ import annotations

from collections.abc import Callable

SUMMARY_NAME = "summary.csv"
INDEX_NAME = "index.html"
UNKNOWN_ATHLETE = "unknown"
EXIT_OK, EXIT_BAD_INPUT, EXIT_PARTIAL = 0, 2, 3  # docs/outputs.md "Exit codes"

VIDEO_EXTENSIONS = frozenset(
    [
        ".mp4",
        ".m4v",
        ".mov",
        ".qt",
        ".3gp",
        ".3g2",
        ".mkv",
        ".webm",
        ".avi",
        ".mts",
        ".m2ts",
        ".ts",
        ".mpg",
        ".mpeg",
        ".flv",
        ".wmv",
        ".asf",
        ".ogv",
    ]
)
_ISO_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")

Progress = Callable[[int, int, int], None]  # (clips done, of which failed, clips total)
