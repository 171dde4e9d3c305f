"""The cooperative handler: :class:`SequentialGeventHandler`.

Everything runs in greenlets of the thread that uses the handler:

* it never monkey-patches: sockets come from ``gevent.socket``, waiting from
  ``gevent.select``, ``gevent.event``, ``gevent.lock`` and ``gevent.queue``;
* it starts no OS thread.  The one exception is name resolution: a host that is not a
  literal IP address nor ``localhost`` is resolved with ``gevent.socket.getaddrinfo``,
  i.e. gevent's configured resolver, and gevent's default ("thread") resolver runs in
  gevent's thread pool.  Use IP addresses, or ``GEVENT_RESOLVER=ares``/``dnspython``,
  when no thread may ever start;
* user callbacks run one at a time on a dedicated callback-worker greenlet;
* ``call_later`` functions run in the hub (a libev/libuv timer): they must not block.

Handler objects (and their async results) belong to one thread's hub: resolve results
and dispatch callbacks from greenlets of that thread only.

:class:`AsyncResult` never touches the hub unless a greenlet actually waits: ``set``
is then a few attribute writes; waiters are woken by one hub callback per result.
"""

from __future__ import annotations

import queue as _queue
import socket as _stdsocket
import ssl
import time
import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

import gevent
import gevent.event
import gevent.lock
import gevent.queue
import gevent.select
import gevent.socket
from gevent.hub import Waiter, get_hub, getcurrent
from zope.interface import implementer  # type: ignore[import-untyped]  # zope.interface ships no type information

from hzgreen.exceptions import HzTimeoutError
from hzgreen.handlers import utils
from hzgreen.handlers.gevent_stream import GreenStream
from hzgreen.handlers.gevent_tls import GreenTlsStream, start_tls_cooperative
from hzgreen.handlers.utils import AsyncResultBase, log
from hzgreen.interfaces import IAsyncResult, IHandler

if TYPE_CHECKING:
    from gevent._types import _Loop, _TimerWatcher, _Watcher  # stub-only module
    from greenlet import greenlet

    from hzgreen.handler_types import AsyncResult as AsyncResultType
    from hzgreen.handler_types import Event

T = TypeVar("T")

__all__ = ["SequentialGeventHandler", "AsyncResult"]

_STOP = object()


def _wake_waiters(waiters: List["Waiter[bool]"]) -> None:
    """Hub callback: resume every greenlet blocked on a result that just resolved."""
    for waiter in waiters:
        waiter.switch(True)


@implementer(IAsyncResult)
class AsyncResult(AsyncResultBase[T]):
    """Greenlet async result (see :class:`hzgreen.interfaces.IAsyncResult`).

    A blocked ``get``/``wait`` parks its greenlet on a ``gevent.hub.Waiter`` (plus a
    hub timer when a timeout is given); only that greenlet waits.  Greenlets run one at
    a time, so resolution needs no lock.
    """

    __slots__ = ()

    _waiters: Optional[List["Waiter[bool]"]]

    def _resolve(self, state: int, value: Optional[T], exception: Optional[BaseException]) -> bool:
        if self._state:
            return False
        self.value = value
        self.exception = exception
        self._state = state
        waiters = self._waiters
        if waiters is not None:
            self._waiters = None
            if waiters:
                waiters[0].hub.loop.run_callback(_wake_waiters, waiters)
        callbacks = self._callbacks
        if callbacks is not None:
            self._callbacks = None
            dispatch = self._handler.dispatch_callback
            for callback in callbacks:
                dispatch(callback, self)
        return True

    def _block(self, timeout: Optional[float]) -> None:
        hub = get_hub()
        waiter: "Waiter[bool]" = Waiter(hub)
        if self._waiters is None:
            self._waiters = [waiter]
        else:
            self._waiters.append(waiter)
        timer = None
        try:
            if timeout is not None:
                timer = hub.loop.timer(max(timeout, 0.0))
                timer.start(waiter.switch, False, update=True)
            waiter.get()
        finally:
            if timer is not None:
                timer.close()
            waiters = self._waiters
            if waiters is not None:
                try:
                    waiters.remove(waiter)
                except ValueError:
                    pass

    def rawlink(self, callback: Callable[["AsyncResultType[T]"], Any]) -> None:
        """Run ``callback(self)`` on the callback worker once resolved; returns None."""
        if self._state:
            self._handler.dispatch_callback(callback, self)
        elif self._callbacks is None:
            self._callbacks = [callback]
        else:
            self._callbacks.append(callback)

    def unlink(self, callback: Callable[["AsyncResultType[T]"], Any]) -> None:
        """Forget a callback that has not been dispatched yet; returns None."""
        callbacks = self._callbacks
        if callbacks:
            try:
                callbacks.remove(callback)
            except ValueError:
                pass


class _Lock(gevent.lock.BoundedSemaphore):
    """Non-reentrant greenlet lock with ``threading.Lock``'s ``timeout=-1`` convention.

    (gevent's own semaphores read a negative timeout as "do not wait".)  Releasing an
    unlocked lock raises ``ValueError``.
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(1)

    def acquire(self, blocking: bool = True, timeout: Optional[float] = -1) -> bool:
        """True once acquired; False if not free at once (``blocking=False``) or within ``timeout``."""
        if timeout is not None and timeout < 0:
            timeout = None
        return gevent.lock.BoundedSemaphore.acquire(self, blocking, timeout)


class _RLock:
    """Reentrant greenlet lock with ``threading.RLock``'s ``timeout=-1`` convention.

    The owner and the depth are kept here and the waiting is left to a gevent semaphore
    (compiled), so ``with lock:`` costs one Python call on entry and one on exit (gevent's
    own RLock makes two of each). Releasing a lock the current greenlet does not hold
    raises ``RuntimeError``.
    """

    __slots__ = ("_block", "_owner", "_depth")

    def __init__(self) -> None:
        self._block = gevent.lock.Semaphore(1)
        self._owner: Optional["greenlet"] = None
        self._depth = 0

    def acquire(self, blocking: bool = True, timeout: Optional[float] = -1) -> bool:
        """True once acquired (or already owned); False if not free at once (``blocking=False``) or within ``timeout``.

        Also the lock's ``__enter__`` (no arguments: wait as long as it takes), so entering a
        ``with`` block is one call.
        """
        me = getcurrent()
        if self._owner is me:
            self._depth += 1
            return True
        if timeout is not None and timeout < 0:
            timeout = None
        if not self._block.acquire(blocking, timeout):
            return False
        self._owner = me
        self._depth = 1
        return True

    __enter__ = acquire

    def release(self, *exc_info: object) -> None:
        """Release one level; the last one frees the lock. Raises RuntimeError if not held by this greenlet.

        Also the lock's ``__exit__`` (which passes the exception, ignored), so leaving a
        ``with`` block is one call.
        """
        if self._owner is not getcurrent():
            raise RuntimeError("cannot release a lock this greenlet does not hold")
        self._depth -= 1
        if not self._depth:
            self._owner = None
            self._block.release()

    __exit__ = release

    def locked(self) -> bool:
        """Whether some greenlet holds the lock."""
        return self._depth > 0


class _Task(gevent.Greenlet):  # type: ignore[type-arg]
    """A greenlet running the client's own work, spawned without recording where.

    gevent records the spawning stack of every greenlet (``spawning_stack_limit``, 10
    frames with their line numbers) for its debugging tools; computing those line numbers
    costs more than the rest of a spawn. The client's tasks are always spawned from the
    same few places, so that record would say nothing: it is switched off for them only,
    and the application's own greenlets keep it.
    """

    spawning_stack_limit = 0


class _TimerHandle:
    """Handle of one :meth:`SequentialGeventHandler.call_later` entry (a hub timer)."""

    __slots__ = ("_timer", "_func", "_args")

    def __init__(self, loop: "_Loop", delay: float, func: Callable[..., Any], args: Tuple[Any, ...]) -> None:
        self._func: Optional[Callable[..., Any]] = func  # None once fired or cancelled
        self._args: Optional[Tuple[Any, ...]] = args
        timer = loop.timer(max(delay, 0.0))
        self._timer: Optional["_TimerWatcher"] = timer
        timer.start(self._fire, update=True)

    def _fire(self) -> None:
        func, args, timer = self._func, self._args, self._timer
        self._func = self._args = self._timer = None
        if timer is not None:
            timer.close()
        if func is not None and args is not None:
            utils.run_logged(func, args, None)

    def cancel(self) -> bool:
        """Prevent the call if it has not run yet; True if this call cancelled it."""
        timer = self._timer
        if timer is None:
            return False
        self._func = self._args = self._timer = None
        timer.close()
        return True


_IDENTITY_ATTR = "_hzgreen_identity"
# For greenlet types that refuse new attributes (none of gevent's or greenlet's do).
_fallback_identities: "weakref.WeakKeyDictionary[greenlet, int]" = weakref.WeakKeyDictionary()


def _assign_identity(current: "greenlet") -> int:
    known = _fallback_identities.get(current)
    if known is not None:
        return known
    identity = utils.next_identity()
    try:
        setattr(current, _IDENTITY_ATTR, identity)
    except (AttributeError, TypeError):
        _fallback_identities[current] = identity
    return identity


@implementer(IHandler)
class SequentialGeventHandler:
    """Handler running user callbacks on one worker greenlet; see :mod:`hzgreen.interfaces`.

    ``get()`` on an async result may be called from the callback worker (it yields to
    other greenlets); it only deadlocks when the result can only be resolved by a
    callback queued *behind* the caller.  Blocking calls are not allowed in the hub
    itself, i.e. inside ``call_later`` functions.
    """

    name = "sequential_gevent"
    io_style = "tasks"
    timeout_exception = HzTimeoutError
    queue_empty = _queue.Empty  # gevent.queue raises the stdlib class

    def __init__(self) -> None:
        self._callbacks: "gevent.queue.Queue[Tuple[Any, Any, Optional[Dict[str, Any]]]]" = gevent.queue.Queue()
        self._worker: Optional["gevent.Greenlet[[], None]"] = None
        self.running = False

    def __repr__(self) -> str:
        return "<%s running=%s>" % (type(self).__name__, self.running)

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        """Spawn the callback worker greenlet (idempotent)."""
        if self.running:
            return
        self.running = True
        worker = self._worker
        if worker is None or worker.dead:
            self._worker = _Task.spawn(self._run_callbacks)
        # else: a stop() issued from the worker itself is still draining; the worker
        # sees running is True again when it reaches the stop marker.

    def stop(self) -> None:
        """Drain the queued callbacks, then end the worker greenlet."""
        if not self.running:
            return
        self.running = False
        drained = gevent.event.Event()
        self._callbacks.put((_STOP, drained, None))
        worker = self._worker
        if worker is not None and worker is not getcurrent():
            drained.wait()
            if self._worker is not worker:
                worker.join()

    def _run_callbacks(self) -> None:
        get = self._callbacks.get
        run = utils.run_logged
        while True:
            func, args, kwargs = get()
            if func is _STOP:
                exiting = not self.running
                if exiting and self._worker is getcurrent():
                    self._worker = None
                args.set()
                if exiting:
                    return
                continue
            try:
                run(func, args, kwargs)
            except gevent.GreenletExit:
                raise
            except BaseException:  # gevent.Timeout, SystemExit... from a callback
                log.exception("Exception in callback %r", func)

    def dispatch_callback(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue ``func(*args, **kwargs)`` for the callback worker greenlet."""
        self._callbacks.put((func, args, kwargs))

    def in_callback_worker(self) -> bool:
        """True when called from the callback worker greenlet."""
        worker = self._worker
        return worker is not None and worker is getcurrent()

    # -- primitives ----------------------------------------------------------------
    def event_object(self) -> "Event":
        """A ``gevent.event.Event``."""
        # gevent's stub splits wait() into two overloads (None -> True, float -> bool) that
        # together take Optional[float], which mypy does not see as one wait(Optional[float]).
        return gevent.event.Event()  # type: ignore[return-value]

    def lock_object(self) -> _Lock:
        """A non-reentrant greenlet lock (``acquire(blocking=True, timeout=-1)``)."""
        return _Lock()

    def rlock_object(self) -> _RLock:
        """A reentrant greenlet lock (``acquire(blocking=True, timeout=-1)``)."""
        return _RLock()

    def async_result(self) -> AsyncResult[Any]:
        """A new pending :class:`AsyncResult`."""
        return AsyncResult(self)

    def queue(self) -> "gevent.queue.Queue[Any]":
        """An unbounded ``gevent.queue.Queue`` (``get`` raises ``queue.Empty`` on timeout)."""
        return gevent.queue.Queue()

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> "gevent.Greenlet[..., Any]":
        """Run ``func(*args, **kwargs)`` on a new greenlet (a ``gevent.Greenlet`` with
        ``join(timeout=None)``), started once the caller yields; returns the greenlet."""
        return _Task.spawn(func, *args, **kwargs)

    def sleep_func(self, seconds: float) -> None:
        """``gevent.sleep`` (yields to other greenlets)."""
        gevent.sleep(seconds)

    monotonic = staticmethod(time.monotonic)

    def current_identity(self) -> int:
        """A positive int64 unique to the calling greenlet (never reused in the process).

        Stored on the greenlet object itself, so it survives as long as the greenlet.
        """
        current = getcurrent()
        try:
            identity: int = getattr(current, _IDENTITY_ATTR)
            return identity
        except AttributeError:
            return _assign_identity(current)

    def call_later(self, delay: float, func: Callable[..., Any], *args: Any) -> _TimerHandle:
        """Run ``func(*args)`` in the hub after ``delay`` seconds (hub timer).

        ``func`` must be short and must not block or switch greenlets (it runs in the
        hub); exceptions are logged.  Fires whether or not the handler is running.
        """
        return _TimerHandle(get_hub().loop, delay, func, args)

    def run_soon(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` in the hub once the calling greenlet yields (must not block)."""
        get_hub().loop.run_callback(utils.run_logged, func, args, None)

    # -- I/O -------------------------------------------------------------------------
    def create_connection(
        self,
        address: Tuple[str, int],
        timeout: Optional[float],
        ssl_context: Optional[ssl.SSLContext] = None,
        server_hostname: Optional[str] = None,
    ) -> "GreenStream | GreenTlsStream":
        """Connected TCP stream (TCP_NODELAY, SO_KEEPALIVE) blocking only the calling greenlet.

        The connect itself goes through ``gevent.socket``; the connected descriptor is
        then served by a :class:`GreenStream`, which spends fewer system calls per
        request than a ``gevent.socket``. With ``ssl_context``, a cooperative TLS
        handshake follows within the same ``timeout`` and a
        :class:`~hzgreen.handlers.gevent_tls.GreenTlsStream` is returned; a failed
        handshake raises :class:`~hzgreen.exceptions.TlsHandshakeError`.
        """
        host, port = address[0], address[1]
        remaining = utils.time_left(timeout, time.monotonic)
        candidates = utils.resolve_stream(gevent.socket, host, port)
        connected = utils.connect_tcp(gevent.socket, candidates, timeout, time.monotonic)
        family, kind, proto = connected.family, connected.type, connected.proto
        plain = _stdsocket.socket(family, kind, proto, fileno=connected.detach())
        if ssl_context is None:
            return GreenStream(plain)
        return start_tls_cooperative(plain, ssl_context, server_hostname, (host, port), timeout, remaining)

    def socketpair(self) -> Tuple[_stdsocket.socket, _stdsocket.socket]:
        """``gevent.socket.socketpair()`` (blocking, cooperative sockets)."""
        return gevent.socket.socketpair()

    def select(
        self, rlist: Sequence[Any], wlist: Sequence[Any], xlist: Sequence[Any], timeout: Optional[float] = None
    ) -> utils.Selected:
        """Cooperative ``select.select``: only the calling greenlet waits; no fd limit.

        A non-blocking ``poll`` answers at once when something is ready (the common
        case for an I/O loop).  Otherwise the greenlet parks on hub I/O watchers (and a
        timer) and polls again when one fires.  ``gevent.select.select`` is not used: it
        pre-checks with ``select()`` and so fails above descriptor 1023.  libev/libuv
        cannot watch out-of-band data: objects only in ``xlist`` are reported when a
        re-poll triggered by another event or the timeout finds them ready.
        """
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be non-negative")
        ready = utils.poll_select(rlist, wlist, xlist, 0)
        if ready[0] or ready[1] or ready[2] or timeout == 0:
            return ready
        flags: Dict[int, int] = {}
        for objs, flag in ((rlist, _EV_READ), (wlist, _EV_WRITE)):
            for obj in objs:
                fd = utils.fd_of(obj)
                flags[fd] = flags.get(fd, 0) | flag
        hub = get_hub()
        loop = hub.loop
        waiter: "Waiter[None]" = Waiter(hub)
        deadline = None if timeout is None else time.monotonic() + timeout
        watchers: List["_Watcher"] = []
        try:
            for fd, flag in flags.items():
                io_watcher = loop.io(fd, flag)
                watchers.append(io_watcher)
                io_watcher.start(waiter.switch, None)
            if timeout is not None:
                timer = loop.timer(timeout)
                watchers.append(timer)
                timer.start(waiter.switch, None, update=True)
            while True:
                waiter.get()
                waiter.clear()
                ready = utils.poll_select(rlist, wlist, xlist, 0)
                if ready[0] or ready[1] or ready[2]:
                    return ready
                if deadline is not None and time.monotonic() >= deadline:
                    return ready
        finally:
            for watcher in watchers:
                watcher.stop()
                watcher.close()


_EV_READ = 1  # libev/libuv READ flag as gevent's loop.io expects it
_EV_WRITE = 2  # WRITE flag
