"""Ringbuffer without a member: argument checks before sending, the capacity cache, blocking deadlines."""

import pytest

from hzgreen.protocol.codecs import ringbuffer as codec
from hzgreen.proxy.ringbuffer import MAX_BATCH_SIZE, OverflowPolicy, ReadResult, Ringbuffer
from tests.unit.proxy.fakes import ringbuffer_context

WAIT = 10


@pytest.fixture
def context(handler):
    return ringbuffer_context(handler)


@pytest.fixture
def rb(context):
    return Ringbuffer("rb", context)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda rb: rb.add(None), ValueError, "item must not be None"),
        (lambda rb: rb.add(1, 2), ValueError, "overflow_policy"),
        (lambda rb: rb.add(1, "FAIL"), TypeError, "overflow_policy"),
        (lambda rb: rb.add(1, True), TypeError, "overflow_policy"),
        (lambda rb: rb.add_all(None), ValueError, "items must not be None"),
        (lambda rb: rb.add_all([]), ValueError, "items must not be empty"),
        (lambda rb: rb.add_all("abc"), TypeError, "items"),
        (lambda rb: rb.add_all([1, None]), ValueError, "an item of items"),
        (lambda rb: rb.add_all(list(range(MAX_BATCH_SIZE + 1))), ValueError, "at most 1000"),
        (lambda rb: rb.read_one(-1), ValueError, "sequence must be >= 0"),
        (lambda rb: rb.read_one(1.0), TypeError, "sequence must be an int"),
        (lambda rb: rb.read_one(None), TypeError, "sequence"),
        (lambda rb: rb.read_many(-1, 0, 1), ValueError, "start_sequence"),
        (lambda rb: rb.read_many(0, -1, 1), ValueError, "min_count"),
        (lambda rb: rb.read_many(0, 3, 2), ValueError, "max_count (2) must be >= min_count (3)"),
        (lambda rb: rb.read_many(0, 0, 1001), ValueError, "max_count must be <= 1000"),
        (lambda rb: rb.read_many(0, "1", 2), TypeError, "min_count"),
    ],
)
def test_bad_arguments_raise_before_sending(rb, context, call, error, words):
    with pytest.raises(error) as raised:
        call(rb)
    assert words in str(raised.value)
    assert context.invocations.sent == []


def test_min_count_above_capacity_is_refused(rb, context):
    with pytest.raises(ValueError, match=r"min_count \(11\) must be <= the capacity of the ringbuffer \(10\)"):
        rb.read_many(0, 11, 20)
    assert context.invocations.types() == [codec.CAPACITY_REQUEST_TYPE]  # the capacity, nothing else
    with pytest.raises(ValueError, match="capacity"):
        rb.read_many_async(0, 11, 20)  # known now: raised at once


def test_min_count_above_capacity_fails_the_async_result_when_capacity_is_unknown(rb, context):
    result = rb.read_many_async(0, 11, 20)
    with pytest.raises(ValueError, match="capacity"):
        result.result(WAIT)
    assert context.invocations.types() == [codec.CAPACITY_REQUEST_TYPE]


def test_capacity_is_cached(rb, context):
    assert rb.capacity() == 10
    assert rb.capacity() == 10
    assert rb.capacity_async().result(0) == 10
    assert context.invocations.types() == [codec.CAPACITY_REQUEST_TYPE]


def test_blocking_reads_have_no_deadline(rb, context):
    rb.capacity()
    rb.read_one_async(3)
    rb.read_many_async(0, 1, 5)
    rb.read_many_async(0, 0, 5)
    rb.size_async()
    one, blocking_many, plain_many, size = context.invocations.sent[1:]
    assert one.deadline == float("inf") and blocking_many.deadline == float("inf")
    assert plain_many.deadline != float("inf") and size.deadline != float("inf")


def test_requests_go_to_the_partition_of_the_name(rb, context):
    rb.size_async()
    expected = context.partitions.partition_id_of(context.serialization.to_data("rb"))
    assert context.invocations.sent[0].partition_id == expected


def test_add_sends_the_policy(rb, context):
    context.invocations.answers[codec.ADD_REQUEST_TYPE] = codec.encode_add_response(-1)
    assert rb.add("x", OverflowPolicy.FAIL) == -1
    request = codec.decode_add_request(context.invocations.sent[0].request)
    assert request["overflow_policy"] == 1 and request["name"] == "rb"


def test_read_many_decodes_a_read_result(rb, context):
    to_data = context.serialization.to_data
    context.invocations.answers[codec.READ_MANY_REQUEST_TYPE] = codec.encode_read_many_response(
        4, [to_data("a"), to_data("b")], [5, 7], 9
    )
    result = rb.read_many(5, 1, 4)
    assert result == ["a", "b"] and result.read_count == 4 and result.next_sequence_to_read_from == 9
    assert result.item_seqs == [5, 7] and result.get_sequence(1) == 7 and result.size == 2


def test_read_result_without_sequences():
    result = ReadResult(2, 2, None, ["x", "y"])
    assert result.get_sequence(1) == ReadResult.SEQUENCE_UNAVAILABLE
    assert result.item_seqs == []
    with pytest.raises(IndexError):
        result.get_sequence(2)
    assert result == ("x", "y") and result != ["x"] and "x" in result
