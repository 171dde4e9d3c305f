#!/usr/bin/env python
"""One benchmark run: one contender, one scenario, one process, one JSON line on stdout.

    python benchmarks/worker.py --contender hzgreen-threading --scenario seq_get \\
        --duration 5 --warmup 1 --members 127.0.0.1:5701 --cluster dev

Contenders: ``hzgreen-threading``, ``hzgreen-gevent``, ``official``
(hazelcast-python-client; ``gevent.monkey.patch_all()`` first for
``mixed_greenlets``, as its gevent users do) and ``official-asyncio`` (its
asyncio client, on an event loop of the worker; its scenarios are the async
versions in ``scenarios_asyncio``).  The Java contender has its own
program, ``benchmarks/java/Bench.java``, with the same options and output.

Each run prepares its data (untimed), runs the scenario for ``--warmup``
seconds (discarded), then for ``--duration`` seconds (measured).  The line
printed last is a JSON object: ``ops``, ``elapsed_s``, ``ops_per_s``,
``p50_us``, ``p99_us`` (per-operation latency, perf_counter_ns around each
call; for pipelined_put from submit to the completion callback),
``cpu_us_per_op`` (process user+sys time of the measured section only, from
getrusage, divided by ops), ``rss_mib`` (peak RSS of the process, ru_maxrss)
and, for ``near_cache_get``, ``hit_ratio`` (of the near cache, measured section
only); or ``absent`` with the reason when the contender lacks the scenario, or
``error`` when the run failed.

This file and the modules it uses import nothing but the standard library at
module level, so the official contender can monkey-patch before ``threading``
is imported.  The pieces: ``matrix`` (contender and scenario names, known
absences), ``measure`` (latency recorder, CPU/wall meter, result dict),
``contender`` with ``contender_hzgreen`` / ``contender_official`` (the client
libraries behind one interface) and ``scenarios`` (the workloads).  The names
other code imports from here (CONTENDERS, SCENARIOS, STATIC_ABSENT, Recorder,
percentile, ...) are re-exported.
"""

import argparse
import json
import os
import resource
import sys

if __name__ == "__main__" and not __package__:
    # Run as a script without PYTHONPATH=<repo root> (benchmarks/run.py sets it): make the
    # ``benchmarks`` package importable.
    _ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if _ROOT not in sys.path:
        sys.path.insert(1, _ROOT)

from benchmarks.contender import Contender  # noqa: E402,F401  (re-exported)
from benchmarks.contender_hzgreen import HzgreenContender  # noqa: E402
from benchmarks.contender_official import OfficialContender  # noqa: E402
from benchmarks.contender_official_asyncio import OfficialAsyncioContender  # noqa: E402
from benchmarks.matrix import CONTENDERS, SCENARIOS, STATIC_ABSENT, Absent  # noqa: E402
from benchmarks.measure import CHUNK, Meter, Recorder, cpu_seconds, percentile, summarize  # noqa: E402,F401
from benchmarks.scenarios import (  # noqa: E402,F401  (re-exported)
    SCENARIO_FUNCS,
    keys_and_value,
    prefill,
    prepare_map,
    scenario_big_values,
    scenario_connect,
    scenario_cp_atomic,
    scenario_cp_lock,
    scenario_mixed_greenlets,
    scenario_mixed_threads,
    scenario_pipelined_put,
    scenario_seq_get,
    scenario_seq_put,
)


def make_contender(args):
    if args.contender == "hzgreen-threading":
        return HzgreenContender(args, "threading")
    if args.contender == "hzgreen-gevent":
        return HzgreenContender(args, "gevent")
    if args.contender == "official":
        return OfficialContender(args)
    if args.contender == "official-asyncio":
        return OfficialAsyncioContender(args)
    raise SystemExit("worker.py runs the Python contenders; the java contender is benchmarks/java/Bench.java")


# -- main -------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contender", required=True, choices=CONTENDERS)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--duration", type=float, default=5.0, help="measured seconds")
    p.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before")
    p.add_argument(
        "--members",
        required=True,
        type=lambda s: [a for a in s.split(",") if a],
        help="comma-separated member addresses",
    )
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
    p.add_argument(
        "--barrier",
        action="store_true",
        help="after preparing, print 'ready' and wait for a line on stdin before the warm-up "
        "(benchmarks/run.py starts a fleet's workers together this way)",
    )
    return p.parse_args(argv)


READY = "ready"


def _wait_for_go():
    """Say ``ready`` on stdout and block until the runner writes a line to stdin.

    The read blocks the whole process (greenlets included) for the moment the other
    workers of a fleet take to get ready; nothing is measured meanwhile."""
    sys.stdout.write(READY + "\n")
    sys.stdout.flush()
    if not sys.stdin.readline():
        raise RuntimeError("the runner closed stdin before the go")


def scenario_funcs(contender):
    """The scenario functions to run ``contender`` with: its own (``contender.scenario_funcs()``,
    the asyncio contender's async versions) when it has them, else the shared ones."""
    own = getattr(contender, "scenario_funcs", None)
    return own() if own is not None else SCENARIO_FUNCS


def run(args):
    """Run one contender/scenario; return the result dict (never raises Absent)."""
    key = (args.contender, args.scenario)
    if key in STATIC_ABSENT:
        return {"contender": args.contender, "scenario": args.scenario, "absent": STATIC_ABSENT[key]}
    contender = make_contender(args)
    # connect makes its own clients; the others share one, connected before anything is timed.
    client = None if args.scenario == "connect" else contender.new_client()
    body = None
    try:
        try:
            body = scenario_funcs(contender)[args.scenario](contender, client, args)
        except Absent as why:
            return {"contender": args.contender, "scenario": args.scenario, "absent": str(why)}
        if args.barrier:
            _wait_for_go()
        if args.warmup > 0:
            body(args.warmup, Meter(measured=False), Recorder())
        meter = Meter()
        rec = Recorder()
        ops = body(args.duration, meter, rec)
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return summarize(args, ops, meter, rec, rss_kib)
    finally:
        try:
            if getattr(body, "close", None) is not None:
                body.close()  # what the scenario started on the client (the transform)
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
        result = {
            "contender": args.contender,
            "scenario": args.scenario,
            "error": "%s: %s" % (type(error).__name__, error),
        }
        code = 1
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: client threads/greenlets left behind must not hang the run.
    os._exit(code)


if __name__ == "__main__":
    main()
