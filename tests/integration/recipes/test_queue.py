"""Queue and LockingQueue recipes against a real member."""

import os
import subprocess
import sys
import threading

import pytest

from hzgreen.recipes.queue import HELD_SUFFIX, LEASES_SUFFIX, LockingQueue, Queue

WAIT = 30

# A holder in a process of its own, so that it can die without saying goodbye.
HOLDER_SCRIPT = r"""
import sys
from hzgreen import HzClient
member, cluster_name, name = sys.argv[1:4]
client = HzClient(cluster_members=[member], cluster_name=cluster_name)
client.start(timeout=30)
queue = client.LockingQueue(name, lease_time=2)
print("HELD %s" % queue.get(timeout=30), flush=True)
sys.stdin.read()  # hold on until killed
"""


# -- Queue ------------------------------------------------------------------------------


def test_queue_put_get_len(hz_client, unique_name):
    q = hz_client.Queue(unique_name)
    assert isinstance(q, Queue) and len(q) == 0
    q.put("one")
    q.put_all(["two", ["three", 3]])
    assert len(q) == 3
    assert [q.get(), q.get(timeout=1), q.get(timeout=0)] == ["one", "two", ["three", 3]]
    started = hz_client.handler.monotonic()
    assert q.get(timeout=0.5) is None
    assert hz_client.handler.monotonic() - started >= 0.45
    assert len(q) == 0


def test_queue_get_waits_for_a_put(hz_client, hz_client_factory, unique_name):
    q = hz_client.Queue(unique_name)
    result = hz_client.handler.async_result()

    def consume():
        try:
            result.set(q.get())
        except BaseException as error:
            result.set_exception(error)

    hz_client.handler.spawn(consume)
    producer = hz_client_factory()
    producer.Queue(unique_name).put("late item")
    assert result.get(timeout=WAIT) == "late item"


def test_queue_items_go_to_one_consumer_each(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    mine, theirs = hz_client.Queue(unique_name), other.Queue(unique_name)
    mine.put_all(range(20))
    got = [mine.get(timeout=5) if i % 2 else theirs.get(timeout=5) for i in range(20)]
    assert sorted(got) == list(range(20))
    assert mine.get(timeout=0) is None and theirs.get(timeout=0) is None


def test_queue_argument_checks(hz_client, unique_name):
    q = hz_client.Queue(unique_name)
    with pytest.raises(ValueError):
        q.get(timeout=-1)
    with pytest.raises(TypeError):
        q.get(timeout="soon")
    with pytest.raises(ValueError):
        q.put(None)


# -- LockingQueue -----------------------------------------------------------------------


def test_locking_queue_hold_consume_release(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    first = hz_client.LockingQueue(unique_name)
    second = other.LockingQueue(unique_name)
    assert isinstance(first, LockingQueue)
    assert not first.holds_lock() and first.consume() is False and first.release() is False
    first.put("a")
    first.put_all(["b"])
    assert len(first) == 2
    assert first.get() == "a"
    assert first.holds_lock()
    assert first.get(timeout=0) == "a"  # still held: the same item again
    assert second.get(timeout=5) == "b"  # the held item is not handed out twice
    assert second.holds_lock()
    assert second.get(timeout=0) == "b"
    assert len(first) == 2  # held items still count, as in Kazoo
    assert first.release() is True and not first.holds_lock()
    assert second.consume() is True and not second.holds_lock()
    assert len(first) == 1
    assert second.get(timeout=5) == "a"  # released: available again
    assert second.consume() is True
    assert len(second) == 0
    assert first.get(timeout=0.5) is None
    assert hz_client.get_map(unique_name + HELD_SUFFIX).size() == 0
    assert hz_client.get_map(unique_name + LEASES_SUFFIX).size() == 0


def test_locking_queue_item_of_a_gracefully_stopped_holder_comes_back_at_once(
    hz_client, hz_client_factory, unique_name
):
    holder = hz_client_factory()
    held = holder.LockingQueue(unique_name, lease_time=60)
    held.put("job")
    assert held.get(timeout=5) == "job"
    holder.stop()  # without consume(): the shutdown releases the item
    consumer = hz_client.LockingQueue(unique_name, lease_time=60)
    started = hz_client.handler.monotonic()
    assert consumer.get(timeout=10) == "job"
    assert hz_client.handler.monotonic() - started < 10  # long before the 60 s lease could expire
    assert consumer.consume() is True
    assert len(consumer) == 0


def test_locking_queue_item_of_a_killed_holder_comes_back_after_its_lease(hz_cluster, hz_client, unique_name):
    queue = hz_client.LockingQueue(unique_name, lease_time=2)
    queue.put("job of the dead")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, hz_cluster.addresses[0], hz_cluster.cluster_name, unique_name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=os.getcwd()),
    )
    try:
        line = holder.stdout.readline()
        assert line.strip() == "HELD job of the dead", "the holder process failed: %r" % line
        assert len(queue) == 1 and queue.get(timeout=0) is None  # held by the other process
        holder.kill()
        holder.wait(WAIT)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(WAIT)
    started = hz_client.handler.monotonic()
    assert queue.get(timeout=WAIT) == "job of the dead"
    assert hz_client.handler.monotonic() - started < 2 + 1 + 5  # lease + one scan period + slack
    assert queue.holds_lock()
    assert queue.consume() is True
    assert len(queue) == 0


def test_locking_queue_holder_that_stalls_past_its_lease_loses_the_item(hz_client, hz_client_factory, unique_name):
    stalled = hz_client_factory().LockingQueue(unique_name, lease_time=2)
    stalled.put("contended")
    assert stalled.get(timeout=5) == "contended"
    stalled._stop_renewing.set()  # stands in for a holder frozen longer than its lease
    rescuer = hz_client.LockingQueue(unique_name, lease_time=2)
    assert rescuer.get(timeout=WAIT) == "contended"
    assert rescuer.holds_lock()
    assert not stalled.holds_lock()
    assert stalled.consume() is False  # the item is the rescuer's now
    assert rescuer.consume() is True
    assert len(rescuer) == 0


def test_short_lived_locking_queues_leave_nothing_behind(hz_client, unique_name, monkeypatch):
    hooks = []
    add_shutdown_hook = hz_client.add_shutdown_hook
    monkeypatch.setattr(hz_client, "add_shutdown_hook", lambda hook: (hooks.append(hook), add_shutdown_hook(hook)))
    hz_client.Queue(unique_name).put_all(range(20))
    for i in range(20):
        queue = hz_client.LockingQueue(unique_name)
        assert queue.get(timeout=5) == i
        assert queue.consume()
    assert len(hooks) == 1  # one hook per client, not per queue
    assert len(hz_client.Queue(unique_name)) == 0


def test_locking_queue_argument_checks(hz_client, unique_name):
    with pytest.raises(ValueError):
        hz_client.LockingQueue(unique_name, lease_time=0.5)
    queue = hz_client.LockingQueue(unique_name)
    with pytest.raises(ValueError):
        queue.get(timeout=-1)


# -- gevent -----------------------------------------------------------------------------


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_many_greenlets_blocked_in_get_start_no_thread(hz_client_factory, unique_name, hz_handler_name):
    gevent = pytest.importorskip("gevent")
    consumer_client = hz_client_factory()
    producer = hz_client_factory()
    threads_before = threading.active_count()
    queue = consumer_client.Queue(unique_name)
    locking = [consumer_client.LockingQueue(unique_name + "-locking") for _ in range(50)]
    waiting = [gevent.spawn(queue.get) for _ in range(300)]
    holding = [gevent.spawn(q.get, 60) for q in locking]
    gevent.idle()  # every greenlet has sent its request and waits for the member
    assert not any(g.ready() for g in waiting + holding)
    assert threading.active_count() == threads_before
    producer.Queue(unique_name).put_all(range(300))
    producer.Queue(unique_name + "-locking").put_all(range(50))
    gevent.joinall(waiting + holding, timeout=120, raise_error=True)
    assert sorted(g.value for g in waiting) == list(range(300))
    assert sorted(g.value for g in holding) == list(range(50))
    assert all(q.holds_lock() for q in locking)  # 50 leases kept alive by greenlets
    assert all(q.consume() for q in locking)
    assert threading.active_count() == threads_before
