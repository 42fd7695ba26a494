"""Overlap decoding, the work on a frame and encoding with helper threads joined by bounded queues (issue 7): the
pose pass decodes ahead of the model, the annotated-video pass decodes ahead and encodes behind while it draws.
PyAV decodes and encodes with the GIL released, so those run while this thread works. At most ``maxsize`` frames
wait in each queue, so memory does not grow with the clip. An exception in a helper thread is re-raised unchanged in the caller; when the caller stops
early (an error, KeyboardInterrupt, ``break``) both helpers are stopped and joined."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
QUEUE_FRAMES = 4  # frames in flight per queue: enough to absorb jitter, ~15 MB at 1080p
_POLL_S = 0.1
_END = object()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _put(q: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Put ``item`` unless ``stop`` is set first; False when stopped."""
    while not stop.is_set():
        try:
            q.put(item, timeout=_POLL_S)
            return True
        except queue.Full:
            continue
    return False


def prefetch(items: Iterable[T], maxsize: int = QUEUE_FRAMES, name: str = "formcheck-decode") -> Iterator[T]:
    """Iterate ``items`` in a helper thread, at most ``maxsize`` ahead of the consumer."""
    q: queue.Queue = queue.Queue(maxsize=maxsize)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(q, item, stop):
                    return
            _put(q, _END, stop)
        except BaseException as e:  # re-raised in the consumer
            _put(q, _Failed(e), stop)

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue, then wait for it
            with contextlib.suppress(queue.Empty):
                q.get_nowait()
            worker.join(_POLL_S)


class BackgroundSink:
    """Call ``consume(*args)`` for each ``put(*args)`` in a helper thread, in order, with at most ``maxsize``
    calls waiting. Use as a context manager: leaving the block normally waits for the last call and re-raises its
    error; leaving it by an exception stops the helper after its current call."""

    def __init__(
        self, consume: Callable[..., object], maxsize: int = QUEUE_FRAMES, name: str = "formcheck-encode"
    ) -> None:
        self._consume = consume
        self._q: queue.Queue = queue.Queue(maxsize=maxsize)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> BackgroundSink:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            try:
                item = self._q.get(timeout=_POLL_S)
            except queue.Empty:
                if self._stop.is_set():
                    return
                continue
            if item is _END or self._stop.is_set():
                return
            try:
                self._consume(*item)
            except BaseException as e:  # re-raised in the caller at its next put() or at the end
                self._error = e
                self._stop.set()
                return

    def put(self, *args: object) -> None:
        if self._error is not None:
            raise self._error
        if not _put(self._q, args, self._stop):
            if self._error is not None:
                raise self._error
            raise RuntimeError("put() after the sink stopped")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            _put(self._q, _END, self._stop)
            self._thread.join()
            if self._error is not None:
                raise self._error
            return
        self._stop.set()
        self._thread.join()
        if self._error is not None:
            log.debug("the encoder also failed while stopping: %s", self._error)
