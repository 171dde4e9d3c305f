"""Another client updates keys while this one reads through its near cache: once the member's
invalidation delay has passed, no read returns an older value.

A private member batches invalidations every BATCH_SECONDS (hazelcast.map.invalidation.
batchfrequency.seconds); the documented bound of a stale read is that delay plus the
event's trip, which the test allows with a generous margin for a loaded machine.
"""

import pytest

from hzgreen import HzState
from hzgreen.testing import Cluster
from tests.integration.private_cluster import keep_workdir, serve

pytestmark = pytest.mark.slow

BATCH_SECONDS = 1
ALLOWED = BATCH_SECONDS + 4.0  # the delay plus a margin for 2 shared cores


@pytest.fixture(scope="module")
def batching_cluster(request):
    cluster = Cluster(
        members=1,
        keep_workdir=keep_workdir(request),
        properties={"hazelcast.map.invalidation.batchfrequency.seconds": BATCH_SECONDS},
    )
    yield from serve(cluster)


def _wait_fresh(read, expected, handler, started):
    """Polls ``read()`` until it returns ``expected``; returns the seconds that took since ``started``."""
    while True:
        value = read()
        if value == expected:
            return handler.monotonic() - started
        assert handler.monotonic() - started < ALLOWED, "stale after %.1f s: %r != %r" % (ALLOWED, value, expected)
        handler.sleep_func(0.02)


def test_no_read_is_stale_after_the_invalidation_delay(batching_cluster, hz_client_factory, hz_handler, unique_name):
    reader = hz_client_factory(batching_cluster, near_caches={unique_name: {}})
    writer = hz_client_factory(batching_cluster)
    cached = reader.get_map(unique_name)
    source = writer.get_map(unique_name)
    keys = ["key-%d" % i for i in range(20)]
    source.put_all({key: 0 for key in keys})
    assert cached.get_all(keys) == {key: 0 for key in keys}
    for round_ in range(1, 6):
        source.put_all({key: round_ for key in keys})
        started = hz_handler.monotonic()
        for key in keys:
            _wait_fresh(lambda: cached.get(key), round_, hz_handler, started)
        # once fresh, the value is cached again and reads hit
        hits = cached.get_near_cache_stats().hits
        assert cached.get_all(keys) == {key: round_ for key in keys}
        assert cached.get_near_cache_stats().hits >= hits + len(keys) - 1
    stats = cached.get_near_cache_stats()
    assert stats.invalidations >= len(keys)  # the member's events, not expiry, dropped the values


def test_concurrent_reader_never_goes_back_in_time(batching_cluster, hz_client_factory, hz_handler, unique_name):
    reader = hz_client_factory(batching_cluster, near_caches={unique_name: {"in_memory_format": "OBJECT"}})
    writer = hz_client_factory(batching_cluster)
    cached = reader.get_map(unique_name)
    source = writer.get_map(unique_name)
    source.set("k", 0)
    written = []  # (time the set returned, value)
    done = hz_handler.event_object()
    errors = []

    def write():
        try:
            for value in range(1, 200):
                source.set("k", value)
                written.append((hz_handler.monotonic(), value))
                hz_handler.sleep_func(0.05)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            done.set()

    hz_handler.spawn(write)
    reads = checked = 0
    while not done.is_set():
        started = hz_handler.monotonic()
        value = cached.get("k")
        reads += 1
        # every write that returned more than ALLOWED before this read began must be visible
        due = [v for t, v in list(written) if t < started - ALLOWED]
        if due:
            checked += 1
            assert value >= due[-1], "read %r after %r was written more than %s s before" % (value, due[-1], ALLOWED)
        hz_handler.sleep_func(0.01)
    assert not errors
    assert checked > 0 and cached.get_near_cache_stats().hits > 0
    final = written[-1][1]
    _wait_fresh(lambda: cached.get("k"), final, hz_handler, written[-1][0])


def test_nothing_cached_from_the_old_cluster_is_served_after_a_cluster_change(
    batching_cluster, hz_client_factory, hz_handler, unique_name
):
    """The member restarts as a new cluster without the data: the value cached before is gone
    from the near cache by the time the client says CONNECTED again."""
    reader = hz_client_factory(
        batching_cluster, near_caches={unique_name: {}}, retry_initial_backoff=0.2, retry_max_backoff=0.5
    )
    cached = reader.get_map(unique_name)
    cached.put("k", "old cluster")
    assert cached.get("k") == "old cluster"
    hits = cached.get_near_cache_stats().hits
    assert cached.get("k") == "old cluster"
    assert cached.get_near_cache_stats().hits == hits + 1  # served from the near cache
    reconnected, states = hz_handler.event_object(), []

    def on_state(state):
        states.append(state)
        if state == HzState.CONNECTED and HzState.LOST in states:
            reconnected.set()

    reader.add_listener(on_state)
    batching_cluster.restart_all()
    assert reconnected.wait(60), states
    assert cached.get("k") is None
    assert cached.get("k") is None  # and the miss was not cached as the old value either
