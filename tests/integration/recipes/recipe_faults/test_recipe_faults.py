"""Lock / Election / Semaphore under client faults, on one 3-member CP cluster (TTL 5 s).

Worker client processes (``workers.py``, threading handler) are SIGKILLed or stopped
while holding; the test measures how soon another client takes over. Then several
processes (and greenlets) contend for an Election and a Semaphore and the recorded
holding intervals are checked. The election and semaphore tests record every leadership
and every hold in one ``hzgreen.testing.safety`` history file (the worker processes and
this process append to it) and run the safety checks on it: one leader per term, no two
leaderships at once, fences in order, never more permits held than exist. No test stops
or kills a member, so the cluster is shared by the module. Each test prints a
``FAULT-FIGURES`` line.
"""

import threading
import time

import pytest

from hzgreen import HzClient
from hzgreen.testing.cluster import Cluster
from hzgreen.testing.safety import (
    History,
    check_fence_monotonicity,
    check_mutual_exclusion,
    check_one_leader_per_term,
    check_permits,
)

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


def test_election_takeover_after_leader_process_killed(cluster, client, unique_name, tmp_path):
    history_path = str(tmp_path / "election-history.jsonl")
    history = History(history_path)
    leader = spawn(cluster, "lead-hold", unique_name, "worker", history_path)
    election = client.Election(unique_name, "test")
    led = threading.Event()
    fences = []

    def lead():
        fences.append(election.fence)
        history.ok("test", "lead", election.fence)
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
        history.close()
    figures(
        "election-takeover-kill", "%.1f s (session TTL %d s; fences %d -> %d)" % (took, TTL, first["fence"], fences[0])
    )
    assert took <= TTL + 2
    recorded = History.load(history_path)
    assert [(event.process, event.value) for event in recorded.events if event.op == "lead"] == [
        ("worker", first["fence"]),
        ("test", fences[0]),
    ]
    assert check_one_leader_per_term(recorded) == []
    assert check_fence_monotonicity(recorded, op="lead", at="ok") == []  # the new leader's term is newer


# --- never two at once ------------------------------------------------------------------------


CONTENDERS = 3
ROUNDS = 4
HOLD = 0.2


def test_election_never_two_leaders(cluster, unique_name, tmp_path):
    history_path = str(tmp_path / "election-history.jsonl")
    workers = [
        spawn(cluster, "elect-runs", unique_name, ROUNDS, HOLD, "c%d" % i, history_path) for i in range(CONTENDERS)
    ]
    try:
        for worker in workers:
            worker.finish(WAIT)
    finally:
        for worker in workers:
            worker.kill()
    recorded = History.load(history_path)
    leaderships = [operation for operation in recorded.operations("lead") if operation.outcome == "ok"]
    violations = (
        check_one_leader_per_term(recorded)
        + check_mutual_exclusion(recorded, op="lead")
        + check_fence_monotonicity(recorded, op="lead")
    )
    figures(
        "election-no-two-leaders",
        "%d runs by %d processes, %d safety violations" % (len(leaderships), CONTENDERS, len(violations)),
    )
    assert len(leaderships) == CONTENDERS * ROUNDS
    assert [str(violation) for violation in violations] == []
    assert len({operation.process for operation in leaderships}) == CONTENDERS


PERMITS = 2
SEM_PROCESSES = 3
SEM_GREENLETS = 3
SEM_ROUNDS = 5
SEM_HOLD = 0.1


def test_semaphore_never_more_holders_than_permits(cluster, unique_name, tmp_path):
    gevent = pytest.importorskip("gevent")
    from hzgreen.handlers.gevent import SequentialGeventHandler

    history_path = str(tmp_path / "semaphore-history.jsonl")
    history = History(history_path)
    workers = [
        spawn(cluster, "sem-runs", unique_name, PERMITS, SEM_ROUNDS, SEM_HOLD, "p%d" % i, history_path)
        for i in range(SEM_PROCESSES)
    ]
    client = HzClient(
        cluster_members=cluster.addresses, cluster_name=cluster.cluster_name, handler=SequentialGeventHandler()
    )
    try:
        client.start(timeout=60)

        def greenlet_worker(tag):
            sem = client.Semaphore(unique_name, max_leases=PERMITS)
            for _ in range(SEM_ROUNDS):
                sem.acquire()
                with history.critical_section(tag, 1, op="permit"):
                    gevent.sleep(SEM_HOLD)  # the hold itself, not synchronisation
                sem.release()

        greenlets = [gevent.spawn(greenlet_worker, "g%d" % i) for i in range(SEM_GREENLETS)]
        gevent.joinall(greenlets, timeout=WAIT, raise_error=True)
        for worker in workers:
            worker.finish(WAIT)
        available = client.Semaphore(unique_name, max_leases=PERMITS).available()
    finally:
        for worker in workers:
            worker.kill()
        client.stop()
        client.close()
        history.close()
    recorded = History.load(history_path)
    holds = [operation for operation in recorded.operations("permit") if operation.outcome == "ok"]
    violations = check_permits(recorded, PERMITS, op="permit")
    figures(
        "semaphore-max-holders",
        "%d holds by %d processes + %d greenlets, %d safety violations "
        "(permits %d)" % (len(holds), SEM_PROCESSES, SEM_GREENLETS, len(violations), PERMITS),
    )
    assert len(holds) == (SEM_PROCESSES + SEM_GREENLETS) * SEM_ROUNDS
    assert [str(violation) for violation in violations] == []
    # with one permit fewer the same history breaks the bound: the permits were used together
    assert check_permits(recorded, PERMITS - 1, op="permit") != [], "the permits were never used together"
    assert available == PERMITS
