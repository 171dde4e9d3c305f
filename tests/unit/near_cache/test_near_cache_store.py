"""The store with a fake clock: reserve-then-publish races, expiry, eviction per policy, statistics."""

import contextlib
import random
import uuid

import pytest

from hzgreen.near_cache.config import NearCacheConfig
from hzgreen.near_cache.store import MISS, NearCacheStore

U = uuid.uuid4()


def never_stale(partition_id, record_uuid, sequence):
    return False


def make(**options):
    return NearCacheStore(NearCacheConfig("m", **options), contextlib.nullcontext(), random.Random(7))


def cache(store, key, value, now=0.0):
    reservation = store.try_reserve(key, now, 0, U, 0)
    assert reservation
    assert store.publish(key, reservation, value, len(value), now)


def test_publish_after_reserve_then_hits():
    store = make()
    assert store.get(b"k", 0.0, never_stale) is MISS
    cache(store, b"k", b"v")
    assert store.get(b"k", 1.0, never_stale) == b"v"
    stats = store.stats()
    assert (stats.hits, stats.misses, stats.owned_entry_count) == (1, 1, 1)
    assert stats.owned_entry_memory_cost > len(b"kv")


def test_invalidation_between_reserve_and_publish_wins():
    store = make()
    reservation = store.try_reserve(b"k", 0.0, 0, U, 0)
    assert store.get(b"k", 0.0, never_stale) is MISS  # reserved, not yet a value
    assert store.try_reserve(b"k", 0.0, 0, U, 0) == 0  # a second reader does not reserve
    store.invalidate(b"k")  # the key changed while the first reader was reading
    assert not store.publish(b"k", reservation, b"old", 3, 0.1)
    assert store.get(b"k", 0.2, never_stale) is MISS
    # a newer reservation is not published by the older reader either
    newer = store.try_reserve(b"k", 0.3, 0, U, 0)
    assert not store.publish(b"k", reservation, b"old", 3, 0.3)
    assert store.publish(b"k", newer, b"new", 3, 0.4)
    assert store.get(b"k", 0.5, never_stale) == b"new"


def test_clear_drops_reservations_and_cancel_releases():
    store = make()
    reservation = store.try_reserve(b"a", 0.0, 0, U, 0)
    cache(store, b"b", b"1")
    assert store.clear() == 1
    assert not store.publish(b"a", reservation, b"x", 1, 0.0)
    again = store.try_reserve(b"a", 0.0, 0, U, 0)
    store.cancel(b"a", again)
    assert store.try_reserve(b"a", 0.0, 0, U, 0)
    assert store.stats().invalidations == 1


def test_stale_records_are_dropped_on_read():
    store = make()
    cache(store, b"k", b"v")
    assert store.get(b"k", 0.0, lambda pid, u, seq: True) is MISS
    assert store.stats().invalidations == 1 and len(store) == 0


def test_time_to_live_and_max_idle():
    store = make(time_to_live=10, max_idle=3)
    cache(store, b"k", b"v", now=0.0)
    assert store.get(b"k", 2.0, never_stale) == b"v"
    assert store.get(b"k", 4.0, never_stale) == b"v"  # idle 2 s since the last read
    assert store.get(b"k", 7.5, never_stale) is MISS  # idle 3.5 s
    cache(store, b"k", b"v", now=20.0)
    for t in (22.0, 24.0, 26.0, 28.0):
        assert store.get(b"k", t, never_stale) == b"v"
    assert store.get(b"k", 30.0, never_stale) is MISS  # 10 s since cached
    assert store.stats().expirations == 2


def test_full_store_expires_before_evicting():
    store = make(time_to_live=5, eviction_max_size=3, eviction_sampling_count=3)
    for key in (b"a", b"b", b"c"):
        cache(store, key, b"v", now=0.0)
    assert store.try_reserve(b"d", 6.0, 0, U, 0)
    stats = store.stats()
    assert stats.expirations == 3 and stats.evictions == 0


@pytest.mark.parametrize("policy, survivor", [("LRU", b"recent"), ("LFU", b"frequent")])
def test_lru_and_lfu_evict_the_coldest(policy, survivor):
    store = make(eviction_policy=policy, eviction_max_size=2, eviction_sampling_count=2)
    cache(store, b"recent", b"v", now=0.0)
    cache(store, b"frequent", b"v", now=0.0)
    for t in (1.0, 2.0, 3.0):
        store.get(b"frequent", t, never_stale)
    store.get(b"recent", 4.0, never_stale)  # most recent, but read once
    assert store.try_reserve(b"new", 5.0, 0, U, 0)
    assert store.get(survivor, 6.0, never_stale) is not MISS
    assert len(store) == 2 and store.stats().evictions == 1


def test_lru_evicts_in_access_order_with_full_sampling():
    store = make(eviction_policy="LRU", eviction_max_size=5, eviction_sampling_count=5)
    for i in range(5):
        cache(store, b"%d" % i, b"v", now=float(i))
    for i in range(5, 10):
        assert store.try_reserve(b"%d" % i, float(i), 0, U, 0)
        assert store.get(b"%d" % (i - 5), float(i), never_stale) is MISS  # the oldest went first


def test_random_bounds_the_size_and_none_never_evicts():
    store = make(eviction_policy="RANDOM", eviction_max_size=10)
    for i in range(100):
        cache(store, b"%d" % i, b"v", now=float(i))
    assert len(store) == 10 and store.stats().evictions == 90
    unbounded = make(eviction_policy="NONE", eviction_max_size=10)
    for i in range(100):
        cache(unbounded, b"%d" % i, b"v")
    assert len(unbounded) == 100 and unbounded.stats().evictions == 0


def test_reserved_keys_are_never_evicted():
    store = make(eviction_max_size=2, eviction_sampling_count=2)
    first = store.try_reserve(b"a", 0.0, 0, U, 0)
    second = store.try_reserve(b"b", 0.0, 0, U, 0)
    assert store.try_reserve(b"c", 1.0, 0, U, 0) == 0  # nothing published to evict: do not cache
    assert store.publish(b"a", first, b"v", 1, 1.0) and store.publish(b"b", second, b"v", 1, 1.0)
