"""Time the connects of hzgreen revisions against each other: many short processes, in
rotating order, on a fresh member at a time.

    python -m benchmarks.connects --revisions c580f32 HEAD
    python -m benchmarks.connects --revisions c580f32 8bc50f7 WORKTREE --fresh-members 4 --rounds 6

The ``connect`` scenario of ``make bench`` is too coarse to tell two revisions 5% apart
on a shared virtual machine: one process against another scatters by 15% and more, and a
member that served some ten thousand connects answers more slowly than a fresh one. So
each revision's connects run in processes of ``--connects`` connects each
(``benchmarks/connects_driver.py``, with the revision's hzgreen first on the path);
one round runs one process per revision, in an order that rotates through every
permutation from round to round; each fresh member serves ``--rounds`` rounds after an
untimed warm-up process of ``MEMBER_WARMUP`` connects per revision. A revision is compared with the first (the baseline) round by
round: the mean and a 95% interval of the log of the ratio, and its median, for the
thread's CPU time and for the wall time of construct plus ``start()``.

A revision is a git revision (checked out into a temporary worktree, removed afterwards)
or ``WORKTREE``, as for ``benchmarks.instructions``.
"""

import argparse
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

from benchmarks.instructions import checkouts_of
from benchmarks.run import ROOT

DRIVER = os.path.join(ROOT, "benchmarks", "connects_driver.py")
#: Untimed connects of each revision a fresh member serves first: its JIT compiles what each
#: revision asks of it (with the production JVM flags of ``make bench``, the first hundreds
#: of connects take 2-3 times longer, and a revision sending a request the others do not
#: would pay for its compilation).
MEMBER_WARMUP = 1000
MEASURES = ("cpu", "wall")


def orders(revisions, rounds):
    """The order of the revisions in each of ``rounds`` rounds: every permutation in turn."""
    permutations = list(itertools.permutations(revisions))
    return [list(permutations[i % len(permutations)]) for i in range(rounds)]


def measure_of(row, measure):
    """A driver row's milliseconds per connect: CPU (construct plus start) or wall."""
    if measure == "cpu":
        return row["construct_cpu_ms"] + row["start_cpu_ms"]
    return row["wall_ms"]


def compare(rounds, baseline, revision, measure):
    """``{"n", "ratio", "low", "high", "median"}`` of ``revision`` against ``baseline`` over
    ``rounds`` (each a ``{revision: driver row}``): the geometric mean of the per-round
    ratios with its 95% interval, and their median. Raises ValueError below 3 rounds."""
    logs = [math.log(measure_of(r[revision], measure) / measure_of(r[baseline], measure)) for r in rounds]
    if len(logs) < 3:
        raise ValueError("at least 3 rounds are needed, got %d" % len(logs))
    mean = statistics.mean(logs)
    half = 1.96 * statistics.stdev(logs) / math.sqrt(len(logs))
    return {
        "n": len(logs),
        "ratio": math.exp(mean),
        "low": math.exp(mean - half),
        "high": math.exp(mean + half),
        "median": math.exp(statistics.median(logs)),
    }


def run_driver(checkout, handler, members, cluster, connects):
    """One driver process with ``checkout``'s hzgreen; returns its row."""
    env = dict(os.environ, PYTHONPATH=checkout)
    command = [sys.executable, DRIVER, handler, ",".join(members), cluster, str(connects)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise RuntimeError("the driver failed (%s):\n%s" % (checkout, done.stderr[-3000:]))
    row = json.loads(done.stdout.strip().splitlines()[-1])
    if not isinstance(row, dict):
        raise RuntimeError("the driver printed %r" % (row,))
    return row


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.connects", description=__doc__.split("\n\n")[0])
    p.add_argument("--revisions", nargs="+", required=True, help="git revisions or WORKTREE; the first is the baseline")
    p.add_argument("--handler", choices=("gevent", "threading"), default="gevent")
    p.add_argument("--fresh-members", type=int, default=10, help="members started one after another")
    p.add_argument("--rounds", type=int, default=12, help="rounds per member")
    p.add_argument("--connects", type=int, default=400, help="timed connects per process")
    args = p.parse_args(argv)
    if len(args.revisions) < 2:
        p.error("--revisions needs a baseline and at least one revision to compare")
    return args


def measure(args, checkouts):
    """Every round's ``{revision: driver row}``, printing each row as it comes."""
    from hzgreen.testing import Cluster

    rounds = []
    for member in range(args.fresh_members):
        with Cluster(members=1, jvm_flags=(), heap="1g") as cluster:
            members, name = cluster.addresses, cluster.cluster_name
            for revision in args.revisions:
                run_driver(checkouts[revision], args.handler, members, name, MEMBER_WARMUP)
            for order in orders(args.revisions, args.rounds):
                row = {
                    revision: run_driver(checkouts[revision], args.handler, members, name, args.connects)
                    for revision in order
                }
                rounds.append(row)
                print(
                    "member %d: %s"
                    % (member + 1, ", ".join("%s %.3f ms" % (r, row[r]["wall_ms"]) for r in args.revisions)),
                    flush=True,
                )
    return rounds


def main(argv=None):
    args = parse_args(argv)
    with checkouts_of(args.revisions, "hzgreen-connects-") as checkouts:
        rounds = measure(args, checkouts)
    baseline = args.revisions[0]
    results = []
    print("\n%s connects against %s:" % (args.handler, baseline))
    for revision in args.revisions[1:]:
        for measure_name in MEASURES:
            found = compare(rounds, baseline, revision, measure_name)
            results.append(dict(found, revision=revision, measure=measure_name))
            print(
                "  %-12s %-4s %+.1f%% (95%% interval %+.1f%% .. %+.1f%%; median %+.1f%%; %d rounds)"
                % (
                    revision,
                    measure_name,
                    100 * (found["ratio"] - 1),
                    100 * (found["low"] - 1),
                    100 * (found["high"] - 1),
                    100 * (found["median"] - 1),
                    found["n"],
                )
            )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
