"""Blocking CP acquires in flight, and the ones their caller walked away from.

A FencedLock ``lock``/``try_lock`` or a Semaphore ``acquire``/``try_acquire`` may wait on
the member for a long time, and its caller may leave that wait without an answer: a
``gevent.Timeout`` or ``greenlet.kill()``, an exception raised into the waiting thread
(KeyboardInterrupt), the client-side deadline of a bounded wait, or ``abandon(result)``
(a recipe's ``cancel()``) from another thread or greenlet. The request is still queued on
the member, which may grant it later -- to nobody. So such a wait is *abandoned*: the
client remembers it (:class:`AbandonedWait`: invocation uid, session id, thread id) until
the member answers, and gives back at once whatever that answer grants (an unlock or a
release with the same session and thread id, sent by the proxy's ``give_back``). If no
answer comes because the session ends or the client stops, nothing is held and the
record goes with the failure.

One acquire is a :class:`PendingAcquire`; its state changes only under the tracker's
lock, so the answer and the caller's departure cannot both win::

    PENDING --answer--> GRANTED (the caller gets it) or DONE (refused, failed)
    PENDING --caller leaves--> ABANDONED --answer--> DONE (given back if granted)
    GRANTED --caller leaves before returning it--> DONE (given back)
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, NamedTuple, Optional, Tuple, TypeVar

from hzgreen.cp.base import new_invocation_uid
from hzgreen.exceptions import AcquireCancelledError, HzTimeoutError
from hzgreen.protocol.custom import RaftGroupId

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler, TimerHandle

T = TypeVar("T")

log = logging.getLogger("hzgreen.cp")

PENDING = "pending"
GRANTED = "granted"
ABANDONED = "abandoned"
DONE = "done"

#: An OS thread blocked on a lock sees an exception raised into it (for instance with
#: ``PyThreadState_SetAsyncExc``) only when it runs Python code again, so under a
#: handler of threads a wait wakes this often (seconds). Greenlets get ``kill()`` and
#: ``gevent.Timeout`` thrown straight into their wait and never need waking.
WAKE_PERIOD = 0.25


class AbandonedWait(NamedTuple):
    """What the client remembers of an abandoned wait until the member answers it."""

    name: str
    group_id: Optional[RaftGroupId]
    invocation_uid: uuid.UUID
    session_id: int
    thread_id: int
    permits: int


class PendingAcquire(Generic[T]):
    """One acquire from its request to its outcome; ``result`` is what the caller waits on.

    ``session_id`` is the session of the current attempt (a retry after an expired
    session uses a new one, with the same ``uid``); -1 for a sessionless semaphore.
    ``give_back(acquire)`` undoes a grant nobody wants; it runs in a task of its own.
    """

    __slots__ = (
        "name",
        "group_id",
        "uid",
        "thread_id",
        "session_id",
        "permits",
        "result",
        "give_back",
        "state",
        "timer",
    )

    def __init__(
        self,
        name: str,
        group_id: Optional[RaftGroupId],
        thread_id: int,
        permits: int,
        result: "AsyncResult[T]",
        give_back: Callable[["PendingAcquire[T]"], None],
    ) -> None:
        self.name = name
        self.group_id = group_id
        self.uid = new_invocation_uid()
        self.thread_id = thread_id
        self.session_id = -1
        self.permits = permits
        self.result = result
        self.give_back = give_back
        self.state = PENDING
        self.timer: Optional["TimerHandle"] = None

    def record(self) -> AbandonedWait:
        """A snapshot of what identifies this wait on the member."""
        return AbandonedWait(self.name, self.group_id, self.uid, self.session_id, self.thread_id, self.permits)


class WaitTracker:
    """The client's acquires still waiting for their answer (``client.cp.waits``)."""

    def __init__(self, handler: "Handler") -> None:
        self._handler = handler
        self._lock = handler.lock_object()
        self._pending: Dict[int, PendingAcquire[Any]] = {}  # id(result) -> acquire not answered yet
        self._abandoned: Dict[uuid.UUID, PendingAcquire[Any]] = {}
        # "tasks" handlers run greenlets (see IHandler.io_style): nothing to wake.
        self._wake: Optional[float] = None if getattr(handler, "io_style", None) == "tasks" else WAKE_PERIOD

    # -- the proxies' side -------------------------------------------------------------

    def begin(
        self,
        name: str,
        group_id: RaftGroupId,
        thread_id: int,
        permits: int,
        give_back: Callable[[PendingAcquire[T]], None],
    ) -> PendingAcquire[T]:
        """Start tracking a new acquire (fresh uid and result); return it."""
        result: "AsyncResult[T]" = self._handler.async_result()
        acquire = PendingAcquire(name, group_id, thread_id, permits, result, give_back)
        with self._lock:
            self._pending[id(acquire.result)] = acquire
        return acquire

    def expire_after(self, acquire: PendingAcquire[Any], delay: float, what: str) -> None:
        """Give the caller HzTimeoutError if no answer came within ``delay`` seconds.

        The request itself keeps waiting for its answer (the member may have granted it):
        that answer is handled as for any abandoned wait. Returns None.
        """
        error = HzTimeoutError("no answer to %s within its timeout + invocation_timeout (%.3fs)" % (what, delay))
        acquire.timer = self._handler.call_later(delay, self._leave, acquire, error, False)

    def settle(self, acquire: PendingAcquire[Any], granted: bool) -> bool:
        """The member answered (``granted``: it gave the lock or permits); return True if
        the caller still wants the outcome, so it should be handed over.

        False when the caller left: the record is dropped and a grant is given back.
        """
        with self._lock:
            state = acquire.state
            self._pending.pop(id(acquire.result), None)
            if state == ABANDONED:
                self._abandoned.pop(acquire.uid, None)
                acquire.state = DONE
            elif state == PENDING:
                acquire.state = GRANTED if granted else DONE
        self._stop_timer(acquire)
        if state != ABANDONED:
            return True
        if granted:
            log.info(
                "giving back %s granted to an abandoned wait (session %d, thread %d)",
                acquire.name,
                acquire.session_id,
                acquire.thread_id,
            )
            self._handler.spawn(acquire.give_back, acquire)
        return False

    def still_wanted(self, acquire: PendingAcquire[Any]) -> bool:
        """Before another attempt (e.g. under a new session): False if the caller left,
        in which case the record is dropped (nothing was granted)."""
        with self._lock:
            if acquire.state != ABANDONED:
                return True
            self._abandoned.pop(acquire.uid, None)
            self._pending.pop(id(acquire.result), None)
            acquire.state = DONE
        self._stop_timer(acquire)
        return False

    def failed(self, error: BaseException) -> PendingAcquire[Any]:
        """An acquire that failed before any request was sent; its result holds ``error``."""
        acquire: PendingAcquire[Any] = PendingAcquire("", None, 0, 0, self._handler.async_result(), _nothing)
        acquire.state = DONE
        acquire.result.set_exception(error)
        return acquire

    # -- the callers' side ---------------------------------------------------------------

    def wait(self, acquire: PendingAcquire[T]) -> T:
        """Wait for the outcome of ``acquire`` and return it (or raise its error).

        Whatever ends the wait early (an exception raised into it, a kill, a timeout)
        abandons the acquire and propagates; a grant that arrived just before is given back.
        """
        result = acquire.result
        try:
            return self._get(result)
        except BaseException:
            self._leave(acquire, AcquireCancelledError("the caller of this acquire left its wait"), True)
            raise

    def wait_result(self, result: "AsyncResult[T]") -> T:
        """:meth:`wait` for the async result of a ``*_async`` acquire; other results are
        simply waited on. Returns the value; raises its error."""
        if not callable(getattr(result, "wait", None)) or not callable(getattr(result, "get", None)):
            raise TypeError("expected the async result of an acquire, got %r" % (result,))
        with self._lock:
            acquire: Optional[PendingAcquire[T]] = self._pending.get(id(result))
        if acquire is None or acquire.result is not result:
            return self._get(result)
        return self.wait(acquire)

    def abandon(self, result: "AsyncResult[Any]") -> bool:
        """Give up the pending acquire whose async result is ``result``; True if it was
        still waiting: its result then fails with AcquireCancelledError, and whatever the
        member grants it later is given back. False (nothing done) otherwise."""
        with self._lock:
            acquire = self._pending.get(id(result))
        if acquire is None or acquire.result is not result:
            return False
        return self._leave(acquire, AcquireCancelledError("the acquire of %s was cancelled" % acquire.name), False)

    # -- introspection --------------------------------------------------------------------

    def abandoned(self) -> Tuple[AbandonedWait, ...]:
        """The abandoned waits whose answer has not arrived yet."""
        with self._lock:
            return tuple(acquire.record() for acquire in self._abandoned.values())

    # -- internals ------------------------------------------------------------------------

    def _get(self, result: "AsyncResult[T]") -> T:
        wake = self._wake
        if wake is None:
            return result.get()
        while not result.wait(wake):
            pass
        return result.get_nowait()

    def _leave(self, acquire: PendingAcquire[Any], error: BaseException, give_back_granted: bool) -> bool:
        """The caller goes away from ``acquire``; True if that abandoned or gave back something."""
        with self._lock:
            state = acquire.state
            if state == PENDING:
                acquire.state = ABANDONED
                self._abandoned[acquire.uid] = acquire
            elif state == GRANTED and give_back_granted:
                acquire.state = DONE
        if state == PENDING:
            log.debug(
                "wait of %s abandoned (uid %s, session %d, thread %d)",
                acquire.name,
                acquire.uid,
                acquire.session_id,
                acquire.thread_id,
            )
            acquire.result.set_exception(error)
            return True
        if state == GRANTED and give_back_granted:
            log.info("giving back %s: its caller left before taking it", acquire.name)
            self._handler.spawn(acquire.give_back, acquire)
            return True
        return False

    def _stop_timer(self, acquire: PendingAcquire[Any]) -> None:
        timer, acquire.timer = acquire.timer, None
        if timer is not None:
            timer.cancel()


def _nothing(acquire: PendingAcquire[Any]) -> None:
    """``give_back`` of an acquire that never sent a request: nothing to undo."""
    return None
