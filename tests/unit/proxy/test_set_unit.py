"""Set without a member: argument checks before anything is sent, routing to the set's
partition, and the requests and results of each operation."""

import pytest

from hzgreen.protocol.codecs import set as codec
from hzgreen.proxy.set import Set
from tests.unit.proxy.fakes import WAIT, ModuloPartitions, answer_received, as_received, make_context


@pytest.fixture
def context(handler):
    return make_context(handler, partitions=ModuloPartitions())


@pytest.fixture
def s(context):
    return Set("the-set", context)


@pytest.mark.parametrize(
    "call, error, what",
    [
        (lambda s: s.add(None), ValueError, "item must not be None"),
        (lambda s: s.remove(None), ValueError, "item must not be None"),
        (lambda s: s.contains_async(None), ValueError, "item must not be None"),
        (lambda s: s.add_all(None), ValueError, "items must not be None"),
        (lambda s: s.add_all([1, None]), ValueError, "an item of items must not be None"),
        (lambda s: s.remove_all("ab"), TypeError, "not a single str"),
        (lambda s: s.retain_all(b"ab"), TypeError, "not a single bytes"),
        (lambda s: s.contains_all(5), TypeError, "items must be a collection of items"),
    ],
)
def test_bad_arguments_raise_before_sending(s, context, call, error, what):
    with pytest.raises(error, match=what):
        call(s)
    assert context.invocations.sent == []


def test_requests_go_to_the_partition_of_the_name(s, context):
    s.add_async("x")
    s.size_async()
    named = Set("other@the-set", context)  # the part after @ picks the partition
    named.clear_async()
    partition = context.partitions.partition_id_of(context.serialization.to_data("the-set"))
    assert [inv.partition_id for inv in context.invocations.sent] == [partition] * 3
    add = codec.decode_add_request(as_received(context.invocations.sent[0].request))
    assert add == {"name": "the-set", "value": context.serialization.to_data("x")}
    assert codec.decode_clear_request(as_received(context.invocations.sent[2].request)) == {"name": "other@the-set"}


def test_results_are_decoded(s, context):
    to_data = context.serialization.to_data
    calls = [
        (s.add_async("a"), codec.encode_add_response(True), True),
        (s.add_all_async(["a", "b"]), codec.encode_add_all_response(False), False),
        (s.remove_async("a"), codec.encode_remove_response(True), True),
        (s.remove_all_async(["a"]), codec.encode_compare_and_remove_all_response(True), True),
        (s.retain_all_async([]), codec.encode_compare_and_retain_all_response(False), False),
        (s.contains_async("a"), codec.encode_contains_response(True), True),
        (s.contains_all_async(["a"]), codec.encode_contains_all_response(False), False),
        (s.get_all_async(), codec.encode_get_all_response([to_data("a"), to_data(2)]), ["a", 2]),
        (s.size_async(), codec.encode_size_response(4), 4),
        (s.is_empty_async(), codec.encode_is_empty_response(True), True),
        (s.clear_async(), codec.encode_clear_response(), None),
    ]
    for invocation, (_, response, _) in zip(context.invocations.sent, calls):
        answer_received(invocation, response)
    assert [result.get(WAIT) for result, _, expected in calls] == [expected for _, _, expected in calls]


def test_bulk_requests_carry_every_item(s, context):
    s.retain_all_async(iter(["a", 1]))
    values = codec.decode_compare_and_retain_all_request(as_received(context.invocations.sent[0].request))["values"]
    assert [context.serialization.to_object(v) for v in values] == ["a", 1]
