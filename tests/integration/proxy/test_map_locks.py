"""Map per-key locks against a real member, under each handler: owners are threads or
greenlets (within one client) and clients; force_unlock and lease expiry free a lock."""

import pytest

from hzgreen.exceptions import HzTimeoutError
from hzgreen.server_errors import IllegalMonitorStateError

WAIT = 30


def run_in_task(handler, func, *args):
    """Run ``func(*args)`` in another thread or greenlet; returns (done event, result list)."""
    done = handler.event_object()
    result = []

    def task():
        try:
            result.append(func(*args))
        except BaseException as error:  # reported through the result list
            result.append(error)
        finally:
            done.set()

    handler.spawn(task)
    return done, result


def test_lock_is_reentrant_and_reported(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    assert m.is_locked("k") is False
    m.lock("k")
    m.lock("k")
    assert m.is_locked("k") is True
    m.unlock("k")
    assert m.is_locked("k") is True
    m.unlock("k")
    assert m.is_locked("k") is False
    with pytest.raises(IllegalMonitorStateError):
        m.unlock("k")


def test_a_lock_held_by_one_task_blocks_another_of_the_same_client(hz_client, hz_handler, unique_name):
    m = hz_client.get_map(unique_name)
    m.lock("k")
    refused, tried = run_in_task(hz_handler, m.try_lock, "k")
    assert refused.wait(WAIT) and tried == [False]
    acquired, taken = run_in_task(hz_handler, lambda: m.lock("k") or "locked")
    assert not acquired.wait(0.5)  # still waiting for the lock
    m.unlock("k")
    assert acquired.wait(WAIT) and taken == ["locked"]
    # now the other task owns it: this one can neither take nor release it
    assert m.try_lock("k") is False
    with pytest.raises(IllegalMonitorStateError):
        m.unlock("k")
    m.force_unlock("k")
    assert m.is_locked("k") is False


def test_a_lock_blocks_a_second_client_until_unlocked(hz_client, hz_client_factory, hz_handler, unique_name):
    m = hz_client.get_map(unique_name)
    other = hz_client_factory().get_map(unique_name)
    m.put("k", "v1")
    m.lock("k")
    assert other.is_locked("k") is True
    assert other.try_lock("k") is False
    assert other.try_put("k", "v2", timeout=0.2) is False
    assert other.try_remove("k") is False
    assert other.get("k") == "v1"  # reads are not blocked
    m.put("k", "v3")  # the owner writes
    waited, result = run_in_task(hz_handler, other.try_lock, "k", None, WAIT)
    m.unlock("k")
    assert waited.wait(WAIT + 10) and result == [True]
    assert m.try_lock("k") is False
    with pytest.raises(IllegalMonitorStateError):  # the lock belongs to the task, not to this caller
        other.unlock("k")
    other.force_unlock("k")
    assert other.is_locked("k") is False


def test_force_unlock_frees_a_lock_held_elsewhere(hz_client, hz_client_factory, unique_name):
    m = hz_client.get_map(unique_name)
    other = hz_client_factory().get_map(unique_name)
    m.lock("k")
    m.lock("k")
    other.force_unlock("k")
    assert m.is_locked("k") is False
    assert other.try_lock("k") is True
    with pytest.raises(IllegalMonitorStateError):
        m.unlock("k")
    other.unlock("k")


def test_a_lease_frees_the_lock_by_itself(hz_client, hz_client_factory, hz_handler, unique_name):
    m = hz_client.get_map(unique_name)
    other = hz_client_factory().get_map(unique_name)
    m.lock("k", lease_time=1)
    assert other.try_lock("k") is False
    # the other client waits for the lock; the lease ends it without any unlock
    assert other.try_lock("k", timeout=WAIT) is True
    assert m.is_locked("k") is True  # held by the other client now
    other.unlock("k")
    assert m.try_lock("k", lease_time=1) is True
    deadline = hz_handler.monotonic() + WAIT
    while m.is_locked("k") and hz_handler.monotonic() < deadline:
        pass
    assert m.is_locked("k") is False


def test_lock_context(hz_client, hz_client_factory, unique_name):
    m = hz_client.get_map(unique_name)
    other = hz_client_factory().get_map(unique_name)
    with m.lock_context("k"):
        assert other.is_locked("k") is True
        with pytest.raises(HzTimeoutError):
            with other.lock_context("k", timeout=0.2):
                pytest.fail("entered a lock held elsewhere")
    assert m.is_locked("k") is False
    with pytest.raises(KeyError):
        with other.lock_context("k", lease_time=WAIT):
            raise KeyError("leaves the block")
    assert m.is_locked("k") is False


def test_async_twins(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.lock_async("k").result(WAIT)
    assert m.is_locked_async("k").result(WAIT) is True
    assert m.try_lock_async("k", timeout=1).result(WAIT) is True  # reentrant
    m.unlock_async("k").result(WAIT)
    m.force_unlock_async("k").result(WAIT)
    assert m.is_locked("k") is False


def test_none_key_fails_before_sending(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    for call in (m.lock, m.try_lock, m.unlock, m.is_locked, m.force_unlock):
        with pytest.raises(ValueError, match="key"):
            call(None)


def test_a_waiting_lock_outlives_invocation_timeout(hz_client, hz_client_factory, hz_handler, unique_name):
    holder = hz_client.get_map(unique_name)
    impatient = hz_client_factory(invocation_timeout=1).get_map(unique_name)
    holder.lock("k")
    acquired, result = run_in_task(hz_handler, lambda: impatient.lock("k") or impatient.is_locked("k"))
    assert not acquired.wait(2.5)  # longer than invocation_timeout: still waiting, not failed
    holder.unlock("k")
    assert acquired.wait(WAIT) and result == [True]
    impatient.force_unlock("k")
