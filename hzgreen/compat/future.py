"""``hazelcast.future`` for hzgreen: the official client's Future over hzgreen's async results.

A :class:`Future` wraps the handler's async result that a native ``_async`` method
returned, so waiting on it is whatever the handler makes it: a parked greenlet under
:class:`~hzgreen.handlers.gevent.SequentialGeventHandler` (other greenlets keep running,
no monkey-patching needed), a parked thread under the threading handler. Callbacks run on
the handler's sequential callback worker, never on the I/O loop, so a callback may call
``result()`` on another future or call the client.

A Future built by user code (``Future()``, :class:`ImmediateFuture`) belongs to no client:
its callbacks run in the thread that resolves it, as in the official client, and waiting
on it while it is still pending blocks the OS thread.
"""

from __future__ import annotations

import itertools
import logging
import types
from typing import TYPE_CHECKING, Any, Callable, Generic, List, Optional, Sequence, TypeVar, cast

from hzgreen.handlers.threading import AsyncResult as _ThreadAsyncResult

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler

__all__ = ["Future", "ImmediateExceptionFuture", "ImmediateFuture", "ResultType", "combine_futures"]

log = logging.getLogger("hzgreen.compat")

ResultType = TypeVar("ResultType")


class _InlineDispatcher:
    """Stands in for a handler for futures that belong to no client: runs callbacks at once."""

    @staticmethod
    def dispatch_callback(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call ``func(*args, **kwargs)`` now, logging what it raises; returns None."""
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("error in a future callback")


_INLINE = _InlineDispatcher()


def _standalone() -> "AsyncResult[Any]":
    return cast("AsyncResult[Any]", _ThreadAsyncResult(cast("Handler", _INLINE)))


class Future(Generic[ResultType]):
    """The result of an asynchronous operation, with the official client's methods.

    ``Future()`` makes one to resolve by hand with :meth:`set_result` or
    :meth:`set_exception`; the compat proxies build theirs from a native async result
    (``Future(map.get_async(key), handler)``).
    """

    __slots__ = ("_source", "_handler")

    def __init__(self, source: "Optional[AsyncResult[Any]]" = None, handler: "Optional[Handler]" = None) -> None:
        if source is None:
            source = handler.async_result() if handler is not None else _standalone()
        self._source: "AsyncResult[Any]" = source
        self._handler = handler

    @property
    def async_result(self) -> "AsyncResult[Any]":
        """The hzgreen async result behind this future (``get(timeout=...)`` and friends)."""
        return self._source

    def set_result(self, result: ResultType) -> None:
        """Resolve with ``result`` (a second resolution is ignored); returns None."""
        self._source.set(result)

    def set_exception(self, exception: BaseException, traceback: Optional[types.TracebackType] = None) -> None:
        """Resolve with ``exception`` (and its ``traceback``); returns None.

        Raises RuntimeError when ``exception`` is not an exception instance, as the official client does.
        """
        if not isinstance(exception, BaseException):
            raise RuntimeError("Exception must be of BaseException type")
        if traceback is not None:
            exception = exception.with_traceback(traceback)
        self._source.set_exception(exception)

    def result(self) -> ResultType:
        """Wait until resolved; returns the value, or raises the exception the operation failed with.

        Under the gevent handler only the calling greenlet waits.
        """
        return cast(ResultType, self._source.get())

    def is_success(self) -> bool:
        """Returns True once resolved with a value (False while pending or after a failure)."""
        return self._source.successful()

    def done(self) -> bool:
        """Returns True once resolved, with a value or an exception."""
        return self._source.ready()

    def running(self) -> bool:
        """Returns True while not resolved yet."""
        return not self._source.ready()

    def exception(self) -> Optional[BaseException]:
        """Wait until resolved; returns the exception it failed with, or None after a success."""
        self._source.wait()
        return self._source.exception

    def traceback(self) -> Optional[types.TracebackType]:
        """Wait until resolved; returns the traceback of its exception, or None."""
        error = self.exception()
        return None if error is None else error.__traceback__

    def add_done_callback(self, callback: Callable[["Future[ResultType]"], Any]) -> None:
        """Call ``callback(self)`` once resolved (at once if already resolved); returns None.

        For client futures it runs on the handler's callback worker; what it raises is logged.
        """
        self._source.rawlink(lambda _source: callback(self))

    def continue_with(self, continuation_func: Callable[..., Any], *args: Any) -> "Future[Any]":
        """Returns a future resolved with ``continuation_func(self, *args)`` once this one is resolved.

        When the function returns a Future, the returned future follows it; when it
        raises, the returned future fails with that exception.
        """
        future: Future[Any] = Future(handler=self._handler)

        def callback(resolved: Future[ResultType]) -> None:
            try:
                value = continuation_func(resolved, *args)
            except Exception as error:
                future.set_exception(error)
                return
            if isinstance(value, Future):
                future._follow(value)
            else:
                future.set_result(value)

        self.add_done_callback(callback)
        return future

    def _follow(self, other: "Future[Any]") -> None:
        def callback(resolved: Future[Any]) -> None:
            error = resolved._source.exception if resolved.done() and not resolved.is_success() else None
            if error is not None:
                self.set_exception(error)
                return
            value = resolved._source.value
            if isinstance(value, Future):
                self._follow(value)
            else:
                self.set_result(cast(ResultType, value))

        other.add_done_callback(callback)

    def __repr__(self) -> str:
        return "Future(%r)" % (self._source,)


class ImmediateFuture(Future[ResultType]):
    """A future already resolved with ``result``."""

    __slots__ = ()

    def __init__(self, result: ResultType) -> None:
        super().__init__()
        self._source.set(result)


class ImmediateExceptionFuture(Future[Any]):
    """A future already failed with ``exception``."""

    __slots__ = ()

    def __init__(self, exception: BaseException, traceback: Optional[types.TracebackType] = None) -> None:
        super().__init__()
        self.set_exception(exception, traceback)


def combine_futures(futures: Sequence[Future[Any]]) -> Future[List[Any]]:
    """Returns a future resolved with the list of the results of ``futures``, in their order.

    It resolves once every one of them is resolved; if any failed, it fails with the
    first failure seen.
    """
    handler = next((f._handler for f in futures if f._handler is not None), None)
    combined: Future[List[Any]] = Future(handler=handler)
    count = len(futures)
    if count == 0:
        combined.set_result([])
        return combined
    results: List[Any] = [None] * count
    errors: List[BaseException] = []
    finished = itertools.count(1)  # next() on it is atomic under the GIL

    def make_callback(index: int) -> Callable[[Future[Any]], None]:
        def done(resolved: Future[Any]) -> None:
            if resolved.is_success():
                results[index] = resolved._source.value
            elif resolved._source.exception is not None:
                errors.append(resolved._source.exception)
            if next(finished) == count:
                if errors:
                    combined.set_exception(errors[0])
                else:
                    combined.set_result(results)

        return done

    for index, future in enumerate(futures):
        future.add_done_callback(make_callback(index))
    return combined
