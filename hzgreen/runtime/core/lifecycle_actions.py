"""What the connection lifecycle reads and what it returns: the shapes of its events and actions.

:mod:`hzgreen.runtime.core.lifecycle` holds the machine; this module holds the small
objects it exchanges with its driver. The protocols say what it reads of a connection and
of the member list; the steps answer the reconnect loop's "what next?"; the actions are
what the driver does after an event, in the order given. Every action is a frozen
dataclass; those without fields are module-level singletons.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Any, Generic, List, NamedTuple, Optional, Protocol, Sequence, Tuple, TypeVar, Union

from hzgreen.exceptions import HzTimeoutError
from hzgreen.runtime.core.backoff import BackoffOptions
from hzgreen.runtime.core.members import Member

__all__ = [
    "AUTH_STATUS",
    "CONNECT_MEMBERS",
    "CONNECT_ROUND",
    "LOOP_DONE",
    "MEMBER_RECONNECT_PERIOD",
    "RESEND_PARKED",
    "STARTED",
    "Action",
    "Address",
    "Announce",
    "Close",
    "ClosedAfterAuthentication",
    "ConnectMembers",
    "ConnectRound",
    "FailPending",
    "Failure",
    "GiveUp",
    "LifecycleOptions",
    "Link",
    "LoopDone",
    "Member",
    "MemberView",
    "Ping",
    "Refuse",
    "Removed",
    "Report",
    "ResendParked",
    "ResetClusterView",
    "StartConnecting",
    "Started",
    "Step",
    "Verdict",
    "WaitUntil",
    "WatchCluster",
    "address_text",
]

Address = Tuple[str, int]

#: Seconds between two looks for members the client has no connection to (smart routing).
MEMBER_RECONNECT_PERIOD = 1.0

#: Why a member refused the client, by the status of its authentication response.
AUTH_STATUS = {
    1: "credentials failed (wrong cluster name, user name or password)",
    2: "serialization version mismatch",
    3: "client not allowed in the cluster",
}


class ClosedAfterAuthentication(ConnectionError):
    """The connection was closed between its authentication response and its first use."""


# -- what the lifecycle reads -----------------------------------------------------------------


class Link(Protocol):
    """What the lifecycle reads of a connection (any hashable object with these attributes).

    ``last_read`` is when the last whole message arrived, ``last_write`` when bytes last
    went out, both on the driver's clock; ``close_reason`` is None while it is open.
    """

    @property
    def alive(self) -> bool: ...

    @property
    def member_uuid(self) -> Any: ...

    @property
    def address(self) -> Address: ...

    @property
    def last_read(self) -> float: ...

    @property
    def last_write(self) -> float: ...

    @property
    def close_reason(self) -> Optional[str]: ...


class MemberView(Protocol):
    """The member list; read only when the lifecycle needs it (``ClusterService`` is one)."""

    @property
    def members(self) -> Sequence[Member]: ...


class LifecycleOptions(BackoffOptions, Protocol):
    """The client options the lifecycle reads (``hzgreen.config.ClientConfig`` has them all)."""

    addresses: List[Tuple[str, int]]
    cluster_name: str
    smart_routing: bool
    heartbeat_timeout: float
    reconnect_mode: str


C = TypeVar("C", bound=Link)


# -- the reconnect loop's steps ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConnectRound:
    """Try the candidate addresses one after the other, until one connection is accepted."""


@dataclass(frozen=True, slots=True)
class WaitUntil:
    """Sleep until ``when`` (the driver's clock), then ask again."""

    when: float


@dataclass(frozen=True, slots=True)
class GiveUp:
    """``cluster_connect_timeout`` (``timeout`` seconds) ran out: stop trying.

    ``initial`` says the loop was started by ``start()`` (which then raises ``error()``);
    otherwise the client was reconnecting and is told it gave up.
    """

    initial: bool
    timeout: float

    def error(self, addresses: Sequence[Address]) -> HzTimeoutError:
        """The error ``start()`` raises, naming the ``addresses`` tried; returns it."""
        return HzTimeoutError(
            "could not connect to any of %s within cluster_connect_timeout=%.1f s"
            % (_addresses_text(addresses), self.timeout)
        )


@dataclass(frozen=True, slots=True)
class LoopDone:
    """The loop has nothing left to do (connected, or the client stopped); it is over."""


CONNECT_ROUND = ConnectRound()
LOOP_DONE = LoopDone()

Step = Union[ConnectRound, WaitUntil, GiveUp, LoopDone]


class Failure(enum.Enum):
    """How a connection attempt failed."""

    REFUSED = "refused"  # the member refused the client: credentials, cluster name, partition count
    UNRESOLVED = "unresolved"  # the host name did not resolve
    UNREACHABLE = "unreachable"  # refused, reset or timed out: a member that is down
    UNEXPECTED = "unexpected"  # anything else (a bug somewhere)


class Verdict(NamedTuple):
    """What came of a failed attempt: ``warn`` says it was logged as a WARNING (else DEBUG);
    ``stop``: end the loop, the failure being ``start()``'s error."""

    warn: bool
    stop: bool


# -- actions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Close(Generic[C]):
    """Close ``connection`` with ``reason``."""

    connection: C
    reason: str


@dataclass(frozen=True, slots=True)
class Refuse:
    """Do not use the connection: close it with ``reason`` (None: it is closed already) and raise ``error``."""

    reason: Optional[str]
    error: BaseException


@dataclass(frozen=True, slots=True)
class ResetClusterView:
    """The client reached another cluster (id ``current``, was ``previous``): forget the member list and partitions."""

    previous: Optional[uuid.UUID]
    current: uuid.UUID


@dataclass(frozen=True, slots=True)
class WatchCluster(Generic[C]):
    """Register the cluster view listener (member list, partition table) on ``connection``."""

    connection: C


@dataclass(frozen=True, slots=True)
class Announce(Generic[C]):
    """Tell the connection listeners that ``connection`` is usable."""

    connection: C


@dataclass(frozen=True, slots=True)
class Removed(Generic[C]):
    """Tell the connection listeners that ``connection`` is gone."""

    connection: C


@dataclass(frozen=True, slots=True)
class FailPending(Generic[C]):
    """Fail or retry the invocations waiting on ``connection``, which closed for ``reason``."""

    connection: C
    reason: str


@dataclass(frozen=True, slots=True)
class ResendParked:
    """Send the invocations parked while no connection was up."""


@dataclass(frozen=True, slots=True)
class Started:
    """The client has a connection: ``start()`` may return."""


@dataclass(frozen=True, slots=True)
class Report:
    """The client may have news: run the reporter (``may_block``: on a task that may wait)."""

    may_block: bool


@dataclass(frozen=True, slots=True)
class Ping(Generic[C]):
    """Send a heartbeat on ``connection`` (off the I/O loop: a full socket must not stall it)."""

    connection: C


@dataclass(frozen=True, slots=True)
class ConnectMembers:
    """Open a connection to each member that has none (smart routing), on a task."""


@dataclass(frozen=True, slots=True)
class StartConnecting:
    """Run the reconnect loop unless it runs already (``initial``: for ``start()``)."""

    initial: bool


RESEND_PARKED = ResendParked()
STARTED = Started()
CONNECT_MEMBERS = ConnectMembers()

Action = Union[
    Close[C],
    ResetClusterView,
    WatchCluster[C],
    Announce[C],
    Removed[C],
    FailPending[C],
    ResendParked,
    Started,
    Report,
    Ping[C],
    ConnectMembers,
    StartConnecting,
]


def address_text(address: Address) -> str:
    """``host:port``, for messages."""
    return "%s:%d" % (address[0], address[1])


def _addresses_text(addresses: Sequence[Address]) -> str:
    return ", ".join(address_text(address) for address in addresses)
