"""Lock / Election / Semaphore under client faults, on one 3-member CP cluster (TTL 5 s).

Worker client processes (``workers.py``, threading handler) are SIGKILLed or stopped
while holding; the test measures how soon another client takes over. Then several
processes (and greenlets) contend for an Election and a Semaphore and the recorded
holding intervals are checked for overlap. No test stops or kills a member, so the
cluster is shared by the module. Each test prints a ``FAULT-FIGURES`` line.
"""

import threading
import time

import pytest

from hzgreen import HzClient
from hzgreen.testing.cluster import Cluster

from .workers import spawn

pytestmark = [pytest.mark.cp3, pytest.mark.slow]

TTL = 5
WAIT = 120


@pytest.fixture(scope="module")
def cluster():
    with Cluster(members=3, cp_members=3, cp_session_ttl_seconds=TTL) as made:
        yield made


@pytest.fixture
def client(cluster):
    made = HzClient(cluster_members=cluster.addresses, cluster_name=cluster.cluster_name)
    made.start(timeout=60)
    yield made
    made.stop()
    made.close()


def figures(label, text):
    print("\nFAULT-FIGURES %s: %s" % (label, text))


# --- takeover -------------------------------------------------------------------------------


def test_lock_takeover_after_holder_process_killed(cluster, client, unique_name):
    holder = spawn(cluster, "lock-hold", unique_name)
    try:
        holder.expect("acquired", WAIT)
        lock = client.Lock(unique_name)
        assert not lock.acquire(timeout=0.5), "the worker's hold was not exclusive"
        holder.kill()  # SIGKILL: nobody closes its CP session
        killed = time.monotonic()
        assert lock.acquire(timeout=TTL + 10)
        took = time.monotonic() - killed
        lock.release()
    finally:
        holder.kill()
    figures("lock-takeover-kill", "%.1f s (session TTL %d s)" % (took, TTL))
    assert took <= TTL + 2


def test_lock_takeover_after_holder_stops_cleanly(cluster, client, unique_name):
    holder = spawn(cluster, "lock-hold", unique_name)
    try:
        holder.expect("acquired", WAIT)
        lock = client.Lock(unique_name)
        assert not lock.acquire(timeout=0.5), "the worker's hold was not exclusive"
        got = threading.Event()
        took = []

        def take():
            if lock.acquire(timeout=WAIT):
                took.append(time.monotonic())
                lock.release()  # a hold belongs to its thread: released here
            got.set()

        waiter = threading.Thread(target=take)
        waiter.start()  # already waiting when the holder stops
        sent = time.monotonic()
        holder.send("stop")
        stopped = holder.expect("stopped", WAIT)
        assert got.wait(WAIT) and took, "never acquired after the holder stopped"
        waiter.join(WAIT)
        elapsed = took[0] - sent
        holder.finish(WAIT)
    finally:
        holder.kill()
    figures(
        "lock-takeover-stop",
        "%.2f s after 'stop' (the worker's client.stop() took %.2f s)" % (elapsed, stopped["took"]),
    )
    assert elapsed < 1.0


def test_election_takeover_after_leader_process_killed(cluster, client, unique_name):
    leader = spawn(cluster, "lead-hold", unique_name, "worker")
    election = client.Election(unique_name, "test")
    led = threading.Event()
    fences = []

    def lead():
        fences.append(election.fence)
        led.set()

    runner = None
    try:
        first = leader.expect("leading", WAIT)
        runner = threading.Thread(target=election.run, args=(lead,))
        runner.start()
        assert not led.wait(1.5), "two leaders at once"
        assert election.leader() == "worker"
        leader.kill()
        killed = time.monotonic()
        assert led.wait(TTL + 10), "never became leader"
        took = time.monotonic() - killed
        runner.join(WAIT)
    finally:
        leader.kill()
        if runner is not None and runner.is_alive():
            election.cancel()
            runner.join(WAIT)
    figures(
        "election-takeover-kill", "%.1f s (session TTL %d s; fences %d -> %d)" % (took, TTL, first["fence"], fences[0])
    )
    assert took <= TTL + 2
    assert fences[0] > first["fence"]


# --- never two at once ------------------------------------------------------------------------


def overlaps(intervals):
    """Pairs of (start, end) intervals, in start order, where one starts before the other ends."""
    ordered = sorted(intervals)
    bad = []
    for i, (start, end) in enumerate(ordered):
        for later_start, later_end in ordered[i + 1 :]:
            if later_start >= end:
                break
            bad.append(((start, end), (later_start, later_end)))
    return bad


def max_concurrency(intervals):
    # a release at the same instant as an acquisition counts first
    events = sorted(
        [(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals],
        key=lambda event: (event[0], event[1]),
    )
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def test_overlap_checks_can_fail():
    # the checkers themselves: they flag what the fault tests must never see
    assert overlaps([(0, 2), (1, 3), (3, 4)]) == [((0, 2), (1, 3))]
    assert overlaps([(0, 1), (1, 2)]) == []
    assert max_concurrency([(0, 3), (1, 4), (2, 5), (5, 6)]) == 3


CONTENDERS = 3
ROUNDS = 4
HOLD = 0.2


def test_election_never_two_leaders(cluster, unique_name):
    workers = [spawn(cluster, "elect-runs", unique_name, ROUNDS, HOLD, "c%d" % i) for i in range(CONTENDERS)]
    runs = []
    try:
        for worker in workers:
            runs.extend(record for record in worker.finish(WAIT) if "fence" in record)
    finally:
        for worker in workers:
            worker.kill()
    runs.sort(key=lambda run: run["start"])
    bad = overlaps([(run["start"], run["end"]) for run in runs])
    fences = [run["fence"] for run in runs]
    fence_violations = sum(1 for a, b in zip(fences, fences[1:]) if not a < b)
    figures(
        "election-no-two-leaders",
        "%d runs by %d processes, %d overlaps, %d fence-order violations"
        % (len(runs), CONTENDERS, len(bad), fence_violations),
    )
    assert len(runs) == CONTENDERS * ROUNDS
    assert bad == []
    assert fence_violations == 0
    assert len({run["tag"] for run in runs}) == CONTENDERS


PERMITS = 2
SEM_PROCESSES = 3
SEM_GREENLETS = 3
SEM_ROUNDS = 5
SEM_HOLD = 0.1


def test_semaphore_never_more_holders_than_permits(cluster, unique_name):
    gevent = pytest.importorskip("gevent")
    from hzgreen.handlers.gevent import SequentialGeventHandler

    workers = [
        spawn(cluster, "sem-runs", unique_name, PERMITS, SEM_ROUNDS, SEM_HOLD, "p%d" % i) for i in range(SEM_PROCESSES)
    ]
    client = HzClient(
        cluster_members=cluster.addresses, cluster_name=cluster.cluster_name, handler=SequentialGeventHandler()
    )
    holds = []
    try:
        client.start(timeout=60)

        def greenlet_worker(tag):
            sem = client.Semaphore(unique_name, max_leases=PERMITS)
            for _ in range(SEM_ROUNDS):
                sem.acquire()
                acquired = time.time()
                gevent.sleep(SEM_HOLD)  # the hold itself, not synchronisation
                released = time.time()
                sem.release()
                holds.append({"tag": tag, "acquired": acquired, "released": released})

        greenlets = [gevent.spawn(greenlet_worker, "g%d" % i) for i in range(SEM_GREENLETS)]
        gevent.joinall(greenlets, timeout=WAIT, raise_error=True)
        for worker in workers:
            holds.extend(record for record in worker.finish(WAIT) if "acquired" in record)
        available = client.Semaphore(unique_name, max_leases=PERMITS).available()
    finally:
        for worker in workers:
            worker.kill()
        client.stop()
        client.close()
    peak = max_concurrency([(hold["acquired"], hold["released"]) for hold in holds])
    figures(
        "semaphore-max-holders",
        "%d holds by %d processes + %d greenlets, max concurrent %d "
        "(permits %d)" % (len(holds), SEM_PROCESSES, SEM_GREENLETS, peak, PERMITS),
    )
    assert len(holds) == (SEM_PROCESSES + SEM_GREENLETS) * SEM_ROUNDS
    assert peak <= PERMITS
    assert peak == PERMITS, "the permits were never used together: nothing was tested"
    assert available == PERMITS
