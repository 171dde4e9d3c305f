"""The Set proxy (client.get_set) against a real member, under each handler."""

import pytest

from hzgreen.proxy.set import ItemEvent, ItemEventType, Set
from tests.integration.recorders import WAIT, Recorder


def test_set_operations(hz_client, unique_name):
    s = hz_client.get_set(unique_name)
    assert isinstance(s, Set) and hz_client.get_set(unique_name) is s
    assert s.is_empty() and s.size() == 0 and s.get_all() == []
    assert s.add("a") is True
    assert s.add("a") is False  # already there
    assert s.add_all(["b", 3, 4.5, ("t", 1)]) is True
    assert s.add_all(["a", "b"]) is False
    assert s.size() == 5 and not s.is_empty()
    assert sorted(map(repr, s.get_all())) == sorted(map(repr, ["a", "b", 3, 4.5, ["t", 1]]))
    assert s.contains("b") and not s.contains("zzz")
    assert s.contains_all(["a", 3]) and not s.contains_all(["a", "zzz"])
    assert s.remove("b") is True and s.remove("b") is False
    assert s.remove_all([3, "nope"]) is True and s.remove_all(["nope"]) is False
    assert s.retain_all(["a", 4.5, "nope"]) is True
    assert sorted(map(repr, s.get_all())) == ["'a'", "4.5"]
    assert s.retain_all(["a", 4.5]) is False
    s.clear()
    assert s.size() == 0 and s.is_empty()


def test_set_async_twins(hz_client, unique_name):
    s = hz_client.get_set(unique_name)
    assert s.add_async(1).result(WAIT) is True
    assert s.add_all_async([2, 3]).result(WAIT) is True
    assert s.contains_async(2).result(WAIT) is True
    assert s.contains_all_async([1, 3]).result(WAIT) is True
    assert s.size_async().result(WAIT) == 3
    assert sorted(s.get_all_async().result(WAIT)) == [1, 2, 3]
    assert s.remove_async(1).result(WAIT) is True
    assert s.remove_all_async([2]).result(WAIT) is True
    assert s.retain_all_async([]).result(WAIT) is True
    assert s.is_empty_async().result(WAIT) is True
    assert s.clear_async().result(WAIT) is None


def test_set_shared_between_clients(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    hz_client.get_set(unique_name).add_all(["x", "y"])
    assert sorted(other.get_set(unique_name).get_all()) == ["x", "y"]


def test_set_argument_checks_send_nothing(hz_client, unique_name):
    s = hz_client.get_set(unique_name)
    with pytest.raises(ValueError, match="item must not be None"):
        s.add(None)
    with pytest.raises(ValueError, match="an item of items"):
        s.add_all(["a", None])
    with pytest.raises(TypeError, match="collection of items"):
        s.contains_all("abc")
    with pytest.raises(ValueError, match="items must not be None"):
        s.retain_all(None)
    with pytest.raises(ValueError, match="item_added_func"):
        s.add_listener(include_value=True)
    with pytest.raises(TypeError, match="item_removed_func"):
        s.add_listener(item_removed_func="not callable")
    assert s.size() == 0


def test_set_item_listener(hz_client, unique_name):
    s = hz_client.get_set(unique_name)
    added, removed = Recorder(hz_client.handler), Recorder(hz_client.handler)
    registration = s.add_listener(include_value=True, item_added_func=added, item_removed_func=removed)
    bare = Recorder(hz_client.handler)
    bare_registration = s.add_listener_async(item_added_func=bare).result(WAIT)
    s.add("one")
    s.add("one")  # no change, no event
    s.add("two")
    s.remove("one")
    added.wait_count(2)
    removed.wait_count(1)
    bare.wait_count(2)
    assert sorted((e.event_type, e.item) for e in added.items) == [
        (ItemEventType.ADDED, "one"),
        (ItemEventType.ADDED, "two"),
    ]
    assert [(e.event_type, e.item, e.name) for e in removed.items] == [(ItemEventType.REMOVED, "one", unique_name)]
    assert all(isinstance(e, ItemEvent) and e.item is None for e in bare.items)
    assert removed.items[0].member is not None and removed.items[0].member.uuid == removed.items[0].uuid
    assert all(added.on_worker + removed.on_worker + bare.on_worker)
    assert s.remove_listener(registration) is True
    assert s.remove_listener(registration) is False
    s.add("three")
    bare.wait_count(3)
    assert len(added.items) == 2
    assert s.remove_listener(bare_registration) is True
