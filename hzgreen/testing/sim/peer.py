"""Scripted members: just enough of a Hazelcast member to exercise the client's runtime.

A :class:`~hzgreen.testing.sim.cluster.SimCluster` holds what members share (cluster id,
member list, partition table, map contents, entry listener registrations); each
:class:`SimMember` listens on one address of the
:class:`~hzgreen.testing.sim.network.SimNetwork` and answers, with the generated codecs'
member-side encoders: authentication, the cluster view listener (member list and
partition table events), ping, proxy creation, Compact schemas (send, send all, fetch),
``Map.put/set/get/remove``, entry listeners (with events) and their removal. Anything
else gets an ``UnsupportedOperation`` error response.

Faults on command: :meth:`SimMember.pause`/:meth:`~SimMember.resume` (stop reading and
writing, then catch up), :meth:`~SimMember.drop_connections`, :meth:`~SimMember.kill`
and :meth:`~SimMember.start`, :meth:`~SimMember.trickle` (a byte of a never-finished
frame now and then, nothing else), ``answer_delay`` (every answer late),
``auth_then_drop`` (accept the authentication, then close the connection), and
:meth:`SimCluster.restart <hzgreen.testing.sim.cluster.SimCluster.restart>` (a new cluster id).

Backup acks: with ``SimCluster.backups = n``, a BACKUP_AWARE ``Map.put/set/remove``
announces ``n`` backups in its response and each of the next ``n`` members sends the
client a backup event on its connection that registered ``Client.localBackupListener``,
after its ``backup_ack_delay`` (None: never), ``backup_ack_copies`` times.
"""

from __future__ import annotations

import struct
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.protocol.codecs.error import encode_error
from hzgreen.protocol.custom import Address, ErrorHolder, MemberInfo, MemberVersion
from hzgreen.protocol.message import ClientMessage
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.testing.sim.network import PeerLink, SimNetwork
from hzgreen.testing.sim.scheduler import Simulation

if TYPE_CHECKING:
    from hzgreen.testing.sim.cluster import SimCluster

__all__ = ["ADDED", "REMOVED", "UPDATED", "SimMember", "message_type_name"]

PREAMBLE = b"CP2"
UNSUPPORTED_OPERATION = 61
#: Entry event types (the protocol's listener flags).
ADDED, REMOVED, UPDATED = 1, 2, 4


def _type_names() -> Dict[int, str]:
    names: Dict[int, str] = {}
    for module, service in ((client_codec, "Client"), (map_codec, "Map")):
        for attribute, value in vars(module).items():
            if attribute.endswith("_REQUEST_TYPE") and isinstance(value, int):
                words = attribute[: -len("_REQUEST_TYPE")].lower().split("_")
                names[value] = "%s.%s" % (service, words[0] + "".join(w.title() for w in words[1:]))
    return names


_NAMES = _type_names()


def message_type_name(message_type: int) -> str:
    """``"Map.put"`` for Map.put's request type; a hex number for types the peers do not know."""
    return _NAMES.get(message_type, "0x%06x" % message_type)


class EntryRegistration:
    __slots__ = ("connection", "correlation_id", "name", "flags", "include_value", "local_only", "server_id")

    def __init__(
        self,
        connection: "MemberConnection",
        correlation_id: int,
        request: "map_codec.AddEntryListenerRequest",
        server_id: uuid.UUID,
    ) -> None:
        self.connection = connection
        self.correlation_id = correlation_id
        self.name = request["name"]
        self.flags = request["listener_flags"]
        self.include_value = request["include_value"]
        self.local_only = request["local_only"]
        self.server_id = server_id


class MemberConnection:
    """One client connection as a member sees it: preamble, framing, pause buffers."""

    def __init__(self, member: "SimMember", link: PeerLink) -> None:
        self.member = member
        self.link = link
        self.link_id = link.link_id
        self.authenticated = False
        self.view_listener: Optional[int] = None  # correlation id of the cluster view listener
        self.backup_listener: Optional[int] = None  # correlation id of Client.localBackupListener
        self.client_uuid: Optional[uuid.UUID] = None
        self._preamble = b""
        self._reader = ClientMessageReader()
        self._held_in: List[bytes] = []
        self._held_out: List[bytes] = []
        link.on_data = self._on_data
        link.on_close = self._on_close

    @property
    def open(self) -> bool:
        return self.link.open

    def _on_data(self, data: bytes) -> None:
        member = self.member
        if member.trickling:
            return  # read and ignored
        if member.paused:
            self._held_in.append(data)
            return
        self._consume(data)

    def _consume(self, data: bytes) -> None:
        if len(self._preamble) < len(PREAMBLE):
            take = len(PREAMBLE) - len(self._preamble)
            self._preamble += data[:take]
            data = data[take:]
            if len(self._preamble) == len(PREAMBLE) and self._preamble != PREAMBLE:
                self.link.reset()
                return
        if not data:
            return
        try:
            messages = self._reader.feed(data)
        except ProtocolError:
            self.link.reset()
            return
        for message in messages:
            if not self.link.open:
                return
            self.member._handle(self, message)

    def _on_close(self) -> None:
        self.member._connection_closed(self)

    def send(self, message: ClientMessage, delay: float = 0.0) -> None:
        """Send ``message`` now, after ``delay`` virtual seconds, or at resume while paused."""
        data = message.to_bytes()
        if delay > 0:
            self.member.sim.call_later(delay, self._send_bytes, data)
        else:
            self._send_bytes(data)

    def _send_bytes(self, data: bytes) -> None:
        if self.member.paused:
            self._held_out.append(data)
        elif not self.member.trickling:
            self.link.send(data)

    def resume(self) -> None:
        held_in, self._held_in = self._held_in, []
        held_out, self._held_out = self._held_out, []
        for data in held_out:
            self.link.send(data)
        for data in held_in:
            if self.link.open:
                self._consume(data)

    def close(self) -> None:
        self.link.close()

    def reset(self) -> None:
        self.link.reset()


class SimMember:
    """One scripted member; see the module docstring for what it answers and its faults."""

    def __init__(self, cluster: "SimCluster", address: Tuple[str, int]) -> None:
        self.cluster = cluster
        self.sim: Simulation = cluster.sim
        self.network: SimNetwork = cluster.network
        self.address = address
        self.uuid = cluster.new_uuid()
        self.up = False
        self.paused = False
        self.trickling = False
        #: Seconds after a successful authentication at which the member closes that
        #: connection (0: right behind the response); None: it does not.
        self.auth_then_drop: Optional[float] = None
        #: Seconds every answer (response or event) is held back; per request type in ``answer_delay_for``.
        self.answer_delay = 0.0
        self.answer_delay_for: Dict[int, float] = {}
        #: Refuse authentication with this status (1 = wrong credentials) when not None.
        self.auth_status: Optional[int] = None
        self.connections: List[MemberConnection] = []
        #: ``(virtual time, link id, request name)`` of every request handled.
        self.received: List[Tuple[float, int, str]] = []
        self.auth_count = 0
        #: Virtual time each connection (by link id) got its first entry listener registration.
        self.registered_at: Dict[int, float] = {}
        self._trickle_timer: Any = None
        #: Seconds before this member, as a backup, acknowledges a backup-aware call (None: never).
        self.backup_ack_delay: Optional[float] = 0.0
        #: How many backup events it sends per acknowledgement (2: a duplicate).
        self.backup_ack_copies = 1

    @property
    def address_text(self) -> str:
        return "%s:%d" % self.address

    def member_info(self) -> MemberInfo:
        return MemberInfo(Address(self.address[0], self.address[1]), self.uuid, False, {}, MemberVersion(5, 4, 0), {})

    # -- lifecycle and faults ------------------------------------------------------------

    def start(self) -> None:
        """Listen for connections (again)."""
        self.up = True
        self.network.listen(self.address, self._accept)

    def kill(self) -> None:
        """Stop listening and reset every connection (a crashed member)."""
        self.up = False
        self.network.unlisten(self.address)
        self.stop_trickling()
        for connection in list(self.connections):
            connection.reset()

    def shutdown(self) -> None:
        """Stop listening and close every connection gracefully."""
        self.up = False
        self.network.unlisten(self.address)
        for connection in list(self.connections):
            connection.close()

    def drop_connections(self) -> None:
        """Close every client connection; keep listening."""
        for connection in list(self.connections):
            connection.close()

    def pause(self) -> None:
        """Stop reading and answering (a stopped JVM); connections stay open."""
        self.paused = True

    def resume(self) -> None:
        """Catch up: send what was held back, then handle what arrived meanwhile."""
        self.paused = False
        for connection in list(self.connections):
            connection.resume()

    def trickle(self, interval: float = 0.3) -> None:
        """From now on answer nothing; send one byte of a never-finished 4 KiB frame every ``interval``."""
        self.trickling = True
        partial = struct.pack("<iH", 4096, 0xC000) + bytes(4090)
        position = {connection: 0 for connection in self.connections}

        def drip() -> None:
            if not self.trickling:
                return
            for connection, offset in list(position.items()):
                if connection.open and offset < len(partial):
                    connection.link.send(partial[offset : offset + 1])
                    position[connection] = offset + 1
            self._trickle_timer = self.sim.call_later(interval, drip)

        drip()

    def stop_trickling(self) -> None:
        self.trickling = False
        if self._trickle_timer is not None:
            self._trickle_timer.cancel()
            self._trickle_timer = None

    def requests(self, name: Optional[str] = None) -> List[Tuple[float, int, str]]:
        """The handled requests, optionally only those named ``name`` (e.g. ``"Map.put"``)."""
        return [entry for entry in self.received if name is None or entry[2] == name]

    # -- connections ------------------------------------------------------------------------

    def _accept(self, link: PeerLink) -> None:
        self.connections.append(MemberConnection(self, link))

    def _connection_closed(self, connection: MemberConnection) -> None:
        if connection in self.connections:
            self.connections.remove(connection)
        self.cluster.forget_registrations(connection)

    # -- requests -----------------------------------------------------------------------------

    def _handle(self, connection: MemberConnection, message: ClientMessage) -> None:
        message_type = message.get_message_type()
        self.received.append((self.sim.now, connection.link_id, message_type_name(message_type)))
        delay = self.answer_delay_for.get(message_type, self.answer_delay)
        correlation_id = message.get_correlation_id()
        if message_type != client_codec.AUTHENTICATION_REQUEST_TYPE and not connection.authenticated:
            connection.reset()
            return
        handler = _HANDLERS.get(message_type)
        if handler is None:
            holder = ErrorHolder(
                UNSUPPORTED_OPERATION,
                "java.lang.UnsupportedOperationException",
                "the simulated member does not serve %s" % message_type_name(message_type),
                [],
            )
            connection.send(encode_error([holder], correlation_id), delay)
            return
        response = handler(self, connection, message)
        if response is not None:
            response.set_correlation_id(correlation_id)
            if self.cluster.backups and message.is_backup_aware() and message_type in _BACKED_UP:
                self._send_backup_acks(connection, response, correlation_id)
            connection.send(response, delay)

    def _send_backup_acks(self, connection: MemberConnection, response: ClientMessage, correlation_id: int) -> None:
        """Announce the backups in ``response`` and have each backup member acknowledge them."""
        members = self.cluster.members
        index = members.index(self)
        backups = [
            members[(index + i) % len(members)] for i in range(1, min(self.cluster.backups, len(members) - 1) + 1)
        ]
        content = bytearray(response.frames[0].content)
        content[12] = len(backups)
        response.frames[0].content = content
        for backup in backups:
            targets = [
                c
                for c in backup.connections
                if c.client_uuid == connection.client_uuid and c.backup_listener is not None and c.open
            ]
            if backup.backup_ack_delay is None or not targets:
                continue
            for _ in range(backup.backup_ack_copies):
                event = client_codec.encode_local_backup_listener_backup_event(correlation_id)
                event.set_correlation_id(targets[0].backup_listener)  # type: ignore[arg-type]
                targets[0].send(event, backup.backup_ack_delay)

    def _local_backup_listener(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        connection.backup_listener = message.get_correlation_id()
        return client_codec.encode_local_backup_listener_response(self.cluster.new_uuid())

    def _authenticate(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = client_codec.decode_authentication_request(message)
        cluster = self.cluster
        status = self.auth_status
        if status is None:
            status = 0 if request["cluster_name"] == cluster.cluster_name else 1
        self.auth_count += 1
        response = client_codec.encode_authentication_response(
            status,
            Address(self.address[0], self.address[1]),
            self.uuid,
            1,
            "5.4.0",
            cluster.partition_count,
            cluster.cluster_id,
            False,
        )
        if status == 0:
            connection.authenticated = True
            connection.client_uuid = request["uuid"]
            if self.auth_then_drop is not None:
                response.set_correlation_id(message.get_correlation_id())
                connection.send(response)
                if self.auth_then_drop > 0:
                    self.sim.call_later(self.auth_then_drop, connection.close)
                else:
                    connection.close()
                return None  # type: ignore[return-value]
        return response

    def _add_cluster_view_listener(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        connection.view_listener = message.get_correlation_id()
        response = client_codec.encode_add_cluster_view_listener_response()
        response.set_correlation_id(message.get_correlation_id())
        connection.send(response, self.answer_delay)
        self.send_views(connection)
        return None  # type: ignore[return-value]

    def send_views(self, connection: MemberConnection) -> None:
        """Send the member list and partition table to a connection that listens for them."""
        correlation_id = connection.view_listener
        if correlation_id is None:
            return
        cluster = self.cluster
        members = client_codec.encode_add_cluster_view_listener_members_view_event(
            cluster.member_list_version, [m.member_info() for m in cluster.members]
        )
        partitions = client_codec.encode_add_cluster_view_listener_partitions_view_event(
            cluster.partition_list_version, cluster.partitions_view()
        )
        for event in (members, partitions):
            event.set_correlation_id(correlation_id)
            connection.send(event, self.answer_delay)

    def _send_schema(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        self.cluster.add_schema(client_codec.decode_send_schema_request(message)["schema"])
        return client_codec.encode_send_schema_response([member.uuid for member in self.cluster.members])

    def _send_all_schemas(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        for schema in client_codec.decode_send_all_schemas_request(message)["schemas"]:
            self.cluster.add_schema(schema)
        return client_codec.encode_send_all_schemas_response()

    def _fetch_schema(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        schema_id = client_codec.decode_fetch_schema_request(message)["schema_id"]
        return client_codec.encode_fetch_schema_response(self.cluster.schemas.get(schema_id))

    def _ping(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        return client_codec.encode_ping_response()

    def _create_proxy(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        return client_codec.encode_create_proxy_response()

    def _map_put(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = map_codec.decode_put_request(message)
        old = self.cluster.store(request["name"], request["key"], request["value"])
        return map_codec.encode_put_response(old)

    def _map_set(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = map_codec.decode_set_request(message)
        self.cluster.store(request["name"], request["key"], request["value"])
        return map_codec.encode_set_response()

    def _map_get(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = map_codec.decode_get_request(message)
        return map_codec.encode_get_response(self.cluster.maps.get(request["name"], {}).get(request["key"]))

    def _map_remove(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = map_codec.decode_remove_request(message)
        return map_codec.encode_remove_response(self.cluster.discard(request["name"], request["key"]))

    def _add_entry_listener(self, connection: MemberConnection, message: ClientMessage) -> Optional[ClientMessage]:
        """Register an entry listener; the answer is sent by the registration itself: returns None."""
        request = map_codec.decode_add_entry_listener_request(message)
        cluster = self.cluster
        server_id = cluster.new_uuid()
        registration = EntryRegistration(connection, message.get_correlation_id(), request, server_id)
        response = map_codec.encode_add_entry_listener_response(server_id)
        response.set_correlation_id(message.get_correlation_id())

        def take_effect() -> None:
            # As on a real member, the registration is in place when the answer leaves.
            if connection.open:
                cluster.registrations.append(registration)
                self.registered_at.setdefault(connection.link_id, self.sim.now)
            connection.send(response, self.answer_delay)

        if cluster.registration_delay > 0:
            self.sim.call_later(cluster.registration_delay, take_effect)
        else:
            take_effect()
        return None

    def _remove_entry_listener(self, connection: MemberConnection, message: ClientMessage) -> ClientMessage:
        request = map_codec.decode_remove_entry_listener_request(message)
        registrations = self.cluster.registrations
        found = [r for r in registrations if r.server_id == request["registration_id"]]
        for registration in found:
            registrations.remove(registration)
        return map_codec.encode_remove_entry_listener_response(bool(found))


_HANDLERS: Dict[int, Callable[[SimMember, MemberConnection, ClientMessage], Optional[ClientMessage]]] = {
    client_codec.AUTHENTICATION_REQUEST_TYPE: SimMember._authenticate,
    client_codec.ADD_CLUSTER_VIEW_LISTENER_REQUEST_TYPE: SimMember._add_cluster_view_listener,
    client_codec.PING_REQUEST_TYPE: SimMember._ping,
    client_codec.SEND_SCHEMA_REQUEST_TYPE: SimMember._send_schema,
    client_codec.SEND_ALL_SCHEMAS_REQUEST_TYPE: SimMember._send_all_schemas,
    client_codec.FETCH_SCHEMA_REQUEST_TYPE: SimMember._fetch_schema,
    client_codec.CREATE_PROXY_REQUEST_TYPE: SimMember._create_proxy,
    map_codec.PUT_REQUEST_TYPE: SimMember._map_put,
    map_codec.SET_REQUEST_TYPE: SimMember._map_set,
    map_codec.GET_REQUEST_TYPE: SimMember._map_get,
    map_codec.REMOVE_REQUEST_TYPE: SimMember._map_remove,
    map_codec.ADD_ENTRY_LISTENER_REQUEST_TYPE: SimMember._add_entry_listener,
    map_codec.REMOVE_ENTRY_LISTENER_REQUEST_TYPE: SimMember._remove_entry_listener,
    client_codec.LOCAL_BACKUP_LISTENER_REQUEST_TYPE: SimMember._local_backup_listener,
}
#: The requests a member backs up (see ``SimCluster.backups``).
_BACKED_UP = {map_codec.PUT_REQUEST_TYPE, map_codec.SET_REQUEST_TYPE, map_codec.REMOVE_REQUEST_TYPE}
