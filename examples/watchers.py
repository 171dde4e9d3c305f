"""hzgreen watchers and queues under gevent: EntryWatch, MapWatch and a LockingQueue.

Against a running member (address in HZGREEN_MEMBERS, cluster name in
HZGREEN_CLUSTER_NAME, defaults 127.0.0.1:5701 and "dev"):
    python examples/watchers.py
or with a member started for the occasion:
    python -m hzgreen.testing run -- python examples/watchers.py
"""

import os

import gevent

from hzgreen import HzClient, HzState
from hzgreen.handlers.gevent import SequentialGeventHandler


def main():
    members = os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(",")
    cluster_name = os.environ.get("HZGREEN_CLUSTER_NAME", "dev")
    client = HzClient(cluster_members=members, cluster_name=cluster_name, handler=SequentialGeventHandler())
    client.add_listener(lambda state: print("  state ->", state))
    with client:
        print("connected to", members)
        config = client.get_map("demo-config")
        workers = client.get_map("demo-workers")
        config.clear()
        workers.clear()
        seen_values, seen_keys = [], []
        done = gevent.event.Event()

        # Called at once with the current value (None), then on every change, on the
        # client's callback worker greenlet; returning False ends the watch.
        @client.EntryWatch("demo-config", "mode")
        def on_mode(value, event):
            seen_values.append(value)
            print("  EntryWatch: mode = %r (%s)" % (value, event.event_type.name if event else "current"))
            if value == "shutdown":
                done.set()
                return False

        @client.MapWatch("demo-workers")
        def on_workers(keys):
            seen_keys.append(keys)
            print("  MapWatch: workers = %s" % sorted(keys))

        # Workers register themselves in a map, concurrently, each in its own greenlet.
        gevent.joinall([gevent.spawn(workers.put, "worker-%d" % i, ["pid", i]) for i in range(3)], raise_error=True)
        config.put("mode", "busy")

        # A locking work queue: each greenlet holds one job until it consumed it.
        jobs = client.LockingQueue("demo-jobs", lease_time=10)
        jobs.put_all(["job-%d" % i for i in range(6)])

        def worker(n):
            queue = client.LockingQueue("demo-jobs", lease_time=10)  # one holder per greenlet
            done_jobs = []
            while True:
                job = queue.get(timeout=1)
                if job is None:
                    return done_jobs
                gevent.sleep(0.01)  # "work"
                assert queue.consume()
                done_jobs.append(job)

        crew = [gevent.spawn(worker, n) for n in range(3)]
        gevent.joinall(crew, raise_error=True)
        print("  LockingQueue: processed %s" % sorted(job for g in crew for job in g.value))

        workers.remove("worker-0")
        config.put("mode", "shutdown")
        if not done.wait(10):
            raise SystemExit("the EntryWatch never saw mode=shutdown")
        config.put("mode", "ignored: the watch is over")
        gevent.idle()
        print("  values seen:", seen_values)
        if client.state != HzState.CONNECTED or seen_values[0] is not None or seen_values[-1] != "shutdown":
            raise SystemExit("unexpected watch calls: %r" % seen_values)
        config.destroy()
        workers.destroy()
        client.get_queue("demo-jobs").destroy()
    print("stopped")


if __name__ == "__main__":
    main()
