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

Event messages reach ``event_handler(message)`` on the I/O loop: it must decode and hand
the work to ``handler.dispatch_callback`` (user code never runs on the loop).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple

from hzgreen.exceptions import ClientNotActiveError, ClientOfflineError, ConnectionLoss, HzError, HzTimeoutError
from hzgreen.runtime.invocation import Invocation

log = logging.getLogger("hzgreen.runtime.listeners")

#: Attempts to (re-)register on a connection that came up later before giving up on it.
REREGISTER_ATTEMPTS = 5

#: While a registration waits for member connections it looks again at the member list
#: this often (seconds) even when no connection came or went.
RECHECK_INTERVAL = 0.25

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
    """The registration on one connection (``server_id`` is None until the member confirmed it)."""

    __slots__ = ("invocation", "server_id")

    def __init__(self) -> None:
        self.invocation: Any = None
        self.server_id: Any = None


class _Registration:
    """One user listener: its per-connection entries and where adding it stands.

    ``active`` turns True when the add call returned; confirmations after that are
    announced through ``on_registered``. ``error`` is the first member refusal while the
    add call was still in progress (it fails that call).
    """

    __slots__ = ("id", "codec", "event_handler", "on_registered", "entries", "removed", "active", "error")

    def __init__(self, registration_id: str, codec: ListenerCodec, event_handler: Callable[[Any], None],
                 on_registered: Optional[Callable[[Any], Any]]) -> None:
        self.id = registration_id
        self.codec = codec
        self.event_handler = event_handler
        self.on_registered = on_registered
        self.entries: Dict[Any, _Entry] = {}
        self.removed = False
        self.active = False
        self.error: Optional[BaseException] = None

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


class ListenerService:
    """Adds, re-adds and removes user listener registrations on every connection.

    Thread- and greenlet-safe; its lock is never held while waiting. Under gevent it
    starts no OS thread (it only ever spawns through the handler).
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self._handler = client.handler
        self._invocations = client.invocations
        self._connections = client.connections
        self._cluster = client.cluster
        self._local_only = bool(client.config.smart_routing)
        self._timeout = client.config.invocation_timeout
        self._retry_pause = max(0.05, client.config.invocation_retry_pause)
        self._lock = self._handler.rlock_object()
        self._registrations: Dict[str, _Registration] = {}
        self._waiters: List[Any] = []
        self._stopped = False
        self._stop_hooked = False
        self._connections.add_connection_listener(self)

    # -- public ------------------------------------------------------------------------

    def register_async(self, codec: ListenerCodec, event_handler: Callable[[Any], None],
                       on_registered: Optional[Callable[[Any], Any]] = None) -> Any:
        """Register everywhere; the result is the client-side registration id.

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
        result = self._handler.async_result()
        self._watch_client_stop()
        if self._stopped:
            result.set_exception(ClientNotActiveError("the client is stopped"))
            return result
        registration = _Registration(str(uuid.uuid4()), codec, event_handler, on_registered)
        with self._lock:
            self._registrations[registration.id] = registration
        self._handler.spawn(self._activate, registration, result)
        return result

    def register(self, codec: ListenerCodec, event_handler: Callable[[Any], None],
                 on_registered: Optional[Callable[[Any], Any]] = None) -> str:
        """Synchronous :meth:`register_async`: returns the id, raises what its result would."""
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

    def registered_connections(self, registration_id: str) -> List[Any]:
        """The live connections on which ``registration_id`` is currently confirmed."""
        with self._lock:
            registration = self._registrations.get(registration_id)
            if registration is None:
                return []
            return [c for c, e in registration.entries.items() if e.server_id is not None and c.alive]

    def __contains__(self, registration_id: object) -> bool:
        return registration_id in self._registrations

    # -- adding: wait until active on every member --------------------------------------

    def _activate(self, registration: _Registration, result: Any) -> None:
        """Register on every connection, opening the missing ones, and settle ``result``."""
        deadline = self._handler.monotonic() + self._timeout
        waiter = self._add_waiter()
        asked_for_connections = False
        error: Optional[BaseException] = None
        try:
            while True:
                waiter.clear()
                live = self._live_connections()
                for connection in live:
                    self._register_on(registration, connection)
                missing = self._missing(registration)
                with self._lock:
                    error = registration.error
                    removed = registration.removed
                if error is not None or removed or not missing:
                    break
                if self._local_only and live and not asked_for_connections:
                    # Usually already under way (the member list arrived); this makes sure.
                    asked_for_connections = True
                    self._connections.connect_to_members()
                remaining = deadline - self._handler.monotonic()
                if remaining <= 0:
                    error = HzTimeoutError("listener not registered within invocation_timeout=%.3fs: %s"
                                           % (self._timeout, ", ".join(missing)))
                    break
                waiter.wait(min(remaining, RECHECK_INTERVAL))
        finally:
            self._remove_waiter(waiter)
        if error is None:
            with self._lock:
                registration.active = True
            result.set(registration.id)
            return
        # Forget it first (no event reaches the user any more), then tell the caller,
        # then take it off the members that confirmed it.
        discarded = self._discard(registration.id)
        result.set_exception(error)
        if discarded is not None and discarded[1]:
            self._remove_entries(*discarded)

    def _missing(self, registration: _Registration) -> List[str]:
        """What the registration still lacks to be active everywhere; empty when complete."""
        live = {c for c in self._live_connections()}
        with self._lock:
            confirmed = [c for c, e in registration.entries.items() if e.server_id is not None and c in live]
        if not self._local_only:
            return [] if confirmed else ["no connection to the cluster"]
        on = {c.member_uuid for c in confirmed}
        members = self._cluster.members
        missing = ["member %s (%s:%d)" % (m.uuid, m.address.host, m.address.port)
                   for m in members if m.uuid not in on]
        if not on and not missing:
            missing = ["no connection to the cluster"]
        return missing

    def _live_connections(self) -> List[Any]:
        return [c for c in self._connections.active_connections if c.alive]

    def _add_waiter(self) -> Any:
        waiter = self._handler.event_object()
        with self._lock:
            self._waiters.append(waiter)
        return waiter

    def _remove_waiter(self, waiter: Any) -> None:
        with self._lock:
            self._waiters.remove(waiter)

    def _notify(self) -> None:
        """Wake every task waiting on registration progress (never blocks)."""
        with self._lock:
            waiters = list(self._waiters)
        for waiter in waiters:
            waiter.set()

    def _watch_client_stop(self) -> None:
        # The client's shutdown hooks exist once it is fully built, i.e. by the first add.
        if not self._stop_hooked:
            self._stop_hooked = True
            add_hook = getattr(self._client, "add_shutdown_hook", None)
            if add_hook is not None:
                add_hook(self._client_stopping)

    def _client_stopping(self) -> None:
        """Shutdown hook: adds still in progress fail; new ones fail until a connection is usable again."""
        error = ClientNotActiveError("the client was stopped")
        with self._lock:
            self._stopped = True
            for registration in self._registrations.values():
                if not registration.active and registration.error is None:
                    registration.error = error
        self._notify()

    # -- removing ------------------------------------------------------------------------

    def _discard(self, registration_id: str) -> Optional[Tuple[_Registration, List[Any]]]:
        """Forget a registration (never blocks); returns it with its confirmed per-connection entries."""
        with self._lock:
            registration = self._registrations.pop(registration_id, None)
            if registration is None:
                return None
            registration.removed = True
            entries = list(registration.entries.items())
            registration.entries.clear()
        self._notify()
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

    # -- connection listener -------------------------------------------------------------

    def connection_authenticated(self, connection: Any) -> None:
        """Register every listener on a new connection and wait for the answers.

        Called by the connection manager before the connection carries requests, so a
        member that joins (or comes back) has every registration before it is used.
        Returns once each registration was confirmed or failed there (failures are
        retried in the background and logged), or the connection died; never raises.
        """
        with self._lock:
            registrations = list(self._registrations.values())
            for registration in registrations:
                for dead in [c for c in registration.entries if not c.alive]:
                    del registration.entries[dead]
        if not registrations:
            return
        waiter = self._add_waiter()
        deadline = self._handler.monotonic() + self._timeout + 1.0
        try:
            for registration in registrations:
                self._register_on(registration, connection)
            while connection.alive:
                waiter.clear()
                with self._lock:
                    pending = any(not r.removed and connection in r.entries and r.entries[connection].server_id is None
                                  for r in registrations)
                remaining = deadline - self._handler.monotonic()
                if not pending or remaining <= 0:
                    break
                waiter.wait(min(remaining, RECHECK_INTERVAL))
        finally:
            self._remove_waiter(waiter)

    def connection_added(self, connection: Any) -> None:
        """Register what the connection does not have yet (added while it was being prepared)."""
        with self._lock:
            self._stopped = False  # a usable connection: the client runs (again)
            registrations = list(self._registrations.values())
        for registration in registrations:
            self._register_on(registration, connection)
        self._notify()

    def connection_removed(self, connection: Any) -> None:
        # The invocation service already dropped the event handlers of that connection.
        with self._lock:
            for registration in self._registrations.values():
                registration.entries.pop(connection, None)
        self._notify()

    # -- per connection ------------------------------------------------------------------

    def _register_on(self, registration: _Registration, connection: Any, attempt: int = 1) -> None:
        """Send the registration on ``connection`` unless it is there or on its way (never blocks).

        The outcome is recorded in the registration's entries and wakes the waiting tasks.
        A member refusal fails an add still in progress; once the add returned, a refusal
        on a later connection is retried a few times, then logged.
        """
        entry = _Entry()
        with self._lock:
            skip = (registration.removed or registration.error is not None or connection in registration.entries
                    or not connection.alive)
            if not skip:
                registration.entries[connection] = entry
        if skip:
            return

        def on_response(message: Any) -> Any:  # I/O loop
            server_id = registration.codec.decode_add(message)
            with self._lock:
                entry.server_id = server_id
                current = registration.entries.get(connection) is entry
                removed = registration.removed
                announce = current and registration.active and registration.on_registered is not None
            if removed and connection.alive:
                self._handler.spawn(self._remove_on, registration, connection, entry)
            elif announce:
                self._handler.dispatch_callback(registration.on_registered, connection)
            return server_id

        def outcome(value: Any, error: Optional[BaseException]) -> None:
            if error is None:
                self._notify()
                return
            with self._lock:
                if registration.entries.get(connection) is entry:
                    del registration.entries[connection]
                in_progress = not registration.active
                if in_progress and registration.error is None and not isinstance(error, _CONNECTION_ERRORS):
                    registration.error = error
            self._invocations.remove_event_handler(entry.invocation.correlation_id)
            self._notify()
            if not in_progress:
                self._after_failed_reregistration(registration, connection, attempt, error)

        # The event handler is installed with the request, before it is sent: an event
        # the member fires before its answer arrives is not lost.
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
                self._register_on(registration, connection, attempt + 1)

        self._handler.spawn(again)

    def _remove_on(self, registration: _Registration, connection: Any, entry: _Entry) -> Any:
        """Send the removal of ``entry`` on its connection; returns the pending result."""
        self._invocations.remove_event_handler(entry.invocation.correlation_id)
        if not connection.alive:
            return None
        invocation = Invocation(registration.codec.encode_remove(entry.server_id), self._handler.async_result(),
                                connection=connection, response_handler=registration.codec.decode_remove)
        return self._invocations.invoke(invocation)
