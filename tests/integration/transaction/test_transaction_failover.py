"""Transactions on a private three-member cluster: changes spread over every member commit
and roll back as a whole, and killing the member that carries a transaction fails its
commit with a named TransactionError subclass and applies nothing."""

import pytest

from hzgreen.exceptions import (
    TransactionConnectionLostError,
    TransactionError,
    TransactionNotActiveError,
    TransactionTimedOutError,
)
from hzgreen.testing import Cluster
from hzgreen.transaction import TransactionState
from tests.integration.private_cluster import keep_workdir, serve

pytestmark = [pytest.mark.slow, pytest.mark.fault]

KEYS = 40


@pytest.fixture(scope="module")
def cluster3(request):
    """Three members of this module's own: a test kills one and starts it again."""
    yield from serve(Cluster(members=3, keep_workdir=keep_workdir(request)))


@pytest.fixture
def client3(cluster3, hz_client_factory):
    """A client of the three members (killed members started again first)."""
    cluster3.ensure_running()
    return hz_client_factory(cluster=cluster3)


def member_index(cluster, connection):
    """Returns the index in ``cluster`` of the member at the other end of ``connection``."""
    ports = [cluster.port(i) for i in range(cluster.size)]
    return ports.index(connection.remote_address[1])


def test_changes_on_every_member_commit_and_roll_back_as_a_whole(client3, unique_name):
    plain = client3.get_map(unique_name)
    with client3.new_transaction(timeout=60) as transaction:
        txn_map = transaction.get_map(unique_name)
        for key in range(KEYS):
            txn_map.put(key, "v%d" % key)
        transaction.get_queue(unique_name + "-q").offer("item")
    assert plain.size() == KEYS
    assert client3.get_queue(unique_name + "-q").size() == 1
    transaction = client3.new_transaction(timeout=60)
    transaction.begin()
    txn_map = transaction.get_map(unique_name)
    for key in range(KEYS):
        txn_map.put(key, "changed")
    assert transaction.get_queue(unique_name + "-q").poll() == "item"
    transaction.rollback()
    assert dict(plain.entry_set()) == {key: "v%d" % key for key in range(KEYS)}
    assert client3.get_queue(unique_name + "-q").size() == 1


def test_killing_the_member_carrying_the_transaction_fails_the_commit(cluster3, client3, unique_name):
    transaction = client3.new_transaction(timeout=10)
    transaction.begin()
    txn_map = transaction.get_map(unique_name)
    for key in range(KEYS):
        txn_map.put(key, "never")
    transaction.get_list(unique_name + "-l").add("never")
    victim = member_index(cluster3, transaction.connection)
    try:
        cluster3.kill(victim)
        with pytest.raises(TransactionConnectionLostError) as raised:
            transaction.commit()
        assert isinstance(raised.value, TransactionError)
        assert "rolls the transaction back" in str(raised.value)
        assert transaction.state is TransactionState.COMMIT_FAILED
        transaction.rollback()  # the member side is gone with the connection: nothing to send
        assert transaction.state is TransactionState.ROLLED_BACK
        # Nothing was applied, on any member.
        plain = client3.get_map(unique_name)
        assert plain.size() == 0
        assert plain.get_all(list(range(KEYS))) == {}
        assert client3.get_list(unique_name + "-l").size() == 0
        # The keys are not locked for ever: a new transaction writes them all (waiting, at
        # most, for the dead transaction's 10 s locks to lapse).
        with client3.new_transaction(timeout=60) as again:
            again_map = again.get_map(unique_name)
            for key in range(KEYS):
                again_map.put(key, "again")
        assert dict(plain.entry_set()) == {key: "again" for key in range(KEYS)}
    finally:
        cluster3.start_member(victim)


def test_killing_another_member_before_the_commit_applies_all_or_nothing(cluster3, client3, unique_name):
    transaction = client3.new_transaction(timeout=30)
    transaction.begin()
    txn_map = transaction.get_map(unique_name)
    for key in range(KEYS):  # 40 keys over 271 partitions: every member owns some of them
        txn_map.put(key, "v%d" % key)
    carrier = member_index(cluster3, transaction.connection)
    victim = (carrier + 1) % cluster3.size
    try:
        cluster3.kill(victim)
        try:
            transaction.commit()
        except (TransactionError, TransactionNotActiveError, TransactionTimedOutError):
            transaction.rollback()
            expected = {}
        else:
            expected = {key: "v%d" % key for key in range(KEYS)}
        assert transaction.state in (TransactionState.COMMITTED, TransactionState.ROLLED_BACK)
        assert dict(client3.get_map(unique_name).entry_set()) == expected
    finally:
        cluster3.start_member(victim)
