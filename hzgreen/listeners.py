"""User listener registrations that follow the client's connections (NOTES.md §12.1).

A registration is added on every live connection: with ``localOnly = true`` under smart
routing (each member then reports only the events it owns, so nothing arrives twice),
once with ``localOnly = false`` under unisocket routing (the only connection). It is
repeated on each connection that authenticates later, forgotten per connection when one
dies, and removed from each connection with the registration id *that connection*
returned. Users only ever see the client-side id this service hands out.

Event messages reach ``event_handler(message)`` on the I/O loop: it must decode and hand
the work to ``handler.dispatch_callback`` (user code never runs on the loop).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple

from hzgreen.exceptions import (ClientNotActiveError, ClientOfflineError, ConnectionLoss,
                                HzError)
from hzgreen.invocation import Invocation

log = logging.getLogger("hzgreen.listeners")

#: Attempts to (re-)register on a connection that came up later before giving up on it.
REREGISTER_ATTEMPTS = 5

# Failures after which the registration simply waits for the next connection.
_CONNECTION_ERRORS = (ConnectionLoss, ClientOfflineError)


class ListenerCodec:
    """How to add and remove one kind of listener on one object.

    ``encode_add(local_only)`` builds the registration request, ``decode_add(message)``
    returns the member's registration UUID, ``encode_remove(server_registration_id)``
    builds the removal request and ``decode_remove(message)`` its boolean answer.
    """

    __slots__ = ("encode_add", "decode_add", "encode_remove", "decode_remove")

    def __init__(self, encode_add: Callable[[bool], Any], decode_add: Callable[[Any], Any],
                 encode_remove: Callable[[Any], Any],
                 decode_remove: Optional[Callable[[Any], Any]] = None) -> None:
        self.encode_add = encode_add
        self.decode_add = decode_add
        self.encode_remove = encode_remove
        self.decode_remove = decode_remove or (lambda message: True)


class _Entry:
    """The registration on one connection."""

    __slots__ = ("invocation", "server_id")

    def __init__(self) -> None:
        self.invocation: Any = None
        self.server_id: Any = None


class _Registration:
    __slots__ = ("id", "codec", "event_handler", "on_registered", "entries", "removed")

    def __init__(self, registration_id: str, codec: ListenerCodec, event_handler: Callable[[Any], None],
                 on_registered: Optional[Callable[[Any], Any]]) -> None:
        self.id = registration_id
        self.codec = codec
        self.event_handler = event_handler
        self.on_registered = on_registered
        self.entries: Dict[Any, _Entry] = {}
        self.removed = False

    def on_event(self, message: Any) -> None:
        # Events may still trickle in after a removal: drop them.
        if not self.removed:
            self.event_handler(message)


class _Outcome:
    """Stands in for a future on one registration invocation (see Invocation.future).

    The invocation service calls ``set``/``set_exception`` from the I/O loop or from the
    task that failed the send; both only record the outcome and never block.
    """

    __slots__ = ("_done",)

    def __init__(self, done: Callable[[Any, Optional[BaseException]], None]) -> None:
        self._done = done

    def set(self, value: Any = None) -> None:
        self._done(value, None)

    def set_exception(self, error: BaseException) -> None:
        self._done(None, error)


class _Collector:
    """Resolves one async result once every connection of a new registration answered."""

    def __init__(self, service: "ListenerService", registration: _Registration, parts: int) -> None:
        self.result = service._handler.async_result()
        self._service = service
        self._registration = registration
        self._lock = service._handler.lock_object()
        self._remaining = parts
        self._error: Optional[BaseException] = None
        if parts == 0:
            self.result.set(registration.id)

    def done(self, error: Optional[BaseException]) -> None:
        with self._lock:
            if error is not None and self._error is None and not isinstance(error, _CONNECTION_ERRORS):
                self._error = error
            self._remaining -= 1
            finished = self._remaining == 0
        if not finished:
            return
        if self._error is None:
            self.result.set(self._registration.id)
            return
        # Forget it at once; removing it from members waits on them: never on the I/O loop.
        discarded = self._service._discard(self._registration.id)
        if discarded is not None and discarded[1]:
            self._service._handler.spawn(self._service._remove_entries, *discarded)
        self.result.set_exception(self._error)


class ListenerService:
    """Adds, re-adds and removes user listener registrations on every connection.

    Thread- and greenlet-safe; its lock is never held while waiting. Under gevent it
    starts no OS thread (it only ever spawns through the handler).
    """

    def __init__(self, client: Any) -> None:
        self._handler = client.handler
        self._invocations = client.invocations
        self._connections = client._connections
        self._local_only = bool(client.config.smart_routing)
        self._retry_pause = max(0.05, client.config.invocation_retry_pause)
        self._lock = self._handler.rlock_object()
        self._registrations: Dict[str, _Registration] = {}
        self._connections.add_connection_listener(self)

    # -- public ------------------------------------------------------------------------

    def register_async(self, codec: ListenerCodec, event_handler: Callable[[Any], None],
                       on_registered: Optional[Callable[[Any], Any]] = None) -> Any:
        """Register on every live connection; the result is the client-side registration id.

        The result fails (and nothing stays registered) when a member rejects the
        registration; connections lost meanwhile are not errors: the registration is
        made again on every connection that comes up later, including after a reconnect.
        ``on_registered(connection)`` is dispatched to the callback worker after each
        such later registration succeeded: the events sent while there was no
        registration on that member are lost, so a caller that keeps state re-reads it.
        """
        if not callable(event_handler):
            raise TypeError("event_handler must be callable")
        registration = _Registration(str(uuid.uuid4()), codec, event_handler, on_registered)
        with self._lock:
            self._registrations[registration.id] = registration
        connections = [c for c in self._connections.active_connections if c.alive]
        collector = _Collector(self, registration, len(connections))
        for connection in connections:
            self._register_on(registration, connection, collector.done)
        return collector.result

    def register(self, codec: ListenerCodec, event_handler: Callable[[Any], None],
                 on_registered: Optional[Callable[[Any], Any]] = None) -> str:
        """Synchronous :meth:`register_async`."""
        return self.register_async(codec, event_handler, on_registered).get()

    def deregister(self, registration_id: str) -> bool:
        """Remove a registration from every connection; False if the id is unknown.

        Sends each connection's removal request with that connection's server-side id
        and waits for the answers (failures are logged: a dead connection took its
        registration with it).
        """
        discarded = self._discard(registration_id)
        if discarded is None:
            return False
        self._remove_entries(*discarded)
        return True

    def _discard(self, registration_id: str) -> Optional[Tuple[_Registration, List[Any]]]:
        """Forget a registration (never blocks); returns it with its confirmed per-connection entries."""
        with self._lock:
            registration = self._registrations.pop(registration_id, None)
            if registration is None:
                return None
            registration.removed = True
            entries = list(registration.entries.items())
            registration.entries.clear()
        # Entries still in flight are removed by their response handler (see _register_on).
        return registration, [(connection, entry) for connection, entry in entries if entry.server_id is not None]

    def _remove_entries(self, registration: _Registration, entries: List[Any]) -> None:
        pending = [self._remove_on(registration, connection, entry) for connection, entry in entries]
        for future in pending:
            if future is None:
                continue
            try:
                future.get()
            except HzError as error:
                log.debug("removing listener %s: %s", registration.id, error)

    def registered_connections(self, registration_id: str) -> List[Any]:
        """The connections on which ``registration_id`` is currently confirmed."""
        with self._lock:
            registration = self._registrations.get(registration_id)
            if registration is None:
                return []
            return [c for c, e in registration.entries.items() if e.server_id is not None and c.alive]

    def __contains__(self, registration_id: object) -> bool:
        return registration_id in self._registrations

    # -- connection listener -------------------------------------------------------------

    def connection_added(self, connection: Any) -> None:
        with self._lock:
            registrations = list(self._registrations.values())
        for registration in registrations:
            self._register_on(registration, connection, None, attempt=1)

    def connection_removed(self, connection: Any) -> None:
        # The invocation service already dropped the event handlers of that connection.
        with self._lock:
            for registration in self._registrations.values():
                registration.entries.pop(connection, None)

    # -- per connection ------------------------------------------------------------------

    def _register_on(self, registration: _Registration, connection: Any,
                     report: Optional[Callable[[Optional[BaseException]], None]], attempt: int = 0) -> None:
        """Send the registration on ``connection`` (never blocks).

        ``report(error_or_None)`` is called once for the initial registration; later
        ones (``report`` None) are retried a few times and announced by ``on_registered``.
        """
        entry = _Entry()
        with self._lock:
            skip = (registration.removed or connection in registration.entries or not connection.alive)
            if not skip:
                registration.entries[connection] = entry
        if skip:
            if report is not None:
                report(None)
            return

        def on_response(message: Any) -> Any:  # I/O loop
            server_id = registration.codec.decode_add(message)
            with self._lock:
                entry.server_id = server_id
                current = registration.entries.get(connection) is entry
                removed = registration.removed
            if removed and connection.alive:
                self._handler.spawn(self._remove_on, registration, connection, entry)
            elif current and report is None and registration.on_registered is not None:
                self._handler.dispatch_callback(registration.on_registered, connection)
            return server_id

        def outcome(value: Any, error: Optional[BaseException]) -> None:
            if error is not None:
                with self._lock:
                    if registration.entries.get(connection) is entry:
                        del registration.entries[connection]
                self._invocations.remove_event_handler(entry.invocation.correlation_id)
            if report is not None:
                report(error)
            elif error is not None:
                self._after_failed_reregistration(registration, connection, attempt, error)

        invocation = Invocation(registration.codec.encode_add(self._local_only), _Outcome(outcome),
                                connection=connection, response_handler=on_response,
                                event_handler=registration.on_event)
        entry.invocation = invocation
        self._invocations.invoke(invocation)

    def _after_failed_reregistration(self, registration: _Registration, connection: Any,
                                     attempt: int, error: BaseException) -> None:
        if (registration.removed or not connection.alive or attempt >= REREGISTER_ATTEMPTS
                or isinstance(error, (ClientNotActiveError,) + _CONNECTION_ERRORS)):
            if not registration.removed and connection.alive:
                log.warning("could not register listener %s on %s: %s", registration.id, connection, error)
            return
        log.debug("registering listener %s on %s failed (%s); retrying", registration.id, connection, error)

        def again() -> None:
            self._handler.sleep_func(self._retry_pause * attempt)
            with self._lock:
                known = self._registrations.get(registration.id) is registration
            if known:
                self._register_on(registration, connection, None, attempt + 1)

        self._handler.spawn(again)

    def _remove_on(self, registration: _Registration, connection: Any, entry: _Entry) -> Any:
        """Send the removal of ``entry`` on its connection; returns the pending result."""
        self._invocations.remove_event_handler(entry.invocation.correlation_id)
        if not connection.alive:
            return None
        invocation = Invocation(registration.codec.encode_remove(entry.server_id), self._handler.async_result(),
                                connection=connection, response_handler=registration.codec.decode_remove)
        return self._invocations.invoke(invocation)
