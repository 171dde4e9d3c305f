"""Timers, I/O, identities and synchronisation primitives, for both handlers."""

from __future__ import annotations

import os
import socket

import pytest

from .conftest import WAIT

pytestmark = pytest.mark.timeout(60)


# -- call_later ---------------------------------------------------------------------


def test_call_later_fires_with_args(handler):
    got = handler.queue()
    start = handler.monotonic()
    handler.call_later(0.05, got.put, "fired")
    assert got.get(timeout=WAIT) == "fired"
    assert handler.monotonic() - start >= 0.045


def test_call_later_order_follows_deadlines(handler):
    got = handler.queue()
    handler.call_later(0.15, got.put, 3)
    handler.call_later(0.05, got.put, 1)
    handler.call_later(0.10, got.put, 2)
    handler.call_later(0, got.put, 0)
    assert [got.get(timeout=WAIT) for _ in range(4)] == [0, 1, 2, 3]


def test_call_later_cancel(handler):
    fired = []
    later = handler.event_object()
    handle = handler.call_later(0.05, fired.append, "cancelled one")
    assert handle.cancel() is True
    assert handle.cancel() is False
    handler.call_later(0.15, later.set)
    assert later.wait(WAIT)
    assert fired == []


def test_call_later_cancel_after_fire_is_noop(handler):
    got = handler.queue()
    handle = handler.call_later(0, got.put, 1)
    assert got.get(timeout=WAIT) == 1
    assert handle.cancel() is False


def test_call_later_exception_is_logged_not_fatal(handler):
    got = handler.queue()

    def bad():
        raise RuntimeError("timer failure")

    handler.call_later(0, bad)
    handler.call_later(0.02, got.put, "still alive")
    assert got.get(timeout=WAIT) == "still alive"


def test_call_later_can_resolve_results(handler):
    r = handler.async_result()
    handler.call_later(0.02, r.set_exception, TimeoutError("expired"))
    with pytest.raises(TimeoutError):
        r.get(timeout=WAIT)


# -- select / socketpair ------------------------------------------------------------


def test_select_socketpair_wakeup(handler):
    a, b = handler.socketpair()
    try:
        assert handler.select([a], [], [], 0) == ([], [], [])
        go = handler.event_object()

        def waker():
            assert go.wait(WAIT)
            b.send(b"!")

        task = handler.spawn(waker)
        go.set()
        r, w, x = handler.select([a], [], [], WAIT)
        assert r == [a] and w == [] and x == []
        assert a.recv(16) == b"!"
        task.join(WAIT)
    finally:
        a.close()
        b.close()


def test_select_writable_and_int_fds(handler):
    a, b = handler.socketpair()
    try:
        r, w, x = handler.select([a.fileno()], [b, a], [], WAIT)
        assert r == [] and set(map(id, w)) == {id(a), id(b)}
        b.send(b"x")
        r, w, _ = handler.select([a.fileno(), a], [], [], WAIT)
        assert r == [a.fileno(), a]
    finally:
        a.close()
        b.close()


def test_select_timeout_elapses(handler):
    a, b = handler.socketpair()
    try:
        start = handler.monotonic()
        assert handler.select([a], [], [], 0.05) == ([], [], [])
        assert handler.monotonic() - start >= 0.04
    finally:
        a.close()
        b.close()


def test_select_peer_closed_is_readable(handler):
    a, b = handler.socketpair()
    b.close()
    try:
        r, _, _ = handler.select([a], [], [], WAIT)
        assert r == [a]
        assert a.recv(1) == b""
    finally:
        a.close()


def test_select_above_fd_setsize(handler):
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 1500
    if soft <= target:
        if hard != resource.RLIM_INFINITY and hard <= target:
            pytest.skip("RLIMIT_NOFILE too low")
        resource.setrlimit(resource.RLIMIT_NOFILE, (target + 100, hard))
    a, b = handler.socketpair()
    high = None
    try:
        os.dup2(a.fileno(), target)
        high = target
        b.send(b"x")
        r, _, _ = handler.select([high], [], [], WAIT)
        assert r == [high]
    finally:
        if high is not None:
            os.close(high)
        a.close()
        b.close()


# -- create_connection ---------------------------------------------------------------


@pytest.fixture
def server():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(WAIT)
    try:
        yield srv
    finally:
        srv.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_create_connection(handler, server, host):
    port = server.getsockname()[1]
    client = handler.create_connection((host, port), 5.0)
    try:
        # the backlog completed the handshake: accept() returns at once
        conn, _ = server.accept()
        conn.settimeout(WAIT)
        try:
            assert client.gettimeout() is None
            assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            client.sendall(b"ping")
            assert conn.recv(4) == b"ping"
            conn.sendall(b"pong")
            assert client.recv(4) == b"pong"
        finally:
            conn.close()
    finally:
        client.close()
    if handler.name == "sequential_gevent":
        from hzgreen.handlers.gevent_stream import GreenStream

        assert isinstance(client, GreenStream) and client.closed


def test_create_connection_refused(handler):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now
    with pytest.raises(OSError):
        handler.create_connection(("127.0.0.1", port), 2.0)


def test_create_connection_timeout(handler):
    """A listener whose accept backlog is full drops SYNs: the connect must time out."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(s)
        start = handler.monotonic()
        try:
            sock = handler.create_connection(("127.0.0.1", port), 0.2)
        except socket.timeout:
            assert handler.monotonic() - start < 2.0
        else:
            sock.close()
            pytest.skip("this kernel accepted beyond the backlog")
    finally:
        for s in fillers:
            s.close()
        srv.close()


def test_create_connection_ipv6_literal(handler):
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        srv.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback")
    srv.listen(1)
    srv.settimeout(WAIT)
    try:
        client = handler.create_connection(("::1", srv.getsockname()[1]), 5.0)
        conn, _ = srv.accept()
        conn.close()
        client.close()
    finally:
        srv.close()


# -- identity ----------------------------------------------------------------------------


def test_current_identity_stable_and_distinct(handler):
    mine = handler.current_identity()
    assert mine == handler.current_identity()
    assert 0 < mine < 2**63
    out = handler.queue()

    def report():
        out.put((handler.current_identity(), handler.current_identity()))

    others = []
    for _ in range(20):  # sequential tasks: ids of dead tasks are not reused
        handler.spawn(report).join(WAIT)
        first, second = out.get(timeout=WAIT)
        assert first == second
        others.append(first)
    assert mine not in others
    assert len(set(others)) == len(others)
    assert all(0 < i < 2**63 for i in others)


# -- primitives ----------------------------------------------------------------------------


def test_queue(handler):
    q = handler.queue()
    q.put(1)
    q.put(2)
    assert q.qsize() == 2
    assert q.get() == 1
    assert q.get(timeout=1) == 2
    with pytest.raises(handler.queue_empty):
        q.get(timeout=0.02)
    with pytest.raises(handler.queue_empty):
        q.get(block=False)


def test_event(handler):
    e = handler.event_object()
    assert not e.is_set()
    assert e.wait(0.01) is False
    e.set()
    assert e.is_set() and e.wait() is True and e.wait(0) is True
    e.clear()
    assert not e.is_set()


def test_lock(handler):
    lock = handler.lock_object()
    assert lock.acquire() is True
    assert lock.acquire(False) is False
    got = handler.queue()
    task = handler.spawn(lambda: got.put(lock.acquire(True, 0.02)))
    assert got.get(timeout=WAIT) is False
    task.join(WAIT)
    lock.release()
    assert lock.acquire(True, -1) is True
    lock.release()
    with lock:
        assert lock.acquire(blocking=False) is False
    assert lock.acquire(blocking=True, timeout=-1) is True
    lock.release()


def test_lock_handoff_between_tasks(handler):
    lock = handler.lock_object()
    lock.acquire()
    got = handler.queue()

    def contender():
        got.put("waiting")
        got.put(lock.acquire(True, WAIT))
        lock.release()

    task = handler.spawn(contender)
    assert got.get(timeout=WAIT) == "waiting"
    lock.release()
    assert got.get(timeout=WAIT) is True
    task.join(WAIT)


def test_rlock(handler):
    rlock = handler.rlock_object()
    with rlock:
        with rlock:
            assert rlock.acquire(True, -1) is True
            rlock.release()
    got = handler.queue()
    rlock.acquire()
    task = handler.spawn(lambda: got.put(rlock.acquire(True, 0.02)))
    assert got.get(timeout=WAIT) is False
    task.join(WAIT)
    rlock.release()


def test_rlock_is_free_for_others_only_after_the_outermost_release(handler):
    rlock = handler.rlock_object()
    got = handler.queue()

    def contender():
        got.put("waiting")
        got.put(rlock.acquire(True, WAIT))
        rlock.release()

    with rlock:
        with rlock:
            task = handler.spawn(contender)
            assert got.get(timeout=WAIT) == "waiting"
        assert rlock.acquire(False) is True  # still ours after the inner release
        rlock.release()
        with pytest.raises(handler.queue_empty):
            got.get(timeout=0.02)  # the contender still waits
    assert got.get(timeout=WAIT) is True
    task.join(WAIT)


def test_rlock_refuses_a_release_by_another_task_and_is_freed_by_an_exception(handler):
    rlock = handler.rlock_object()
    errors = handler.queue()

    def foreign_release():
        try:
            rlock.release()
        except RuntimeError as error:
            errors.put(error)

    with pytest.raises(KeyError):
        with rlock:
            task = handler.spawn(foreign_release)
            assert isinstance(errors.get(timeout=WAIT), RuntimeError)
            task.join(WAIT)
            raise KeyError("inside")
    got = handler.queue()
    task = handler.spawn(lambda: got.put(rlock.acquire(False)))
    assert got.get(timeout=WAIT) is True  # the exception left the lock free
    task.join(WAIT)


def test_spawn_join_and_sleep(handler):
    out = []

    def work(a, b=0):
        handler.sleep_func(0.01)
        out.append(a + b)

    task = handler.spawn(work, 1, b=2)
    task.join(WAIT)
    assert out == [3]
    t0 = handler.monotonic()
    handler.sleep_func(0.02)
    assert handler.monotonic() - t0 >= 0.015
