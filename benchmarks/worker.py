#!/usr/bin/env python
"""One benchmark run: one contender, one scenario, one process, one JSON line on stdout.

    python benchmarks/worker.py --contender hzgreen-threading --scenario seq_get \\
        --duration 5 --warmup 1 --members 127.0.0.1:5701 --cluster dev

Contenders: ``hzgreen-threading``, ``hzgreen-gevent``, ``official``
(hazelcast-python-client; ``gevent.monkey.patch_all()`` first for
``mixed_greenlets``, as its gevent users do).  The Java contender has its own
program, ``benchmarks/java/Bench.java``, with the same options and output.

Each run prepares its data (untimed), runs the scenario for ``--warmup``
seconds (discarded), then for ``--duration`` seconds (measured).  The line
printed last is a JSON object: ``ops``, ``elapsed_s``, ``ops_per_s``,
``p50_us``, ``p99_us`` (per-operation latency, perf_counter_ns around each
call; for pipelined_put from submit to the completion callback),
``cpu_us_per_op`` (process user+sys time of the measured section only, from
getrusage, divided by ops), ``rss_mib`` (peak RSS of the process, ru_maxrss),
or ``absent`` with the reason when the contender lacks the scenario, or
``error`` when the run failed.

This file imports nothing but the standard library at module level, so the
official contender can monkey-patch before ``threading`` is imported.
"""

import argparse
import json
import os
import resource
import sys
import time
from array import array

CONTENDERS = ("hzgreen-threading", "hzgreen-gevent", "official", "java")
SCENARIOS = (
    "seq_put",
    "seq_get",
    "pipelined_put",
    "mixed_threads",
    "mixed_greenlets",
    "big_values",
    "cp_lock",
    "cp_atomic",
    "connect",
)

#: Known absences, decided without starting a client.  Anything else that is
#: missing (hzgreen's CP before it lands) is found out at run time.
STATIC_ABSENT = {
    ("hzgreen-threading", "mixed_greenlets"):
        "the threading handler runs on OS threads; greenlets are the gevent handler's model",
    ("hzgreen-gevent", "mixed_threads"):
        "the gevent handler serves greenlets of one hub thread, not 8 OS threads",
    ("java", "mixed_greenlets"): "Java has no greenlets",
}

CHUNK = 1 << 16
_perf_ns = time.perf_counter_ns


class Absent(Exception):
    """The contender lacks this scenario; the message says why."""


# -- measuring ------------------------------------------------------------------------


class Recorder:
    """Per-operation latencies (ns) in preallocated int64 chunks of 65536.

    ``add`` is for one writer at a time.  ``slot``/``put_slot`` are for
    pipelined runs: the submitter reserves op ``i`` (growing the chunk list) and
    whichever thread completes it writes its own slot, so concurrent completers
    never share an index.
    """

    __slots__ = ("chunks", "buf", "n")

    def __init__(self):
        self.buf = array("q", bytes(8 * CHUNK))
        self.chunks = [self.buf]
        self.n = 0

    def add(self, ns):
        n = self.n
        if n == CHUNK * len(self.chunks):
            self.buf = array("q", bytes(8 * CHUNK))
            self.chunks.append(self.buf)
        self.buf[n & (CHUNK - 1)] = ns
        self.n = n + 1

    def reserve(self, i):
        """Make room for op ``i`` (0-based, called in order by the one submitter)."""
        if i == CHUNK * len(self.chunks):
            self.chunks.append(array("q", bytes(8 * CHUNK)))
        self.n = i + 1

    def values(self):
        out = []
        left = self.n
        for chunk in self.chunks:
            take = min(left, CHUNK)
            out.extend(chunk[:take])
            left -= take
        return out


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def cpu_seconds():
    """(user, system) CPU seconds of the whole process, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


class Meter:
    """Wall and process CPU time of the measured section (possibly several slices)."""

    def __init__(self, measured=True):
        self.measured = measured
        self.wall_ns = 0
        self.user_s = 0.0
        self.sys_s = 0.0
        self._t0 = None
        self._c0 = None

    def start(self):
        self._c0 = cpu_seconds()
        self._t0 = _perf_ns()
        return self._t0

    def stop(self):
        t1 = _perf_ns()
        user, system = cpu_seconds()
        self.user_s += user - self._c0[0]
        self.sys_s += system - self._c0[1]
        self.wall_ns += t1 - self._t0
        return t1


# -- contenders -------------------------------------------------------------------------


class Contender:
    """What a scenario needs from a client library, as plain bound methods.

    ``map_ops`` returns put, get, put_async (a future with
    ``add_done_callback``), put_all and clear; ``error_of(future)`` is the
    exception of a completed future or None.
    """

    greenlets = False

    def __init__(self, args):
        self.args = args

    @staticmethod
    def blob(data):
        """``data`` (bytes) as the library's byte-array type (Hazelcast type -12)."""
        return data

    # concurrency primitives of the contender's world
    def semaphore(self, n):
        import threading
        return threading.Semaphore(n)

    def run_concurrently(self, count, target):
        """Run ``target(index)`` on ``count`` threads (or greenlets); return when all end."""
        import threading
        threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def event(self):
        import threading
        return threading.Event()


class HzgreenContender(Contender):
    def __init__(self, args, kind):
        super().__init__(args)
        self.kind = kind
        self.greenlets = kind == "gevent"

    def new_handler(self):
        if self.kind == "gevent":
            from hzgreen.handlers.gevent import SequentialGeventHandler
            return SequentialGeventHandler()
        from hzgreen.handlers.threading import SequentialThreadingHandler
        return SequentialThreadingHandler()

    def new_client(self):
        from hzgreen import HzClient
        client = HzClient(cluster_members=self.args.members, cluster_name=self.args.cluster,
                          handler=self.new_handler())
        client.start(60)
        return client

    def close_client(self, client):
        client.stop()
        client.close()

    def map_ops(self, client, name):
        m = client.get_map(name)
        return m.put, m.get, m.put_async, m.put_all, m.clear

    @staticmethod
    def error_of(future):
        return future.exception

    def cp(self, client):
        try:
            return client.cp
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent("hzgreen has no CP subsystem yet (client.cp: %s: %s)"
                         % (type(error).__name__, error))

    def lock_ops(self, client, name):
        try:
            lock = self.cp(client).get_lock(name)
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent("client.cp.get_lock is not available (%s: %s)" % (type(error).__name__, error))
        for pair in (("lock", "unlock"), ("acquire", "release")):
            if hasattr(lock, pair[0]) and hasattr(lock, pair[1]):
                return getattr(lock, pair[0]), getattr(lock, pair[1])
        raise Absent("the hzgreen CP lock has neither lock/unlock nor acquire/release")

    def atomic_ops(self, client, name):
        try:
            return self.cp(client).get_atomic_long(name).increment_and_get
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent("client.cp.get_atomic_long is not available (%s: %s)"
                         % (type(error).__name__, error))

    def semaphore(self, n):
        if self.greenlets:
            import gevent.lock
            return gevent.lock.Semaphore(n)
        return super().semaphore(n)

    def run_concurrently(self, count, target):
        if self.greenlets:
            import gevent
            gevent.joinall([gevent.spawn(target, i) for i in range(count)], raise_error=True)
        else:
            super().run_concurrently(count, target)

    def event(self):
        if self.greenlets:
            import gevent.event
            return gevent.event.Event()
        return super().event()


class OfficialContender(Contender):
    """hazelcast-python-client; monkey-patched (so its threads are greenlets) for mixed_greenlets."""

    def __init__(self, args):
        super().__init__(args)
        self.greenlets = args.scenario == "mixed_greenlets"

    def new_client(self):
        import hazelcast
        return hazelcast.HazelcastClient(cluster_members=self.args.members, cluster_name=self.args.cluster)

    def close_client(self, client):
        client.shutdown()

    def map_ops(self, client, name):
        m = client.get_map(name)
        b = m.blocking()
        return b.put, b.get, m.put, b.put_all, b.clear

    @staticmethod
    def error_of(future):
        return future.exception()

    @staticmethod
    def blob(data):
        # The official client maps bytearray to byte[]; bytes would go through pickle.
        return bytearray(data)

    def lock_ops(self, client, name):
        lock = client.cp_subsystem.get_lock(name).blocking()
        return lock.lock, lock.unlock

    def atomic_ops(self, client, name):
        return client.cp_subsystem.get_atomic_long(name).blocking().increment_and_get

    def run_concurrently(self, count, target):
        if self.greenlets:
            import gevent
            gevent.joinall([gevent.spawn(target, i) for i in range(count)], raise_error=True)
        else:
            super().run_concurrently(count, target)


def make_contender(args):
    if args.contender == "hzgreen-threading":
        return HzgreenContender(args, "threading")
    if args.contender == "hzgreen-gevent":
        return HzgreenContender(args, "gevent")
    if args.contender == "official":
        return OfficialContender(args)
    raise SystemExit("worker.py runs the Python contenders; the java contender is benchmarks/java/Bench.java")


# -- scenarios --------------------------------------------------------------------------
#
# Each scenario is set up once by ``prepare`` (untimed) and returns a function
# ``run(seconds, meter, rec)`` that runs the workload for ``seconds`` and
# returns the number of completed operations.  It is called once for the
# warm-up (results dropped) and once measured.


def keys_and_value(args):
    keys = ["key-%d" % i for i in range(args.keys)]
    value = ("v%0*d" % (args.value_size - 1, 0))[: args.value_size]
    return keys, value


def prefill(put_all, keys, value, batch=1000):
    for start in range(0, len(keys), batch):
        put_all({k: value for k in keys[start:start + batch]})


def prepare_map(contender, client, args, name):
    put, get, put_async, put_all, clear = contender.map_ops(client, name)
    keys, value = keys_and_value(args)
    clear()
    prefill(put_all, keys, value)
    return put, get, put_async, keys, value


def scenario_seq_put(contender, client, args):
    put, _, _, keys, value = prepare_map(contender, client, args, "bench-seq_put")
    n = len(keys)

    def run(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            t0 = perf()
            put(keys[i % n], value)
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end:
                break
        meter.stop()
        return i

    return run


def scenario_seq_get(contender, client, args):
    _, get, _, keys, value = prepare_map(contender, client, args, "bench-seq_get")
    n = len(keys)
    if get(keys[n - 1]) != value:
        raise RuntimeError("prefill check failed: get(%r) did not return the value" % keys[n - 1])

    def run(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            t0 = perf()
            get(keys[i % n])
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end:
                break
        meter.stop()
        return i

    return run


def scenario_pipelined_put(contender, client, args):
    import functools
    _, _, put_async, keys, value = prepare_map(contender, client, args, "bench-pipelined_put")
    n = len(keys)
    window = args.window
    error_of = contender.error_of

    def run(seconds, meter, rec):
        sem = contender.semaphore(window)
        acquire = sem.acquire
        release = sem.release
        chunks = rec.chunks
        errors = []
        perf = _perf_ns
        partial = functools.partial
        mask = CHUNK - 1

        def done(i, t0, future):
            chunks[i >> 16][i & mask] = perf() - t0
            error = error_of(future)
            if error is not None:
                errors.append(error)
            release()

        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            acquire()
            rec.reserve(i)
            t0 = perf()
            put_async(keys[i % n], value).add_done_callback(partial(done, i, t0))
            i += 1
            if t0 >= end:
                break
        for _ in range(window):  # drain: every submitted op has completed after this
            acquire()
        meter.stop()
        if errors:
            raise RuntimeError("%d of %d pipelined puts failed, first: %r" % (len(errors), i, errors[0]))
        return i

    return run


def _mixed(contender, client, args, name, workers):
    import random
    put, get, _, keys, value = prepare_map(contender, client, args, name)
    # One shared pseudo-random plan of (key, is_put); each worker starts at its own offset.
    rng = random.Random(20240521)
    plan_size = 1 << 14
    plan = [(keys[rng.randrange(len(keys))], rng.random() >= args.get_ratio) for _ in range(plan_size)]
    mask = plan_size - 1

    def run(seconds, meter, rec):
        go = contender.event()
        # Threads get a recorder each; greenlets of one thread share rec (no switch inside add).
        recs = [rec] * workers if contender.greenlets else [Recorder() for _ in range(workers)]
        counts = [0] * workers
        failures = []
        state = {}

        def worker(w):
            add = recs[w].add
            perf = _perf_ns
            j = w * 997
            go.wait()
            end = state["end"]
            try:
                while True:
                    key, is_put = plan[j & mask]
                    t0 = perf()
                    if is_put:
                        put(key, value)
                    else:
                        get(key)
                    t1 = perf()
                    add(t1 - t0)
                    j += 1
                    if t1 >= end:
                        break
            except BaseException as error:  # a thread's exception would otherwise only be printed
                failures.append(error)
                raise
            finally:
                counts[w] = j - w * 997

        def release_workers():
            state["end"] = meter.start() + int(seconds * 1e9)
            go.set()

        if contender.greenlets:
            import gevent
            gevent.spawn_later(0, release_workers)  # after every worker is parked on go
        else:
            _start_after(contender, release_workers)
        contender.run_concurrently(workers, worker)
        meter.stop()
        if failures:
            raise RuntimeError("%d of %d workers failed, first: %r" % (len(failures), workers, failures[0]))
        if not contender.greenlets:
            for r in recs:
                for v in r.values():
                    rec.add(v)
        return sum(counts)

    return run


def _start_after(contender, release):
    import threading
    timer = threading.Timer(0.05, release)
    timer.daemon = True
    timer.start()


def scenario_mixed_threads(contender, client, args):
    if contender.greenlets:
        raise Absent(STATIC_ABSENT[("hzgreen-gevent", "mixed_threads")])
    return _mixed(contender, client, args, "bench-mixed_threads", args.threads)


def scenario_mixed_greenlets(contender, client, args):
    if not contender.greenlets:
        raise Absent(STATIC_ABSENT[("hzgreen-threading", "mixed_greenlets")])
    return _mixed(contender, client, args, "bench-mixed_greenlets", args.greenlets)


def scenario_big_values(contender, client, args):
    put, get, _, put_all, clear = contender.map_ops(client, "bench-big_values")
    keys = ["big-%d" % i for i in range(args.big_keys)]
    value = contender.blob(bytes(range(256)) * (args.big_size // 256) + b"\x00" * (args.big_size % 256))
    clear()
    for key in keys:
        put(key, value)
    got = get(keys[0])
    if got is None or len(got) != len(value):
        raise RuntimeError("big value round trip failed: got %r bytes" % (None if got is None else len(got)))
    n = len(keys)

    def run(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            key = keys[(i >> 1) % n]
            t0 = perf()
            if i & 1:
                get(key)
            else:
                put(key, value)
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end and not i & 1:
                break
        meter.stop()
        return i

    return run


def scenario_cp_lock(contender, client, args):
    lock, unlock = contender.lock_ops(client, "bench-lock")
    lock()
    unlock()

    def run(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            t0 = perf()
            lock()
            unlock()
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end:
                break
        meter.stop()
        return i

    return run


def scenario_cp_atomic(contender, client, args):
    increment_and_get = contender.atomic_ops(client, "bench-atomic")
    first = increment_and_get()
    if increment_and_get() != first + 1:
        raise RuntimeError("increment_and_get did not increment by one")

    def run(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            t0 = perf()
            increment_and_get()
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end:
                break
        meter.stop()
        return i

    return run


def scenario_connect(contender, client, args):
    """Construct a client and start it until connected; shutdown is not measured."""

    def run(seconds, meter, rec):
        # Runs for ``seconds`` of wall time, shutdowns included, and at least
        # ``--min-connects`` times; ops/s is 1 / mean connect time.
        end = _perf_ns() + int(seconds * 1e9)
        minimum = args.min_connects if meter.measured else 1
        i = 0
        while True:
            t0 = meter.start()
            fresh = contender.new_client()
            t1 = meter.stop()
            contender.close_client(fresh)
            rec.add(t1 - t0)
            i += 1
            if _perf_ns() >= end and i >= minimum:
                break
        return i

    return run


SCENARIO_FUNCS = {name: globals()["scenario_" + name] for name in SCENARIOS}


# -- main -------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contender", required=True, choices=CONTENDERS)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--duration", type=float, default=5.0, help="measured seconds")
    p.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before")
    p.add_argument("--members", required=True, type=lambda s: [a for a in s.split(",") if a],
                   help="comma-separated member addresses")
    p.add_argument("--cluster", required=True, help="cluster name")
    p.add_argument("--keys", type=int, default=10000)
    p.add_argument("--value-size", type=int, default=100)
    p.add_argument("--big-size", type=int, default=1 << 20)
    p.add_argument("--big-keys", type=int, default=8)
    p.add_argument("--window", type=int, default=256)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--greenlets", type=int, default=500)
    p.add_argument("--get-ratio", type=float, default=0.8)
    p.add_argument("--min-connects", type=int, default=3)
    return p.parse_args(argv)


def summarize(args, ops, meter, rec, rss_kib):
    lat = rec.values()
    lat.sort()
    elapsed = meter.wall_ns / 1e9
    p50 = percentile(lat, 50)
    p99 = percentile(lat, 99)
    return {
        "contender": args.contender,
        "scenario": args.scenario,
        "ops": ops,
        "elapsed_s": round(elapsed, 6),
        "ops_per_s": ops / elapsed if elapsed > 0 else None,
        "p50_us": None if p50 is None else p50 / 1e3,
        "p99_us": None if p99 is None else p99 / 1e3,
        "cpu_us_per_op": (meter.user_s + meter.sys_s) * 1e6 / ops if ops else None,
        "rss_mib": rss_kib / 1024.0,
        "cpu_user_us_per_op": meter.user_s * 1e6 / ops if ops else None,
        "cpu_sys_us_per_op": meter.sys_s * 1e6 / ops if ops else None,
        "latency_samples": len(lat),
    }


def run(args):
    """Run one contender/scenario; return the result dict (never raises Absent)."""
    key = (args.contender, args.scenario)
    if key in STATIC_ABSENT:
        return {"contender": args.contender, "scenario": args.scenario, "absent": STATIC_ABSENT[key]}
    contender = make_contender(args)
    # connect makes its own clients; the others share one, connected before anything is timed.
    client = None if args.scenario == "connect" else contender.new_client()
    try:
        try:
            body = SCENARIO_FUNCS[args.scenario](contender, client, args)
        except Absent as why:
            return {"contender": args.contender, "scenario": args.scenario, "absent": str(why)}
        if args.warmup > 0:
            body(args.warmup, Meter(measured=False), Recorder())
        meter = Meter()
        rec = Recorder()
        ops = body(args.duration, meter, rec)
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return summarize(args, ops, meter, rec, rss_kib)
    finally:
        try:
            if client is not None:
                contender.close_client(client)
        except Exception as error:  # the result is already taken; report, don't fail
            print("worker: closing the client failed: %r" % (error,), file=sys.stderr)


def _wants_monkey_patch(argv):
    """The official client's greenlet run patches before anything imports threading."""
    def value(flag):
        for i, arg in enumerate(argv):
            if arg == flag and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(flag + "="):
                return arg.split("=", 1)[1]
        return None
    return value("--contender") == "official" and value("--scenario") == "mixed_greenlets"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if _wants_monkey_patch(argv):
        from gevent import monkey
        monkey.patch_all()
    args = parse_args(argv)
    try:
        result = run(args)
        code = 0
    except BaseException as error:  # one line of JSON whatever happens
        import traceback
        traceback.print_exc()
        result = {"contender": args.contender, "scenario": args.scenario,
                  "error": "%s: %s" % (type(error).__name__, error)}
        code = 1
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: client threads/greenlets left behind must not hang the run.
    os._exit(code)


if __name__ == "__main__":
    main()
