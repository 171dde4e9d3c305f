"""A listener is active on every member when the call that adds it returns.

Right after ``start()`` a smart client may hold one member connection while it opens the
others. A listener added at that moment must still get the events fired by every member,
so each repetition below starts a fresh client and adds its listener at once, while
another client writes keys spread over all partitions.
"""

import pytest

from hzgreen.proxy.map_listeners import EntryEvent

WAIT = 30
PUTS = 200


class Recorder:
    """Collects what a listener receives; tests wait on it (never sleep)."""

    def __init__(self, handler):
        self.items = []
        self._handler = handler
        self._changed = handler.event_object()

    def __call__(self, *args):
        self.items.append(args if len(args) > 1 else args[0])
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


def put_all_pipelined(m, keys):
    """Put every key (value = key) with all requests in flight at once; returns when all are done."""
    for pending in [m.put_async(key, key) for key in keys]:
        pending.get(WAIT)


def owner_of(client, key):
    return client.partitions.owner_of(client.partitions.partition_id_of(client.serialization.to_data(key)))


def first_member_uuid(client, cluster):
    """The member a fresh client connects to first (it tries the addresses in order)."""
    port = cluster.port(0)
    return next(m.uuid for m in client.cluster.members if m.address.port == port)


def names_away_from_the_first_member(writer, cluster, prefix, count):
    """Names (keys, or structure names) whose partitions members other than the first own."""
    first = first_member_uuid(writer, cluster)
    names = []
    for i in range(100000):
        name = "%s-%d" % (prefix, i)
        owner = owner_of(writer, name)
        if owner is not None and owner != first:
            names.append(name)
            if len(names) == count:
                return names
    raise AssertionError("no partitions owned by the other members")


@pytest.fixture
def writer(hz_cluster3, hz_client_factory, unique_name):
    """A client that writes; its first put makes the members assign the partitions."""
    client = hz_client_factory(hz_cluster3)
    client.get_map(unique_name + "-warm-up").put(0, 0)
    return client


def test_entry_listener_added_right_after_start_gets_every_event(hz_cluster3, hz_client_factory, writer, unique_name):
    keys = ["key-%d" % i for i in range(PUTS)]
    owners = {owner_of(writer, key) for key in keys}
    assert len(owners) == 3  # the keys hit the partitions of every member
    for repetition in range(20):
        name = "%s-%d" % (unique_name, repetition)
        client = hz_client_factory(hz_cluster3)
        events = Recorder(client.handler)
        client.get_map(name).add_entry_listener(added_func=events)
        put_all_pipelined(writer.get_map(name), keys)
        received = events.wait_for(lambda items: len(items) >= PUTS, "repetition %d: events missing" % repetition)
        assert sorted(e.key for e in received) == sorted(keys)
        assert {e.uuid for e in received} == owners
        client.close()


def test_unisocket_entry_listener_added_right_after_start_gets_every_event(
    hz_cluster3, hz_client_factory, writer, unique_name
):
    keys = ["key-%d" % i for i in range(PUTS)]
    for repetition in range(5):
        name = "%s-%d" % (unique_name, repetition)
        client = hz_client_factory(hz_cluster3, smart_routing=False)
        events = Recorder(client.handler)
        registration = client.get_map(name).add_entry_listener(added_func=events)
        assert len(client.listeners.registered_connections(registration)) == 1
        put_all_pipelined(writer.get_map(name), keys)
        received = events.wait_for(lambda items: len(items) >= PUTS, "repetition %d: events missing" % repetition)
        assert sorted(e.key for e in received) == sorted(keys)
        client.close()


def test_smart_listener_is_on_every_member_when_added(hz_cluster3, hz_client_factory, writer, unique_name):
    for repetition in range(5):
        client = hz_client_factory(hz_cluster3)
        registration = client.get_map(unique_name).add_entry_listener(added_func=lambda event: None)
        on = {c.member_uuid for c in client.listeners.registered_connections(registration)}
        assert on == {m.uuid for m in client.cluster.members}, "repetition %d" % repetition
        assert len(on) == 3
        client.close()


def test_queue_item_listener_added_right_after_start_gets_every_event(
    hz_cluster3, hz_client_factory, writer, unique_name
):
    items = 50
    names = names_away_from_the_first_member(writer, hz_cluster3, unique_name, 5)
    for repetition, name in enumerate(names):
        client = hz_client_factory(hz_cluster3)
        events = Recorder(client.handler)
        client.get_queue(name).add_listener(include_value=True, item_added_func=events)
        queue = writer.get_queue(name)
        for pending in [queue.offer_async(i) for i in range(items)]:
            assert pending.get(WAIT) is True
        received = events.wait_for(lambda got: len(got) >= items, "repetition %d: events missing" % repetition)
        assert sorted(e.item for e in received) == list(range(items))
        client.close()


def test_entry_watch_started_right_after_start_sees_changes_as_events(
    hz_cluster3, hz_client_factory, writer, unique_name
):
    keys = names_away_from_the_first_member(writer, hz_cluster3, "watched", 8)
    for repetition, key in enumerate(keys):
        name = "%s-%d" % (unique_name, repetition)
        client = hz_client_factory(hz_cluster3)
        calls = Recorder(client.handler)
        client.EntryWatch(name, key, func=calls)
        assert calls.items == [(None, None)]
        writer.get_map(name).put(key, "v1")
        calls.wait_for(lambda got: got[-1][0] == "v1", "repetition %d: the change was not seen" % repetition)
        value, event = calls.items[-1]
        # A re-sync after a late registration would call with event None: the event itself must come.
        assert isinstance(event, EntryEvent) and event.key == key, "repetition %d: %r" % (repetition, calls.items)
        client.close()


def test_map_watch_started_right_after_start_sees_changes_as_events(
    hz_cluster3, hz_client_factory, writer, unique_name
):
    keys = names_away_from_the_first_member(writer, hz_cluster3, "member", 20)
    for repetition in range(8):
        name = "%s-%d" % (unique_name, repetition)
        client = hz_client_factory(hz_cluster3)
        calls = Recorder(client.handler)
        client.MapWatch(name, func=calls, send_event=True)
        assert calls.items == [(set(), None)]
        put_all_pipelined(writer.get_map(name), keys)
        calls.wait_for(lambda got: got[-1][0] == set(keys), "repetition %d: keys missing" % repetition)
        assert all(isinstance(event, EntryEvent) for _, event in calls.items[1:]), (
            "repetition %d: a change was found by a re-sync, not reported: %r" % (repetition, calls.items)
        )
        client.close()


class UsableConnections:
    """A connection listener noting, as each connection becomes usable, whether a registration is on it."""

    def __init__(self, client, registration):
        self.seen = Recorder(client.handler)
        self._client = client
        self._registration = registration
        client._connections.add_connection_listener(self)

    def connection_added(self, connection):
        confirmed = connection in self._client.listeners.registered_connections(self._registration)
        self.seen((connection, confirmed))

    def connection_removed(self, connection):
        pass


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
def test_a_connection_opened_later_has_the_registration_before_it_is_usable(
    hz_cluster3, hz_client_factory, writer, unique_name, smart
):
    client = hz_client_factory(hz_cluster3, smart_routing=smart)
    events = Recorder(client.handler)
    registration = client.get_map(unique_name).add_entry_listener(added_func=events)
    usable = UsableConnections(client, registration)
    connections = client._connections.active_connections
    victim = connections[-1]  # smart: a member connection (reopened by the member sweep); unisocket: the only one
    victim.close("dropped by the test")
    reopened = usable.seen.wait_for(
        lambda seen: any(c.member_uuid == victim.member_uuid for c, _ in seen), "the connection was not opened again"
    )
    assert [confirmed for c, confirmed in reopened if c.member_uuid == victim.member_uuid] == [True]
    # And the member behind it reports events again, from the first write on.
    keys = [key for key in ("key-%d" % i for i in range(2000)) if owner_of(writer, key) == victim.member_uuid][:50]
    put_all_pipelined(writer.get_map(unique_name), keys)
    received = events.wait_for(lambda items: len(items) >= len(keys), "events missing after the reconnection")
    assert sorted(e.key for e in received) == sorted(keys)
