"""Compact schemas across a cluster restart, and fetched by a client that never saw them."""

from __future__ import annotations

import pytest

from hzgreen import HzState
from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import CompactSerializer


class Point:
    def __init__(self, x: int = 0, y: int = 0) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and vars(self) == vars(other)


class PointSerializer(CompactSerializer):
    def read(self, reader):
        return Point(reader.read_int32("x"), reader.read_int32("y"))

    def write(self, writer, obj):
        writer.write_int32("x", obj.x)
        writer.write_int32("y", obj.y)

    def get_class(self):
        return Point

    def get_type_name(self):
        return "Point"


def test_schemas_are_resent_to_a_restarted_cluster_before_connected(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, compact_serializers=[PointSerializer()])
    m = client.get_map("points")
    m.put("a", Point(1, 2))
    assert len(cluster.schemas) == 1
    member = cluster.members[0]
    assert [name for _, _, name in member.received].count("Client.sendSchema") == 1
    restarted_at = sim.now
    cluster.restart(downtime=5.0)
    assert sim.sim.run_until(
        lambda: (
            client.state == HzState.CONNECTED and client.sim_log.first(HzState.LOST, after=restarted_at) is not None
        ),
        timeout=120.0,
    )
    assert len(cluster.schemas) == 1  # re-sent to the new cluster
    after = [name for when, _, name in member.received if when > restarted_at]
    assert "Client.sendAllSchemas" in after
    connected = client.sim_log.first(HzState.CONNECTED, after=restarted_at)
    sent = [when for when, _, name in member.received if name == "Client.sendAllSchemas" and when > restarted_at]
    assert sent[0] <= connected
    m.put("b", Point(3, 4))
    assert [name for _, _, name in member.received].count("Client.sendSchema") == 1  # nothing sent twice


def test_reader_without_the_schema_fetches_it(sim, sim_client):
    cluster = sim.cluster()
    writer = sim_client(cluster, compact_serializers=[PointSerializer()])
    writer.get_map("points").put("a", Point(5, 6))
    reader = sim_client(cluster, compact_serializers=[PointSerializer()])
    assert reader.get_map("points").get("a") == Point(5, 6)
    assert [name for _, _, name in cluster.members[0].received].count("Client.fetchSchema") == 1
    cluster.schemas.clear()  # a value whose schema the cluster lost
    third = sim_client(cluster, compact_serializers=[PointSerializer()])
    with pytest.raises(HzSerializationError, match="schema"):
        third.get_map("points").get("a")
