"""Opening, authenticating, watching and re-opening the connections to a cluster.

Smart routing keeps one connection per member; unisocket keeps one in all. The manager
reports three things upward: the first connection after a period without any
(``connected``, with whether the cluster id changed), the loss of the last one
(``disconnected``), and giving up (``gave_up``). The client turns those into HzState
transitions.

When to (re)connect and when to give up is decided by a
:class:`~hzgreen.runtime.backoff.ReconnectBackoff`. A connection that authenticates is
not trusted at once: until it has stayed up for ``heartbeat_interval`` its loss counts as
a failed attempt, so a peer that authenticates and drops the client is retried at a
backing-off pace. Once the client is flapping so (two connections in a row were lost before
they were stable), a new connection is reported ``connected`` only once it is stable; its
loss before that is not reported at all, so a flapping peer costs two CONNECTED/SUSPENDED
pairs, not one per attempt.
"""

from __future__ import annotations

import itertools
import logging
import random
import uuid
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from hzgreen.exceptions import AuthenticationError, ClientNotActiveError, HzError, HzTimeoutError
from hzgreen.handlers.utils import RESOLVER_ERRORS as _RESOLVER_ERRORS
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.runtime.backoff import Action, ReconnectBackoff
from hzgreen.runtime.connection import PREAMBLE, Connection
from hzgreen.runtime.invocation import Invocation

log = logging.getLogger("hzgreen.runtime.connection")

CLIENT_TYPE = "PYH"
CLIENT_VERSION = "5.4.0"
SERIALIZATION_VERSION = 1
MEMBER_RECONNECT_PERIOD = 1.0

# Outcomes of one connection attempt in the cluster-connect task.
_CONNECTED = "connected"
_FAILED = "failed"
_STOP = "stop"

_AUTH_STATUS = {
    1: "credentials failed (wrong cluster name, user name or password)",
    2: "serialization version mismatch",
    3: "client not allowed in the cluster",
}


class _ResolutionError(OSError):
    """A member's host name did not resolve (the cause is the resolver's error)."""


class _ClosedAfterAuthentication(ConnectionError):
    """The connection was closed between its authentication response and its first use."""


def address_text(connection: Connection) -> str:
    """``host:port`` of a connection, for messages."""
    return "%s:%d" % (connection.address[0], connection.address[1])


class ConnectionManager:
    """Keeps the client connected; runs its blocking work on spawned tasks, never on the I/O loop."""

    def __init__(self, config: Any, handler: Any, io_loop: Any, cluster: Any, partitions: Any,
                 on_connected: Callable[[bool], None], on_disconnected: Callable[[], None],
                 on_gave_up: Optional[Callable[[], None]] = None) -> None:
        self._config = config
        self._handler = handler
        self._io_loop = io_loop
        self._cluster = cluster
        self._partitions = partitions
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self._on_gave_up = on_gave_up  # cluster_connect_timeout ran out while reconnecting
        self.invocations: Any = None  # set by the client (the two services refer to each other)
        self.client_uuid = uuid.uuid4()
        self.cluster_id: Optional[uuid.UUID] = None
        self._smart = config.smart_routing
        self._lock = handler.rlock_object()
        self._ids = itertools.count(1)
        self._by_member: Dict[Any, Connection] = {}
        self._active: List[Connection] = []
        self._connecting: Set[Tuple[str, int]] = set()
        self._view_connection: Optional[Connection] = None
        self._running = False
        self._cluster_task: Any = None
        self._connected_event = handler.event_object()
        self._start_error: Optional[BaseException] = None
        self._last_member_sweep = 0.0
        self._connection_listeners: List[Any] = []
        self._unresolved: Set[Tuple[str, int]] = set()  # addresses already logged as unresolvable
        self._backoff = ReconnectBackoff.from_config(config)  # guarded by _lock
        # What the client has been told (see _report_state); guarded by _lock.
        self._reported_connected = False
        self._lost_since_report = False  # the last connection went away since the last report
        self._held = False  # connected, but CONNECTED waits until the connection is stable
        self._cluster_changed_unreported = False
        self._report_due = False
        self._reporting = False

    def add_connection_listener(self, listener: Any) -> None:
        """``listener.connection_added(conn)`` / ``connection_removed(conn)`` for every usable connection.

        A listener may also have ``connection_authenticated(conn)``: called (and waited for)
        after authentication, before the connection carries any request.

        Called outside the manager's lock, on whichever task opened or lost the
        connection; listener registrations (user entry listeners) hang off these.
        """
        self._connection_listeners.append(listener)

    # -- queries used on the hot path --------------------------------------------------

    def connection_for(self, partition_id: int) -> Optional[Connection]:
        """The partition owner's connection under smart routing, else any live one."""
        if self._smart and partition_id >= 0:
            owner = self._partitions.owner_of(partition_id)
            if owner is not None:
                connection = self._by_member.get(owner)
                if connection is not None and connection.alive:
                    return connection
        active = self._active
        if active:
            return active[0] if len(active) == 1 else random.choice(active)
        return None

    def is_connected(self) -> bool:
        return bool(self._active)

    @property
    def active_connections(self) -> List[Connection]:
        return list(self._active)

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, timeout: Optional[float]) -> None:
        """Connect to the cluster; raise HzTimeoutError/AuthenticationError if that fails in time."""
        with self._lock:
            self._running = True
            self._reported_connected = False
            self._lost_since_report = False
            self._held = False
        self._start_error = None
        self._connected_event.clear()
        self._spawn_cluster_connect(initial=True)
        if not self._connected_event.wait(timeout):
            raise HzTimeoutError("could not connect to any of %s within %.3fs"
                                 % (self._config.cluster_members, timeout))
        if self._start_error is not None:
            raise self._start_error
        # Smart routing needs the member list to route by partition owner from the first call.
        remaining = self._config.connection_timeout
        self._cluster.wait_initial_member_list(remaining)

    def shutdown(self) -> None:
        with self._lock:
            self._running = False
            connections = list(self._active)
        for connection in connections:
            connection.close("client stopped")

    def abandon(self) -> None:
        """Stop connecting and reconnecting, closing nothing and taking no lock; returns None.

        For a process that inherited the client through fork(): the sockets are the parent's.
        """
        self._running = False

    # -- connecting --------------------------------------------------------------------

    def _spawn_cluster_connect(self, initial: bool) -> None:
        with self._lock:
            if self._cluster_task is not None or not self._running:
                return
            self._cluster_task = self._handler.spawn(self._connect_to_cluster, initial)

    def _candidate_addresses(self) -> List[Tuple[str, int]]:
        addresses = list(self._config.addresses)
        for member in self._cluster.members:
            address = (member.address.host, member.address.port)
            if address not in addresses:
                addresses.append(address)
        return addresses

    def _connect_to_cluster(self, initial: bool) -> None:
        """Try every known address in rounds, as the backoff policy says, until one connection authenticates.

        An address that fails (refused, unresolvable, anything else) is skipped and the
        others are tried; nothing an address does ends this task. When a positive
        ``cluster_connect_timeout`` runs out the task gives up: ``start()`` raises, and a
        client that was reconnecting is told through ``on_gave_up``. Returns None.
        """
        handler = self._handler
        backoff = self._backoff
        ended = False
        try:
            if initial:
                with self._lock:
                    backoff.begin(handler.monotonic())
            while True:
                with self._lock:
                    if not self._running or self._active:
                        # Ended under the lock: a connection lost from now on spawns a new task.
                        self._cluster_task = None
                        ended = True
                        return
                    step = backoff.next_step(handler.monotonic())
                if step.action is Action.GIVE_UP:
                    self._give_up(initial)
                    return
                if step.action is Action.WAIT:
                    handler.sleep_func(step.delay)
                    continue
                connected = False
                for address in self._candidate_addresses():
                    if not self._running or self._active:
                        break
                    outcome = self._try_address(address, initial)
                    if outcome is _STOP:
                        return
                    if outcome is _CONNECTED:
                        connected = True
                        break
                if not connected:
                    with self._lock:
                        if self._running and not self._active:
                            backoff.round_failed(handler.monotonic())
                # A connection made in this round and lost already was counted by _connection_closed.
        finally:
            if not ended:
                with self._lock:
                    self._cluster_task = None

    def _try_address(self, address: Tuple[str, int], initial: bool) -> str:
        """One connection attempt; returns _CONNECTED, _FAILED or _STOP (credentials refused at start)."""
        try:
            connection = self._connect(address)
        except AuthenticationError as error:
            log.warning("authentication to %s:%d failed: %s", address[0], address[1], error)
            if initial:
                self._start_error = error
                self._connected_event.set()
                return _STOP
        except _ResolutionError as error:
            if address not in self._unresolved:
                self._unresolved.add(address)
                log.warning("cannot resolve %s: %s; trying the other addresses",
                            address[0], error.__cause__ or error)
            else:
                log.debug("cannot resolve %s: %s", address[0], error.__cause__ or error)
        except (OSError, HzError) as error:
            log.debug("could not connect to %s:%d: %s", address[0], address[1], error)
        except Exception as error:
            log.warning("could not connect to %s:%d: %r; trying the other addresses", address[0], address[1], error)
        else:
            self._unresolved.discard(address)
            if connection is not None:
                return _CONNECTED
        return _FAILED

    def _give_up(self, initial: bool) -> None:
        seconds = self._config.cluster_connect_timeout
        members = ", ".join("%s:%d" % address for address in self._candidate_addresses())
        log.error("could not connect to any of %s within cluster_connect_timeout=%.1f s; giving up", members, seconds)
        self._start_error = HzTimeoutError("could not connect to any of %s within cluster_connect_timeout=%.1f s"
                                           % (members, seconds))
        self._connected_event.set()
        if not initial and self._on_gave_up is not None:
            self._on_gave_up()

    def _connect(self, address: Tuple[str, int]) -> Optional[Connection]:
        """Open and authenticate one connection; returns None if it turned out redundant."""
        with self._lock:
            if address in self._connecting:
                return None
            self._connecting.add(address)
        try:
            return self._open_and_authenticate(address)
        finally:
            with self._lock:
                self._connecting.discard(address)

    def _open_and_authenticate(self, address: Tuple[str, int]) -> Optional[Connection]:
        config = self._config
        handler = self._handler
        try:
            sock = handler.create_connection(address, config.connection_timeout)
        except _RESOLVER_ERRORS as error:
            raise _ResolutionError("cannot resolve %s: %s" % (address[0], error)) from error
        except OSError as error:
            raise OSError(error.errno, "connect to %s:%d failed: %s" % (address[0], address[1], error)) from None
        if not self._running:  # stopped, or inherited through fork(), while connecting
            sock.close()
            raise ClientNotActiveError("the client was stopped while connecting")
        connection = Connection(next(self._ids), sock, address, handler, config.max_frame_size,
                                self.invocations.handle_message, self._connection_closed)
        self._io_loop.register(connection)
        try:
            connection.write(PREAMBLE)
            request = client_codec.encode_authentication_request(
                config.cluster_name, config.creds_username, config.creds_password, self.client_uuid,
                CLIENT_TYPE, SERIALIZATION_VERSION, CLIENT_VERSION, config.client_name, config.labels,
                routing_mode=1 if self._smart else 0, cp_direct_to_leader_routing=False)
            invocation = Invocation(request, handler.async_result(), connection=connection,
                                    response_handler=client_codec.decode_authentication_response,
                                    urgent=True)
            invocation.deadline = handler.monotonic() + config.connection_timeout
            invocation.timeout_source = "connection_timeout"
            response = self.invocations.invoke(invocation).get(timeout=config.connection_timeout + 1.0)
        except BaseException as error:
            connection.close("authentication failed: %s" % error, error)
            raise
        status = response["status"]
        if status != 0:
            reason = _AUTH_STATUS.get(status, "status %d" % status)
            connection.close("authentication refused: %s" % reason)
            raise AuthenticationError("%s:%d refused the client: %s (cluster_name=%r)"
                                      % (address[0], address[1], reason, config.cluster_name))
        return self._on_authenticated(connection, response)

    def _on_authenticated(self, connection: Connection, response: Dict[str, Any]) -> Optional[Connection]:
        if not self._partitions.set_partition_count(response["partition_count"]):
            connection.close("member of another cluster (partition count %d)" % response["partition_count"])
            raise AuthenticationError("member reports a different partition count")
        member_uuid = response["member_uuid"]
        connection.member_uuid = member_uuid
        connection.server_version = response.get("server_hazelcast_version")
        address = response.get("address")
        if address is not None:
            connection.remote_address = (address.host, address.port)
        cluster_id = response["cluster_id"]
        self._prepare_connection(connection)
        with self._lock:
            if not self._running:
                connection.close("client stopped")
                raise ClientNotActiveError("the client was stopped while connecting")
            if not connection.alive:  # its close found it unregistered: nobody else will clean up
                raise _ClosedAfterAuthentication("%s closed the connection right after authenticating "
                                                 "the client: %s" % (address_text(connection),
                                                                     connection.close_reason))
            existing = self._by_member.get(member_uuid)
            if existing is not None and existing.alive:
                connection.close("duplicate connection to member %s" % member_uuid)
                return None
            first = not self._active
            if first:
                cluster_changed = self.cluster_id is not None and self.cluster_id != cluster_id
                if cluster_changed:
                    log.warning("connected to a different cluster (id %s, was %s)", cluster_id, self.cluster_id)
                    self._cluster.reset()
                    self._partitions.reset()
                    self._cluster_changed_unreported = True
                self.cluster_id = cluster_id
                self._backoff.connected_at(self._handler.monotonic())
                self._held = self._backoff.flapping
            elif cluster_id != self.cluster_id:
                connection.close("member of another cluster")
                return None
            self._by_member[member_uuid] = connection
            self._active.append(connection)
            held = first and self._held
        log.info("connected to %s:%d (member %s)", connection.address[0], connection.address[1], member_uuid)
        if held:
            log.info("reporting CONNECTED once the connection to %s has stayed up %.1f s: the last ones "
                     "dropped sooner", address_text(connection), self._backoff.stable_after)
        if first:
            self._register_cluster_view_listener(connection)
            self._report_state(may_block=True)
            self._connected_event.set()
        for listener in list(self._connection_listeners):
            try:
                listener.connection_added(connection)
            except Exception:
                log.exception("error in a connection listener")
        self.invocations.resend_parked()
        return connection

    def _prepare_connection(self, connection: Connection) -> None:
        """Let the connection listeners set up a connection before it is used (user listener registrations)."""
        for listener in list(self._connection_listeners):
            prepare = getattr(listener, "connection_authenticated", None)
            if prepare is None:
                continue
            try:
                prepare(connection)
            except Exception:
                log.exception("error in a connection listener")

    def connect_to_members(self) -> None:
        """Start opening a connection to each member that has none; returns at once.

        Smart routing only, and only while some connection is up (with none, the
        cluster reconnect task is at work).
        """
        if self._smart and self._running and self._active:
            self._handler.spawn(self._connect_to_members)

    def _register_cluster_view_listener(self, connection: Connection) -> None:
        self._view_connection = connection

        def on_event(message: Any) -> None:
            message_type = message.get_message_type()
            if message_type == client_codec.ADD_CLUSTER_VIEW_LISTENER_MEMBERS_VIEW_EVENT_TYPE:
                event = client_codec.decode_add_cluster_view_listener_members_view_event(message)
                self._cluster.handle_members_view(event["version"], event["member_infos"])
                if self._smart:
                    self._handler.spawn(self._connect_to_members)
            elif message_type == client_codec.ADD_CLUSTER_VIEW_LISTENER_PARTITIONS_VIEW_EVENT_TYPE:
                event = client_codec.decode_add_cluster_view_listener_partitions_view_event(message)
                self._partitions.handle_partitions_view(connection, event["version"], event["partitions"])

        request = client_codec.encode_add_cluster_view_listener_request()
        invocation = Invocation(request, self._handler.async_result(), connection=connection,
                                event_handler=on_event, urgent=True)
        self.invocations.invoke(invocation)

    def _connect_to_members(self) -> None:
        """Smart routing: open a connection to every member that has none."""
        for member in self._cluster.members:
            if not self._running:
                return
            existing = self._by_member.get(member.uuid)
            if existing is not None and existing.alive:
                continue
            address = (member.address.host, member.address.port)
            try:
                self._connect(address)
            except (OSError, HzError) as error:
                log.debug("could not connect to member %s at %s:%d: %s",
                          member.uuid, address[0], address[1], error)

    # -- losing connections --------------------------------------------------------------

    def _connection_closed(self, connection: Connection, reason: str, error: Optional[BaseException]) -> None:
        stable = was_flapping = True
        with self._lock:
            was_active = connection in self._active
            if was_active:
                self._active.remove(connection)
                if self._by_member.get(connection.member_uuid) is connection:
                    del self._by_member[connection.member_uuid]
            now_empty = was_active and not self._active
            if now_empty and self._running:
                was_flapping = self._backoff.flapping
                stable = self._backoff.disconnected_at(self._handler.monotonic())
                self._lost_since_report = True
                self._held = False
            view_lost = connection is self._view_connection
            if view_lost:
                self._view_connection = None
            replacement = self._active[0] if (view_lost and self._active) else None
        if was_active:
            log.info("connection to %s:%d closed: %s", connection.address[0], connection.address[1], reason)
        if not stable:
            level = logging.DEBUG if was_flapping else logging.WARNING
            log.log(level, "the connection to %s dropped before it was up %.1f s; reconnecting with backoff",
                    address_text(connection), self._backoff.stable_after)
        self.invocations.connection_closed(connection, reason)
        if was_active:
            for listener in list(self._connection_listeners):
                try:
                    listener.connection_removed(connection)
                except Exception:
                    log.exception("error in a connection listener")
        if replacement is not None and self._running:
            self._register_cluster_view_listener(replacement)
        if now_empty and self._running:
            self._report_state(may_block=False)
            if self._config.reconnect_mode != "OFF":
                self._spawn_cluster_connect(initial=False)

    # -- telling the client ----------------------------------------------------------------

    def _report_state(self, may_block: bool) -> None:
        """Tell the client what changed since the last report (SUSPENDED, then CONNECTED); returns None.

        One caller reports at a time, and a caller arriving meanwhile leaves its news to
        that one, so the client never hears CONNECTED and SUSPENDED out of order. A lost
        connection the client was told about is always reported, even if another is up
        again; a held connection (see ``_held``) is reported only once it is stable. A
        caller that must not block (the I/O loop) hands a CONNECTED report, which may wait
        for the cluster, to a spawned task.
        """
        with self._lock:
            self._report_due = True
            if self._reporting:
                return
            self._reporting = True
        try:
            while True:
                with self._lock:
                    if not self._report_due or not self._running:
                        self._report_due = False
                        self._reporting = False
                        return
                    self._report_due = False
                    suspend = self._reported_connected and self._lost_since_report
                    self._lost_since_report = False
                    if suspend:
                        self._reported_connected = False
                    connect = (bool(self._active) and not self._held
                               and (not self._reported_connected or self._cluster_changed_unreported))
                    cluster_changed = self._cluster_changed_unreported
                    if connect and not may_block:
                        connect = False
                        self._report_due = True  # for the task spawned below
                        handing_over = True
                    else:
                        handing_over = False
                    if connect:
                        self._reported_connected = True
                        self._cluster_changed_unreported = False
                if suspend:
                    self._call_quietly(self._on_disconnected)
                if connect:
                    self._call_quietly(self._on_connected, cluster_changed)
                if handing_over:
                    with self._lock:
                        self._reporting = False
                    self._handler.spawn(self._report_state, True)
                    return
        except BaseException:
            with self._lock:
                self._reporting = False
            raise

    @staticmethod
    def _call_quietly(callback: Callable[..., None], *args: Any) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("error in the client's connection callback %r", callback)

    # -- periodic work (I/O loop) ----------------------------------------------------------

    def tick(self, now: float) -> None:
        """Heartbeats, dead-connection detection, reconnecting to missing members, held CONNECTED reports."""
        config = self._config
        if self._held:
            with self._lock:
                release = self._held and bool(self._active) and self._backoff.check_stable(now)
                if release:
                    self._held = False
            if release:
                log.info("the connection to the cluster stayed up %.1f s: reporting CONNECTED",
                         self._backoff.stable_after)
                self._report_state(may_block=False)
        for connection in list(self._active):
            if now - connection.last_read > config.heartbeat_timeout:
                log.warning("no data from %s for %.1fs: closing it", connection, now - connection.last_read)
                connection.close("heartbeat timeout")
            elif now - connection.last_write > config.heartbeat_interval:
                # Mark now so one ping goes per interval; send off the loop so a full
                # socket buffer can never stall the reader.
                connection.last_write = now
                self._handler.spawn(self._ping, connection)
        if self._smart and self._running and self._active and now - self._last_member_sweep > MEMBER_RECONNECT_PERIOD:
            self._last_member_sweep = now
            missing = [m for m in self._cluster.members
                       if m.uuid not in self._by_member
                       and (m.address.host, m.address.port) not in self._connecting]
            if missing:
                self._handler.spawn(self._connect_to_members)

    def _ping(self, connection: Connection) -> None:
        request = client_codec.encode_ping_request()
        invocation = Invocation(request, self._handler.async_result(), connection=connection, urgent=True)
        invocation.ahead = True  # never queued behind user requests
        self.invocations.invoke(invocation)
