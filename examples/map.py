"""A distributed Map: the official docs' "Using Map" snippets, then per-key locks, entry
views, TTLs, indexes and conditional writes.

    python -m hzgreen.testing run -- python examples/map.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen import HazelcastJsonValue
from hzgreen import predicate as p
from hzgreen.proxy.map_index import IndexType


def main():
    with example_client() as client:
        # Get a Map called 'my-distributed-map' (its methods block; blocking() returns it as is)
        my_map = client.get_map("my-distributed-map").blocking()
        my_map.clear()

        # Run Put and Get operations
        my_map.put("key", "value")
        print("get:", my_map.get("key"))

        # Run concurrent Map operations (optimistic updates)
        my_map.put_if_absent("somekey", "somevalue")
        my_map.replace_if_same("key", "value", "newvalue")
        print("after replace_if_same:", my_map.get("key"), my_map.get("somekey"))

        # Pessimistic updates: a per-key lock owned by this thread (or greenlet)
        my_map.put("counter", 0)
        with my_map.lock_context("counter"):
            my_map.put("counter", my_map.get("counter") + 1)
        print("counter:", my_map.get("counter"), "locked:", my_map.is_locked("counter"))
        if my_map.try_lock("counter", lease_time=10, timeout=1):
            try:
                my_map.set("counter", 2)
            finally:
                my_map.unlock("counter")

        # Conditional and timed writes
        print("try_put:", my_map.try_put("other", 1, timeout=1))
        print("remove_if_same (wrong value):", my_map.remove_if_same("other", 2))

        # Entry views and TTLs
        my_map.put("session", "token", ttl=60)
        view = my_map.get_entry_view("session")
        print("entry view: value=%s ttl=%d ms version=%d" % (view.value, view.ttl, view.version))
        print("set_ttl:", my_map.set_ttl("session", 120))

        # Indexes, queries and removing by predicate
        people = client.get_map("my-people")
        people.clear()
        people.add_index(["age"], IndexType.SORTED)
        people.put_all({i: HazelcastJsonValue({"name": "p%d" % i, "age": 20 + i}) for i in range(10)})
        print("age >= 27:", sorted(people.key_set(p.greater_or_equal("age", 27))))
        people.remove_all(p.less("age", 25))
        print("people left:", people.size())

        # Async twins return async results
        future = my_map.get_async("key")
        print("async get:", future.result(10))


if __name__ == "__main__":
    main()
