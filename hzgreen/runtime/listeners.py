"""User listener registrations that follow the client's connections (NOTES.md §12.1).

A registration is added on every live connection: with ``localOnly = true`` under smart
routing (each member then reports only the events it owns, so nothing arrives twice),
once with ``localOnly = false`` under unisocket routing (the only connection). It is
repeated on each connection that authenticates later, forgotten per connection when one
dies, and removed from each connection with the registration id *that connection*
returned. Users only ever see the client-side id this service hands out.

Adding a listener completes only once the registration is active on every member of the
current member list (smart routing: the missing member connections are opened and
waited for; unisocket: the one member acknowledged it, which it does once every member
has it). A connection that authenticates later gets every registration before the
connection manager lets requests use it (:meth:`ListenerService.connection_authenticated`).

Every decision is made by the sans-IO
:class:`~hzgreen.runtime.core.registrations.RegistrationTable`; this module is its driver:
it feeds the table the events (under its lock), sends the requests the table asks for,
waits, sleeps and spawns through the handler, and settles the add calls.

Event messages reach ``event_handler(message)`` on the I/O loop: it must decode and hand
the work to ``handler.dispatch_callback`` (user code never runs on the loop).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence

from hzgreen.exceptions import ClientNotActiveError, HzError
from hzgreen.runtime.core.registrations import (
    REREGISTER_ATTEMPTS,
    Action,
    Announce,
    AwaitConfirmations,
    CompleteAdd,
    ConnectMembers,
    Entry,
    FailAdd,
    Registration,
    RegistrationTable,
    RetryAdd,
    SendAdd,
    SendRemove,
)
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Event
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext

__all__ = ["REREGISTER_ATTEMPTS", "RECHECK_INTERVAL", "ListenerCodec", "ListenerService"]

log = logging.getLogger("hzgreen.runtime.listeners")

#: While a registration waits for member connections it looks again at the member list
#: this often (seconds) even when no connection came or went.
RECHECK_INTERVAL = 0.25


class ListenerCodec:
    """How to add and remove one kind of listener on one object.

    ``encode_add(local_only)`` builds the registration request, ``decode_add(message)``
    returns the member's registration UUID, ``encode_remove(server_registration_id)``
    builds the removal request and ``decode_remove(message)`` its boolean answer.
    """

    __slots__ = ("encode_add", "decode_add", "encode_remove", "decode_remove")

    def __init__(
        self,
        encode_add: Callable[[bool], Any],
        decode_add: Callable[[Any], Any],
        encode_remove: Callable[[Any], Any],
        decode_remove: Optional[Callable[[Any], Any]] = None,
    ) -> None:
        self.encode_add = encode_add
        self.decode_add = decode_add
        self.encode_remove = encode_remove
        self.decode_remove: Callable[[Any], Any] = decode_remove or (lambda message: True)


class _Listener:
    """The driver's side of one registration: its codec, the user's callbacks, the add call's result."""

    __slots__ = ("codec", "event_handler", "on_registered", "result")

    def __init__(
        self,
        codec: ListenerCodec,
        event_handler: Callable[[Any], None],
        on_registered: Optional[Callable[[Any], Any]],
        result: "AsyncResult[str]",
    ) -> None:
        self.codec = codec
        self.event_handler = event_handler
        self.on_registered = on_registered
        self.result = result


_Registration = Registration["Connection", _Listener]
_Entry = Entry["Connection", _Listener]
_Action = Action["Connection", _Listener]


def _outcome_taken(value: Any, error: Optional[BaseException]) -> None:
    """What an :class:`_Outcome` calls after its first outcome: nothing."""


class _Outcome:
    """Stands in for a future on one registration invocation (see Invocation.future).

    The invocation service calls ``set(server_id)`` or ``set_exception(error)`` once, from
    the I/O loop or from the task that failed the send; neither blocks. ``done(value, error)``
    is called and then dropped: it refers to the invocation that refers to this outcome, a
    reference cycle that must not outlive the answer.
    """

    __slots__ = ("_done",)

    def __init__(self, done: Callable[[Any, Optional[BaseException]], None]) -> None:
        self._done = done

    def set(self, value: Any = None) -> None:
        done, self._done = self._done, _outcome_taken
        done(value, None)

    def set_exception(self, error: BaseException) -> None:
        done, self._done = self._done, _outcome_taken
        done(None, error)


class ListenerService:
    """Adds, re-adds and removes user listener registrations on every connection.

    Thread- and greenlet-safe; its lock is never held while waiting or sending. Under
    gevent it starts no OS thread (it only ever spawns through the handler).
    """

    def __init__(self, context: "RuntimeContext") -> None:
        config = context.config
        self._handler = context.handler
        self._invocations = context.invocations
        self._connections = context.connections
        self._cluster = context.cluster
        self._table: RegistrationTable["Connection", _Listener] = RegistrationTable(
            bool(config.smart_routing), config.invocation_timeout, max(0.05, config.invocation_retry_pause)
        )
        self._registrations: Dict[str, _Registration] = self._table.registrations
        self._lock = self._handler.rlock_object()
        self._waiters: List["Event"] = []
        self._connections.add_connection_listener(self)
        context.add_shutdown_hook(self._client_stopping)

    # -- public ------------------------------------------------------------------------

    def register_async(
        self,
        codec: ListenerCodec,
        event_handler: Callable[[Any], None],
        on_registered: Optional[Callable[[Any], Any]] = None,
    ) -> "AsyncResult[str]":
        """Register everywhere; returns an async result whose value is the client-side registration id.

        The result is set once the registration is active on every member of the
        current member list (smart routing opens the missing member connections and
        waits for them; unisocket waits for its one connection). It fails, and nothing
        stays registered, when a member rejects the registration
        (the member's error), when that does not happen within ``invocation_timeout``
        (HzTimeoutError) or when the client is stopped (ClientNotActiveError).
        Afterwards the registration is made again on every connection that comes up
        later, including after a reconnect, before that connection carries requests;
        ``on_registered(connection)`` is then dispatched to the callback worker: the
        events sent while there was no registration on that member are lost, so a
        caller that keeps state re-reads it.

        Raises TypeError (before anything is sent) when a callback is not callable.
        """
        if not callable(event_handler):
            raise TypeError("event_handler must be callable, got %r" % (event_handler,))
        if on_registered is not None and not callable(on_registered):
            raise TypeError("on_registered must be callable, got %r" % (on_registered,))
        result: "AsyncResult[str]" = self._handler.async_result()
        listener = _Listener(codec, event_handler, on_registered, result)
        try:
            with self._lock:
                registration = self._table.register(listener, on_registered is not None, self._handler.monotonic())
        except ClientNotActiveError as error:
            result.set_exception(error)
            return result
        self._handler.spawn(self._activate, registration)
        return result

    def register(
        self,
        codec: ListenerCodec,
        event_handler: Callable[[Any], None],
        on_registered: Optional[Callable[[Any], Any]] = None,
    ) -> str:
        """Synchronous :meth:`register_async`: returns the id, raises what its result would."""
        return self.register_async(codec, event_handler, on_registered).get()

    def deregister(self, registration_id: str) -> bool:
        """Remove a registration from every connection; returns False if the id is unknown, else True.

        Sends each connection's removal request with that connection's server-side id
        and waits for the answers (failures are logged: a dead connection took its
        registration with it). Never raises for a member's answer.
        """
        with self._lock:
            actions = self._table.deregister(registration_id)
        if actions is None:
            return False
        self._notify()
        self._await_removals(registration_id, self._execute(actions))
        return True

    def registered_connections(self, registration_id: str) -> List["Connection"]:
        """The live connections on which ``registration_id`` is currently confirmed."""
        with self._lock:
            return self._table.confirmed_connections(registration_id)

    def __contains__(self, registration_id: object) -> bool:
        return registration_id in self._table

    # -- connection listener -------------------------------------------------------------

    def connection_authenticated(self, connection: "Connection") -> None:
        """Register every listener on a new connection and wait for the answers; returns None.

        Called by the connection manager before the connection carries requests, so a
        member that joins (or comes back) has every registration before it is used.
        Returns once each registration was confirmed or failed there (failures are
        retried in the background and logged), or the connection died; never raises.
        """
        with self._lock:
            actions = self._table.connection_authenticated(connection, self._handler.monotonic())
        self._execute(actions)

    def connection_added(self, connection: "Connection") -> None:
        """Register what the connection does not have yet (added while it was being prepared); returns None."""
        with self._lock:
            actions = self._table.connection_added(connection)
        self._execute(actions)
        self._notify()

    def connection_removed(self, connection: "Connection") -> None:
        """Forget the registrations of a dead connection; returns None.

        The invocation service already dropped the event handlers of that connection.
        """
        with self._lock:
            self._table.connection_removed(connection)
        self._notify()

    # -- driving the table -----------------------------------------------------------------

    def _activate(self, registration: _Registration) -> None:
        """Drive one add until it is settled (a spawned task); returns None."""
        waiter = self._add_waiter()
        removals: List["AsyncResult[Any]"] = []
        try:
            while not registration.settled:
                waiter.clear()
                live = self._live_connections()
                members: Sequence[Any] = self._cluster.members
                now = self._handler.monotonic()
                with self._lock:
                    actions = self._table.progress(registration, live, members, now)
                removals = self._execute(actions)
                if not registration.settled:
                    waiter.wait(min(registration.deadline - now, RECHECK_INTERVAL))
        finally:
            self._remove_waiter(waiter)
        self._await_removals(registration.id, removals)

    def _execute(self, actions: Sequence[_Action], on_loop: bool = False) -> List["AsyncResult[Any]"]:
        """Perform the table's actions in order; returns the pending results of the removals sent.

        ``on_loop``: called on the I/O loop, so removals are sent from a spawned task.
        """
        removals: List["AsyncResult[Any]"] = []
        for action in actions:
            if isinstance(action, SendAdd):
                self._send_add(action)
            elif isinstance(action, SendRemove):
                if on_loop:
                    self._handler.spawn(self._send_remove, action.entry)
                else:
                    pending = self._send_remove(action.entry)
                    if pending is not None:
                        removals.append(pending)
            elif isinstance(action, Announce):
                on_registered = action.entry.registration.listener.on_registered
                if on_registered is not None:
                    self._handler.dispatch_callback(on_registered, action.entry.connection)
            elif isinstance(action, CompleteAdd):
                action.registration.listener.result.set(action.registration.id)
            elif isinstance(action, FailAdd):
                self._notify()
                action.registration.listener.result.set_exception(action.error)
            elif isinstance(action, RetryAdd):
                self._handler.spawn(self._retry, action)
            elif isinstance(action, ConnectMembers):
                self._connections.connect_to_members()
            elif isinstance(action, AwaitConfirmations):
                self._await_confirmations(action)
        return removals

    def _send_add(self, action: SendAdd["Connection", _Listener]) -> None:
        """Send one add request; its answer goes back to the table (never blocks)."""
        entry = action.entry
        registration = entry.registration
        listener = registration.listener

        def on_event(message: Any) -> None:  # I/O loop
            # Events may still trickle in after a removal: drop them.
            if not registration.removed:
                listener.event_handler(message)

        def outcome(server_id: Any, error: Optional[BaseException]) -> None:
            if error is not None:
                self._invocations.remove_event_handler(invocation.correlation_id)
                with self._lock:
                    actions = self._table.refused(entry, error)
                self._notify()
                self._execute(actions)
            else:  # on the I/O loop, straight after the answer was decoded
                with self._lock:
                    actions = self._table.confirmed(entry, server_id)
                self._execute(actions, on_loop=True)
                self._notify()

        # The event handler is installed with the request, before it is sent: an event
        # the member fires before its answer arrives is not lost.
        invocation = Invocation(
            listener.codec.encode_add(action.local_only),
            _Outcome(outcome),
            connection=entry.connection,
            response_handler=listener.codec.decode_add,
            event_handler=on_event,
        )
        entry.request = invocation
        self._invocations.invoke(invocation)

    def _send_remove(self, entry: _Entry) -> Optional["AsyncResult[Any]"]:
        """Drop ``entry``'s event handler and send its removal; returns the pending result, None if not sent."""
        if entry.request is not None:
            self._invocations.remove_event_handler(entry.request.correlation_id)
        connection = entry.connection
        if not connection.alive:
            return None
        codec = entry.registration.listener.codec
        invocation = Invocation(
            codec.encode_remove(entry.server_id),
            self._handler.async_result(),
            connection=connection,
            response_handler=codec.decode_remove,
        )
        pending: "AsyncResult[Any]" = self._invocations.invoke(invocation)
        return pending

    def _retry(self, action: RetryAdd["Connection", _Listener]) -> None:
        """Wait out a retry's pause, then send the add again if the table still wants it (a spawned task)."""
        self._handler.sleep_func(action.delay)
        with self._lock:
            actions = self._table.retry(action)
        self._execute(actions)

    def _await_confirmations(self, action: AwaitConfirmations["Connection"]) -> None:
        """Wait until the table has every answer on the connection, it died, or the deadline passed."""
        connection = action.connection
        waiter = self._add_waiter()
        try:
            while connection.alive:
                waiter.clear()
                with self._lock:
                    pending = self._table.awaiting(connection)
                remaining = action.deadline - self._handler.monotonic()
                if not pending or remaining <= 0:
                    break
                waiter.wait(min(remaining, RECHECK_INTERVAL))
        finally:
            self._remove_waiter(waiter)

    @staticmethod
    def _await_removals(registration_id: str, removals: List["AsyncResult[Any]"]) -> None:
        """Wait for the members' answers to removals; a failure is logged, never raised. Returns None."""
        for pending in removals:
            try:
                pending.get()
            except HzError as error:
                log.debug("removing listener %s: %s", registration_id, error)

    def _client_stopping(self) -> None:
        """Shutdown hook: adds still in progress fail; new ones fail until a connection is usable again."""
        with self._lock:
            self._table.stop()
        self._notify()

    # -- waiting -------------------------------------------------------------------------

    def _live_connections(self) -> List["Connection"]:
        """The connection manager's usable connections that are still alive."""
        return [c for c in self._connections.active_connections if c.alive]

    def _add_waiter(self) -> "Event":
        """A new event that :meth:`_notify` sets on every piece of registration progress."""
        waiter = self._handler.event_object()
        with self._lock:
            self._waiters.append(waiter)
        return waiter

    def _remove_waiter(self, waiter: "Event") -> None:
        """Stop notifying ``waiter``; returns None."""
        with self._lock:
            self._waiters.remove(waiter)

    def _notify(self) -> None:
        """Wake every task waiting on registration progress (never blocks)."""
        with self._lock:
            waiters = list(self._waiters)
        for waiter in waiters:
            waiter.set()
