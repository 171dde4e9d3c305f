"""Lock: a distributed mutex with fencing tokens, on the CP subsystem's FencedLock.

.. code-block:: python

    lock = client.Lock("orders", on_lost=lambda event: print("lost", event))
    with lock:                         # acquire(); release() on exit
        store.write(data, fence=lock.fence)

Unlike Kazoo's Lock (a znode anybody holding the client can delete), a hold belongs to the
thread (threading handler) or greenlet (gevent handler) that acquired it: release it from
the same one. ``lost`` is an event set, and ``on_lost(event)`` called, when the CP
session through which the lock was held is lost; ``is_acquired`` is then False.

``is_acquired`` is answered at the moment it is asked, against the lease of that CP
session (see :mod:`hzgreen.cp.session`): False as soon as no heartbeat was acknowledged
for the session TTL minus a margin, even before the loss is known, and even in a process
that was frozen. What no check can close -- a pause between the check and the write --
is closed by the guarded resource refusing writes with a ``fence`` older than the newest
it has seen (docs/recipes.rst, "Fencing tokens").

:meth:`contenders` lists, as Kazoo's does, the ``identifier`` of the holder and then of
each waiter in the order they began waiting, from the advisory record of
:mod:`hzgreen.recipes.contenders` (a dead contender stays listed for up to ``ttl`` s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

from hzgreen.cp.fenced_lock import INVALID_FENCE
from hzgreen.exceptions import AcquireCancelledError, LockOwnershipLostError
from hzgreen.recipes.contenders import DEFAULT_TTL, ContenderRecord
from hzgreen.recipes.pending import PendingAcquires

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.cp.session import CPSessionEvent
    from hzgreen.handler_types import Handler


class Lock:
    """``client.Lock(name, on_lost=None, identifier=None, ttl=10.0)``: an exclusive,
    reentrant, fenced distributed lock; ``identifier`` is what :meth:`contenders` lists
    for its holds and waits, ``ttl`` the life of their unrefreshed record entries.
    Raises ValueError for a ``ttl`` that is not > 0."""

    def __init__(
        self,
        client: HzClient,
        name: str,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        identifier: Any = None,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.client = client
        self.name = name
        self.identifier = identifier
        self._record = ContenderRecord(client, name, "lock", identifier, ttl)
        # caller identity -> key of its holder entry in the contender record
        self._entries: Dict[int, str] = {}
        self._handler: Handler = client.handler
        self._lock = client.cp.get_lock(name)
        self._on_lost = on_lost
        # caller identity -> [reentrant depth, fence] of the holds this object made
        self._holds: Dict[int, List[int]] = {}
        self._pending: PendingAcquires[int] = PendingAcquires(self._handler, self._lock)
        #: Set when a hold was lost with the CP session; cleared by the next acquire.
        self.lost = self._handler.event_object()
        self._lock.add_loss_hook(self._session_lost)

    # -- acquiring and releasing -----------------------------------------------------

    def acquire(self, blocking: bool = True, timeout: Optional[float] = None) -> bool:
        """Acquire the lock; True once held, False if not within ``timeout`` (or at once
        with ``blocking=False``), or if :meth:`cancel` ended the wait. Reentrant for the
        thread/greenlet holding it. Giving up the wait in any way (timeout, kill,
        exception) leaves nothing held: a later grant is unlocked at once.

        With an ``identifier``, a grant at once also costs one write to the contender
        record; a wait also takes a sequence number and records the waiter first. Raises
        what the CP calls raise."""
        if not blocking:
            timeout = 0
        identity = self._handler.current_identity()
        cancels = self._pending.generation()
        if not self._record.enabled:
            fence = self._attempt(identity, timeout, cancels)
            if fence == INVALID_FENCE:
                return False
            hold = self._holds.get(identity)
            if hold is None or hold[1] != fence:
                hold = self._holds[identity] = [0, fence]
                self.lost.clear()
            hold[0] += 1
            return True
        began = self._handler.monotonic()
        waiter: Optional[str] = None
        fence = self._attempt(identity, 0, cancels)
        if fence == INVALID_FENCE and timeout != 0:
            waiter = self._record.add_waiter()
            try:
                remaining = None if timeout is None else max(0.0, timeout - (self._handler.monotonic() - began))
                fence = self._attempt(identity, remaining, cancels)
            except BaseException:
                self._record.remove_async(waiter)
                raise
        if fence == INVALID_FENCE:
            if waiter is not None:
                self._record.remove(waiter)
            return False
        hold = self._holds.get(identity)
        if hold is None or hold[1] != fence:
            hold = self._holds[identity] = [0, fence]
            self.lost.clear()
            stale = self._entries.pop(identity, None)
            if stale is not None:
                self._record.remove_async(stale)
            self._entries[identity] = self._record.add_holder() if waiter is None else self._record.promote(waiter)
        elif waiter is not None:
            self._record.remove(waiter)
        hold[0] += 1
        return True

    def _attempt(self, identity: int, timeout: Optional[float], cancels: int) -> int:
        """One acquisition attempt: return the fence, or INVALID_FENCE when not granted
        within ``timeout`` or cancelled. An earlier hold of this caller lost with its
        session is forgotten and the attempt made again."""
        try:
            try:
                return self._try(timeout, cancels)
            except LockOwnershipLostError:
                # An earlier hold of this caller died with its session (the error is one-shot).
                self._holds.pop(identity, None)
                return self._try(timeout, cancels)
        except AcquireCancelledError:
            return INVALID_FENCE

    def _try(self, timeout: Optional[float], cancels: int) -> int:
        """One lock/tryLock, waited on; abandoned at once if :meth:`cancel` was called
        since the acquire began (``cancels`` is the count of cancel() calls then)."""
        if timeout is None:
            result = self._lock.lock_async()
        else:
            result = self._lock.try_lock_async(max(0.0, float(timeout)))
        return self._pending.wait(result, cancels)

    def cancel(self) -> None:
        """Cancel every pending :meth:`acquire` of this object, whatever thread or greenlet
        waits in it: each returns False. A lock the member grants them later is unlocked
        at once. Holds already acquired are not touched. Returns None."""
        self._pending.cancel()

    def release(self) -> None:
        """Release one hold; the lock is free when every reentrant hold is released.

        Raises IllegalMonitorStateError if the caller does not hold it, and
        LockOwnershipLostError if its hold was lost with the CP session."""
        identity = self._handler.current_identity()
        hold = self._holds.get(identity)
        pending = None
        if hold is not None:
            hold[0] -= 1
            if hold[0] <= 0:
                del self._holds[identity]
                key = self._entries.pop(identity, None)
                if key is not None:  # sent now, waited for after the unlock
                    pending = self._record.remove_async(key)
        try:
            self._lock.unlock()
        finally:
            self._record.wait(pending)

    # -- state --------------------------------------------------------------------------

    @property
    def is_acquired(self) -> bool:
        """True while the calling thread/greenlet holds the lock and the CP session it
        holds it through is surely alive (its lease has not run out). Local: no round trip."""
        identity = self._handler.current_identity()
        return identity in self._holds and self._lock.holds_lease(identity)

    @property
    def fence(self) -> int:
        """The fencing token of the caller's current hold (0 when not held); every new hold
        of the lock, by anybody, gets a larger one."""
        hold = self._holds.get(self._handler.current_identity())
        return INVALID_FENCE if hold is None else hold[1]

    def is_locked(self) -> bool:
        """True if anybody in the cluster holds the lock (a round trip)."""
        return self._lock.is_locked()

    def contenders(self) -> List[Any]:
        """Return the identifiers of the holder and then of the waiters, in the order they
        began waiting, as Kazoo's ``Lock.contenders()`` (one round trip).

        Read from the advisory contender record (:mod:`hzgreen.recipes.contenders`): it may
        lag the lock by a round trip and lists a dead contender for up to ``ttl`` s; the
        lock itself answers who holds it. Raises HzError when the read fails."""
        return self._record.contenders()

    def _session_lost(self, event: CPSessionEvent) -> None:
        # Runs where the loss was found (never behind user callbacks): quick, no blocking.
        owners = self._lock.owners()
        dropped = [
            identity for identity in list(self._holds) if owners.get(identity, event.session_id) == event.session_id
        ]
        for identity in dropped:
            self._holds.pop(identity, None)
        self._record.forget([key for key in (self._entries.pop(identity, None) for identity in dropped) if key])
        if not dropped:
            return
        self.lost.set()
        if self._on_lost is not None:
            self._handler.dispatch_callback(self._on_lost, event)

    # -- context manager ----------------------------------------------------------------

    def __enter__(self) -> "Lock":
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.release()
        except LockOwnershipLostError:
            if exc_info[0] is None:
                raise
