"""The benchmark scenarios, written once against the :class:`benchmarks.contender.Contender`
interface and run unchanged by every Python contender.

Each scenario is set up once by ``prepare`` (untimed) and returns a function
``run(seconds, meter, rec)`` that runs the workload for ``seconds`` and
returns the number of completed operations.  It is called once for the
warm-up (results dropped) and once measured.

Standard library only at module level (imported by the worker before a contender may
monkey-patch).
"""

import time

from benchmarks.matrix import SCENARIOS, STATIC_ABSENT, Absent
from benchmarks.measure import CHUNK, Recorder

_perf_ns = time.perf_counter_ns


def keys_and_value(args):
    keys = ["key-%d" % i for i in range(args.keys)]
    value = ("v%0*d" % (args.value_size - 1, 0))[: args.value_size]
    return keys, value


def prefill(put_all, keys, value, batch=1000):
    for start in range(0, len(keys), batch):
        put_all({k: value for k in keys[start : start + batch]})


def prepare_map(contender, client, args, name):
    put, get, put_async, put_all, clear = contender.map_ops(client, name)
    keys, value = keys_and_value(args)
    clear()
    prefill(put_all, keys, value)
    return put, get, put_async, keys, value


def timed_calls(seconds, meter, rec, call):
    """Start ``meter``, then call ``call(i)`` for i = 0, 1, ... until ``seconds`` have passed
    (at least once), adding each call's latency to ``rec``; returns the number of calls.

    The meter is left running: the caller stops it (after waiting for what must follow)."""
    add = rec.add
    perf = _perf_ns
    i = 0
    end = meter.start() + int(seconds * 1e9)
    while True:
        t0 = perf()
        call(i)
        t1 = perf()
        add(t1 - t0)
        i += 1
        if t1 >= end:
            return i


def scenario_seq_put(contender, client, args):
    put, _, _, keys, value = prepare_map(contender, client, args, "bench-seq_put")
    n = len(keys)

    def call(i):
        put(keys[i % n], value)

    def run(seconds, meter, rec):
        i = timed_calls(seconds, meter, rec, call)
        meter.stop()
        return i

    return run


def scenario_seq_get(contender, client, args):
    _, get, _, keys, value = prepare_map(contender, client, args, "bench-seq_get")
    n = len(keys)
    if get(keys[n - 1]) != value:
        raise RuntimeError("prefill check failed: get(%r) did not return the value" % keys[n - 1])

    def call(i):
        get(keys[i % n])

    def run(seconds, meter, rec):
        i = timed_calls(seconds, meter, rec, call)
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


def scenario_mixed_3_members(contender, client, args):
    """``mixed`` against the 3-member cluster, with each contender's own model for many
    callers: ``--greenlets`` greenlets for the gevent handler, ``--threads`` OS threads for
    the others (the asyncio contender's tasks are in ``scenarios_asyncio``). Smart routing
    sends each key to the member owning it, so all three members serve."""
    workers = args.greenlets if contender.greenlets else args.threads
    return _mixed(contender, client, args, "bench-mixed_3_members", workers)


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

    def call(i):
        lock()
        unlock()

    def run(seconds, meter, rec):
        i = timed_calls(seconds, meter, rec, call)
        meter.stop()
        return i

    return run


def scenario_cp_atomic(contender, client, args, name="bench-atomic"):
    increment_and_get = contender.atomic_ops(client, name)
    first = increment_and_get()
    if increment_and_get() != first + 1:
        raise RuntimeError("increment_and_get did not increment by one")

    def call(i):
        increment_and_get()

    def run(seconds, meter, rec):
        i = timed_calls(seconds, meter, rec, call)
        meter.stop()
        return i

    return run


def scenario_cp_atomic_3_members(contender, client, args):
    """``cp_atomic`` on the 3-member cluster: each increment is committed by a Raft group of
    three members (a majority of two must append it before the reply)."""
    return scenario_cp_atomic(contender, client, args, "bench-atomic-3")


def scenario_member_ceiling(contender, client, args):
    """Absent for every Python contender: the row is the member's, from the Java client."""
    raise Absent(STATIC_ABSENT[(args.contender, "member_ceiling")])


def _fleet(contender, client, args):
    """A fleet is N worker processes, each running ``mixed_greenlets``, started together by
    benchmarks/run.py; one worker never runs a fleet scenario itself."""
    raise Absent("a fleet scenario is run by benchmarks/run.py as several mixed_greenlets workers")


scenario_fleet_1 = scenario_fleet_2 = scenario_fleet_4 = _fleet


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


def scenario_topic_publish(contender, client, args):
    """Publish messages one after another on a Topic with one listener of the same client.

    The measured time runs until the listener received every message published, so
    ops/s is the publish-and-deliver rate; the latency is that of each publish call.
    """
    publish, add_listener, _ = contender.topic_ops(client, "bench-topic")
    state = {"received": 0, "target": -1, "done": None}

    def on_message(message):
        state["received"] += 1
        if state["received"] == state["target"]:
            state["done"].set()

    add_listener(on_message)
    value = keys_and_value(args)[1]

    def call(i):
        publish(value)

    def run(seconds, meter, rec):
        done = contender.event()
        state.update(received=0, target=-1, done=done)
        i = timed_calls(seconds, meter, rec, call)
        state["target"] = i
        if state["received"] >= i:
            done.set()
        finished = done.wait(60)
        meter.stop()
        if not finished:
            raise RuntimeError("the listener got %d of %d messages" % (state["received"], i))
        return i

    return run


def scenario_ringbuffer_read_many(contender, client, args):
    """Read batches of 100 items from a Ringbuffer holding 1,000; one op is one read_many call."""
    add_all, read_many, head_sequence = contender.ringbuffer_ops(client, "bench-ringbuffer")
    value = keys_and_value(args)[1]
    for _ in range(10):
        add_all([value] * 100)
    first = head_sequence()

    def call(i):
        batch = read_many(first + (i % 10) * 100, 1, 100)
        if len(batch) != 100:
            raise RuntimeError("read_many returned %d items, not 100" % len(batch))

    def run(seconds, meter, rec):
        i = timed_calls(seconds, meter, rec, call)
        meter.stop()
        return i

    return run


NEAR_CACHE_MAP = "bench-near_cache_get"


def near_caches(args):
    """The ``near_caches`` client option of the run, the same for both Python clients (they
    take the same option names), or None when the scenario uses no near cache.

    ``near_cache_get``'s map gets a near cache twice the size of the key set, so every key
    fits and nothing is evicted; the other options are both clients' defaults, spelled out.
    """
    if args.scenario != "near_cache_get":
        return None
    options = {
        "invalidate_on_change": True,
        "in_memory_format": "BINARY",
        "eviction_policy": "LRU",
        "eviction_max_size": 2 * args.keys,
        "eviction_sampling_count": 8,
        "eviction_sampling_pool_size": 16,
    }
    return {NEAR_CACHE_MAP: options}


def scenario_near_cache_get(contender, client, args):
    """``get(key)`` from one caller on a map with a near cache (see :func:`near_caches`).

    Access pattern: the map is cleared and prefilled with the ``--keys`` keys, then one
    untimed pass gets every key once (misses that fill the near cache); the warm-up and
    the measured run then get the keys in turn, as ``seq_get`` does, so every get should
    be a hit (hzgreen ignores the late, batched invalidations members echo for the
    prefill's own writes; a client that applies them misses until the keys are read
    again). The result's ``hit_ratio`` is hits / (hits + misses) over the
    measured section, from the client's near cache statistics.
    """
    _, get, _, keys, value = prepare_map(contender, client, args, NEAR_CACHE_MAP)
    counts = contender.near_cache_counts(client, NEAR_CACHE_MAP)
    for key in keys:
        if get(key) != value:
            raise RuntimeError("prefill check failed: get(%r) did not return the value" % key)
    n = len(keys)

    def call(i):
        get(keys[i % n])

    def run(seconds, meter, rec):
        hits, misses = counts()
        i = timed_calls(seconds, meter, rec, call)
        meter.stop()
        hits_after, misses_after = counts()
        reads = (hits_after - hits) + (misses_after - misses)
        meter.extra["hit_ratio"] = (hits_after - hits) / reads if reads else None
        return i

    return run


TRANSFORM_SOURCE = "bench-transform-source"
TRANSFORM_RESULT = "bench-transform-result"
TRANSFORM_CHUNK = 100
#: The member configuration of the transform's source map: a journal large enough that a
#: run never overwrites events before they are read (its capacity is shared by the partitions).
TRANSFORM_JOURNAL_XML = (
    '<map name="%s"><event-journal enabled="true"><capacity>1000000</capacity></event-journal></map>' % TRANSFORM_SOURCE
)


_STAMP = 12  # leading digits of a transform value: the chunk it was written in


def scenario_transform(contender, client, args):
    """Entries written to a journaled map, run through a Python function and written to
    another map by ``client.Transform`` (one worker, in this process), end to end.

    Each step writes ``TRANSFORM_CHUNK`` entries with one ``put_all`` (the ``--keys`` keys in
    turn; each value starts with the number of its chunk); the measured time runs until the
    transform has processed every entry written, so ops/s is entries per second end to end.
    The latency of an entry runs from its ``put_all`` to the function call processing it.
    ``lag_p50`` / ``lag_max``: entries written but not yet processed, sampled after each
    put_all; ``lost``: events the journal overwrote before they were read (should be 0).
    """
    keys, value = keys_and_value(args)
    body = value[_STAMP:] if len(value) > _STAMP else ""
    state = {"written": 0, "base": 0, "rec": Recorder(), "sent": []}

    def transform(key, stamped):
        state["rec"].add(_perf_ns() - state["sent"][int(stamped[:_STAMP])])
        return stamped.upper()

    start, accounted, close = contender.transform_ops(client, TRANSFORM_SOURCE, TRANSFORM_RESULT, transform)
    put_all = contender.map_ops(client, TRANSFORM_SOURCE)[3]
    start()
    n = len(keys)
    lags = []

    def run(seconds, meter, rec):
        sent = []
        state.update(written=0, base=accounted()[0], rec=rec, sent=sent)
        del lags[:]
        end = meter.start() + int(seconds * 1e9)
        while True:
            first = state["written"]
            stamped = "%0*d%s" % (_STAMP, len(sent), body)
            sent.append(_perf_ns())
            put_all({keys[(first + j) % n]: stamped for j in range(TRANSFORM_CHUNK)})
            state["written"] = first + TRANSFORM_CHUNK
            lags.append(state["written"] - (accounted()[0] - state["base"]))
            if _perf_ns() >= end:
                break
        deadline = time.monotonic() + 120
        pause = contender.event()  # never set: its wait is a sleep that lets greenlets run
        while True:
            processed, lost = accounted()
            if processed - state["base"] + lost >= state["written"] or time.monotonic() > deadline:
                break
            pause.wait(0.002)
        meter.stop()
        if processed - state["base"] + lost < state["written"]:
            raise RuntimeError(
                "the transform processed %d of %d entries" % (processed - state["base"], state["written"])
            )
        lags.sort()
        meter.extra.update(lag_p50=lags[len(lags) // 2], lag_max=lags[-1], lost=lost)
        return state["written"]

    run.close = close
    return run


SCENARIO_FUNCS = {name: globals()["scenario_" + name] for name in SCENARIOS}
