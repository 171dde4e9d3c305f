"""Ringbuffer: the official client's "Using Ringbuffer" snippet, then batch reads and the FAIL policy.

    python -m hzgreen.testing run -- python examples/ringbuffer.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen.proxy.ringbuffer import OVERFLOW_POLICY_FAIL


def official_snippet(client):
    # Get a RingBuffer called "my-ringbuffer"
    ringbuffer = client.get_ringbuffer("my-ringbuffer").blocking()
    ringbuffer.destroy()  # start empty when the example runs again

    # Add two items into ring buffer
    ringbuffer.add(100)
    ringbuffer.add(200)

    # We start from the oldest item.
    # If you want to start from the next item, call ringbuffer.tail_sequence()+1
    sequence = ringbuffer.head_sequence()
    print(ringbuffer.read_one(sequence))  # Outputs '100'

    sequence += 1
    print(ringbuffer.read_one(sequence))  # Outputs '200'


def batches(client):
    events = client.get_ringbuffer("ringbuffer-example-events")
    events.destroy()
    print("capacity:", events.capacity())
    last = events.add_all(["login:ada", "view:home", "logout:ada"])
    print("last sequence:", last, "size:", events.size())
    result = events.read_many(events.head_sequence(), 1, 10)
    for index, item in enumerate(result):
        print("read", result.get_sequence(index), item)
    print("next sequence to read from:", result.next_sequence_to_read_from)
    # FAIL only refuses items while the oldest one is younger than the ringbuffer's
    # time-to-live (none by default), so here it adds like OVERWRITE does.
    print("added with FAIL at:", events.add("login:bob", OVERFLOW_POLICY_FAIL))
    # read_one of the next sequence waits until someone adds it:
    waiting = events.read_one_async(events.tail_sequence() + 1)
    events.add("view:news")
    print("waited for:", waiting.result(30))


def main():
    with example_client() as client:
        official_snippet(client)
        batches(client)


if __name__ == "__main__":
    main()
