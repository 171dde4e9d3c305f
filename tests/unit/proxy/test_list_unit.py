"""List without a member: index and item checks before anything is sent, the requests
of the index operations, their decoded results, and list_iterator's index error."""

import pytest

from hzgreen.exceptions import HzTimeoutError, IllegalArgumentError, IndexOutOfBoundsError
from hzgreen.protocol.codecs import list as codec
from hzgreen.proxy.list import INT_MAX, List, check_index
from tests.unit.proxy.fakes import WAIT, ModuloPartitions, answer_received, as_received, make_context


@pytest.fixture
def context(handler):
    return make_context(handler, partitions=ModuloPartitions())


@pytest.fixture
def lst(context):
    return List("the-list", context)


@pytest.mark.parametrize(
    "call, error, what",
    [
        (lambda lst: lst.get(-1), ValueError, "index must be between 0 and"),
        (lambda lst: lst.get(INT_MAX + 1), ValueError, "index must be between 0 and"),
        (lambda lst: lst.get(1.0), TypeError, "index must be an int"),
        (lambda lst: lst.remove_at(False), TypeError, "index must be an int"),
        (lambda lst: lst.set_at(None, "x"), TypeError, "index must be an int"),
        (lambda lst: lst.set_at(0, None), ValueError, "item must not be None"),
        (lambda lst: lst.add_at(0, None), ValueError, "item must not be None"),
        (lambda lst: lst.add_at("0", 1), TypeError, "index must be an int"),
        (lambda lst: lst.add_all_at(0, None), ValueError, "items must not be None"),
        (lambda lst: lst.add_all_at(0, "abc"), TypeError, "not a single str"),
        (lambda lst: lst.add_all_at(-2, [1]), ValueError, "index must be between"),
        (lambda lst: lst.sub_list(-1, 2), ValueError, "from_index must be between"),
        (lambda lst: lst.sub_list(0, "2"), TypeError, "to_index must be an int"),
        (lambda lst: lst.sub_list(3, 2), ValueError, r"from_index \(3\) must not be greater than to_index \(2\)"),
        (lambda lst: lst.list_iterator(-1), ValueError, "index must be between"),
        (lambda lst: lst.index_of(None), ValueError, "item must not be None"),
        (lambda lst: lst.last_index_of(None), ValueError, "item must not be None"),
        (lambda lst: lst.add(None), ValueError, "item must not be None"),
    ],
)
def test_bad_arguments_raise_before_sending(lst, context, call, error, what):
    with pytest.raises(error, match=what):
        call(lst)
    assert context.invocations.sent == []


def test_check_index_returns_the_index():
    assert check_index(0) == 0 and check_index(INT_MAX) == INT_MAX


def test_index_requests(lst, context):
    to_data = context.serialization.to_data
    lst.add_at_async(2, "x")
    lst.add_all_at_async(1, ["a", "b"])
    lst.sub_list_async(1, 4)
    lst.list_iterator_async()
    sent = [as_received(inv.request) for inv in context.invocations.sent]
    assert codec.decode_add_with_index_request(sent[0]) == {"name": "the-list", "index": 2, "value": to_data("x")}
    assert codec.decode_add_all_with_index_request(sent[1]) == {
        "name": "the-list",
        "index": 1,
        "value_list": [to_data("a"), to_data("b")],
    }
    assert codec.decode_sub_request(sent[2]) == {"name": "the-list", "from": 1, "to": 4}
    assert codec.decode_list_iterator_request(sent[3]) == {"name": "the-list", "index": 0}
    partition = context.partitions.partition_id_of(to_data("the-list"))
    assert {inv.partition_id for inv in context.invocations.sent} == {partition}


def test_results_are_decoded(lst, context):
    to_data = context.serialization.to_data
    calls = [
        (lst.get_async(0), codec.encode_get_response(to_data("a")), "a"),
        (lst.set_at_async(0, "b"), codec.encode_set_response(to_data("a")), "a"),
        (lst.remove_at_async(0), codec.encode_remove_with_index_response(to_data([1, 2])), [1, 2]),
        (lst.add_at_async(0, 1), codec.encode_add_with_index_response(), None),
        (lst.add_all_at_async(0, [1]), codec.encode_add_all_with_index_response(True), True),
        (lst.index_of_async("a"), codec.encode_index_of_response(-1), -1),
        (lst.last_index_of_async("a"), codec.encode_last_index_of_response(3), 3),
        (lst.sub_list_async(0, 1), codec.encode_sub_response([to_data("s")]), ["s"]),
        (lst.iterator_async(), codec.encode_iterator_response([to_data(1), to_data(2)]), [1, 2]),
        (lst.list_iterator_async(1), codec.encode_list_iterator_response([to_data(2)]), [2]),
        (lst.get_all_async(), codec.encode_get_all_response([]), []),
    ]
    for invocation, (_, response, _) in zip(context.invocations.sent, calls):
        answer_received(invocation, response)
    assert [result.get(WAIT) for result, _, expected in calls] == [expected for _, _, expected in calls]


def test_list_iterator_past_the_end_is_an_index_error(lst, context):
    past_end = lst.list_iterator_async(5)
    refused = IllegalArgumentError("fromIndex(5) > toIndex(2)", "java.lang.IllegalArgumentException")
    context.invocations.sent[0].future.set_exception(refused)
    with pytest.raises(IndexOutOfBoundsError, match="index 5 is past the end") as caught:
        past_end.get(WAIT)
    assert caught.value.cause is refused

    other = lst.list_iterator_async(0)
    context.invocations.sent[1].future.set_exception(HzTimeoutError("no answer"))
    with pytest.raises(HzTimeoutError):
        other.get(WAIT)
