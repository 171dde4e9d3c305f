"""Semaphore (session-aware and sessionless) against a real member (unsafe mode), both handlers."""

import pytest

from hzgreen.cp import SessionAwareSemaphore, SessionlessSemaphore
from hzgreen.exceptions import HazelcastServerError, IllegalStateError


def test_session_aware_full_method_set(hz_client, unique_name):
    sem = hz_client.cp.get_semaphore(unique_name)
    assert isinstance(sem, SessionAwareSemaphore) and sem.jdk_compatible is False
    assert sem.init(3) is True
    assert sem.init(10) is False  # already initialized
    assert sem.available_permits() == 3
    assert sem.acquire() is None
    assert sem.acquire(2) is None
    assert sem.available_permits() == 0
    assert sem.held_permits() == 3
    assert sem.try_acquire() is False
    assert sem.try_acquire(1, 0.2) is False
    sem.release(2)
    assert sem.available_permits() == 2
    assert sem.try_acquire(2) is True
    sem.release(3)
    assert sem.held_permits() == 0
    assert sem.drain_permits() == 3
    assert sem.held_permits() == 3
    assert sem.available_permits() == 0
    sem.release(3)
    sem.increase_permits(4)
    assert sem.available_permits() == 7
    sem.reduce_permits(9)
    assert sem.available_permits() == -2
    sem.increase_permits(0)
    sem.reduce_permits(0)
    assert sem.available_permits() == -2
    # Draining a negative count answers it and resets the count to 0.
    assert sem.drain_permits() == -2
    assert sem.available_permits() == 0
    assert sem.held_permits() == 0
    assert hz_client.cp.session_manager.sessions()[sem.group_id][1] == 0


def test_session_aware_references_follow_held_permits(hz_client, unique_name):
    cp = hz_client.cp
    sem = cp.get_semaphore(unique_name)
    sem.init(5)
    sem.acquire(2)
    assert sem.try_acquire(1) is True
    assert cp.session_manager.sessions()[sem.group_id][1] == 3
    assert sem.try_acquire(5) is False  # a failed attempt gives its references back
    assert sem.drain_permits() == 2
    assert cp.session_manager.sessions()[sem.group_id][1] == 5
    sem.release(5)
    assert cp.session_manager.sessions()[sem.group_id][1] == 0


def test_session_aware_release_rules(hz_client, hz_client_factory, unique_name):
    sem = hz_client.cp.get_semaphore(unique_name)
    sem.init(1)
    with pytest.raises(IllegalStateError):
        sem.release()  # this client has no session: it holds nothing
    sem.acquire()
    other = hz_client_factory().cp.get_semaphore(unique_name)
    with pytest.raises(HazelcastServerError):
        other.release()  # permits belong to the session that acquired them
    sem.release()
    assert sem.available_permits() == 1


def test_validation(hz_client, unique_name):
    sem = hz_client.cp.get_semaphore(unique_name)
    with pytest.raises(ValueError):
        sem.init(-1)
    with pytest.raises(ValueError):
        sem.acquire(0)
    with pytest.raises(ValueError):
        sem.try_acquire(-2)
    with pytest.raises(ValueError):
        sem.release(0)
    with pytest.raises(ValueError):
        sem.reduce_permits(-1)
    with pytest.raises(ValueError):
        sem.increase_permits(-1)
    with pytest.raises(TypeError):
        sem.try_acquire(1, "1")


def test_waiter_released_by_release(hz_client, unique_name, elsewhere):
    sem = hz_client.cp.get_semaphore(unique_name)
    sem.init(1)
    sem.acquire()

    def take_two_then_give_back(bounded):
        # Either waiter may be served first; each hands the permits back so
        # the other one is released too, whatever order the member picks.
        if bounded:
            got = sem.try_acquire(2, 30)
        else:
            sem.acquire(2)
            got = True
        if got:
            sem.release(2)
        return got

    waiter = elsewhere(hz_client, take_two_then_give_back, False)
    bounded = elsewhere(hz_client, take_two_then_give_back, True)
    assert waiter.wait(0.3) is False
    sem.increase_permits(1)
    assert waiter.ready() is False and bounded.ready() is False
    sem.release()
    assert waiter.result(30) is True
    assert bounded.result(30) is True
    assert sem.available_permits() == 2


def test_async_twins(hz_client, unique_name):
    sem = hz_client.cp.get_semaphore(unique_name)
    assert sem.init_async(2).result(30) is True
    assert sem.acquire_async().result(30) is None
    assert sem.try_acquire_async(1, 1).result(30) is True
    assert sem.try_acquire_async(1).result(30) is False
    assert sem.available_permits_async().result(30) == 0
    assert sem.release_async(2).result(30) is None
    assert sem.drain_permits_async().result(30) == 2
    assert sem.release_async(2).result(30) is None
    assert sem.increase_permits_async(1).result(30) is None
    assert sem.reduce_permits_async(2).result(30) is None
    assert sem.available_permits_async().result(30) == 1


def test_acquire_longer_than_invocation_timeout(hz_client_factory, unique_name, elsewhere):
    client = hz_client_factory(invocation_timeout=1.0)
    sem = client.cp.get_semaphore(unique_name)
    sem.init(0)
    forever = elsewhere(client, sem.acquire)
    assert sem.try_acquire(1, 2.0) is False
    assert forever.ready() is False
    sem.increase_permits(1)
    assert forever.result(30) is None
    assert sem.available_permits() == 0


def test_sessionless_full_method_set(custom_client, hz_client_factory, cp_custom_cluster, unique_name):
    # cp_custom_cluster configures names jdk* as JDK-compatible (sessionless).
    cp = custom_client.cp
    sem = cp.get_semaphore("jdk-" + unique_name)
    assert isinstance(sem, SessionlessSemaphore) and sem.jdk_compatible is True
    assert sem.init(2) is True
    sem.acquire()
    assert sem.try_acquire(1, 0.1) is True
    assert sem.try_acquire() is False
    assert sem.available_permits() == 0
    # No session is used at all.
    assert sem.group_id not in cp.session_manager.sessions()
    # Anybody may release, even permits it never acquired (JDK semantics).
    other = hz_client_factory(cluster=cp_custom_cluster).cp.get_semaphore("jdk-" + unique_name)
    other.release(3)
    assert sem.available_permits() == 3
    assert sem.drain_permits() == 3
    sem.increase_permits(5)
    sem.reduce_permits(1)
    assert other.available_permits() == 4
    assert sem.acquire_async(4).result(30) is None
    assert sem.try_acquire_async(1).result(30) is False
    assert sem.release_async(1).result(30) is None
    assert sem.drain_permits_async().result(30) == 1
    assert sem.group_id not in cp.session_manager.sessions()


def test_sessionless_thread_ids_per_caller(custom_client, unique_name, elsewhere):
    cp = custom_client.cp
    sem = cp.get_semaphore("jdk-" + unique_name)
    sem.init(1)
    sem.acquire()
    waiter = elsewhere(custom_client, sem.acquire)
    assert waiter.wait(0.2) is False
    elsewhere(custom_client, sem.release).result(30)
    assert waiter.result(30) is None
    # One cluster-wide thread id per (group, local caller): three callers so far.
    assert len(cp._thread_ids) == 3


def test_destroy(hz_client, unique_name):
    cp = hz_client.cp
    sem = cp.get_semaphore(unique_name)
    sem.init(1)
    sem.destroy()
    assert cp.get_semaphore(unique_name) is not sem
