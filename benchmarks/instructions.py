"""Count the CPU instructions per operation of hzgreen revisions with callgrind: a measure of
CPU cost that timing noise does not blur.

    python -m benchmarks.instructions --revisions c580f32 HEAD --scenarios connect seq_get
    python -m benchmarks.instructions --revisions c580f32 WORKTREE --handlers gevent threading

On a shared or virtual machine, rounds of the timed benchmarks scatter by 20-30%, so a 5%
difference between two revisions drowns in the noise; on an idle machine the number of
instructions a revision executes moves by under 1% between runs. Load still counts a
little: a slower run waits longer, and the timers that fire while it waits add their
instructions, so compare revisions measured in the same run on a quiet machine.

Each (revision, scenario, handler) is run twice under ``valgrind --tool=callgrind`` with
the same setup, once with ``--small`` and once with ``--large`` operations; the
difference of the two instruction totals divided by the difference of the counts is the
instructions per operation, setup excluded. A ``connect`` is what the timed scenario of the
same name measures: constructing a client and ``start()`` until connected; stopping and
closing it are left out of the count (``--toggle-collect``). ``PYTHONHASHSEED`` is fixed so both runs hash alike,
and the driver freezes the heap the setup built (``gc.freeze``) before the counted part, so
a full garbage collection of the loaded code does not land in one run and not the other.

A revision is a git revision (checked out into a temporary worktree, removed afterwards)
or ``WORKTREE`` (the files as they are now). The driver is this checkout's
``benchmarks/instructions_driver.py``, run with the revision's ``hzgreen`` first on the
path. Instructions are user-space only: system calls, and the time spent waiting for the
member, are not in them (``benchmarks.syscalls`` counts the system calls). Needs valgrind
(Debian: ``apt-get install valgrind``); callgrind runs Python about 50 times slower.
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

from benchmarks import instructions_driver
from benchmarks.run import ROOT
from benchmarks.syscalls import given_or_started_member

DRIVER = os.path.join(ROOT, "benchmarks", "instructions_driver.py")
SCENARIOS = ("connect", "seq_put", "seq_get", "pipelined_put", "cp_atomic")
#: Default operation counts (small, large) per scenario: a connect costs about as much as
#: a thousand gets.
COUNTS = {"connect": (5, 45)}
DEFAULT_COUNTS = (300, 2300)
WORKTREE = "WORKTREE"

_TOTAL = re.compile(r"^==\d+== (?:Collected :|I\s+refs:)\s+([\d,]+)\s*$", re.MULTILINE)


def parse_total(stderr):
    """callgrind's instruction total from its output on stderr; raises ValueError without one."""
    found = _TOTAL.findall(stderr)
    if not found:
        raise ValueError("no instruction total in callgrind's output:\n%s" % stderr[-2000:])
    return int(found[-1].replace(",", ""))


def per_operation(small_total, large_total, small, large):
    """Instructions per operation from the totals of two runs of ``small`` and ``large`` operations."""
    if large <= small:
        raise ValueError("the large count (%d) must exceed the small one (%d)" % (large, small))
    return (large_total - small_total) / (large - small)


def relative(rows, baseline):
    """``{(scenario, handler): {revision: change vs baseline}}`` from ``{(revision, scenario,
    handler): instructions per op}``; the change is a fraction (0.05 = 5% more)."""
    table = {}
    for (revision, scenario, handler), value in rows.items():
        base = rows.get((baseline, scenario, handler))
        if base:
            table.setdefault((scenario, handler), {})[revision] = value / base - 1
    return table


def count_instructions(checkout, scenario, handler, members, cluster, count):
    """Instructions of one driver run of ``count`` operations with ``checkout``'s hzgreen."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=checkout)
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    if scenario == "connect":
        # only construct and start, as the timed scenario: the driver runs them inside this function
        command.append("--toggle-collect=%s" % instructions_driver.COUNTED_FUNCTION)
    command += [sys.executable, DRIVER, scenario, handler, ",".join(members), cluster, str(count)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise RuntimeError("the driver failed (%s, %s, %s):\n%s" % (checkout, scenario, handler, done.stderr[-3000:]))
    return parse_total(done.stderr)


def _folder(revision, scratch):
    return os.path.join(scratch, re.sub(r"[^\w.-]", "_", revision))


def checkout_of(revision, scratch):
    """The folder holding ``revision``'s hzgreen: this checkout for WORKTREE, else a new worktree."""
    if revision == WORKTREE:
        return ROOT
    folder = _folder(revision, scratch)
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-f", folder, revision], cwd=ROOT, check=True, capture_output=True
    )
    return folder


@contextlib.contextmanager
def checkouts_of(revisions, prefix):
    """Yields ``{revision: folder holding its hzgreen}`` (see :func:`checkout_of`); the
    worktrees made for it are removed on leaving."""
    scratch = tempfile.mkdtemp(prefix=prefix)
    try:
        yield {revision: checkout_of(revision, scratch) for revision in revisions}
    finally:
        for revision in revisions:
            if revision != WORKTREE:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", _folder(revision, scratch)], cwd=ROOT, capture_output=True
                )
        shutil.rmtree(scratch, ignore_errors=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.split("\n\n")[0])
    p.add_argument("--revisions", nargs="+", required=True, help="git revisions or WORKTREE; the first is the baseline")
    p.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    p.add_argument("--handlers", nargs="+", choices=("gevent", "threading"), default=["gevent", "threading"])
    p.add_argument("--small", type=int, help="operations in the first run (default per scenario)")
    p.add_argument("--large", type=int, help="operations in the second run (default per scenario)")
    p.add_argument("--members", help="a running member's host:port (default: start one)")
    p.add_argument("--cluster", help="its cluster name (with --members)")
    return p.parse_args(argv)


def measure(args, members, cluster, checkouts):
    """``{(revision, scenario, handler): instructions per operation}``, printing each as it comes."""
    rows = {}
    for scenario in args.scenarios:
        small, large = COUNTS.get(scenario, DEFAULT_COUNTS)
        small, large = args.small or small, args.large or large
        for handler in args.handlers:
            for revision, checkout in checkouts.items():
                totals = [count_instructions(checkout, scenario, handler, members, cluster, n) for n in (small, large)]
                rows[(revision, scenario, handler)] = per_operation(totals[0], totals[1], small, large)
                print(
                    "%-14s %-9s %-12s %12.0f instructions per op"
                    % (scenario, handler, revision, rows[(revision, scenario, handler)]),
                    flush=True,
                )
    return rows


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with checkouts_of(args.revisions, "hzgreen-instructions-") as checkouts:
        with given_or_started_member(args) as (members, cluster):
            rows = measure(args, members, cluster, checkouts)
    baseline = args.revisions[0]
    print("\nchange against %s:" % baseline)
    for (scenario, handler), changes in relative(rows, baseline).items():
        others = ", ".join("%s %+.1f%%" % (rev, 100 * change) for rev, change in changes.items() if rev != baseline)
        print("  %-14s %-9s %s" % (scenario, handler, others))
    print(
        json.dumps([{"revision": r, "scenario": s, "handler": h, "instructions": v} for (r, s, h), v in rows.items()])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
