"""Partitioner: share a fixed set of items among the live members, like Kazoo's SetPartitioner.

.. code-block:: python

    partitioner = client.Partitioner("shards", items=range(16))
    while True:
        if partitioner.failed:
            raise RuntimeError("lost the partition set")
        elif partitioner.release:
            partitioner.release_set()          # membership changed: give the set back
        elif partitioner.acquired:
            for shard in partitioner:          # this member's items
                work_on(shard)
            partitioner.wait_for_change(5, PartitionState.ACQUIRED)
        elif partitioner.allocating:
            partitioner.wait_for_acquire()

Membership is a :class:`~hzgreen.recipes.party.Party` of the same name (entries of the map
``"{name}.__party"``, valued with the member identifiers), watched with an entry listener.
Once the membership has not changed for ``time_boundary`` seconds, ``partition_func(
identifier, members, items)`` says which items are this member's, and each of them is
*claimed*: an entry ``item -> owner token`` of the map ``"{name}.__owners"`` put with
``put_if_absent`` and a time-to-live ``lease`` (seconds), refreshed every ``lease / 3``
while the set is held. A claim is not bound to a thread or greenlet: any of them may
release the set. An item still claimed by its previous owner is waited for until that
owner releases it or its lease expires (a dead owner stops refreshing).

States (:class:`PartitionState`): ALLOCATING -> ACQUIRED; ACQUIRED -> RELEASE when the
membership changes (the set is still held, and refreshed, until :meth:`release_set`);
RELEASE -> ALLOCATING on :meth:`release_set`; any -> FAILURE on :meth:`finish`, when the
client goes LOST, when the items could not be claimed within ``acquire_timeout`` or when
a held claim was found taken over (this member was cut off for longer than ``lease``).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, List, Optional, Sequence

from hzgreen.exceptions import ClientNotActiveError, HzError
from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import Event, Handler
    from hzgreen.proxy.map_listeners import EntryEvent

log = logging.getLogger("hzgreen.recipes.partitioner")

POLL = 0.25


class PartitionState:
    """The states of a :class:`Partitioner` (strings, as in Kazoo)."""

    ALLOCATING = "ALLOCATING"
    ACQUIRED = "ACQUIRED"
    RELEASE = "RELEASE"
    FAILURE = "FAILURE"


def round_robin(identifier: Any, members: Sequence[Any], items: Sequence[Any]) -> List[Any]:
    """The default partition function: members and items sorted, items dealt in turn."""
    ordered_members = _sorted(members)
    if identifier not in ordered_members:
        return []
    index = ordered_members.index(identifier)
    return [item for i, item in enumerate(_sorted(items)) if i % len(ordered_members) == index]


def _sorted(values: Iterable[Any]) -> List[Any]:
    """``values`` sorted, by ``repr`` when they cannot be compared."""
    listed = list(values)
    try:
        return sorted(listed)
    except TypeError:  # mixed types: a stable order all members agree on
        return sorted(listed, key=repr)


class Partitioner:
    """``client.Partitioner(name, items, identifier=None, partition_func=None,
    time_boundary=1.0, lease=10.0, acquire_timeout=None, state_change_event=None)``."""

    def __init__(
        self,
        client: HzClient,
        name: str,
        items: Iterable[Any],
        identifier: Any = None,
        partition_func: Optional[Callable[[Any, List[Any], List[Any]], Iterable[Any]]] = None,
        time_boundary: float = 1.0,
        lease: float = 10.0,
        acquire_timeout: Optional[float] = None,
        state_change_event: Optional[Event] = None,
    ) -> None:
        if lease <= 0:
            raise ValueError("lease must be > 0, got %r" % (lease,))
        if time_boundary < 0:
            raise ValueError("time_boundary must be >= 0, got %r" % (time_boundary,))
        self.client = client
        self.name = name
        self.items = list(items)
        if identifier is None:
            identifier = "%s-%d-%s" % (socket.gethostname(), os.getpid(), uuid.uuid4().hex[:8])
        self.identifier = identifier
        self.partition_func: Callable[[Any, List[Any], List[Any]], Iterable[Any]] = partition_func or round_robin
        self.time_boundary = float(time_boundary)
        self.lease = float(lease)
        self.acquire_timeout = float(acquire_timeout) if acquire_timeout is not None else 3 * self.lease
        self.state_change_event = state_change_event
        self._handler: Handler = client.handler
        self._token = uuid.uuid4().hex  # the owner value of this object's claims
        self._mutex = self._handler.lock_object()
        self._wake = self._handler.event_object()
        self._settled = self._handler.event_object()  # set while not ALLOCATING
        self._changed = self._handler.event_object()  # set on every state change
        self._claims: List[Any] = []  # items claimed by this object
        self._partition: List[Any] = []  # this member's items, while held
        self._members: List[Any] = []  # the membership they were computed for
        self._generation = 0  # bumped by release_set / finish
        self._lost = False
        self._out = False
        self._state = PartitionState.ALLOCATING
        self._owners = client.get_map(name + ".__owners")
        self._party = client.Party(name, identifier, ttl=self.lease)
        wake = self._on_event
        self._party_reg = self._party.map.add_entry_listener(
            added_func=wake, removed_func=wake, expired_func=wake, evicted_func=wake
        )
        self._owners_reg = self._owners.add_entry_listener(removed_func=wake, expired_func=wake, evicted_func=wake)
        client.add_listener(self._client_state)
        self._party.join()
        self._driver = self._handler.spawn(self._drive)

    # -- state -------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """Returns the current state: a :class:`PartitionState` value (ALLOCATING, ACQUIRED, RELEASE or
        FAILURE). Raises nothing."""
        return self._state

    @property
    def allocating(self) -> bool:
        """Returns whether the set is being divided (state ALLOCATING). Raises nothing."""
        return self._state == PartitionState.ALLOCATING

    @property
    def acquired(self) -> bool:
        """Returns whether this member holds its share (state ACQUIRED). Raises nothing."""
        return self._state == PartitionState.ACQUIRED

    @property
    def release(self) -> bool:
        """Returns whether the share must be given back (state RELEASE): call :meth:`release_set`. Raises
        nothing."""
        return self._state == PartitionState.RELEASE

    @property
    def failed(self) -> bool:
        """Returns whether the partitioner failed (state FAILURE). Raises nothing."""
        return self._state == PartitionState.FAILURE

    def _set_state(self, state: str) -> None:
        # called with the mutex held
        if state == self._state:
            return
        log.debug("partitioner %r (%r): %s -> %s", self.name, self.identifier, self._state, state)
        self._state = state
        if state == PartitionState.ALLOCATING:
            self._settled.clear()
        else:
            self._settled.set()
        self._changed.set()
        if self.state_change_event is not None:
            self.state_change_event.set()

    def wait_for_acquire(self, timeout: Optional[float] = 30) -> bool:
        """Wait until the allocation is over (any state but ALLOCATING); True if ACQUIRED."""
        self._settled.wait(timeout)
        return self.acquired

    def wait_for_change(self, timeout: Optional[float] = None, state: Optional[str] = None) -> str:
        """Wait until the state differs from ``state`` (default: the state now), or
        ``timeout`` seconds; return the state. Passing the state last seen closes the
        race with a change made just before the call."""
        seen = self._state if state is None else state
        deadline = None if timeout is None else self._handler.monotonic() + timeout
        while self._state == seen:
            remaining = None if deadline is None else deadline - self._handler.monotonic()
            if remaining is not None and remaining <= 0:
                break
            self._changed.clear()
            if self._state != seen:
                break
            self._changed.wait(remaining)
        return self._state

    def __iter__(self) -> Iterator[Any]:
        """This member's items while ACQUIRED or RELEASE (nothing otherwise)."""
        return iter(list(self._partition))

    def __len__(self) -> int:
        return len(self._partition)

    # -- user actions ----------------------------------------------------------------

    def release_set(self) -> None:
        """Give the held items back and allocate again (after a RELEASE)."""
        with self._mutex:
            if self._state == PartitionState.FAILURE:
                return
            self._generation += 1
            self._release_claims()
            self._set_state(PartitionState.ALLOCATING)
        self._wake.set()

    def finish(self) -> None:
        """Release the items, leave the membership: the state is FAILURE for good."""
        with self._mutex:
            self._generation += 1
            self._set_state(PartitionState.FAILURE)
        self._wake.set()
        self._driver.join(self.lease)
        self._fail_out()

    # -- events ------------------------------------------------------------------------

    def _on_event(self, event: EntryEvent) -> None:
        self._wake.set()

    def _client_state(self, state: HzState) -> None:
        if state == HzState.LOST:
            self._lost = True
            self._wake.set()

    # -- the driver task ------------------------------------------------------------------

    def _drive(self) -> None:
        try:
            while True:
                if self._lost:
                    with self._mutex:
                        self._set_state(PartitionState.FAILURE)
                if self._state == PartitionState.FAILURE:
                    break
                if self._state == PartitionState.ALLOCATING:
                    self._allocate(self._generation)
                else:
                    self._hold()
        except ClientNotActiveError:
            with self._mutex:
                self._set_state(PartitionState.FAILURE)
        except Exception:
            log.exception("partitioner %r: failed", self.name)
            with self._mutex:
                self._set_state(PartitionState.FAILURE)
        self._fail_out()

    def _current(self, generation: int) -> bool:
        return self._generation == generation and not self._lost and self._state == PartitionState.ALLOCATING

    def _members_now(self) -> List[Any]:
        return _sorted(self._party.members())

    def _pause(self, timeout: float) -> None:
        self._wake.wait(timeout)
        self._wake.clear()

    def _allocate(self, generation: int) -> None:
        # 1. wait until the membership has been still for time_boundary
        now = self._handler.monotonic
        members = self._members_now()
        still_since = now()
        while now() - still_since < self.time_boundary:
            self._pause(max(0.0, self.time_boundary - (now() - still_since)))
            if not self._current(generation):
                return
            latest = self._members_now()
            if latest != members:
                members, still_since = latest, now()
        if self.identifier not in members:  # our own entry is not visible yet
            self._pause(POLL)
            return
        mine = list(self.partition_func(self.identifier, list(members), list(self.items)))
        # 2. claim the items; wait for their previous owners to release them
        deadline = now() + self.acquire_timeout
        refreshed = now()
        pending = list(mine)
        while pending:
            with self._mutex:
                if not self._current(generation):
                    return
                for item in list(pending):
                    owner = self._owners.put_if_absent(item, self._token, ttl=self.lease)
                    if owner is None or owner == self._token:
                        pending.remove(item)
                        self._claims.append(item)
            if not pending:
                break
            if now() > deadline:
                log.warning(
                    "partitioner %r: items %r not released within %.1f s", self.name, pending, self.acquire_timeout
                )
                with self._mutex:
                    self._release_claims()
                    self._set_state(PartitionState.FAILURE)
                return
            self._pause(POLL)
            if self._members_now() != members:  # changed meanwhile: start over
                with self._mutex:
                    if self._current(generation):
                        self._release_claims()
                return
            if now() - refreshed >= self.lease / 3:
                self._refresh_claims()
                refreshed = now()
        with self._mutex:
            if not self._current(generation):
                return
            self._partition = mine
            self._members = members
            self._set_state(PartitionState.ACQUIRED)

    def _hold(self) -> None:
        # ACQUIRED or RELEASE: refresh the claims; ACQUIRED -> RELEASE on a membership change
        deadline = self._handler.monotonic() + self.lease / 3
        while self._handler.monotonic() < deadline:
            self._pause(deadline - self._handler.monotonic())
            if self._lost or self._state not in (PartitionState.ACQUIRED, PartitionState.RELEASE):
                return
            if self._state == PartitionState.ACQUIRED:
                try:
                    changed = self._members_now() != self._members
                except HzError as error:  # cut off: look again later
                    log.debug("partitioner %r: membership read failed: %r", self.name, error)
                    changed = False
                if changed:
                    with self._mutex:
                        if self._state == PartitionState.ACQUIRED:
                            self._set_state(PartitionState.RELEASE)
        self._refresh_claims()

    def _refresh_claims(self) -> None:
        with self._mutex:
            for item in list(self._claims):
                try:
                    owner = self._owners.get(item)
                    if owner == self._token:
                        self._owners.set(item, self._token, ttl=self.lease)
                        continue
                except ClientNotActiveError:
                    raise
                except HzError as error:  # cut off: the next round tries again
                    log.debug("partitioner %r: refresh failed: %r", self.name, error)
                    continue
                log.warning("partitioner %r: the claim on %r was lost (owner now %r)", self.name, item, owner)
                self._claims.remove(item)
                self._set_state(PartitionState.FAILURE)

    # -- releasing --------------------------------------------------------------------------

    def _release_claims(self) -> None:
        # called with the mutex held
        self._partition = []
        claims, self._claims = self._claims, []
        for item in claims:
            try:
                if self._owners.get(item) == self._token:
                    self._owners.delete(item)
            except HzError as error:  # it expires within the lease anyway
                log.debug("partitioner %r: releasing %r failed: %r", self.name, item, error)

    def _fail_out(self) -> None:
        # idempotent: the driver calls it when it ends, finish() too
        with self._mutex:
            if self._out:
                return
            self._out = True
            self._release_claims()
            self._set_state(PartitionState.FAILURE)
        self.client.remove_listener(self._client_state)
        for registry, reg in ((self._party.map, self._party_reg), (self._owners, self._owners_reg)):
            try:
                registry.remove_entry_listener(reg)
            except HzError:
                pass
        try:
            self._party.leave()
        except HzError:
            pass

    def __repr__(self) -> str:
        return "Partitioner(name=%r, identifier=%r, state=%s)" % (self.name, self.identifier, self._state)
