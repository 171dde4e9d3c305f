"""MapCache against real members: paged load, live events, re-syncs after SUSPENDED and LOST."""

import logging

import pytest

import tests.integration.recipes.test_watchers as watch_tests
from hzgreen import HzState
from hzgreen.recipes.map_cache import MapCache, MapCacheEventType
from tests.integration.private_cluster import quick_reconnect_client
from tests.integration.tcp_relay import TcpRelay

WAIT = 30
ADDED, UPDATED, REMOVED, INITIALIZED = (
    MapCacheEventType.ADDED,
    MapCacheEventType.UPDATED,
    MapCacheEventType.REMOVED,
    MapCacheEventType.INITIALIZED,
)


def mirror(cache):
    return {key: cache.get(key) for key in cache}


def test_map_cache_loads_by_pages_then_serves_locally(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({"k%d" % i: i for i in range(53)})
    events = watch_tests.Calls(hz_client.handler)
    cache = hz_client.MapCache(unique_name, page_size=7)
    assert isinstance(cache, MapCache)
    cache.listen(events)
    assert cache.start() is cache
    assert cache.initialized.is_set()
    assert len(cache) == 53 and "k52" in cache and "nope" not in cache
    assert cache.get("k10") == 10 and cache.get("nope", "dflt") == "dflt"
    assert mirror(cache) == {"k%d" % i: i for i in range(53)}
    assert sorted(cache.items()) == sorted(m.entry_set())
    types = [event.type for event in events.items]
    assert types == [ADDED] * 53 + [INITIALIZED]  # everything loaded before "initialized"
    assert events.threads == {True}
    cache.close()
    assert cache.stopped


def test_map_cache_follows_every_change(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("a", 1)
    events = watch_tests.Calls(hz_client.handler)
    with hz_client.MapCache(unique_name) as cache:
        cache.listen(events)
        m.put("b", [2, "two"])
        m.put("a", 11)
        m.remove("b")
        m.put("c", 3)
        events.wait_for(lambda items: "c" in cache and "b" not in cache and cache.get("a") == 11, "changes missing")
        m.clear()
        m.put("last", "x")
        events.wait_for(lambda items: mirror(cache) == {"last": "x"}, "the cache does not show the cleared map")
        events.wait_for(lambda items: len([e for e in items if e.type == REMOVED]) >= 3, "removals missing")

        def of(key):  # events of one key keep their order (keys of other partitions may not)
            return [(e.type, e.value, e.old_value) for e in events.items if e.key == key]

        assert of("a") == [(UPDATED, 11, 1), (REMOVED, None, 11)]
        assert of("b") == [(ADDED, [2, "two"], None), (REMOVED, None, [2, "two"])]
        assert of("c") == [(ADDED, 3, None), (REMOVED, None, 3)]
        # The wipe may overtake the event of "last": the re-read after it brings it back.
        assert of("last")[-1] == (ADDED, "x", None) and len(of("last")) in (1, 3)
        assert dict(m.entry_set()) == {"last": "x"}
    assert cache.stopped
    m.put("after", 1)
    assert "after" not in cache  # a closed cache keeps its last content and stops following


def test_map_cache_listener_that_raises_is_logged_and_the_cache_goes_on(hz_client, unique_name, caplog):
    m = hz_client.get_map(unique_name)
    good = watch_tests.Calls(hz_client.handler)

    def bad(event):
        raise RuntimeError("listener bug")

    cache = hz_client.MapCache(unique_name)
    cache.listen(bad)
    cache.listen(good)
    with caplog.at_level(logging.ERROR, logger="hzgreen.recipes.map_cache"):
        cache.start()
        m.put("k", "v")
        good.wait_for(lambda items: len(items) == 2, "the second listener was not called")
    cache.close()
    assert cache.get("k") == "v"
    failures = [record for record in caplog.records if "failed" in record.getMessage()]
    assert failures and all(record.exc_info and record.exc_info[0] is RuntimeError for record in failures)
    with pytest.raises(TypeError):
        cache.listen("not callable")
    with pytest.raises(ValueError):
        hz_client.MapCache(unique_name, page_size=0)


@pytest.mark.fakepeer
def test_map_cache_resyncs_after_suspended_through_fault_proxy(hz_cluster, hz_client, hz_client_factory, unique_name):
    host, port = hz_cluster.addresses[0].split(":")
    proxy = TcpRelay((host, int(port)))
    client = watch_tests.proxied_client(hz_client_factory, hz_cluster, proxy)
    handler = client.handler
    states = watch_tests.Calls(handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        writer = hz_client.get_map(unique_name)
        writer.put_all({"stays": 1, "goes": 2, "changes": 3})
        events = watch_tests.Calls(handler)
        cache = client.MapCache(unique_name, page_size=2)
        cache.listen(events)
        cache.start()
        proxy.cut()
        states.wait_last(HzState.SUSPENDED)
        writer.remove("goes")  # no event can reach the caching client now
        writer.put("changes", 33)
        writer.put("new", 4)
        assert "goes" in cache  # still the last known content while disconnected
        proxy.restore()
        states.wait_last(HzState.CONNECTED)
        events.wait_for(lambda items: "goes" not in cache and cache.get("new") == 4, "no re-sync after SUSPENDED")
        writer.put("barrier", 0)
        events.wait_for(lambda items: items[-1].key == "barrier", "no event after the re-sync")
        assert mirror(cache) == {"stays": 1, "changes": 33, "new": 4, "barrier": 0}
        resync = [(e.type, e.key) for e in events.items if e.type != INITIALIZED][3:]
        assert set(resync[:-1]) == {(ADDED, "new"), (REMOVED, "goes"), (UPDATED, "changes")}
        assert len(resync) == 4
        cache.close()
    finally:
        client.close()
        proxy.close()


@pytest.mark.fault
def test_map_cache_drops_what_the_lost_cluster_held(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=1)
    client = quick_reconnect_client(cluster, hz_handler)
    states = watch_tests.Calls(hz_handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        m = client.get_map(unique_name)
        m.put_all({"a": 1, "b": 2})
        events = watch_tests.Calls(hz_handler)
        cache = client.MapCache(unique_name).start()
        cache.listen(events)
        cluster.restart_all()  # a new cluster: the data is gone
        states.wait_for(
            lambda values: values[-1:] == [HzState.CONNECTED] and HzState.LOST in values, "no LOST -> CONNECTED"
        )
        events.wait_for(lambda items: len(items) >= 2 and not cache, "the cache still shows the lost entries")
        assert {(e.type, e.key) for e in events.items} == {(REMOVED, "a"), (REMOVED, "b")}
        assert len(events.items) == 2
        m.put("a", "new cluster")
        events.wait_for(lambda items: cache.get("a") == "new cluster", "no event from the new cluster")
        cache.close()
    finally:
        client.close()
