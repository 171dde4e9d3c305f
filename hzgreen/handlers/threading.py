"""The OS-thread handler: :class:`SequentialThreadingHandler`.

Threads it owns while running:

* ``hzgreen-callbacks``: the single sequential callback worker.  Every user callback
  (state listeners, entry events, async-result callbacks) runs here, one at a time,
  in FIFO order, so callbacks may block or call the client while the I/O loop goes on.
* ``hzgreen-timer``: one shared timer thread with a heap serving every
  :meth:`~SequentialThreadingHandler.call_later` (not a ``threading.Timer`` per call).

:class:`AsyncResult` is built for the request hot path: one small ``__slots__`` object,
no ``Condition`` per result; a ``threading.Lock`` is allocated only for a caller that
actually blocks.  Resolution is made atomic by one short process-wide guard lock.
"""

from __future__ import annotations

import heapq
import itertools
import os
import queue as _queue
import socket
import ssl
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple, TypeVar

from zope.interface import implementer  # type: ignore[import-untyped]  # zope.interface ships no type information

from hzgreen.exceptions import HzTimeoutError
from hzgreen.handlers import utils
from hzgreen.handlers.tls import ThreadTlsStream, start_tls_blocking
from hzgreen.handlers.utils import SUCCEEDED, AsyncResultBase, log
from hzgreen.interfaces import IAsyncResult, IHandler

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult as AsyncResultType

T = TypeVar("T")

__all__ = ["SequentialThreadingHandler", "AsyncResult"]

# Guards the pending -> resolved transition and the waiter/callback lists of every
# threading AsyncResult.  Critical sections are a handful of bytecodes, so one lock for
# the process costs less than allocating one per result.
_guard = threading.Lock()
_acquire = _guard.acquire
_release = _guard.release
if hasattr(os, "register_at_fork"):
    # Held across fork(): a thread resolving a result at that moment would otherwise leave
    # the guard locked for good in the child, where that thread does not exist.
    os.register_at_fork(before=_acquire, after_in_parent=_release, after_in_child=_release)

_STOP = object()
_TIMEOUT_MAX = threading.TIMEOUT_MAX


class _Identity(threading.local):
    """Per-thread identity, assigned on the thread's first ``current_identity()``."""

    def __init__(self) -> None:
        self.value = utils.next_identity()


_identity = _Identity()


@implementer(IAsyncResult)
class AsyncResult(AsyncResultBase[T]):
    """Thread-safe async result (see :class:`hzgreen.interfaces.IAsyncResult`).

    ``set`` with nobody waiting and no callback costs one uncontended lock round trip
    and a few attribute writes.  A blocking ``get``/``wait`` parks on a private,
    pre-acquired ``threading.Lock`` that the resolver releases.
    """

    __slots__ = ()

    _waiters: Optional[List[threading.Lock]]

    def _resolve(self, state: int, value: Optional[T], exception: Optional[BaseException]) -> bool:
        _acquire()
        try:
            if self._state:
                return False
            self.value = value
            self.exception = exception
            self._state = state
            waiters = self._waiters
            callbacks = self._callbacks
            self._waiters = self._callbacks = None
        finally:
            _release()
        if waiters:
            for waiter in waiters:
                waiter.release()
        if callbacks:
            dispatch = self._handler.dispatch_callback
            for callback in callbacks:
                dispatch(callback, self)
        return True

    def set(self, value: Optional[T] = None) -> bool:
        """Resolve with ``value``; True if this call took effect."""
        # Inlined _resolve(): this runs once per request on the I/O thread.
        _acquire()
        try:
            if self._state:
                return False
            self.value = value
            self._state = SUCCEEDED
            waiters = self._waiters
            callbacks = self._callbacks
            self._waiters = self._callbacks = None
        finally:
            _release()
        if waiters:
            for waiter in waiters:
                waiter.release()
        if callbacks:
            dispatch = self._handler.dispatch_callback
            for callback in callbacks:
                dispatch(callback, self)
        return True

    def _block(self, timeout: Optional[float]) -> None:
        waiter = threading.Lock()
        waiter.acquire()
        with _guard:
            if self._state:
                return
            if self._waiters is None:
                self._waiters = [waiter]
            else:
                self._waiters.append(waiter)
        if waiter.acquire(True, -1 if timeout is None else min(timeout, _TIMEOUT_MAX)):
            return
        with _guard:
            waiters = self._waiters
            if waiters is not None:
                try:
                    waiters.remove(waiter)
                except ValueError:
                    pass

    def rawlink(self, callback: Callable[["AsyncResultType[T]"], Any]) -> None:
        """Run ``callback(self)`` on the callback worker once resolved; returns None."""
        with _guard:
            if not self._state:
                if self._callbacks is None:
                    self._callbacks = [callback]
                else:
                    self._callbacks.append(callback)
                return
        self._handler.dispatch_callback(callback, self)

    def unlink(self, callback: Callable[["AsyncResultType[T]"], Any]) -> None:
        """Forget a callback that has not been dispatched yet; returns None."""
        with _guard:
            callbacks = self._callbacks
            if callbacks:
                try:
                    callbacks.remove(callback)
                except ValueError:
                    pass


class _TimerHandle:
    """Handle of one :meth:`SequentialThreadingHandler.call_later` entry."""

    __slots__ = ("_wheel", "func", "args", "cancelled")

    def __init__(self, wheel: "_TimerThread", func: Callable[..., Any], args: Tuple[Any, ...]) -> None:
        self._wheel: Optional[_TimerThread] = wheel  # None once cancelled
        self.func: Optional[Callable[..., Any]] = func  # None once fired or cancelled
        self.args: Optional[Tuple[Any, ...]] = args
        self.cancelled = False

    def cancel(self) -> bool:
        """Prevent the call if it has not started; True if this call cancelled it."""
        wheel = self._wheel
        return wheel is not None and wheel.cancel(self)


class _TimerThread:
    """One daemon thread and a heap of deadlines for every ``call_later``.

    Cancelled entries are dropped lazily; the heap is compacted once more than half of
    it is cancelled, so a burst of cancelled invocation timeouts does not leak.  Each
    started thread carries a generation number: a thread whose generation is no longer
    current ends, so a quick stop()/start() never leaves two threads serving nor makes
    stop() wait on a thread that was asked to continue.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._heap: List[Tuple[float, int, _TimerHandle]] = []
        self._seq = itertools.count()
        self._cancelled = 0
        self._active = False
        self._generation = 0
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        with self._cond:
            self._start_locked()

    def start_if_pending(self) -> None:
        with self._cond:
            if self._heap:
                self._start_locked()

    def _start_locked(self) -> None:
        if self._active:
            return
        self._active = True
        self._generation += 1
        thread = threading.Thread(target=self._run, args=(self._generation,), name="hzgreen-timer", daemon=True)
        self._thread = thread
        thread.start()

    def stop(self) -> None:
        with self._cond:
            if not self._active:
                return
            self._active = False
            thread, self._thread = self._thread, None
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def schedule(self, delay: float, func: Callable[..., Any], args: Tuple[Any, ...]) -> _TimerHandle:
        handle = _TimerHandle(self, func, args)
        deadline = time.monotonic() + max(delay, 0.0)
        with self._cond:
            heap = self._heap
            heapq.heappush(heap, (deadline, next(self._seq), handle))
            if not self._active:
                self._start_locked()
            elif heap[0][2] is handle:
                self._cond.notify_all()
        return handle

    def cancel(self, handle: _TimerHandle) -> bool:
        with self._cond:
            if handle.cancelled or handle.func is None:
                return False
            handle.cancelled = True
            handle.func = handle.args = None
            handle._wheel = None  # it may wait in the heap a while: no reference cycle through it
            self._cancelled += 1
            heap = self._heap
            if self._cancelled > 64 and self._cancelled * 2 > len(heap):
                heap[:] = [entry for entry in heap if not entry[2].cancelled]
                heapq.heapify(heap)
                self._cancelled = 0
        return True

    def _run(self, generation: int) -> None:
        cond = self._cond
        heap = self._heap
        while True:
            with cond:
                while True:
                    if not self._active or self._generation != generation:
                        return
                    if not heap:
                        cond.wait()
                        continue
                    delay = heap[0][0] - time.monotonic()
                    if delay > 0:
                        cond.wait(delay)
                        continue
                    handle = heapq.heappop(heap)[2]
                    if handle.cancelled:
                        self._cancelled -= 1
                        continue
                    func, args = handle.func, handle.args
                    handle.func = handle.args = None  # fired: cancel() now returns False
                    if func is not None and args is not None:  # always: only cancel() clears them early
                        break
            utils.run_logged(func, args, None)


@implementer(IHandler)
class SequentialThreadingHandler:
    """Handler running user callbacks on one worker thread; see :mod:`hzgreen.interfaces`.

    ``get()`` on an async result may be called from the callback worker: the I/O loop
    resolves results directly, so it only deadlocks if the result can only be resolved
    by a callback queued *behind* the caller.
    """

    name = "sequential_threading"
    io_style = "select"
    timeout_exception = HzTimeoutError
    queue_empty = _queue.Empty

    def __init__(self) -> None:
        self._state_lock = threading.Lock()
        self._callbacks: "_queue.SimpleQueue[Any]" = _queue.SimpleQueue()
        self._worker: Optional[threading.Thread] = None
        self._worker_ident: Optional[int] = None
        self._timers = _TimerThread()
        self.running = False

    def __repr__(self) -> str:
        return "<%s running=%s>" % (type(self).__name__, self.running)

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        """Start the callback worker (idempotent); the timer thread starts on demand."""
        with self._state_lock:
            if self.running:
                return
            self.running = True
            worker = self._worker
            if worker is None or not worker.is_alive():
                worker = threading.Thread(target=self._run_callbacks, name="hzgreen-callbacks", daemon=True)
                self._worker = worker
                worker.start()
            # else: a stop() issued from the worker itself is still draining; the
            # worker sees running is True again when it reaches the stop marker.
        # The timer thread starts with the first call_later (saves a thread start, a
        # good share of a short-lived client's connect time), or now for entries kept
        # pending across a stop().
        self._timers.start_if_pending()

    def stop(self) -> None:
        """Drain the queued callbacks, then end the worker and the timer thread."""
        with self._state_lock:
            if not self.running:
                return
            self.running = False
            drained = threading.Event()
            self._callbacks.put((_STOP, drained, None))
            worker = self._worker
        self._timers.stop()
        if worker is not None and worker is not threading.current_thread():
            drained.wait()
            with self._state_lock:
                ended = self._worker is not worker
            if ended:
                worker.join()

    def _run_callbacks(self) -> None:
        self._worker_ident = threading.get_ident()
        get = self._callbacks.get
        run = utils.run_logged
        while True:
            func, args, kwargs = get()
            if func is _STOP:
                with self._state_lock:
                    exiting = not self.running
                    if exiting:
                        self._worker = None
                        self._worker_ident = None
                args.set()
                if exiting:
                    return
                continue
            try:
                run(func, args, kwargs)
            except BaseException:  # SystemExit & co from a callback: keep serving
                log.exception("Exception in callback %r", func)

    def dispatch_callback(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue ``func(*args, **kwargs)`` for the sequential callback worker."""
        self._callbacks.put((func, args, kwargs))

    def in_callback_worker(self) -> bool:
        """True when called from the callback worker thread."""
        return self._worker_ident == threading.get_ident()

    # -- primitives ----------------------------------------------------------------
    def event_object(self) -> threading.Event:
        """A ``threading.Event``."""
        return threading.Event()

    def lock_object(self) -> threading.Lock:
        """A ``threading.Lock``."""
        return threading.Lock()

    def rlock_object(self) -> threading.RLock:
        """A ``threading.RLock``."""
        return threading.RLock()

    def async_result(self) -> AsyncResult[Any]:
        """A new pending :class:`AsyncResult`."""
        return AsyncResult(self)

    def queue(self) -> "_queue.Queue[Any]":
        """An unbounded ``queue.Queue`` (``get`` raises ``queue.Empty`` on timeout)."""
        return _queue.Queue()

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> threading.Thread:
        """Run ``func`` on a new daemon thread; return the started thread."""
        thread = threading.Thread(
            target=func, args=args, kwargs=kwargs, daemon=True, name="hzgreen-%s" % getattr(func, "__name__", "task")
        )
        thread.start()
        return thread

    def sleep_func(self, seconds: float) -> None:
        """``time.sleep``."""
        time.sleep(seconds)

    monotonic = staticmethod(time.monotonic)

    def current_identity(self) -> int:
        """A positive int64 unique to the calling thread (never reused in the process)."""
        return _identity.value

    def call_later(self, delay: float, func: Callable[..., Any], *args: Any) -> _TimerHandle:
        """Run ``func(*args)`` on the shared timer thread after ``delay`` seconds.

        ``func`` must be short and must not block: it delays every other timer.  The
        timer thread is (re)started on demand; ``stop()`` ends it and keeps pending
        entries, which fire after the next ``start()``/``call_later``.
        """
        return self._timers.schedule(delay, func, args)

    def run_soon(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` on the timer thread as soon as it is free."""
        self._timers.schedule(0.0, func, args)

    # -- I/O -------------------------------------------------------------------------
    def create_connection(
        self,
        address: Tuple[str, int],
        timeout: Optional[float],
        ssl_context: Optional[ssl.SSLContext] = None,
        server_hostname: Optional[str] = None,
    ) -> "socket.socket | ThreadTlsStream":
        """Connected blocking TCP socket with TCP_NODELAY (and SO_KEEPALIVE).

        With ``ssl_context``, the TLS handshake follows within the same ``timeout`` and a
        :class:`~hzgreen.handlers.tls.ThreadTlsStream` is returned; a failed handshake
        raises :class:`~hzgreen.exceptions.TlsHandshakeError`.
        """
        host, port = address[0], address[1]
        remaining = utils.time_left(timeout, time.monotonic)
        candidates = utils.resolve_stream(socket, host, port)
        sock = utils.connect_tcp(socket, candidates, timeout, time.monotonic)
        if ssl_context is None:
            return sock
        return start_tls_blocking(sock, ssl_context, server_hostname, (host, port), timeout, remaining)

    def socketpair(self) -> Tuple[socket.socket, socket.socket]:
        """``socket.socketpair()`` (blocking sockets)."""
        return socket.socketpair()

    def select(
        self, rlist: Sequence[Any], wlist: Sequence[Any], xlist: Sequence[Any], timeout: Optional[float] = None
    ) -> utils.Selected:
        """``select.select`` semantics over ``poll`` (no 1024-descriptor limit)."""
        return utils.poll_select(rlist, wlist, xlist, timeout)
