"""The simulation's own contract: SimHandler is a full IHandler, and its primitives park in virtual time."""

from __future__ import annotations

import queue
import socket

import pytest
from zope.interface.verify import verifyObject

from hzgreen.exceptions import HzTimeoutError
from hzgreen.interfaces import IAsyncResult, IHandler
from hzgreen.testing.sim import SimDeadlock, SimHandler, Simulation, SimulationError, SimWorld


@pytest.fixture
def handler(sim):
    h = SimHandler(sim.sim, sim.network)
    h.start()
    yield h
    h.stop()


def test_verify_object(handler):
    assert verifyObject(IHandler, handler)
    assert verifyObject(IAsyncResult, handler.async_result())
    assert handler.io_style == "tasks"


def test_sleep_takes_virtual_time_only(sim, handler):
    start = handler.monotonic()
    sim.run(handler.sleep_func, 3600.0)
    assert handler.monotonic() - start == pytest.approx(3600.0)


def test_call_later_order_and_cancel(sim, handler):
    got = []
    handler.call_later(0.3, got.append, 3)
    handler.call_later(0.1, got.append, 1)
    cancelled = handler.call_later(0.2, got.append, 2)
    assert cancelled.cancel() is True
    assert cancelled.cancel() is False
    handler.run_soon(got.append, 0)
    sim.advance(1.0)
    assert got == [0, 1, 3]


def test_async_result_timeout_value_and_callbacks(sim, handler):
    result = handler.async_result()
    with pytest.raises(HzTimeoutError):
        sim.run(result.get, True, 5.0)
    assert sim.sim.elapsed == pytest.approx(5.0)
    seen = []
    result.rawlink(lambda r: seen.append((handler.in_callback_worker(), r.value)))
    handler.call_later(1.0, result.set, "v")
    assert sim.run(result.get) == "v"
    sim.advance(0.001)
    assert seen == [(True, "v")]
    assert result.set("again") is False


def test_event_lock_queue(sim, handler):
    event = handler.event_object()
    lock = handler.lock_object()
    rlock = handler.rlock_object()
    q = handler.queue()
    order = []

    def holder():
        with lock:
            order.append("holder in")
            event.wait()
            order.append("holder out")

    def contender():
        assert lock.acquire(timeout=0.5) is False
        order.append("timed out")
        with lock:
            order.append("contender in")
        with rlock:
            with rlock:
                q.put("done")

    handler.spawn(holder)
    task = handler.spawn(contender)
    sim.advance(1.0)
    assert order == ["holder in", "timed out"]
    event.set()
    task.join()
    assert order == ["holder in", "timed out", "holder out", "contender in"]
    assert q.get(timeout=0) == "done"
    with pytest.raises(queue.Empty):
        sim.run(q.get, True, 2.0)
    with pytest.raises(queue.Empty):
        q.get(block=False)
    with pytest.raises(RuntimeError):
        lock.release()


def test_current_identity_per_task(sim, handler):
    ids = [sim.run(handler.current_identity) for _ in range(3)]
    assert len(set(ids)) == 3 and all(i > 0 for i in ids)
    assert handler.current_identity() == handler.current_identity()


def test_connect_failures_are_scripted(sim, handler):
    sim.network.unresolvable.add("nowhere.invalid")
    with pytest.raises(socket.gaierror):
        sim.run(handler.create_connection, ("nowhere.invalid", 5701), 5.0)
    with pytest.raises(ConnectionRefusedError):
        sim.run(handler.create_connection, ("10.9.9.9", 5701), 5.0)
    sim.network.blackholed.add(("10.9.9.9", 5701))
    start = sim.now
    with pytest.raises(socket.timeout):
        sim.run(handler.create_connection, ("10.9.9.9", 5701), 5.0)
    assert sim.now - start == pytest.approx(5.0)
    assert [outcome for _, _, outcome in sim.network.attempts] == ["unresolvable", "refused", "timeout"]


def test_socketpair_and_select(sim, handler):
    a, b = handler.socketpair()
    assert handler.select([a], [], [], 0) == ([], [], [])
    handler.call_later(2.0, b.send, b"!")
    readable, _, _ = sim.run(handler.select, [a], [], [], 10.0)
    assert readable == [a] and a.recv(10) == b"!"
    assert sim.run(handler.select, [a], [], [], 1.0) == ([], [], [])


def test_blocking_in_a_timer_is_refused(sim, handler):
    errors = []

    def blocks():
        try:
            handler.event_object().wait(1.0)
        except SimulationError as error:
            errors.append(error)

    handler.call_later(0.1, blocks)
    sim.advance(1.0)
    assert len(errors) == 1


def test_deadlock_is_reported():
    sim = Simulation()
    try:
        with pytest.raises(SimDeadlock):
            SimHandler(sim).event_object().wait()
    finally:
        sim.close()


def test_client_start_fails_clearly_against_nobody(sim):
    client = sim.client(sim.cluster(), start=False, cluster_members=["10.9.9.9:5701"], cluster_connect_timeout=20.0)
    with pytest.raises(HzTimeoutError):
        client.start(timeout=60)
    assert 20.0 <= sim.sim.elapsed <= 21.0
    assert all(outcome == "refused" for _, _, outcome in sim.network.attempts)


def test_unisocket_and_direct_writes():
    world = SimWorld(seed=5, deferred_writes=False)
    try:
        cluster = world.cluster(size=2)
        client = world.client(cluster, smart_routing=False)
        m = client.get_map("m")
        for i in range(20):
            m.put(i, i)
        assert [m.get(i) for i in range(20)] == list(range(20))
        assert len(client._connections.active_connections) == 1
        assert not hasattr(client._connections.active_connections[0].sock, "send_nowait")
    finally:
        world.close()
    assert world.sim.errors == []
