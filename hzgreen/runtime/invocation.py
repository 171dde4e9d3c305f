"""Invocations: a request on its way to a member and back.

The service gives each send a fresh correlation id, picks the connection (the partition
owner's under smart routing), retries what is safe to retry, and fails every invocation
that outlives its deadline from a periodic sweep on the I/O loop, so a caller never waits
on a member that stopped answering.

Deadlines live in two :class:`~hzgreen.runtime.deadlines.DeadlineQueue` heaps owned by
the sweep, so a sweep with nothing due costs O(1) however many invocations wait. A send
only appends its correlation id to a deque; the next sweep keeps the ids still pending
(most requests are answered within a sweep interval) and queues ``(deadline, correlation
id)`` for those with a finite deadline. An entry holds no reference to its invocation and
is dead as soon as the id leaves the pending table (answered, failed, or moved on to a
retry). An invocation waiting for a connection or for its retry posts itself to a second,
small queue, live while it still waits there. Dead entries are dropped when they reach the
top of their heap, or when the heap is rebuilt because it holds more than twice the live
ones.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections import deque
from typing import Any, Callable, Deque, Dict, Optional, Tuple

from hzgreen.exceptions import (
    ClientForkedError,
    ClientNotActiveError,
    ClientOfflineError,
    ConnectionLoss,
    HzTimeoutError,
    ProtocolError,
    TargetDisconnectedError,
    is_retryable,
)
from hzgreen.protocol.codecs.error import error_to_exception
from hzgreen.runtime.deadlines import DeadlineQueue
from hzgreen.runtime.operations import operation_name

log = logging.getLogger("hzgreen.runtime.invocation")
_getpid = os.getpid

ERROR_MESSAGE_TYPE = 0
_INFINITY = float("inf")
#: A deadline heap is rebuilt once it holds more than twice the invocations it may still
#: time out, plus this many entries (the rest being dead ones waiting to be dropped).
COMPACT_SLACK = 256


def _identity(message: Any) -> Any:
    return message


def member_text(connection: Any) -> str:
    """``"host:port"`` of the member a connection goes to."""
    address = connection.address
    return "%s:%d" % (address[0], address[1])


def _seconds_text(seconds: float) -> str:
    text = ("%.3f" % seconds).rstrip("0")
    return text + "0" if text.endswith(".") else text


class Invocation:
    """One request and the async result its caller waits on.

    ``response_handler(message)`` turns the response into the caller's value; it runs on
    the I/O loop, and whatever it raises becomes the result's exception. A fixed
    ``connection`` pins the request to one connection (authentication, listeners on a
    given member); otherwise ``partition_id`` (or -1) decides where it goes.

    ``object_name`` names the data structure the request is about, for error messages
    (see :meth:`describe`). Whoever sets ``deadline`` (on the handler's monotonic clock,
    before :meth:`InvocationService.invoke`; ``float("inf")`` for none) says where that
    time limit came from in ``timeout_source`` (e.g. ``"connection_timeout"``); the default
    deadline comes from ``invocation_timeout``.
    """

    __slots__ = ("request", "partition_id", "connection", "future", "response_handler",
                 "deadline", "event_handler", "sent_on", "correlation_id", "urgent", "ahead", "done",
                 "object_name", "timeout_source", "started")

    def __init__(self, request: Any, future: Any, partition_id: int = -1, connection: Any = None,
                 response_handler: Callable[[Any], Any] = _identity,
                 event_handler: Optional[Callable[[Any], None]] = None, urgent: bool = False,
                 object_name: Optional[str] = None) -> None:
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

    def describe(self) -> str:
        """The operation in words, e.g. ``"Map.get on 'users'"`` (built on demand, for errors)."""
        return operation_name(self.request.get_message_type(), self.object_name)


class InvocationService:
    """Sends invocations and completes them when responses, errors or timeouts arrive."""

    def __init__(self, config: Any, handler: Any, connections: Any, partitions: Any) -> None:
        self._config = config
        self._handler = handler
        self._connections = connections  # ConnectionManager: connection_for(), is_connected()
        self._partitions = partitions
        self._timeout = config.invocation_timeout
        self._retry_pause = config.invocation_retry_pause
        self._redo = config.redo_operation
        self._fail_fast = config.reconnect_mode == "ASYNC"
        self._correlation_ids = itertools.count(1)
        self._pending: Dict[int, Invocation] = {}
        # correlation id -> (event handler, connection the registration lives on)
        self._event_handlers: Dict[int, Any] = {}
        # id(invocation) -> invocation waiting for a connection (under _lock)
        self._parked: Dict[int, Invocation] = {}
        # id(invocation) -> (invocation, the error that made it wait) until its retry is sent
        self._retrying: Dict[int, Tuple[Invocation, BaseException]] = {}
        # Owned by the thread running check_deadlines; any thread posts to them. Correlation
        # ids of sent invocations (live while pending), and invocations parked or retrying.
        self._deadlines: DeadlineQueue[int] = DeadlineQueue(self._pending.__contains__)
        # Correlation ids sent since the last sweep: all a send costs here is an append.
        self._sent: Deque[int] = deque()
        self._waiting_deadlines: DeadlineQueue[Invocation] = DeadlineQueue(self._still_waiting)
        self._lock = handler.lock_object()
        self._active = False  # until start(): nothing can be sent, so nothing may wait
        self._inactive_reason = "the client is not started: call start() first"
        self._pid = os.getpid()  # the process the client belongs to (see hzgreen.forks)
        #: ``hook(invocation, message, error) -> bool``: offered every error a response
        #: handler raises; True means the hook took the invocation over (the schema
        #: service fetches an unknown Compact schema and completes it later).
        self.response_error_hook: Optional[Callable[[Invocation, Any, BaseException], bool]] = None

    # -- sending ---------------------------------------------------------------------

    def invoke(self, invocation: Invocation) -> Any:
        """Send an invocation; its ``future`` completes with the response or an error."""
        if not self._active:
            invocation.future.set_exception(ClientNotActiveError(self._inactive_reason))
            return invocation.future
        now = invocation.started = self._handler.monotonic()
        if not invocation.deadline:
            invocation.deadline = now + self._timeout
        self._send(invocation)
        return invocation.future

    def _send(self, invocation: Invocation) -> None:
        if _getpid() != self._pid:
            # Inherited through fork(): the connections are the parent's; never write to them.
            self._fail(invocation, ClientForkedError(self._pid, _getpid()))
            return
        connection = invocation.connection
        if connection is None:
            connection = self._connections.connection_for(invocation.partition_id)
            if connection is None:
                self._park(invocation)
                return
        elif not connection.alive:
            self._fail(invocation, self._disconnected_error(
                invocation, connection, "connection to %s closed: %s"
                % (member_text(connection), connection.close_reason)))
            return
        request = invocation.request
        correlation_id = next(self._correlation_ids)
        invocation.correlation_id = correlation_id
        request.set_correlation_id(correlation_id)
        request.set_partition_id(invocation.partition_id)
        invocation.sent_on = connection
        self._pending[correlation_id] = invocation
        self._sent.append(correlation_id)
        if invocation.event_handler is not None:
            self._event_handlers[correlation_id] = (invocation.event_handler, connection)
        try:
            if invocation.ahead:
                connection.write_first(request.to_bytes(), invocation)
            else:
                connection.write(request.to_bytes(), invocation)
        except OSError as error:
            self._pending.pop(correlation_id, None)
            connection.close("write failed: %s" % error, error)
            self._on_send_failed(invocation, error)

    def _on_send_failed(self, invocation: Invocation, error: BaseException) -> None:
        if invocation.event_handler is not None:
            self._event_handlers.pop(invocation.correlation_id, None)
        if invocation.connection is not None:
            self._fail(invocation, self._disconnected_error(
                invocation, invocation.connection, "could not send to %s: %s"
                % (member_text(invocation.connection), error)))
        else:
            self._retry_later(invocation, ConnectionLoss("%s could not be sent: %s"
                                                         % (invocation.describe(), error)))

    def _park(self, invocation: Invocation) -> None:
        """No connection right now: wait for one (or fail fast in ASYNC reconnect mode)."""
        if self._fail_fast and not invocation.urgent:
            self._fail(invocation, ClientOfflineError("the client is offline (reconnect_mode=ASYNC)"))
            return
        with self._lock:
            self._parked[id(invocation)] = invocation
        if invocation.deadline < _INFINITY:
            self._waiting_deadlines.post(invocation.deadline, invocation)
        # The connection may have come up between the look-up and the append.
        if self._connections.is_connected():
            self.resend_parked()

    def resend_parked(self) -> None:
        """Send everything that waited for a connection; called when one becomes usable."""
        with self._lock:
            parked, self._parked = self._parked, {}
        for invocation in parked.values():
            if not invocation.done:
                self._send(invocation)

    def _retry_later(self, invocation: Invocation, error: BaseException) -> None:
        now = self._handler.monotonic()
        if now + self._retry_pause >= invocation.deadline or not self._active:
            self._fail(invocation, error if self._active else ClientNotActiveError(self._inactive_reason))
            return
        key = id(invocation)
        self._retrying[key] = (invocation, error)
        if invocation.deadline < _INFINITY:
            self._waiting_deadlines.post(invocation.deadline, invocation)

        def again() -> None:
            if self._retrying.pop(key, None) is not None and not invocation.done:
                self._send(invocation)

        # Timer callbacks must not block (under gevent they run in the hub): spawn the send.
        self._handler.call_later(self._retry_pause, self._handler.spawn, again)

    # -- receiving (I/O loop) ----------------------------------------------------------

    def handle_message(self, connection: Any, message: Any) -> None:
        """Route one message read from ``connection``."""
        correlation_id = message.get_correlation_id()
        if message.is_event() or message.is_backup_event():
            entry = self._event_handlers.get(correlation_id)
            if entry is not None:
                entry[0](message)
            return
        invocation = self._pending.pop(correlation_id, None)
        if invocation is None:
            return  # a late answer to something already timed out or retried
        if message.get_message_type() == ERROR_MESSAGE_TYPE:
            self._on_error_response(invocation, message, connection)
            return
        if invocation.done:
            return
        self.complete(invocation, message)

    def complete(self, invocation: Invocation, message: Any) -> None:
        """Complete ``invocation`` with what its response handler makes of ``message``.

        An error of the handler is offered to ``response_error_hook`` first; a
        ProtocolError fails the invocation and propagates (the connection is closed).
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

    def _on_error_response(self, invocation: Invocation, message: Any, connection: Any) -> None:
        if invocation.event_handler is not None:
            self._event_handlers.pop(invocation.correlation_id, None)
        error = error_to_exception(message)
        error.add_context(invocation.describe(), member_text(connection))
        if is_retryable(error) and invocation.connection is None:
            self._retry_later(invocation, error)
        else:
            self._fail(invocation, error)

    def connection_closed(self, connection: Any, reason: str) -> None:
        """Fail or retry every invocation that was waiting on ``connection``."""
        lost = [inv for inv in list(self._pending.values()) if inv.sent_on is connection]
        unsent = {id(inv) for inv in getattr(connection, "unsent", ())}
        for invocation in lost:
            self._pending.pop(invocation.correlation_id, None)
            self._event_handlers.pop(invocation.correlation_id, None)
            if invocation.done:
                continue
            error = self._disconnected_error(invocation, connection, "connection to %s lost before the response: %s"
                                             % (member_text(connection), reason))
            # A request whose write failed is as safe to send again as one that never left.
            if invocation.connection is None and (self._redo or invocation.request.retryable
                                                  or id(invocation) in unsent):
                self._retry_later(invocation, error)
            else:
                self._fail(invocation, error)
        # Listener registrations on that connection are gone with it.
        for correlation_id in [cid for cid, entry in self._event_handlers.items() if entry[1] is connection]:
            self._event_handlers.pop(correlation_id, None)

    def remove_event_handler(self, correlation_id: int) -> None:
        self._event_handlers.pop(correlation_id, None)

    # -- deadlines ---------------------------------------------------------------------

    def check_deadlines(self, now: float) -> None:
        """Fail every outstanding invocation whose deadline is ``<= now``; returns None.

        Runs periodically on the I/O loop (one thread at a time). Looks only at the
        invocations that are due and at the ones sent since the last call. Each
        invocation times out once, wherever it waits: for its response, for a
        connection, or for a retry.
        """
        pending = self._pending
        event_handlers = self._event_handlers
        self._admit_sent()
        for correlation_id in self._deadlines.expired(now):
            invocation = pending.pop(correlation_id, None)
            if invocation is None:
                continue
            if invocation.event_handler is not None:
                event_handlers.pop(correlation_id, None)
            self._fail(invocation, self._timeout_error(invocation, invocation.sent_on))
        for invocation in self._waiting_deadlines.expired(now):
            self._expire_waiting(invocation)
        if self._deadlines.held > 2 * len(pending) + COMPACT_SLACK:
            self._deadlines.compact()
        if self._waiting_deadlines.held > 2 * (len(self._parked) + len(self._retrying)) + COMPACT_SLACK:
            self._waiting_deadlines.compact()

    def next_deadline(self) -> Optional[float]:
        """The earliest deadline of an outstanding invocation, or None if none has one.

        For a driver that sleeps until then; call it from the thread that runs
        :meth:`check_deadlines`. An invocation sent meanwhile may be due earlier.
        """
        self._admit_sent()
        deadlines = [deadline for deadline in (self._deadlines.next_deadline(),
                                               self._waiting_deadlines.next_deadline())
                     if deadline is not None]
        return min(deadlines) if deadlines else None

    def _admit_sent(self) -> None:
        """Queue the deadlines of the invocations sent since the last sweep and still pending
        (most are answered by now: they are filtered out without a Python-level loop)."""
        sent = self._sent
        count = len(sent)
        if not count:
            return
        popleft = sent.popleft
        pending = self._pending
        ids = [popleft() for _ in itertools.repeat(None, count)]
        add = self._deadlines.add
        for correlation_id in itertools.compress(ids, map(pending.__contains__, ids)):
            invocation = pending.get(correlation_id)
            if invocation is not None and invocation.deadline < _INFINITY:
                add(invocation.deadline, correlation_id)

    def _still_waiting(self, invocation: Invocation) -> bool:
        key = id(invocation)
        return not invocation.done and (key in self._parked or key in self._retrying)

    def _expire_waiting(self, invocation: Invocation) -> None:
        """Fail ``invocation``, due while parked or waiting for its retry, with an HzTimeoutError.

        One already sent again is left alone: its correlation id has its own entry.
        """
        key = id(invocation)
        with self._lock:
            parked = self._parked.pop(key, None)
        retry = self._retrying.pop(key, None)
        if retry is not None:
            error = self._timeout_error(invocation, None, "a retry (last error: %s)" % retry[1])
            error.__cause__ = retry[1]
            self._fail(invocation, error)
        elif parked is not None:
            self._fail(invocation, self._timeout_error(invocation, None))

    def _timeout_error(self, invocation: Invocation, connection: Any,
                       waiting_for: str = "a connection to the cluster") -> HzTimeoutError:
        """``"Map.get on 'users' timed out after 3.0 s (invocation_timeout) waiting for 127.0.0.1:5701"``.

        The limit named is the one that set the deadline (``invocation.timeout_source``);
        ``waiting_for`` is used when there is no ``connection`` to name.
        """
        operation = invocation.describe()
        member = member_text(connection) if connection is not None else None
        error = HzTimeoutError("%s timed out after %s s (%s) waiting for %s" % (
            operation, _seconds_text(invocation.deadline - invocation.started),
            invocation.timeout_source or "invocation_timeout",
            member if member is not None else waiting_for))
        error.operation = operation
        error.member = member
        return error

    @staticmethod
    def _disconnected_error(invocation: Invocation, connection: Any, what: str) -> TargetDisconnectedError:
        operation = invocation.describe()
        error = TargetDisconnectedError("%s: %s" % (operation, what))
        error.operation = operation
        error.member = member_text(connection)
        return error

    def fail(self, invocation: Invocation, error: BaseException) -> None:
        """Complete ``invocation`` with ``error`` unless it is already complete."""
        self._fail(invocation, error)

    def _fail(self, invocation: Invocation, error: BaseException) -> None:
        if invocation.done:
            return
        invocation.done = True
        invocation.future.set_exception(error)

    def shutdown(self) -> None:
        """Fail everything outstanding; the client is going away."""
        self._active = False
        self._inactive_reason = "the client was stopped"
        error = ClientNotActiveError(self._inactive_reason)
        for invocation in list(self._pending.values()):
            self._fail(invocation, error)
        self._pending.clear()
        self._event_handlers.clear()
        with self._lock:
            parked, self._parked = self._parked, {}
        for invocation in parked.values():
            self._fail(invocation, error)
        for invocation, _ in list(self._retrying.values()):
            self._fail(invocation, error)
        self._retrying.clear()

    def restart(self) -> None:
        self._active = True
