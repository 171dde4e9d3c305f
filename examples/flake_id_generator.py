"""Flake ID generator: the official client's "Using Flake ID Generator" snippet, its
configuration, and ids shared by many concurrent callers.

    python -m hzgreen.testing run -- python examples/flake_id_generator.py

(or against a running member: address in HZGREEN_MEMBERS, cluster name in
HZGREEN_CLUSTER_NAME; defaults 127.0.0.1:5701 and "dev"; HZGREEN_HANDLER=gevent runs the
client under gevent).
"""

from example_client import example_client


def main():
    # Configure generators by name: ids fetched per batch, and how long a batch may be used.
    settings = {"flake_id_generators": {"flake-id-generator": {"prefetch_count": 123, "prefetch_validity": 150}}}
    with example_client(**settings) as client:
        # Get a Flake ID Generator called 'flake-id-generator'
        generator = client.get_flake_id_generator("flake-id-generator")

        # Generate a some unique identifier
        first = generator.new_id()
        print("ID:", first)

        # Ids are k-ordered: later batches have larger ids.
        ids = [generator.new_id() for _ in range(500)]
        print("500 more, all unique:", len(set(ids)) == 500, "| larger than the first:", min(ids) > first)

        # Many threads (or greenlets) at once: one batch request at a time, no id twice.
        handler = client.handler
        results = [handler.async_result() for _ in range(10)]

        def work(result):
            result.set([generator.new_id() for _ in range(100)])

        for result in results:
            handler.spawn(work, result)
        together = [i for result in results for i in result.get(timeout=30)]
        print("10 workers x 100 ids, unique:", len(set(together)) == 1000)

        # The _async twin returns an IAsyncResult.
        print("async id is new:", generator.new_id_async().result(10) not in together)


if __name__ == "__main__":
    main()
