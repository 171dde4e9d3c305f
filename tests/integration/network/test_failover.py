"""Blue/green failover between two real clusters: when every member of the cluster the client uses dies,
the client moves to the next cluster of its failover list (LOST, then CONNECTED), its map listener fires
there, its Compact schemas are there, and its CP session, lock and AtomicLong start afresh there."""

import uuid

import pytest

from hzgreen import HzClient, HzState
from hzgreen.serialization import api as ser
from hzgreen.testing import Cluster
from hzgreen.testing.plugin import make_handler
from tests.integration.private_cluster import keep_workdir

pytestmark = [pytest.mark.slow, pytest.mark.fault]


class Point:
    def __init__(self, x, label):
        self.x = x
        self.label = label


class PointSerializer(ser.CompactSerializer):
    def read(self, reader):
        return Point(reader.read_int32("x"), reader.read_string("label"))

    def write(self, writer, obj):
        writer.write_int32("x", obj.x)
        writer.write_string("label", obj.label)

    def get_class(self):
        return Point

    def get_type_name(self):
        return "FailoverPoint"


@pytest.fixture(scope="module")
def blue_green(request):
    """Two one-member clusters of this module's own with different names: ``(blue, green)``."""
    suffix = uuid.uuid4().hex[:8]
    clusters = [
        Cluster(members=1, cluster_name="%s-%s" % (color, suffix), keep_workdir=keep_workdir(request))
        for color in ("blue", "green")
    ]
    try:
        for cluster in clusters:
            cluster.start()
        yield clusters
    finally:
        for cluster in clusters:
            cluster.close()


def failover_options(blue, green, **common):
    """The client options of a failover client of ``blue`` then ``green`` (``common`` in both)."""
    configs = [
        dict(cluster_name=cluster.cluster_name, cluster_members=cluster.addresses, **common)
        for cluster in (blue, green)
    ]
    return dict(configs[0], failover={"client_configs": configs, "try_count": 100})


def test_client_moves_to_the_next_cluster_when_its_cluster_dies(
    blue_green, hz_client_factory, hz_handler_name, unique_name
):
    blue, green = blue_green
    blue.ensure_running()
    green.ensure_running()
    client = hz_client_factory(
        **failover_options(
            blue, green, retry_initial_backoff=0.2, retry_max_backoff=1.0, compact_serializers=[PointSerializer()]
        )
    )
    assert client._connections.active_connections[0].remote_address[1] == blue.port(0)
    states = []
    moved = client.handler.event_object()

    def on_state(state):
        states.append(state)
        if state == HzState.CONNECTED and HzState.LOST in states:
            moved.set()

    client.add_listener(on_state)
    m = client.get_map(unique_name)
    added = []
    fired = client.handler.event_object()

    def on_added(event):
        added.append(event.key)
        if event.key == "after":
            fired.set()

    m.add_entry_listener(include_value=True, added_func=on_added)
    m.put("before", Point(1, "blue"))
    schema_id = client.serialization.compact.schemas()[0].schema_id
    counter = client.cp.get_atomic_long(unique_name)
    assert counter.add_and_get(5) == 5
    lock = client.cp.get_lock(unique_name)
    blue_fence = lock.lock()
    lock.unlock()

    blue.kill_all()
    assert moved.wait(120), states
    assert states[:3] == [HzState.SUSPENDED, HzState.LOST, HzState.CONNECTED], states
    assert [c.remote_address[1] for c in client._connections.active_connections] == [green.port(0)]

    # the schemas were re-sent: a client of green that never wrote a Point can fetch the schema
    other = hz_client_factory(cluster=green)
    outcome = other.handler.async_result()
    other.schemas.fetch(schema_id, lambda error: outcome.set(error))
    assert outcome.get(timeout=30) is None
    assert other.serialization.compact.get_schema(schema_id).type_name == "FailoverPoint"

    # the map listener registered on blue was registered again on green
    assert m.get("before") is None  # green never had blue's data
    m.put("after", Point(2, "green"))
    assert fired.wait(30), added
    assert other.get_map(unique_name).get("after")["label"] == "green"

    # CP: the session of blue is gone; a new one on green serves the lock, the counter starts afresh
    assert counter.get() == 0
    assert counter.add_and_get(2) == 2
    green_fence = lock.lock()
    assert lock.is_locked() and green_fence > 0
    lock.unlock()
    assert blue_fence > 0


def test_create_failover_client_starts_on_the_first_reachable_cluster(blue_green, hz_handler_name, unique_name):
    blue, green = blue_green
    green.ensure_running()
    dead = Cluster(members=1)  # never started: its addresses refuse connections
    try:
        client = HzClient.create_failover_client(
            [
                {"cluster_name": dead.cluster_name, "cluster_members": dead.addresses, "retry_initial_backoff": 0.1},
                {"cluster_name": green.cluster_name, "cluster_members": green.addresses, "retry_initial_backoff": 0.1},
            ],
            try_count=5,
            handler=make_handler(hz_handler_name),
        )
        try:
            client.start(timeout=60)
            assert client.state == HzState.CONNECTED
            assert [c.remote_address[1] for c in client._connections.active_connections] == [green.port(0)]
            client.get_map(unique_name).put("k", 1)
            assert client.get_map(unique_name).get("k") == 1
        finally:
            client.stop()
            client.close()
    finally:
        dead.close()
