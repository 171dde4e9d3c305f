"""A CRDT PN counter: the official client's "Using PN Counter" snippet, then more.

    python -m hzgreen.testing run -- python examples/pn_counter.py

(or against a running member: address in HZGREEN_MEMBERS, cluster name in
HZGREEN_CLUSTER_NAME; defaults 127.0.0.1:5701 and "dev"; HZGREEN_HANDLER=gevent runs the
client under gevent).
"""

from example_client import example_client

from hzgreen.exceptions import ConsistencyLostError


def main():
    with example_client() as client:
        # Get a PN Counter called 'pn-counter'
        pn_counter = client.get_pn_counter("pn-counter-example")
        pn_counter.get_and_add(-pn_counter.get())  # start from 0 when run again

        # Counter is initialized with 0
        print("initial:", pn_counter.get())  # 0

        # .._and_get() variants does the operation
        # and returns the final value
        print("add_and_get(5):", pn_counter.add_and_get(5))  # 5
        print("decrement_and_get():", pn_counter.decrement_and_get())  # 4

        # get_and_..() variants returns the current
        # value and then does the operation
        print("get_and_increment():", pn_counter.get_and_increment())  # 4
        print("get():", pn_counter.get())  # 5

        # Every method has an _async twin returning an IAsyncResult.
        pending = [pn_counter.get_and_subtract_async(1) for _ in range(3)]
        print("before each subtraction:", sorted(r.result(10) for r in pending))  # [3, 4, 5]
        print("subtract_and_get(2):", pn_counter.subtract_and_get(2))  # 0

        # When the replica the counter talks to is lost and no other one has seen what this
        # proxy observed, calls raise ConsistencyLostError; reset() accepts what remains.
        try:
            print("get() again:", pn_counter.get())
        except ConsistencyLostError:
            pn_counter.reset()
            print("get() after reset:", pn_counter.get())


if __name__ == "__main__":
    main()
