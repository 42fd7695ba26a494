"""formcheck.memory: freed heap memory goes back to the OS between stages (issue 7)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from formcheck.memory import release_free_memory


def _rss_kib() -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc_trim")
def test_freed_heap_blocks_are_returned() -> None:
    """200 MB of 64 KB arrays (served from the heap, below glibc's mmap threshold) freed under one live block that
    pins the heap's top, so glibc cannot shrink the heap by itself: the trim gives the pages back."""
    before = _rss_kib()
    blocks = [np.ones(8_000) for _ in range(3_200)]  # 8,000 float64 = 64 KB each
    pin = np.ones(8_000)
    grown = _rss_kib() - before
    del blocks
    assert release_free_memory() is True
    after = _rss_kib() - before
    assert grown > 150_000, grown  # the blocks were resident
    assert after < 50_000, (grown, after)  # and are not any more
    del pin
