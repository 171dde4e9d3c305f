"""Profile one Python contender on one scenario with py-spy.

    python -m benchmarks.profile --contender hzgreen-threading --scenario seq_get
    python -m benchmarks.profile --contender hzgreen-gevent --scenario pipelined_put --top 30

Starts a member (or uses ``--members``/``--cluster``), runs
``benchmarks/worker.py`` under ``py-spy record --threads --gil`` (only the
thread holding the GIL is sampled: where the Python CPU goes; ``--no-gil``
samples every thread py-spy deems busy) and prints the share of samples per
thread, then the top functions by self samples (the frame on top of the
stack) and by inclusive samples (anywhere in the stack).  Samples of the
setup (imports, prefill, connecting) are left out; those of the warm-up are
kept.  ``--raw FILE`` keeps py-spy's raw (collapsed-stack) output for
flamegraph.pl or speedscope.  py-spy needs ptrace permission (root, or
kernel.yama.ptrace_scope=0).
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchmarks.run import ROOT, WORKER, scenario_args
from benchmarks.worker import SCENARIOS

_LINE = re.compile(r":\d+\)$")


def frame_name(frame):
    """``Map.get (hzgreen/proxy/map.py:76)`` -> ``Map.get (hzgreen/proxy/map.py)``."""
    return _LINE.sub(")", frame.strip())


def parse_raw(text):
    """py-spy raw output -> list of (thread, [frames root..leaf], count)."""
    samples = []
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        thread = frames[0]
        samples.append((thread, [frame_name(f) for f in frames[1:]], int(count)))
    return samples


SETUP_MARKERS = ("importlib._bootstrap", "prepare_map (", "scenario_big_values (", "new_client (")


def is_setup(frames):
    """Imports, prefill, connecting: not the workload."""
    return any(marker in frame for frame in frames for marker in SETUP_MARKERS)


def summarize(samples, top):
    setup = sum(c for _, frames, c in samples if is_setup(frames))
    samples = [s for s in samples if not is_setup(s[1])]
    total = sum(c for _, _, c in samples) or 1
    threads = collections.Counter()
    own = collections.Counter()
    inclusive = collections.Counter()
    for thread, frames, count in samples:
        threads[re.sub(r"\(\d+\)", "", thread).strip()] += count
        if frames:
            own[frames[-1]] += count
        for name in set(frames):
            inclusive[name] += count
    out = ["%d samples (%d more in setup: imports, prefill, connect; left out)" % (total, setup), "", "threads:"]
    out += ["  %5.1f%%  %s" % (100.0 * c / total, t) for t, c in threads.most_common()]
    out += ["", "top %d by self samples:" % top]
    out += ["  %5.1f%%  %s" % (100.0 * c / total, n) for n, c in own.most_common(top)]
    out += ["", "top %d by inclusive samples:" % top]
    out += ["  %5.1f%%  %s" % (100.0 * c / total, n) for n, c in inclusive.most_common(top)]
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--contender", required=True, choices=("hzgreen-threading", "hzgreen-gevent", "official", "official-asyncio")
    )
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--duration", type=float, default=8.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--raw", help="also keep py-spy's raw output here")
    p.add_argument(
        "--no-gil",
        action="store_true",
        help="sample every non-idle thread, not only the one holding the GIL (py-spy's idle "
        "detection counts some blocking waits as busy)",
    )
    p.add_argument("--members")
    p.add_argument("--cluster")
    args = p.parse_args(argv)
    # Same scenario parameters as a benchmark run.
    from benchmarks.run import parse_args as bench_args

    settings = bench_args(["--duration", str(args.duration), "--warmup", str(args.warmup)])
    py_spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.access(py_spy, os.X_OK):
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")

    cluster = None
    if args.members:
        members, name = args.members, args.cluster
    else:
        from hzgreen.testing import Cluster

        cluster = Cluster(members=1, cp_members=0, jvm_flags=(), heap="1g").start()
        members, name = ",".join(cluster.addresses), cluster.cluster_name
    try:
        if args.raw:
            raw = args.raw
        else:
            handle, raw = tempfile.mkstemp(prefix="hzgreen-pyspy-", suffix=".txt")
            os.close(handle)
        cmd = [py_spy, "record", "--threads", "-r", str(args.rate), "-f", "raw", "-o", raw]
        if not args.no_gil:
            cmd.append("--gil")
        cmd += [
            "--",
            sys.executable,
            WORKER,
            "--contender",
            args.contender,
            "--scenario",
            args.scenario,
            "--members",
            members,
            "--cluster",
            name,
        ] + scenario_args(settings)
        env = dict(os.environ, PYTHONPATH=ROOT)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        result = [line for line in out.stdout.splitlines() if line.startswith("{")]
        print(result[-1] if result else "(no worker result)\n" + out.stderr[-3000:])
        with open(raw) as f:
            print(summarize(parse_raw(f.read()), args.top))
        if not args.raw:
            os.unlink(raw)
    finally:
        if cluster is not None:
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
