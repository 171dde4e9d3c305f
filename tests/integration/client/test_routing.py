"""Smart routing on three members: one connection each, key ops to the partition owner."""

import pytest

from hzgreen import HzClient

pytestmark = pytest.mark.cp3


@pytest.fixture
def client3(hz_cluster3, hz_handler):
    client = HzClient(
        cluster_members=hz_cluster3.addresses[:1], cluster_name=hz_cluster3.cluster_name, handler=hz_handler
    )
    client.start(timeout=30)
    yield client
    client.close()


def wait_for(handler, predicate, timeout, what):
    deadline = handler.monotonic() + timeout
    while not predicate():
        assert handler.monotonic() < deadline, what
        handler.sleep_func(0.05)


def test_connects_to_every_member_from_one_address(client3):
    wait_for(
        client3.handler,
        lambda: len(client3._connections.active_connections) == 3,
        20,
        "the client did not open a connection to each of the 3 members",
    )
    assert len(client3.cluster.members) == 3
    assert client3.partitions.partition_count == 271
    owners = {client3.partitions.owner_of(pid) for pid in range(271)}
    assert owners == {member.uuid for member in client3.cluster.members}


def test_key_operations_go_to_the_partition_owner(client3, unique_name):
    wait_for(client3.handler, lambda: len(client3._connections.active_connections) == 3, 20, "not all connected")
    m = client3.get_map(unique_name)
    sent = []
    invocations = client3.invocations
    original = invocations._send

    def spy(invocation, *rest):
        original(invocation, *rest)
        sent.append((invocation.partition_id, invocation.sent_on))

    invocations._send = spy
    try:
        for i in range(60):
            m.put("key-%d" % i, i)
    finally:
        invocations._send = original
    assert len(sent) == 60
    members_used = set()
    for partition_id, connection in sent:
        assert connection.member_uuid == client3.partitions.owner_of(partition_id)
        members_used.add(connection.member_uuid)
    assert len(members_used) == 3
    assert [m.get("key-%d" % i) for i in range(60)] == list(range(60))


def test_partition_id_matches_java(client3):
    # NOTES.md §11.2 vectors: the member agrees because the data lands where get() finds it,
    # and the ids themselves match Java's HashUtil.hashToIndex.
    to_data = client3.serialization.to_data
    assert client3.partitions.partition_id_of(to_data("key1")) == 43
    assert client3.partitions.partition_id_of(to_data(54)) == 237
