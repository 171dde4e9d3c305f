"""One process of ``benchmarks.connects``: time ``count`` connects of the hzgreen on the path.

    python benchmarks/connects_driver.py gevent 127.0.0.1:5701 dev 400

A connect is what the ``connect`` scenario times: constructing a client and ``start()``
until connected; stop and close follow untimed. Prints one JSON object: the mean wall
time, and the mean CPU time of this thread (``time.thread_time``: under gevent the
client's greenlets run on it) spent constructing and starting, in milliseconds. A few
connects first warm the process up, untimed.
"""

import json
import statistics
import sys
import time

WARMUP = 5


def time_connects(handler_name, members, cluster, count, warmup=WARMUP):
    """``{"construct_cpu_ms", "start_cpu_ms", "wall_ms"}``: means over ``count`` connects."""
    from hzgreen import HzClient

    if handler_name == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler as handler_class
    else:
        from hzgreen.handlers.threading import SequentialThreadingHandler as handler_class
    construct, start, wall = [], [], []
    for i in range(warmup + count):
        handler = handler_class()
        c0, t0 = time.thread_time(), time.perf_counter()
        client = HzClient(cluster_members=members, cluster_name=cluster, handler=handler)
        c1 = time.thread_time()
        client.start(60)
        c2, t2 = time.thread_time(), time.perf_counter()
        client.stop()
        client.close()
        if i >= warmup:
            construct.append(c1 - c0)
            start.append(c2 - c1)
            wall.append(t2 - t0)
    return {
        "construct_cpu_ms": statistics.mean(construct) * 1e3,
        "start_cpu_ms": statistics.mean(start) * 1e3,
        "wall_ms": statistics.mean(wall) * 1e3,
    }


def main(argv=None):
    handler_name, members, cluster, count = (argv or sys.argv[1:])[:4]
    print(json.dumps(time_connects(handler_name, members.split(","), cluster, int(count))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
