"""Load balancers: which member carries a request bound to no partition and no member.

The ``load_balancer`` option takes a :class:`LoadBalancer` (or any object with the same
``init(cluster_service)`` and ``next()`` methods); the default is a :class:`RoundRobinLB`
per client. It is consulted under smart routing only, as in the official client: a
unisocket client has a single connection. When the chosen member has no live connection
(or the balancer returns None or raises) the request goes to any live connection.
"""

from __future__ import annotations

import itertools
import logging
import random
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    List,
    Mapping,
    Optional,
    Protocol,
    Sequence,
    TypeVar,
    cast,
    runtime_checkable,
)

from hzgreen.protocol.custom import MemberInfo

if TYPE_CHECKING:
    import uuid

__all__ = ["AbstractLoadBalancer", "LoadBalancer", "RandomLB", "RoundRobinLB", "check_load_balancer", "choose"]

log = logging.getLogger("hzgreen.network.load_balancer")


class MemberSource(Protocol):
    """What a load balancer uses of the client's cluster service."""

    def get_members(self) -> List[MemberInfo]: ...

    def add_listener(
        self,
        member_added: Optional[Callable[[MemberInfo], Any]] = None,
        member_removed: Optional[Callable[[MemberInfo], Any]] = None,
        fire_for_existing: bool = False,
    ) -> Any: ...


@runtime_checkable
class LoadBalancer(Protocol):
    """The load balancer interface: ``init`` once with the cluster service, then ``next()`` per request."""

    def init(self, cluster_service: Any) -> None:
        """Start following ``cluster_service``'s members; returns None."""
        ...

    def next(self) -> Optional[MemberInfo]:
        """Returns the member for the next request, or None when no member is known."""
        ...


class AbstractLoadBalancer:
    """Keeps a copy of the member list, refreshed on every join and leave; subclasses pick from it."""

    def __init__(self) -> None:
        self._cluster_service: Optional[MemberSource] = None
        self._members: Sequence[MemberInfo] = ()

    def init(self, cluster_service: MemberSource) -> None:
        """Follow ``cluster_service``'s member list (present members included); returns None.

        The client's cluster service updates the copy itself, on the task that changes the
        member list; another source (or a subclass with its own ``_refresh``) is followed
        through membership listeners, on the callback worker.
        """
        self._cluster_service = cluster_service
        watch = getattr(cluster_service, "watch_members", None)
        if watch is not None and type(self)._refresh is AbstractLoadBalancer._refresh:
            watch(self._follow)
        else:
            cluster_service.add_listener(self._refresh, self._refresh, fire_for_existing=True)
        self._members = tuple(cluster_service.get_members())

    def _follow(self) -> None:
        service = self._cluster_service
        if service is not None:
            self._members = tuple(service.get_members())

    def _refresh(self, _member: MemberInfo) -> None:
        service = self._cluster_service
        if service is not None:
            self._members = tuple(service.get_members())

    def next(self) -> Optional[MemberInfo]:
        """Returns the next member; subclasses decide (this base class raises NotImplementedError)."""
        raise NotImplementedError


class RoundRobinLB(AbstractLoadBalancer):
    """Picks each member in turn (the default)."""

    def __init__(self) -> None:
        super().__init__()
        self._counter = itertools.count()  # next() on a count is atomic: no lock needed

    def next(self) -> Optional[MemberInfo]:
        """Returns the member after the one returned last, or None when no member is known."""
        members = self._members
        if not members:
            return None
        return members[next(self._counter) % len(members)]


class RandomLB(AbstractLoadBalancer):
    """Picks a member at random for each request."""

    def next(self) -> Optional[MemberInfo]:
        """Returns a random member, or None when no member is known."""
        members = self._members
        if not members:
            return None
        return members[random.randrange(len(members))]


def check_load_balancer(value: object) -> LoadBalancer:
    """Check the ``load_balancer`` option; returns it, or a new RoundRobinLB for None.

    Raises TypeError when ``value`` lacks a callable ``init`` or ``next``.
    """
    if value is None:
        return RoundRobinLB()
    if isinstance(value, type):
        raise TypeError("load_balancer must be an instance, e.g. %s(), got the class itself" % value.__name__)
    if not (callable(getattr(value, "init", None)) and callable(getattr(value, "next", None))):
        raise TypeError(
            "load_balancer must be a LoadBalancer (an object with init(cluster_service) and next()), got %r" % (value,)
        )
    return cast(LoadBalancer, value)


class _Live(Protocol):
    @property
    def alive(self) -> bool: ...


ConnectionT = TypeVar("ConnectionT", bound=_Live)


def choose(
    balancer: Optional[LoadBalancer], by_member: Mapping["uuid.UUID", ConnectionT], active: Sequence[ConnectionT]
) -> ConnectionT:
    """The connection for a request bound to no partition: the live one to the member ``balancer`` picks.

    Returns that, or (no balancer, no pick, no live connection to it) one of ``active``
    (which must not be empty) at random. A balancer that raises is logged and ignored.
    """
    if len(active) == 1 or balancer is None:
        return active[0] if len(active) == 1 else random.choice(active)
    try:
        member = balancer.next()
    except Exception:
        log.exception("load balancer %r failed; using any connection", balancer)
        member = None
    if member is not None:
        connection = by_member.get(member.uuid)
        if connection is not None and connection.alive:
            return connection
    return random.choice(active)
