"""The acquires of one recipe object still waiting, so that ``cancel()`` can end them all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler

V = TypeVar("V")


class Acquirable(Protocol):
    """What :class:`PendingAcquires` needs of a raw CP proxy (FencedLock, Semaphore)."""

    def abandon(self, result: Any) -> bool: ...
    def wait_for(self, result: Any) -> Any: ...


class PendingAcquires(Generic[V]):
    """Tracks the waiting acquires of one Lock or Semaphore recipe object.

    ``proxy`` is the raw CP proxy the acquires go through (FencedLock or Semaphore): it
    provides ``abandon(result)`` (end the wait; a later grant is given back) and
    ``wait_for(result)`` (wait, abandoning the request if the caller gives up). ``V`` is
    what an acquire's result holds (a fence, or whether a permit was taken).
    """

    def __init__(self, handler: Handler, proxy: Acquirable) -> None:
        self._proxy = proxy
        self._lock = handler.lock_object()
        self._waiting: Dict[int, AsyncResult[V]] = {}
        self._cancels = 0

    def generation(self) -> int:
        """Taken when an acquire begins: a :meth:`cancel` after this moment cancels it."""
        with self._lock:
            return self._cancels

    def wait(self, result: AsyncResult[V], generation: int) -> V:
        """Wait on ``result`` (an acquire's async result) and return its value.

        Raises AcquireCancelledError if :meth:`cancel` ran since ``generation`` (also
        while the request was still being sent), and whatever the wait raises."""
        key = id(result)
        with self._lock:
            self._waiting[key] = result
            cancelled = self._cancels != generation
        if cancelled:
            self._proxy.abandon(result)
        try:
            value: V = self._proxy.wait_for(result)
            return value
        finally:
            with self._lock:
                self._waiting.pop(key, None)

    def cancel(self) -> None:
        """End every waiting acquire: each raises AcquireCancelledError in its waiter."""
        with self._lock:
            self._cancels += 1
            waiting = list(self._waiting.values())
        for result in waiting:
            self._proxy.abandon(result)
