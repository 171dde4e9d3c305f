"""PNCounter (client.get_pn_counter) against real members."""

import pytest

from hzgreen.exceptions import ConsistencyLostError
from hzgreen.protocol.codecs import pn_counter as codec
from hzgreen.runtime.invocation import Invocation

WAIT = 60


def test_operations(hz_client, unique_name):
    counter = hz_client.get_pn_counter(unique_name)
    assert hz_client.get_pn_counter(unique_name) is counter
    assert counter.get() == 0
    assert counter.add_and_get(5) == 5
    assert counter.decrement_and_get() == 4
    assert counter.get_and_increment() == 4
    assert counter.get() == 5
    assert counter.get_and_add(10) == 5
    assert counter.subtract_and_get(3) == 12
    assert counter.get_and_subtract(2) == 12
    assert counter.increment_and_get() == 11
    assert counter.get_and_decrement() == 11
    assert counter.get() == 10
    assert counter.add_and_get(-(2**62)) == 10 - 2**62


def test_async_twins_and_observed_timestamps(hz_client, unique_name):
    counter = hz_client.get_pn_counter(unique_name)
    results = [counter.increment_and_get_async() for _ in range(50)]
    values = sorted(r.get(timeout=WAIT) for r in results)
    assert values == list(range(1, 51))
    assert counter.get_async().result(WAIT) == 50
    assert counter._observed, "the replica's timestamps are kept"
    counter.reset()
    assert counter._observed == {}
    assert counter.reset_async().get(timeout=WAIT) is None
    assert counter.get() == 50  # a single replica holds everything


def test_shared_between_clients(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    hz_client.get_pn_counter(unique_name).add_and_get(7)
    assert other.get_pn_counter(unique_name).add_and_get(3) == 10


def test_bad_delta_is_refused(hz_client, unique_name):
    counter = hz_client.get_pn_counter(unique_name)
    with pytest.raises(TypeError, match="delta"):
        counter.add_and_get(None)
    with pytest.raises(ValueError, match="delta"):
        counter.get_and_add(2**63)
    assert counter.get() == 0


# -- three replicas: losing the one the counter talks to --------------------------------


def _value_on(client, name, member):
    """The counter's value as ``member``'s replica holds it (asked with no observed timestamps)."""
    future = client.handler.async_result()
    # Through any connection when there is none to the member yet: the request names the replica.
    connection = next((c for c in client._connections.active_connections if c.member_uuid == member.uuid), None)
    request = codec.encode_get_request(name, [], member.uuid)
    client.invocations.invoke(Invocation(request, future, -1, connection, codec.decode_get_response))
    return future.get(timeout=WAIT)["value"]


def _wait_replicated(client, name, members, expected):
    deadline = client.handler.monotonic() + WAIT
    while True:
        values = [_value_on(client, name, m) for m in members]
        if values == [expected] * len(members):
            return
        assert client.handler.monotonic() < deadline, "replicas still hold %r, expected %r" % (values, expected)
        client.handler.sleep_func(0.2)  # polling the replicas' state, not synchronising with a thread


def _member_index(cluster, member):
    address = "%s:%d" % (member.address.host, member.address.port)
    return cluster.addresses.index(address)


@pytest.mark.slow
def test_carries_on_when_its_replica_dies(hz_cluster3, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=hz_cluster3)
    counter = client.get_pn_counter(unique_name)
    assert counter.add_and_get(10) == 10
    target = counter._target
    survivors = [m for m in client.cluster.members if m.uuid != target.uuid]
    # Every other replica holds the observed state once replication ran.
    _wait_replicated(client, unique_name, survivors, 10)
    hz_cluster3.kill(_member_index(hz_cluster3, target))
    assert counter.increment_and_get() == 11
    assert counter._target.uuid != target.uuid
    assert counter.get() == 11


@pytest.mark.slow
def test_consistency_lost_when_no_replica_has_the_observed_state(hz_cluster3, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=hz_cluster3)
    counter = client.get_pn_counter(unique_name)
    assert counter.add_and_get(3) == 3
    target = counter._target
    # Killed at once: replication (every second) has most likely not reached the others yet.
    # (Asking the other replicas first would not do: a read gives a replica's own entry to
    # its vector clock, and then it no longer counts as behind the observed one.)
    hz_cluster3.kill(_member_index(hz_cluster3, target))
    try:
        value = counter.add_and_get(5)
    except ConsistencyLostError:
        assert counter._target is None  # every replica was tried
        counter.reset()
        value = counter.add_and_get(5)  # carries on with what the survivors hold
        assert value in (5, 8)
    else:
        # Replication reached a survivor before the kill: it serves the observed state.
        assert value == 8
    assert counter._target.uuid != target.uuid
    assert counter.get() == value
