"""A Map's event journal: read one partition's recent changes, then follow every partition
and resume from saved sequences. The member must enable a journal for the map (the
hzgreen test harness does for maps named "journal*").

    python -m hzgreen.testing run -- python examples/event_journal.py

(or against a running member named by the environment: see example_client.py).
"""

import uuid

from example_client import example_client


def main():
    with example_client() as client:
        orders = client.get_map("journal-orders-" + uuid.uuid4().hex[:8])
        handler = client.handler

        # One partition: where are we, then read what happened to one key.
        partition_id = orders.partition_id_of("order-1")
        state = orders.subscribe_to_event_journal(partition_id)
        orders.put("order-1", "new")
        orders.put("order-1", "paid")
        batch = orders.read_from_event_journal(partition_id, state.newest_sequence + 1, 2, 100)
        for event in batch:
            if event.key == "order-1":
                print("read: %s %s -> %s" % (event.event_type.name, event.old_value, event.new_value))

        # Every partition: a follower delivers events on the callback worker, in order per partition.
        seen = []
        done = handler.event_object()

        def on_event(event):
            seen.append((event.key, event.event_type.name))
            if len(seen) == 5:
                done.set()

        follower = orders.event_journal_reader(on_event, start="newest")
        for i in range(5):
            orders.put("order-%d" % (i + 10), "new")
        done.wait(30)
        follower.close()
        saved = follower.sequences
        print("followed %d events" % len(seen))

        # Resume later from the saved sequences: only what happened since.
        orders.remove("order-10")
        resumed_events = []
        resumed_done = handler.event_object()

        def on_resumed(event):
            resumed_events.append((event.key, event.event_type.name))
            resumed_done.set()

        def on_lost(partition, count, from_sequence):
            print("lost %d events of partition %d from %d" % (count, partition, from_sequence))

        with orders.event_journal_reader(on_resumed, start=saved, on_lost=on_lost):
            resumed_done.wait(30)
        print("resumed:", resumed_events)


if __name__ == "__main__":
    main()
