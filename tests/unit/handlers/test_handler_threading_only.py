"""Properties specific to the threading handler: threads it owns, timer heap, races."""

from __future__ import annotations

import threading

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler

pytestmark = pytest.mark.timeout(60)

WAIT = 5.0


def _own_threads():
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("hzgreen-"))


def test_one_worker_and_one_timer_thread_then_none():
    before = _own_threads()
    h = SequentialThreadingHandler()
    h.start()
    assert _own_threads().count("hzgreen-timer") == before.count("hzgreen-timer")  # started on demand
    got = h.queue()
    for i in range(100):
        h.call_later(0.001 * (i % 5), got.put, i)
    assert sorted(got.get(timeout=WAIT) for _ in range(100)) == list(range(100))
    now = _own_threads()
    assert now.count("hzgreen-timer") - before.count("hzgreen-timer") == 1
    assert now.count("hzgreen-callbacks") - before.count("hzgreen-callbacks") == 1
    h.stop()
    assert _own_threads() == before


def test_timer_heap_is_compacted_after_cancellations():
    h = SequentialThreadingHandler()
    h.start()
    try:
        handles = [h.call_later(3600, lambda: None) for _ in range(1000)]
        for handle in handles:
            assert handle.cancel()
        assert len(h._timers._heap) < 200
    finally:
        h.stop()


def test_pending_timer_survives_stop_and_fires_after_restart():
    h = SequentialThreadingHandler()
    h.start()
    got = h.queue()
    h.call_later(0.05, got.put, "after restart")
    h.stop()
    h.start()
    try:
        assert got.get(timeout=WAIT) == "after restart"
    finally:
        h.stop()


def test_concurrent_set_exactly_one_winner():
    h = SequentialThreadingHandler()
    h.start()
    try:
        for _ in range(50):
            r = h.async_result()
            barrier = threading.Barrier(8)
            wins = []

            def racer(i):
                barrier.wait(WAIT)
                if i % 2:
                    wins.append(r.set(i))
                else:
                    wins.append(r.set_exception(ValueError(i)))

            threads = [h.spawn(racer, i) for i in range(8)]
            for t in threads:
                t.join(WAIT)
            assert wins.count(True) == 1 and len(wins) == 8
    finally:
        h.stop()


def test_rawlink_racing_set_runs_each_callback_once():
    h = SequentialThreadingHandler()
    h.start()
    try:
        for _ in range(50):
            r = h.async_result()
            calls = h.queue()
            barrier = threading.Barrier(2)

            def linker():
                barrier.wait(WAIT)
                for k in range(20):
                    r.rawlink(lambda res, k=k: calls.put(k))

            t = h.spawn(linker)
            barrier.wait(WAIT)
            r.set(1)
            t.join(WAIT)
            assert sorted(calls.get(timeout=WAIT) for _ in range(20)) == list(range(20))
            with pytest.raises(h.queue_empty):
                calls.get(timeout=0.01)
    finally:
        h.stop()


def test_waiter_timeout_then_set_from_many_threads():
    h = SequentialThreadingHandler()
    h.start()
    try:
        r = h.async_result()
        assert r.wait(0.01) is False
        assert not r._waiters  # the timed-out waiter removed itself
        outs = h.queue()
        ts = [h.spawn(lambda: outs.put(r.get(timeout=WAIT))) for _ in range(10)]
        h.spawn(r.set, "v").join(WAIT)
        assert [outs.get(timeout=WAIT) for _ in range(10)] == ["v"] * 10
        for t in ts:
            t.join(WAIT)
    finally:
        h.stop()


def test_a_cancelled_timer_waiting_in_the_heap_makes_no_reference_cycle():
    from hzgreen.testing.garbage import cyclic_garbage

    def cancel_and_drop():
        h = SequentialThreadingHandler()
        h.start()
        handle = h.call_later(3600, lambda: None)
        h.stop()
        assert handle.cancel() is True  # it stays in the heap until popped or compacted
        assert handle.cancel() is False

    assert cyclic_garbage(cancel_and_drop) == {}
