"""Measuring one run: per-operation latencies (:class:`Recorder`), wall and CPU time of the
measured section (:class:`Meter`), and the result dict built from them (:func:`summarize`).

Standard library only (imported by the worker before a contender may monkey-patch).
"""

import os
import resource
import time
from array import array

CHUNK = 1 << 16
_perf_ns = time.perf_counter_ns


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


#: The environment variable benchmarks/run.py passes the member JVMs' pids in (comma-separated).
MEMBER_PIDS_ENV = "HZGREEN_BENCH_MEMBER_PIDS"


def member_pids():
    """The pids of the member JVMs serving this run, from ``MEMBER_PIDS_ENV`` (empty when unset:
    members started elsewhere)."""
    return [int(p) for p in os.environ.get(MEMBER_PIDS_ENV, "").split(",") if p.strip()]


def process_cpu_seconds(pids):
    """User + system CPU seconds of the processes ``pids`` so far, from /proc/PID/stat (every
    thread; clock-tick resolution); a process that is gone counts 0."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


class Meter:
    """Wall and process CPU time of the measured section (possibly several slices), and the
    CPU the members serving it used meanwhile (when their pids are known)."""

    def __init__(self, measured=True):
        self.measured = measured
        self.wall_ns = 0
        self.user_s = 0.0
        self.sys_s = 0.0
        self.member_pids = member_pids()
        self.member_s = 0.0
        self._m0 = 0.0
        self._t0 = None
        self._c0 = None
        #: Figures of the scenario's own, added to the result (``near_cache_get``: ``hit_ratio``).
        self.extra = {}

    def start(self):
        # The members' CPU is read outside the process CPU pair: reading /proc is not the client's work.
        self._m0 = process_cpu_seconds(self.member_pids) if self.member_pids else 0.0
        self._c0 = cpu_seconds()
        self._t0 = _perf_ns()
        return self._t0

    def stop(self):
        t1 = _perf_ns()
        user, system = cpu_seconds()
        self.user_s += user - self._c0[0]
        self.sys_s += system - self._c0[1]
        self.wall_ns += t1 - self._t0
        if self.member_pids:
            self.member_s += process_cpu_seconds(self.member_pids) - self._m0
        return t1


def summarize(args, ops, meter, rec, rss_kib):
    lat = rec.values()
    lat.sort()
    elapsed = meter.wall_ns / 1e9
    p50 = percentile(lat, 50)
    p99 = percentile(lat, 99)
    result = {
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
        "member_cpu_us_per_op": meter.member_s * 1e6 / ops if ops and meter.member_pids else None,
    }
    result.update(meter.extra)
    return result
