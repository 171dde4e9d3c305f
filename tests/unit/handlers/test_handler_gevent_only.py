"""Properties only the gevent handler promises: no OS threads, no hub starvation."""

from __future__ import annotations

import socket
import threading

import pytest

pytest.importorskip("gevent")
import gevent.monkey  # noqa: E402

from hzgreen.exceptions import HzTimeoutError  # noqa: E402
from hzgreen.handlers.gevent import SequentialGeventHandler  # noqa: E402

pytestmark = pytest.mark.timeout(60)

WAIT = 5.0


def test_never_monkey_patches():
    h = SequentialGeventHandler()
    h.start()
    h.stop()
    assert not gevent.monkey.is_anything_patched()
    assert socket.socket is not gevent.socket.socket


def test_no_os_thread_started():
    before = threading.active_count()
    h = SequentialGeventHandler()
    h.start()
    r = h.async_result()
    seen = h.queue()
    r.rawlink(lambda res: seen.put(res.get()))
    h.call_later(0.01, r.set, "timer")
    assert r.get(timeout=WAIT) == "timer"
    assert seen.get(timeout=WAIT) == "timer"
    handle = h.call_later(10, r.set, "never")
    handle.cancel()
    h.spawn(h.sleep_func, 0.001).join(WAIT)
    with pytest.raises(HzTimeoutError):
        h.async_result().get(timeout=0.01)
    a, b = h.socketpair()
    b.send(b"x")
    assert h.select([a], [], [], WAIT)[0] == [a]
    a.close()
    b.close()
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    conn = h.create_connection(("127.0.0.1", srv.getsockname()[1]), WAIT)
    conn.close()
    srv.close()
    lock = h.lock_object()
    with lock:
        pass
    e = h.event_object()
    e.set()
    assert e.wait(0)
    q = h.queue()
    q.put(1)
    assert q.get() == 1
    h.current_identity()
    h.stop()
    assert threading.active_count() == before


def test_probe_latency_with_500_waiters():
    """500 greenlets block on results that another greenlet resolves: a probe greenlet
    sleeping 5 ms at a time is never woken more than 50 ms late."""
    h = SequentialGeventHandler()
    h.start()
    try:
        n = 500
        results = [h.async_result() for _ in range(n)]
        all_waiting = h.event_object()
        waiting = [0]
        got = []
        linked = []
        linked_done = h.event_object()

        def waiter(r):
            waiting[0] += 1
            if waiting[0] == n:
                all_waiting.set()
            got.append(r.get(timeout=WAIT * 2))

        for r in results[::2]:
            r.rawlink(lambda res: (linked.append(res.value), len(linked) == n // 2 and linked_done.set()))

        late = []
        stop_probe = h.event_object()

        def probe():
            while not stop_probe.is_set():
                t0 = h.monotonic()
                gevent.sleep(0.005)
                late.append(h.monotonic() - t0 - 0.005)

        def setter():
            assert all_waiting.wait(WAIT)
            for i, r in enumerate(results):
                r.set(i)
                if i % 50 == 49:
                    gevent.sleep(0)  # yield like an I/O loop between reads

        probe_task = h.spawn(probe)
        waiters = [h.spawn(waiter, r) for r in results]
        setter_task = h.spawn(setter)
        setter_task.join(WAIT)
        gevent.joinall(waiters, timeout=WAIT)
        assert linked_done.wait(WAIT)
        stop_probe.set()
        probe_task.join(WAIT)
        assert sorted(got) == list(range(n))
        assert sorted(linked) == list(range(0, n, 2))
        assert late, "probe never ran"
        assert max(late) < 0.05, "probe woke %.1f ms late" % (max(late) * 1000)
    finally:
        h.stop()


def test_get_in_callback_worker_yields_to_other_greenlets():
    h = SequentialGeventHandler()
    h.start()
    try:
        r = h.async_result()
        out = h.queue()
        h.dispatch_callback(lambda: out.put(r.get(timeout=WAIT)))
        h.spawn(r.set, "x")
        assert out.get(timeout=WAIT) == "x"
    finally:
        h.stop()


def test_client_tasks_skip_the_spawning_stack_and_application_greenlets_keep_it():
    h = SequentialGeventHandler()
    task = h.spawn(lambda: "done")
    task.join(WAIT)
    assert task.value == "done"
    assert task.spawning_stack is None  # no frames (and line numbers) recorded for the client's own tasks
    own = gevent.spawn(lambda: None)
    own.join(WAIT)
    assert own.spawning_stack is not None  # gevent's default is untouched
