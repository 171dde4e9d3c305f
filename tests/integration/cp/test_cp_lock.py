"""FencedLock against a real member (CP unsafe mode), both handlers."""

import pytest

from hzgreen.cp import INVALID_FENCE, FencedLock
from hzgreen.exceptions import ClientNotActiveError, IllegalMonitorStateError, LockAcquireLimitReachedError


def test_lock_unlock_fence_and_queries(hz_client, unique_name):
    lock = hz_client.cp.get_lock(unique_name)
    assert isinstance(lock, FencedLock)
    assert lock.is_locked() is False
    assert lock.is_locked_by_current_thread() is False
    assert lock.get_lock_count() == 0
    fence = lock.lock()
    assert fence > INVALID_FENCE
    assert lock.is_locked() is True
    assert lock.is_locked_by_current_thread() is True
    assert lock.get_lock_count() == 1
    assert lock.get_fence() == fence
    lock.unlock()
    assert lock.is_locked() is False
    assert lock.get_lock_count() == 0
    with pytest.raises(IllegalMonitorStateError):
        lock.get_fence()


def test_reentrancy_same_fence_and_lock_count(hz_client, unique_name):
    lock = hz_client.cp.get_lock(unique_name)
    first = lock.lock()
    assert lock.lock() == first
    assert lock.try_lock() == first
    assert lock.get_lock_count() == 3
    lock.unlock()
    assert lock.get_lock_count() == 2
    assert lock.is_locked_by_current_thread() is True
    lock.unlock()
    lock.unlock()
    assert lock.get_lock_count() == 0
    assert lock.is_locked() is False
    # A new acquisition (not reentrant) gets a larger fence.
    assert lock.lock() > first
    lock.unlock()


def test_unlock_without_holding_raises(hz_client, unique_name):
    lock = hz_client.cp.get_lock(unique_name)
    with pytest.raises(IllegalMonitorStateError):
        lock.unlock()
    lock.lock()
    lock.unlock()
    with pytest.raises(IllegalMonitorStateError):
        lock.unlock()


def test_ownership_differs_between_threads_or_greenlets(hz_client, unique_name, elsewhere):
    lock = hz_client.cp.get_lock(unique_name)
    fence = lock.lock()
    try:
        assert lock.is_locked_by_current_thread() is True
        assert elsewhere(hz_client, lock.is_locked_by_current_thread).result(30) is False
        assert elsewhere(hz_client, lock.is_locked).result(30) is True
        assert elsewhere(hz_client, lock.try_lock).result(30) == INVALID_FENCE
        with pytest.raises(IllegalMonitorStateError):
            elsewhere(hz_client, lock.unlock).result(30)
        with pytest.raises(IllegalMonitorStateError):
            elsewhere(hz_client, lock.get_fence).result(30)
        assert lock.get_fence() == fence
    finally:
        lock.unlock()
    assert elsewhere(hz_client, lock.is_locked).result(30) is False


def test_other_caller_waits_until_released(hz_client, unique_name, elsewhere):
    lock = hz_client.cp.get_lock(unique_name)
    first = lock.lock()

    def lock_and_report():
        fence = lock.lock()
        owned = lock.is_locked_by_current_thread()
        lock.unlock()
        return fence, owned

    waiter = elsewhere(hz_client, lock_and_report)
    assert waiter.wait(0.5) is False  # blocked on the member while we hold the lock
    lock.unlock()
    fence, owned = waiter.result(30)
    assert fence > first and owned is True


def test_try_lock_timeout(hz_client, unique_name, elsewhere):
    lock = hz_client.cp.get_lock(unique_name)
    elsewhere(hz_client, lock.lock).result(30)  # held by a caller that is gone
    start = hz_client.handler.monotonic()
    assert lock.try_lock(0.5) == INVALID_FENCE
    assert hz_client.handler.monotonic() - start >= 0.45
    assert lock.try_lock() == INVALID_FENCE
    assert lock.is_locked() is True and lock.get_lock_count() == 1


def test_try_lock_acquires_when_released_within_timeout(hz_client, unique_name, elsewhere):
    lock = hz_client.cp.get_lock(unique_name)
    holder_ready = hz_client.handler.event_object()
    release_now = hz_client.handler.event_object()

    def hold():
        lock.lock()
        holder_ready.set()
        release_now.wait(30)
        lock.unlock()

    holder = elsewhere(hz_client, hold)
    assert holder_ready.wait(30)
    attempt = lock.try_lock_async(30)
    assert attempt.wait(0.3) is False
    release_now.set()
    holder.result(30)
    fence = attempt.result(30)
    assert fence > INVALID_FENCE
    assert lock.is_locked_by_current_thread() is True
    lock.unlock()


def test_async_twins(hz_client, unique_name):
    lock = hz_client.cp.get_lock(unique_name)
    fence = lock.lock_async().result(30)
    assert lock.try_lock_async().result(30) == fence
    assert lock.get_lock_count_async().result(30) == 2
    assert lock.is_locked_async().result(30) is True
    assert lock.is_locked_by_current_thread_async().result(30) is True
    assert lock.get_fence_async().result(30) == fence
    assert lock.unlock_async().result(30) is None
    assert lock.unlock_async().result(30) is None
    assert lock.is_locked_async().result(30) is False
    with pytest.raises(IllegalMonitorStateError):
        lock.unlock_async().result(30)


def test_lock_acquire_limit(custom_client, unique_name):
    # cp_custom_cluster limits locks named limited* to 2 reentrant holds.
    lock = custom_client.cp.get_lock("limited-" + unique_name)
    fence = lock.lock()
    assert lock.lock() == fence
    with pytest.raises(LockAcquireLimitReachedError):
        lock.lock()
    assert lock.try_lock() == INVALID_FENCE
    assert lock.get_lock_count() == 2
    lock.unlock()
    lock.unlock()
    assert lock.is_locked() is False
    # The failed attempts gave their session references back.
    assert custom_client.cp.session_manager.sessions()[lock.group_id][1] == 0


def test_blocking_lock_outlives_invocation_timeout(hz_client_factory, unique_name, elsewhere):
    client = hz_client_factory(invocation_timeout=1.0)
    lock = client.cp.get_lock(unique_name)
    held = client.handler.event_object()
    release_now = client.handler.event_object()

    def hold():
        lock.lock()
        held.set()
        release_now.wait(60)
        lock.unlock()

    def lock_then_unlock():
        fence = lock.lock()
        lock.unlock()
        return fence

    holder = elsewhere(client, hold)
    assert held.wait(30)
    waiting = elsewhere(client, lock_then_unlock)
    # Both wait on the member for longer than invocation_timeout without failing.
    assert lock.try_lock(2.0) == INVALID_FENCE
    assert waiting.ready() is False
    release_now.set()
    holder.result(30)
    assert waiting.result(30) > INVALID_FENCE
    assert lock.is_locked() is False


def test_stop_ends_blocked_waits(hz_client_factory, unique_name, elsewhere):
    client = hz_client_factory()
    other = hz_client_factory()
    other_lock = other.cp.get_lock(unique_name)
    other_lock.lock()
    lock = client.cp.get_lock(unique_name)
    waiters = [elsewhere(client, lock.lock) for _ in range(3)]
    assert lock.try_lock(0.2) == INVALID_FENCE
    client.stop()
    for waiter in waiters:
        with pytest.raises(ClientNotActiveError):
            waiter.result(30)
    assert other_lock.is_locked_by_current_thread() is True
    other_lock.unlock()


def test_destroy(hz_client, unique_name):
    cp = hz_client.cp
    lock = cp.get_lock(unique_name)
    lock.lock()
    lock.destroy()
    assert cp.get_lock(unique_name) is not lock
