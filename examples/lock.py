"""hzgreen Lock under gevent: greenlets take turns on a fenced distributed lock.

Against a running member (HZGREEN_MEMBERS, HZGREEN_CLUSTER_NAME; defaults
127.0.0.1:5701 and "dev"):  python examples/lock.py
"""

import os

import gevent

from hzgreen import HzClient
from hzgreen.handlers.gevent import SequentialGeventHandler


def main():
    members = os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(",")
    cluster_name = os.environ.get("HZGREEN_CLUSTER_NAME", "dev")
    client = HzClient(cluster_members=members, cluster_name=cluster_name, handler=SequentialGeventHandler())
    with client:
        lock = client.Lock("demo-lock", on_lost=lambda event: print("  lock lost:", event))
        counter = client.get_map("demo-lock-data")
        counter.put("n", 0)
        fences = []

        def worker(i):
            for _ in range(3):
                with lock:  # each greenlet is its own lock owner
                    fences.append(lock.fence)
                    counter.put("n", counter.get("n") + 1)
                    gevent.sleep(0.01)

        gevent.joinall([gevent.spawn(worker, i) for i in range(5)], raise_error=True)
        print("n =", counter.get("n"), "(expected 15)")
        print("fences strictly increase:", all(a < b for a, b in zip(fences, fences[1:])))
        print("try-acquire while free:", lock.acquire(blocking=False), "fence", lock.fence)
        lock.release()


if __name__ == "__main__":
    main()
