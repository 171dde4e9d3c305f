"""Semaphore: at most ``max_leases`` holders at once, on the CP subsystem's semaphore.

.. code-block:: python

    sem = client.Semaphore("render-slots", max_leases=4)
    with sem:                          # acquire(); release() on exit
        render()

The size is fixed by the first user: every Semaphore of one name must be created with the
same ``max_leases``, else :class:`SemaphoreSizeError` (like Kazoo's ``ValueError`` for
inconsistent max leases). Leases are held through the client's CP session: any thread or
greenlet of the acquiring client may release them, and they are given back by the member
when that session is lost (``lost`` is set and ``on_lost(event)`` called).

:meth:`lease_holders` lists the ``identifier`` of each lease holder (once per lease), as
Kazoo's does, and :meth:`contenders` the holders and then the waiters in the order they
began waiting, from the advisory record of :mod:`hzgreen.recipes.contenders` (a dead
contender stays listed for up to ``ttl`` s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, Union, cast

from hzgreen.cp.semaphore import SessionAwareSemaphore
from hzgreen.exceptions import AcquireCancelledError, HzError
from hzgreen.recipes.contenders import DEFAULT_TTL, ContenderRecord
from hzgreen.recipes.pending import PendingAcquires

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.cp.session import CPSessionEvent
    from hzgreen.handler_types import AsyncResult, Handler


class SemaphoreSizeError(HzError, ValueError):
    """The semaphore exists with another ``max_leases`` than the one asked for."""


class Semaphore:
    """``client.Semaphore(name, max_leases=1, on_lost=None, identifier=None, ttl=10.0)``.

    ``identifier`` is what :meth:`lease_holders` and :meth:`contenders` list for this
    object's leases and waits, ``ttl`` the life of their unrefreshed record entries.
    Raises ValueError for a ``max_leases`` that is not an int >= 1 or a ``ttl`` not > 0."""

    def __init__(
        self,
        client: HzClient,
        name: str,
        max_leases: int = 1,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        identifier: Any = None,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        if not isinstance(max_leases, int) or isinstance(max_leases, bool) or max_leases < 1:
            raise ValueError("max_leases must be an int >= 1, got %r" % (max_leases,))
        self.client = client
        self.name = name
        self.max_leases = max_leases
        self.identifier = identifier
        self._record = ContenderRecord(client, name, "semaphore", identifier, ttl)
        # record keys of the leases this object holds, oldest first
        self._entries: List[str] = []
        self._handler: Handler = client.handler
        self._sem = client.cp.get_semaphore(name)
        self._on_lost = on_lost
        self._mutex = self._handler.lock_object()
        self._held = 0
        # an acquire answers None (acquire) or whether it got the permit (try_acquire)
        self._pending: PendingAcquires[Optional[bool]] = PendingAcquires(self._handler, self._sem)
        self._initialized = False
        #: Set when leases this object held were lost with the CP session.
        self.lost = self._handler.event_object()
        if isinstance(self._sem, SessionAwareSemaphore):  # a sessionless one loses nothing with a session
            self._sem.add_loss_hook(self._session_lost)

    def _ensure_initialized(self) -> None:
        if self._initialized:
            return
        # The size is recorded next to the semaphore, first writer wins: the semaphore's
        # own count says how many permits are free, not how many exist.
        size = self.client.cp.get_atomic_long(self.name + ".__max_leases")
        if not size.compare_and_set(0, self.max_leases):
            existing = size.get()
            if existing != self.max_leases:
                raise SemaphoreSizeError(
                    "semaphore %r has max_leases=%d, not %d" % (self.name, existing, self.max_leases)
                )
        self._sem.init(self.max_leases)
        self._initialized = True

    def acquire(self, blocking: bool = True, timeout: Optional[float] = None) -> bool:
        """Take a lease; True once taken, False if none freed up within ``timeout``
        (at once with ``blocking=False``) or if :meth:`cancel` ended the wait; None waits
        as long as it takes. Giving up the wait in any way (timeout, kill, exception)
        leaves nothing held: a lease granted later is released at once.

        With an ``identifier``, a lease taken at once also costs one write to the contender
        record; a wait also takes a sequence number and records the waiter first. Raises SemaphoreSizeError (see
        the module) and what the CP calls raise."""
        self._ensure_initialized()
        if not blocking:
            timeout = 0
        cancels = self._pending.generation()
        if not self._record.enabled:
            if not self._attempt(timeout, cancels):
                return False
            with self._mutex:
                if self._held == 0:
                    self.lost.clear()
                self._held += 1
            return True
        began = self._handler.monotonic()
        waiter: Optional[str] = None
        taken = self._attempt(0, cancels)
        if not taken and timeout != 0:
            waiter = self._record.add_waiter()
            try:
                remaining = None if timeout is None else max(0.0, timeout - (self._handler.monotonic() - began))
                taken = self._attempt(remaining, cancels)
            except BaseException:
                self._record.remove_async(waiter)
                raise
        if not taken:
            if waiter is not None:
                self._record.remove(waiter)
            return False
        key = self._record.add_holder() if waiter is None else self._record.promote(waiter)
        with self._mutex:
            if self._held == 0:
                self.lost.clear()
            self._held += 1
            self._entries.append(key)
        return True

    def _attempt(self, timeout: Optional[float], cancels: int) -> bool:
        """One try for a lease: return True once taken, False when not within ``timeout``
        (None: as long as it takes) or cancelled."""
        result: Union[AsyncResult[None], AsyncResult[bool]]
        if timeout is None:
            result = self._sem.acquire_async(1)
        else:
            result = self._sem.try_acquire_async(1, max(0.0, float(timeout)))
        try:
            # Read only: None (acquire_async) and a bool (try_acquire_async) both fit Optional[bool].
            taken = self._pending.wait(cast("AsyncResult[Optional[bool]]", result), cancels)
        except AcquireCancelledError:
            return False
        return timeout is None or bool(taken)

    def cancel(self) -> None:
        """Cancel every pending :meth:`acquire` of this object, whatever thread or greenlet
        waits in it: each returns False. A lease the member grants them later is released
        at once. Leases already held are not touched. Returns None."""
        self._pending.cancel()

    def release(self) -> bool:
        """Give back one lease of this object; False (nothing sent) if it holds none."""
        with self._mutex:
            if self._held == 0:
                return False
            self._held -= 1
            key = self._entries.pop(0) if self._entries else None
        pending = self._record.remove_async(key) if key is not None else None  # waited for after the release
        try:
            self._sem.release(1)
        finally:
            self._record.wait(pending)
        return True

    @property
    def is_acquired(self) -> bool:
        """True while this object holds at least one lease and, for a session-aware
        semaphore, the CP session holding it is surely alive (its lease has not run
        out, see :mod:`hzgreen.cp.session`). Local: no round trip."""
        if self._held <= 0:
            return False
        return not isinstance(self._sem, SessionAwareSemaphore) or self._sem.holds_lease()

    def available(self) -> int:
        """Free leases now (a round trip)."""
        self._ensure_initialized()
        return self._sem.available_permits()

    def lease_holders(self) -> List[Any]:
        """Return the identifiers of the current lease holders, one per lease held, as
        Kazoo's ``Semaphore.lease_holders()`` (one round trip).

        Read from the advisory contender record (:mod:`hzgreen.recipes.contenders`): it may
        lag the semaphore by a round trip and lists a dead holder for up to ``ttl`` s; the
        semaphore itself decides who holds a permit. Raises HzError when the read fails."""
        return self._record.holders()

    def contenders(self) -> List[Any]:
        """Return the identifiers of the lease holders and then of the waiters, in the
        order they began waiting (one round trip; advisory, as :meth:`lease_holders`).
        Raises HzError when the read fails."""
        return self._record.contenders()

    def _session_lost(self, event: CPSessionEvent) -> None:
        # Runs where the loss was found (never behind user callbacks): quick, no blocking.
        with self._mutex:
            had = self._held
            self._held = 0
            keys, self._entries = self._entries, []
        self._record.forget(keys)
        if had:
            self.lost.set()
            if self._on_lost is not None:
                self._handler.dispatch_callback(self._on_lost, event)

    def __enter__(self) -> "Semaphore":
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
