"""Transactions against a real member, under each handler: commit, rollback, the context
manager, ownership by one thread or greenlet, isolation, get_for_update and the timeout."""

import pytest

from hzgreen.exceptions import (
    TransactionError,
    TransactionStateError,
    TransactionThreadError,
    TransactionTimedOutError,
)
from hzgreen.transaction import ONE_PHASE, TransactionState

WAIT = 60.0


class BodyFailed(Exception):
    """Raised inside a with block to make it roll back."""


def in_other_task(client, func):
    """Runs ``func()`` in a new thread (threading) or greenlet (gevent) of the client's handler;
    returns ``("ok", value)`` or ``("error", exception)``."""
    outcome = []

    def run():
        try:
            outcome.append(("ok", func()))
        except BaseException as error:
            outcome.append(("error", error))

    client.handler.spawn(run).join(WAIT)
    assert outcome, "the task did not finish in %s s" % WAIT
    return outcome[0]


def fill_all(transaction, name):
    """Writes one change to each transactional structure of ``name`` (a queue, list and set of one
    name would share the member's transaction log records: each gets a suffix)."""
    transaction.get_map(name).put("k1", "v1")
    transaction.get_map(name).set("k2", "v2")
    transaction.get_queue(name + "-q").offer("q1")
    transaction.get_list(name + "-l").add("l1")
    transaction.get_set(name + "-s").add("s1")
    transaction.get_multi_map(name).put("mk", "m1")
    transaction.get_multi_map(name).put("mk", "m2")


def contents(client, name):
    """Returns what a non-transactional reader sees of each structure :func:`fill_all` wrote."""
    return {
        "map": dict(client.get_map(name).entry_set()),
        "queue": client.get_queue(name + "-q").iterator(),
        "list": client.get_list(name + "-l").get_all(),
        "set": sorted(client.get_set(name + "-s").get_all()),
        "multimap": sorted(client.get_multi_map(name).get("mk")),
    }


EMPTY = {"map": {}, "queue": [], "list": [], "set": [], "multimap": []}


def test_commit_is_visible_to_a_non_transactional_reader(hz_client, unique_name):
    transaction = hz_client.new_transaction()
    transaction.begin()
    assert transaction.state is TransactionState.ACTIVE and transaction.id is not None
    fill_all(transaction, unique_name)
    transaction.commit()
    assert transaction.state is TransactionState.COMMITTED
    assert contents(hz_client, unique_name) == {
        "map": {"k1": "v1", "k2": "v2"},
        "queue": ["q1"],
        "list": ["l1"],
        "set": ["s1"],
        "multimap": ["m1", "m2"],
    }


def test_rollback_leaves_nothing_behind(hz_client, unique_name):
    hz_client.get_map(unique_name).put("old", "kept")
    hz_client.get_queue(unique_name + "-q").offer("head")
    transaction = hz_client.new_transaction(timeout=30)
    transaction.begin()
    fill_all(transaction, unique_name)
    txn_map = transaction.get_map(unique_name)
    assert txn_map.remove("old") == "kept"
    assert transaction.get_queue(unique_name + "-q").poll() == "head"
    assert txn_map.size() == 2
    transaction.rollback()
    assert transaction.state is TransactionState.ROLLED_BACK
    expected = dict(EMPTY, map={"old": "kept"}, queue=["head"])
    assert contents(hz_client, unique_name) == expected
    # The keys the transaction locked are free again: a plain write does not wait.
    assert not hz_client.get_map(unique_name).is_locked("k1")
    hz_client.get_map(unique_name).put("k1", "after")
    assert hz_client.get_map(unique_name).get("k1") == "after"


def test_with_block_commits_on_a_clean_exit(hz_client, unique_name):
    with hz_client.new_transaction() as transaction:
        transaction.get_map(unique_name).put("a", 1)
        transaction.get_list(unique_name + "-l").add("x")
    assert transaction.state is TransactionState.COMMITTED
    assert hz_client.get_map(unique_name).get("a") == 1
    assert hz_client.get_list(unique_name + "-l").get_all() == ["x"]


def test_with_block_rolls_back_when_the_body_raises(hz_client, unique_name):
    with pytest.raises(BodyFailed):
        with hz_client.new_transaction(type=ONE_PHASE) as transaction:
            fill_all(transaction, unique_name)
            raise BodyFailed()
    assert transaction.state is TransactionState.ROLLED_BACK
    assert contents(hz_client, unique_name) == EMPTY


def test_uncommitted_put_is_not_seen_outside(hz_client, unique_name):
    plain = hz_client.get_map(unique_name)
    plain.put("shared", "committed")
    transaction = hz_client.new_transaction()
    transaction.begin()
    txn_map = transaction.get_map(unique_name)
    txn_map.put("shared", "mine")
    txn_map.put("new", "mine too")
    assert txn_map.get("shared") == "mine" and txn_map.get("new") == "mine too"
    assert plain.get("shared") == "committed" and plain.get("new") is None
    assert plain.size() == 1
    transaction.commit()
    assert plain.get("shared") == "mine" and plain.get("new") == "mine too"


def test_another_thread_or_greenlet_gets_a_clear_error(hz_client, unique_name):
    transaction = hz_client.new_transaction()
    transaction.begin()
    txn_map = transaction.get_map(unique_name)
    txn_map.put("k", "owner")
    kind, error = in_other_task(hz_client, lambda: txn_map.put("k", "intruder"))
    assert kind == "error" and isinstance(error, TransactionThreadError)
    assert isinstance(error, TransactionError)
    assert "cannot span threads or greenlets" in str(error)
    kind, error = in_other_task(hz_client, transaction.commit)
    assert kind == "error" and isinstance(error, TransactionThreadError)
    kind, error = in_other_task(hz_client, lambda: transaction.get_queue(unique_name))
    assert kind == "error" and isinstance(error, TransactionThreadError)
    # The owner still commits what it did, and only that.
    assert transaction.state is TransactionState.ACTIVE
    transaction.commit()
    assert hz_client.get_map(unique_name).get("k") == "owner"


def test_a_thread_runs_one_transaction_at_a_time(hz_client, unique_name):
    first = hz_client.new_transaction()
    first.begin()
    second = hz_client.new_transaction()
    with pytest.raises(TransactionStateError, match="nested"):
        second.begin()
    with pytest.raises(TransactionStateError, match="already begun"):
        first.begin()
    first.rollback()
    second.begin()
    second.get_set(unique_name).add("after")
    second.commit()
    with pytest.raises(TransactionStateError):
        second.commit()
    with pytest.raises(TransactionStateError):
        second.get_map(unique_name)
    assert hz_client.get_set(unique_name).get_all() == ["after"]


def test_get_for_update_blocks_another_transaction(hz_client, hz_client_factory, unique_name):
    other_client = hz_client_factory()
    hz_client.get_map(unique_name).put("k", "start")
    holder = hz_client.new_transaction()
    holder.begin()
    assert holder.get_map(unique_name).get_for_update("k") == "start"
    started = other_client.handler.event_object()
    outcome = []

    def contender():
        with other_client.new_transaction(timeout=WAIT) as transaction:
            started.set()
            outcome.append(transaction.get_map(unique_name).get_for_update("k"))

    task = other_client.handler.spawn(contender)
    assert started.wait(WAIT)
    task.join(1.0)  # it must still be waiting for the key
    assert outcome == []
    holder.get_map(unique_name).put("k", "holder's")
    holder.commit()
    task.join(WAIT)
    assert outcome == ["holder's"]


def test_get_for_update_gives_up_at_the_transaction_timeout(hz_client, hz_client_factory, unique_name):
    other_client = hz_client_factory()
    holder = hz_client.new_transaction()
    holder.begin()
    holder.get_map(unique_name).get_for_update("k")

    def contender():
        with other_client.new_transaction(timeout=1) as transaction:
            return transaction.get_map(unique_name).get_for_update("k")

    kind, error = in_other_task(other_client, contender)
    assert kind == "error" and isinstance(error, TransactionTimedOutError), error
    holder.rollback()


def test_commit_after_the_timeout_raises_and_applies_nothing(hz_client, unique_name):
    transaction = hz_client.new_transaction(timeout=1)
    transaction.begin()
    transaction.get_map(unique_name).put("k", "late")
    # Waiting out the transaction's timeout is what this test is about.
    hz_client.handler.event_object().wait(1.5)
    with pytest.raises(TransactionTimedOutError, match="timed out"):
        transaction.commit()
    transaction.rollback()
    assert transaction.state is TransactionState.ROLLED_BACK
    assert hz_client.get_map(unique_name).get("k") is None


def test_transactional_map_methods(hz_client, unique_name):
    from hzgreen import predicate as p

    hz_client.get_map(unique_name).put_all({"a": 1, "b": 2, "c": 3})
    with hz_client.new_transaction() as transaction:
        m = transaction.get_map(unique_name)
        assert m.contains_key("a") and not m.contains_key("z")
        assert not m.is_empty()
        assert m.put_if_absent("a", 100) == 1
        assert m.put_if_absent("d", 4) is None
        assert m.replace("b", 20) == 2
        assert m.replace("zz", 1) is None
        assert m.replace_if_same("c", 3, 30) is True
        assert m.replace_if_same("c", 3, 31) is False
        assert m.remove_if_same("d", 5) is False
        m.delete("a")
        assert m.get("a") is None
        assert sorted(m.key_set()) == ["b", "c", "d"]
        assert sorted(m.values()) == [4, 20, 30]
        assert sorted(m.key_set(p.greater("this", 10))) == ["b", "c"]
        assert sorted(m.values(p.less("this", 10))) == [4]
        assert m.put_async("e", 5).get(WAIT) is None
        assert m.size() == 4
    assert dict(hz_client.get_map(unique_name).entry_set()) == {"b": 20, "c": 30, "d": 4, "e": 5}


def test_transactional_queue_multimap_and_collections(hz_client, unique_name):
    hz_client.get_queue(unique_name).offer("first")
    hz_client.get_multi_map(unique_name).put("k", "x")
    with hz_client.new_transaction() as transaction:
        q = transaction.get_queue(unique_name)
        assert q.peek() == "first"
        assert q.offer("second") is True
        assert q.size() == 2
        assert q.take() == "first"
        assert q.poll(0.1) == "second"
        assert q.poll() is None
        mm = transaction.get_multi_map(unique_name)
        assert mm.put("k", "y") is True
        assert sorted(mm.get("k")) == ["x", "y"]
        assert mm.value_count("k") == 2
        assert mm.remove("k", "x") is True
        assert mm.put("j", "z") and sorted(mm.remove_all("j")) == ["z"]
        assert mm.size() == 1
        s = transaction.get_set(unique_name + "-s")
        assert s.add("a") and not s.add("a") and s.size() == 1
        lst = transaction.get_list(unique_name + "-l")
        assert lst.add("a") and lst.add("a") and lst.remove("a") and lst.size() == 1
    assert hz_client.get_queue(unique_name).size() == 0
    assert hz_client.get_multi_map(unique_name).get("k") == ["y"]
    assert hz_client.get_set(unique_name + "-s").get_all() == ["a"]
    assert hz_client.get_list(unique_name + "-l").get_all() == ["a"]
