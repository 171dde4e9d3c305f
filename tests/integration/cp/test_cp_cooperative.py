"""Blocked CP waits cost a pending result, not an OS thread.

Under gevent 10,000 greenlets block in FencedLock.lock, CountDownLatch.await_latch and
Semaphore.acquire; the thread count must not move, and every waiter must complete once
released. Under threading the same runs with 50 threads (one per waiter, the caller's
own): the client adds no thread per wait.
"""

import threading

import pytest

pytestmark = pytest.mark.slow

GREENLETS = 10000
THREADS = 50
# Threads the threading client may start on its own meanwhile (its periodic pings).
THREAD_SLACK = 3


def _waiters(handler_name):
    return GREENLETS if handler_name == "gevent" else THREADS


class _Entered:
    """Counts callers that reached the blocking call; an event fires when all did."""

    def __init__(self, handler, expected):
        self._lock = handler.lock_object()
        self.count = 0
        self.expected = expected
        self.all_in = handler.event_object()

    def __call__(self):
        with self._lock:
            self.count += 1
            if self.count == self.expected:
                self.all_in.set()


def _check_threads(handler_name, before, waiters):
    now = threading.active_count()
    if handler_name == "gevent":
        assert now == before, "gevent client started %d OS thread(s)" % (now - before)
    else:
        assert now <= before + waiters + THREAD_SLACK


def _spawn_all(client, n, func):
    return [client.handler.spawn(func) for _ in range(n)]


def _join_all(tasks, timeout):
    for task in tasks:
        task.join(timeout)


def test_lock_waiters(hz_client, hz_handler_name, unique_name):
    n = _waiters(hz_handler_name)
    handler = hz_client.handler
    lock = hz_client.cp.get_lock(unique_name)
    first = lock.lock()  # session created, heartbeats running: the client is warm
    before = threading.active_count()
    entered = _Entered(handler, n)
    fences = []

    def waiter():
        entered()
        fence = lock.lock()
        fences.append(fence)
        lock.unlock()

    tasks = _spawn_all(hz_client, n, waiter)
    assert entered.all_in.wait(120)
    assert lock.get_lock_count() == 1  # a round trip behind the waiters' requests
    assert fences == []
    _check_threads(hz_handler_name, before, n)
    lock.unlock()
    _join_all(tasks, 300)
    assert len(fences) == n
    assert fences == sorted(fences) and len(set(fences)) == n and fences[0] > first
    assert lock.is_locked() is False
    if hz_handler_name == "gevent":
        assert threading.active_count() == before


def test_latch_waiters(hz_client, hz_handler_name, unique_name):
    n = _waiters(hz_handler_name)
    handler = hz_client.handler
    latch = hz_client.cp.get_count_down_latch(unique_name)
    assert latch.try_set_count(1)
    before = threading.active_count()
    entered = _Entered(handler, n)
    released = []

    def waiter():
        entered()
        released.append(latch.await_latch())

    tasks = _spawn_all(hz_client, n, waiter)
    assert entered.all_in.wait(120)
    assert latch.get_count() == 1
    assert released == []
    _check_threads(hz_handler_name, before, n)
    latch.count_down()
    _join_all(tasks, 300)
    assert released == [True] * n
    if hz_handler_name == "gevent":
        assert threading.active_count() == before


def test_semaphore_waiters(hz_client, hz_handler_name, unique_name):
    n = _waiters(hz_handler_name)
    handler = hz_client.handler
    sem = hz_client.cp.get_semaphore(unique_name)
    assert sem.init(0)
    sem.increase_permits(1)
    sem.acquire()  # session created, heartbeats running
    before = threading.active_count()
    entered = _Entered(handler, n)
    acquired = []

    def waiter():
        entered()
        sem.acquire()
        acquired.append(1)

    tasks = _spawn_all(hz_client, n, waiter)
    assert entered.all_in.wait(120)
    assert sem.available_permits() == 0
    assert acquired == []
    _check_threads(hz_handler_name, before, n)
    sem.increase_permits(n)
    _join_all(tasks, 300)
    assert len(acquired) == n
    assert sem.available_permits() == 0
    sem.release(n + 1)
    assert sem.available_permits() == n + 1
    if hz_handler_name == "gevent":
        assert threading.active_count() == before
