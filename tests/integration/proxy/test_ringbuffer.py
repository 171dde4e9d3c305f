"""The Ringbuffer proxy (client.get_ringbuffer) against a real member."""

import pytest

from hzgreen.exceptions import HzTimeoutError
from hzgreen.proxy.ringbuffer import OVERFLOW_POLICY_FAIL, OverflowPolicy, ReadResult
from hzgreen.server_errors import IllegalArgumentError, StaleSequenceError
from tests.integration.proxy.rb_config import add_ringbuffer_config

WAIT = 30
DEFAULT_CAPACITY = 10000


def test_sizes_and_sequences_of_a_new_ringbuffer(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    assert hz_client.get_ringbuffer(unique_name) is rb
    assert rb.capacity() == DEFAULT_CAPACITY
    assert rb.size() == 0
    assert rb.tail_sequence() == -1
    assert rb.head_sequence() == 0
    assert rb.remaining_capacity() == DEFAULT_CAPACITY


def test_add_and_read_one(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    assert rb.add(100) == 0
    assert rb.add({"two": [2, 0, 0]}) == 1
    assert rb.add_all(["a", "b", 3.5]) == 4
    assert rb.size() == 5 and rb.tail_sequence() == 4 and rb.head_sequence() == 0
    sequence = rb.head_sequence()
    assert rb.read_one(sequence) == 100
    assert rb.read_one(sequence + 1) == {"two": [2, 0, 0]}
    assert [rb.read_one(s) for s in range(2, 5)] == ["a", "b", 3.5]


def test_capacity_is_asked_once(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    first = rb.capacity_async()
    assert first.result(WAIT) == DEFAULT_CAPACITY
    cached = rb.capacity_async()
    assert cached.ready(), "a known capacity is answered without a request"
    assert cached.result(0) == DEFAULT_CAPACITY


def test_read_many_result(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    rb.add_all(list(range(10)))
    result = rb.read_many(2, 1, 5)
    assert isinstance(result, ReadResult)
    assert result == [2, 3, 4, 5, 6] and list(result) == [2, 3, 4, 5, 6]
    assert result.items == [2, 3, 4, 5, 6] and result.size == 5 and len(result) == 5
    assert result.read_count == 5
    assert result.next_sequence_to_read_from == 7
    assert result.item_seqs == [2, 3, 4, 5, 6]
    assert result.get_sequence(0) == 2 and result.get_sequence(4) == 6
    assert result[1] == 3 and result[-1] == 6 and result[1:3] == [3, 4]
    with pytest.raises(IndexError):
        result.get_sequence(5)
    rest = rb.read_many(result.next_sequence_to_read_from, 0, 100)
    assert rest == [7, 8, 9] and rest.next_sequence_to_read_from == 10
    assert rb.read_many(10, 0, 10) == [] and rb.read_many(10, 0, 10).read_count == 0


def test_read_many_waits_for_min_count(hz_client, hz_handler, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    rb.capacity()
    waiting = rb.read_many_async(0, 2, 10)
    rb.add("first")
    assert not waiting.wait(0.3), "one item is not enough for min_count=2"
    rb.add("second")
    assert waiting.result(WAIT) == ["first", "second"]


def test_read_one_blocks_beyond_invocation_timeout(hz_client_factory, unique_name):
    client = hz_client_factory(invocation_timeout=1.0)
    rb = client.get_ringbuffer(unique_name)
    reading = rb.read_one_async(0)
    with pytest.raises(HzTimeoutError):
        reading.get(timeout=2.0)  # still waiting for the item after invocation_timeout
    rb.add("late")
    assert reading.result(WAIT) == "late"


def test_overflow_policies_on_a_full_ringbuffer(hz_client, unique_name):
    add_ringbuffer_config(hz_client, unique_name, capacity=3, time_to_live_seconds=3600)
    rb = hz_client.get_ringbuffer(unique_name)
    assert rb.capacity() == 3
    assert rb.add_all(["a", "b", "c"], OVERFLOW_POLICY_FAIL) == 2
    assert rb.remaining_capacity() == 0
    assert rb.add("d", OverflowPolicy.FAIL) == -1
    assert rb.add_all(["d", "e"], OverflowPolicy.FAIL) == -1
    assert rb.read_many(0, 0, 3) == ["a", "b", "c"]
    assert rb.add("d") == 3  # OVERWRITE is the default
    assert rb.head_sequence() == 1 and rb.tail_sequence() == 3 and rb.size() == 3
    with pytest.raises(StaleSequenceError):
        rb.read_one(0)
    with pytest.raises(IllegalArgumentError):
        rb.read_one(5)
    stale = rb.read_many(0, 1, 3)
    assert stale == ["b", "c", "d"] and stale.get_sequence(0) == 1
    assert stale.next_sequence_to_read_from - stale.read_count == 1  # it started at the head
    with pytest.raises(ValueError, match="min_count .* capacity"):
        rb.read_many(0, 4, 4)


def test_async_twins(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    assert rb.add_async("x").result(WAIT) == 0
    assert rb.add_all_async(["y", "z"]).result(WAIT) == 2
    assert rb.size_async().result(WAIT) == 3
    assert rb.tail_sequence_async().result(WAIT) == 2
    assert rb.head_sequence_async().result(WAIT) == 0
    assert rb.remaining_capacity_async().result(WAIT) == DEFAULT_CAPACITY
    assert rb.read_one_async(1).result(WAIT) == "y"
    assert rb.read_many_async(0, 3, 3).result(WAIT) == ["x", "y", "z"]


def test_bad_arguments_raise_before_sending(hz_client, unique_name):
    rb = hz_client.get_ringbuffer(unique_name)
    with pytest.raises(ValueError, match="item"):
        rb.add(None)
    with pytest.raises(ValueError, match="overflow_policy"):
        rb.add(1, 7)
    with pytest.raises(ValueError, match="sequence"):
        rb.read_one(-1)
    with pytest.raises(ValueError, match="max_count"):
        rb.read_many(0, 0, 1001)
    with pytest.raises(ValueError, match="max_count"):
        rb.read_many(0, 5, 4)
    with pytest.raises(ValueError, match="empty"):
        rb.add_all([])
    assert rb.size() == 0
