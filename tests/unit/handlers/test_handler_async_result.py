"""IAsyncResult behaviour, identical for the threading and gevent handlers."""

from __future__ import annotations

import pytest
from zope.interface.verify import verifyObject

from hzgreen.exceptions import HzError, HzTimeoutError
from hzgreen.interfaces import IAsyncResult, IHandler

from .conftest import WAIT

pytestmark = pytest.mark.timeout(60)


class Boom(Exception):
    pass


def test_verify_interfaces(handler):
    assert verifyObject(IHandler, handler)
    assert verifyObject(IAsyncResult, handler.async_result())
    assert handler.timeout_exception is HzTimeoutError
    assert handler.name in ("sequential_threading", "sequential_gevent")
    assert handler.running is True


def test_set_get(handler):
    r = handler.async_result()
    assert not r.ready() and not r.done() and not r.successful()
    assert r.value is None and r.exception is None
    assert r.set(42) is True
    assert r.ready() and r.done() and r.successful()
    assert r.value == 42
    assert r.get() == 42
    assert r.get(timeout=0) == 42
    assert r.get_nowait() == 42
    assert r.result() == 42
    assert r.result(1) == 42
    assert r.wait() is True
    assert r.wait(0) is True


def test_set_default_value_is_none(handler):
    r = handler.async_result()
    r.set()
    assert r.successful() and r.get() is None


def test_exception_propagates(handler):
    r = handler.async_result()
    error = Boom("bad")
    assert r.set_exception(error) is True
    assert r.ready() and not r.successful()
    assert r.exception is error and r.value is None
    for _ in range(2):
        with pytest.raises(Boom) as info:
            r.get()
        assert info.value is error
    with pytest.raises(Boom):
        r.result(1)
    with pytest.raises(Boom):
        r.get_nowait()


def test_set_exception_accepts_class_and_rejects_junk(handler):
    r = handler.async_result()
    r.set_exception(Boom)
    assert isinstance(r.exception, Boom)
    with pytest.raises(TypeError):
        handler.async_result().set_exception("not an exception")


def test_only_first_set_wins(handler):
    r = handler.async_result()
    assert r.set(1) is True
    assert r.set(2) is False
    assert r.set_exception(Boom()) is False
    assert r.get() == 1 and r.exception is None

    r = handler.async_result()
    assert r.set_exception(Boom()) is True
    assert r.set(3) is False
    with pytest.raises(Boom):
        r.get()


@pytest.mark.parametrize("timeout", [0.05, 0.2])
def test_get_timeout(handler, timeout):
    r = handler.async_result()
    start = handler.monotonic()
    with pytest.raises(HzTimeoutError) as info:
        r.get(timeout=timeout)
    elapsed = handler.monotonic() - start
    assert timeout * 0.9 <= elapsed < timeout + 1.0
    assert isinstance(info.value, HzError) and isinstance(info.value, TimeoutError)
    # still usable after a timed-out wait
    r.set("late")
    assert r.get(timeout=0) == "late"


def test_not_ready_non_blocking_forms_raise_timeout(handler):
    r = handler.async_result()
    with pytest.raises(HzTimeoutError):
        r.get(block=False)
    with pytest.raises(HzTimeoutError):
        r.get_nowait()
    with pytest.raises(HzTimeoutError):
        r.get(timeout=0)
    with pytest.raises(HzTimeoutError):
        r.result(0.01)
    assert r.wait(0) is False
    assert r.wait(0.02) is False


def test_set_from_other_task_wakes_waiter(handler):
    r = handler.async_result()
    go = handler.event_object()

    def setter():
        assert go.wait(WAIT)
        r.set("hello")

    task = handler.spawn(setter)
    go.set()
    assert r.get(timeout=WAIT) == "hello"
    task.join(WAIT)


def test_set_exception_from_other_task_wakes_waiter(handler):
    r = handler.async_result()
    task = handler.spawn(r.set_exception, Boom("x"))
    with pytest.raises(Boom):
        r.get(timeout=WAIT)
    task.join(WAIT)


def test_many_waiters_all_woken(handler):
    r = handler.async_result()
    out = handler.queue()
    started = handler.queue()
    n = 20

    def waiter(i):
        started.put(i)
        out.put((i, r.get(timeout=WAIT)))

    tasks = [handler.spawn(waiter, i) for i in range(n)]
    for _ in range(n):
        started.get(timeout=WAIT)
    r.set("v")
    got = sorted(out.get(timeout=WAIT) for _ in range(n))
    assert got == [(i, "v") for i in range(n)]
    for t in tasks:
        t.join(WAIT)


def test_wait_returns_true_when_set_by_other_task(handler):
    r = handler.async_result()
    task = handler.spawn(r.set, 1)
    assert r.wait(WAIT) is True
    task.join(WAIT)


def test_callbacks_run_in_order_on_worker_not_on_setter(handler):
    r = handler.async_result()
    seen = []
    done = handler.event_object()

    def make(tag):
        def callback(result):
            seen.append((tag, result is r, handler.in_callback_worker(), handler.current_identity()))
            if tag == "c":
                done.set()

        return callback

    r.rawlink(make("a"))
    r.add_done_callback(make("b"))
    r.rawlink(make("c"))
    setter_identity = []

    def setter():
        setter_identity.append(handler.current_identity())
        r.set(7)
        # nothing ran on this task synchronously
        setter_identity.append(len(seen))

    handler.spawn(setter).join(WAIT)
    assert done.wait(WAIT)
    assert [s[0] for s in seen] == ["a", "b", "c"]
    assert all(s[1] and s[2] for s in seen)
    assert all(s[3] != setter_identity[0] for s in seen)
    assert not handler.in_callback_worker()


def test_callback_never_runs_on_setting_thread_even_if_main(handler):
    r = handler.async_result()
    flags = handler.queue()
    r.rawlink(lambda res: flags.put(handler.in_callback_worker()))
    r.set(None)
    assert flags.get(timeout=WAIT) is True


def test_rawlink_after_ready_is_dispatched(handler):
    r = handler.async_result()
    r.set_exception(Boom())
    got = handler.queue()
    r.rawlink(lambda res: got.put((res.exception, handler.in_callback_worker())))
    exc, in_worker = got.get(timeout=WAIT)
    assert isinstance(exc, Boom) and in_worker


def test_unlink(handler):
    r = handler.async_result()
    calls = []
    fence = handler.event_object()

    def unwanted(res):
        calls.append("unwanted")

    def wanted(res):
        calls.append("wanted")

    r.rawlink(unwanted)
    r.rawlink(wanted)
    r.unlink(unwanted)
    r.unlink(unwanted)  # unknown callbacks are ignored
    r.set(1)
    handler.dispatch_callback(fence.set)  # FIFO: runs after r's callbacks
    assert fence.wait(WAIT)
    assert calls == ["wanted"]


def test_callback_failure_is_isolated(handler):
    r = handler.async_result()
    got = handler.queue()

    def bad(res):
        raise Boom("callback failure")

    r.rawlink(bad)
    r.rawlink(lambda res: got.put(res.get()))
    r.set("ok")
    assert got.get(timeout=WAIT) == "ok"


def test_repr(handler):
    r = handler.async_result()
    assert "pending" in repr(r)
    r.set(5)
    assert "value=5" in repr(r)
