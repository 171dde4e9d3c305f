"""PNCounter without a member: argument checks, replica choice, timestamps, failover, ConsistencyLostError."""

import uuid

import pytest
from cnt_fakes import WAIT, answer, fail, fake_context, member

from hzgreen.exceptions import ConsistencyLostError, NoDataMemberInClusterError, TargetDisconnectedError
from hzgreen.protocol.codecs import pn_counter as codec
from hzgreen.proxy.pn_counter import PNCounter

R1, R2 = uuid.UUID(int=101), uuid.UUID(int=102)


@pytest.fixture
def make():
    contexts = []

    def build(members, replica_count=2):
        context = fake_context(members)
        contexts.append(context)
        counter = PNCounter("c", context)
        counter._max_replica_count = replica_count
        return counter, context

    yield build
    for context in contexts:
        context.handler.stop()


def _request(invocation):
    kind = invocation.request.get_message_type()
    decode = codec.decode_get_request if kind == codec.GET_REQUEST_TYPE else codec.decode_add_request
    return decode(invocation.request)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda c: c.add_and_get(None), TypeError),
        (lambda c: c.get_and_add("1"), TypeError),
        (lambda c: c.subtract_and_get(True), TypeError),
        (lambda c: c.get_and_subtract(1.5), TypeError),
        (lambda c: c.add_and_get_async(2**63), ValueError),
        (lambda c: c.get_and_add(-(2**63) - 1), ValueError),
    ],
)
def test_bad_delta_raises_before_sending(make, call, error):
    counter, context = make([member(5701)])
    with pytest.raises(error, match="delta"):
        call(counter)
    assert context.invocations.sent == []


def test_requests_carry_the_observed_timestamps_and_merge_the_answers(make):
    members = [member(5701), member(5702), member(5703)]
    counter, context = make(members, replica_count=2)
    result = counter.add_and_get_async(5)
    first = context.invocations.wait_sent(1)[0]
    request = _request(first)
    assert request["delta"] == 5 and request["get_before_update"] is False
    assert request["replica_timestamps"] == []
    # Only the first replica_count data members hold replicas; the request is pinned to its connection.
    assert request["target_replica_uuid"] in (members[0].uuid, members[1].uuid)
    assert first.connection.member_uuid == request["target_replica_uuid"]
    answer(first, codec.encode_add_response(5, [(R1, 3), (R2, 1)], 2))
    assert result.get(timeout=WAIT) == 5

    later = counter.get_and_subtract_async(2)
    second = context.invocations.wait_sent(2)[1]
    request = _request(second)
    assert sorted(request["replica_timestamps"]) == [(R1, 3), (R2, 1)]
    assert request["delta"] == -2 and request["get_before_update"] is True
    assert request["target_replica_uuid"] == _request(first)["target_replica_uuid"]  # kept while it serves
    answer(second, codec.encode_add_response(5, [(R1, 2), (R2, 4)], 2))  # an older R1: kept the newer one
    assert later.get(timeout=WAIT) == 5
    assert counter._observed == {R1: 3, R2: 4}

    counter.reset()
    counter.get_async()
    third = context.invocations.wait_sent(3)[2]
    assert third.request.get_message_type() == codec.GET_REQUEST_TYPE
    assert _request(third)["replica_timestamps"] == []


def test_lite_members_hold_no_replica(make):
    lite, data = member(5701, lite=True), member(5702)
    counter, context = make([lite, data], replica_count=5)
    for _ in range(5):
        counter._target = None
        counter.get_async()
        assert _request(context.invocations.sent[-1])["target_replica_uuid"] == data.uuid


def test_a_failed_replica_is_replaced_by_another(make):
    members = [member(5701), member(5702)]
    counter, context = make(members)
    result = counter.increment_and_get_async()
    first = context.invocations.wait_sent(1)[0]
    fail(first, TargetDisconnectedError("connection lost"))
    second = context.invocations.wait_sent(2)[1]
    assert {_request(first)["target_replica_uuid"], _request(second)["target_replica_uuid"]} == {
        m.uuid for m in members
    }
    answer(second, codec.encode_add_response(1, [(R1, 1)], 2))
    assert result.get(timeout=WAIT) == 1
    assert counter._target.uuid == _request(second)["target_replica_uuid"]


def test_consistency_lost_when_no_replica_can_serve(make):
    counter, context = make([member(5701), member(5702)])
    counter._observed = {R1: 7}
    result = counter.get_async()
    fail(context.invocations.wait_sent(1)[0], ConsistencyLostError("stale"))
    fail(context.invocations.wait_sent(2)[1], TargetDisconnectedError("gone"))
    with pytest.raises(ConsistencyLostError, match="stale"):
        result.get(timeout=WAIT)
    assert len(context.invocations.sent) == 2  # each replica tried once

    # reset() forgets the observed state: the next call starts afresh on a replica.
    counter.reset()
    again = counter.get_async()
    third = context.invocations.wait_sent(3)[2]
    assert _request(third)["replica_timestamps"] == []
    answer(third, codec.encode_get_response(0, [(R2, 1)], 2))
    assert again.get(timeout=WAIT) == 0


def test_the_last_error_when_no_replica_lost_consistency(make):
    counter, context = make([member(5701)])
    result = counter.get_async()
    fail(context.invocations.wait_sent(1)[0], TargetDisconnectedError("gone"))
    with pytest.raises(TargetDisconnectedError):
        result.get(timeout=WAIT)


def test_no_data_member(make):
    counter, context = make([member(5701, lite=True)])
    with pytest.raises(NoDataMemberInClusterError, match="data member"):
        counter.get()
    assert context.invocations.sent == []


def test_the_replica_count_is_asked_once_first(make):
    counter, context = make([member(5701), member(5702)], replica_count=0)
    first = counter.get_async()
    count_request = context.invocations.wait_sent(1)[0]
    assert count_request.request.get_message_type() == codec.GET_CONFIGURED_REPLICA_COUNT_REQUEST_TYPE
    answer(count_request, codec.encode_get_configured_replica_count_response(1))
    get_request = context.invocations.wait_sent(2)[1]
    assert _request(get_request)["target_replica_uuid"] == member(5701).uuid  # one replica: the first member
    answer(get_request, codec.encode_get_response(4, [], 1))
    assert first.get(timeout=WAIT) == 4
    assert counter.get_async() is not None
    assert [i.request.get_message_type() for i in context.invocations.wait_sent(3)].count(
        codec.GET_CONFIGURED_REPLICA_COUNT_REQUEST_TYPE
    ) == 1
