"""The annotated-video pass's helper threads (formcheck/streaming.py): order kept, queues bounded, errors re-raised
unchanged, helpers stopped when the caller stops early."""

from __future__ import annotations

import threading
import time

import pytest

from formcheck.errors import OutputError, VideoError
from formcheck.streaming import BackgroundSink, prefetch


def _helpers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("formcheck-") and t.is_alive()]


def test_prefetch_keeps_order_and_stays_bounded() -> None:
    made = []

    def items():
        for i in range(50):
            made.append(i)
            yield i

    seen = []
    for i in prefetch(items(), maxsize=3):
        time.sleep(0.002)
        assert len(made) - len(seen) <= 3 + 2  # queue + the item being put + the one being consumed
        seen.append(i)
    assert seen == list(range(50))
    assert not _helpers_alive()


def test_prefetch_reraises_the_producer_error() -> None:
    err = VideoError("clip.mp4: damaged: copy the original again")

    def items():
        yield 1
        raise err

    with pytest.raises(VideoError) as info:
        list(prefetch(items()))
    assert info.value is err
    assert not _helpers_alive()


def test_prefetch_stops_its_thread_when_the_consumer_stops() -> None:
    def endless():
        i = 0
        while True:
            yield i
            i += 1

    with pytest.raises(KeyboardInterrupt):
        for i in prefetch(endless(), maxsize=2):
            if i == 5:
                raise KeyboardInterrupt
    assert not _helpers_alive()


def test_sink_consumes_in_order() -> None:
    got = []
    with BackgroundSink(lambda a, b: got.append((a, b)), maxsize=2) as sink:
        for i in range(30):
            sink.put(i, -i)
    assert got == [(i, -i) for i in range(30)]
    assert not _helpers_alive()


def test_sink_error_reaches_the_caller_unchanged() -> None:
    err = OutputError("cannot write video annotated.mp4: the disk is full; free some space")

    def consume(i: int) -> None:
        if i == 3:
            raise err

    with pytest.raises(OutputError) as info, BackgroundSink(consume, maxsize=2) as sink:
        for i in range(100):
            sink.put(i)
    assert info.value is err
    assert not _helpers_alive()


def test_sink_stops_when_the_caller_fails() -> None:
    got = []
    with (
        pytest.raises(KeyboardInterrupt),
        BackgroundSink(lambda i: (time.sleep(0.01), got.append(i))) as sink,
    ):
        for i in range(100):
            sink.put(i)
            if i == 10:
                raise KeyboardInterrupt
    assert len(got) <= 11
    assert not _helpers_alive()
