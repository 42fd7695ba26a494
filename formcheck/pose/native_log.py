"""Keep MediaPipe's native start-up chatter off the user's terminal.

MediaPipe's C++ side and TensorFlow Lite write INFO and WARNING lines straight to file descriptor 2 when a
landmarker is created ("GPU support is not available", "Created TensorFlow Lite XNNPACK delegate", "Feedback
manager requires a model with a single signature", ...), before absl logging is initialised, so neither Python's
logging nor ``--quiet`` can silence them. ``filtered_native_stderr``, wrapped around the creation of a landmarker
only, sends fd 2 to a temporary file for the duration and writes back every line except those; errors (``E``/``F``
lines) and anything else, Python's own output included, still reach stderr, in order. (The one warning the graph
logs once per process, the first time it finds a person, is not filtered: frames are not wrapped.)"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

# glog/absl INFO and WARNING lines ("I0000 00:00:1796287053.430591    2463 task_runner.cc:85] ...") and TFLite's
# and absl's fixed banners. Error and fatal lines (E..., F...) are kept.
_CHATTER = re.compile(
    rb"^(?:[IW]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [\w./-]+:\d+\] "
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called"
    rb"|INFO: Created TensorFlow Lite )"
)


def drop_native_chatter(text: bytes) -> bytes:
    """``text`` without MediaPipe's native INFO/WARNING lines."""
    return b"".join(line for line in text.splitlines(keepends=True) if not _CHATTER.match(line))


@contextmanager
def filtered_native_stderr() -> Iterator[None]:
    """Within the block, what is written to fd 2 is held back and written out afterwards minus MediaPipe's
    native INFO/WARNING chatter. Does nothing if fd 2 cannot be duplicated or the temporary file not made."""
    held = saved = None
    try:
        sys.stderr.flush()
        held = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the with below, or on failure)
        saved = os.dup(2)
    # No usable fd 2, or no room for the file: leave stderr alone.
    except (OSError, ValueError, AttributeError):
        if held is not None:
            held.close()
        held = None
    if held is None or saved is None:
        yield
        return
    with held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            with suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = memoryview(drop_native_chatter(held.read()))
            while kept:
                kept = kept[os.write(2, kept) :]
