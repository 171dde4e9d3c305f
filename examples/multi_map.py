"""MultiMap: several values under one key, key locks and entry listeners.

    python -m hzgreen.testing run -- python examples/multi_map.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client


def main():
    with example_client() as client:
        # Get a MultiMap called 'my-distributed-multimap'
        multi_map = client.get_multi_map("my-distributed-multimap")
        multi_map.clear()

        # Put values in the map against the same key
        multi_map.put("my-key", "value1")
        multi_map.put("my-key", "value2")
        multi_map.put("my-key", "value3")

        # Read and print out all the values associated with the key 'my-key'
        # (the order of a key's values is the member's: sorted here to print the same every time)
        values = multi_map.get("my-key")
        print("values:", sorted(values))

        # Remove a specific key/value pair
        multi_map.remove("my-key", "value2")
        print("after remove:", sorted(multi_map.get("my-key")))

        # Several keys at once, one request per partition
        multi_map.put_all({"fruit": ["apple", "pear"], "vegetable": ["leek"]})
        print("keys:", sorted(multi_map.key_set()), "| pairs:", multi_map.size())
        print("fruit count:", multi_map.value_count("fruit"))

        # Entry listeners: called on the client's callback worker
        seen = client.handler.event_object()
        events = []

        def on_added(event):
            events.append("%s %s=%s" % (event.event_type.name, event.key, event.value))
            seen.set()

        registration = multi_map.add_entry_listener(include_value=True, key="fruit", added_func=on_added)
        multi_map.put("fruit", "plum")
        seen.wait(30)
        print("event:", events[0])
        multi_map.remove_entry_listener(registration)

        # Key locks: owned by this thread (or greenlet), re-entrant, other owners wait
        multi_map.lock("fruit")
        try:
            multi_map.put("fruit", "cherry")  # the owner may still write
            print("locked:", multi_map.is_locked("fruit"))
        finally:
            multi_map.unlock("fruit")
        print("locked after unlock:", multi_map.is_locked("fruit"))
        if multi_map.try_lock("fruit", lease_time=10, timeout=1):
            print("try_lock: acquired for at most 10 s")
            multi_map.unlock("fruit")

        print("removed fruit:", sorted(multi_map.remove_all("fruit")))
        multi_map.destroy()


if __name__ == "__main__":
    main()
