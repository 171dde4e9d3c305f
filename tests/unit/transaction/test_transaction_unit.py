"""Transaction without a member: argument checks, states, ownership, the context manager,
the timeout and the errors a lost connection or a failed commit give."""

import math

import pytest

from hzgreen.exceptions import (
    ConnectionLoss,
    HazelcastServerError,
    TargetDisconnectedError,
    TransactionCommitError,
    TransactionConnectionLostError,
    TransactionError,
    TransactionStateError,
    TransactionThreadError,
    TransactionTimedOutError,
)
from hzgreen.protocol.codecs import transaction as codec
from hzgreen.protocol.codecs import transactional_map as map_codec
from hzgreen.transaction import ONE_PHASE, TWO_PHASE, Transaction, TransactionState
from tests.unit.transaction.conftest import TRANSACTION_ID

WAIT = 10.0


def begun(context, **options):
    """Returns a Transaction of ``context`` begun by the calling thread."""
    transaction = Transaction(context, **options)
    transaction.begin()
    return transaction


def other_thread(handler, func):
    """Returns what ``func()`` raised in another thread (None if it returned)."""
    raised = []

    def run():
        try:
            func()
        except BaseException as error:
            raised.append(error)

    handler.spawn(run).join(WAIT)
    return raised[0] if raised else None


@pytest.mark.parametrize(
    "options, error, words",
    [
        (dict(timeout=0), ValueError, "timeout"),
        (dict(timeout=-1), ValueError, "timeout"),
        (dict(timeout=math.nan), ValueError, "timeout"),
        (dict(timeout=math.inf), ValueError, "timeout"),
        (dict(timeout="10"), TypeError, "timeout"),
        (dict(timeout=None), TypeError, "timeout"),
        (dict(timeout=True), TypeError, "timeout"),
        (dict(durability=-1), ValueError, "durability"),
        (dict(durability=1.5), TypeError, "durability"),
        (dict(durability=None), TypeError, "durability"),
        (dict(transaction_type=3), ValueError, "TWO_PHASE"),
        (dict(transaction_type=None), ValueError, "type"),
        (dict(transaction_type=True), ValueError, "type"),
    ],
)
def test_bad_options_raise_naming_the_argument_before_sending(context, options, error, words):
    with pytest.raises(error, match=words):
        Transaction(context, **options)
    assert context.invocations.sent == []


def test_begin_sends_the_options_and_the_owner_on_one_connection(context, handler):
    transaction = begun(context, timeout=2.5, durability=3, transaction_type=ONE_PHASE)
    (create,) = context.invocations.sent
    request = codec.decode_create_request(create.request)
    assert request == dict(timeout=2500, durability=3, transaction_type=ONE_PHASE, thread_id=handler.current_identity())
    assert create.connection is context.connection
    assert transaction.id == TRANSACTION_ID and transaction.state is TransactionState.ACTIVE
    assert transaction.thread_id == handler.current_identity()


def test_requests_carry_the_transaction_and_go_to_its_connection(context, handler):
    transaction = begun(context)
    transaction.get_map("m").put_async("k", "v", ttl=1.5)
    put = context.invocations.sent[-1]
    request = map_codec.decode_put_request(put.request)
    assert request["txn_id"] == TRANSACTION_ID and request["thread_id"] == handler.current_identity()
    assert request["ttl"] == 1500 and put.connection is context.connection
    transaction.commit()
    assert codec.decode_commit_request(context.invocations.sent[-1].request) == dict(
        transaction_id=TRANSACTION_ID, thread_id=handler.current_identity()
    )
    assert transaction.state is TransactionState.COMMITTED


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda t: t.get_map("m").put(None, 1), ValueError, "key"),
        (lambda t: t.get_map("m").put("k", None), ValueError, "value"),
        (lambda t: t.get_map("m").put("k", 1, ttl=-1), ValueError, "ttl"),
        (lambda t: t.get_map("m").replace_if_same("k", None, 1), ValueError, "old_value"),
        (lambda t: t.get_map("m").key_set("not a predicate"), TypeError, "predicate"),
        (lambda t: t.get_map("m").get_for_update(None), ValueError, "key"),
        (lambda t: t.get_multi_map("mm").remove("k", None), ValueError, "value"),
        (lambda t: t.get_queue("q").offer(None), ValueError, "item"),
        (lambda t: t.get_queue("q").poll(-1), ValueError, "timeout"),
        (lambda t: t.get_queue("q").peek("1"), TypeError, "timeout"),
        (lambda t: t.get_list("l").add(None), ValueError, "item"),
        (lambda t: t.get_set("s").remove(None), ValueError, "item"),
        (lambda t: t.get_map(None), ValueError, "name"),
        (lambda t: t.get_set(42), TypeError, "name"),
    ],
)
def test_bad_arguments_raise_before_anything_is_sent(context, call, error, words):
    transaction = begun(context)
    sent = len(context.invocations.sent)
    with pytest.raises(error, match=words):
        call(transaction)
    assert len(context.invocations.sent) == sent


def test_another_thread_is_refused_before_sending(context, handler):
    transaction = begun(context)
    txn_map = transaction.get_map("m")
    sent = len(context.invocations.sent)
    for use in (
        lambda: txn_map.put("k", "v"),
        transaction.commit,
        transaction.rollback,
        lambda: transaction.get_map("m"),
    ):
        error = other_thread(handler, use)
        assert isinstance(error, TransactionThreadError) and isinstance(error, TransactionError)
        assert "cannot span threads or greenlets" in str(error)
    assert len(context.invocations.sent) == sent
    assert transaction.state is TransactionState.ACTIVE


def test_states_refuse_what_they_do_not_allow(context):
    transaction = Transaction(context)
    with pytest.raises(TransactionStateError, match="begin"):
        transaction.get_map("m")
    transaction.begin()
    with pytest.raises(TransactionStateError, match="already begun"):
        transaction.begin()
    nested = Transaction(context)
    with pytest.raises(TransactionStateError, match="nested"):
        nested.begin()
    transaction.rollback()
    assert transaction.state is TransactionState.ROLLED_BACK
    for call in (transaction.commit, transaction.rollback, lambda: transaction.get_queue("q")):
        with pytest.raises(TransactionStateError, match="not active"):
            call()
    nested.begin()  # the thread is free again
    assert nested.state is TransactionState.ACTIVE


def test_with_block_commits_or_rolls_back(context):
    with Transaction(context) as transaction:
        transaction.get_set("s").add_async("x")
    assert transaction.state is TransactionState.COMMITTED
    types = [sent.request.get_message_type() for sent in context.invocations.sent]
    assert types[-1] == codec.COMMIT_REQUEST_TYPE

    with pytest.raises(KeyError):
        with Transaction(context) as failing:
            raise KeyError("body")
    assert failing.state is TransactionState.ROLLED_BACK
    assert context.invocations.sent[-1].request.get_message_type() == codec.ROLLBACK_REQUEST_TYPE


def test_commit_after_the_timeout_raises_without_sending(context, handler, monkeypatch):
    transaction = begun(context, timeout=5)
    later = handler.monotonic() + 6
    monkeypatch.setattr(handler, "monotonic", lambda: later)
    sent = len(context.invocations.sent)
    with pytest.raises(TransactionTimedOutError, match="timed out"):
        transaction.commit()
    assert len(context.invocations.sent) == sent
    assert transaction.state is TransactionState.COMMIT_FAILED
    transaction.rollback()
    assert context.invocations.sent[-1].request.get_message_type() == codec.ROLLBACK_REQUEST_TYPE
    assert transaction.state is TransactionState.ROLLED_BACK


def test_a_lost_connection_fails_the_commit_with_a_named_error(context):
    del context.invocations.answers[codec.COMMIT_REQUEST_TYPE]
    transaction = begun(context)
    result = transaction.commit_async()
    commit = context.invocations.sent[-1]
    lost = TargetDisconnectedError("Transaction.commit: connection closed")
    commit.future.set_exception(lost)
    with pytest.raises(TransactionConnectionLostError, match="rolls the transaction back") as raised:
        result.get(timeout=WAIT)
    assert isinstance(raised.value, TransactionError) and isinstance(raised.value, ConnectionLoss)
    assert raised.value.__cause__ is lost
    assert transaction.state is TransactionState.COMMIT_FAILED
    # The member rolled the transaction back with the connection: rollback sends nothing.
    context.connection.alive = False
    sent = len(context.invocations.sent)
    transaction.rollback()
    assert len(context.invocations.sent) == sent and transaction.state is TransactionState.ROLLED_BACK


def test_an_other_commit_failure_is_a_transaction_commit_error(context):
    del context.invocations.answers[codec.COMMIT_REQUEST_TYPE]
    transaction = begun(context)
    result = transaction.commit_async()
    cause = HazelcastServerError("member left", "com.hazelcast.core.MemberLeftException", 33)
    context.invocations.sent[-1].future.set_exception(cause)
    with pytest.raises(TransactionCommitError) as raised:
        result.get(timeout=WAIT)
    assert raised.value.__cause__ is cause and "failed" in str(raised.value)


def test_a_refused_begin_frees_the_thread(context):
    del context.invocations.answers[codec.CREATE_REQUEST_TYPE]
    transaction = Transaction(context)
    result = transaction.begin_async()
    context.invocations.sent[-1].future.set_exception(TransactionError("refused"))
    with pytest.raises(TransactionError, match="refused"):
        result.get(timeout=WAIT)
    assert transaction.state is TransactionState.ROLLED_BACK
    context.invocations.answers[codec.CREATE_REQUEST_TYPE] = None
    assert begun_again(context).state is TransactionState.ACTIVE


def begun_again(context):
    """Returns a Transaction begun after the fixture's answers were restored."""
    from hzgreen.protocol.codecs import transaction as c
    from tests.unit.proxy.fakes import as_received

    context.invocations.answers[c.CREATE_REQUEST_TYPE] = as_received(
        c.encode_create_response(TRANSACTION_ID), request=False
    )
    return begun(context)


def test_structures_are_made_once_per_transaction(context):
    transaction = begun(context, transaction_type=TWO_PHASE)
    assert transaction.get_map("m") is transaction.get_map("m")
    assert transaction.get_map("m") is not transaction.get_multi_map("m")
    assert "TransactionalMap(name='m'" in repr(transaction.get_map("m"))
    assert "TWO_PHASE" in repr(transaction)


def test_a_queue_and_a_collection_of_one_name_are_refused(context):
    transaction = begun(context)
    transaction.get_queue("shared")
    transaction.get_map("shared")  # maps and multimaps keep their own logs
    with pytest.raises(ValueError, match="TransactionalList and a TransactionalQueue"):
        transaction.get_list("shared")
    other = Transaction(context)
    transaction.rollback()
    other.begin()
    other.get_set("shared")
    with pytest.raises(ValueError, match="same name"):
        other.get_queue("shared")


def test_a_rollback_cut_by_the_connection_succeeds_and_other_failures_raise(context):
    del context.invocations.answers[codec.ROLLBACK_REQUEST_TYPE]
    transaction = begun(context)
    result = transaction.rollback_async()
    context.invocations.sent[-1].future.set_exception(TargetDisconnectedError("connection closed"))
    assert result.get(timeout=WAIT) is None
    assert transaction.state is TransactionState.ROLLED_BACK

    refused = Transaction(context)
    refused.begin()
    result = refused.rollback_async()
    context.invocations.sent[-1].future.set_exception(TransactionError("member refused"))
    with pytest.raises(TransactionError, match="member refused"):
        result.get(timeout=WAIT)
    assert refused.state is TransactionState.ROLLED_BACK
