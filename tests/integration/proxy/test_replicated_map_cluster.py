"""ReplicatedMap on three members: a write through one member is read from another, listeners fire.

Two unisocket clients are pinned to different members (smart_routing=False, one address
each), so every request of the reading client is answered by its own member's replica.
Replication between members is asynchronous and has no event a test could wait on, so
visibility is polled (short waits, generous overall limit).
"""

import pytest

from hzgreen.proxy.map_listeners import EntryEventType
from tests.integration.recorders import Recorder

pytestmark = pytest.mark.slow

WAIT = 60


def eventually(handler, check, what):
    """Poll ``check()`` until it returns a true value (replication has no event to wait on)."""
    deadline = handler.monotonic() + WAIT
    pause = handler.event_object()
    while True:
        value = check()
        if value:
            return value
        assert handler.monotonic() < deadline, "never became true: %s" % what
        pause.wait(0.05)


def pinned_client(hz_client_factory, cluster, index):
    client = hz_client_factory(
        cluster=None,
        cluster_members=[cluster.addresses[index]],
        cluster_name=cluster.cluster_name,
        smart_routing=False,
    )
    [connection] = client._connections.active_connections
    assert connection.remote_address[1] == int(cluster.addresses[index].rsplit(":", 1)[1])
    return client


def test_write_on_one_member_is_read_on_another_and_listeners_fire(
    hz_cluster3, hz_client_factory, hz_handler_name, unique_name
):
    writer = pinned_client(hz_client_factory, hz_cluster3, 0)
    reader = pinned_client(hz_client_factory, hz_cluster3, 1)
    smart = hz_client_factory(hz_cluster3)
    handler = reader.handler
    writer_map = writer.get_replicated_map(unique_name)
    reader_map = reader.get_replicated_map(unique_name)
    smart_map = smart.get_replicated_map(unique_name)

    on_reader, on_smart, to_key = Recorder(handler), Recorder(smart.handler), Recorder(smart.handler)
    reader_map.add_entry_listener(added_func=on_reader, updated_func=on_reader, removed_func=on_reader)
    smart_map.add_entry_listener(added_func=on_smart, updated_func=on_smart, removed_func=on_smart)
    smart_map.add_entry_listener(key="k7", added_func=to_key)

    writer_map.put_all({"k%d" % i: i for i in range(10)})
    assert writer_map.put("k0", "zero") == 0
    assert writer_map.remove("k1") == 1

    # 10 added + 1 updated + 1 removed, each delivered once (no duplicates from three members)
    for recorder in (on_reader, on_smart):
        events = recorder.wait_count(12)
        kinds = sorted((e.event_type, e.key) for e in events)
        assert kinds.count((EntryEventType.ADDED, "k5")) == 1
        assert (EntryEventType.UPDATED, "k0") in kinds and (EntryEventType.REMOVED, "k1") in kinds
        assert len(events) == 12
    assert [(e.key, e.value) for e in to_key.wait_count(1)] == [("k7", 7)]

    expected = {"k0": "zero", **{"k%d" % i: i for i in range(2, 10)}}
    eventually(handler, lambda: dict(reader_map.entry_set()) == expected, "reader sees every entry")
    assert reader_map.get("k0") == "zero" and reader_map.get("k1") is None
    assert reader_map.size() == 9 and reader_map.contains_value("zero")
    assert sorted(reader_map.key_set()) == sorted(expected)

    reader_map.clear()
    eventually(handler, lambda: writer_map.size() == 0, "the clear reaches the writer's member")
    # the smart client's reads go to any member, which the clear reaches by asynchronous replication
    eventually(handler, smart_map.is_empty, "the clear reaches every member")


def test_reads_answered_by_every_member(hz_cluster3, hz_client_factory, unique_name):
    writer = hz_client_factory(hz_cluster3)
    writer.get_replicated_map(unique_name).put("shared", [1, 2, 3])
    for index in range(3):
        client = pinned_client(hz_client_factory, hz_cluster3, index)
        rmap = client.get_replicated_map(unique_name)
        eventually(client.handler, lambda: rmap.get("shared") == [1, 2, 3], "member %d has the entry" % index)
        assert rmap.values() == [[1, 2, 3]]
