"""Election: one leader at a time, like Kazoo's Election / Curator's LeaderSelector.

.. code-block:: python

    election = client.Election("scheduler", "host-a:1234", on_lost=lambda event: ...)
    election.run(lead)            # blocks until leader, then lead(); returns when lead returns
    election.cancel()             # from elsewhere: give up (waiting or leading)
    election.contenders()         # ["host-a:1234", "host-b:99", ...], leader first
    election.leader()             # identifier of the leader or None

Leadership *is* holding the CP FencedLock ``name``: the member guarantees one holder, and
``fence`` is its fencing token (larger for every new leader). ``run`` tries the lock in
slices of one second so that :meth:`cancel` (from any thread/greenlet) ends the wait.
``func`` runs in a task of the handler while ``run`` watches: leadership ends when ``func``
returns, on :meth:`cancel`, on ``client.stop()``, when the CP session is lost, or when
its lease runs out (no heartbeat acknowledged for the session TTL minus a margin, see
:mod:`hzgreen.cp.session`) -- so ``run`` returns within the TTL even while every member
is unreachable, without waiting for any of them. In all but the first case ``run``
returns at once (after releasing the lock, when it still can) and a ``func`` still
running is *not* interrupted: it must check :attr:`is_leader` (answered against the
lease at the moment it is asked) or :attr:`lost` -- loss is a signal, not a surprise.
An involuntary end (everything but ``func`` returning and :meth:`cancel`) sets
:attr:`lost` and calls ``on_lost(event)`` once, on the callback worker.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from hzgreen.cp.fenced_lock import INVALID_FENCE
from hzgreen.cp.session import NO_SESSION_ID, CPSessionEvent
from hzgreen.exceptions import ClientNotActiveError, HzError, IllegalMonitorStateError, LockOwnershipLostError

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import AsyncResult, Event, Handler

log = logging.getLogger("hzgreen.recipes.election")

SLICE = 1.0


class Election:
    """``client.Election(name, identifier=None, on_lost=None, ttl=10.0)``."""

    def __init__(
        self,
        client: HzClient,
        name: str,
        identifier: Any = None,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        ttl: float = 10.0,
    ) -> None:
        self.client = client
        self.name = name
        self.identifier = identifier
        self.ttl = float(ttl)
        self.contender_id = uuid.uuid4().hex
        self._handler: Handler = client.handler
        self._lock = client.cp.get_lock(name)
        self._contenders = client.get_map(name + ".__contenders")
        self._leader = client.get_map(name + ".__leader")
        self._seq = client.cp.get_atomic_long(name + ".__seq")
        self._on_lost = on_lost
        self._cancelled = self._handler.event_object()
        self._wake = self._handler.event_object()
        #: Set when leadership ended involuntarily (session lost or its lease ran out, stop()).
        self.lost = self._handler.event_object()
        self._leading = False
        self._leader_identity: Optional[int] = None  # the run() caller holding the lock
        self._end_lock = self._handler.lock_object()
        #: The fencing token of the current (or last) leadership.
        self.fence = INVALID_FENCE
        self._lock.add_loss_hook(self._session_lost)

    @property
    def is_leader(self) -> bool:
        """True while this object leads and the CP session holding the leadership is
        surely alive (its lease has not run out). Local and synchronous: no round trip."""
        identity = self._leader_identity
        return self._leading and identity is not None and self._lock.holds_lease(identity)

    # -- running ------------------------------------------------------------------------

    def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Wait to become leader, then call ``func(*args, **kwargs)``; return its result
        (None when cancelled, or when leadership ended before ``func`` returned).

        Raises what ``func`` raised, and the errors of the calls that register the
        contender and take the lock."""
        self._wake.clear()
        self.lost.clear()
        stop_refresh = self._handler.event_object()
        key = self.contender_id
        value = (self.identifier, self._seq.increment_and_get())
        self._contenders.set(key, value, ttl=self.ttl)
        refresher = self._handler.spawn(self._refresh, key, value, stop_refresh)
        try:
            fence = INVALID_FENCE
            while fence == INVALID_FENCE:
                if self._cancelled.is_set():
                    return None
                fence = self._lock.try_lock(SLICE)
            return self._lead(fence, func, args, kwargs)
        finally:
            self._cancelled.clear()  # a cancel() made before run() applies to this run
            stop_refresh.set()
            if self.lost.is_set():
                # The members may be unreachable: do not wait for them. A refresh still
                # in flight may outlive the delete; the entry then expires within ttl.
                self._contenders.delete_async(key)
            else:
                refresher.join(self.ttl)  # no refresh may land after the delete
                try:
                    self._contenders.delete(key)
                except HzError:
                    pass

    def _lead(self, fence: int, func: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """Lead with ``fence``: run ``func`` in a task until it returns or leadership ends;
        returns what it returned (None when leadership ended first), raises what it raised."""
        identity = self._handler.current_identity()
        self.fence = fence
        self._leader_identity = identity
        self._leading = True
        outcome: AsyncResult[Any] = self._handler.async_result()

        def call() -> None:
            try:
                self._leader.set("leader", self.contender_id)
                leading = self.is_leader and not self._cancelled.is_set()
                outcome.set(func(*args, **kwargs) if leading else None)
            except BaseException as error:
                outcome.set_exception(error)
            finally:
                self._wake.set()

        try:
            self._handler.spawn(call)
            while not outcome.ready() and not self._cancelled.is_set() and not self.lost.is_set():
                remaining = self._lock.lease_deadline(identity) - self._handler.monotonic()
                if remaining <= 0:
                    session_id = self._lock.owners().get(identity, NO_SESSION_ID)
                    self._end(
                        CPSessionEvent(self._lock.group_id, session_id, CPSessionEvent.LEASE_EXPIRED, (self._lock,))
                    )
                    break
                self._wake.wait(remaining)
                self._wake.clear()
            return outcome.get() if outcome.ready() else None
        finally:
            with self._end_lock:
                self._leading = False
            if self.lost.is_set():
                # Let go without waiting: when only the lease ran out the member may still
                # grant us the lock (it must not stay held by a client that stopped leading).
                self._lock.unlock_async().add_done_callback(self._let_go_done)
            else:
                self._resign()

    def _resign(self) -> None:
        try:
            if self._leader.get("leader") == self.contender_id:
                self._leader.delete("leader")
            self._lock.unlock()
        except ClientNotActiveError:
            pass  # stop() closed the session: the member released the lock
        except HzError as error:
            log.warning("election %r: releasing leadership failed: %r", self.name, error)

    def _let_go_done(self, result: AsyncResult[Any]) -> None:
        """Outcome of the unlock sent after an involuntary end; returns None, logs a failure
        that may leave the lock held until the session ends."""
        try:
            result.get(block=False)
        except (LockOwnershipLostError, IllegalMonitorStateError, ClientNotActiveError):
            pass  # the session, hence the lock, is gone already
        except HzError as error:
            log.warning(
                "election %r: releasing the lock after losing the lease failed (%r): it stays "
                "held while this client's CP session lives",
                self.name,
                error,
            )

    def _refresh(self, key: str, value: Tuple[Any, int], stop: Event) -> None:
        """Task: keep the contender entry alive until ``stop`` is set (or the client stops)."""
        while not stop.wait(self.ttl / 3):
            try:
                self._contenders.set(key, value, ttl=self.ttl)
            except ClientNotActiveError:
                return
            except HzError as error:
                log.debug("election %r: refresh failed: %r", self.name, error)

    def cancel(self) -> None:
        """Stop waiting for leadership, or end it: ``run`` returns soon (<= 1 s).

        Made before ``run`` started, it makes that ``run`` return None at once."""
        self._cancelled.set()
        self._wake.set()

    # -- loss -----------------------------------------------------------------------------

    def _session_lost(self, event: CPSessionEvent) -> None:
        # Runs where the loss was found (never behind user callbacks): quick, no blocking.
        identity = self._leader_identity
        if identity is not None and self._lock.owners().get(identity) == event.session_id:
            self._end(event)

    def _end(self, event: CPSessionEvent) -> None:
        """Leadership ended involuntarily: wake ``run`` and call ``on_lost`` (once)."""
        with self._end_lock:
            if not self._leading or self.lost.is_set():
                return
            self.lost.set()
        self._wake.set()
        if self._on_lost is not None:
            self._handler.dispatch_callback(self._on_lost, event)

    # -- queries ----------------------------------------------------------------------------

    def contenders(self) -> List[Any]:
        """Identifiers of the live contenders, the leader first, then in arrival order."""
        entries = sorted(self._contenders.entry_set(), key=lambda kv: kv[1][1])
        leader_id = self._leader.get("leader") if self._lock.is_locked() else None
        first = [value[0] for key, value in entries if key == leader_id]
        return first + [value[0] for key, value in entries if key != leader_id]

    def leader(self) -> Any:
        """The identifier of the current leader, or None."""
        if not self._lock.is_locked():
            return None
        leader_id = self._leader.get("leader")
        value = self._contenders.get(leader_id) if leader_id is not None else None
        return None if value is None else value[0]
