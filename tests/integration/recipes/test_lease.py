"""NonBlockingLease and MultiNonBlockingLease against real members (Kazoo's semantics)."""

import datetime

import pytest

import tests.integration.recipes.test_watchers as watch_tests
from hzgreen import HzState
from hzgreen.recipes.lease import MultiNonBlockingLease, NonBlockingLease
from tests.integration.private_cluster import quick_reconnect_client

HOUR = datetime.timedelta(hours=1)


class Clock:
    """A settable UTC clock, injected as ``utcnow`` (Kazoo's tests do the same)."""

    def __init__(self):
        self.now = datetime.datetime(2030, 1, 1, 12, 0, 0)

    def __call__(self):
        return self.now


def test_lease_is_exclusive_renewable_and_taken_over_once_expired(hz_client, unique_name):
    clock = Clock()
    first = hz_client.NonBlockingLease(unique_name, HOUR, "a", utcnow=clock)
    assert isinstance(first, NonBlockingLease)
    assert first and first.obtained and first.held
    assert not hz_client.NonBlockingLease(unique_name, HOUR, "b", utcnow=clock)
    clock.now += datetime.timedelta(minutes=59)
    renewed = hz_client.NonBlockingLease(unique_name, HOUR, "a", utcnow=clock)  # the holder renews
    assert renewed
    clock.now += datetime.timedelta(minutes=30)  # past the first end, within the renewed one
    assert not hz_client.NonBlockingLease(unique_name, HOUR, "b", utcnow=clock)
    clock.now += datetime.timedelta(minutes=31)  # the renewed lease has ended
    taken = hz_client.NonBlockingLease(unique_name, 60.0, "b", utcnow=clock)
    assert taken and taken.identifier == "b"
    assert not hz_client.NonBlockingLease(unique_name, HOUR, "a", utcnow=clock)
    assert "held=True" in repr(taken)


def test_lease_is_shared_between_clients(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    assert hz_client.NonBlockingLease(unique_name, 30.0, "one")
    assert not NonBlockingLease(other, unique_name, 30.0, "two")
    assert NonBlockingLease(other, unique_name, 30.0, "one")  # the identifier holds, not the client


def test_lease_is_falsy_once_its_duration_ran_out_locally(hz_client, unique_name):
    lease = hz_client.NonBlockingLease(unique_name, 30.0, "a")
    assert lease.held
    lease._deadline = hz_client.handler.monotonic() - 0.001  # as if 30 s had gone by
    assert not lease and lease.obtained


def test_multi_lease_takes_one_free_slot(hz_client, unique_name):
    clock = Clock()
    leases = [hz_client.MultiNonBlockingLease(2, unique_name, HOUR, ident, utcnow=clock) for ident in "abc"]
    assert all(isinstance(lease, MultiNonBlockingLease) for lease in leases)
    assert [bool(lease) for lease in leases] == [True, True, False]
    assert [lease.lease.name for lease in leases[:2]] == [unique_name + "/0", unique_name + "/1"]
    assert leases[2].lease is None and not leases[2].obtained
    again = hz_client.MultiNonBlockingLease(2, unique_name, HOUR, "b", utcnow=clock)
    assert again and again.lease.name == unique_name + "/1"  # "b" renews its own slot
    clock.now += 2 * HOUR
    assert hz_client.MultiNonBlockingLease(2, unique_name, HOUR, "c", utcnow=clock)


def test_lease_arguments_are_checked(hz_client, unique_name):
    with pytest.raises(ValueError):
        hz_client.NonBlockingLease(unique_name, 0, "a")
    with pytest.raises(TypeError):
        hz_client.NonBlockingLease(unique_name, "1h", "a")
    with pytest.raises(TypeError):
        hz_client.NonBlockingLease(unique_name, 10.0, 42)
    with pytest.raises(ValueError):
        hz_client.MultiNonBlockingLease(0, unique_name, 10.0)
    lease = hz_client.NonBlockingLease(unique_name, 10.0)  # the default identifier
    assert lease and "-" in lease.identifier


@pytest.mark.fault
def test_lease_is_not_held_after_lost(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=1)
    client = quick_reconnect_client(cluster, hz_handler)
    states = watch_tests.Calls(hz_handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        lease = client.NonBlockingLease(unique_name, HOUR, "a")
        assert lease
        cluster.restart_all()  # a new cluster: the lease record is gone
        states.wait_for(
            lambda values: values[-1:] == [HzState.CONNECTED] and HzState.LOST in values, "no LOST -> CONNECTED"
        )
        assert not lease and lease.obtained
        assert client.NonBlockingLease(unique_name, HOUR, "b")  # free on the new cluster
    finally:
        client.close()
