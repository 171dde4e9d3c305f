"""Invocations: a request on its way to a member and back.

:class:`InvocationService` is the driver of the sans-IO
:class:`~hzgreen.runtime.core.invocations.InvocationTable`, which makes every decision
(correlation ids, routing, parking, retries, deadlines, the errors' wording). The driver
does what the table cannot: it reads the handler's clock, picks the partition owner's
connection, writes the bytes, completes the futures, runs the retry timers, refuses to
send from a forked child, and serialises the parked set with a lock. A caller never waits
on a member that stopped answering: a periodic sweep on the I/O loop
(:meth:`InvocationService.check_deadlines`) fails each invocation at its deadline.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Protocol, Sequence, Union

from hzgreen.exceptions import ClientForkedError, ClientNotActiveError, ProtocolError
from hzgreen.protocol.frame import BACKUP_EVENT, IS_EVENT
from hzgreen.protocol.message import RESPONSE_BACKUP_ACKS_OFFSET, ClientMessage
from hzgreen.runtime.core.invocations import (
    COMPACT_SLACK,
    ErrorResponse,
    Fail,
    InvocationTable,
    Park,
    RetryAt,
    member_text,
)
from hzgreen.runtime.operations import operation_name

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.runtime.connection import Connection

__all__ = ["COMPACT_SLACK", "Invocation", "InvocationService", "member_text"]

log = logging.getLogger("hzgreen.runtime.invocation")
_getpid = os.getpid
_EVENT_FLAGS = IS_EVENT | BACKUP_EVENT


def _identity(message: ClientMessage) -> Any:
    return message


class Completion(Protocol):
    """What an invocation completes: a handler's async result, or a stand-in for one."""

    def set(self, value: Any = ...) -> Any: ...

    def set_exception(self, exception: BaseException) -> Any: ...


class Invocation:
    """One request and the async result its caller waits on.

    ``response_handler(message)`` turns the response into the caller's value; it runs on
    the I/O loop, and whatever it raises becomes the result's exception. A fixed
    ``connection`` pins the request to one connection (authentication, listeners on a
    given member); otherwise ``partition_id`` (or -1) decides where it goes, unless
    ``preferred`` names a connection that is still alive (a CP group's quickest member:
    see :mod:`hzgreen.cp.routing`); unlike ``connection``, a preference that is gone falls
    back to the normal route.

    ``object_name`` names the data structure the request is about, for error messages
    (see :meth:`describe`). Whoever sets ``deadline`` (on the handler's monotonic clock,
    before :meth:`InvocationService.invoke`; ``float("inf")`` for none) says where that
    time limit came from in ``timeout_source`` (e.g. ``"connection_timeout"``); the default
    deadline comes from ``invocation_timeout``.
    """

    __slots__ = (
        "request",
        "partition_id",
        "connection",
        "future",
        "response_handler",
        "deadline",
        "event_handler",
        "sent_on",
        "correlation_id",
        "urgent",
        "ahead",
        "done",
        "object_name",
        "timeout_source",
        "started",
        "preferred",
    )

    def __init__(
        self,
        request: ClientMessage,
        future: Any,
        partition_id: int = -1,
        connection: Any = None,
        response_handler: Callable[[ClientMessage], Any] = _identity,
        event_handler: Optional[Callable[[ClientMessage], None]] = None,
        urgent: bool = False,
        object_name: Optional[str] = None,
    ) -> None:
        self.request = request
        self.partition_id = partition_id
        self.connection = connection
        self.future = future
        self.response_handler = response_handler
        self.event_handler = event_handler
        self.deadline = 0.0
        self.sent_on: Any = None
        self.correlation_id = 0
        self.urgent = urgent  # sent even before the client is connected (authentication)
        # Heartbeats (pings, CP sessions) go ahead of the requests still queued on the connection.
        self.ahead = False
        self.done = False
        self.object_name = object_name
        self.timeout_source: Optional[str] = None
        self.started = 0.0
        self.preferred: Optional["Connection"] = None

    def describe(self) -> str:
        """The operation in words, e.g. ``"Map.get on 'users'"`` (built on demand, for errors)."""
        return operation_name(self.request.get_message_type(), self.object_name)


class Router(Protocol):
    """What the service asks the connection manager."""

    def connection_for(self, partition_id: int) -> Optional["Connection"]: ...

    def is_connected(self) -> bool: ...


class _NoRoute:
    """The router of a closed client: no connection, never connected."""

    def connection_for(self, partition_id: int) -> Optional["Connection"]:
        return None

    def is_connected(self) -> bool:
        return False


class BackupHolder(Protocol):
    """What the service asks the backup-ack collector (:mod:`hzgreen.runtime.backup_acks`)."""

    def hold(self, invocation: "Invocation", response: ClientMessage) -> bool: ...

    def shutdown(self) -> List["Invocation"]: ...


#: ``hook(invocation, message, error) -> bool``: see :attr:`InvocationService.response_error_hook`.
ResponseErrorHook = Callable[[Invocation, ClientMessage, BaseException], bool]


class InvocationService:
    """Sends invocations and completes them when responses, errors or timeouts arrive."""

    def __init__(
        self, config: "ClientConfig", handler: "Handler", connections: Router, partitions: object = None
    ) -> None:
        """``partitions`` is accepted for the callers that pass it; routing asks ``connections``."""
        self._handler = handler
        self._monotonic = handler.monotonic
        self._connections = connections
        self._table: InvocationTable[Invocation] = InvocationTable(
            config.invocation_timeout,
            config.invocation_retry_pause,
            bool(config.redo_operation),
            config.reconnect_mode == "ASYNC",
        )
        # The table's own objects, under the names tools and tests look at.
        self._pending: Dict[int, Invocation] = self._table.pending
        self._correlation_ids = self._table.correlation_ids
        self._lock = handler.lock_object()  # serialises the table's parked set
        self._pid = os.getpid()  # the process the client belongs to (see hzgreen.forks)
        #: ``hook(invocation, message, error) -> bool``: offered every error a response
        #: handler raises; True means the hook took the invocation over (the schema
        #: service fetches an unknown Compact schema and completes it later).
        self.response_error_hook: Optional[ResponseErrorHook] = None
        #: Set by :mod:`hzgreen.runtime.backup_acks` when the client collects backup acks: it
        #: holds a response announcing backup acks until they came (``hold`` returns True),
        #: and ``backup_flag`` (BACKUP_AWARE or 0) is or-ed into every request's flags.
        self.backups: Optional[BackupHolder] = None
        self.backup_flag = 0

    # -- sending ---------------------------------------------------------------------

    def invoke(self, invocation: Invocation) -> Any:
        """Send an invocation; returns its ``future``, which completes with the response or an error."""
        self._send(invocation, self._monotonic())
        return invocation.future

    def _send(self, invocation: Invocation, now: Optional[float] = None) -> None:
        """Route ``invocation`` through the table and write it, or carry out what the table
        decided instead; ``now`` is given for a new invocation (see
        :meth:`InvocationTable.send`). Returns None. Every send and resend goes through here."""
        connection = invocation.connection
        if connection is None:
            connection = invocation.preferred
            if connection is None or not connection.alive:
                connection = self._connections.connection_for(invocation.partition_id)
        # Inherited through fork(): the connections are the parent's; never write to them. A
        # deferred connection checks once per flush instead (a getpid() per request costs more
        # than the rest of the send under gevent): see refuse_forked_writes.
        if (connection is None or not connection.deferred) and _getpid() != self._pid:
            self._fail(invocation, ClientForkedError(self._pid, _getpid()))
            return
        action = self._table.send(invocation, connection, now)
        if action is not None:
            self._run(action, 0.0)  # a Park or a Fail: neither depends on the time
            return
        if self.backup_flag:
            invocation.request.frames[0].flags |= self.backup_flag
        try:
            if invocation.ahead:
                connection.write_first(invocation.request.to_bytes(), invocation)
            else:
                connection.write(invocation.request.to_bytes(), invocation)
        except OSError as error:
            now = self._handler.monotonic()
            outcome = self._table.send_failed(invocation, error, now)
            connection.close("write failed: %s" % error, error)
            self._run(outcome, now)

    def resend_parked(self) -> None:
        """Send everything that waited for a connection; called when one becomes usable. Returns None."""
        with self._lock:
            resends = self._table.unpark_all()
        for resend in resends:
            self._send(resend.invocation)

    def _retry(self, invocation: Invocation) -> None:
        """A retry timer fired: send ``invocation`` again if it still waits for it; returns None."""
        if self._table.take_retry(invocation):
            self._send(invocation)

    def _run(self, action: Union[Fail[Invocation], RetryAt[Invocation], Park[Invocation]], now: float) -> None:
        """Carry out one of the table's actions; ``now`` is the time the table decided it at. Returns None."""
        if isinstance(action, Fail):
            self._fail(action.invocation, action.error)
        elif isinstance(action, RetryAt):
            # Timer callbacks must not block (under gevent they run in the hub): spawn the send.
            self._handler.call_later(action.when - now, self._handler.spawn, self._retry, action.invocation)
        else:
            with self._lock:
                self._table.park(action.invocation)
            # The connection may have come up between the look-up and the parking.
            if self._connections.is_connected():
                self.resend_parked()

    def _run_all(self, actions: Sequence[Union[Fail[Invocation], RetryAt[Invocation]]], now: float) -> None:
        """Carry out ``actions`` in order; returns None."""
        for action in actions:
            self._run(action, now)

    # -- receiving (I/O loop) ----------------------------------------------------------

    def handle_message(self, connection: "Connection", message: ClientMessage) -> None:
        """Route one message read from ``connection``: an event to its handler, a response to
        its invocation (late answers are dropped). Returns None; a ProtocolError raised
        by a response handler propagates (see :meth:`complete`)."""
        first = message.frames[0]
        if first.flags & _EVENT_FLAGS:
            event_handler = self._table.event_handler(message.get_correlation_id())
            if event_handler is not None:
                event_handler(message)
            return
        answered = self._table.on_response(message)
        if answered is None:
            return
        if isinstance(answered, ErrorResponse):
            now = self._handler.monotonic()
            self._run(self._table.on_error_response(answered, connection, now), now)
            return
        backups = self.backups
        if backups is not None and first.content[RESPONSE_BACKUP_ACKS_OFFSET] and backups.hold(answered, message):
            return  # completed once its backups are acknowledged (runtime/backup_acks.py)
        self.complete(answered, message)

    def complete(self, invocation: Invocation, message: ClientMessage) -> None:
        """Complete ``invocation`` with what its response handler makes of ``message``; returns None.

        An error of the handler is offered to ``response_error_hook`` first; a
        ProtocolError fails the invocation and is raised again (the connection is closed).
        """
        try:
            value = invocation.response_handler(message)
        except ProtocolError:
            self._fail(invocation, ProtocolError("malformed response to %s" % invocation.describe()))
            raise
        except BaseException as error:
            hook = self.response_error_hook
            if hook is None or not hook(invocation, message, error):
                self._fail(invocation, error)
            return
        invocation.done = True
        invocation.future.set(value)

    def connection_closed(self, connection: "Connection", reason: str) -> None:
        """Fail or retry every invocation that was waiting on ``connection``; returns None."""
        now = self._handler.monotonic()
        self._run_all(self._table.connection_closed(connection, reason, getattr(connection, "unsent", ()), now), now)

    def remove_event_handler(self, correlation_id: int) -> None:
        """Stop routing the events of the registration sent under ``correlation_id``; returns None."""
        self._table.remove_event_handler(correlation_id)

    # -- deadlines ---------------------------------------------------------------------

    def check_deadlines(self, now: float) -> None:
        """Fail every outstanding invocation whose deadline is ``<= now``; returns None.

        Runs periodically on the I/O loop (one thread at a time). Costs O(1) when nothing
        is due, however many invocations wait.
        """
        with self._lock:
            failures = self._table.expire(now)
        for failure in failures:
            self._fail(failure.invocation, failure.error)

    def next_deadline(self) -> Optional[float]:
        """The earliest deadline of an outstanding invocation, or None if none has one.

        For a driver that sleeps until then; call it from the thread that runs
        :meth:`check_deadlines`. An invocation sent meanwhile may be due earlier.
        """
        return self._table.next_deadline()

    # -- completing --------------------------------------------------------------------

    def fail(self, invocation: Invocation, error: BaseException) -> None:
        """Complete ``invocation`` with ``error`` unless it is already complete; returns None."""
        self._fail(invocation, error)

    def refuse_forked_writes(self, owners: List[Any]) -> None:
        """A deferred connection found itself in a forked child with these writes queued: fail
        each invocation among ``owners`` with ClientForkedError (nothing was sent). Returns None."""
        error = ClientForkedError(self._pid, _getpid())
        for owner in owners:
            if isinstance(owner, Invocation):
                self._table.forget(owner)
                self._fail(owner, error)

    def _fail(self, invocation: Invocation, error: BaseException) -> None:
        """Complete ``invocation`` with ``error`` once: a second completion is dropped. Returns None."""
        if invocation.done:
            return
        invocation.done = True
        invocation.future.set_exception(error)

    def shutdown(self) -> None:
        """Fail everything outstanding with ClientNotActiveError; the client is going away. Returns None."""
        with self._lock:
            failures: List[Fail[Invocation]] = self._table.shutdown()
        for failure in failures:
            self._fail(failure.invocation, failure.error)
        if self.backups is not None:
            stopped = ClientNotActiveError("the client was stopped")
            for invocation in self.backups.shutdown():
                self._fail(invocation, stopped)

    def unlink(self) -> None:
        """Forget the connection manager, the backup-ack collector and the response error hook,
        which all point back into the client (it was closed: see ``HzClient.close``). Returns None."""
        self._connections = _NoRoute()
        self.backups = None
        self.response_error_hook = None

    def set_fail_fast(self, fail_fast: bool, reason: str = "reconnect_mode=ASYNC") -> None:
        """Fail requests finding no connection with ClientOfflineError naming ``reason`` (True) or let them wait; returns None."""
        self._table.fail_fast = fail_fast
        self._table.offline_reason = reason

    def restart(self) -> None:
        """Accept invocations again (the client starts); returns None."""
        self._table.restart()
