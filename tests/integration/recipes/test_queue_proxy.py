"""The Queue proxy (client.get_queue) against a real member."""

import pytest

from hzgreen.exceptions import HzTimeoutError, IllegalStateError
from hzgreen.proxy.queue import ItemEvent, ItemEventType
from tests.integration.recorders import Recorder

WAIT = 30
INT_MAX = 2**31 - 1
BOUNDED_QUEUES_XML = """
<queue name="bounded-*">
    <max-size>2</max-size>
</queue>
"""


def test_fifo_and_reads(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert hz_client.get_queue(unique_name) is q
    assert q.is_empty() and q.size() == 0 and q.peek() is None and q.poll() is None
    assert q.offer("a") is True
    q.put(["b", [1, 2]])
    assert q.add("c") is True
    assert q.add_all([4, 5.5, "six"]) is True
    assert q.size() == 6 and not q.is_empty()
    assert q.peek() == "a"
    assert q.iterator() == ["a", ["b", [1, 2]], "c", 4, 5.5, "six"]
    assert q.get_all() == q.iterator()
    assert q.contains("c") and not q.contains("zzz")
    assert q.contains_all(["a", 4]) and not q.contains_all(["a", "zzz"])
    assert q.remaining_capacity() == INT_MAX - 6  # unbounded: Integer.MAX_VALUE minus the size
    assert q.poll() == "a"
    assert q.take() == ["b", [1, 2]]
    assert q.remove("c") is True and q.remove("c") is False
    assert q.iterator() == [4, 5.5, "six"]
    assert q.remove_all([4, "six"]) is True
    assert q.iterator() == [5.5]
    q.add_all(["x", "y", "z"])
    assert q.retain_all(["x", "z"]) is True and q.iterator() == ["x", "z"]
    q.clear()
    assert q.size() == 0


def test_drain_to(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    q.add_all(range(10))
    target = ["already there"]
    assert q.drain_to(target, 3) == 3
    assert target == ["already there", 0, 1, 2]
    assert q.drain_to(target) == 7
    assert target[4:] == list(range(3, 10)) and q.is_empty()
    assert q.drain_to(target) == 0


def test_async_twins(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert q.offer_async(1).result(WAIT) is True
    q.put_async(2).result(WAIT)
    assert q.size_async().result(WAIT) == 2
    assert q.peek_async().result(WAIT) == 1
    assert q.poll_async().result(WAIT) == 1
    assert q.take_async().result(WAIT) == 2
    assert q.is_empty_async().result(WAIT) is True


def test_argument_checks(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    with pytest.raises(ValueError):
        q.offer(None)
    with pytest.raises(ValueError):
        q.poll(-1)
    with pytest.raises(TypeError):
        q.poll("1")
    with pytest.raises(TypeError):
        q.add_all("abc")
    with pytest.raises(ValueError):
        q.add_all([1, None])
    with pytest.raises(TypeError):
        q.drain_to(set())
    with pytest.raises(ValueError):
        q.add_listener()
    assert q.size() == 0


def test_blocking_take_and_poll_outlive_invocation_timeout(hz_client_factory, unique_name):
    waiting = hz_client_factory(invocation_timeout=1.0)
    feeder = hz_client_factory()
    q = waiting.get_queue(unique_name)
    started = waiting.handler.monotonic()
    assert q.poll(timeout=2.0) is None  # answered by the member after 2 s, not cut at 1 s
    assert waiting.handler.monotonic() - started >= 1.9
    taking = q.take_async()
    with pytest.raises(HzTimeoutError):
        taking.get(timeout=2.5)  # still waiting, well past invocation_timeout
    assert not taking.ready()
    polling = q.poll_async(timeout=60)
    feeder.get_queue(unique_name).add_all(["first", "second"])
    assert sorted([taking.result(WAIT), polling.result(WAIT)]) == ["first", "second"]


def test_item_listener(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    added, removed = Recorder(hz_client.handler, WAIT), Recorder(hz_client.handler, WAIT)
    registration = q.add_listener(include_value=True, item_added_func=added, item_removed_func=removed)
    without_values = Recorder(hz_client.handler, WAIT)
    q.add_item_listener(item_added_func=without_values)
    q.offer("one")
    q.offer("two")
    assert q.poll() == "one"
    added.wait_count(2)
    removed.wait_count(1)
    without_values.wait_count(2)
    assert [(e.event_type, e.item, e.name) for e in added.items] == [
        (ItemEventType.ADDED, "one", unique_name),
        (ItemEventType.ADDED, "two", unique_name),
    ]
    assert [(e.event_type, e.item) for e in removed.items] == [(ItemEventType.REMOVED, "one")]
    assert all(isinstance(e, ItemEvent) and e.item is None for e in without_values.items)
    assert added.items[0].member is not None and added.items[0].member.uuid == added.items[0].uuid
    assert q.remove_listener(registration) is True
    assert q.remove_listener(registration) is False
    q.offer("three")
    without_values.wait_count(3)
    assert len(added.items) == 2


@pytest.mark.slow
def test_bounded_queue(hz_cluster_factory, hz_client_factory):
    cluster = hz_cluster_factory(members=1, extra_config_xml=BOUNDED_QUEUES_XML)
    producer = hz_client_factory(cluster, invocation_timeout=1.0)
    consumer = hz_client_factory(cluster)
    q = producer.get_queue("bounded-q")
    assert q.remaining_capacity() == 2
    assert q.offer(1) and q.offer(2)
    assert q.offer(3) is False
    with pytest.raises(IllegalStateError):
        q.add(3)
    assert q.offer(3, timeout=0.5) is False
    putting = q.put_async(3)
    with pytest.raises(HzTimeoutError):
        putting.get(timeout=1.5)  # blocked by the full queue, beyond invocation_timeout
    offering = q.offer_async(4, timeout=30)
    assert consumer.get_queue("bounded-q").take() == 1
    assert consumer.get_queue("bounded-q").take() == 2
    putting.result(WAIT)
    assert offering.result(WAIT) is True
    assert q.iterator() == [3, 4] and q.remaining_capacity() == 0
