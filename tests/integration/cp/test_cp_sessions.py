"""CP sessions against real members: lazy creation, heartbeats, close on stop, expiry → LOST.

These tests use a cluster of their own (one member, unsafe mode) with a 5 s session TTL,
so expiry takes seconds; some pause or restart its member.
"""

import pytest

from hzgreen import HzState
from hzgreen.cp import INVALID_FENCE, CPSessionEvent
from hzgreen.exceptions import LockOwnershipLostError
from hzgreen.testing import Cluster

TTL = 5


@pytest.fixture(scope="module")
def ttl_cluster():
    cluster = Cluster(members=1, cp_session_ttl_seconds=TTL, cp_session_heartbeat_seconds=1)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def healthy(ttl_cluster):
    """The module cluster, running and resumed before and after the test."""
    ttl_cluster.ensure_running()
    yield ttl_cluster
    ttl_cluster.ensure_running()


def test_session_created_on_first_need_and_closed_on_stop(healthy, hz_client_factory, unique_name, recorder):
    client = hz_client_factory(cluster=healthy)
    other = hz_client_factory(cluster=healthy)
    sessions = client.cp.session_manager
    events = recorder(client.handler)
    client.cp.add_session_listener(events)
    lock = client.cp.get_lock(unique_name)
    counter = client.cp.get_atomic_long(unique_name)
    counter.increment_and_get()
    assert sessions.sessions() == {}  # sessionless structures need none
    fence = lock.lock()
    assert fence > INVALID_FENCE
    ((session_id, references),) = sessions.sessions().values()
    assert references == 1
    assert other.cp.get_lock(unique_name).is_locked() is True
    client.stop()
    # The session was closed at stop(): the member released the lock at once.
    assert other.cp.get_lock(unique_name).is_locked() is False
    (event,) = events.wait_for(lambda items: len(items) == 1, 10)
    assert event.reason == CPSessionEvent.CLOSED and event.session_id == session_id
    assert event.holders == (lock,)
    assert sessions.sessions() == {}


def test_client_restarted_after_stop_gets_new_sessions(healthy, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=healthy)
    lock = client.cp.get_lock(unique_name)
    lock.lock()
    ((first_id, _),) = client.cp.session_manager.sessions().values()
    client.stop()
    client.start(timeout=30)
    assert client.cp.session_manager.sessions() == {}
    # stop() closed the session the lock was held through: the owner hears it once.
    with pytest.raises(LockOwnershipLostError):
        lock.is_locked()
    assert lock.is_locked() is False  # released on the member
    fence = lock.lock()
    assert fence > INVALID_FENCE and lock.get_fence() == fence
    ((second_id, references),) = client.cp.session_manager.sessions().values()
    assert second_id != first_id and references == 1
    lock.unlock()


@pytest.mark.slow
def test_held_lock_outlives_the_ttl(healthy, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=healthy)
    other = hz_client_factory(cluster=healthy)
    lock = client.cp.get_lock(unique_name)
    fence = lock.lock()
    # The other client waits two TTLs in vain: heartbeats keep the session alive.
    assert other.cp.get_lock(unique_name).try_lock(2 * TTL) == INVALID_FENCE
    assert lock.is_locked_by_current_thread() is True
    assert lock.get_fence() == fence
    lock.unlock()
    ((_, references),) = client.cp.session_manager.sessions().values()
    assert references == 0


def test_expiry_found_by_heartbeat_is_surfaced_and_reported_lost(healthy, hz_client_factory, unique_name, recorder):
    client = hz_client_factory(cluster=healthy)
    other = hz_client_factory(cluster=healthy)
    states, events, lost = recorder(client.handler), recorder(client.handler), recorder(client.handler)
    client.add_listener(states)
    client.cp.add_session_listener(events)
    lock = client.cp.get_lock(unique_name)
    lock.add_lost_listener(lost)
    lock.lock()
    ((session_id, _),) = client.cp.session_manager.sessions().values()

    client.cp.session_manager.pause_heartbeats()
    # The member expires the silent session and hands the lock to the other client.
    other_lock = other.cp.get_lock(unique_name)
    assert other_lock.lock() > INVALID_FENCE
    other_lock.unlock()
    client.cp.session_manager.resume_heartbeats()  # the next heartbeat hears SESSION_EXPIRED

    (event,) = events.wait_for(lambda items: len(items) == 1, 30)
    assert event.reason == CPSessionEvent.EXPIRED and event.session_id == session_id
    assert event.holders == (lock,)
    assert lost.wait_for(lambda items: len(items) == 1, 30) == [event]
    assert states.wait_for(lambda items: len(items) == 2, 30) == [HzState.LOST, HzState.CONNECTED]
    assert client.state == HzState.CONNECTED
    with pytest.raises(LockOwnershipLostError):
        lock.unlock()
    # Once told, the caller may lock again (through a new session).
    assert lock.lock() > INVALID_FENCE
    assert client.cp.session_manager.sessions()[lock.group_id][0] != session_id
    lock.unlock()


def test_expiry_found_by_a_lock_call(healthy, hz_client_factory, unique_name, recorder):
    client = hz_client_factory(cluster=healthy)
    other = hz_client_factory(cluster=healthy)
    states = recorder(client.handler)
    client.add_listener(states)
    lock = client.cp.get_lock(unique_name)
    lock.lock()
    client.cp.session_manager.pause_heartbeats()
    other_lock = other.cp.get_lock(unique_name)
    other_lock.lock()
    other_lock.unlock()
    # Reentrant lock() of the former owner: the member says SESSION_EXPIRED.
    with pytest.raises(LockOwnershipLostError):
        lock.lock()
    assert states.wait_for(lambda items: len(items) == 2, 30) == [HzState.LOST, HzState.CONNECTED]
    client.cp.session_manager.resume_heartbeats()
    assert lock.try_lock() > INVALID_FENCE
    lock.unlock()


@pytest.mark.fault
def test_session_presumed_expired_while_suspended(healthy, hz_client_factory, unique_name, recorder):
    client = hz_client_factory(cluster=healthy, heartbeat_interval=0.5, heartbeat_timeout=1.5)
    other = hz_client_factory(cluster=healthy)
    states, events = recorder(client.handler), recorder(client.handler)
    client.add_listener(states)
    client.cp.add_session_listener(events)
    lock = client.cp.get_lock(unique_name)
    lock.lock()
    healthy.pause(0)
    try:
        # Cut off: SUSPENDED quickly, then LOST once a TTL passed without a heartbeat.
        states.wait_for(lambda items: HzState.LOST in items, 4 * TTL)
        (event,) = events.wait_for(lambda items: len(items) == 1, 10)
    finally:
        healthy.resume(0)
    assert event.reason == CPSessionEvent.EXPIRED and event.holders == (lock,)
    assert states.wait_for(lambda items: len(items) == 3, 60) == [HzState.SUSPENDED, HzState.LOST, HzState.CONNECTED]
    with pytest.raises(LockOwnershipLostError):
        lock.unlock()
    # The member let go of the lock (expired, or closed by the client once back).
    assert other.cp.get_lock(unique_name).try_lock(4 * TTL) > INVALID_FENCE


@pytest.mark.fault
def test_sessions_of_a_restarted_cluster_are_lost(healthy, hz_client_factory, unique_name, recorder):
    client = hz_client_factory(cluster=healthy)
    states, events = recorder(client.handler), recorder(client.handler)
    client.add_listener(states)
    client.cp.add_session_listener(events)
    lock = client.cp.get_lock(unique_name)
    lock.lock()
    healthy.restart(0)  # a new cluster id: the client goes LOST by itself
    states.wait_for(lambda items: items[-1:] == [HzState.CONNECTED] and HzState.LOST in items, 60)
    (event,) = events.wait_for(lambda items: len(items) == 1, 30)
    assert event.reason == CPSessionEvent.EXPIRED and event.holders == (lock,)
    assert states.items.count(HzState.LOST) == 1  # the client's own LOST, not a second one
    with pytest.raises(LockOwnershipLostError):
        lock.unlock()
    assert client.cp.session_manager.sessions() == {}
    assert lock.lock() > INVALID_FENCE
    lock.unlock()
