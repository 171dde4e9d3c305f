"""Missed invalidations are repaired: a member is killed while holding the invalidations of
another client's writes, and the near cache still stops serving the old values.

Members batch invalidations for a minute here (hazelcast.map.invalidation.batchfrequency.
seconds 60), so during the test no invalidation event reaches the reader: only the metadata
repair (fetched every RECONCILE seconds; a sequence ahead of the last one seen or a new
partition uuid condemns the partition's entries) can make it read the new values.
"""

import pytest

from hzgreen.testing import Cluster
from hzgreen.testing.waiting import wait_until
from tests.integration.private_cluster import keep_workdir, serve

pytestmark = pytest.mark.slow

RECONCILE = 1.0
ALLOWED = 3 * RECONCILE + 15.0  # fetch interval, a failover, and a margin for 2 shared cores


@pytest.fixture(scope="module")
def cluster3(request):
    cluster = Cluster(
        members=3,
        keep_workdir=keep_workdir(request),
        properties={
            "hazelcast.map.invalidation.batchfrequency.seconds": 60,
            "hazelcast.map.invalidation.batch.size": 100000,
        },
    )
    yield from serve(cluster)


def _wait_all_fresh(cached, expected, handler):
    deadline = handler.monotonic() + ALLOWED
    while True:
        values = {key: cached.get(key) for key in expected}
        if values == expected:
            return
        stale = sorted(key for key in expected if values[key] != expected[key])
        assert handler.monotonic() < deadline, "still stale after %s s: %s" % (ALLOWED, stale[:5])
        handler.sleep_func(0.1)


def test_killed_member_and_lost_invalidations_are_repaired(cluster3, hz_client_factory, hz_handler, unique_name):
    cluster3.ensure_running()
    reader = hz_client_factory(cluster3, near_caches={unique_name: {"reconciliation_interval": RECONCILE}})
    writer = hz_client_factory(cluster3)
    cached = reader.get_map(unique_name)
    source = writer.get_map(unique_name)
    keys = ["key-%d" % i for i in range(60)]
    source.put_all({key: "old" for key in keys})
    assert cached.get_all(keys) == {key: "old" for key in keys}
    assert cached.get_near_cache_stats().owned_entry_count == len(keys)

    source.put_all({key: "new" for key in keys})
    cluster3.kill(2)  # its queued invalidations die with it
    _wait_all_fresh(cached, {key: "new" for key in keys}, hz_handler)
    assert cached.near_cache.repair.misses > 0

    # the repaired values are cached again: a late invalidation (the kill moves partitions)
    # may still evict a key once, so a whole read served from the cache is waited for
    def read_from_cache():
        hits = cached.get_near_cache_stats().hits
        assert cached.get_all(keys) == {key: "new" for key in keys}
        return cached.get_near_cache_stats().hits - hits == len(keys)

    wait_until(hz_handler, read_from_cache, ALLOWED, "the keys were never all cached again", interval=0.1)
