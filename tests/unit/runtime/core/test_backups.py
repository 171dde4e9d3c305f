"""The sans-IO backup-ack table: counting, completing, timing out, forgetting."""

from __future__ import annotations

from hzgreen.exceptions import IndeterminateOperationStateError
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.core.backups import BackupAcks, Complete, Indeterminate


def _table(fail=False, pending=()):
    pending = set(pending)
    return BackupAcks(5.0, fail, pending.__contains__, lambda invocation: "Map.put on %r" % invocation), pending


def test_response_without_backups_completes_at_once():
    table, _ = _table()
    assert table.on_response(1, "a", ClientMessage(), 0, 0.0) is True
    assert table.waiting == {}


def test_acks_after_the_response_complete_on_the_last_one():
    table, _ = _table()
    response = ClientMessage()
    assert table.on_response(1, "a", response, 2, 0.0) is False
    assert table.on_ack(1) is None
    done = table.on_ack(1)
    assert done == Complete("a", response)
    assert table.on_ack(1) is None  # a duplicate finds nothing
    assert table.waiting == {} and table.acks == {}


def test_acks_before_the_response_are_counted_only_while_pending():
    table, pending = _table(pending={1})
    assert table.on_ack(1) is None
    assert table.on_ack(2) is None  # unknown id: dropped
    assert table.acks == {1: 1}
    pending.discard(1)
    assert table.on_response(1, "a", ClientMessage(), 1, 0.0) is True
    assert table.acks == {}


def test_expire_completes_or_fails_in_order_and_only_when_due():
    table, _ = _table(fail=True)
    table.on_response(1, "a", ClientMessage(), 1, 0.0)
    table.on_response(2, "b", ClientMessage(), 2, 1.0)
    table.on_ack(2)
    assert table.expire(4.9) == []
    assert table.next_deadline() == 5.0
    [first] = table.expire(5.0)
    assert isinstance(first, Indeterminate) and first.invocation == "a"
    assert isinstance(first.error, IndeterminateOperationStateError)
    assert "Map.put on 'a': 0 of 1 backup acknowledgements received within 5 s" in str(first.error)
    [second] = table.expire(7.0)
    assert second.invocation == "b" and "1 of 2" in str(second.error)
    assert table.waiting == {} and table.acks == {}


def test_expire_without_fail_completes_with_the_response():
    table, _ = _table()
    response = ClientMessage()
    table.on_response(1, "a", response, 1, 0.0)
    assert table.expire(5.0) == [Complete("a", response)]
    assert table.on_ack(1) is None  # too late: dropped


def test_counts_of_requests_that_never_got_a_response_are_dropped():
    table, pending = _table(pending={1, 2})
    table.on_ack(1)
    table.on_ack(2)
    pending.discard(1)  # lost with its connection, say
    table.expire(0.0)
    assert table.acks == {2: 1}


def test_shutdown_returns_the_waiting_calls_and_forgets_everything():
    table, _ = _table(pending={3})
    table.on_response(1, "a", ClientMessage(), 1, 0.0)
    table.on_ack(3)
    assert table.shutdown() == ["a"]
    assert table.waiting == {} and table.acks == {} and table.expire(100.0) == []
