"""Run one scenario COUNT times with the hzgreen found on sys.path; ``benchmarks.instructions``
runs it under callgrind to count the CPU instructions each operation takes.

    python benchmarks/instructions_driver.py SCENARIO HANDLER MEMBERS CLUSTER COUNT

Stand-alone on purpose: it is run by path with PYTHONPATH pointing at another revision's
checkout, so it imports nothing from ``benchmarks`` and uses only the API every revision
since the runtime redesign has (``HzClient``, ``get_map``, ``clear``, ``put``, ``get``,
``put_async``, ``cp.get_atomic_long``). Setup (connecting, warming up) is the same for
every COUNT, so the difference between two counts is the operations' own cost.
"""

import collections
import functools
import gc
import sys

#: Operations run before the counted ones (imports, caches and first calls settle).
WARMUP = 200
#: put_async calls in flight in pipelined_put (as in the benchmarks' scenario).
WINDOW = 256
VALUE = b"x" * 100
SCENARIOS = ("connect", "seq_put", "seq_get", "pipelined_put", "cp_atomic")


def settle_heap():
    """Collect, then freeze every object made so far (``gc.freeze``), before the counted part.

    A full collection traverses every object of the process, the loaded code included, and
    whether one falls within the counted operations is a matter of thresholds: the larger
    of two code bases reaches them at other moments, so one such collection (millions of
    instructions) could decide a comparison of a few thousand operations. Frozen, the
    setup's objects are not traversed again, and the collections during the counted part
    see only what the operations made, for every revision alike. (Over a long run the
    cost of full collections per operation does not grow with the heap: CPython makes
    them rarer as it grows.)
    """
    gc.collect()
    gc.freeze()


def new_client(handler_kind, members, cluster):
    """A client with a fresh handler of ``handler_kind`` (not started)."""
    from hzgreen import HzClient

    if handler_kind == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler as Handler
    else:
        from hzgreen.handlers.threading import SequentialThreadingHandler as Handler
    return HzClient(cluster_members=members, cluster_name=cluster, handler=Handler())


#: The C function the connect scenario's counted part runs inside: ``benchmarks.instructions``
#: has callgrind count only what runs within it (``--toggle-collect``).
COUNTED_FUNCTION = "functools_reduce"


def within_counted_window(function, *args):
    """``function(*args)``, called from inside ``functools.reduce`` (COUNTED_FUNCTION); returns its result.

    ``reduce`` over two items calls its function once, so this is a plain call that callgrind
    can see begin and end, greenlet switches included.
    """
    return functools.reduce(lambda _first, _second: function(*args), (None, None))


def started_client(handler_kind, members, cluster):
    """A new client, started (connected); returns it."""
    client = new_client(handler_kind, members, cluster)
    client.start(60)
    return client


def run_connects(handler_kind, members, cluster, count):
    """Construct and start a client, then stop and close it: ``WARMUP // 20`` times, settle the
    heap, then ``count`` times with construct and start (what the timed ``connect`` scenario
    measures) inside the counted window and stop and close outside it."""
    for counted in (False, True):
        if counted:
            settle_heap()
        for _ in range(count if counted else WARMUP // 20):
            if counted:
                client = within_counted_window(started_client, handler_kind, members, cluster)
            else:
                client = started_client(handler_kind, members, cluster)
            client.stop()
            client.close()


def pipelined(put_async, count):
    """``count`` put_async calls with at most WINDOW unanswered; raises the first error."""
    in_flight = collections.deque()
    for i in range(count):
        if len(in_flight) >= WINDOW:
            in_flight.popleft().result(60)
        in_flight.append(put_async(i % 1000, VALUE))
    while in_flight:
        in_flight.popleft().result(60)


def run_operations(scenario, handler_kind, members, cluster, count):
    """Connect once, warm up, then run ``count`` operations of ``scenario``."""
    client = new_client(handler_kind, members, cluster)
    client.start(60)
    try:
        if scenario == "cp_atomic":
            atomic = client.cp.get_atomic_long("instructions-atomic")
            for _ in range(WARMUP):
                atomic.increment_and_get()
            settle_heap()
            for _ in range(count):
                atomic.increment_and_get()
            return
        target = client.get_map("instructions-" + scenario)
        target.clear()  # every run's prefill then replaces nothing, as the first run's did
        for i in range(1000):
            target.put(i, VALUE)
        if scenario == "pipelined_put":
            pipelined(target.put_async, WARMUP)
            settle_heap()
            pipelined(target.put_async, count)
            return
        call = target.put if scenario == "seq_put" else None
        for i in range(WARMUP + count):
            if i == WARMUP:
                settle_heap()
            if call is None:
                target.get(i % 1000)
            else:
                call(i % 1000, VALUE)
    finally:
        client.stop()
        client.close()


def main(argv):
    scenario, handler_kind, members, cluster, count = argv
    if scenario not in SCENARIOS:
        raise SystemExit("unknown scenario %r (one of %s)" % (scenario, ", ".join(SCENARIOS)))
    if scenario == "connect":
        run_connects(handler_kind, members.split(","), cluster, int(count))
    else:
        run_operations(scenario, handler_kind, members.split(","), cluster, int(count))


if __name__ == "__main__":
    main(sys.argv[1:])
