"""Recipe waits cost a pending result, not a thread: 10,000 greenlets blocked in
Lock.acquire, CountDownLatch.wait and Semaphore.acquire (50 threads under threading)."""

import threading

import pytest

pytestmark = pytest.mark.slow

WAIT = 300


def _n(handler_name):
    return 10000 if handler_name == "gevent" else 50


def _run(client, handler_name, n, block, release):
    handler = client.handler
    entered, done = [], []
    all_in = handler.event_object()
    before = threading.active_count()

    def waiter():
        entered.append(1)
        if len(entered) == n:
            all_in.set()
        block()
        done.append(1)

    tasks = [handler.spawn(waiter) for _ in range(n)]
    assert all_in.wait(WAIT)
    if handler_name == "gevent":
        assert threading.active_count() == before
    else:
        assert threading.active_count() <= before + n + 3
    assert len(done) == 0 or handler_name == "threading"
    release()
    for task in tasks:
        task.join(WAIT)
    assert len(done) == n


def test_lock_acquire_waiters(hz_client, hz_handler_name, unique_name):
    lock = hz_client.Lock(unique_name)
    holder = hz_client.cp.get_lock(unique_name)
    holder.lock()
    waiters_lock = hz_client.Lock(unique_name)

    def block():
        assert waiters_lock.acquire()
        waiters_lock.release()

    _run(hz_client, hz_handler_name, _n(hz_handler_name), block, holder.unlock)
    assert not lock.is_locked()


def test_latch_wait_waiters(hz_client, hz_handler_name, unique_name):
    latch = hz_client.CountDownLatch(unique_name, 1)
    _run(hz_client, hz_handler_name, _n(hz_handler_name), lambda: latch.wait(), latch.count_down)
    assert latch.count == 0


def test_semaphore_acquire_waiters(hz_client, hz_handler_name, unique_name):
    n = _n(hz_handler_name)
    sem = hz_client.Semaphore(unique_name, max_leases=1)
    assert sem.acquire()
    waiter_sem = hz_client.Semaphore(unique_name, max_leases=1)

    def block():
        assert waiter_sem.acquire()
        waiter_sem.release()

    _run(hz_client, hz_handler_name, n, block, sem.release)
    assert sem.available() == 1
