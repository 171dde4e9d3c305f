"""The sequential callback worker, for both handlers."""

from __future__ import annotations

import logging

import pytest

from .conftest import WAIT

pytestmark = pytest.mark.timeout(60)


def test_thousand_callbacks_fifo(handler):
    seen = []
    done = handler.event_object()
    for i in range(1000):
        handler.dispatch_callback(seen.append, i)
    handler.dispatch_callback(done.set)
    assert done.wait(WAIT)
    assert seen == list(range(1000))


def test_kwargs_are_passed(handler):
    got = handler.queue()
    handler.dispatch_callback(lambda a, b=None: got.put((a, b)), 1, b=2)
    assert got.get(timeout=WAIT) == (1, 2)


def test_failing_callback_does_not_stop_worker(handler, caplog):
    seen = []
    done = handler.event_object()

    def bad():
        raise RuntimeError("boom in callback")

    with caplog.at_level(logging.ERROR, logger="hzgreen.handlers"):
        handler.dispatch_callback(seen.append, 1)
        handler.dispatch_callback(bad)
        handler.dispatch_callback(seen.append, 2)
        handler.dispatch_callback(done.set)
        assert done.wait(WAIT)
    assert seen == [1, 2]
    assert any(
        "boom in callback" in (r.exc_text or "") or (r.exc_info and "boom in callback" in str(r.exc_info[1]))
        for r in caplog.records
        if r.name == "hzgreen.handlers"
    )


def test_system_exit_in_callback_does_not_kill_worker(handler):
    done = handler.event_object()

    def bad():
        raise SystemExit(3)

    handler.dispatch_callback(bad)
    handler.dispatch_callback(done.set)
    assert done.wait(WAIT)


def test_blocking_callback_waiting_on_later_result_does_not_deadlock(handler):
    r = handler.async_result()
    entered = handler.event_object()
    out = handler.queue()

    def blocking_callback():
        entered.set()
        out.put(("first", r.get(timeout=WAIT)))

    def setter():
        assert entered.wait(WAIT)
        r.set("from setter")

    handler.dispatch_callback(blocking_callback)
    handler.dispatch_callback(lambda: out.put(("second", handler.in_callback_worker())))
    task = handler.spawn(setter)
    assert out.get(timeout=WAIT) == ("first", "from setter")
    assert out.get(timeout=WAIT) == ("second", True)
    task.join(WAIT)


def test_callback_waiting_on_result_with_callbacks(handler):
    """A callback waits on a result whose own callbacks are queued behind it: get() works
    (waiters are woken directly), the linked callback runs afterwards."""
    r = handler.async_result()
    out = handler.queue()
    r.rawlink(lambda res: out.put("linked"))
    entered = handler.event_object()

    def blocking_callback():
        entered.set()
        out.put(r.get(timeout=WAIT))

    handler.dispatch_callback(blocking_callback)
    task = handler.spawn(lambda: entered.wait(WAIT) and r.set("value"))
    assert out.get(timeout=WAIT) == "value"
    assert out.get(timeout=WAIT) == "linked"
    task.join(WAIT)


def test_in_callback_worker(handler):
    got = handler.queue()
    assert handler.in_callback_worker() is False
    handler.dispatch_callback(lambda: got.put(handler.in_callback_worker()))
    assert got.get(timeout=WAIT) is True

    def other():
        got.put(handler.in_callback_worker())

    handler.spawn(other).join(WAIT)
    assert got.get(timeout=WAIT) is False


def test_stop_drains_queue_and_restart(handler_class):
    h = handler_class()
    assert h.running is False
    h.start()
    h.start()  # idempotent
    assert h.running is True
    seen = []
    for i in range(200):
        h.dispatch_callback(seen.append, i)
    h.stop()
    assert h.running is False
    assert seen == list(range(200))
    h.stop()  # idempotent

    # queued while stopped: runs after the next start
    h.dispatch_callback(seen.append, "queued while stopped")
    done = h.event_object()
    h.start()
    h.dispatch_callback(done.set)
    assert done.wait(WAIT)
    assert seen[-1] == "queued while stopped"
    h.stop()


def test_stop_from_inside_callback(handler_class):
    h = handler_class()
    h.start()
    seen = []
    h.dispatch_callback(h.stop)
    h.dispatch_callback(seen.append, "after stop")
    done = h.event_object()
    h.dispatch_callback(done.set)
    assert done.wait(WAIT)
    assert seen == ["after stop"]
    assert h.running is False
    # a fresh start still serves callbacks
    h.start()
    again = h.event_object()
    h.dispatch_callback(again.set)
    assert again.wait(WAIT)
    h.stop()


def test_stop_then_start_from_inside_callback_keeps_one_worker(handler_class):
    h = handler_class()
    h.start()
    seen = []

    def restart():
        h.stop()
        h.start()

    h.dispatch_callback(restart)
    for i in range(50):
        h.dispatch_callback(seen.append, i)
    done = h.event_object()
    h.dispatch_callback(done.set)
    assert done.wait(WAIT)
    assert seen == list(range(50))
    assert h.running is True
    h.stop()
