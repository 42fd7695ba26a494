"""Give freed heap memory back to the operating system between the stages of an analysis.

glibc keeps freed memory in the process for reuse, and after a large block is freed it raises its threshold for
serving large blocks from the heap instead of fresh mappings. So the pose pass's and the analysis's temporary
arrays stay resident after they are freed, and the annotated-video pass's frame buffers then come on top: peak RSS
grew with the clip's length (issue 7). ``malloc_trim(0)`` returns the free heap pages; elsewhere (no glibc) this
does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (e.g. musl)
        return None


def release_free_memory() -> bool:
    """Return free heap memory to the OS (glibc ``malloc_trim``); True when it was supported."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
