"""The ReplicatedMap proxy (client.get_replicated_map) against a real member, under each handler."""

import pytest

from hzgreen import predicate as p
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.proxy.replicated_map import ReplicatedMap
from tests.integration.recorders import Recorder

WAIT = 30


def test_get_replicated_map_is_cached(hz_client, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    assert isinstance(rmap, ReplicatedMap)
    assert hz_client.get_replicated_map(unique_name) is rmap
    assert rmap.name == unique_name


def test_put_get_remove_and_reads(hz_client, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    assert rmap.is_empty() and rmap.size() == 0
    assert rmap.put("key", "value") is None
    assert rmap.put("key", "value2") == "value"
    assert rmap.get("key") == "value2"
    assert rmap.get("missing") is None
    assert rmap.contains_key("key") and not rmap.contains_key("missing")
    assert rmap.contains_value("value2") and not rmap.contains_value("value")
    rmap.put_all({"a": 1, "b": [1, 2], 3: {"x": 1.5}})
    assert rmap.size() == 4 and not rmap.is_empty()
    assert sorted(rmap.key_set(), key=repr) == sorted(["key", "a", "b", 3], key=repr)
    assert sorted(rmap.values(), key=repr) == sorted(["value2", 1, [1, 2], {"x": 1.5}], key=repr)
    assert sorted(rmap.entry_set(), key=repr) == sorted(
        [("key", "value2"), ("a", 1), ("b", [1, 2]), (3, {"x": 1.5})], key=repr
    )
    assert rmap.remove("a") == 1
    assert rmap.remove("a") is None
    assert rmap.size() == 3
    rmap.clear()
    assert rmap.size() == 0 and rmap.key_set() == [] and rmap.values() == [] and rmap.entry_set() == []


def test_async_twins(hz_client, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    results = [rmap.put_async(i, i * 10) for i in range(20)]
    assert [r.get(WAIT) for r in results] == [None] * 20
    assert rmap.get_async(7).result(WAIT) == 70
    assert rmap.size_async().get(WAIT) == 20
    assert rmap.is_empty_async().get(WAIT) is False
    assert rmap.contains_key_async(3).get(WAIT) is True
    assert rmap.contains_value_async(190).get(WAIT) is True
    assert sorted(rmap.key_set_async().get(WAIT)) == list(range(20))
    assert sorted(rmap.values_async().get(WAIT)) == [i * 10 for i in range(20)]
    assert sorted(rmap.entry_set_async().get(WAIT)) == [(i, i * 10) for i in range(20)]
    assert rmap.remove_async(0).get(WAIT) == 0
    assert rmap.put_all_async({100: 1}).get(WAIT) is None
    assert rmap.clear_async().get(WAIT) is None
    assert rmap.size() == 0


def test_ttl_expires_entry_and_fires_evicted(hz_client, hz_handler, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    evicted = Recorder(hz_handler, WAIT)
    rmap.add_entry_listener(evicted_func=evicted)
    rmap.put("short", "lived", ttl=1)
    rmap.put("long", "lived", ttl=0)
    [event] = evicted.wait_count(1)
    assert event.event_type == EntryEventType.EVICTED and event.key == "short"
    assert rmap.get("short") is None
    assert rmap.get("long") == "lived"


def test_entry_listener_all_kinds_on_callback_worker(hz_client, hz_handler, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    added, updated, removed, cleared = (Recorder(hz_handler, WAIT) for _ in range(4))
    registration_id = rmap.add_entry_listener(
        added_func=added, updated_func=updated, removed_func=removed, clear_all_func=cleared
    )
    assert isinstance(registration_id, str)
    rmap.put("k", "v1")
    rmap.put("k", "v2")
    rmap.remove("k")
    rmap.put("x", 1)
    rmap.put("y", 2)
    rmap.clear()
    a1, a2, a3 = added.wait_count(3)
    [u] = updated.wait_count(1)
    [r] = removed.wait_count(1)
    [c] = cleared.wait_count(1)
    assert isinstance(a1, EntryEvent)
    assert (a1.event_type, a1.key, a1.value, a1.name) == (EntryEventType.ADDED, "k", "v1", unique_name)
    assert {(e.key, e.value) for e in (a2, a3)} == {("x", 1), ("y", 2)}
    assert (u.event_type, u.key, u.value, u.old_value) == (EntryEventType.UPDATED, "k", "v2", "v1")
    assert (r.event_type, r.key, r.old_value) == (EntryEventType.REMOVED, "k", "v2")
    assert c.event_type == EntryEventType.CLEAR_ALL and c.key is None and c.number_of_affected_entries == 2
    assert a1.uuid is not None
    assert all(added.on_worker + updated.on_worker + removed.on_worker + cleared.on_worker)
    assert rmap.remove_entry_listener(registration_id) is True
    assert rmap.remove_entry_listener(registration_id) is False


def test_entry_listener_to_key_predicate_and_both(hz_client, hz_handler, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    to_key, with_predicate, both = (Recorder(hz_handler, WAIT) for _ in range(3))
    rmap.add_entry_listener(key="watched", added_func=to_key)
    rmap.add_entry_listener(predicate=p.greater("this", 10), added_func=with_predicate)
    rmap.add_entry_listener(key="watched", predicate=p.greater("this", 10), added_func=both)
    rmap.put("other", 5)
    rmap.put("other2", 50)
    rmap.put("watched", 3)
    rmap.remove("watched")
    rmap.put("watched", 30)
    assert [(e.key, e.value) for e in to_key.wait_count(2)] == [("watched", 3), ("watched", 30)]
    assert sorted((e.key, e.value) for e in with_predicate.wait_count(2)) == [("other2", 50), ("watched", 30)]
    assert [(e.key, e.value) for e in both.wait_count(1)] == [("watched", 30)]


def test_remove_entry_listener_async_stops_events(hz_client, hz_handler, unique_name):
    rmap = hz_client.get_replicated_map(unique_name)
    stopped, still = Recorder(hz_handler, WAIT), Recorder(hz_handler, WAIT)
    registration_id = rmap.add_entry_listener_async(added_func=stopped).get(WAIT)
    rmap.add_entry_listener(added_func=still)
    assert rmap.remove_entry_listener_async(registration_id).get(WAIT) is True
    rmap.put("after", 1)
    still.wait_count(1)
    assert stopped.events == []


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m: m.put(None, 1), ValueError, "key"),
        (lambda m: m.put(1, None), ValueError, "value"),
        (lambda m: m.put(1, 1, ttl=-1), ValueError, "ttl"),
        (lambda m: m.put(1, 1, ttl="5"), TypeError, "ttl"),
        (lambda m: m.get(None), ValueError, "key"),
        (lambda m: m.contains_value(None), ValueError, "value"),
        (lambda m: m.put_all(None), ValueError, "source"),
        (lambda m: m.put_all([(1, 2)]), TypeError, "source"),
        (lambda m: m.put_all({1: None}), ValueError, "value of key 1"),
        (lambda m: m.add_entry_listener(), ValueError, "added_func"),
        (lambda m: m.add_entry_listener(added_func=1), TypeError, "added_func"),
        (lambda m: m.add_entry_listener(predicate="x > 1", added_func=print), TypeError, "predicate"),
        (lambda m: m.remove_entry_listener(None), ValueError, "registration_id"),
    ],
)
def test_bad_arguments_fail_before_sending(hz_client, unique_name, call, error, words):
    rmap = hz_client.get_replicated_map(unique_name)
    with pytest.raises(error, match=words):
        call(rmap)
    assert rmap.size() == 0
