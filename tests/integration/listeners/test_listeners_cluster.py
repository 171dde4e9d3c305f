"""Listener registrations across members: once per event on three members, and after
members or the whole cluster restart (the registrations follow the connections)."""

import pytest

from hzgreen import HzClient, HzState
from hzgreen.proxy.map_listeners import EntryEventType
from tests.integration.private_cluster import quick_reconnect_client

WAIT = 60


class Recorder:
    def __init__(self, handler):
        self.items = []
        self._handler = handler
        self._changed = handler.event_object()

    def __call__(self, item):
        self.items.append(item)
        self._changed.set()

    def wait_for(self, predicate, what, timeout=WAIT):
        deadline = self._handler.monotonic() + timeout
        while True:
            self._changed.clear()
            if predicate(self.items):
                return self.items
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "%s; got %d items" % (what, len(self.items))
            self._changed.wait(min(remaining, 1.0))


def wait_until(handler, predicate, what, timeout=WAIT):
    """Poll a condition of the client's own bookkeeping (there is no event to wait on)."""
    deadline = handler.monotonic() + timeout
    while not predicate():
        assert handler.monotonic() < deadline, what
        handler.sleep_func(0.05)


def keys_owned_by_each_member(client, per_member=3):
    """Keys whose partitions are owned by each member in turn (so every member fires events)."""
    by_member = {member.uuid: [] for member in client.cluster.members}
    for i in range(100000):
        if all(len(keys) >= per_member for keys in by_member.values()):
            break
        key = "key-%d" % i
        owner = client.partitions.owner_of(client.partitions.partition_id_of(client.serialization.to_data(key)))
        if owner in by_member and len(by_member[owner]) < per_member:
            by_member[owner].append(key)
    return {owner: keys for owner, keys in by_member.items() if keys}


def test_each_event_exactly_once_on_three_members(hz_cluster3, hz_client_factory, unique_name):
    smart = hz_client_factory(hz_cluster3, cluster_members=hz_cluster3.addresses[:1])
    unisocket = hz_client_factory(hz_cluster3, smart_routing=False)
    handler = smart.handler
    wait_until(handler, lambda: len(smart._connections.active_connections) == 3, "smart client not on 3 members")
    smart.get_map(unique_name + "-warm-up").put(0, 0)  # members assign partitions on first use
    smart_events, unisocket_events = Recorder(handler), Recorder(unisocket.handler)
    smart_registration = smart.get_map(unique_name).add_entry_listener(include_value=True, added_func=smart_events)
    unisocket_registration = unisocket.get_map(unique_name).add_entry_listener(added_func=unisocket_events)
    assert len(smart.listeners.registered_connections(smart_registration)) == 3
    assert len(unisocket.listeners.registered_connections(unisocket_registration)) == 1
    writer = smart.get_map(unique_name)
    owned = keys_owned_by_each_member(smart, per_member=20)
    assert len(owned) == 3
    expected = sorted(key for keys in owned.values() for key in keys)
    for key in expected:
        writer.put(key, key.upper())
    writer.put("the-end", 0)
    for events in (smart_events, unisocket_events):
        events.wait_for(lambda items: len(items) >= len(expected) + 1, "events missing")
    # One more round trip through every member: a duplicate would have arrived by now.
    for keys in owned.values():
        writer.put(keys[0] + "-barrier", 0)
    for events in (smart_events, unisocket_events):
        events.wait_for(lambda items: len(items) >= len(expected) + 4, "barrier events missing")
        keys = sorted(e.key for e in events.items if not e.key.endswith("-barrier") and e.key != "the-end")
        assert keys == expected, "each ADDED event must arrive exactly once"
        assert len(events.items) == len(expected) + 4
    assert all(e.value == e.key.upper() for e in smart_events.items if e.key in expected)
    owners = {e.uuid for e in smart_events.items}
    assert owners == set(owned)  # every member fired the events of the partitions it owns


@pytest.mark.fault
@pytest.mark.slow
def test_listener_follows_a_member_restart(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=2)
    client = HzClient(
        cluster_members=cluster.addresses[:1],
        cluster_name=cluster.cluster_name,
        handler=hz_handler,
        retry_initial_backoff=0.2,
        retry_max_backoff=1.0,
    )
    client.start(timeout=30)
    try:
        wait_until(hz_handler, lambda: len(client._connections.active_connections) == 2, "not on both members")
        m = client.get_map(unique_name)
        m.put("warm-up", 0)  # members assign partitions on first use
        events = Recorder(hz_handler)
        reregistered = Recorder(hz_handler)
        registration = m.add_entry_listener(added_func=events, reregistered_func=lambda: reregistered(True))
        assert len(client.listeners.registered_connections(registration)) == 2
        cluster.kill(1)
        wait_until(hz_handler, lambda: len(client.cluster.members) == 1, "the killed member never left", 90)
        assert len(client.listeners.registered_connections(registration)) == 1
        cluster.start_member(1)
        wait_until(hz_handler, lambda: len(client.cluster.members) == 2, "the member did not come back", 90)
        reregistered.wait_for(lambda items: len(items) >= 1, "not registered on the new connection")
        wait_until(
            hz_handler,
            lambda: len(client.listeners.registered_connections(registration)) == 2,
            "not registered on both connections",
        )
        # Once both members own partitions again, every key's event must arrive exactly once.
        wait_until(hz_handler, lambda: len(keys_owned_by_each_member(client, 1)) == 2, "no partitions on member 1")
        owned = keys_owned_by_each_member(client, per_member=10)
        expected = sorted(key for keys in owned.values() for key in keys)
        for key in expected:
            m.put(key, 1)
        received = events.wait_for(lambda items: len(items) >= len(expected), "events missing after the restart")
        assert sorted(e.key for e in received) == expected
        assert {e.uuid for e in received} == set(owned)
        assert client.state == HzState.CONNECTED
    finally:
        client.close()


@pytest.mark.fault
def test_listener_is_registered_again_on_a_restarted_cluster(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=1)
    states = Recorder(hz_handler)
    client = quick_reconnect_client(cluster, hz_handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        m = client.get_map(unique_name)
        events = Recorder(hz_handler)
        registration = m.add_entry_listener(include_value=True, added_func=events, updated_func=events)
        m.put("before", 1)
        events.wait_for(lambda items: len(items) == 1, "no event before the restart")
        cluster.restart_all()
        states.wait_for(
            lambda items: items[-1:] == [HzState.CONNECTED] and HzState.LOST in items,
            "no LOST -> CONNECTED after the cluster restart",
        )
        wait_until(
            hz_handler,
            lambda: len(client.listeners.registered_connections(registration)) == 1,
            "not registered on the new cluster",
        )
        m.put("after", 2)
        m.put("after", 3)
        received = events.wait_for(lambda items: len(items) >= 3, "no events after the restart")
        assert [(e.event_type, e.key, e.value) for e in received] == [
            (EntryEventType.ADDED, "before", 1),
            (EntryEventType.ADDED, "after", 2),
            (EntryEventType.UPDATED, "after", 3),
        ]
        assert m.remove_entry_listener(registration) is True
    finally:
        client.close()
