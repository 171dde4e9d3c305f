"""Ownership is known at the moment it is asked (both handlers, real member).

The module's own one-member cluster (unsafe CP mode: every CP object name gets a group,
hence a CP session, of its own) has a 5 s session TTL and a 1 s heartbeat, so the lease
of a session (last acknowledged heartbeat + TTL - margin) is 4 s.

* loss notices reach Lock and Semaphore while a user callback holds the callback worker;
* ``is_acquired`` turns False once the lease ran out, before any reply could tell;
* a process frozen (SIGSTOP) beyond the TTL answers False on its first check;
* one incident expiring seven sessions makes the client LOST once;
* ``Election.run`` returns within the TTL while the member is unreachable.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from hzgreen import HzState
from hzgreen.cp import CPSessionEvent
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.testing import Cluster

TTL = 5
WAIT = 30
CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frozen_holder.py")


@pytest.fixture(scope="module")
def lease_cluster():
    cluster = Cluster(members=1, cp_session_ttl_seconds=TTL, cp_session_heartbeat_seconds=1)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def healthy(lease_cluster):
    """The module cluster, running and resumed before and after the test."""
    lease_cluster.ensure_running()
    yield lease_cluster
    lease_cluster.ensure_running()


class Recorder:
    """A callable list for listeners, waited on with the handler's own event."""

    def __init__(self, handler):
        self.items = []
        self._handler = handler
        self._event = handler.event_object()

    def __call__(self, item):
        self.items.append(item)
        self._event.set()

    def wait_for(self, predicate, timeout):
        deadline = self._handler.monotonic() + timeout
        while not predicate(list(self.items)):
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "condition not met within %.1fs; recorded %r" % (timeout, self.items)
            self._event.wait(remaining)
            self._event.clear()
        return list(self.items)


def block_callback_worker(handler):
    """Occupy the callback worker with a slow user callback; returns the event ending it."""
    busy, gate = handler.event_object(), handler.event_object()
    handler.dispatch_callback(lambda: (busy.set(), gate.wait(10 * WAIT)))
    assert busy.wait(WAIT), "the callback worker did not start the slow callback"
    return gate


def drain(handler):
    """Wait until the callback worker ran everything queued so far."""
    done = handler.event_object()
    handler.dispatch_callback(done.set)
    assert done.wait(WAIT)


def spawn(handler, func, *args):
    result = handler.async_result()

    def run():
        try:
            result.set(func(*args))
        except BaseException as error:
            result.set_exception(error)

    handler.spawn(run)
    return result


def test_loss_reaches_lock_and_semaphore_while_a_user_callback_blocks(healthy, hz_client_factory, unique_name):
    client, other = hz_client_factory(cluster=healthy), hz_client_factory(cluster=healthy)
    handler = client.handler
    told = Recorder(handler)
    lock = client.Lock(unique_name + "-lock", on_lost=told)
    sem = client.Semaphore(unique_name + "-sem", max_leases=1, on_lost=told)
    assert lock.acquire(timeout=WAIT) and sem.acquire(timeout=WAIT)
    assert lock.is_acquired and sem.is_acquired
    gate = block_callback_worker(handler)
    sessions = client.cp.session_manager
    try:
        sessions.pause_heartbeats()
        # The member expires the silent sessions and hands both over.
        assert other.Lock(unique_name + "-lock").acquire(timeout=WAIT)
        assert other.Semaphore(unique_name + "-sem", max_leases=1).acquire(timeout=WAIT)
        # Nothing told the holder yet, but its leases ran out before the member's TTL.
        assert not lock.lost.is_set() and not sem.lost.is_set()
        assert not lock.is_acquired and not sem.is_acquired
        sessions.resume_heartbeats()
        # SESSION_EXPIRED answers reach both recipes although the worker is stuck...
        assert lock.lost.wait(WAIT), "lock loss waited for the callback worker"
        assert sem.lost.wait(WAIT), "semaphore loss waited for the callback worker"
        assert lock.fence == 0
        assert told.items == []  # ...while the user's on_lost waits for it
    finally:
        gate.set()
    events = told.wait_for(lambda items: len(items) == 2, WAIT)
    assert [e.reason for e in events] == [CPSessionEvent.EXPIRED] * 2
    assert not lock.is_acquired and not sem.is_acquired


def test_one_incident_makes_the_client_lost_once(healthy, hz_client_factory, unique_name):
    client, other = hz_client_factory(cluster=healthy), hz_client_factory(cluster=healthy)
    handler = client.handler
    states, expired = Recorder(handler), Recorder(handler)
    client.add_listener(states)
    client.cp.add_session_listener(expired)
    names = ["%s-l%d" % (unique_name, i) for i in range(5)] + ["%s-s%d" % (unique_name, i) for i in range(2)]
    held = [client.Lock(n) for n in names[:5]] + [client.Semaphore(n, max_leases=1) for n in names[5:]]
    for recipe in held:
        assert recipe.acquire(timeout=WAIT)
    assert len(client.cp.session_manager.sessions()) == 7  # unsafe mode: a session per object
    client.cp.session_manager.pause_heartbeats()
    for name in names[:5]:
        assert other.Lock(name).acquire(timeout=WAIT)
    for name in names[5:]:
        assert other.Semaphore(name, max_leases=1).acquire(timeout=WAIT)
    client.cp.session_manager.resume_heartbeats()
    events = expired.wait_for(lambda items: len(items) == 7, WAIT)
    assert {e.reason for e in events} == {CPSessionEvent.EXPIRED}
    for recipe in held:
        assert recipe.lost.wait(WAIT) and not recipe.is_acquired
    drain(handler)
    assert states.items == [HzState.LOST, HzState.CONNECTED]
    assert client.state == HzState.CONNECTED


@pytest.mark.fault
def test_election_run_returns_within_the_ttl_while_the_member_is_unreachable(healthy, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=healthy)  # invocation_timeout 120 s, heartbeat_timeout 60 s
    handler = client.handler
    lost = Recorder(handler)
    election = client.Election(unique_name, "a", on_lost=lost)
    leading, finish = handler.event_object(), handler.event_object()
    running = spawn(handler, election.run, lambda: (leading.set(), finish.wait(10 * WAIT)))
    assert leading.wait(WAIT) and election.is_leader
    gate = block_callback_worker(handler)
    try:
        healthy.pause(0)
        paused_at = handler.monotonic()
        try:
            assert running.get(timeout=4 * TTL) is None
            took = handler.monotonic() - paused_at
            assert took < 2 * TTL, "run returned %.1fs after the member froze" % took
            assert election.lost.is_set() and not election.is_leader
        finally:
            healthy.resume(0)
        assert lost.items == []  # on_lost is queued behind the slow callback
    finally:
        gate.set()
        finish.set()
    (event,) = lost.wait_for(lambda items: len(items) == 1, WAIT)
    assert event.reason == CPSessionEvent.LEASE_EXPIRED and event.holders == (election._lock,)
    # The leadership was let go: another contender leads, with a larger fence.
    other = hz_client_factory(cluster=healthy)
    contender = other.Election(unique_name, "b")
    assert spawn(other.handler, contender.run, lambda: contender.fence).get(timeout=2 * WAIT) > election.fence
    drain(handler)
    assert len(lost.items) == 1


# -- a frozen process ---------------------------------------------------------------------


class Child:
    """The frozen_holder.py process; its records are read by a thread into a queue."""

    def __init__(self, cluster, handler_name, lock_name):
        self.proc = subprocess.Popen(
            [sys.executable, CHILD, handler_name, ",".join(cluster.addresses), cluster.cluster_name, lock_name],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.records = []
        self._queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.strip():
                self._queue.put(json.loads(line))
        self._queue.put(None)

    def next_record(self, predicate, timeout):
        """The next record matching ``predicate`` (the others are kept in ``records``)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no such record within %.0fs; last: %r" % (timeout, self.records[-5:])
            try:
                record = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            assert record is not None, "the child exited (rc=%s)" % self.proc.poll()
            self.records.append(record)
            if predicate(record):
                return record

    def signal(self, signum):
        os.kill(self.proc.pid, signum)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.mark.fault
def test_frozen_holder_learns_on_its_first_check_that_it_lost_the_lock(
    healthy, hz_client_factory, hz_handler_name, unique_name
):
    child = Child(healthy, hz_handler_name, unique_name)
    # The other side need not be cooperative: a threading client, whatever the child runs.
    other = hz_client_factory(cluster=healthy, handler=SequentialThreadingHandler()).Lock(unique_name)
    try:
        child.next_record(lambda r: r["event"] == "acquired", 2 * WAIT)
        child.next_record(lambda r: r["event"] == "check" and r["held"], WAIT)
        child.signal(signal.SIGSTOP)
        # The member expires the frozen child's session and hands the lock over.
        assert other.acquire(timeout=WAIT)
        resumed_at = time.time()
        child.signal(signal.SIGCONT)
        first = child.next_record(lambda r: r["event"] == "check" and r["at"] >= resumed_at, WAIT)
        assert first["held"] is False, "the resumed holder still claimed the lock: %r" % first
        child.next_record(lambda r: r["event"] == "check" and r["at"] >= resumed_at + 1, WAIT)
        after = [r for r in child.records if r["event"] == "check" and r["at"] >= resumed_at]
        assert not any(r["held"] for r in after)
    finally:
        child.kill()
    other.release()
