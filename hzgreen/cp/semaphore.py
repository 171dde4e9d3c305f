"""Semaphore: a linearizable distributed counting semaphore in a CP group (``ISemaphore``).

The member decides the flavour per semaphore name (its ``jdk-compatible`` setting), and
:meth:`CPSubsystem.get_semaphore <hzgreen.cp.subsystem.CPSubsystem.get_semaphore>` asks
it once (``getSemaphoreType``):

* **session-aware** (the default): permits are held through the client's CP session of
  the group and given back by the member if that session expires; only a holder can
  release. The caller identity is the local thread/greenlet.
* **sessionless** (``jdk-compatible``): permits are not tied to anything; anybody may
  release; the caller identity is a cluster-wide id from ``generateThreadId``.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Optional, TypeVar, overload

from hzgreen.cp.base import (
    INFINITE,
    CPProxy,
    check_not_negative,
    check_positive,
    check_timeout,
    decode_nothing,
    new_invocation_uid,
    timeout_millis,
)
from hzgreen.cp.naming import SEMAPHORE_SERVICE
from hzgreen.cp.session import NO_SESSION_ID, CPSessionEvent
from hzgreen.cp.waits import PendingAcquire
from hzgreen.exceptions import IllegalStateError, SessionExpiredError, WaitKeyCancelledError
from hzgreen.protocol.codecs import semaphore as codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.protocol.message import ClientMessage

if TYPE_CHECKING:
    from hzgreen.cp.subsystem import CPSubsystem
    from hzgreen.handler_types import AsyncResult

log = logging.getLogger("hzgreen.cp")

T = TypeVar("T")

#: The outcome of an acquire: None for ``acquire``, True/False for ``try_acquire``.
Acquired = Optional[bool]

#: References a drain takes on the session before knowing how many permits it gets;
#: the surplus is given back when the answer arrives.
DRAIN_SESSION_REFERENCES = 1024


class Semaphore(CPProxy):
    """What both flavours share: init, available_permits, and the public method set."""

    service_name = SEMAPHORE_SERVICE
    jdk_compatible = False

    def __init__(self, cp: "CPSubsystem", proxy_name: str, object_name: str, group_id: RaftGroupId) -> None:
        super().__init__(cp, proxy_name, object_name, group_id)
        self._waits = cp.waits

    def init(self, permits: int) -> bool:
        """Set the permit count to ``permits`` (>= 0) if the semaphore is not initialized yet."""
        return self.init_async(permits).result()

    def init_async(self, permits: int) -> "AsyncResult[bool]":
        """:meth:`init` without waiting."""
        check_not_negative(permits, "permits")
        request = codec.encode_init_request(self.group_id, self.object_name, permits)
        return self._invoke(request, codec.decode_init_response)

    def available_permits(self) -> int:
        """How many permits are available now."""
        return self.available_permits_async().result()

    def available_permits_async(self) -> "AsyncResult[int]":
        """:meth:`available_permits` without waiting."""
        request = codec.encode_available_permits_request(self.group_id, self.object_name)
        return self._invoke(request, codec.decode_available_permits_response)

    def acquire(self, permits: int = 1) -> None:
        """Take ``permits`` permits, waiting as long as it takes.

        A caller that leaves the wait (timeout, kill, exception) leaves nothing held:
        permits the member grants later are released at once.
        """
        check_positive(permits, "permits")
        self._waits.wait(self._begin(permits, None))

    def acquire_async(self, permits: int = 1) -> "AsyncResult[None]":
        """:meth:`acquire` without waiting (see :meth:`wait_for`)."""
        check_positive(permits, "permits")
        return self._begin(permits, None).result

    def try_acquire(self, permits: int = 1, timeout: float = 0) -> bool:
        """Take ``permits`` permits if they become available within ``timeout`` s; True if taken.

        Raises HzTimeoutError if the member did not answer within ``timeout`` +
        ``invocation_timeout``; permits granted after that are released at once.
        """
        check_positive(permits, "permits")
        return self._waits.wait(self._begin(permits, check_timeout(timeout), True))

    def try_acquire_async(self, permits: int = 1, timeout: float = 0) -> "AsyncResult[bool]":
        """:meth:`try_acquire` without waiting (see :meth:`wait_for`)."""
        check_positive(permits, "permits")
        return self._begin(permits, check_timeout(timeout), True).result

    def wait_for(self, result: "AsyncResult[T]") -> T:
        """Wait for the result of :meth:`acquire_async`/:meth:`try_acquire_async` and return
        it, with :meth:`acquire`'s guarantee: if the wait ends early (timeout, kill,
        exception, which propagates), permits the member grants later are released at once."""
        return self._waits.wait_result(result)

    def abandon(self, result: "AsyncResult[Any]") -> bool:
        """Give up a pending :meth:`acquire_async`/:meth:`try_acquire_async` from any thread
        or greenlet; return True if it was still waiting. Its result then fails with
        AcquireCancelledError, and permits the member grants it later are released at
        once. Returns False, doing nothing, once the result is resolved."""
        return self._waits.abandon(result)

    @overload
    def _begin(self, permits: int, timeout: Optional[float], answer: Literal[True]) -> PendingAcquire[bool]: ...

    @overload
    def _begin(self, permits: int, timeout: None, answer: Literal[False] = ...) -> PendingAcquire[None]: ...

    def _begin(self, permits: int, timeout: Optional[float], answer: bool = False) -> PendingAcquire[Any]:
        """Start an acquire of ``permits`` waiting ``timeout`` s (None: as long as it takes);
        ``answer``: the result is True/False rather than None. The tracked acquire."""
        if timeout is None:
            return self._acquire(permits, INFINITE if answer else None)
        return self._acquire(permits, self._handler.monotonic() + timeout)

    def _expire(self, acquire: PendingAcquire[Acquired], deadline: Optional[float]) -> None:
        """Arm the client-side end of a bounded wait (see :mod:`hzgreen.cp.waits`)."""
        if deadline is None or deadline == INFINITE:
            return
        remaining = max(0.0, deadline - self._handler.monotonic())
        self._waits.expire_after(
            acquire, remaining + self._context.config.invocation_timeout, "tryAcquire of semaphore %r" % self.name
        )

    def release(self, permits: int = 1) -> None:
        """Give back ``permits`` permits."""
        return self.release_async(permits).result()

    def release_async(self, permits: int = 1) -> "AsyncResult[None]":
        """:meth:`release` without waiting."""
        check_positive(permits, "permits")
        return self._release(permits)

    def drain_permits(self) -> int:
        """Take every available permit; return how many."""
        return self.drain_permits_async().result()

    def drain_permits_async(self) -> "AsyncResult[int]":
        """:meth:`drain_permits` without waiting."""
        return self._drain()

    def reduce_permits(self, reduction: int) -> None:
        """Remove ``reduction`` permits (the count may go negative); nobody is woken."""
        return self.reduce_permits_async(reduction).result()

    def reduce_permits_async(self, reduction: int) -> "AsyncResult[None]":
        """:meth:`reduce_permits` without waiting."""
        check_not_negative(reduction, "reduction")
        return self._completed(None) if reduction == 0 else self._change(-reduction)

    def increase_permits(self, increase: int) -> None:
        """Add ``increase`` permits, waking waiters they satisfy."""
        return self.increase_permits_async(increase).result()

    def increase_permits_async(self, increase: int) -> "AsyncResult[None]":
        """:meth:`increase_permits` without waiting."""
        check_not_negative(increase, "increase")
        return self._completed(None) if increase == 0 else self._change(increase)

    # -- flavour-specific -----------------------------------------------------------------

    def _acquire(self, permits: int, deadline: Optional[float]) -> PendingAcquire[Acquired]:
        raise NotImplementedError

    def _release(self, permits: int) -> "AsyncResult[None]":
        raise NotImplementedError

    def _drain(self) -> "AsyncResult[int]":
        raise NotImplementedError

    def _change(self, delta: int) -> "AsyncResult[None]":
        raise NotImplementedError

    def _timeout_ms(self, deadline: Optional[float]) -> int:
        """The wait of an acquire request in milliseconds (-1: as long as it takes)."""
        if deadline is None:
            return -1
        return timeout_millis(max(0.0, deadline - self._handler.monotonic()))

    def _cancelled(self) -> IllegalStateError:
        return IllegalStateError(
            "semaphore %r was not acquired: the member cancelled the wait, "
            "probably for a newer call of the same caller" % self.name
        )


class SessionAwareSemaphore(Semaphore):
    """Permits are held through the client's CP session of the group."""

    def __init__(self, cp: "CPSubsystem", proxy_name: str, object_name: str, group_id: RaftGroupId) -> None:
        super().__init__(cp, proxy_name, object_name, group_id)
        self._sessions = cp.session_manager
        self._held: Dict[int, int] = {}  # session id -> permits this client holds through it
        self._held_lock = self._handler.lock_object()
        self._lost_listeners: List[Callable[[CPSessionEvent], Any]] = []
        self._loss_hooks: List[Callable[[CPSessionEvent], Any]] = []
        self._sessions.register_holder(self)

    def _acquire(self, permits: int, deadline: Optional[float]) -> PendingAcquire[Acquired]:
        acquire = self._waits.begin(
            self.name, self.group_id, self._handler.current_identity(), permits, self._give_back
        )
        self._expire(acquire, deadline)
        self._attempt(acquire, deadline)
        return acquire

    def _attempt(self, acquire: PendingAcquire[Acquired], deadline: Optional[float]) -> None:
        """One acquire request, retried (same uid) under a new session if this one expired.
        The invocation has no deadline: its answer is wanted even after the caller left."""
        group_id = self.group_id
        sessions = self._sessions
        waits = self._waits
        identity, permits, result = acquire.thread_id, acquire.permits, acquire.result
        if not waits.still_wanted(acquire):
            return
        try:
            session_id = sessions.acquire(group_id, permits)
        except BaseException as error:
            if waits.settle(acquire, False):
                result.set_exception(error)
            return
        if not waits.still_wanted(acquire):  # given up while the session was being created
            sessions.release(group_id, session_id, permits)
            return
        acquire.session_id = session_id
        timeout_ms = self._timeout_ms(deadline)

        def answered(acquired: bool) -> None:
            if acquired:
                self._hold(session_id, permits)
            else:
                sessions.release(group_id, session_id, permits)
            if waits.settle(acquire, acquired):
                result.set(None if deadline is None else acquired)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id, own=permits)
                if not waits.still_wanted(acquire):
                    return  # the member dropped the wait with the session: nothing to give back
                if deadline is not None and self._handler.monotonic() >= deadline:
                    if waits.settle(acquire, False):
                        result.set(False)
                else:
                    self._handler.spawn(self._attempt, acquire, deadline)
                return
            sessions.release(group_id, session_id, permits)
            if not waits.settle(acquire, False):
                return
            if isinstance(error, WaitKeyCancelledError):
                if deadline is None:
                    result.set_exception(self._cancelled())
                else:
                    result.set(False)
                return
            result.set_exception(error)

        request = codec.encode_acquire_request(
            group_id, self.object_name, session_id, identity, acquire.uid, permits, timeout_ms
        )
        self._send(request, codec.decode_acquire_response, answered, failed, INFINITE)

    def _give_back(self, acquire: PendingAcquire[Acquired]) -> None:
        """Release permits the member granted to an abandoned wait, with its session id and
        thread id. Returns None; failures are logged (an expired session has given them
        back already)."""
        group_id, session_id, permits = self.group_id, acquire.session_id, acquire.permits
        sessions = self._sessions

        def released(_: None) -> None:
            self._hold(session_id, -permits)
            sessions.release(group_id, session_id, permits)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id)
            else:
                log.warning(
                    "could not release permits of semaphore %r granted to an abandoned wait: %s", self.name, error
                )
            sessions.release(group_id, session_id, permits)

        request = codec.encode_release_request(
            group_id, self.object_name, session_id, acquire.thread_id, new_invocation_uid(), permits
        )
        self._send(request, decode_nothing, released, failed)

    def _release(self, permits: int) -> "AsyncResult[None]":
        group_id = self.group_id
        sessions = self._sessions
        session_id = sessions.session_id(group_id)
        if session_id == NO_SESSION_ID:
            return self._failed(
                IllegalStateError("semaphore %r: this client holds no permits (it has no CP session)" % self.name)
            )
        result: "AsyncResult[None]" = self._handler.async_result()

        def released(_: None) -> None:
            self._hold(session_id, -permits)
            sessions.release(group_id, session_id, permits)
            result.set(None)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id)
                self._held.pop(session_id, None)
            result.set_exception(error)

        request = codec.encode_release_request(
            group_id, self.object_name, session_id, self._handler.current_identity(), new_invocation_uid(), permits
        )
        self._send(request, decode_nothing, released, failed)
        return result

    def _drain(self) -> "AsyncResult[int]":
        result: "AsyncResult[int]" = self._handler.async_result()
        self._drain_attempt(self._handler.current_identity(), new_invocation_uid(), result)
        return result

    def _drain_attempt(self, identity: int, uid: uuid.UUID, result: "AsyncResult[int]") -> None:
        group_id = self.group_id
        sessions = self._sessions
        try:
            session_id = sessions.acquire(group_id, DRAIN_SESSION_REFERENCES)
        except BaseException as error:
            result.set_exception(error)
            return

        def drained(count: int) -> None:
            # The member answers the permit count it found, which is negative after a
            # reduce_permits below zero: nothing is held then.
            taken = max(0, count)
            self._hold(session_id, taken)
            sessions.release(group_id, session_id, DRAIN_SESSION_REFERENCES - taken)
            result.set(count)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id, own=DRAIN_SESSION_REFERENCES)
                self._handler.spawn(self._drain_attempt, identity, uid, result)
                return
            sessions.release(group_id, session_id, DRAIN_SESSION_REFERENCES)
            result.set_exception(error)

        request = codec.encode_drain_request(group_id, self.object_name, session_id, identity, uid)
        self._send(request, codec.decode_drain_response, drained, failed)

    def _change(self, delta: int) -> "AsyncResult[None]":
        result: "AsyncResult[None]" = self._handler.async_result()
        self._change_attempt(self._handler.current_identity(), new_invocation_uid(), delta, result)
        return result

    def _change_attempt(self, identity: int, uid: uuid.UUID, delta: int, result: "AsyncResult[None]") -> None:
        group_id = self.group_id
        sessions = self._sessions
        try:
            session_id = sessions.acquire(group_id, 1)
        except BaseException as error:
            result.set_exception(error)
            return

        def changed(_: None) -> None:
            sessions.release(group_id, session_id, 1)
            result.set(None)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                # Nothing was applied under the dead session: retry under a new one.
                sessions.invalidate(group_id, session_id, own=1)
                self._handler.spawn(self._change_attempt, identity, uid, delta, result)
                return
            sessions.release(group_id, session_id, 1)
            result.set_exception(error)

        request = codec.encode_change_request(group_id, self.object_name, session_id, identity, uid, delta)
        self._send(request, decode_nothing, changed, failed)

    # -- session loss ---------------------------------------------------------------------

    def _hold(self, session_id: int, delta: int) -> None:
        with self._held_lock:
            held = self._held.get(session_id, 0) + delta
            if held > 0:
                self._held[session_id] = held
            else:
                self._held.pop(session_id, None)

    def held_permits(self) -> int:
        """Local view: permits this client holds through its current CP session."""
        return self._held.get(self._sessions.session_id(self.group_id), 0)

    def holds_lease(self) -> bool:
        """Local and synchronous: True if this client holds permits through its current CP
        session *and* that session's lease has not run out (see :mod:`hzgreen.cp.session`)."""
        session_id = self._sessions.session_id(self.group_id)
        return self._held.get(session_id, 0) > 0 and self._sessions.lease_valid(self.group_id, session_id)

    def add_lost_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Call ``listener(event)`` (callback worker) when permits this client held are lost
        because the CP session holding them is gone."""
        if not callable(listener):
            raise TypeError("listener must be callable, got %r" % (listener,))
        if listener not in self._lost_listeners:
            self._lost_listeners.append(listener)

    def remove_lost_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Stop calling ``listener``; returns None."""
        if listener in self._lost_listeners:
            self._lost_listeners.remove(listener)

    def _bound_to(self, group_id: RaftGroupId, session_id: int) -> bool:
        return group_id == self.group_id and self._held.get(session_id, 0) > 0

    def add_loss_hook(self, hook: Callable[[CPSessionEvent], Any]) -> None:
        """For recipes: ``hook(event)`` runs right where the loss is found (I/O path,
        heartbeat loop), before any lost listener; it must be quick and must not block.
        Returns None."""
        if hook not in self._loss_hooks:
            self._loss_hooks.append(hook)

    def _session_lost(self, event: CPSessionEvent) -> None:
        self._held.pop(event.session_id, None)
        for hook in list(self._loss_hooks):
            hook(event)
        for listener in list(self._lost_listeners):
            self._handler.dispatch_callback(listener, event)

    def _on_destroy(self) -> None:
        self._held.clear()
        self._sessions.unregister_holder(self)


class SessionlessSemaphore(Semaphore):
    """JDK-compatible semaphore: permits belong to nobody; no session is used."""

    jdk_compatible = True

    def __init__(self, cp: "CPSubsystem", proxy_name: str, object_name: str, group_id: RaftGroupId) -> None:
        super().__init__(cp, proxy_name, object_name, group_id)
        self._thread_ids = cp.thread_ids

    def _thread_id(self) -> int:
        return self._thread_ids.get(self.group_id, self._handler.current_identity())

    def _acquire(self, permits: int, deadline: Optional[float]) -> PendingAcquire[Acquired]:
        try:
            thread_id = self._thread_id()
        except BaseException as error:
            return self._waits.failed(error)
        waits = self._waits
        acquire: PendingAcquire[Acquired] = waits.begin(self.name, self.group_id, thread_id, permits, self._give_back)
        result = acquire.result
        self._expire(acquire, deadline)

        def answered(acquired: bool) -> None:
            if waits.settle(acquire, acquired):
                result.set(None if deadline is None else acquired)

        def failed(error: BaseException) -> None:
            if not waits.settle(acquire, False):
                return
            if isinstance(error, WaitKeyCancelledError):
                if deadline is None:
                    result.set_exception(self._cancelled())
                else:
                    result.set(False)
                return
            result.set_exception(error)

        request = codec.encode_acquire_request(
            self.group_id, self.object_name, NO_SESSION_ID, thread_id, acquire.uid, permits, self._timeout_ms(deadline)
        )
        self._send(request, codec.decode_acquire_response, answered, failed, INFINITE)
        return acquire

    def _give_back(self, acquire: PendingAcquire[Acquired]) -> None:
        """Release permits the member granted to an abandoned wait (same thread id)."""
        request = codec.encode_release_request(
            self.group_id, self.object_name, NO_SESSION_ID, acquire.thread_id, new_invocation_uid(), acquire.permits
        )

        def failed(error: BaseException) -> None:
            log.warning("could not release permits of semaphore %r granted to an abandoned wait: %s", self.name, error)

        self._send(request, decode_nothing, _ignore, failed)

    def _release(self, permits: int) -> "AsyncResult[None]":
        return self._sessionless(
            lambda tid: codec.encode_release_request(
                self.group_id, self.object_name, NO_SESSION_ID, tid, new_invocation_uid(), permits
            ),
            decode_nothing,
        )

    def _drain(self) -> "AsyncResult[int]":
        return self._sessionless(
            lambda tid: codec.encode_drain_request(
                self.group_id, self.object_name, NO_SESSION_ID, tid, new_invocation_uid()
            ),
            codec.decode_drain_response,
        )

    def _change(self, delta: int) -> "AsyncResult[None]":
        return self._sessionless(
            lambda tid: codec.encode_change_request(
                self.group_id, self.object_name, NO_SESSION_ID, tid, new_invocation_uid(), delta
            ),
            decode_nothing,
        )

    def _sessionless(
        self, build: Callable[[int], ClientMessage], decode: Callable[[ClientMessage], T]
    ) -> "AsyncResult[T]":
        """Send ``build(thread id)`` under the caller's thread id; the returned result gets
        ``decode(response)``, or the error of generating the thread id."""
        try:
            thread_id = self._thread_id()
        except BaseException as error:
            return self._failed(error)
        return self._invoke(build(thread_id), decode)


def _ignore(value: object) -> None:
    """A completion whose value nobody wants: returns None."""
    return None
