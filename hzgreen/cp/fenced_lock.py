"""FencedLock: a linearizable, reentrant distributed lock with fencing tokens (``FencedLock``).

The owner of a FencedLock is (CP session, caller identity): the OS thread under the
threading handler, the greenlet under the gevent handler. Each time the lock goes from
free to held it hands out a larger *fence*; reentrant acquisitions return the same one.

The lock lives as long as the client's CP session of the lock's group. When that session
expires (the client was cut off for longer than the session TTL) the member releases the
lock; this proxy then raises :class:`~hzgreen.exceptions.LockOwnershipLostError` to the
former owner on its next call, and :meth:`FencedLock.add_lost_listener` callbacks (and
the CP session listeners) are told at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, TypeVar

from hzgreen.cp.base import INFINITE, CPProxy, check_timeout, new_invocation_uid, timeout_millis
from hzgreen.cp.naming import LOCK_SERVICE
from hzgreen.cp.session import NO_SESSION_ID, CPSessionEvent
from hzgreen.cp.waits import PendingAcquire
from hzgreen.exceptions import (
    IllegalMonitorStateError,
    LockAcquireLimitReachedError,
    LockOwnershipLostError,
    SessionExpiredError,
    WaitKeyCancelledError,
)
from hzgreen.protocol.codecs import fenced_lock as codec
from hzgreen.protocol.custom import RaftGroupId

if TYPE_CHECKING:
    from hzgreen.cp.subsystem import CPSubsystem
    from hzgreen.handler_types import AsyncResult

log = logging.getLogger("hzgreen.cp")

T = TypeVar("T")

INVALID_FENCE = 0


class FencedLock(CPProxy):
    """A distributed reentrant lock owned by the calling thread (or greenlet)."""

    service_name = LOCK_SERVICE
    INVALID_FENCE = INVALID_FENCE

    def __init__(self, cp: "CPSubsystem", proxy_name: str, object_name: str, group_id: RaftGroupId) -> None:
        super().__init__(cp, proxy_name, object_name, group_id)
        self._sessions = cp.session_manager
        self._waits = cp.waits
        # identity -> id of the session through which that caller holds the lock
        self._owners: Dict[int, int] = {}
        self._lost_listeners: List[Callable[[CPSessionEvent], Any]] = []
        self._loss_hooks: List[Callable[[CPSessionEvent], Any]] = []
        self._sessions.register_holder(self)

    # -- acquiring -------------------------------------------------------------------------

    def lock(self) -> int:
        """Acquire the lock, waiting as long as it takes; return the fence.

        Reentrant: an owner locking again gets the same fence (up to the member's
        reentrancy limit, then LockAcquireLimitReachedError). Raises
        LockOwnershipLostError if the caller held the lock through an expired session.
        A caller that leaves the wait (timeout, kill, exception) leaves nothing held:
        if the member grants the lock later, it is unlocked at once.
        """
        return self._waits.wait(self._begin(None))

    def lock_async(self) -> "AsyncResult[int]":
        """:meth:`lock` without waiting: the returned result gets the fence (see :meth:`wait_for`)."""
        return self._begin(None).result

    def try_lock(self, timeout: float = 0) -> int:
        """Acquire the lock if it is free within ``timeout`` seconds (0: do not wait).

        Returns the fence, or :data:`INVALID_FENCE` (0) when it was not acquired (timed
        out, or the reentrancy limit is reached). Raises HzTimeoutError if the member did
        not answer within ``timeout`` + ``invocation_timeout``; a grant that comes after
        that is unlocked at once.
        """
        return self._waits.wait(self._begin(check_timeout(timeout)))

    def try_lock_async(self, timeout: float = 0) -> "AsyncResult[int]":
        """:meth:`try_lock` without waiting: the returned result gets the fence or INVALID_FENCE."""
        return self._begin(check_timeout(timeout)).result

    def wait_for(self, result: "AsyncResult[T]") -> T:
        """Wait for the result of :meth:`lock_async`/:meth:`try_lock_async` and return it,
        with :meth:`lock`'s guarantee: if the wait ends early (timeout, kill, exception,
        which propagates), whatever the member grants later is unlocked at once."""
        return self._waits.wait_result(result)

    def abandon(self, result: "AsyncResult[Any]") -> bool:
        """Give up a pending :meth:`lock_async`/:meth:`try_lock_async` from any thread or
        greenlet; return True if it was still waiting. Its result then fails with
        AcquireCancelledError, and a lock the member grants it later is unlocked at once.
        Returns False, doing nothing, once the result is resolved."""
        return self._waits.abandon(result)

    def _begin(self, timeout: Optional[float]) -> PendingAcquire[int]:
        """Start a lock (``timeout`` None) or tryLock; the tracked acquire."""
        acquire = self._waits.begin(self.name, self.group_id, self._handler.current_identity(), 1, self._give_back)
        deadline = None
        if timeout is not None:
            deadline = self._handler.monotonic() + timeout
            self._waits.expire_after(
                acquire, timeout + self._context.config.invocation_timeout, "tryLock of lock %r" % self.name
            )
        self._attempt(acquire, deadline)
        return acquire

    def _attempt(self, acquire: PendingAcquire[int], deadline: Optional[float]) -> None:
        """One lock/tryLock request; ``deadline`` None = ``lock``. Retried on an expired session.

        Runs in the caller (and, for a retry, in a spawned task): it may wait for a
        session to be created, never for the lock itself. The invocation has no deadline:
        its answer is wanted even after the caller stopped waiting (see
        :mod:`hzgreen.cp.waits`).
        """
        group_id = self.group_id
        sessions = self._sessions
        waits = self._waits
        identity, uid, result = acquire.thread_id, acquire.uid, acquire.result
        if not waits.still_wanted(acquire):
            return
        try:
            session_id = sessions.acquire(group_id, 1)
            self._check_owner_session(identity, session_id, release=True)
        except BaseException as error:
            if waits.settle(acquire, False):
                result.set_exception(error)
            return
        if not waits.still_wanted(acquire):  # given up while the session was being created
            sessions.release(group_id, session_id, 1)
            return
        acquire.session_id = session_id
        if deadline is None:
            request = codec.encode_lock_request(group_id, self.object_name, session_id, identity, uid)
            decode = codec.decode_lock_response
        else:
            remaining = max(0.0, deadline - self._handler.monotonic())
            request = codec.encode_try_lock_request(
                group_id, self.object_name, session_id, identity, uid, timeout_millis(remaining)
            )
            decode = codec.decode_try_lock_response

        def acquired(fence: int) -> None:
            if fence != INVALID_FENCE:
                self._owners[identity] = session_id
                if waits.settle(acquire, True):
                    result.set(fence)
                return
            sessions.release(group_id, session_id, 1)
            if not waits.settle(acquire, False):
                return
            if deadline is None:
                result.set_exception(
                    LockAcquireLimitReachedError("the reentrancy limit of lock %r is reached" % self.name)
                )
            else:
                result.set(INVALID_FENCE)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id, own=1)
                if not waits.still_wanted(acquire):
                    return  # the member dropped the wait with the session: nothing to give back
                try:
                    self._check_not_owner(identity)
                except LockOwnershipLostError as lost:
                    if waits.settle(acquire, False):
                        result.set_exception(lost)
                    return
                if deadline is not None and self._handler.monotonic() >= deadline:
                    if waits.settle(acquire, False):
                        result.set(INVALID_FENCE)
                    return
                # Same uid: the new attempt is a retry of the same call.
                self._handler.spawn(self._attempt, acquire, deadline)
                return
            sessions.release(group_id, session_id, 1)
            if not waits.settle(acquire, False):
                return
            if isinstance(error, WaitKeyCancelledError):
                if deadline is not None:
                    result.set(INVALID_FENCE)
                else:
                    result.set_exception(
                        IllegalMonitorStateError(
                            "lock %r was not acquired: the member cancelled the wait, probably for a "
                            "newer call of the same caller" % self.name
                        )
                    )
                return
            result.set_exception(error)

        self._send(request, decode, acquired, failed, INFINITE)

    def _give_back(self, acquire: PendingAcquire[int]) -> None:
        """Unlock a hold the member granted to an abandoned wait, as its caller would have:
        same session id and thread id, a new invocation uid. Returns None; failures are
        logged (an expired session has released the lock already)."""
        group_id, session_id, identity = self.group_id, acquire.session_id, acquire.thread_id
        sessions = self._sessions

        def forget_owner() -> None:
            if self._owners.get(identity) == session_id:
                self._owners.pop(identity, None)

        def released(still_held: bool) -> None:
            if not still_held:
                forget_owner()
            sessions.release(group_id, session_id, 1)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id)
            elif isinstance(error, IllegalMonitorStateError):
                forget_owner()
            else:
                log.warning("could not unlock lock %r granted to an abandoned wait: %s", self.name, error)
            sessions.release(group_id, session_id, 1)

        request = codec.encode_unlock_request(group_id, self.object_name, session_id, identity, new_invocation_uid())
        self._send(request, codec.decode_unlock_response, released, failed)

    # -- releasing --------------------------------------------------------------------------

    def unlock(self) -> None:
        """Release the lock once (it is free when every reentrant hold is released).

        Raises IllegalMonitorStateError if the caller does not hold it, and
        LockOwnershipLostError if it held it through a session that expired.
        """
        return self.unlock_async().result()

    def unlock_async(self) -> "AsyncResult[None]":
        """:meth:`unlock` without waiting: the returned result gets None once released."""
        identity = self._handler.current_identity()
        group_id = self.group_id
        sessions = self._sessions
        session_id = sessions.session_id(group_id)
        try:
            self._check_owner_session(identity, session_id, release=False)
        except LockOwnershipLostError as error:
            return self._failed(error)
        if session_id == NO_SESSION_ID:
            self._owners.pop(identity, None)
            return self._failed(self._not_owner())
        result: "AsyncResult[None]" = self._handler.async_result()

        def released(still_held: bool) -> None:
            if still_held:
                self._owners[identity] = session_id
            else:
                self._owners.pop(identity, None)
            sessions.release(group_id, session_id, 1)
            result.set(None)

        def failed(error: BaseException) -> None:
            if isinstance(error, SessionExpiredError):
                sessions.invalidate(group_id, session_id)
                self._owners.pop(identity, None)
                result.set_exception(self._ownership_lost(session_id))
                return
            if isinstance(error, IllegalMonitorStateError):
                self._owners.pop(identity, None)
            result.set_exception(error)

        request = codec.encode_unlock_request(group_id, self.object_name, session_id, identity, new_invocation_uid())
        self._send(request, codec.decode_unlock_response, released, failed)
        return result

    # -- queries ----------------------------------------------------------------------------

    def is_locked(self) -> bool:
        """True if anybody in the cluster holds the lock."""
        return self.is_locked_async().result()

    def is_locked_async(self) -> "AsyncResult[bool]":
        """:meth:`is_locked` without waiting."""
        return self._query(lambda state, mine: mine or state["fence"] != INVALID_FENCE)

    def is_locked_by_current_thread(self) -> bool:
        """True if the calling thread (greenlet, under gevent) holds the lock."""
        return self.is_locked_by_current_thread_async().result()

    def is_locked_by_current_thread_async(self) -> "AsyncResult[bool]":
        """:meth:`is_locked_by_current_thread` without waiting."""
        return self._query(lambda state, mine: mine)

    def get_lock_count(self) -> int:
        """How many times the lock is held (reentrant count; 0 when free)."""
        return self.get_lock_count_async().result()

    def get_lock_count_async(self) -> "AsyncResult[int]":
        """:meth:`get_lock_count` without waiting."""
        return self._query(lambda state, mine: state["lock_count"])

    def get_fence(self) -> int:
        """The fence of the caller's current hold; IllegalMonitorStateError if it holds none."""
        return self.get_fence_async().result()

    def get_fence_async(self) -> "AsyncResult[int]":
        """:meth:`get_fence` without waiting."""
        session_id = self._sessions.session_id(self.group_id)
        if session_id == NO_SESSION_ID:
            identity = self._handler.current_identity()
            try:
                self._check_owner_session(identity, session_id, release=False)
            except LockOwnershipLostError as error:
                return self._failed(error)
            self._owners.pop(identity, None)
            return self._failed(self._not_owner())

        def fence(state: "codec.GetLockOwnershipResponse", mine: bool) -> int:
            if not mine:
                raise self._not_owner()
            return state["fence"]

        return self._query(fence)

    def _query(self, answer: Callable[["codec.GetLockOwnershipResponse", bool], T]) -> "AsyncResult[T]":
        """getLockOwnership, then ``answer(state, held_by_caller)`` resolves the returned result;
        keeps the owner map right."""
        identity = self._handler.current_identity()
        session_id = self._sessions.session_id(self.group_id)
        try:
            self._check_owner_session(identity, session_id, release=False)
        except LockOwnershipLostError as error:
            return self._failed(error)
        result: "AsyncResult[T]" = self._handler.async_result()

        def received(state: "codec.GetLockOwnershipResponse") -> None:
            mine = (
                state["fence"] != INVALID_FENCE and state["session_id"] == session_id and state["thread_id"] == identity
            )
            try:
                if mine:
                    self._owners[identity] = session_id
                else:
                    self._check_not_owner(identity)
                value = answer(state, mine)
            except BaseException as error:
                result.set_exception(error)
                return
            result.set(value)

        request = codec.encode_get_lock_ownership_request(self.group_id, self.object_name)
        self._send(request, codec.decode_get_lock_ownership_response, received, result.set_exception)
        return result

    # -- ownership bookkeeping ----------------------------------------------------------------

    def _check_owner_session(self, identity: int, session_id: int, release: bool) -> None:
        """The caller held the lock through another (now gone) session: its lock is lost."""
        owner_session = self._owners.get(identity)
        if owner_session is not None and owner_session != session_id:
            self._owners.pop(identity, None)
            if release:
                self._sessions.release(self.group_id, session_id, 1)
            raise self._ownership_lost(owner_session)

    def _check_not_owner(self, identity: int) -> None:
        owner_session = self._owners.pop(identity, None)
        if owner_session is not None:
            raise self._ownership_lost(owner_session)

    def _ownership_lost(self, session_id: int) -> LockOwnershipLostError:
        return LockOwnershipLostError(
            "the caller no longer owns lock %r: its CP session %d expired" % (self.name, session_id)
        )

    def _not_owner(self) -> IllegalMonitorStateError:
        return IllegalMonitorStateError("the caller does not hold lock %r" % self.name)

    def owners(self) -> Dict[int, int]:
        """Local view: ``{caller identity: session id}`` of the callers holding this lock."""
        return dict(self._owners)

    def lease_deadline(self, identity: Optional[int] = None) -> float:
        """Local and synchronous: until when (``handler.monotonic()``) the hold of
        ``identity`` (default: the caller) is surely valid -- the lease of the CP session it
        is held through (see :mod:`hzgreen.cp.session`). ``-inf`` if it holds nothing, or
        holds it through a session that is gone."""
        if identity is None:
            identity = self._handler.current_identity()
        session_id = self._owners.get(identity)
        if session_id is None:
            return float("-inf")
        return self._sessions.lease_deadline(self.group_id, session_id)

    def holds_lease(self, identity: Optional[int] = None) -> bool:
        """Local and synchronous: True if ``identity`` (default: the caller) holds the lock
        as far as this client knows *and* the lease of its CP session has not run out."""
        return self._handler.monotonic() < self.lease_deadline(identity)

    # -- session loss --------------------------------------------------------------------------

    def add_lost_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Call ``listener(event)`` (on the callback worker) when a session through which a
        caller of this client held this lock is lost: that hold is gone."""
        if not callable(listener):
            raise TypeError("listener must be callable, got %r" % (listener,))
        if listener not in self._lost_listeners:
            self._lost_listeners.append(listener)

    def remove_lost_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Stop calling ``listener``; returns None."""
        if listener in self._lost_listeners:
            self._lost_listeners.remove(listener)

    def _bound_to(self, group_id: RaftGroupId, session_id: int) -> bool:
        return group_id == self.group_id and session_id in list(self._owners.values())

    def add_loss_hook(self, hook: Callable[[CPSessionEvent], Any]) -> None:
        """For recipes: ``hook(event)`` runs right where the loss is found (I/O path,
        heartbeat loop), before any lost listener; it must be quick and must not block.
        Returns None."""
        if hook not in self._loss_hooks:
            self._loss_hooks.append(hook)

    def _session_lost(self, event: CPSessionEvent) -> None:
        # Owners stay recorded: their next call raises LockOwnershipLostError.
        for hook in list(self._loss_hooks):
            hook(event)
        for listener in list(self._lost_listeners):
            self._handler.dispatch_callback(listener, event)

    def _on_destroy(self) -> None:
        self._owners.clear()
        self._sessions.unregister_holder(self)
