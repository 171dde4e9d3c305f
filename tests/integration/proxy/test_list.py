"""The List proxy (client.get_list) against a real member, under each handler."""

import pytest

from hzgreen.exceptions import IndexOutOfBoundsError
from hzgreen.proxy.list import ItemEventType, List
from tests.integration.recorders import WAIT, Recorder


def test_list_operations(hz_client, unique_name):
    lst = hz_client.get_list(unique_name)
    assert isinstance(lst, List) and hz_client.get_list(unique_name) is lst
    assert lst.is_empty() and lst.size() == 0 and lst.get_all() == [] and lst.iterator() == []
    assert lst.add("a") is True
    assert lst.add("a") is True  # lists keep duplicates
    assert lst.add_all(["b", 3]) is True
    assert lst.get_all() == ["a", "a", "b", 3]
    lst.add_at(1, "inserted")
    assert lst.get_all() == ["a", "inserted", "a", "b", 3]
    assert lst.add_all_at(0, ["x", "y"]) is True
    assert lst.iterator() == ["x", "y", "a", "inserted", "a", "b", 3]
    assert lst.get(3) == "inserted" and lst.get(6) == 3
    assert lst.index_of("a") == 2 and lst.last_index_of("a") == 4
    assert lst.index_of("zzz") == -1 and lst.last_index_of("zzz") == -1
    assert lst.set_at(0, "X") == "x"
    assert lst.sub_list(0, 2) == ["X", "y"] and lst.sub_list(2, 2) == []
    assert lst.list_iterator() == lst.get_all()
    assert lst.list_iterator(5) == ["b", 3] and lst.list_iterator(7) == []
    assert lst.remove_at(1) == "y"
    assert lst.remove("a") is True and lst.get_all() == ["X", "inserted", "a", "b", 3]
    assert lst.contains("b") and not lst.contains("y")
    assert lst.contains_all(["X", 3]) and not lst.contains_all(["X", "y"])
    assert lst.remove_all(["a", "nope"]) is True and lst.remove_all(["nope"]) is False
    assert lst.retain_all(["X", 3]) is True and lst.get_all() == ["X", 3]
    assert lst.size() == 2 and not lst.is_empty()
    lst.clear()
    assert lst.size() == 0


def test_list_async_twins(hz_client, unique_name):
    lst = hz_client.get_list(unique_name)
    assert lst.add_all_async([1, 2, 3]).result(WAIT) is True
    assert lst.add_at_async(0, 0).result(WAIT) is None
    assert lst.add_all_at_async(4, [4, 5]).result(WAIT) is True
    assert lst.get_async(2).result(WAIT) == 2
    assert lst.set_at_async(2, "two").result(WAIT) == 2
    assert lst.remove_at_async(0).result(WAIT) == 0
    assert lst.index_of_async("two").result(WAIT) == 1
    assert lst.last_index_of_async(5).result(WAIT) == 4
    assert lst.sub_list_async(1, 3).result(WAIT) == ["two", 3]
    assert lst.iterator_async().result(WAIT) == [1, "two", 3, 4, 5]
    assert lst.list_iterator_async(3).result(WAIT) == [4, 5]
    assert lst.size_async().result(WAIT) == 5


def test_index_past_the_end_fails_with_index_out_of_bounds(hz_client, unique_name):
    lst = hz_client.get_list(unique_name)
    lst.add_all(["a", "b"])
    calls = [
        lambda: lst.get(2),
        lambda: lst.set_at(2, "x"),
        lambda: lst.remove_at(5),
        lambda: lst.add_at(3, "x"),
        lambda: lst.add_all_at(9, ["x"]),
        lambda: lst.sub_list(1, 3),
        lambda: lst.list_iterator(3),
    ]
    for call in calls:
        with pytest.raises(IndexOutOfBoundsError) as caught:
            call()
        assert "index" in str(caught.value).lower()  # the member's message names the index
    assert lst.get_all() == ["a", "b"]  # nothing changed


def test_list_argument_checks_send_nothing(hz_client, unique_name):
    lst = hz_client.get_list(unique_name)
    with pytest.raises(ValueError, match="index must be between 0"):
        lst.get(-1)
    with pytest.raises(TypeError, match="index must be an int"):
        lst.get("0")
    with pytest.raises(TypeError, match="index must be an int"):
        lst.remove_at(True)
    with pytest.raises(ValueError, match="item must not be None"):
        lst.add_at(0, None)
    with pytest.raises(ValueError, match="item must not be None"):
        lst.set_at(0, None)
    with pytest.raises(ValueError, match="from_index .2. must not be greater than to_index .1."):
        lst.sub_list(2, 1)
    with pytest.raises(ValueError, match="an item of items"):
        lst.add_all_at(0, [1, None])
    with pytest.raises(ValueError, match="item must not be None"):
        lst.index_of(None)
    assert lst.size() == 0


def test_list_item_listener(hz_client, unique_name):
    lst = hz_client.get_list(unique_name)
    added, removed = Recorder(hz_client.handler), Recorder(hz_client.handler)
    registration = lst.add_listener(include_value=True, item_added_func=added, item_removed_func=removed)
    lst.add("one")
    lst.add_at(0, "zero")
    lst.remove("one")
    added.wait_count(2)
    removed.wait_count(1)
    assert [(e.event_type, e.item, e.name) for e in added.items] == [
        (ItemEventType.ADDED, "one", unique_name),
        (ItemEventType.ADDED, "zero", unique_name),
    ]
    assert [(e.event_type, e.item) for e in removed.items] == [(ItemEventType.REMOVED, "one")]
    assert lst.remove_at(0) == "zero"  # fires too (a 5.4 member sends this event without the item)
    assert removed.wait_count(2)[1].event_type == ItemEventType.REMOVED
    assert all(added.on_worker + removed.on_worker)
    assert lst.remove_listener(registration) is True
    witness = Recorder(hz_client.handler)
    lst.add_listener(item_added_func=witness)
    lst.add("after")
    witness.wait_count(1)
    assert witness.items[0].item is None
    assert len(added.items) == 2
