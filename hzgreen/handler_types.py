"""Static types of the handler contract, for annotations and mypy.

:mod:`hzgreen.interfaces` declares the contract as zope interfaces, which
``verifyObject`` checks at run time when a client is built; zope interfaces are not
types mypy understands. The :class:`typing.Protocol` classes here describe the same
members structurally, so ``handler: Handler`` and ``result: AsyncResult[int]`` are
checked statically. ``tests/unit/client/test_typing.py`` keeps the two in step.
"""

from __future__ import annotations

import ssl
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ContextManager,
    Generic,
    List,
    Optional,
    Protocol,
    Sequence,
    Tuple,
    Type,
    TypeVar,
)

if TYPE_CHECKING:
    from hzgreen.exceptions import HzTimeoutError

T = TypeVar("T")


class Event(Protocol):
    """What ``handler.event_object()`` returns."""

    def set(self) -> None:
        """Sets the flag and wakes every waiter; returns None."""

    def clear(self) -> None:
        """Clears the flag; returns None."""

    def is_set(self) -> bool:
        """Returns whether the flag is set."""

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Waits until the flag is set or ``timeout`` seconds pass (None: forever); returns whether it is
        set."""


class Lock(ContextManager[object], Protocol):
    """What ``handler.lock_object()`` and ``handler.rlock_object()`` return.

    ``with lock:`` and ``release()`` return nothing callers use (gevent's differ from
    threading's there).
    """

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Takes the lock, waiting at most ``timeout`` seconds (negative: forever) when ``blocking``;
        returns whether it was taken."""

    def release(self) -> object:
        """Releases the lock; the returned value is not meant to be used. Raises RuntimeError when the
        caller does not hold it."""


class Queue(Protocol):
    """What ``handler.queue()`` returns: an unbounded FIFO queue."""

    def put(self, item: Any) -> None:
        """Appends ``item``; returns None. Never blocks (the queue is unbounded)."""

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        """Removes and returns the oldest item, waiting at most ``timeout`` seconds when ``block``. Raises
        the handler's ``queue_empty`` exception when none comes."""

    def qsize(self) -> int:
        """Returns the number of items queued."""


class TaskHandle(Protocol):
    """What ``handler.spawn`` returns."""

    def join(self, timeout: Optional[float] = None) -> Any:
        """Waits until the task ends or ``timeout`` seconds pass (None: forever); the returned value is not
        meant to be used."""


class TimerHandle(Protocol):
    """What ``handler.call_later`` returns."""

    def cancel(self) -> Any:
        """Cancels the call if it has not run yet; the returned value is not meant to be used."""


class AsyncResult(Protocol, Generic[T]):
    """The pending outcome of one asynchronous operation (``hzgreen.interfaces.IAsyncResult``)."""

    value: Optional[T]
    exception: Optional[BaseException]

    def ready(self) -> bool:
        """Return True once the result holds a value or an exception."""

    def done(self) -> bool:
        """Alias of :meth:`ready` (``concurrent.futures`` name)."""

    def successful(self) -> bool:
        """Return True when the result is ready and holds a value (not an exception)."""

    def set(self, value: T = ...) -> bool:
        """Resolve with ``value``; return True if this call took effect (first resolution wins). Callable
        from any thread (threading) / any greenlet (gevent)."""

    def set_exception(self, exception: BaseException) -> bool:
        """Resolve with ``exception``; return True if this call took effect."""

    def get(self, block: bool = True, timeout: Optional[float] = None) -> T:
        """Return the value or raise the exception. Raises ``HzTimeoutError`` when the result is not ready
        within ``timeout`` seconds (None waits forever), or at once when ``block`` is False and the
        result is not ready. Under gevent only the calling greenlet waits."""

    def get_nowait(self) -> T:
        """Same as ``get(block=False)``."""

    def result(self, timeout: Optional[float] = None) -> T:
        """Same as ``get(True, timeout)``."""

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until ready or ``timeout`` elapsed; return :meth:`ready`."""

    def rawlink(self, callback: Callable[["AsyncResult[T]"], Any]) -> None:
        """Call ``callback(self)`` on the callback worker once ready. Queued at once when the result is
        already ready. Callbacks of one result are dispatched in the order they were linked."""

    def unlink(self, callback: Callable[["AsyncResult[T]"], Any]) -> None:
        """Remove a callback linked with :meth:`rawlink` that has not been dispatched."""

    def add_done_callback(self, fn: Callable[["AsyncResult[T]"], Any]) -> None:
        """Alias of :meth:`rawlink` (``concurrent.futures`` name)."""


class Handler(Protocol):
    """A concurrency back end (``hzgreen.interfaces.IHandler``).

    Its attributes are read-only here: a handler sets them, its users only read them.
    """

    @property
    def name(self) -> str:
        """Short name of the handler, e.g. 'sequential_threading' or 'sequential_gevent'."""

    @property
    def timeout_exception(self) -> Type["HzTimeoutError"]:
        """The exception class raised on timeouts: hzgreen.exceptions.HzTimeoutError for every handler."""

    @property
    def queue_empty(self) -> Type[Exception]:
        """The exception class :meth:`queue` objects raise from a ``get`` that timed out (``queue.Empty``
        for both shipped handlers)."""

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""

    @property
    def io_style(self) -> str:
        """How the client should read its connections with this handler: 'select' = one task polls every
        socket with :meth:`select` (cheap when a task is an OS thread); 'tasks' = one :meth:`spawn`-ed
        reader per connection blocking in ``recv``, the handler's event hub being the single loop that
        multiplexes them (cheap when a task is a greenlet)."""

    def start(self) -> None:
        """Start the sequential callback worker (and any timer machinery). Idempotent: starting a running
        handler does nothing."""

    def stop(self) -> None:
        """Stop the callback worker after it has run every callback queued so far. Idempotent. Callbacks
        dispatched while the handler is stopped stay queued and run after the next :meth:`start`. May be
        called from a callback (it then returns at once and the worker ends after draining the queue)."""

    def dispatch_callback(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue ``func(*args, **kwargs)`` for the sequential callback worker. Calls run one at a time in
        FIFO order. An exception raised by ``func`` is logged on the ``hzgreen.handlers`` logger and
        never stops the worker. Safe to call from any thread (threading) / any greenlet (gevent)."""

    def in_callback_worker(self) -> bool:
        """Return True when called from the sequential callback worker."""

    def event_object(self) -> Event:
        """Return a new event: ``set()``, ``clear()``, ``is_set()``, ``wait(timeout=None) -> bool``."""

    def lock_object(self) -> Lock:
        """Return a new non-reentrant lock. It is a context manager with ``acquire(blocking=True,
        timeout=-1) -> bool`` and ``release()``; a negative timeout means "wait forever", like
        ``threading.Lock``."""

    def rlock_object(self) -> Lock:
        """Return a new reentrant lock (same API as :meth:`lock_object`)."""

    def async_result(self) -> AsyncResult[Any]:
        """Return a new pending :class:`IAsyncResult` bound to this handler."""

    def queue(self) -> Queue:
        """Return a new unbounded FIFO queue. It has ``put(item)``, ``get(block=True, timeout=None)`` and
        ``qsize()``; ``get`` raises :attr:`queue_empty` when nothing arrived in time (or at once with
        ``block=False``)."""

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> TaskHandle:
        """Run ``func(*args, **kwargs)`` concurrently; return a handle with ``join(timeout=None)``. A
        daemon thread under threading, a greenlet under gevent."""

    def sleep_func(self, seconds: float) -> None:
        """Sleep (cooperatively under gevent) for ``seconds``."""

    def monotonic(self) -> float:
        """Return a monotonic clock reading in seconds (float)."""

    def create_connection(
        self,
        address: Tuple[str, int],
        timeout: Optional[float],
        ssl_context: Optional[ssl.SSLContext] = None,
        server_hostname: Optional[str] = None,
    ) -> Any:
        """Open a TCP connection to ``address`` = ``(host, port)``. The returned socket has TCP_NODELAY set
        and is in *blocking* mode (``settimeout(None)``) once connected; ``timeout`` (seconds or None)
        bounds the connect only. A handler may return a socket-like stream instead of a socket (gevent:
        :class:`hzgreen.handlers.gevent_stream.GreenStream`, which adds ``send_nowait``). Numeric
        IPv4/IPv6 hosts are used directly, without the resolver. Failures raise ``OSError`` subclasses;
        a connect timeout raises ``socket.timeout`` (an ``OSError``). With an ``ssl.SSLContext`` as
        ``ssl_context``, the TLS handshake (verifying the peer against ``server_hostname`` when given)
        completes within the same ``timeout`` and a TLS stream is returned; a failed or timed-out
        handshake raises :class:`hzgreen.exceptions.TlsHandshakeError`."""

    def socketpair(self) -> Tuple[Any, Any]:
        """Return a connected socket pair ``(a, b)`` usable with :meth:`select`. Meant to wake an I/O loop
        blocked in :meth:`select` from another thread/greenlet. Both sockets are in blocking mode."""

    def select(
        self, rlist: Sequence[Any], wlist: Sequence[Any], xlist: Sequence[Any], timeout: Optional[float]
    ) -> Tuple[List[Any], List[Any], List[Any]]:
        """Wait until objects (with ``fileno()``, or int fds) are ready; like ``select.select``. Returns
        ``(readable, writable, exceptional)`` lists. ``timeout`` is seconds or None to wait forever. No
        FD_SETSIZE (1024) limit."""

    def current_identity(self) -> int:
        """Return a positive int64 identifying the calling thread (threading) or greenlet (gevent). Stable
        for the caller's lifetime and never reused by a later thread/greenlet of the process; used as
        the owner id of CP and map locks."""

    def call_later(self, delay: float, func: Callable[..., Any], *args: Any) -> TimerHandle:
        """Run ``func(*args)`` after ``delay`` seconds; return a handle with ``cancel()``. ``func`` runs on
        the handler's timer thread (threading) or in the gevent hub (gevent): it must be short and must
        never block (no waiting on results, no I/O). Use it to fail expired invocations or wake loops,
        nothing more. Exceptions are logged. ``cancel()`` prevents a call that has not started yet."""

    def run_soon(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` as soon as possible, but never inside the caller. Same rules as
        :meth:`call_later` (short, never blocks). Under gevent it runs in the hub once the calling
        greenlet yields: the client queues its writes and flushes them from there, so every request of
        one loop iteration goes out in one ``send``."""
