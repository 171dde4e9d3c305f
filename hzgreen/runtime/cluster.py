"""What the client knows of the cluster: its members and who owns which partition.

Both views come from the cluster view listener's events. The partition table decides
where smart routing sends a key's operations; its hash rule lives in serialization.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple

from hzgreen.protocol.custom import MemberInfo
from hzgreen.serialization import partition_id as data_partition_id

if TYPE_CHECKING:
    from hzgreen.handler_types import Handler

log = logging.getLogger("hzgreen.runtime.cluster")

#: ``listener(member)``, called on the callback worker.
MemberListener = Callable[[MemberInfo], Any]


class MembershipEvent:
    """A member joined or left the cluster."""

    __slots__ = ("member", "added")

    def __init__(self, member: MemberInfo, added: bool) -> None:
        self.member = member
        self.added = added

    def __repr__(self) -> str:
        return "MembershipEvent(%s, %s)" % ("added" if self.added else "removed", self.member)


class ClusterService:
    """The member list, newest version wins; reports joins and leaves to listeners."""

    def __init__(self, handler: "Handler") -> None:
        self._handler = handler
        self._members: Dict[uuid.UUID, MemberInfo] = {}
        self._version = -1
        self._listeners: Dict[int, Tuple[Optional[MemberListener], Optional[MemberListener]]] = {}
        self._next_listener_id = 0
        self._initial = handler.event_object()
        self._listeners_lock = handler.lock_object()  # keeps a fire_for_existing registration and a view change apart
        self._observers: List[Callable[[], None]] = []

    @property
    def members(self) -> List[MemberInfo]:
        """The current members (a new list)."""
        return list(self._members.values())

    def get_members(self, member_selector: Optional[Callable[[MemberInfo], bool]] = None) -> List[MemberInfo]:
        """The current members ``member_selector(member)`` accepts (all without a selector); a new list."""
        members = list(self._members.values())
        return members if member_selector is None else [m for m in members if member_selector(m)]

    def get_member(self, member_uuid: uuid.UUID) -> Optional[MemberInfo]:
        """The member with that uuid, or None if it is not in the member list."""
        return self._members.get(member_uuid)

    def wait_initial_member_list(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the first member list; returns whether it came."""
        return bool(self._initial.wait(timeout))

    def add_listener(
        self,
        member_added: Optional[MemberListener] = None,
        member_removed: Optional[MemberListener] = None,
        fire_for_existing: bool = False,
    ) -> int:
        """Call ``member_added(member)`` / ``member_removed(member)`` on the callback worker; returns the registration id.

        With ``fire_for_existing``, ``member_added`` is first called for every current
        member. Raises TypeError if a function is neither callable nor None.
        """
        for func in (member_added, member_removed):
            if func is not None and not callable(func):
                raise TypeError("membership listener functions must be callable or None, got %r" % (func,))
        with self._listeners_lock:
            self._next_listener_id += 1
            self._listeners[self._next_listener_id] = (member_added, member_removed)
            if fire_for_existing and member_added is not None:
                for member in self._members.values():
                    self._handler.dispatch_callback(member_added, member)
            return self._next_listener_id

    def watch_members(self, observer: Callable[[], None]) -> None:
        """Call ``observer()`` after every change of the member list, on the task that made the
        change (the I/O loop), before any membership listener hears of it. It must be quick and
        must not block or take this service's locks; what it raises is logged. Returns None.
        """
        self._observers.append(observer)

    def unlink(self) -> None:
        """Forget the member-list observers (the load balancer, the CP subsystem), which point
        back into the client (it was closed: see ``HzClient.close``). Returns None."""
        self._observers.clear()

    def remove_listener(self, registration_id: int) -> bool:
        """Forget a listener; returns whether it was registered."""
        with self._listeners_lock:
            return self._listeners.pop(registration_id, None) is not None

    def reset(self) -> None:
        """Forget the view (the client reconnected to a different cluster); returns None."""
        self._version = -1

    def handle_members_view(self, version: int, member_infos: Sequence[MemberInfo]) -> List[MembershipEvent]:
        """Take a member list newer than the one held; returns the joins and leaves (reported to the listeners)."""
        with self._listeners_lock:
            if version <= self._version and self._members:
                return []
            self._version = version
            new = {member.uuid: member for member in member_infos}
            events = [MembershipEvent(m, False) for uuid, m in self._members.items() if uuid not in new]
            events += [MembershipEvent(m, True) for uuid, m in new.items() if uuid not in self._members]
            self._members = new
            self._initial.set()
            if events:
                for observer in self._observers:
                    try:
                        observer()
                    except Exception:
                        log.exception("error in the member list observer %r", observer)
            for event in events:
                for added, removed in list(self._listeners.values()):
                    func = added if event.added else removed
                    if func is not None:
                        self._handler.dispatch_callback(func, event.member)
        return events


class PartitionService:
    """Partition count (fixed per cluster) and the partition → member table."""

    #: Keys whose partition id is remembered (about 1.5 MiB of small keys at most); a
    #: working set beyond it pays the pure-Python MurmurHash3 (~4 µs) per operation.
    CACHE_LIMIT = 16384

    def __init__(self) -> None:
        self.partition_count = 0
        self._owners: List[Optional[uuid.UUID]] = []
        # Hashing a key costs microseconds in pure Python; hot keys repeat, so remember them.
        self._cache: Dict[bytes, int] = {}
        self._version = -1
        self._source: object = None

    def reset(self) -> None:
        """Forget the partition table (the client reconnected to a different cluster); returns None."""
        self._owners = []
        self._version = -1
        self._source = None

    def set_partition_count(self, count: int) -> bool:
        """Fix the count on first contact; False when a member reports another count."""
        if self.partition_count == 0:
            self.partition_count = count
            self._cache.clear()
            return True
        return self.partition_count == count

    def handle_partitions_view(
        self, source: object, version: int, partitions: Sequence[Tuple[Optional[uuid.UUID], Sequence[int]]]
    ) -> None:
        """Take the partition table ``source`` sent, unless it is older than the one held; returns None.

        ``source`` names the connection that sent it (its ``connection_id``): a version
        only orders the tables of one connection. An id, not the connection, so that the
        table does not keep a closed connection (and what it points to) alive.
        """
        if not partitions:
            return
        if source == self._source and version <= self._version:
            return
        count = self.partition_count
        owners: List[Optional[uuid.UUID]] = [None] * count
        for member_uuid, partition_ids in partitions:
            if partition_ids and 0 <= min(partition_ids) and max(partition_ids) < count:
                for pid in partition_ids:  # the usual case: checked once per member, not per id
                    owners[pid] = member_uuid
            else:
                for pid in partition_ids:
                    if 0 <= pid < count:
                        owners[pid] = member_uuid
        self._owners = owners
        self._version = version
        self._source = source

    def owner_of(self, partition_id: int) -> Optional[uuid.UUID]:
        """The uuid of the member owning the partition, or None if unknown."""
        owners = self._owners
        if 0 <= partition_id < len(owners):
            return owners[partition_id]
        return None

    def partition_id_of(self, data: bytes) -> int:
        """The partition a serialized key belongs to (as Java's ``HashUtil.hashToIndex``)."""
        cache = self._cache
        pid = cache.get(data)
        if pid is None:
            pid = data_partition_id(data, self.partition_count)
            if len(cache) >= self.CACHE_LIMIT:
                cache.clear()
            cache[data] = pid
        return pid
