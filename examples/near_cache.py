"""A near cache for a mostly-read map: configuration, cached reads, invalidation, statistics.

    python -m hzgreen.testing run -- python examples/near_cache.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen.near_cache import EvictionPolicy, InMemoryFormat


def main():
    near_caches = {
        "mostly-read-map": {
            "invalidate_on_change": True,
            "in_memory_format": InMemoryFormat.OBJECT,
            "eviction_policy": EvictionPolicy.LRU,
            "eviction_max_size": 5000,
        },
        "sessions-*": {"time_to_live": 60, "max_idle": 30, "eviction_max_size": 100},
    }
    with example_client(near_caches=near_caches) as client, example_client() as other:
        cached = client.get_map("mostly-read-map")
        cached.clear()
        cached.put_all({"k%d" % i: i for i in range(100)})
        for _ in range(10):  # the first pass reads from the cluster, the others from the near cache
            assert cached.get_all(["k%d" % i for i in range(100)])["k7"] == 7
        stats = cached.get_near_cache_stats()
        print(
            "hits: %d misses: %d entries: %d ratio: %.2f"
            % (stats.hits, stats.misses, stats.owned_entry_count, stats.ratio)
        )

        cached.put("k7", "changed here")  # this client's write drops its own cached copy at once
        print("after own put: %s" % cached.get("k7"))

        # another client's write reaches this near cache through the member's invalidation,
        # sent within hazelcast.map.invalidation.batchfrequency.seconds (10 s by default)
        other.get_map("mostly-read-map").put("k8", "changed elsewhere")
        value = cached.get("k8")
        while value != "changed elsewhere":
            client.handler.sleep_func(0.1)  # lets the client read the event (also under gevent)
            value = cached.get("k8")
        print("after another client's put: %s" % value)
        print("invalidations: %d" % cached.get_near_cache_stats().invalidations)

        sessions = client.get_map("sessions-eu")  # matches the "sessions-*" pattern
        sessions.put("alice", "token")
        sessions.get("alice")
        print("sessions cached: %d" % sessions.get_near_cache_stats().owned_entry_count)


if __name__ == "__main__":
    main()
