"""Waiting until the client holds a connection to each of some members.

A request that acts on the member it reaches, not on the cluster (an executor's shutdown,
for one), must go over each member's own connection. Right after a client starts, or
after a member joins, smart routing may still be opening some of them; this waits for
those, with a bound, instead of sending through whichever connection is up.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Collection, Dict

if TYPE_CHECKING:
    from hzgreen.handler_types import Handler
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.connection_manager import ConnectionManager


class _Arrivals:
    """A connection listener collecting the connections of the wanted members; ``complete`` is set once all arrived."""

    def __init__(self, handler: "Handler", wanted: Collection[uuid.UUID]) -> None:
        self._wanted = set(wanted)
        self.found: Dict[uuid.UUID, "Connection"] = {}
        self.complete = handler.event_object()
        if not self._wanted:
            self.complete.set()

    def offer(self, connection: "Connection") -> None:
        member = connection.member_uuid
        if member is not None and member in self._wanted and connection.alive:
            self.found[member] = connection
            if len(self.found) == len(self._wanted):
                self.complete.set()

    def connection_added(self, connection: "Connection") -> None:
        self.offer(connection)

    def connection_removed(self, connection: "Connection") -> None:
        member = connection.member_uuid
        if member is not None and self.found.get(member) is connection:
            del self.found[member]


def wait_for_member_connections(
    connections: "ConnectionManager", handler: "Handler", members: Collection[uuid.UUID], timeout: float
) -> Dict[uuid.UUID, "Connection"]:
    """The live connection to each of ``members``, waiting up to ``timeout`` seconds for missing ones.

    Asks the connection manager to open the missing connections (smart routing only; without
    it no more will come, and the wait returns at once). Returns the connections found by
    then, by member uuid: a member still without one is absent from the result. Blocks the
    calling task; never raises for a missing connection.
    """
    arrivals = _Arrivals(handler, members)
    connections.add_connection_listener(arrivals)
    try:
        for connection in connections.active_connections:
            arrivals.offer(connection)
        if not arrivals.complete.is_set() and connections.smart_routing:
            connections.connect_to_members()
            arrivals.complete.wait(timeout)
        return {member: conn for member, conn in list(arrivals.found.items()) if conn.alive}
    finally:
        connections.remove_connection_listener(arrivals)
