"""Lock: a distributed mutex with fencing tokens, on the CP subsystem's FencedLock.

.. code-block:: python

    lock = client.Lock("orders", on_lost=lambda event: print("lost", event))
    with lock:                         # acquire(); release() on exit
        store.write(data, fence=lock.fence)

Unlike Kazoo's Lock (a znode anybody holding the client can delete), a hold belongs to the
thread (threading handler) or greenlet (gevent handler) that acquired it: release it from
the same one. ``lost`` is an event set, and ``on_lost(event)`` called, when the CP
session through which the lock was held is lost; ``is_acquired`` is then False.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from hzgreen.cp.fenced_lock import INVALID_FENCE
from hzgreen.exceptions import LockOwnershipLostError


class Lock:
    """``client.Lock(name, on_lost=None)``: an exclusive, reentrant, fenced distributed lock."""

    def __init__(self, client: Any, name: str, on_lost: Optional[Callable[[Any], Any]] = None) -> None:
        self.client = client
        self.name = name
        self._handler = client.handler
        self._lock = client.cp.get_lock(name)
        self._on_lost = on_lost
        # caller identity -> [reentrant depth, fence] of the holds this object made
        self._holds: Dict[int, List[int]] = {}
        #: Set when a hold was lost with the CP session; cleared by the next acquire.
        self.lost = self._handler.event_object()
        self._lock.add_lost_listener(self._session_lost)

    # -- acquiring and releasing -----------------------------------------------------

    def acquire(self, blocking: bool = True, timeout: Optional[float] = None) -> bool:
        """Acquire the lock; True once held, False if not within ``timeout`` (or at once
        with ``blocking=False``). Reentrant for the thread/greenlet holding it."""
        if not blocking:
            timeout = 0
        identity = self._handler.current_identity()
        try:
            fence = self._try(timeout)
        except LockOwnershipLostError:
            # An earlier hold of this caller died with its session (the error is one-shot).
            self._holds.pop(identity, None)
            fence = self._try(timeout)
        if fence == INVALID_FENCE:
            return False
        hold = self._holds.get(identity)
        if hold is None or hold[1] != fence:
            hold = self._holds[identity] = [0, fence]
            self.lost.clear()
        hold[0] += 1
        return True

    def _try(self, timeout: Optional[float]) -> int:
        if timeout is None:
            return self._lock.lock()
        return self._lock.try_lock(max(0.0, float(timeout)))

    def release(self) -> None:
        """Release one hold; the lock is free when every reentrant hold is released.

        Raises IllegalMonitorStateError if the caller does not hold it, and
        LockOwnershipLostError if its hold was lost with the CP session."""
        identity = self._handler.current_identity()
        hold = self._holds.get(identity)
        if hold is not None:
            hold[0] -= 1
            if hold[0] <= 0:
                del self._holds[identity]
        self._lock.unlock()

    # -- state --------------------------------------------------------------------------

    @property
    def is_acquired(self) -> bool:
        """True while the calling thread/greenlet holds the lock (as far as this client
        knows: False at once when the CP session it was held through is lost)."""
        return self._handler.current_identity() in self._holds

    @property
    def fence(self) -> int:
        """The fencing token of the caller's current hold (0 when not held); every new hold
        of the lock, by anybody, gets a larger one."""
        hold = self._holds.get(self._handler.current_identity())
        return INVALID_FENCE if hold is None else hold[1]

    def is_locked(self) -> bool:
        """True if anybody in the cluster holds the lock (a round trip)."""
        return self._lock.is_locked()

    def _session_lost(self, event: Any) -> None:
        self._holds.clear()
        self.lost.set()
        if self._on_lost is not None:
            self._on_lost(event)

    # -- context manager ----------------------------------------------------------------

    def __enter__(self) -> "Lock":
        self.acquire()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self.release()
        except LockOwnershipLostError:
            if exc_info[0] is None:
                raise
