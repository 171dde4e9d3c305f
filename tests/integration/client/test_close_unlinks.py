"""A client that was used and then closed leaves nothing in reference cycles: reference
counting frees it at close, not a later garbage collection (HzClient.close)."""

import pytest

from hzgreen import HzClient
from hzgreen.exceptions import ClientNotActiveError
from hzgreen.testing.garbage import cyclic_garbage
from hzgreen.testing.plugin import make_handler


def test_a_used_and_closed_client_leaves_no_cycles(hz_cluster, hz_handler_name, unique_name):
    added = []

    def use_and_close():
        handler = make_handler(hz_handler_name)
        client = HzClient(
            cluster_members=hz_cluster.addresses,
            cluster_name=hz_cluster.cluster_name,
            handler=handler,
            near_caches={unique_name + "-near": {}},
        )
        client.start(timeout=30)
        arrived = handler.event_object()

        def on_added(event):
            added.append(event.key)
            arrived.set()

        m = client.get_map(unique_name)
        m.add_entry_listener(include_value=True, added_func=on_added)
        m.put("set", {1, 2, 3})  # a Java HashSet: its serializer sorts the elements
        assert m.get("set") == {1, 2, 3}
        assert arrived.wait(30)
        near = client.get_map(unique_name + "-near")
        near.put("k", "v")
        assert near.get("k") == "v" and near.get("k") == "v"
        client.get_queue(unique_name).offer("item")
        assert client.cp.get_atomic_long(unique_name).increment_and_get() == 1
        client.stop()
        client.close()
        handler.stop()

    assert cyclic_garbage(use_and_close) == {}
    assert added == ["set"]


def test_calls_on_a_closed_client_say_it_was_closed(hz_cluster, hz_handler, unique_name):
    client = HzClient(cluster_members=hz_cluster.addresses, cluster_name=hz_cluster.cluster_name, handler=hz_handler)
    client.start(timeout=30)
    m = client.get_map(unique_name)
    m.put("a", 1)
    client.close()
    with pytest.raises(ClientNotActiveError):
        m.get("a")
    with pytest.raises(ClientNotActiveError, match="closed"):
        client.get_map(unique_name)
