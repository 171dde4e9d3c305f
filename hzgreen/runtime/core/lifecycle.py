"""The connection lifecycle as a state machine: when to connect, what to keep, what to report.

:class:`ConnectionLifecycle` makes every decision about the client's connections. It is fed
with events (the client starting or stopping, the reconnect loop asking for its next step, a
connection attempt failing, a connection authenticated or closed, the periodic tick) and
returns what the driver (:mod:`hzgreen.runtime.connection_manager`) must do, in order: open
a round of connections, wait, give up, close a connection, reset the cluster view, register
the cluster view listener, tell the connection listeners, fail or resend invocations, ping,
report a state (the steps and actions are in :mod:`~hzgreen.runtime.core.lifecycle_actions`).
Time comes in as ``now``. The lifecycle reads only the attributes of
:class:`~hzgreen.runtime.core.lifecycle_actions.Link` on a connection and the ``uuid`` and
``address`` of the members it is shown. It is not thread-safe: the driver calls it under
one lock.

Reconnect pacing is a :class:`~hzgreen.runtime.core.backoff.ReconnectBackoff`. A connection
that authenticates is not trusted at once: until it has stayed up for ``heartbeat_interval``
its loss counts as a failed attempt, so a peer that authenticates and drops the client is
retried at a backing-off pace. Once the client is flapping so (two connections in a row were
lost before they were stable), a new connection is *held*: CONNECTED is reported only once
it is stable, and its loss before that is not reported at all, so a flapping peer costs two
CONNECTED/SUSPENDED pairs, not one per attempt. The reports themselves (one reporter at a
time, coalesced, SUSPENDED before CONNECTED) are kept by
:class:`~hzgreen.runtime.core.reports.StateReports`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Dict, Generic, List, Optional, Sequence, Set, Union

from hzgreen.exceptions import AuthenticationError, ClientNotActiveError
from hzgreen.runtime.core.backoff import Action as BackoffAction
from hzgreen.runtime.core.backoff import ReconnectBackoff
from hzgreen.runtime.core.lifecycle_actions import (
    AUTH_STATUS,
    CONNECT_MEMBERS,
    CONNECT_ROUND,
    LOOP_DONE,
    MEMBER_RECONNECT_PERIOD,
    RESEND_PARKED,
    STARTED,
    Action,
    Address,
    Announce,
    C,
    Close,
    ClosedAfterAuthentication,
    FailPending,
    Failure,
    GiveUp,
    LifecycleOptions,
    Member,
    MemberView,
    Ping,
    Refuse,
    Removed,
    Report,
    ResetClusterView,
    StartConnecting,
    Step,
    Verdict,
    WaitUntil,
    WatchCluster,
    address_text,
)
from hzgreen.runtime.core.reports import StateReport, StateReports

__all__ = ["ConnectionLifecycle"]

log = logging.getLogger("hzgreen.runtime.connection")


class ConnectionLifecycle(Generic[C]):
    """Which connections the client has, when it (re)connects, and what it tells the client.

    ``active`` (connections in the order they were accepted) and ``by_member`` (member uuid
    to connection) are the lifecycle's own collections, changed in place only: the driver
    may keep references to them and read them without the lock on its request path.
    ``reconnect`` False (``reconnect_mode="OFF"``) means the loss of the last connection
    is reported but not followed by a reconnect loop.
    """

    def __init__(
        self,
        addresses: Sequence[Address],
        backoff: ReconnectBackoff,
        *,
        cluster_name: str = "dev",
        smart: bool = True,
        heartbeat_interval: float = 5.0,
        heartbeat_timeout: float = 60.0,
        reconnect: bool = True,
    ) -> None:
        self.addresses: List[Address] = list(addresses)
        self.backoff = backoff
        self.cluster_name = cluster_name
        self.smart = smart
        self.heartbeat_interval = heartbeat_interval
        self.heartbeat_timeout = heartbeat_timeout
        self.reconnect = reconnect
        self.active: List[C] = []
        self.by_member: Dict[Any, C] = {}
        self.cluster_id: Optional[uuid.UUID] = None
        self.partition_count = 0
        self.view_connection: Optional[C] = None
        self._running = False
        self._connecting: Set[Address] = set()
        self._unresolved: Set[Address] = set()  # addresses already reported as unresolvable
        self._pinged: Dict[C, float] = {}
        self._loop_running = False
        self._initial_loop = False
        self._last_member_sweep = 0.0
        self.reports = StateReports()

    @classmethod
    def from_config(
        cls, config: LifecycleOptions, rand: Optional[Callable[[], float]] = None
    ) -> "ConnectionLifecycle[C]":
        """A lifecycle with the client's options and a backoff stable after ``heartbeat_interval``; returns it.

        ``rand`` returns a float in [0, 1) for the backoff's jitter (``random.random`` if None).
        """
        return cls(
            config.addresses,
            ReconnectBackoff.from_config(config, rand),
            cluster_name=config.cluster_name,
            smart=config.smart_routing,
            heartbeat_interval=config.heartbeat_interval,
            heartbeat_timeout=config.heartbeat_timeout,
            reconnect=config.reconnect_mode != "OFF",
        )

    # -- what the lifecycle knows -------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop` (or :meth:`abandon`)."""
        return self._running

    @property
    def held(self) -> bool:
        """True while a connection is up but CONNECTED waits for it to be stable."""
        return self.reports.held

    def candidate_addresses(self, members: Sequence[Member]) -> List[Address]:
        """The addresses a round tries: the configured ones, then the known members' others; returns a new list."""
        addresses = list(self.addresses)
        for member in members:
            address = (member.address.host, member.address.port)
            if address not in addresses:
                addresses.append(address)
        return addresses

    # -- starting and stopping ----------------------------------------------------------------

    def start(self) -> StartConnecting:
        """The client starts: nothing was reported yet. Returns the action that starts the first loop."""
        self._running = True
        self.reports.reset()
        return StartConnecting(initial=True)

    def stop(self) -> List[Close[C]]:
        """The client stops: no more connecting or reporting. Returns the closes of every connection."""
        self._running = False
        return [Close(connection, "client stopped") for connection in self.active]

    def abandon(self) -> None:
        """Stop connecting and reporting, closing nothing (a child inherited the client through fork()); returns None."""
        self._running = False

    # -- the reconnect loop ---------------------------------------------------------------------

    def claim_loop(self) -> bool:
        """True when the caller must start the reconnect loop: the client runs and no loop does (now one does)."""
        if self._loop_running or not self._running:
            return False
        self._loop_running = True
        return True

    def loop_began(self, initial: bool, now: float) -> Step:
        """The loop starts; ``initial`` (for ``start()``) starts the backoff afresh at ``now``.

        Returns the loop's first step, as :meth:`next_step` does.
        """
        self._initial_loop = initial
        if initial:
            self.backoff.begin(now)
        return self.next_step(now)

    def next_step(self, now: float) -> Step:
        """What the loop does next: a round, a wait, give up, or end (:data:`LOOP_DONE`).

        LOOP_DONE ends the loop here (a lost connection may claim a new one at once); after
        any other way out the driver calls :meth:`loop_exited`.
        """
        if not self._running or self.active:
            self._loop_running = False
            return LOOP_DONE
        step = self.backoff.next_step(now)
        if step.action is BackoffAction.GIVE_UP:
            return GiveUp(self._initial_loop, self.backoff.connect_timeout)
        if step.action is BackoffAction.WAIT:
            return WaitUntil(now + step.delay)
        return CONNECT_ROUND

    def loop_exited(self) -> None:
        """The loop ended other than by LOOP_DONE (gave up, stopped, failed); returns None."""
        self._loop_running = False

    def round_wanted(self) -> bool:
        """True while a round should go on trying addresses (running, nothing connected)."""
        return self._running and not self.active

    def round_ended(self, connected: bool, now: float) -> Step:
        """A round is over; one that connected nothing (while still wanted) is a failed round.

        Returns the loop's next step, as :meth:`next_step` does. A connection made in the
        round and lost already was counted by :meth:`closed`.
        """
        if not connected and self._running and not self.active:
            self.backoff.round_failed(now)
        return self.next_step(now)

    def begin_attempt(self, address: Address) -> bool:
        """True when the caller may connect to ``address`` (nobody is); False: leave it."""
        if address in self._connecting:
            return False
        self._connecting.add(address)
        return True

    def end_attempt(self, address: Address) -> None:
        """The attempt begun on ``address`` is over, whatever came of it; returns None."""
        self._connecting.discard(address)

    def connect_failed(self, address: Address, kind: Failure, error: BaseException) -> Verdict:
        """The attempt begun on ``address`` failed with ``error`` (and is over); logs it.

        Returns how loudly it was logged, and whether the loop stops.

        A refusal ends ``start()`` (credentials will not get better by retrying); while
        reconnecting it is retried like any failure. An unresolvable name is worth a warning
        the first time only; a member that is down is routine.
        """
        self._connecting.discard(address)
        host, port = address
        if kind is Failure.REFUSED:
            verdict = Verdict(True, self._initial_loop)
            log.warning("authentication to %s:%d failed: %s", host, port, error)
        elif kind is Failure.UNRESOLVED:
            verdict = Verdict(address not in self._unresolved, False)
            self._unresolved.add(address)
            log.log(
                logging.WARNING if verdict.warn else logging.DEBUG,
                "cannot resolve %s: %s%s",
                host,
                error.__cause__ or error,
                "; trying the other addresses" if verdict.warn else "",
            )
        elif kind is Failure.UNREACHABLE:
            verdict = Verdict(False, False)
            log.debug("could not connect to %s:%d: %s", host, port, error)
        else:
            verdict = Verdict(True, False)
            log.warning("could not connect to %s:%d: %r; trying the other addresses", host, port, error)
        return verdict

    def connect_succeeded(self, address: Address) -> None:
        """The attempt begun on ``address`` reached a member and is over (its name resolves again); returns None."""
        self._connecting.discard(address)
        self._unresolved.discard(address)

    # -- authentication -------------------------------------------------------------------------

    def admit(self, address: Address, status: int, partition_count: int) -> Optional[Refuse]:
        """A member answered the authentication; returns None to go on, or why the connection is refused.

        The first member met fixes the partition count; a member with another count belongs
        to another cluster.
        """
        if status != 0:
            reason = AUTH_STATUS.get(status, "status %d" % status)
            return Refuse(
                "authentication refused: %s" % reason,
                AuthenticationError(
                    "%s:%d refused the client: %s (cluster_name=%r)"
                    % (address[0], address[1], reason, self.cluster_name)
                ),
            )
        if self.partition_count == 0:
            self.partition_count = partition_count
        elif partition_count != self.partition_count:
            return Refuse(
                "member of another cluster (partition count %d)" % partition_count,
                AuthenticationError("member reports a different partition count"),
            )
        return None

    def authenticated(
        self, connection: C, member_uuid: Any, cluster_id: uuid.UUID, now: float
    ) -> Union[Refuse, Close[C], List[Action[C]]]:
        """An admitted connection is ready for use (the connection listeners prepared it).

        Returns :class:`Refuse` (stopped, or closed meanwhile), :class:`Close` (a duplicate,
        or a member of another cluster than the connections up), or the actions of accepting
        it. The first connection after none fixes the cluster id (a new id resets the
        cluster view and is reported as a changed cluster), gets the view listener, and is
        reported (on this task, which may block).
        """
        if not self._running:
            return Refuse("client stopped", ClientNotActiveError("the client was stopped while connecting"))
        if not connection.alive:  # its close found it unregistered: nobody else will clean up
            return Refuse(
                None,
                ClosedAfterAuthentication(
                    "%s closed the connection right after authenticating the client: %s"
                    % (address_text(connection.address), connection.close_reason)
                ),
            )
        existing = self.by_member.get(member_uuid)
        if existing is not None and existing.alive:
            return Close(connection, "duplicate connection to member %s" % member_uuid)
        first = not self.active
        actions: List[Action[C]] = []
        if first:
            if self.cluster_id is not None and self.cluster_id != cluster_id:
                log.warning("connected to a different cluster (id %s, was %s)", cluster_id, self.cluster_id)
                actions.append(ResetClusterView(self.cluster_id, cluster_id))
                self.reports.cluster_changed()
            self.cluster_id = cluster_id
            self.backoff.connected_at(now)
            self.reports.held = self.backoff.flapping
        elif cluster_id != self.cluster_id:
            return Close(connection, "member of another cluster")
        self.by_member[member_uuid] = connection
        self.active.append(connection)
        log.info("connected to %s (member %s)", address_text(connection.address), member_uuid)
        if first:
            if self.reports.held:
                log.info(
                    "reporting CONNECTED once the connection to %s has stayed up %.1f s: the last ones dropped sooner",
                    address_text(connection.address),
                    self.backoff.stable_after,
                )
            self.view_connection = connection
            actions += [WatchCluster(connection), Report(may_block=True), STARTED]
        actions += [Announce(connection), RESEND_PARKED]
        return actions

    # -- losing connections ---------------------------------------------------------------------

    def closed(self, connection: C, reason: str, now: float) -> List[Action[C]]:
        """``connection`` closed for ``reason`` (accepted or not); returns what follows from it.

        Its invocations are failed or retried; an accepted one is withdrawn from the
        listeners, hands the view listener on to another connection, and, if it was the
        last, is reported (SUSPENDED) and the reconnect loop starts. A last connection lost
        before it was stable counts as a failed round of the backoff.
        """
        active = self.active
        was_active = connection in active
        self._pinged.pop(connection, None)
        actions: List[Action[C]] = [FailPending(connection, reason)]
        if not was_active:
            return actions
        active.remove(connection)
        if self.by_member.get(connection.member_uuid) is connection:
            del self.by_member[connection.member_uuid]
        log.info("connection to %s closed: %s", address_text(connection.address), reason)
        actions.append(Removed(connection))
        if connection is self.view_connection:
            self.view_connection = None
            if active and self._running:
                self.view_connection = active[0]
                actions.append(WatchCluster(active[0]))
        if active or not self._running:
            return actions
        was_flapping = self.backoff.flapping
        if not self.backoff.disconnected_at(now):
            log.log(
                logging.DEBUG if was_flapping else logging.WARNING,
                "the connection to %s dropped before it was up %.1f s; reconnecting with backoff",
                address_text(connection.address),
                self.backoff.stable_after,
            )
        self.reports.lost()
        actions.append(Report(may_block=False))
        if self.reconnect:
            actions.append(StartConnecting(initial=False))
        return actions

    # -- periodic work --------------------------------------------------------------------------

    def tick(self, now: float, view: MemberView) -> List[Action[C]]:
        """The periodic look (every few tens of ms); returns what is due, often nothing.

        A held connection that became stable is reported; a connection silent (no whole
        message) for longer than ``heartbeat_timeout`` is closed; one idle for longer than
        ``heartbeat_interval`` is pinged, once per interval; under smart routing, about once
        a second, members without a connection are connected to.
        """
        actions: List[Action[C]] = []
        if self.reports.held and self.active and self.backoff.check_stable(now):
            self.reports.held = False
            log.info("the connection to the cluster stayed up %.1f s: reporting CONNECTED", self.backoff.stable_after)
            actions.append(Report(may_block=False))
        pinged = self._pinged
        for connection in self.active:
            silent = now - connection.last_read
            if silent > self.heartbeat_timeout:
                log.warning("no data from %s for %.1fs: closing it", connection, silent)
                actions.append(Close(connection, "heartbeat timeout"))
            elif (
                now - max(connection.last_write, pinged.get(connection, connection.last_write))
                > self.heartbeat_interval
            ):
                pinged[connection] = now
                actions.append(Ping(connection))
        if self.smart and self._running and self.active and now - self._last_member_sweep > MEMBER_RECONNECT_PERIOD:
            self._last_member_sweep = now
            for member in view.members:
                if (
                    member.uuid not in self.by_member
                    and (member.address.host, member.address.port) not in self._connecting
                ):
                    actions.append(CONNECT_MEMBERS)
                    break
        return actions

    def view_changed(self) -> bool:
        """The member list changed; True when the members without a connection should be connected to."""
        return self.smart and self._running

    def may_connect_members(self) -> bool:
        """True when connecting to the missing members makes sense (smart routing, running, connected)."""
        return self.smart and self._running and bool(self.active)

    def member_needs_connection(self, member_uuid: Any) -> bool:
        """True when the client runs and has no live connection to the member ``member_uuid``."""
        if not self._running:
            return False
        existing = self.by_member.get(member_uuid)
        return existing is None or not existing.alive

    # -- telling the client ---------------------------------------------------------------------

    def want_report(self) -> bool:
        """Note that the client may have news; True when the caller must report (nobody else is)."""
        return self.reports.want()

    def begin_report(self, may_block: bool) -> Optional[StateReport]:
        """:meth:`want_report`, then the first :meth:`next_report` if the caller must report; or None."""
        if not self.reports.want():
            return None
        return self.reports.next(may_block, bool(self.active), self._running)

    def next_report(self, may_block: bool) -> Optional[StateReport]:
        """The reporter's next report, or None: its turn is over (see :class:`StateReports`).

        A caller that may not block gets a report with ``hand_over`` instead of a CONNECTED
        one: it delivers the SUSPENDED part, calls :meth:`end_reporting` and spawns a
        reporter that may block (the news waits for it).
        """
        return self.reports.next(may_block, bool(self.active), self._running)

    def end_reporting(self) -> None:
        """The reporter's turn ends early (handed over, or its delivery raised); returns None."""
        self.reports.end()
