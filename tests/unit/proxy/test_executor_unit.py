"""Executor without a member: argument checks, routing, result order."""

import pytest
from cnt_fakes import WAIT, answer, fail, fake_context, member

from hzgreen.exceptions import HazelcastServerError, NoDataMemberInClusterError
from hzgreen.protocol.codecs import executor_service as codec
from hzgreen.proxy.executor import Executor


@pytest.fixture
def make():
    contexts = []

    def build(members=None):
        context = fake_context(members if members is not None else [member(5701), member(5702)])
        contexts.append(context)
        return Executor("ex", context), context

    yield build
    for context in contexts:
        context.handler.stop()


def _data(context, value):
    return context.serialization.to_data(value)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda e, m: e.execute_on_key_owner(None, "task"), ValueError, "key must not be None"),
        (lambda e, m: e.execute_on_key_owner("k", None), ValueError, "task must not be None"),
        (lambda e, m: e.execute_on_member(None, "task"), ValueError, "member must not be None"),
        (lambda e, m: e.execute_on_member("127.0.0.1:5701", "task"), TypeError, "MemberInfo"),
        (lambda e, m: e.execute_on_member(m, None), ValueError, "task"),
        (lambda e, m: e.execute_on_members(None, "task"), ValueError, "members must not be None"),
        (lambda e, m: e.execute_on_members(m, "task"), TypeError, "list of MemberInfo"),
        (lambda e, m: e.execute_on_members([m, None], "task"), ValueError, "an entry of members"),
        (lambda e, m: e.execute_on_members_async([m, 5], "task"), TypeError, "an entry of members"),
        (lambda e, m: e.execute_on_all_members(None), ValueError, "task"),
        (lambda e, m: e.execute(None), ValueError, "task"),
        (lambda e, m: e.execute_on_members_matching("lite", "task"), TypeError, "member_selector must be callable"),
        (lambda e, m: e.execute_on_members_matching(lambda member: True, None), ValueError, "task"),
    ],
)
def test_bad_arguments_raise_before_sending(make, call, error, words):
    executor, context = make()
    with pytest.raises(error, match=words):
        call(executor, context.cluster.members[0])
    assert context.invocations.sent == []


def test_on_key_owner_goes_to_the_key_partition(make):
    executor, context = make()
    result = executor.execute_on_key_owner_async("k", "the task")
    sent = context.invocations.wait_sent(1)[0]
    assert sent.partition_id == context.partitions.partition_id_of(_data(context, "k"))
    request = codec.decode_submit_to_partition_request(sent.request)
    assert request["name"] == "ex" and request["callable"] == _data(context, "the task")
    answer(sent, codec.encode_submit_to_partition_response(_data(context, 42)))
    assert result.get(timeout=WAIT) == 42


def test_on_member_is_pinned_to_its_connection(make):
    executor, context = make()
    target = context.cluster.members[1]
    result = executor.execute_on_member_async(target, "task")
    sent = context.invocations.wait_sent(1)[0]
    assert codec.decode_submit_to_member_request(sent.request)["member_uuid"] == target.uuid
    assert sent.connection.member_uuid == target.uuid
    answer(sent, codec.encode_submit_to_member_response(None))
    assert result.get(timeout=WAIT) is None


def test_on_members_keeps_the_order_of_the_members(make):
    executor, context = make()
    members = context.cluster.members
    result = executor.execute_on_all_members_async("task")
    first, second = context.invocations.wait_sent(2)
    assert [codec.decode_submit_to_member_request(i.request)["member_uuid"] for i in (first, second)] == [
        m.uuid for m in members
    ]
    answer(second, codec.encode_submit_to_member_response(_data(context, "from 2")))
    answer(first, codec.encode_submit_to_member_response(_data(context, "from 1")))
    assert result.get(timeout=WAIT) == ["from 1", "from 2"]


def test_one_failing_member_fails_the_whole_result(make):
    executor, context = make()
    result = executor.execute_on_members_async(context.cluster.members, "task")
    first, second = context.invocations.wait_sent(2)
    answer(first, codec.encode_submit_to_member_response(_data(context, 1)))
    fail(second, HazelcastServerError("task failed"))
    with pytest.raises(HazelcastServerError, match="task failed"):
        result.get(timeout=WAIT)


def test_execute_needs_a_data_member(make):
    executor, context = make([member(5701, lite=True)])
    with pytest.raises(NoDataMemberInClusterError):
        executor.execute("task")
    assert context.invocations.sent == []


def test_shutdown_goes_to_every_member_and_is_shutdown_to_any(make):
    executor, context = make()
    done = executor.shutdown_async()
    sent = context.invocations.wait_sent(2)
    assert [i.request.get_message_type() for i in sent] == [codec.SHUTDOWN_REQUEST_TYPE] * 2
    assert [i.connection.member_uuid for i in sent] == [m.uuid for m in context.cluster.members]
    answer(sent[0], codec.encode_shutdown_response())
    assert not done.ready()  # until every member answered
    answer(sent[1], codec.encode_shutdown_response())
    assert done.get(timeout=WAIT) is None
    asked = executor.is_shutdown_async()
    answer(context.invocations.wait_sent(3)[2], codec.encode_is_shutdown_response(True))
    assert asked.get(timeout=WAIT) is True


def test_on_members_matching_runs_where_the_selector_says(make):
    executor, context = make()
    members = context.cluster.members
    result = executor.execute_on_members_matching_async(lambda m: m.uuid == members[1].uuid, "task")
    (sent,) = context.invocations.wait_sent(1)
    assert codec.decode_submit_to_member_request(sent.request)["member_uuid"] == members[1].uuid
    answer(sent, codec.encode_submit_to_member_response(_data(context, "only 2")))
    assert result.get(timeout=WAIT) == ["only 2"]
    assert executor.execute_on_members_matching(lambda m: False, "task") == []
    assert len(context.invocations.sent) == 1  # no member matched: nothing more was sent
