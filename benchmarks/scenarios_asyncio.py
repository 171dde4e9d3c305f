"""The benchmark scenarios of :mod:`benchmarks.scenarios`, written with ``await`` for the
asyncio contender (:class:`benchmarks.contender_official_asyncio.OfficialAsyncioContender`).

Each scenario is the same workload as its namesake there: the same keys, values, prefill,
checks, what is timed and the same use of the meter and the recorder, so the results
compare.  What differs is only how a call is made: ``await op(...)`` on the contender's
event loop, with asyncio tasks where the threaded versions use threads or greenlets.

A scenario function prepares its data (untimed; coroutines run with ``contender.run``)
and returns the synchronous ``run(seconds, meter, rec)`` the worker calls
(``contender.runner(body)``, which runs the async ``body`` with
``loop.run_until_complete``).

Standard library only at module level (see the note in :mod:`benchmarks.scenarios`);
the worker imports this module only for the asyncio contender.
"""

import asyncio
import functools
import random
import time

from benchmarks.matrix import SCENARIOS, STATIC_ABSENT, Absent
from benchmarks.measure import CHUNK
from benchmarks.scenarios import NEAR_CACHE_MAP, keys_and_value

_perf_ns = time.perf_counter_ns


async def prefill(put_all, keys, value, batch=1000):
    """The keys in batches of ``batch`` put_all calls, as :func:`benchmarks.scenarios.prefill`."""
    for start in range(0, len(keys), batch):
        await put_all({k: value for k in keys[start : start + batch]})


async def prepare_map(contender, client, args, name):
    """Clear map ``name`` and prefill it; return ``(put, get, keys, value)``."""
    put, get, put_all, clear = await contender.map_ops(client, name)
    keys, value = keys_and_value(args)
    await clear()
    await prefill(put_all, keys, value)
    return put, get, keys, value


async def timed_calls(seconds, meter, rec, call):
    """Start ``meter``, then await ``call(i)`` for i = 0, 1, ... until ``seconds`` have passed
    (at least once), adding each call's latency to ``rec``; returns the number of calls.

    The meter is left running: the caller stops it (after waiting for what must follow)."""
    add = rec.add
    perf = _perf_ns
    i = 0
    end = meter.start() + int(seconds * 1e9)
    while True:
        t0 = perf()
        await call(i)
        t1 = perf()
        add(t1 - t0)
        i += 1
        if t1 >= end:
            return i


def _sequential(contender, call):
    """The ``run`` of a scenario that awaits ``call(i)`` one after another."""

    async def body(seconds, meter, rec):
        i = await timed_calls(seconds, meter, rec, call)
        meter.stop()
        return i

    return contender.runner(body)


def scenario_seq_put(contender, client, args):
    """``await put(key, value)`` from one task; the keys in turn."""
    put, _, keys, value = contender.run(prepare_map(contender, client, args, "bench-seq_put"))
    n = len(keys)

    def call(i):
        return put(keys[i % n], value)

    return _sequential(contender, call)


def scenario_seq_get(contender, client, args):
    """``await get(key)`` from one task; the keys in turn."""
    _, get, keys, value = contender.run(prepare_map(contender, client, args, "bench-seq_get"))
    n = len(keys)
    if contender.run(get(keys[n - 1])) != value:
        raise RuntimeError("prefill check failed: get(%r) did not return the value" % keys[n - 1])

    def call(i):
        return get(keys[i % n])

    return _sequential(contender, call)


def scenario_pipelined_put(contender, client, args):
    """Up to ``--window`` puts in flight, each a task; a semaphore released by each task's
    done callback bounds them, and an op's latency runs from submission (task creation) to
    that callback."""
    put, _, keys, value = contender.run(prepare_map(contender, client, args, "bench-pipelined_put"))
    n = len(keys)
    window = args.window
    error_of = contender.error_of

    async def body(seconds, meter, rec):
        sem = contender.semaphore(window)
        acquire = sem.acquire
        release = sem.release
        create_task = asyncio.get_running_loop().create_task
        chunks = rec.chunks
        errors = []
        perf = _perf_ns
        partial = functools.partial
        mask = CHUNK - 1

        def done(i, t0, task):
            chunks[i >> 16][i & mask] = perf() - t0
            error = error_of(task)
            if error is not None:
                errors.append(error)
            release()

        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            await acquire()
            rec.reserve(i)
            t0 = perf()
            create_task(put(keys[i % n], value)).add_done_callback(partial(done, i, t0))
            i += 1
            if t0 >= end:
                break
        for _ in range(window):  # drain: every submitted op has completed after this
            await acquire()
        meter.stop()
        if errors:
            raise RuntimeError("%d of %d pipelined puts failed, first: %r" % (len(errors), i, errors[0]))
        return i

    return contender.runner(body)


def scenario_mixed_threads(contender, client, args):
    """Absent: tasks of one loop are this contender's concurrency, run as mixed_greenlets."""
    raise Absent(STATIC_ABSENT[("official-asyncio", "mixed_threads")])


def scenario_mixed_greenlets(contender, client, args, name="bench-mixed_greenlets"):
    """``--greenlets`` tasks on one client, each 80% get / 20% put on random keys: the plan,
    offsets and latency recording of the greenlet version, with tasks for greenlets."""
    put, get, keys, value = contender.run(prepare_map(contender, client, args, name))
    # One shared pseudo-random plan of (key, is_put); each worker starts at its own offset.
    rng = random.Random(20240521)
    plan_size = 1 << 14
    plan = [(keys[rng.randrange(len(keys))], rng.random() >= args.get_ratio) for _ in range(plan_size)]
    mask = plan_size - 1
    workers = args.greenlets

    async def body(seconds, meter, rec):
        go = contender.event()
        # Tasks of one loop share rec (no switch inside add).
        add = rec.add
        counts = [0] * workers
        failures = []
        state = {}

        async def worker(w):
            perf = _perf_ns
            j = w * 997
            await go.wait()
            end = state["end"]
            try:
                while True:
                    key, is_put = plan[j & mask]
                    t0 = perf()
                    if is_put:
                        await put(key, value)
                    else:
                        await get(key)
                    t1 = perf()
                    add(t1 - t0)
                    j += 1
                    if t1 >= end:
                        break
            except BaseException as error:
                failures.append(error)
                raise
            finally:
                counts[w] = j - w * 997

        tasks = [asyncio.ensure_future(worker(w)) for w in range(workers)]
        await asyncio.sleep(0)  # every worker runs up to its go.wait() first
        state["end"] = meter.start() + int(seconds * 1e9)
        go.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        meter.stop()
        if failures:
            raise RuntimeError("%d of %d workers failed, first: %r" % (len(failures), workers, failures[0]))
        return sum(counts)

    return contender.runner(body)


def scenario_mixed_3_members(contender, client, args):
    """``mixed_greenlets``' tasks against the 3-member cluster (smart routing)."""
    return scenario_mixed_greenlets(contender, client, args, "bench-mixed_3_members")


def scenario_big_values(contender, client, args):
    """``put`` then ``get`` of 1 MiB byte-array values (``bytearray``), 8 keys; each is one op."""
    put, get, put_all, clear = contender.run(contender.map_ops(client, "bench-big_values"))
    keys = ["big-%d" % i for i in range(args.big_keys)]
    value = contender.blob(bytes(range(256)) * (args.big_size // 256) + b"\x00" * (args.big_size % 256))

    async def fill():
        await clear()
        for key in keys:
            await put(key, value)
        return await get(keys[0])

    got = contender.run(fill())
    if got is None or len(got) != len(value):
        raise RuntimeError("big value round trip failed: got %r bytes" % (None if got is None else len(got)))
    n = len(keys)

    async def body(seconds, meter, rec):
        add = rec.add
        perf = _perf_ns
        i = 0
        end = meter.start() + int(seconds * 1e9)
        while True:
            key = keys[(i >> 1) % n]
            t0 = perf()
            if i & 1:
                await get(key)
            else:
                await put(key, value)
            t1 = perf()
            add(t1 - t0)
            i += 1
            if t1 >= end and not i & 1:
                break
        meter.stop()
        return i

    return contender.runner(body)


def scenario_cp_lock(contender, client, args):
    """``await lock()`` then ``await unlock()`` of an uncontended FencedLock (one op), in one
    task (the lock's owner)."""
    lock, unlock = contender.run(contender.lock_ops(client, "bench-lock"))

    async def call(i):
        await lock()
        await unlock()

    contender.run(call(-1))
    return _sequential(contender, call)


def scenario_cp_atomic(contender, client, args, name="bench-atomic"):
    """AtomicLong ``await increment_and_get()``."""
    increment_and_get = contender.run(contender.atomic_ops(client, name))

    async def check():
        first = await increment_and_get()
        return await increment_and_get() == first + 1

    if not contender.run(check()):
        raise RuntimeError("increment_and_get did not increment by one")

    def call(i):
        return increment_and_get()

    return _sequential(contender, call)


def scenario_cp_atomic_3_members(contender, client, args):
    """``cp_atomic`` on a 3-member Raft group."""
    return scenario_cp_atomic(contender, client, args, "bench-atomic-3")


def scenario_member_ceiling(contender, client, args):
    """Absent: the row is the member's, from the Java client."""
    raise Absent(STATIC_ABSENT[("official-asyncio", "member_ceiling")])


def _fleet(contender, client, args):
    """Run by benchmarks/run.py as several mixed_greenlets workers, never by one worker."""
    raise Absent("a fleet scenario is run by benchmarks/run.py as several mixed_greenlets workers")


scenario_fleet_1 = scenario_fleet_2 = scenario_fleet_4 = _fleet


def scenario_connect(contender, client, args):
    """Create and start a client until connected (``create_and_start``); shutdown is not
    measured."""

    async def body(seconds, meter, rec):
        # Runs for ``seconds`` of wall time, shutdowns included, and at least
        # ``--min-connects`` times; ops/s is 1 / mean connect time.
        end = _perf_ns() + int(seconds * 1e9)
        minimum = args.min_connects if meter.measured else 1
        i = 0
        while True:
            t0 = meter.start()
            fresh = await contender.start_client()
            t1 = meter.stop()
            await contender.stop_client(fresh)
            rec.add(t1 - t0)
            i += 1
            if _perf_ns() >= end and i >= minimum:
                break
        return i

    return contender.runner(body)


def scenario_topic_publish(contender, client, args):
    """Publish messages one after another on a Topic with one listener of the same client.

    The measured time runs until the listener received every message published, so
    ops/s is the publish-and-deliver rate; the latency is that of each publish call.
    """
    publish, add_listener, _ = contender.run(contender.topic_ops(client, "bench-topic"))
    state = {"received": 0, "target": -1, "done": None}

    def on_message(message):
        state["received"] += 1
        if state["received"] == state["target"]:
            state["done"].set()

    contender.run(add_listener(on_message))
    value = keys_and_value(args)[1]

    def call(i):
        return publish(value)

    async def body(seconds, meter, rec):
        done = contender.event()
        state.update(received=0, target=-1, done=done)
        i = await timed_calls(seconds, meter, rec, call)
        state["target"] = i
        if state["received"] >= i:
            done.set()
        try:
            await asyncio.wait_for(done.wait(), 60)
            finished = True
        except asyncio.TimeoutError:
            finished = False
        meter.stop()
        if not finished:
            raise RuntimeError("the listener got %d of %d messages" % (state["received"], i))
        return i

    return contender.runner(body)


def scenario_ringbuffer_read_many(contender, client, args):
    """Read batches of 100 items from a Ringbuffer holding 1,000; one op is one read_many call."""
    add_all, read_many, head_sequence = contender.run(contender.ringbuffer_ops(client, "bench-ringbuffer"))
    value = keys_and_value(args)[1]

    async def fill():
        for _ in range(10):
            await add_all([value] * 100)
        return await head_sequence()

    first = contender.run(fill())

    async def call(i):
        batch = await read_many(first + (i % 10) * 100, 1, 100)
        if len(batch) != 100:
            raise RuntimeError("read_many returned %d items, not 100" % len(batch))

    return _sequential(contender, call)


def scenario_near_cache_get(contender, client, args):
    """``await get(key)`` from one task on a map with a near cache, every key cached: the
    access pattern and the ``hit_ratio`` of :func:`benchmarks.scenarios.scenario_near_cache_get`."""
    _, get, keys, value = contender.run(prepare_map(contender, client, args, NEAR_CACHE_MAP))
    counts = contender.run(contender.near_cache_counts(client, NEAR_CACHE_MAP))

    async def read_all():
        for key in keys:
            if await get(key) != value:
                raise RuntimeError("prefill check failed: get(%r) did not return the value" % key)

    contender.run(read_all())
    n = len(keys)

    def call(i):
        return get(keys[i % n])

    async def body(seconds, meter, rec):
        hits, misses = counts()
        i = await timed_calls(seconds, meter, rec, call)
        meter.stop()
        hits_after, misses_after = counts()
        reads = (hits_after - hits) + (misses_after - misses)
        meter.extra["hit_ratio"] = (hits_after - hits) / reads if reads else None
        return i

    return contender.runner(body)


def scenario_transform(contender, client, args):
    """Absent: the official client has no event journal reader."""
    raise Absent(STATIC_ABSENT[("official-asyncio", "transform")])


SCENARIO_FUNCS = {name: globals()["scenario_" + name] for name in SCENARIOS}
