"""Map entry listeners against a real member: every event type, key and predicate filters."""

import pytest

from hzgreen.exceptions import HazelcastServerError
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.serialization.api import IdentifiedDataSerializable

WAIT = 30


class Recorder:
    """Collects what a listener receives; tests wait on it (never sleep)."""

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
            assert remaining > 0, "%s; got %r" % (what, self.items)
            self._changed.wait(min(remaining, 1.0))

    def wait_count(self, count, what=None):
        return self.wait_for(lambda items: len(items) >= count, what or "expected %d events" % count)


class SqlPredicate(IdentifiedDataSerializable):
    """The member's SqlPredicate (PredicateDataSerializerHook: factory -20, class 0)."""

    def __init__(self, sql):
        self.sql = sql

    def write_data(self, out):
        out.write_string(self.sql)

    def read_data(self, inp):
        self.sql = inp.read_string()

    def get_factory_id(self):
        return -20

    def get_class_id(self):
        return 0


def evict(m, key):
    """Map.evict (not in the Map proxy yet): sent raw to the key's partition."""
    key_data = m._key_data(key)
    request = map_codec.encode_evict_request(m.name, key_data, m._thread_id())
    return m._invoke_on_key(request, key_data, map_codec.decode_evict_response).get()


def evict_all(m):
    m._invoke(map_codec.encode_evict_all_request(m.name), lambda message: None).get()


def all_funcs(recorder):
    return dict(
        added_func=recorder,
        removed_func=recorder,
        updated_func=recorder,
        evicted_func=recorder,
        evict_all_func=recorder,
        clear_all_func=recorder,
        merged_func=recorder,
        expired_func=recorder,
        loaded_func=recorder,
    )


def test_every_entry_event_with_values(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    registration = m.add_entry_listener(include_value=True, **all_funcs(events))
    assert isinstance(registration, str)
    m.put("k", 1)
    m.put("k", 2)
    m.remove("k")
    m.put("e", 10)
    assert evict(m, "e") is True
    m.put_all({"a": 1, "b": 2, "c": 3})
    evict_all(m)
    m.put_all({"x": 1, "y": 2})
    m.clear()
    received = events.wait_count(12)  # k: 3, e: 2, a b c: 3, evict_all: 1, x y: 2, clear: 1
    assert len(received) == 12
    assert all(isinstance(e, EntryEvent) and e.name == unique_name for e in received)
    kinds = [(e.event_type, e.key) for e in received]
    # Events of one key keep their order; different keys may interleave.
    assert [k for k in kinds if k[1] == "k"] == [
        (EntryEventType.ADDED, "k"),
        (EntryEventType.UPDATED, "k"),
        (EntryEventType.REMOVED, "k"),
    ]
    added, updated, removed = [e for e in received if e.key == "k"]
    assert (added.value, added.old_value) == (1, None)
    assert (updated.value, updated.old_value) == (2, 1)
    assert removed.value is None and removed.old_value == 2
    evicted = [e for e in received if e.event_type == EntryEventType.EVICTED]
    assert [(e.key, e.old_value) for e in evicted] == [("e", 10)]
    (evict_all_event,) = [e for e in received if e.event_type == EntryEventType.EVICT_ALL]
    assert evict_all_event.key is None and evict_all_event.number_of_affected_entries == 3
    (clear_event,) = [e for e in received if e.event_type == EntryEventType.CLEAR_ALL]
    assert clear_event.key is None and clear_event.number_of_affected_entries == 2
    member_uuids = {member.uuid for member in hz_client.cluster.members}
    assert {e.uuid for e in received} <= member_uuids
    assert m.remove_entry_listener(registration) is True


def test_include_value_false_leaves_values_out(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    m.add_entry_listener(added_func=events, updated_func=events, removed_func=events)
    m.put("k", "v1")
    m.put("k", "v2")
    m.delete("k")
    received = events.wait_count(3)
    assert [e.event_type for e in received] == [EntryEventType.ADDED, EntryEventType.UPDATED, EntryEventType.REMOVED]
    assert all(e.key == "k" for e in received)
    assert all(e.value is None and e.old_value is None for e in received)


def test_only_the_requested_event_types_arrive(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    removed = Recorder(hz_client.handler)
    m.add_entry_listener(include_value=True, removed_func=removed)
    for i in range(5):
        m.put(i, i)
        m.put(i, i * 10)
    m.remove(3)
    m.put("marker", 0)
    m.remove("marker")
    # Keys in different partitions: the member may deliver their events in either order.
    received = removed.wait_for(lambda items: len(items) >= 2, "two REMOVED events")
    assert sorted(((e.event_type, str(e.key), e.old_value) for e in received), key=repr) == sorted(
        [(EntryEventType.REMOVED, "3", 30), (EntryEventType.REMOVED, "marker", 0)], key=repr
    )


def test_expired_event(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    expired = Recorder(hz_client.handler)
    m.add_entry_listener(include_value=True, expired_func=expired)
    m.put("short", "lived", ttl=1)
    deadline = hz_client.handler.monotonic() + WAIT
    # Reading an entry past its TTL makes the member expire it (and fire the event) at once.
    while not expired.items:
        assert hz_client.handler.monotonic() < deadline, "no EXPIRED event"
        m.get("short")
        expired._changed.wait(0.2)  # paces the reads; set as soon as the event arrives
    event = expired.items[0]
    assert (event.event_type, event.key, event.old_value) == (EntryEventType.EXPIRED, "short", "lived")


def test_key_listener_sees_only_its_key(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    m.add_entry_listener(include_value=True, key="watched", **all_funcs(events))
    m.put("other", 1)
    m.put("watched", 1)
    m.put("other", 2)
    m.put("watched", 2)
    m.remove("other")
    m.remove("watched")
    received = events.wait_count(3)
    assert [(e.event_type, e.key, e.value, e.old_value) for e in received] == [
        (EntryEventType.ADDED, "watched", 1, None),
        (EntryEventType.UPDATED, "watched", 2, 1),
        (EntryEventType.REMOVED, "watched", None, 2),
    ]
    m.put("watched", 3)  # a later event shows nothing for "other" was queued in between
    assert [e.key for e in events.wait_count(4)] == ["watched"] * 4


def test_predicate_listener(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    m.add_entry_listener(
        include_value=True, predicate=SqlPredicate("this > 10"), added_func=events, updated_func=events
    )
    m.put("a", 5)
    m.put("b", 50)
    m.put("a", 20)
    m.put("c", 1)
    m.put("z", 99)
    received = events.wait_for(lambda items: any(e.key == "z" for e in items), "no event for z")
    assert sorted((e.key, e.value) for e in received) == [("a", 20), ("b", 50), ("z", 99)]


def test_key_and_predicate_listener(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    m.add_entry_listener(
        include_value=True, key="k", predicate=SqlPredicate("this > 10"), added_func=events, updated_func=events
    )
    m.put("k", 1)
    m.put("other", 100)
    m.put("k", 11)
    m.put("k", 12)
    received = events.wait_count(2)
    assert [(e.event_type, e.key, e.value) for e in received] == [
        (EntryEventType.UPDATED, "k", 11),
        (EntryEventType.UPDATED, "k", 12),
    ]


def test_invalid_predicate_is_refused_and_nothing_stays_registered(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    with pytest.raises(HazelcastServerError):
        m.add_entry_listener(predicate=SqlPredicate("this >>> nonsense ((("), added_func=print)
    assert not hz_client.listeners._registrations


def test_remove_entry_listener_stops_events(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    removed_listener = Recorder(hz_client.handler)
    kept_listener = Recorder(hz_client.handler)
    registration = m.add_entry_listener(added_func=removed_listener)
    m.add_entry_listener(added_func=kept_listener)
    m.put("first", 1)
    removed_listener.wait_count(1)
    kept_listener.wait_count(1)
    assert m.remove_entry_listener(registration) is True
    assert m.remove_entry_listener(registration) is False
    assert hz_client.listeners.registered_connections(registration) == []
    m.put("second", 2)
    kept_listener.wait_count(2)
    assert [e.key for e in removed_listener.items] == ["first"]


def test_listener_functions_run_on_the_callback_worker_and_may_call_the_client(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    handler = hz_client.handler
    seen = Recorder(handler)

    def on_added(event):
        # Blocking on the member from a listener must not deadlock the client.
        seen((handler.in_callback_worker(), m.get(event.key), m.size()))

    m.add_entry_listener(added_func=on_added)
    m.put("k", "v")
    assert seen.wait_count(1) == [(True, "v", 1)]


def test_async_forms(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    events = Recorder(hz_client.handler)
    registration = m.add_entry_listener_async(added_func=events).result(WAIT)
    m.put("k", 1)
    events.wait_count(1)
    assert m.remove_entry_listener_async(registration).result(WAIT) is True


def test_argument_checks(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    with pytest.raises(ValueError):
        m.add_entry_listener(include_value=True)
    with pytest.raises(TypeError):
        m.add_entry_listener(added_func="not callable")
    with pytest.raises(TypeError):
        m.add_entry_listener(include_value="yes", added_func=print)
    assert not hz_client.listeners._registrations
