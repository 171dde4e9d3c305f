"""Semaphore recipe: leases, timeouts, size mismatch, context manager (both handlers)."""

import pytest

from hzgreen.recipes.semaphore import SemaphoreSizeError


def test_leases_bounded_by_max(hz_client, hz_client_factory, unique_name):
    sem = hz_client.Semaphore(unique_name, max_leases=2)
    other = hz_client_factory().Semaphore(unique_name, max_leases=2)
    assert sem.acquire() and sem.acquire(timeout=1)
    assert other.acquire(blocking=False) is False
    assert other.acquire(timeout=0.3) is False
    assert sem.release() is True
    assert other.acquire(timeout=30) is True
    assert sem.available() == 0
    other.release()
    sem.release()
    assert sem.release() is False  # holds nothing any more
    assert sem.available() == 2


def test_context_manager_and_size_mismatch(hz_client, unique_name):
    sem = hz_client.Semaphore(unique_name, max_leases=1)
    with sem:
        assert sem.is_acquired
        assert sem.available() == 0
    assert not sem.is_acquired and sem.available() == 1
    with pytest.raises(SemaphoreSizeError):
        hz_client.Semaphore(unique_name, max_leases=3).acquire(timeout=0)
    with pytest.raises(ValueError):
        hz_client.Semaphore(unique_name, max_leases=0)
