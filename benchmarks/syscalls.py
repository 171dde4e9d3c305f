"""Count the system calls per operation of one contender on one scenario with ``strace -c``.

    python -m benchmarks.syscalls --contender hzgreen-gevent --scenario seq_get
    python -m benchmarks.syscalls --contender official-asyncio --scenario seq_get --duration 5

Starts a member (or uses ``--members``/``--cluster``), runs ``benchmarks/worker.py`` (or
the Java client's Bench for ``--contender java``) under ``strace -f -c`` with no warm-up,
and prints each system call's count divided by the operations the run reports, largest
first. The counts include the run's setup (connecting, the prefill), so a run should be
long enough to dwarf it (the default 4 s of sequential calls is tens of thousands of
operations against a few hundred setup calls). strace slows every system call down, so
the rates of the run mean nothing; the counts per operation of a sequential scenario do
(a concurrent one batches differently when slowed). Needs strace and ptrace permission.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchmarks.matrix import CONTENDERS, SCENARIOS
from benchmarks.run import ROOT, compile_java, parse_result, worker_command

#: A row of strace -c's summary: % time, seconds, usecs/call, calls, [errors], syscall.
_ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\w+)\s*$")


def parse_summary(text):
    """strace -c's table -> {syscall: (calls, errors)}; the total line is left out."""
    counts = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match and match.group(3) != "total":
            counts[match.group(3)] = (int(match.group(1)), int(match.group(2) or 0))
    return counts


def per_operation(counts, ops):
    """[(syscall, calls per op, errors per op)], most frequent first."""
    rows = [(name, calls / ops, errors / ops) for name, (calls, errors) in counts.items()]
    return sorted(rows, key=lambda row: -row[1])


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.syscalls", description=__doc__.split("\n\n")[0])
    p.add_argument("--contender", required=True, choices=CONTENDERS)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--duration", type=float, default=4.0)
    p.add_argument("--members", help="a running member's host:port (default: start one)")
    p.add_argument("--cluster", help="its cluster name (with --members)")
    p.add_argument("--top", type=int, default=12, help="rows to print")
    args = p.parse_args(argv)
    for name, value in dict(
        warmup=0.0, keys=10000, value_size=100, big_size=1 << 20, big_keys=8, window=256, threads=8
    ).items():
        setattr(args, name, value)
    args.greenlets, args.get_ratio, args.min_connects = 500, 0.8, 3
    return args


def count(args, members, cluster):
    """Run the worker under strace; returns (result dict, {syscall: (calls, errors)})."""
    if not shutil.which("strace"):
        raise SystemExit("strace is not installed")
    java = None
    if args.contender == "java":
        from hzgreen.testing.jar import cache_dir, ensure_member_jar
        from hzgreen.testing.member import java_executable

        jar = ensure_member_jar()
        java = {"java": java_executable(), "jar": jar}
        java["classes"] = compile_java(java["java"], jar, cache_dir())
    cmd = worker_command(args.contender, args.scenario, args, members, cluster, java)
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryDirectory() as scratch:
        summary = os.path.join(scratch, "strace.txt")
        out = subprocess.run(
            ["strace", "-f", "-c", "-o", summary] + cmd, capture_output=True, text=True, env=env, cwd=ROOT
        )
        result = parse_result(out.stdout)
        if result is None or "ops" not in result:
            raise SystemExit("the worker produced no result:\n%s" % out.stderr[-3000:])
        with open(summary, encoding="utf-8") as f:
            return result, parse_summary(f.read())


@contextlib.contextmanager
def given_or_started_member(args):
    """Yields ``(members, cluster)``: ``--members``/``--cluster`` when given, else those of a
    member started here and stopped on leaving."""
    if args.members:
        yield args.members.split(","), args.cluster
        return
    from hzgreen.testing import Cluster

    with Cluster(members=1, jvm_flags=(), heap="1g") as cluster_handle:
        yield cluster_handle.addresses, cluster_handle.cluster_name


def main(argv=None):
    args = parse_args(argv)
    with given_or_started_member(args) as (members, cluster):
        result, counts = count(args, members, cluster)
    ops = result["ops"]
    rows = per_operation(counts, ops)
    total = sum(calls for _, calls, _ in rows)
    print("%s / %s: %d operations, %.2f system calls per operation" % (args.contender, args.scenario, ops, total))
    for name, calls, errors in rows[: args.top]:
        print("  %-18s %8.3f%s" % (name, calls, "  (%.3f failed)" % errors if errors else ""))
    print(json.dumps({"contender": args.contender, "scenario": args.scenario, "ops": ops, "per_op": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
