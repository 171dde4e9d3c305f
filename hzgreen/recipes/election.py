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
returns, on :meth:`cancel`, on ``client.stop()``, or when the CP session is lost. In the
last three cases ``run`` returns at once (after unlocking, when it still can) and a
``func`` still running is *not* interrupted: it must check :attr:`is_leader` or
:attr:`lost` (a loss also calls ``on_lost(event)``) -- loss is a signal, not a surprise.

Contenders are entries of the map ``"{name}.__contenders"`` (expiring after ``ttl`` s,
refreshed every ``ttl / 3``: a dead contender disappears within ``ttl``); the leader's
contender id is kept in the map ``"{name}.__leader"`` while it leads.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, List, Optional

from hzgreen.cp.fenced_lock import INVALID_FENCE
from hzgreen.exceptions import ClientNotActiveError, HzError
from hzgreen.states import HzState

log = logging.getLogger("hzgreen.recipes.election")

SLICE = 1.0


class Election:
    """``client.Election(name, identifier=None, on_lost=None, ttl=10.0)``."""

    def __init__(self, client: Any, name: str, identifier: Any = None,
                 on_lost: Optional[Callable[[Any], Any]] = None, ttl: float = 10.0) -> None:
        self.client = client
        self.name = name
        self.identifier = identifier
        self.ttl = float(ttl)
        self.contender_id = uuid.uuid4().hex
        self._handler = client.handler
        self._lock = client.cp.get_lock(name)
        self._contenders = client.get_map(name + ".__contenders")
        self._leader = client.get_map(name + ".__leader")
        self._seq = client.cp.get_atomic_long(name + ".__seq")
        self._on_lost = on_lost
        self._cancelled = self._handler.event_object()
        self._wake = self._handler.event_object()
        #: Set when leadership was lost with the CP session (or the client went LOST).
        self.lost = self._handler.event_object()
        self.is_leader = False
        #: The fencing token of the current (or last) leadership.
        self.fence = INVALID_FENCE
        self._lock.add_lost_listener(self._session_lost)

    # -- running ------------------------------------------------------------------------

    def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Wait to become leader, then call ``func(*args, **kwargs)``; return its result
        (None when cancelled, or when leadership ended before ``func`` returned)."""
        self._wake.clear()
        self.lost.clear()
        stop_refresh = self._handler.event_object()
        key = self.contender_id
        value = (self.identifier, self._seq.increment_and_get())
        self._contenders.set(key, value, ttl=self.ttl)
        refresher = self._handler.spawn(self._refresh, key, value, stop_refresh)
        self.client.add_listener(self._state_changed)
        try:
            fence = INVALID_FENCE
            while fence == INVALID_FENCE:
                if self._cancelled.is_set():
                    return None
                fence = self._lock.try_lock(SLICE)
            return self._lead(fence, func, args, kwargs)
        finally:
            self.client.remove_listener(self._state_changed)
            self._cancelled.clear()      # a cancel() made before run() applies to this run
            stop_refresh.set()
            refresher.join(self.ttl)  # no refresh may land after the delete
            try:
                self._contenders.delete(key)
            except HzError:
                pass

    def _lead(self, fence: int, func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        self.fence = fence
        self.is_leader = True
        outcome = self._handler.async_result()
        try:
            self._leader.set("leader", self.contender_id)
            if self._cancelled.is_set():
                return None

            def call() -> None:
                try:
                    outcome.set(func(*args, **kwargs))
                except BaseException as error:
                    outcome.set_exception(error)
                finally:
                    self._wake.set()

            self._handler.spawn(call)
            while not outcome.ready() and not self._cancelled.is_set() and not self.lost.is_set():
                self._wake.wait()
                self._wake.clear()
            return outcome.get() if outcome.ready() else None
        finally:
            self.is_leader = False
            if not self.lost.is_set():
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

    def _refresh(self, key: str, value: Any, stop: Any) -> None:
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

    def _session_lost(self, event: Any) -> None:
        if not self.is_leader:
            return
        self.is_leader = False
        self.lost.set()
        self._wake.set()
        if self._on_lost is not None:
            self._on_lost(event)

    def _state_changed(self, state: HzState) -> None:
        if state == HzState.LOST and self.is_leader:
            self._session_lost(state)

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
