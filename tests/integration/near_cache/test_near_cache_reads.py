"""Near-cached maps on the shared member: reads, own writes, statistics, eviction, lifecycle."""

import pytest

from hzgreen.near_cache.map import NearCachedMap
from hzgreen.proxy.map import Map
from hzgreen.testing.waiting import wait_until


def _client(hz_client_factory, name, **options):
    return hz_client_factory(near_caches={name: options})


def test_repeated_get_is_served_from_the_near_cache(hz_client_factory, unique_name):
    client = _client(hz_client_factory, unique_name)
    m = client.get_map(unique_name)
    assert isinstance(m, NearCachedMap)
    m.put("k", {"v": 1})
    assert m.get("k") == {"v": 1}  # miss: read and cached
    for _ in range(5):
        assert m.get("k") == {"v": 1}
    stats = m.get_near_cache_stats()
    assert stats.misses == 1 and stats.hits == 5
    assert stats.owned_entry_count == 1 and stats.owned_entry_memory_cost > 0
    assert m.contains_key("k") and m.get_async("k").result(5) == {"v": 1}


def test_the_late_echo_of_an_own_write_keeps_the_value_read_since(hz_client_factory, unique_name):
    """Members echo this client's own writes as batched invalidations, seconds late; the echo
    advances the partition's sequence but must not drop the (current) value read after the write."""
    client = _client(hz_client_factory, unique_name)
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"  # read and cached, most likely before the echo arrives
    partition_id = client.partitions.partition_id_of(client.serialization.to_data("k"))
    wait_until(
        client.handler,
        lambda: m.near_cache.repair.current(partition_id)[1] >= 1,
        30,
        "the member never echoed the write's invalidation",
    )
    assert m.get("k") == "v"
    stats = m.get_near_cache_stats()
    assert (stats.misses, stats.hits, stats.owned_entry_count) == (1, 1, 1)


def test_a_map_without_a_matching_entry_is_a_plain_map(hz_client_factory, unique_name):
    client = _client(hz_client_factory, unique_name + "-*")
    assert type(client.get_map(unique_name)) is Map
    assert isinstance(client.get_map(unique_name + "-users"), NearCachedMap)


def test_own_writes_are_seen_at_once(hz_client_factory, unique_name):
    client = _client(hz_client_factory, unique_name, in_memory_format="OBJECT")
    m = client.get_map(unique_name)
    m.put_all({i: i for i in range(10)})
    assert m.get_all(range(10)) == {i: i for i in range(10)}
    assert m.get_near_cache_stats().owned_entry_count == 10
    m.put(1, "put")
    m.set(2, "set")
    m.replace(3, "replace")
    m.remove(4)
    m.delete(5)
    m.put_all({6: "put_all"})
    assert m.replace_if_same(7, 7, "same")
    assert m.put_if_absent(8, "x") == 8
    assert m.evict(9)  # no MapStore: the entry is gone
    assert m.get_all(range(10)) == {0: 0, 1: "put", 2: "set", 3: "replace", 6: "put_all", 7: "same", 8: 8}
    assert [m.get(i) for i in range(10)] == [0, "put", "set", "replace", None, None, "put_all", "same", 8, None]
    m.clear()
    assert m.get(0) is None and not m.contains_key(1)
    assert m.get_near_cache_stats().owned_entry_count == 0


def test_get_all_mixes_cached_and_remote_values(hz_client_factory, unique_name):
    client = _client(hz_client_factory, unique_name)
    m = client.get_map(unique_name)
    m.put_all({"a": 1, "b": 2, "c": 3})
    assert m.get("a") == 1
    assert m.get_all(["a", "b", "c", "missing"]) == {"a": 1, "b": 2, "c": 3}
    stats = m.get_near_cache_stats()
    assert stats.hits == 1 and stats.owned_entry_count == 3
    assert m.get_all(["a", "b", "c"]) == {"a": 1, "b": 2, "c": 3}
    assert m.get_near_cache_stats().hits == 4


@pytest.mark.parametrize("policy", ["LRU", "LFU", "RANDOM", "NONE"])
def test_eviction_keeps_the_configured_size(hz_client_factory, unique_name, policy):
    client = _client(hz_client_factory, unique_name, eviction_policy=policy, eviction_max_size=20)
    m = client.get_map(unique_name)
    m.put_all({i: i for i in range(50)})
    hot = list(range(5))
    for i in range(50):
        for h in hot:  # read the first keys often and recently
            assert m.get(h) == h
        assert m.get(i) == i
    stats = m.get_near_cache_stats()
    if policy == "NONE":
        assert stats.owned_entry_count == 50 and stats.evictions == 0
        return
    assert stats.owned_entry_count <= 20 and stats.evictions >= 30
    if policy in ("LRU", "LFU"):  # the hot keys are still cached: reading them hits
        before = m.get_near_cache_stats().hits
        for h in hot:
            m.get(h)
        assert m.get_near_cache_stats().hits == before + len(hot)


def test_time_to_live_expires_entries(hz_client_factory, unique_name, hz_handler):
    client = _client(hz_client_factory, unique_name, time_to_live=0.2)
    m = client.get_map(unique_name)
    m.put("k", 1)
    assert m.get("k") == 1
    deadline = hz_handler.monotonic() + 30
    while m.get_near_cache_stats().expirations == 0:  # expiry is checked on read
        assert hz_handler.monotonic() < deadline
        m.get("k")
        hz_handler.sleep_func(0.05)
    assert m.get_near_cache_stats().expirations >= 1


def test_destroy_clears_and_deregisters(hz_client_factory, unique_name):
    client = _client(hz_client_factory, unique_name)
    m = client.get_map(unique_name)
    m.put("k", 1)
    m.get("k")
    near_cache = m.near_cache
    assert len(near_cache) == 1
    m.destroy()
    assert near_cache.closed and len(near_cache) == 0
    fresh = client.get_map(unique_name)
    assert fresh is not m and fresh.get("k") is None


def test_bad_near_cache_options_fail_at_construction(hz_client_factory):
    from hzgreen.client import HzClient

    with pytest.raises(ValueError, match=r"near_caches\['m'\]\.eviction_policy"):
        HzClient(near_caches={"m": {"eviction_policy": "OLDEST"}})
    with pytest.raises(TypeError, match=r"near_caches\['m'\]\.eviction_max_size"):
        HzClient(near_caches={"m": {"eviction_max_size": "big"}})
