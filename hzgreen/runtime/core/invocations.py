"""The invocation table: which requests wait for an answer, and what happens to each.

:class:`InvocationTable` gives each send a fresh correlation id and remembers the
invocation under it until the answer, an error, a lost connection or the deadline settles
it. It decides everything about an invocation's fate: send it on the connection the driver
picked, or park it until there is one (or fail it at once in ``reconnect_mode="ASYNC"``);
retry it after ``invocation_retry_pause`` or fail it when a member refuses it, a write
fails or its connection closes; time it out with an error naming the limit that ran out.
It never completes a future, writes a byte or starts a timer: each method returns what the
driver (:mod:`hzgreen.runtime.invocation`) must do, as one of the small actions below or,
on the request path, a single cheap value (``None``, the invocation itself).

Deadlines live in two :class:`~hzgreen.runtime.core.deadlines.DeadlineQueue` heaps, so an
:meth:`InvocationTable.expire` with nothing due costs O(1) however many invocations wait. A
send only appends its correlation id to a deque; the next ``expire`` keeps the ids still
pending (most requests are answered by then) and queues ``(deadline, correlation id)`` for
those with a finite deadline. Such an entry holds no reference to its invocation and is
dead as soon as the id leaves the pending table (answered, failed, or moved on to a
retry). An invocation waiting for a connection or for its retry posts itself to a second,
small queue, live while it still waits there. Dead entries are dropped when they reach the
top of their heap, or when the heap is rebuilt because it holds more than twice the live
ones plus :data:`COMPACT_SLACK`.

Threads: :meth:`~InvocationTable.send`,
:meth:`~InvocationTable.on_response`, :meth:`~InvocationTable.on_error_response`,
:meth:`~InvocationTable.event_handler`, :meth:`~InvocationTable.send_failed`,
:meth:`~InvocationTable.retry_later`, :meth:`~InvocationTable.take_retry`,
:meth:`~InvocationTable.connection_closed` and :meth:`~InvocationTable.remove_event_handler`
change the table with single dict and deque operations (deadlines are *posted* to a
queue), atomic under CPython, so callers on any thread may use them without a lock (the
request path takes none). :meth:`~InvocationTable.park`,
:meth:`~InvocationTable.unpark_all`, :meth:`~InvocationTable.expire` and
:meth:`~InvocationTable.shutdown` swap or empty the parked set: the driver runs them under
one lock. ``expire`` and ``next_deadline`` own the heaps: one thread at a time calls them.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Deque, Dict, Generic, Iterable, List, Optional, Protocol, Tuple, TypeVar, Union

from hzgreen.exceptions import (
    ClientNotActiveError,
    ClientOfflineError,
    ConnectionLoss,
    HzTimeoutError,
    TargetDisconnectedError,
    is_retryable,
)
from hzgreen.protocol.codecs.error import error_to_exception
from hzgreen.protocol.message import ERROR_MESSAGE_TYPE, ClientMessage, unpack_type_and_correlation_id
from hzgreen.runtime.core.deadlines import DeadlineQueue

__all__ = [
    "COMPACT_SLACK",
    "Call",
    "ErrorResponse",
    "Fail",
    "InvocationTable",
    "Link",
    "Park",
    "Resend",
    "RetryAt",
    "disconnected_error",
    "member_text",
    "timeout_error",
]

#: A deadline heap is rebuilt once it holds more than twice the invocations it may still
#: time out, plus this many entries (the rest being dead ones waiting to be dropped).
COMPACT_SLACK = 256

_INFINITY = float("inf")

#: What an event handler is: called with each event message of its registration.
EventHandler = Callable[[ClientMessage], None]


class Link(Protocol):
    """What the table reads of a connection."""

    @property
    def address(self) -> Tuple[str, int]: ...

    @property
    def alive(self) -> bool: ...

    @property
    def close_reason(self) -> Optional[str]: ...


class Call(Protocol):
    """What the table reads and writes of an invocation (the driver's record of one request).

    The table stamps ``started``, ``deadline`` (when it is 0), ``correlation_id`` and
    ``sent_on`` (the connection of the last send), and reads ``done``, which the driver
    sets when it completes the invocation. A ``connection`` pins the request to one
    connection; otherwise the driver picks one for ``partition_id``.
    """

    deadline: float
    started: float
    correlation_id: int
    sent_on: Any
    done: bool

    @property
    def request(self) -> ClientMessage: ...

    @property
    def partition_id(self) -> int: ...

    @property
    def connection(self) -> Any: ...

    @property
    def urgent(self) -> bool: ...

    @property
    def event_handler(self) -> Optional[EventHandler]: ...

    @property
    def timeout_source(self) -> Optional[str]: ...

    def describe(self) -> str: ...


CallT = TypeVar("CallT", bound=Call)


def _waiting_in(parked: Dict[int, CallT], retrying: Dict[int, Tuple[CallT, BaseException]]) -> Callable[[CallT], bool]:
    """Returns the test "``invocation`` is parked or waits for its retry" (its waiting deadline is live)."""

    def still_waiting(invocation: CallT) -> bool:
        key = id(invocation)
        return not invocation.done and (key in parked or key in retrying)

    return still_waiting


@dataclass(frozen=True, slots=True)
class Fail(Generic[CallT]):
    """Complete ``invocation`` with ``error``, unless it is already complete."""

    invocation: CallT
    error: BaseException


@dataclass(frozen=True, slots=True)
class RetryAt(Generic[CallT]):
    """At ``when`` (on the clock the table is fed), send ``invocation`` again if
    :meth:`InvocationTable.take_retry` still says so."""

    invocation: CallT
    when: float


@dataclass(frozen=True, slots=True)
class Park(Generic[CallT]):
    """No connection for ``invocation``: pass it to :meth:`InvocationTable.park` (under the
    parked-set lock), then resend the parked ones if a connection came up meanwhile."""

    invocation: CallT


@dataclass(frozen=True, slots=True)
class Resend(Generic[CallT]):
    """Send ``invocation`` again: pick its connection and call :meth:`InvocationTable.send`."""

    invocation: CallT


@dataclass(frozen=True, slots=True)
class ErrorResponse(Generic[CallT]):
    """A member answered ``invocation`` with the error ``message``: hand this to
    :meth:`InvocationTable.on_error_response` with the connection and the time now."""

    invocation: CallT
    message: ClientMessage


#: What a lost request turns into: a failure, or a retry later.
Outcome = Union[Fail[CallT], RetryAt[CallT]]


def member_text(connection: Link) -> str:
    """``"host:port"`` of the member ``connection`` goes to."""
    address = connection.address
    return "%s:%d" % (address[0], address[1])


def _seconds_text(seconds: float) -> str:
    text = ("%.3f" % seconds).rstrip("0")
    return text + "0" if text.endswith(".") else text


def timeout_error(
    invocation: Call, connection: Optional[Link], waiting_for: str = "a connection to the cluster"
) -> HzTimeoutError:
    """The error of an invocation that reached its deadline; returns it, never raises.

    ``"Map.get on 'users' timed out after 3.0 s (invocation_timeout) waiting for 127.0.0.1:5701"``:
    the limit named is the one that set the deadline (``invocation.timeout_source``, else
    ``invocation_timeout``); ``waiting_for`` is named when there is no ``connection``. The
    error's ``operation`` and ``member`` (None without a connection) say the same.
    """
    operation = invocation.describe()
    member = member_text(connection) if connection is not None else None
    error = HzTimeoutError(
        "%s timed out after %s s (%s) waiting for %s"
        % (
            operation,
            _seconds_text(invocation.deadline - invocation.started),
            invocation.timeout_source or "invocation_timeout",
            member if member is not None else waiting_for,
        )
    )
    error.operation = operation
    error.member = member
    return error


def disconnected_error(invocation: Call, connection: Link, what: str) -> TargetDisconnectedError:
    """``"<operation>: <what>"`` as a TargetDisconnectedError naming the member; returns it."""
    operation = invocation.describe()
    error = TargetDisconnectedError("%s: %s" % (operation, what))
    error.operation = operation
    error.member = member_text(connection)
    return error


class InvocationTable(Generic[CallT]):
    """Every outstanding invocation and the decisions about it (see the module docstring).

    ``timeout`` (``invocation_timeout``) is the deadline of an invocation that has none;
    ``retry_pause`` (``invocation_retry_pause``) the wait before a retry; ``redo``
    (``redo_operation``) retries any request lost with its connection, not only the
    retryable ones; ``fail_fast`` (``reconnect_mode="ASYNC"``) fails a request that finds
    no connection instead of parking it. Nothing can be sent before :meth:`restart`.
    """

    def __init__(self, timeout: float, retry_pause: float, redo: bool = False, fail_fast: bool = False) -> None:
        self.timeout = timeout
        self.retry_pause = retry_pause
        self.redo = redo
        self.fail_fast = fail_fast
        self.offline_reason = "reconnect_mode=ASYNC"  # why requests fail fast, for the error
        self.correlation_ids = itertools.count(1)
        #: correlation id -> invocation sent and not answered yet
        self.pending: Dict[int, CallT] = {}
        #: correlation id -> (event handler, connection the registration lives on)
        self.event_handlers: Dict[int, Tuple[EventHandler, Any]] = {}
        #: id(invocation) -> invocation waiting for a connection
        self.parked: Dict[int, CallT] = {}
        #: id(invocation) -> (invocation, the error that made it wait) until its retry is sent
        self.retrying: Dict[int, Tuple[CallT, BaseException]] = {}
        #: Correlation ids of sent invocations, live while pending.
        self.deadlines: DeadlineQueue[int] = DeadlineQueue(self.pending.__contains__)
        #: Invocations parked or waiting for a retry, live while they wait there. Its test
        #: reads the two dicts (only ever changed in place) without holding the table: a bound
        #: method would put the table and the queue in a reference cycle.
        self.waiting_deadlines: DeadlineQueue[CallT] = DeadlineQueue(_waiting_in(self.parked, self.retrying))
        # Correlation ids sent since the last expire: all a send costs here is an append.
        self._sent: Deque[int] = deque()
        self.active = False  # until restart(): nothing can be sent, so nothing may wait
        self.inactive_reason = "the client is not started: call start() first"

    # -- sending ------------------------------------------------------------------------

    def send(
        self, invocation: CallT, connection: Optional[Link], now: Optional[float] = None
    ) -> Union[Fail[CallT], Park[CallT], None]:
        """Route ``invocation`` to ``connection``: the one it is pinned to, or the driver's pick.

        ``now`` is given for a new invocation (its first send; resends pass None): it is
        refused with :class:`Fail` while the client is not active, else stamped with
        ``started`` and, if it has none, its deadline.

        Returns None when it is registered under a fresh correlation id (stamped on the
        invocation and its request, with the partition id): the driver writes the request
        to ``connection``, and calls :meth:`send_failed` if that write fails. Returns
        :class:`Park` when there is no connection, :class:`Fail` when there is none and
        the client fails fast, or when the pinned connection is closed.
        """
        if now is not None:
            if not self.active:
                return Fail(invocation, ClientNotActiveError(self.inactive_reason))
            invocation.started = now
            if not invocation.deadline:
                invocation.deadline = now + self.timeout
        if connection is None:
            if self.fail_fast and not invocation.urgent:
                return Fail(invocation, ClientOfflineError("the client is offline (%s)" % self.offline_reason))
            return Park(invocation)
        if invocation.connection is not None and not connection.alive:
            return Fail(
                invocation,
                disconnected_error(
                    invocation,
                    connection,
                    "connection to %s closed: %s" % (member_text(connection), connection.close_reason),
                ),
            )
        correlation_id = next(self.correlation_ids)
        invocation.correlation_id = correlation_id
        invocation.request.set_routing(correlation_id, invocation.partition_id)
        invocation.sent_on = connection
        self.pending[correlation_id] = invocation
        self._sent.append(correlation_id)
        event_handler = invocation.event_handler
        if event_handler is not None:
            self.event_handlers[correlation_id] = (event_handler, connection)
        return None

    def forget(self, invocation: CallT) -> None:
        """Drop a sent ``invocation`` from the tables (its bytes were never sent); returns None."""
        correlation_id = invocation.correlation_id
        if self.pending.get(correlation_id) is invocation:
            del self.pending[correlation_id]
            self.event_handlers.pop(correlation_id, None)

    def send_failed(self, invocation: CallT, error: BaseException, now: float) -> Outcome[CallT]:
        """The write of a sent ``invocation`` raised ``error`` at ``now``: forget the send.

        Returns :class:`Fail` for a pinned invocation (its connection is gone), else the
        outcome of :meth:`retry_later`: nothing reached the member, so any request may go again.
        """
        correlation_id = invocation.correlation_id
        self.pending.pop(correlation_id, None)
        if invocation.event_handler is not None:
            self.event_handlers.pop(correlation_id, None)
        pinned = invocation.connection
        if pinned is not None:
            return Fail(
                invocation,
                disconnected_error(invocation, pinned, "could not send to %s: %s" % (member_text(pinned), error)),
            )
        return self.retry_later(
            invocation, ConnectionLoss("%s could not be sent: %s" % (invocation.describe(), error)), now
        )

    def park(self, invocation: CallT) -> None:
        """Keep ``invocation`` until :meth:`unpark_all` or its deadline; returns None.

        Call it for a :class:`Park` action, under the lock that serialises the parked set.
        """
        self.parked[id(invocation)] = invocation
        if invocation.deadline < _INFINITY:
            self.waiting_deadlines.post(invocation.deadline, invocation)

    def unpark_all(self) -> List[Resend[CallT]]:
        """A connection is usable: returns a :class:`Resend` for each parked invocation not yet
        complete, in the order they were parked, and empties the parked set."""
        parked = list(self.parked.values())
        self.parked.clear()
        return [Resend(invocation) for invocation in parked if not invocation.done]

    def retry_later(self, invocation: CallT, error: BaseException, now: float) -> Outcome[CallT]:
        """``invocation`` failed with ``error`` at ``now`` in a way that is safe to retry.

        Returns :class:`RetryAt` ``now + retry_pause`` while that is before its deadline and
        the client is active; else :class:`Fail` with ``error`` (ClientNotActiveError once
        the client stopped).
        """
        if not self.active:
            return Fail(invocation, ClientNotActiveError(self.inactive_reason))
        if now + self.retry_pause >= invocation.deadline:
            return Fail(invocation, error)
        self.retrying[id(invocation)] = (invocation, error)
        if invocation.deadline < _INFINITY:
            self.waiting_deadlines.post(invocation.deadline, invocation)
        return RetryAt(invocation, now + self.retry_pause)

    def take_retry(self, invocation: CallT) -> bool:
        """A :class:`RetryAt` is due: returns True when ``invocation`` still waits for it (send
        it again), False when it timed out, completed or the client stopped meanwhile."""
        return self.retrying.pop(id(invocation), None) is not None and not invocation.done

    # -- receiving ----------------------------------------------------------------------

    def event_handler(self, correlation_id: int) -> Optional[EventHandler]:
        """The handler of the events tagged ``correlation_id``; None when nobody listens."""
        entry = self.event_handlers.get(correlation_id)
        return None if entry is None else entry[0]

    def remove_event_handler(self, correlation_id: int) -> None:
        """Stop routing the events tagged ``correlation_id``; returns None."""
        self.event_handlers.pop(correlation_id, None)

    def on_response(self, message: ClientMessage) -> Union[CallT, ErrorResponse[CallT], None]:
        """Take the invocation a response (not an event) answers out of the table.

        Returns the invocation, for the driver to complete with ``message``; an
        :class:`ErrorResponse` when the member answered with an error; None when nothing
        waits for it: a late answer to an invocation already timed out, retried or
        complete, so each invocation is answered once.
        """
        message_type, correlation_id = unpack_type_and_correlation_id(message.frames[0].content)
        invocation = self.pending.pop(correlation_id, None)
        if invocation is None:
            return None
        if message_type == ERROR_MESSAGE_TYPE:
            if invocation.event_handler is not None:
                self.event_handlers.pop(correlation_id, None)
            return None if invocation.done else ErrorResponse(invocation, message)
        return None if invocation.done else invocation

    def on_error_response(self, response: ErrorResponse[CallT], connection: Link, now: float) -> Outcome[CallT]:
        """Decide about an error ``response`` read from ``connection`` at ``now``.

        Returns :meth:`retry_later`'s outcome for a retryable server error of an invocation
        not pinned to a connection; else :class:`Fail` with the member's error, named after
        the operation and the member.
        """
        invocation = response.invocation
        error = error_to_exception(response.message)
        error.add_context(invocation.describe(), member_text(connection))
        if is_retryable(error) and invocation.connection is None:
            return self.retry_later(invocation, error, now)
        return Fail(invocation, error)

    def connection_closed(
        self, connection: Link, reason: str, unsent: Iterable[object], now: float
    ) -> List[Outcome[CallT]]:
        """``connection`` closed at ``now`` for ``reason``: settle everything sent on it.

        ``unsent`` are the invocations whose bytes the connection never fully wrote. Each
        invocation that waited on the connection is retried (see :meth:`retry_later`) when
        it is not pinned and is safe to send again (``redo``, a retryable request, or
        unsent); otherwise it fails with a TargetDisconnectedError. Returns those outcomes
        in the order the invocations were sent, and drops the event handlers registered
        on the connection.
        """
        pending = self.pending
        event_handlers = self.event_handlers
        lost = [invocation for invocation in list(pending.values()) if invocation.sent_on is connection]
        unsent_ids = {id(invocation) for invocation in unsent}
        outcomes: List[Outcome[CallT]] = []
        for invocation in lost:
            pending.pop(invocation.correlation_id, None)
            event_handlers.pop(invocation.correlation_id, None)
            if invocation.done:
                continue
            error = disconnected_error(
                invocation,
                connection,
                "connection to %s lost before the response: %s" % (member_text(connection), reason),
            )
            if invocation.connection is None and (
                self.redo or invocation.request.retryable or id(invocation) in unsent_ids
            ):
                outcomes.append(self.retry_later(invocation, error, now))
            else:
                outcomes.append(Fail(invocation, error))
        for correlation_id in [cid for cid, entry in list(event_handlers.items()) if entry[1] is connection]:
            event_handlers.pop(correlation_id, None)
        return outcomes

    # -- deadlines ----------------------------------------------------------------------

    def expire(self, now: float) -> List[Fail[CallT]]:
        """Returns a :class:`Fail` with an HzTimeoutError for every outstanding invocation
        whose deadline is ``<= now``, earliest first, and forgets them.

        Looks only at the invocations that are due and at those sent since the last call.
        Each invocation times out once, wherever it waits: for its response (the error
        names the member), for a connection, or for a retry (the error names the last
        failure, also its ``__cause__``).
        """
        pending = self.pending
        event_handlers = self.event_handlers
        self._admit_sent()
        failures: List[Fail[CallT]] = []
        for correlation_id in self.deadlines.expired(now):
            invocation = pending.pop(correlation_id, None)
            if invocation is None:
                continue
            if invocation.event_handler is not None:
                event_handlers.pop(correlation_id, None)
            if not invocation.done:
                failures.append(Fail(invocation, timeout_error(invocation, invocation.sent_on)))
        for invocation in self.waiting_deadlines.expired(now):
            failure = self._expire_waiting(invocation)
            if failure is not None:
                failures.append(failure)
        if self.deadlines.held > 2 * len(pending) + COMPACT_SLACK:
            self.deadlines.compact()
        if self.waiting_deadlines.held > 2 * (len(self.parked) + len(self.retrying)) + COMPACT_SLACK:
            self.waiting_deadlines.compact()
        return failures

    def next_deadline(self) -> Optional[float]:
        """The earliest deadline of an outstanding invocation, or None if none has one.

        For a driver that sleeps until then. An invocation sent meanwhile may be due earlier.
        """
        self._admit_sent()
        deadlines = [
            deadline
            for deadline in (self.deadlines.next_deadline(), self.waiting_deadlines.next_deadline())
            if deadline is not None
        ]
        return min(deadlines) if deadlines else None

    def _admit_sent(self) -> None:
        """Queue the deadlines of the invocations sent since the last call and still pending
        (most are answered by now); no Python code runs per invocation."""
        sent = self._sent
        count = len(sent)
        if not count:
            return
        pending = self.pending
        ids = list(itertools.starmap(sent.popleft, itertools.repeat((), count)))
        live = list(itertools.compress(ids, map(pending.__contains__, ids)))
        if live:
            # An id answered since the line above reads as an infinite deadline: skipped.
            deadlines = list(
                map(getattr, map(pending.get, live), itertools.repeat("deadline"), itertools.repeat(_INFINITY))
            )
            self.deadlines.add_all(deadlines, live)

    def _expire_waiting(self, invocation: CallT) -> Optional[Fail[CallT]]:
        """The Fail of ``invocation``, due while parked or waiting for its retry; None when it
        was sent again meanwhile (its correlation id then has its own entry)."""
        key = id(invocation)
        parked = self.parked.pop(key, None)
        retry = self.retrying.pop(key, None)
        if retry is not None:
            error = timeout_error(invocation, None, "a retry (last error: %s)" % retry[1])
            error.__cause__ = retry[1]
            return Fail(invocation, error)
        if parked is not None:
            return Fail(invocation, timeout_error(invocation, None))
        return None

    # -- lifecycle ----------------------------------------------------------------------

    def shutdown(self) -> List[Fail[CallT]]:
        """The client stops: returns a :class:`Fail` with one ClientNotActiveError for every
        outstanding invocation not yet complete, forgets them all (event handlers included),
        and refuses new invocations until :meth:`restart`."""
        self.active = False
        self.inactive_reason = "the client was stopped"
        error = ClientNotActiveError(self.inactive_reason)
        outstanding = list(self.pending.values())
        self.pending.clear()
        self.event_handlers.clear()
        outstanding.extend(self.parked.values())
        self.parked.clear()
        outstanding.extend(invocation for invocation, _ in list(self.retrying.values()))
        self.retrying.clear()
        return [Fail(invocation, error) for invocation in outstanding if not invocation.done]

    def restart(self) -> None:
        """Accept invocations again (the client starts); returns None."""
        self.active = True
