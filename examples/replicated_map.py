"""A replicated map: every member holds all of it, reads are answered from a local replica.

    python -m hzgreen.testing run -- python examples/replicated_map.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen import predicate as p


def main():
    with example_client() as client:
        # Get a ReplicatedMap called "my-replicated-map"
        replicated_map = client.get_replicated_map("my-replicated-map")
        replicated_map.clear()

        # Put and get a value from the Replicated Map
        # (key/value is replicated to all members)
        replaced_value = replicated_map.put("key", "value")
        # Will be None as it is the first update
        print("replaced value = {}".format(replaced_value))
        # The value is retrieved from a member's replica
        value = replicated_map.get("key")
        print("value for key = {}".format(value))

        # Listeners run on the client's callback worker; an Event tells the main code when one ran.
        seen = []
        price_changed = client.handler.event_object()

        def on_update(event):
            seen.append("%s: %s -> %s" % (event.key, event.old_value, event.value))
            price_changed.set()

        registration = replicated_map.add_entry_listener(
            key="price", predicate=p.greater("this", 100), updated_func=on_update
        )
        replicated_map.put_all({"price": 90, "stock": 3, "colour": "red"})
        replicated_map.put("price", 120)  # an update to a value over 100: the listener hears it
        price_changed.wait(30)
        print("listener saw:", seen)
        replicated_map.remove_entry_listener(registration)

        # Entries that expire on their own
        replicated_map.put("session", "abc", ttl=60)

        print("size:", replicated_map.size())
        print("keys:", sorted(replicated_map.key_set()))
        print("has colour red:", replicated_map.contains_key("colour"), replicated_map.contains_value("red"))
        print("values sorted:", sorted(map(str, replicated_map.values())))
        print("removed stock:", replicated_map.remove("stock"))
        print("entries:", sorted(replicated_map.entry_set(), key=repr))

        # The async twin of every method returns an IAsyncResult
        pending = [replicated_map.put_async("n%d" % i, i) for i in range(5)]
        print("async puts done:", [result.get(30) for result in pending])
        replicated_map.clear()
        print("empty after clear:", replicated_map.is_empty())


if __name__ == "__main__":
    main()
