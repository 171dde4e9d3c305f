"""hzgreen.compat.future: the official Future API over hzgreen's async results (both handlers)."""

from __future__ import annotations

from typing import Any, List

import pytest

from hzgreen.compat.future import Future, ImmediateExceptionFuture, ImmediateFuture, combine_futures
from hzgreen.handlers.gevent import SequentialGeventHandler
from hzgreen.handlers.threading import SequentialThreadingHandler

HANDLERS = {"threading": SequentialThreadingHandler, "gevent": SequentialGeventHandler}
WAIT = 5.0  # bound for "promptly"; never a synchronisation sleep


@pytest.fixture(params=sorted(HANDLERS))
def handler(request: Any) -> Any:
    h = HANDLERS[request.param]()
    h.start()
    try:
        yield h
    finally:
        h.stop()


def test_result_value_and_state(handler: Any) -> None:
    source = handler.async_result()
    future: Future[int] = Future(source, handler)
    assert not future.done() and future.running() and not future.is_success()
    source.set(42)
    assert future.done() and not future.running() and future.is_success()
    assert future.result() == 42
    assert future.exception() is None and future.traceback() is None
    assert future.async_result is source


def test_result_raises_the_failure(handler: Any) -> None:
    future: Future[int] = Future(handler=handler)
    error = KeyError("gone")
    future.set_exception(error)
    with pytest.raises(KeyError):
        future.result()
    assert future.exception() is error
    assert future.done() and not future.is_success()


def test_set_exception_refuses_a_non_exception(handler: Any) -> None:
    future: Future[int] = Future(handler=handler)
    with pytest.raises(RuntimeError):
        future.set_exception("boom")  # type: ignore[arg-type]  # the point of the test


def test_callback_gets_the_future_on_the_callback_worker(handler: Any) -> None:
    future: Future[str] = Future(handler=handler)
    done = handler.async_result()

    def callback(resolved: Future[str]) -> None:
        done.set((resolved is future, resolved.result(), handler.in_callback_worker()))

    future.add_done_callback(callback)
    future.set_result("x")
    assert done.get(timeout=WAIT) == (True, "x", True)


def test_callback_added_after_resolution_still_runs(handler: Any) -> None:
    future: Future[int] = Future(handler=handler)
    future.set_result(1)
    done = handler.async_result()
    future.add_done_callback(lambda f: done.set(f.result()))
    assert done.get(timeout=WAIT) == 1


def test_continue_with_value_args_and_errors(handler: Any) -> None:
    future: Future[int] = Future(handler=handler)
    plus = future.continue_with(lambda f, n: f.result() + n, 10)
    failed = future.continue_with(lambda f: 1 / 0)
    future.set_result(5)
    assert plus.result() == 15
    with pytest.raises(ZeroDivisionError):
        failed.result()


def test_continue_with_follows_a_returned_future(handler: Any) -> None:
    first: Future[int] = Future(handler=handler)
    inner: Future[str] = Future(handler=handler)
    chained = first.continue_with(lambda f: inner)
    first.set_result(1)
    assert not chained.done() or chained.result() == "inner"
    inner.set_result("inner")
    assert chained.result() == "inner"


def test_continue_with_follows_a_failed_future(handler: Any) -> None:
    first: Future[int] = Future(handler=handler)
    chained = first.continue_with(lambda f: ImmediateExceptionFuture(ValueError("no")))
    first.set_result(1)
    with pytest.raises(ValueError):
        chained.result()


def test_result_waits_for_another_thread_or_greenlet(handler: Any) -> None:
    future: Future[int] = Future(handler=handler)
    handler.spawn(future.set_result, 7)
    assert future.result() == 7


def test_gevent_result_lets_other_greenlets_run() -> None:
    import gevent

    handler = SequentialGeventHandler()
    handler.start()
    try:
        future: Future[str] = Future(handler=handler)
        ran: List[str] = []

        def other() -> None:
            ran.append("other")
            future.set_result("done")

        gevent.spawn(other)
        assert future.result() == "done"  # parked this greenlet; `other` ran meanwhile
        assert ran == ["other"]
    finally:
        handler.stop()


def test_immediate_futures_and_standalone_future() -> None:
    assert ImmediateFuture(3).result() == 3
    failed = ImmediateExceptionFuture(OSError("x"))
    assert isinstance(failed.exception(), OSError)
    standalone: Future[int] = Future()
    seen: List[int] = []
    standalone.add_done_callback(lambda f: seen.append(f.result()))
    standalone.set_result(9)
    assert seen == [9]  # a future of no client runs callbacks in the resolving thread


def test_a_failing_callback_is_logged_not_raised(caplog: Any) -> None:
    standalone: Future[int] = Future()
    standalone.add_done_callback(lambda f: 1 / 0)
    standalone.set_result(1)
    assert standalone.result() == 1
    assert "future callback" in caplog.text


def test_combine_futures(handler: Any) -> None:
    a: Future[int] = Future(handler=handler)
    b: Future[int] = Future(handler=handler)
    combined = combine_futures([a, b])
    b.set_result(2)
    a.set_result(1)
    assert combined.result() == [1, 2]
    assert combine_futures([]).result() == []
    c: Future[int] = Future(handler=handler)
    failing = combine_futures([c, ImmediateFuture(1)])
    c.set_exception(KeyError("k"))
    with pytest.raises(KeyError):
        failing.result()
