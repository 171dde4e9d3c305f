"""Listener registrations as a state machine: which exist, where, and what an add still needs.

A user listener is registered on every live connection: with ``local_only`` under smart
routing (each member then reports only the events it owns, so nothing arrives twice), once
without it under unisocket routing (the one connection). Each connection's member answers
with its own server-side registration id, which is the one its removal must name.

:class:`RegistrationTable` holds that bookkeeping and makes every decision about it. It is
fed with events (an add started or looked at again, a member's answer or refusal, a
connection authenticated, made usable or lost, a deregistration, the client stopping) and
returns the actions the driver (:mod:`hzgreen.runtime.listeners`) performs, in order:
send an add or a removal, complete or fail the add call, announce a late registration,
retry later, open the missing member connections, wait for a new connection's
confirmations. Time comes in as ``now``; the table reads only the ``alive`` and
``member_uuid`` attributes of the connections and the ``uuid`` and ``address`` of the
members it is given. It is not thread-safe: the driver calls it under its lock.

An add completes once the registration is confirmed on every member of the current member
list (smart routing) or on the one connection (unisocket). It fails, and is undone on the
members that confirmed it, when a member refuses it, when that does not happen within
``invocation_timeout``, or when the client stops. Afterwards every connection that comes up
gets the registration too; a refusal there is retried :data:`REREGISTER_ATTEMPTS` times in
all, then logged.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Generic, List, Optional, Protocol, Sequence, TypeVar, Union

from hzgreen.exceptions import ClientNotActiveError, ClientOfflineError, ConnectionLoss, HzTimeoutError
from hzgreen.runtime.core.members import Member

__all__ = [
    "REREGISTER_ATTEMPTS",
    "CONFIRMATION_GRACE",
    "CONNECT_MEMBERS",
    "Action",
    "Announce",
    "AwaitConfirmations",
    "CompleteAdd",
    "ConnectMembers",
    "Entry",
    "FailAdd",
    "Link",
    "Member",
    "Registration",
    "RegistrationTable",
    "RetryAdd",
    "SendAdd",
    "SendRemove",
]

log = logging.getLogger("hzgreen.runtime.listeners")

#: Attempts to register on a connection that came up after the add returned before giving up on it.
REREGISTER_ATTEMPTS = 5

#: A new connection waits for its registrations up to ``invocation_timeout`` plus this (seconds).
CONFIRMATION_GRACE = 1.0

# Failures after which a registration simply waits for the next connection.
_CONNECTION_ERRORS = (ConnectionLoss, ClientOfflineError)
# Failures after which registering on that connection again is pointless.
_NO_RETRY_ERRORS = (ClientNotActiveError, ConnectionLoss, ClientOfflineError)


class Link(Protocol):
    """What the table reads of a connection (any hashable object with these attributes)."""

    @property
    def alive(self) -> bool: ...

    @property
    def member_uuid(self) -> Any: ...


C = TypeVar("C", bound=Link)
L = TypeVar("L")


class Registration(Generic[C, L]):
    """One user listener: its per-connection entries and where adding it stands.

    ``listener`` is the driver's own data (codec, callbacks, the add call's result); the
    table never looks into it. ``announce`` says whether a registration made after the add
    returned is announced (:class:`Announce`). ``active`` turns True when the add
    completed, ``settled`` when it completed or failed; ``removed`` once it was
    deregistered or undone (events still trickling in are then dropped). ``error`` is the
    first refusal while the add was in progress, or the client stopping.
    """

    __slots__ = (
        "id",
        "listener",
        "announce",
        "entries",
        "deadline",
        "removed",
        "active",
        "settled",
        "error",
        "asked_for_connections",
    )

    def __init__(self, registration_id: str, listener: L, announce: bool, deadline: float) -> None:
        self.id = registration_id
        self.listener = listener
        self.announce = announce
        self.entries: Dict[C, Entry[C, L]] = {}
        self.deadline = deadline
        self.removed = False
        self.active = False
        self.settled = False
        self.error: Optional[BaseException] = None
        self.asked_for_connections = False

    def __repr__(self) -> str:
        return "Registration(%s, entries=%d, active=%s, removed=%s)" % (
            self.id,
            len(self.entries),
            self.active,
            self.removed,
        )


class Entry(Generic[C, L]):
    """A registration on one connection; ``server_id`` is None until the member confirmed it.

    ``attempt`` counts the tries on that connection (1 for the first). ``request`` is the
    driver's handle on the add request it sent (its invocation); the table never reads it.
    """

    __slots__ = ("registration", "connection", "attempt", "server_id", "request")

    def __init__(self, registration: Registration[C, L], connection: C, attempt: int) -> None:
        self.registration = registration
        self.connection = connection
        self.attempt = attempt
        self.server_id: Any = None
        self.request: Any = None

    def __repr__(self) -> str:
        return "Entry(%s on %r, attempt %d, server id %s)" % (
            self.registration.id,
            self.connection,
            self.attempt,
            self.server_id,
        )


@dataclass(frozen=True, slots=True)
class SendAdd(Generic[C, L]):
    """Send ``entry``'s add request (with ``local_only``) on its connection, with its event handler
    installed first; report the answer with :meth:`RegistrationTable.confirmed` or ``refused``."""

    entry: Entry[C, L]
    local_only: bool


@dataclass(frozen=True, slots=True)
class SendRemove(Generic[C, L]):
    """Drop the event handler of ``entry``'s add request and, if its connection is still alive,
    send the removal naming ``entry.server_id``."""

    entry: Entry[C, L]


@dataclass(frozen=True, slots=True)
class Announce(Generic[C, L]):
    """Tell the user (``on_registered(entry.connection)``, on the callback worker) that the
    registration is in place on a connection that came up after the add returned."""

    entry: Entry[C, L]


@dataclass(frozen=True, slots=True)
class CompleteAdd(Generic[C, L]):
    """The add call returns ``registration.id``."""

    registration: Registration[C, L]


@dataclass(frozen=True, slots=True)
class FailAdd(Generic[C, L]):
    """The add call raises ``error``; the registration is already forgotten."""

    registration: Registration[C, L]
    error: BaseException


@dataclass(frozen=True, slots=True)
class RetryAdd(Generic[C, L]):
    """After ``delay`` seconds, hand this action back to :meth:`RegistrationTable.retry`."""

    registration: Registration[C, L]
    connection: C
    attempt: int
    delay: float


@dataclass(frozen=True, slots=True)
class ConnectMembers:
    """Open a connection to every member that has none (smart routing)."""


@dataclass(frozen=True, slots=True)
class AwaitConfirmations(Generic[C]):
    """Wait until :meth:`RegistrationTable.awaiting` is False for ``connection``, the connection
    died, or the clock reached ``deadline``; the connection carries no request meanwhile."""

    connection: C
    deadline: float


#: The one :class:`ConnectMembers` action.
CONNECT_MEMBERS = ConnectMembers()

Action = Union[
    SendAdd[C, L],
    SendRemove[C, L],
    Announce[C, L],
    CompleteAdd[C, L],
    FailAdd[C, L],
    RetryAdd[C, L],
    ConnectMembers,
    AwaitConfirmations[C],
]


class RegistrationTable(Generic[C, L]):
    """Every user listener registration and the decisions about it (see the module docstring).

    ``smart_routing`` registers with ``local_only`` on every member connection and waits for
    every member; ``timeout`` (``invocation_timeout``) bounds an add; a refused registration
    on a later connection is retried after ``retry_pause`` times the attempt number.
    """

    def __init__(self, smart_routing: bool, timeout: float, retry_pause: float) -> None:
        self.local_only = smart_routing
        self.timeout = timeout
        self.retry_pause = retry_pause
        self.registrations: Dict[str, Registration[C, L]] = {}
        #: True from the client's stop until a connection is usable again: adds fail at once.
        self.stopped = False

    def __contains__(self, registration_id: object) -> bool:
        return registration_id in self.registrations

    def __len__(self) -> int:
        return len(self.registrations)

    # -- adding ---------------------------------------------------------------------------

    def register(self, listener: L, announce: bool, now: float) -> Registration[C, L]:
        """Start adding a listener; returns its registration with a fresh client-side id.

        The add must then be driven with :meth:`progress` until the registration is
        ``settled``. Raises ClientNotActiveError while the client is stopped.
        """
        if self.stopped:
            raise ClientNotActiveError("the client is stopped")
        registration: Registration[C, L] = Registration(str(uuid.uuid4()), listener, announce, now + self.timeout)
        self.registrations[registration.id] = registration
        return registration

    def progress(
        self, registration: Registration[C, L], live: Sequence[C], members: Sequence[Member], now: float
    ) -> List[Action[C, L]]:
        """Look at an add in progress with the live connections and the member list as they are now.

        Returns the adds to send on the live connections that lack one, then, when the
        registration is still missing somewhere, possibly :data:`CONNECT_MEMBERS` (once per
        add, smart routing). When the add is over it returns :class:`CompleteAdd` (confirmed
        everywhere, or deregistered meanwhile) or :class:`FailAdd` (a refusal, the client
        stopped, or ``now`` reached the deadline) followed by a :class:`SendRemove` for each
        member that had confirmed it. Returns an empty list once the add is settled.
        """
        if registration.settled:
            return []
        actions: List[Action[C, L]] = []
        for connection in live:
            add = self._add_on(registration, connection, 1)
            if add is not None:
                actions.append(add)
        error = registration.error
        if error is None and not registration.removed:
            missing = self.missing(registration, live, members)
            if missing:
                if now < registration.deadline:
                    if self.local_only and live and not registration.asked_for_connections:
                        registration.asked_for_connections = True
                        actions.append(CONNECT_MEMBERS)
                    return actions
                error = HzTimeoutError(
                    "listener not registered within invocation_timeout=%.3fs: %s" % (self.timeout, ", ".join(missing))
                )
        registration.settled = True
        if error is None:
            registration.active = True
            actions.append(CompleteAdd(registration))
            return actions
        # Forget it first (no event reaches the user any more), then fail the call, then
        # take it off the members that confirmed it.
        removals = self._discard(registration)
        actions.append(FailAdd(registration, error))
        actions.extend(removals)
        return actions

    def missing(self, registration: Registration[C, L], live: Sequence[C], members: Sequence[Member]) -> List[str]:
        """What ``registration`` still lacks to be active everywhere, in words; empty when complete."""
        alive = set(live)
        confirmed = [c for c, e in registration.entries.items() if e.server_id is not None and c in alive]
        if not self.local_only:
            return [] if confirmed else ["no connection to the cluster"]
        on = {c.member_uuid for c in confirmed}
        missing = ["member %s (%s:%d)" % (m.uuid, m.address.host, m.address.port) for m in members if m.uuid not in on]
        if not on and not missing:
            missing = ["no connection to the cluster"]
        return missing

    # -- answers of the members -------------------------------------------------------------

    def confirmed(self, entry: Entry[C, L], server_id: Any) -> List[Action[C, L]]:
        """The member confirmed ``entry`` with ``server_id``.

        Returns :class:`SendRemove` when the registration was removed meanwhile,
        :class:`Announce` when this is a registration made after the add returned and the
        user asked to hear of those, else nothing.
        """
        entry.server_id = server_id
        registration = entry.registration
        if registration.removed:
            return [SendRemove(entry)]
        if registration.active and registration.announce and registration.entries.get(entry.connection) is entry:
            return [Announce(entry)]
        return []

    def refused(self, entry: Entry[C, L], error: BaseException) -> List[Action[C, L]]:
        """The add request of ``entry`` failed with ``error`` (a member's refusal or a lost connection).

        While the add is in progress, a refusal fails it (at its next :meth:`progress`); a
        lost connection does not (the registration waits for the next one). Afterwards
        returns a :class:`RetryAdd` until :data:`REREGISTER_ATTEMPTS` tries were made on
        that connection, and nothing when the connection died, the client stopped or the
        registration was removed.
        """
        registration = entry.registration
        connection = entry.connection
        if registration.entries.get(connection) is entry:
            del registration.entries[connection]
        if not registration.active:
            if registration.error is None and not isinstance(error, _CONNECTION_ERRORS):
                registration.error = error
            return []
        if (
            registration.removed
            or not connection.alive
            or entry.attempt >= REREGISTER_ATTEMPTS
            or isinstance(error, _NO_RETRY_ERRORS)
        ):
            if not registration.removed and connection.alive:
                log.warning("could not register listener %s on %s: %s", registration.id, connection, error)
            return []
        log.debug("registering listener %s on %s failed (%s); retrying", registration.id, connection, error)
        return [RetryAdd(registration, connection, entry.attempt + 1, self.retry_pause * entry.attempt)]

    def retry(self, action: RetryAdd[C, L]) -> List[Action[C, L]]:
        """The pause of ``action`` is over: returns the add to send again, or nothing when it is no longer needed."""
        registration = action.registration
        if self.registrations.get(registration.id) is not registration:
            return []
        add = self._add_on(registration, action.connection, action.attempt)
        return [] if add is None else [add]

    # -- connections ------------------------------------------------------------------------

    def connection_authenticated(self, connection: C, now: float) -> List[Action[C, L]]:
        """A connection authenticated and carries no request yet: register everything on it.

        Forgets the entries of dead connections first. Returns the adds to send, then an
        :class:`AwaitConfirmations` (deadline ``now + timeout + CONFIRMATION_GRACE``); nothing
        when there is no registration.
        """
        registrations = list(self.registrations.values())
        for registration in registrations:
            for dead in [c for c in registration.entries if not c.alive]:
                del registration.entries[dead]
        if not registrations:
            return []
        actions: List[Action[C, L]] = []
        for registration in registrations:
            add = self._add_on(registration, connection, 1)
            if add is not None:
                actions.append(add)
        actions.append(AwaitConfirmations(connection, now + self.timeout + CONFIRMATION_GRACE))
        return actions

    def awaiting(self, connection: C) -> bool:
        """True while some registration's add on ``connection`` waits for the member's answer."""
        for registration in self.registrations.values():
            entry = registration.entries.get(connection)
            if entry is not None and entry.server_id is None and not registration.removed:
                return True
        return False

    def connection_added(self, connection: C) -> List[Action[C, L]]:
        """A connection became usable: returns the adds it does not have yet. Ends ``stopped``."""
        self.stopped = False
        actions: List[Action[C, L]] = []
        for registration in list(self.registrations.values()):
            add = self._add_on(registration, connection, 1)
            if add is not None:
                actions.append(add)
        return actions

    def connection_removed(self, connection: C) -> None:
        """A connection died: its registrations died with it (its event handlers are gone too); returns None."""
        for registration in self.registrations.values():
            registration.entries.pop(connection, None)

    def confirmed_connections(self, registration_id: str) -> List[C]:
        """The live connections on which ``registration_id`` is confirmed (none for an unknown id)."""
        registration = self.registrations.get(registration_id)
        if registration is None:
            return []
        return [c for c, e in registration.entries.items() if e.server_id is not None and c.alive]

    # -- removing ---------------------------------------------------------------------------

    def deregister(self, registration_id: str) -> Optional[List[Action[C, L]]]:
        """Forget a registration; returns a :class:`SendRemove` per confirmed entry, None for an unknown id.

        An entry still waiting for its answer is removed when the answer comes
        (:meth:`confirmed`).
        """
        registration = self.registrations.get(registration_id)
        if registration is None:
            return None
        return self._discard(registration)

    def stop(self) -> None:
        """The client is stopping: adds in progress fail, new ones fail until :meth:`connection_added`; returns None."""
        self.stopped = True
        error = ClientNotActiveError("the client was stopped")
        for registration in self.registrations.values():
            if not registration.active and registration.error is None:
                registration.error = error

    # -- helpers ----------------------------------------------------------------------------

    def _add_on(self, registration: Registration[C, L], connection: C, attempt: int) -> Optional[SendAdd[C, L]]:
        """An add of ``registration`` on ``connection`` unless it is there or on its way, or pointless."""
        if (
            registration.removed
            or registration.error is not None
            or connection in registration.entries
            or not connection.alive
        ):
            return None
        entry: Entry[C, L] = Entry(registration, connection, attempt)
        registration.entries[connection] = entry
        return SendAdd(entry, self.local_only)

    def _discard(self, registration: Registration[C, L]) -> List[Action[C, L]]:
        """Forget ``registration``; returns a :class:`SendRemove` for each entry a member confirmed."""
        if self.registrations.get(registration.id) is not registration:
            return []
        del self.registrations[registration.id]
        registration.removed = True
        entries = list(registration.entries.values())
        registration.entries.clear()
        return [SendRemove(entry) for entry in entries if entry.server_id is not None]
