"""Opening, authenticating, watching and re-opening the connections to a cluster: the driver.

:class:`ConnectionManager` drives the sans-IO
:class:`~hzgreen.runtime.core.lifecycle.ConnectionLifecycle`, which makes every decision:
when to connect, wait or give up, which connection to keep or close, when to ping, which
connection carries the cluster view listener, what to report. The manager does the I/O and
the waiting: it reads the handler's clock, opens sockets and authenticates them, runs the
reconnect loop and the member connections on spawned tasks (never on the I/O loop), and
carries out the lifecycle's actions in the order given. One lock guards the lifecycle;
nothing blocking and no callback runs under it, so it never needs to be reentrant.

The manager reports three things upward: the first connection after a period without any
(``on_connected``, with whether the cluster id changed), the loss of the last one
(``on_disconnected``), and giving up (``on_gave_up``). The client turns those into HzState
transitions. Reports are delivered in order, one reporter at a time; the I/O loop never
delivers a CONNECTED report itself (the client's listeners may wait for the cluster) but
hands it to a spawned task; ``start()`` returns once CONNECTED was delivered.
"""

from __future__ import annotations

import itertools
import logging
import random
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, NoReturn, Optional, Protocol, Sequence

from hzgreen.exceptions import AuthenticationError, ClientNotActiveError, HzError, HzTimeoutError, TlsHandshakeError
from hzgreen.handlers.utils import RESOLVER_ERRORS as _RESOLVER_ERRORS
from hzgreen.network.failover import ClusterRotation, round_over
from hzgreen.network.load_balancer import choose
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.connection import PREAMBLE, Connection
from hzgreen.runtime.core.lifecycle import ConnectionLifecycle
from hzgreen.runtime.core.lifecycle_actions import (
    LOOP_DONE,
    Action,
    Address,
    Announce,
    Close,
    ConnectMembers,
    FailPending,
    Failure,
    GiveUp,
    Ping,
    Refuse,
    Removed,
    Report,
    ResendParked,
    ResetClusterView,
    StartConnecting,
    Started,
    WaitUntil,
    WatchCluster,
    address_text,
)
from hzgreen.runtime.handshake import (
    CLIENT_TYPE,
    CLIENT_VERSION,
    SERIALIZATION_VERSION,
    authentication_failed,
    authentication_invocation,
    cluster_view_invocation,
)
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.runtime.cluster import ClusterService, PartitionService
    from hzgreen.runtime.connection import _IOLoopBase

__all__ = ["CLIENT_TYPE", "CLIENT_VERSION", "SERIALIZATION_VERSION", "ConnectionListener", "ConnectionManager"]

log = logging.getLogger("hzgreen.runtime.connection")

# Outcomes of one connection attempt in the reconnect loop.
_CONNECTED = "connected"
_FAILED = "failed"
_STOP = "stop"


class _ResolutionError(OSError):
    """A member's host name did not resolve (the cause is the resolver's error)."""


class ConnectionListener(Protocol):
    """Told of every usable connection; may also have ``connection_authenticated(conn)`` (see
    :meth:`ConnectionManager.add_connection_listener`)."""

    def connection_added(self, connection: Connection) -> None: ...

    def connection_removed(self, connection: Connection) -> None: ...


class Invoker(Protocol):
    """What the manager uses of the invocation service."""

    def invoke(self, invocation: Invocation) -> Any: ...

    def resend_parked(self) -> None: ...

    def connection_closed(self, connection: Connection, reason: str) -> None: ...

    def handle_message(self, connection: Connection, message: ClientMessage) -> None: ...

    def refuse_forked_writes(self, owners: List[Any]) -> None: ...


class ConnectionManager:
    """Keeps the client connected; runs its blocking work on spawned tasks, never on the I/O loop.

    ``invocations`` is set by the client after construction (the two services refer to
    each other).
    """

    invocations: Invoker

    def __init__(
        self,
        config: "ClientConfig",
        handler: "Handler",
        io_loop: "_IOLoopBase",
        cluster: "ClusterService",
        partitions: "PartitionService",
        on_connected: Callable[[bool], None],
        on_disconnected: Callable[[], None],
        on_gave_up: Optional[Callable[[], None]] = None,
    ) -> None:
        self._config = config
        self._handler = handler
        self._io_loop = io_loop
        self._cluster = cluster
        self._partitions = partitions
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self._on_gave_up = on_gave_up  # cluster_connect_timeout ran out while reconnecting
        self.client_uuid = uuid.uuid4()
        self._smart = config.smart_routing
        self._balancer = config.connection_options.load_balancer if self._smart else None
        # Plain, not reentrant: nothing run under it calls back into the manager (the lifecycle
        # only returns actions, carried out after the lock is released).
        self._lock = handler.lock_object()
        self._ids = itertools.count(1)
        self._core: ConnectionLifecycle[Connection] = ConnectionLifecycle.from_config(config, random.random)
        # The lifecycle's own collections, changed in place under the lock and read without it here.
        self._by_member = self._core.by_member
        self._active = self._core.active
        self._connected_event = handler.event_object()
        self._start_error: Optional[BaseException] = None
        self._connection_listeners: List[ConnectionListener] = []
        self._clusters = ClusterRotation.from_config(config, handler)  # failover clusters, cloud discovery

    def add_connection_listener(self, listener: ConnectionListener) -> None:
        """``listener.connection_added(conn)`` / ``connection_removed(conn)`` for every usable connection.

        A listener may also have ``connection_authenticated(conn)``: called (and waited for)
        after authentication, before the connection carries any request.

        Called outside the manager's lock, on whichever task opened or lost the
        connection; listener registrations (user entry listeners) hang off these. Returns None.
        """
        self._connection_listeners.append(listener)

    def remove_connection_listener(self, listener: ConnectionListener) -> None:
        """Stop telling ``listener`` of connections (no effect if it was not added); returns None."""
        if listener in self._connection_listeners:
            self._connection_listeners.remove(listener)

    @property
    def smart_routing(self) -> bool:
        """Whether the client connects to every member (``smart_routing``)."""
        return self._smart

    @property
    def cluster_id(self) -> Optional[uuid.UUID]:
        """The id of the cluster connected to last; None before the first connection."""
        return self._core.cluster_id

    # -- queries used on the hot path --------------------------------------------------

    def connection_for(self, partition_id: int) -> Optional[Connection]:
        """The partition owner's connection under smart routing, else the load balancer's pick, else None."""
        if self._smart and partition_id >= 0:
            owner = self._partitions.owner_of(partition_id)
            if owner is not None:
                connection = self._by_member.get(owner)
                if connection is not None and connection.alive:
                    return connection
        active = self._active  # one member (or none): nothing to choose, and no call
        return choose(self._balancer, self._by_member, active) if len(active) > 1 else (active[0] if active else None)

    def is_connected(self) -> bool:
        """True while some connection is up."""
        return bool(self._active)

    @property
    def active_connections(self) -> List[Connection]:
        """The accepted connections, oldest first (a new list)."""
        return list(self._active)

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, timeout: Optional[float], wait: bool = True) -> None:
        """Connect to the cluster and report CONNECTED (``wait=False``: only begin; see :meth:`wait_started`); returns None.

        Raises HzTimeoutError if that does not happen within ``timeout`` seconds (None:
        no limit) or ``cluster_connect_timeout``, AuthenticationError if a member refuses
        the client.
        """
        with self._lock:
            begin = self._core.start()
        self._start_error = None
        self._connected_event.clear()
        self._spawn_connect_loop(begin.initial)
        if wait:
            self.wait_started(timeout)

    def wait_started(self, timeout: Optional[float]) -> None:
        """Wait for what :meth:`start` began (or for :meth:`shutdown`); returns None, raises as ``start`` does."""
        if not self._connected_event.wait(timeout):
            raise HzTimeoutError(
                "could not connect to any of %s within %.3fs"
                % (self._config.cluster_members, timeout if timeout is not None else 0.0)
            )
        if self._start_error is not None:
            raise self._start_error
        # Smart routing needs the member list to route by partition owner from the first call.
        self._cluster.wait_initial_member_list(self._config.connection_timeout)

    def shutdown(self) -> None:
        """Stop connecting and close every connection; returns None."""
        with self._lock:
            closes = self._core.stop()
        for close in closes:
            close.connection.close(close.reason)
        self._connected_event.set()  # wakes a wait_started() of an async start

    def unlink(self) -> None:
        """Forget the client's callbacks and the connection listeners, which point back into
        the client (it was closed: see ``HzClient.close``). Returns None."""
        self._on_connected, self._on_disconnected = lambda _changed: None, lambda: None
        self._on_gave_up = None
        self._connection_listeners.clear()
        self._start_error = None  # its traceback holds frames that hold the manager

    def abandon(self) -> None:
        """Stop connecting and reconnecting, closing nothing and taking no lock; returns None.

        For a process that inherited the client through fork(): the sockets are the parent's.
        """
        self._core.abandon()

    # -- carrying out the lifecycle's actions --------------------------------------------

    def _execute(self, actions: Sequence[Action[Connection]]) -> None:
        """Carry out the lifecycle's actions in order, outside the lock; returns None."""
        for action in actions:
            _RUNNERS[type(action)](self, action)

    def _reset_cluster_view(self) -> None:
        """Forget the members and partitions of the cluster the client left; returns None."""
        self._cluster.reset()
        self._partitions.reset()

    def _tell_listeners(self, method: str, connection: Connection) -> None:
        """Call ``method(connection)`` on every connection listener that has it, logging what
        they raise; returns None."""
        for listener in list(self._connection_listeners):
            call = getattr(listener, method, None)
            if call is None:
                continue
            try:
                call(connection)
            except Exception:
                log.exception("error in a connection listener")

    # -- the reconnect loop ----------------------------------------------------------------

    def _spawn_connect_loop(self, initial: bool) -> None:
        """Start the reconnect loop on a task unless one runs or the client stopped; returns None."""
        with self._lock:
            claimed = self._core.claim_loop()
        if claimed:
            self._handler.spawn(self._connect_to_cluster, initial)

    def _candidate_addresses(self) -> List[Address]:
        """The addresses a round tries (the configured ones, then the other known members'); a new list."""
        return self._clusters.candidates(self._cluster.members)

    def _connect_to_cluster(self, initial: bool) -> None:
        """Try every known address in rounds, as the lifecycle says, until one connection is accepted.

        An address that fails (refused, unresolvable, anything else) is skipped and the
        others are tried; nothing an address does ends this task. When a positive
        ``cluster_connect_timeout`` runs out the task gives up: ``start()`` raises, and a
        client that was reconnecting is told through ``on_gave_up``. Returns None.
        """
        handler = self._handler
        core = self._core
        done = False
        try:
            with self._lock:
                now = handler.monotonic()
                step = core.loop_began(initial, now)
            while True:
                if step is LOOP_DONE:
                    done = True  # the lifecycle ended the loop under the lock
                    return
                if isinstance(step, GiveUp):
                    self._give_up(step)
                    return
                if isinstance(step, WaitUntil):
                    handler.sleep_func(step.when - now)
                    with self._lock:
                        now = handler.monotonic()
                        step = core.next_step(now)
                    continue
                connected = False
                for address in self._candidate_addresses():
                    if not core.round_wanted():
                        break
                    outcome = self._try_address(address)
                    if outcome is _STOP:
                        return
                    if outcome is _CONNECTED:
                        connected = True
                        break
                with self._lock:
                    now = handler.monotonic()
                    step = core.round_ended(connected, now)
                step = round_over(self._clusters, connected, step, initial, core)
        finally:
            if not done:
                with self._lock:
                    core.loop_exited()

    def _try_address(self, address: Address) -> str:
        """One connection attempt; returns _CONNECTED, _FAILED or _STOP (``start()`` fails with the error).

        The lifecycle hears how the attempt ended in the same call that ends it.
        """
        with self._lock:
            if not self._core.begin_attempt(address):
                return _FAILED  # another task is connecting there
        ended = False
        try:
            try:
                connection = self._open_and_authenticate(address)
            except (AuthenticationError, TlsHandshakeError) as error:
                failure: BaseException = error
                kind = Failure.REFUSED
            except _ResolutionError as error:
                failure, kind = error, Failure.UNRESOLVED
            except (OSError, HzError) as error:
                failure, kind = error, Failure.UNREACHABLE
            except Exception as error:
                failure, kind = error, Failure.UNEXPECTED
            else:
                with self._lock:
                    ended = True
                    self._core.connect_succeeded(address)
                return _CONNECTED if connection is not None else _FAILED
            with self._lock:
                ended = True
                verdict = self._core.connect_failed(address, kind, failure)
        finally:
            if not ended:  # killed (GreenletExit, KeyboardInterrupt): the address is free again
                with self._lock:
                    self._core.end_attempt(address)
        if verdict.stop:
            self._start_error = failure
            self._connected_event.set()
        del failure  # its traceback holds this frame: no reference cycle
        return _STOP if verdict.stop else _FAILED

    def _give_up(self, step: GiveUp) -> None:
        """``cluster_connect_timeout`` ran out: fail ``start()`` or tell the client; returns None."""
        error = step.error(self._candidate_addresses())
        log.error("%s; giving up", error)
        self._start_error = error
        self._connected_event.set()
        if not step.initial and self._on_gave_up is not None:
            self._on_gave_up()

    # -- opening one connection --------------------------------------------------------

    def _connect(self, address: Address) -> Optional[Connection]:
        """Open and authenticate one connection; returns None if another attempt or connection made it redundant."""
        with self._lock:
            if not self._core.begin_attempt(address):
                return None
        try:
            return self._open_and_authenticate(address)
        finally:
            with self._lock:
                self._core.end_attempt(address)

    def _open_and_authenticate(self, address: Address) -> Optional[Connection]:
        """Open a socket to ``address`` and authenticate the client on it; returns the accepted connection or None.

        Raises _ResolutionError or OSError when the socket cannot be opened, whatever the
        authentication invocation raised (the connection is closed then), and what
        :meth:`_on_authenticated` raises.
        """
        config = self._clusters.config  # the cluster tried now (failover): its name, credentials, TLS
        handler = self._handler
        try:
            sock = handler.create_connection(
                address, config.connection_timeout, **config.tls.connect_options(address[0])
            )
        except _RESOLVER_ERRORS as error:
            raise _ResolutionError("cannot resolve %s: %s" % (address[0], error)) from error
        except OSError as error:
            raise OSError(error.errno, "connect to %s:%d failed: %s" % (address[0], address[1], error)) from None
        if not self._core.running:  # stopped, or inherited through fork(), while connecting
            sock.close()
            raise ClientNotActiveError("the client was stopped while connecting")
        connection = Connection(
            next(self._ids),
            sock,
            address,
            handler,
            config.max_frame_size,
            self.invocations.handle_message,
            self._connection_closed,
            self.invocations.refuse_forked_writes,
        )
        self._io_loop.register(connection)
        try:
            connection.write(PREAMBLE)
            invocation = authentication_invocation(config, self.client_uuid, self._smart, connection, handler)
            response = self.invocations.invoke(invocation).get(timeout=config.connection_timeout + 1.0)
        except BaseException as error:
            raise authentication_failed(connection, config, error)  # noqa: B904 (error, or a TLS error from it)
        return self._on_authenticated(connection, response)

    def _on_authenticated(self, connection: Connection, response: Any) -> Optional[Connection]:
        """Admit, prepare and accept an authenticated connection; returns it, or None if it was redundant.

        Raises AuthenticationError when the member refused the client or belongs to
        another cluster, ClientNotActiveError when the client stopped meanwhile, ConnectionError
        when the member closed the connection already.
        """
        partition_count = response["partition_count"]
        with self._lock:
            refusal = self._core.admit(connection.address, response["status"], partition_count)
        if refusal is not None:
            self._refuse(connection, refusal)
        self._partitions.set_partition_count(partition_count)
        member_uuid = response["member_uuid"]
        connection.member_uuid = member_uuid
        connection.server_version = response.get("server_hazelcast_version")
        member_address = response.get("address")
        if member_address is not None:
            connection.remote_address = (member_address.host, member_address.port)
        self._tell_listeners("connection_authenticated", connection)  # set up before it is used
        with self._lock:
            verdict = self._core.authenticated(
                connection, member_uuid, response["cluster_id"], self._handler.monotonic()
            )
        if isinstance(verdict, Refuse):
            self._refuse(connection, verdict)
        if isinstance(verdict, Close):
            connection.close(verdict.reason)
            return None
        self._execute(verdict)
        return connection

    @staticmethod
    def _refuse(connection: Connection, refusal: Refuse) -> NoReturn:
        """Close ``connection`` if the refusal says so, then raise its error."""
        if refusal.reason is not None:
            connection.close(refusal.reason)
        raise refusal.error

    # -- member connections and the cluster view ------------------------------------------

    def connect_to_members(self) -> None:
        """Start opening a connection to each member that has none; returns at once. Smart routing
        only, and only while some connection is up (with none, the reconnect loop is at work)."""
        if self._core.may_connect_members():
            self._handler.spawn(self._connect_to_members)

    def _connect_to_members(self) -> None:
        """Smart routing: open a connection to every member that has none."""
        for member in self._cluster.members:
            with self._lock:
                wanted = self._core.member_needs_connection(member.uuid)
            if not wanted:
                if not self._core.running:
                    return
                continue
            address = self._clusters.translate((member.address.host, member.address.port))
            if address is None:
                continue
            try:
                self._connect(address)
            except (OSError, HzError) as error:
                log.debug("could not connect to member %s at %s: %s", member.uuid, address_text(address), error)

    def _register_cluster_view_listener(self, connection: Connection) -> None:
        """Ask ``connection``'s member for the member list and partition table, and every change; returns None."""
        invocation = cluster_view_invocation(
            connection, self._handler, self._cluster, self._partitions, self._members_changed
        )
        self.invocations.invoke(invocation)

    def _members_changed(self) -> None:
        """The member list changed: connect to the members left without a live connection (smart routing); returns None."""
        if self._core.view_changed():
            with self._lock:  # no task at all when every member has a connection
                missing = any(self._core.member_needs_connection(m.uuid) for m in self._cluster.members)
            if missing:
                self._handler.spawn(self._connect_to_members)

    # -- losing connections --------------------------------------------------------------

    def _connection_closed(self, connection: Connection, reason: str, error: Optional[BaseException]) -> None:
        """A connection ended (its close callback, on whichever task closed it); returns None."""
        with self._lock:
            actions = self._core.closed(connection, reason, self._handler.monotonic())
        self._execute(actions)

    # -- telling the client ----------------------------------------------------------------

    def _report_state(self, may_block: bool) -> None:
        """Deliver what the lifecycle says changed since the last report (SUSPENDED, then CONNECTED); returns None.

        One caller reports at a time, and a caller arriving meanwhile leaves its news to
        that one, so the client never hears CONNECTED and SUSPENDED out of order. A caller
        that must not block (the I/O loop) hands a CONNECTED report, which may wait for the
        cluster, to a spawned task.
        """
        with self._lock:
            report = self._core.begin_report(may_block)
        if report is None:
            return
        try:
            while report is not None:
                if report.suspend:
                    self._call_quietly(self._on_disconnected)
                if report.connect:
                    self._call_quietly(self._on_connected, report.cluster_changed)
                if report.hand_over:
                    with self._lock:
                        self._core.end_reporting()
                    self._handler.spawn(self._report_state, True)
                    return
                with self._lock:
                    report = self._core.next_report(may_block)
        except BaseException:
            with self._lock:
                self._core.end_reporting()
            raise

    @staticmethod
    def _call_quietly(callback: Callable[..., None], *args: Any) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("error in the client's connection callback %r", callback)

    # -- periodic work (I/O loop) ----------------------------------------------------------

    def tick(self, now: float) -> None:
        """Heartbeats, dead-connection detection, reconnecting to missing members, held CONNECTED reports.

        Runs on the I/O loop every tick; never blocks. Returns None.
        """
        with self._lock:
            actions = self._core.tick(now, self._cluster)
        if actions:
            self._execute(actions)

    def _ping(self, connection: Connection) -> None:
        """Send a heartbeat on ``connection``, ahead of the user requests queued there; returns None."""
        request = client_codec.encode_ping_request()
        invocation = Invocation(request, self._handler.async_result(), connection=connection, urgent=True)
        invocation.ahead = True  # never queued behind user requests
        self.invocations.invoke(invocation)


#: What carries out each kind of lifecycle action, by its class (each runner takes an action of its key's class).
_RUNNERS: Dict[type, Callable[[ConnectionManager, Any], object]] = {
    FailPending: lambda manager, action: manager.invocations.connection_closed(action.connection, action.reason),
    Removed: lambda manager, action: manager._tell_listeners("connection_removed", action.connection),
    Announce: lambda manager, action: manager._tell_listeners("connection_added", action.connection),
    Close: lambda manager, action: action.connection.close(action.reason),
    # Off the I/O loop, so a full socket buffer can never stall the reader.
    Ping: lambda manager, action: manager._handler.spawn(manager._ping, action.connection),
    Report: lambda manager, action: manager._report_state(action.may_block),
    WatchCluster: lambda manager, action: manager._register_cluster_view_listener(action.connection),
    StartConnecting: lambda manager, action: manager._spawn_connect_loop(action.initial),
    ConnectMembers: lambda manager, action: manager._handler.spawn(manager._connect_to_members),
    ResendParked: lambda manager, action: manager.invocations.resend_parked(),
    Started: lambda manager, action: manager._connected_event.set(),
    ResetClusterView: lambda manager, action: manager._reset_cluster_view(),
}
