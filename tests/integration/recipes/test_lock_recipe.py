"""Lock recipe against a real member, under both handlers: holds, fences, timeouts, loss."""

import pytest

from hzgreen.exceptions import IllegalMonitorStateError
from hzgreen.recipes.lock import Lock

WAIT = 30


def test_bound_on_client_and_context_manager(hz_client, unique_name):
    lock = hz_client.Lock(unique_name)
    assert isinstance(lock, Lock)
    assert not lock.is_acquired and lock.fence == 0
    with lock:
        assert lock.is_acquired
        assert lock.fence > 0
        assert lock.is_locked()
    assert not lock.is_acquired
    assert not lock.is_locked()


def test_second_client_waits_times_out_then_gets_larger_fence(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    mine, theirs = hz_client.Lock(unique_name), other.Lock(unique_name)
    assert mine.acquire()
    assert theirs.acquire(blocking=False) is False
    assert theirs.acquire(timeout=0.3) is False
    result = other.handler.async_result()
    other.handler.spawn(lambda: result.set(theirs.acquire(timeout=WAIT)))
    mine.release()
    assert result.get(timeout=WAIT) is True
    # the holder is the spawned task: its fence is larger than the first hold's
    assert other.cp.get_lock(unique_name).get_lock_count() == 1
    assert mine.acquire(timeout=0) is False


def test_reentrant_and_release_by_non_owner_fails(hz_client, unique_name):
    lock = hz_client.Lock(unique_name)
    assert lock.acquire() and lock.acquire()
    fence = lock.fence
    lock.release()
    assert lock.is_acquired and lock.fence == fence
    lock.release()
    assert not lock.is_acquired
    with pytest.raises(IllegalMonitorStateError):
        lock.release()


def test_new_hold_gets_strictly_larger_fence(hz_client, unique_name):
    lock = hz_client.Lock(unique_name)
    fences = []
    for _ in range(3):
        with lock:
            fences.append(lock.fence)
    assert fences == sorted(set(fences)) and len(fences) == 3


def test_session_loss_sets_lost_and_calls_on_lost(hz_client, hz_client_factory, unique_name):
    events = []
    called = hz_client.handler.event_object()

    def on_lost(event):
        events.append(event)
        called.set()

    lock = hz_client.Lock(unique_name, on_lost=on_lost)
    assert lock.acquire()
    sessions = hz_client.cp.session_manager
    sessions.pause_heartbeats()
    other = hz_client_factory().Lock(unique_name)
    # the member expires the silent session (TTL) and hands the lock over
    assert other.acquire(timeout=WAIT)
    # the holder has not heard of it yet, but no longer vouches for it: its lease ran out
    assert not lock.lost.is_set() and not lock.is_acquired
    sessions.resume_heartbeats()  # the next heartbeat hears SESSION_EXPIRED
    assert lock.lost.wait(WAIT), "no loss reported"
    assert called.wait(WAIT)
    assert not lock.is_acquired and lock.fence == 0
    assert events and events[0].session_id > 0
    first_other = other.fence
    other.release()
    # the former holder can lock again (the one-shot ownership error is absorbed)
    assert lock.acquire(timeout=WAIT)
    assert lock.is_acquired and not lock.lost.is_set()
    assert lock.fence > first_other
    lock.release()
