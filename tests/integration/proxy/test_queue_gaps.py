"""Queue against a real member, under each handler: the parts of the official IQueue API
not covered by tests/integration/recipes/test_queue_proxy.py (bulk operations that
change nothing, listeners fed by another client and run on the callback worker,
remaining capacity as items come and go, blocking(), iteration as a snapshot)."""

import pytest

from hzgreen.proxy.queue import ItemEventType, Queue
from tests.integration.recorders import WAIT, Recorder

INT_MAX = 2**31 - 1


def test_bulk_operations_report_whether_anything_changed(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert q.add_all([1, 2, 2, 3]) is True
    assert q.contains_all([]) is True and q.contains_all([2, 3]) is True and q.contains_all([2, 9]) is False
    assert q.remove_all([9]) is False
    assert q.remove_all([2]) is True and q.iterator() == [1, 3]  # every occurrence goes
    assert q.retain_all([1, 3, 9]) is False
    assert q.retain_all([3]) is True and q.iterator() == [3]
    assert q.retain_all([]) is True and q.is_empty()
    assert q.remove_all_async([1]).result(WAIT) is False
    assert q.retain_all_async([1]).result(WAIT) is False
    assert q.contains_all_async([]).result(WAIT) is True


def test_remaining_capacity_follows_the_size(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert q.remaining_capacity() == INT_MAX
    q.add_all(range(5))
    assert q.remaining_capacity_async().result(WAIT) == INT_MAX - 5
    q.poll()
    assert q.remaining_capacity() == INT_MAX - 4


def test_iterator_is_a_snapshot(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    q.add_all(["a", "b"])
    snapshot = q.iterator()
    q.add("c")
    assert snapshot == ["a", "b"] and q.iterator_async().result(WAIT) == ["a", "b", "c"]
    assert list(q.get_all()) == ["a", "b", "c"]


def test_blocking_returns_the_proxy(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert isinstance(q, Queue) and q.blocking() is q
    assert hz_client.get_set(unique_name).blocking() is hz_client.get_set(unique_name)


def test_listener_sees_another_clients_changes_on_the_callback_worker(hz_client, hz_client_factory, unique_name):
    q = hz_client.get_queue(unique_name)
    added, removed = Recorder(hz_client.handler), Recorder(hz_client.handler)
    registration = q.add_listener_async(True, added, removed).result(WAIT)
    other = hz_client_factory().get_queue(unique_name)
    other.add_all(["x", "y"])
    assert other.remove("x") is True
    assert other.drain_to([]) == 1
    added.wait_count(2)
    removed.wait_count(2)
    assert [(e.event_type, e.item) for e in added.items] == [(ItemEventType.ADDED, "x"), (ItemEventType.ADDED, "y")]
    assert [(e.event_type, e.item) for e in removed.items] == [
        (ItemEventType.REMOVED, "x"),
        (ItemEventType.REMOVED, "y"),
    ]
    assert all(added.on_worker + removed.on_worker)
    assert q.remove_listener(registration) is True


def test_bulk_argument_checks_send_nothing(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    q.add("keep")
    for method in (q.remove_all, q.retain_all, q.contains_all, q.add_all):
        with pytest.raises(ValueError, match="items must not be None"):
            method(None)
        with pytest.raises(ValueError, match="an item of items must not be None"):
            method(["keep", None])
        with pytest.raises(TypeError, match="collection of items"):
            method("keep")
    assert q.iterator() == ["keep"]
