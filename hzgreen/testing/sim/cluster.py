"""A simulated cluster: the scripted members (:mod:`hzgreen.testing.sim.peer`) and what they share."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional, Tuple

from hzgreen.protocol.codecs import map as map_codec
from hzgreen.runtime.schema_service import schema_from_wire
from hzgreen.serialization import partition_id as key_partition_id
from hzgreen.testing.sim.network import SimNetwork
from hzgreen.testing.sim.peer import ADDED, REMOVED, UPDATED, EntryRegistration, MemberConnection, SimMember
from hzgreen.testing.sim.scheduler import Simulation

__all__ = ["SimCluster"]


class SimCluster:
    """Scripted members sharing one cluster id, member list, partition table and maps.

    ``size`` members are created on ``host`` at ports ``base_port``, ``base_port + 1``...
    and started. Member uuids and the cluster id come from the simulation's seeded rng.
    """

    def __init__(
        self,
        sim: Simulation,
        network: SimNetwork,
        size: int = 1,
        cluster_name: str = "dev",
        partition_count: int = 271,
        host: str = "10.0.0.1",
        base_port: int = 5701,
    ) -> None:
        self.sim = sim
        self.network = network
        self.cluster_name = cluster_name
        self.partition_count = partition_count
        self.host = host
        self._next_port = base_port
        self.cluster_id = self.new_uuid()
        self.member_list_version = 0
        self.partition_list_version = 0
        self.members: List[SimMember] = []
        self.maps: Dict[str, Dict[bytes, bytes]] = {}
        self.registrations: List[EntryRegistration] = []
        #: Compact schemas the cluster knows, by schema id (wire form).
        self.schemas: Dict[int, Any] = {}
        #: Virtual seconds an entry listener registration takes before it is in place and answered
        #: (requests arriving meanwhile are served without it, as a real member's partition threads do).
        self.registration_delay = 0.0
        #: Sync backups each backup-aware ``Map.put/set/remove`` announces (see ``SimMember.backup_ack_delay``).
        self.backups = 0
        self.restarts = 0
        for _ in range(size):
            self.add_member(publish=False)
        self._bump_versions()

    def new_uuid(self) -> uuid.UUID:
        """A uuid drawn from the simulation's seeded rng."""
        return uuid.UUID(int=self.sim.rng.getrandbits(128), version=4)

    @property
    def addresses(self) -> List[str]:
        """``"host:port"`` of every member, for ``cluster_members``."""
        return [member.address_text for member in self.members]

    def member_at(self, address: str) -> SimMember:
        """The member listening on ``"host:port"``; KeyError when none does."""
        for member in self.members:
            if member.address_text == address:
                return member
        raise KeyError(address)

    # -- membership ------------------------------------------------------------------------

    def add_member(self, publish: bool = True) -> SimMember:
        """Start one more member and (by default) tell every view listener; returns it."""
        member = SimMember(self, (self.host, self._next_port))
        self._next_port += 1
        self.members.append(member)
        member.start()
        if publish:
            self._bump_versions()
            self.publish_views()
        return member

    def remove_member(self, member: SimMember) -> None:
        """Kill ``member``, drop it from the member list and tell the other members' view listeners."""
        member.kill()
        if member in self.members:
            self.members.remove(member)
        self._bump_versions()
        self.publish_views()

    def restart(self, downtime: float = 0.0) -> None:
        """Kill every member; after ``downtime`` virtual seconds they come back as a new cluster.

        The new cluster has a new id, new member uuids and empty maps.
        """
        for member in self.members:
            member.kill()
        self.registrations = []
        self.maps = {}
        self.schemas = {}
        self.restarts += 1

        def come_back() -> None:
            self.cluster_id = self.new_uuid()
            for member in self.members:
                member.uuid = self.new_uuid()
                member.paused = member.trickling = False
                member.start()
            self._bump_versions()

        if downtime > 0:
            self.sim.call_later(downtime, come_back)
        else:
            come_back()

    def _bump_versions(self) -> None:
        self.member_list_version += 1
        self.partition_list_version += 1

    def publish_views(self) -> None:
        """Send the current member list and partition table to every view listener."""
        for member in self.members:
            for connection in list(member.connections):
                member.send_views(connection)

    def partitions_view(self) -> List[Tuple[uuid.UUID, List[int]]]:
        """Partition ownership: partition ``p`` belongs to member ``p % len(members)``."""
        members = self.members
        if not members:
            return []
        owned: List[List[int]] = [[] for _ in members]
        for pid in range(self.partition_count):
            owned[pid % len(members)].append(pid)
        return [(member.uuid, pids) for member, pids in zip(members, owned)]

    def owner_of_key(self, key_data: bytes) -> SimMember:
        """The member owning the partition of a serialized key."""
        return self.members[key_partition_id(key_data, self.partition_count) % len(self.members)]

    def add_schema(self, wire_schema: Any) -> int:
        """Remember a Compact schema (as sent by a client); returns its schema id."""
        schema_id = schema_from_wire(wire_schema).schema_id
        self.schemas[schema_id] = wire_schema
        return schema_id

    # -- maps and events ---------------------------------------------------------------------

    def store(self, name: str, key: bytes, value: bytes) -> Optional[bytes]:
        """Put ``key -> value`` in map ``name``, fire ADDED/UPDATED; returns the old value."""
        entries = self.maps.setdefault(name, {})
        old = entries.get(key)
        entries[key] = value
        self._fire(name, key, value, old, UPDATED if old is not None else ADDED)
        return old

    def discard(self, name: str, key: bytes) -> Optional[bytes]:
        """Remove ``key`` from map ``name``, fire REMOVED if it was there; returns the old value."""
        old = self.maps.get(name, {}).pop(key, None)
        if old is not None:
            self._fire(name, key, None, old, REMOVED)
        return old

    def _fire(self, name: str, key: bytes, value: Optional[bytes], old: Optional[bytes], event_type: int) -> None:
        owner = self.owner_of_key(key)
        for registration in list(self.registrations):
            if registration.name != name or not registration.flags & event_type:
                continue
            connection = registration.connection
            if registration.local_only and connection.member is not owner:
                continue
            include = registration.include_value
            event = map_codec.encode_add_entry_listener_entry_event(
                key, value if include else None, old if include else None, None, event_type, owner.uuid, 1
            )
            event.set_correlation_id(registration.correlation_id)
            connection.send(event, connection.member.answer_delay)

    def forget_registrations(self, connection: MemberConnection) -> None:
        """Drop the entry listener registrations that lived on a closed connection."""
        self.registrations = [r for r in self.registrations if r.connection is not connection]
