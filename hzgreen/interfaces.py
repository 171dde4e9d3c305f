"""The handler interfaces every concurrency back end of hzgreen implements.

hzgreen never imports ``threading``, ``socket``, ``select`` or ``gevent`` outside
``hzgreen/handlers/``: the runtime asks a *handler* for every primitive it needs
(sockets, select, events, locks, async results, spawning, timers and the sequential
callback worker).  Two handlers ship, one per model:

* :class:`hzgreen.handlers.threading.SequentialThreadingHandler` (OS threads),
* :class:`hzgreen.handlers.gevent.SequentialGeventHandler` (greenlets, never
  monkey-patches, starts no OS thread).

Both are checked against these interfaces with ``zope.interface.verify.verifyObject``,
so a third-party handler only has to provide the members declared here.
"""

# mypy: disable-error-code="misc, no-untyped-def"
# These are zope.interface declarations, not functions: zope wants methods without
# ``self`` and unannotated, and ships no type information, so each class subclasses an
# untyped base and each method lacks ``self`` ([misc]) and annotations ([no-untyped-def]).
# mypy checks the same contract through the Protocols of hzgreen.handler_types.

from __future__ import annotations

from zope.interface import Attribute, Interface  # type: ignore[import-untyped]  # no type information

__all__ = ["IHandler", "IAsyncResult"]


class IHandler(Interface):
    """A concurrency back end: the one place where threads, greenlets and sockets live.

    User code (state listeners, entry events, async-result callbacks, watch functions)
    never runs on the client's I/O loop: it is handed to :meth:`dispatch_callback` and
    run, one call at a time, by the handler's single *sequential callback worker*.
    A callback may therefore block or call the client without deadlocking it.
    """

    name = Attribute("Short name of the handler, e.g. 'sequential_threading' or 'sequential_gevent'.")
    timeout_exception = Attribute(
        "The exception class raised on timeouts: hzgreen.exceptions.HzTimeoutError for every handler."
    )
    queue_empty = Attribute(
        "The exception class :meth:`queue` objects raise from a "
        "``get`` that timed out (``queue.Empty`` for both shipped "
        "handlers)."
    )
    running = Attribute("True between :meth:`start` and :meth:`stop`.")
    io_style = Attribute(
        "How the client should read its connections with this handler: 'select' = one "
        "task polls every socket with :meth:`select` (cheap when a task is an OS thread); "
        "'tasks' = one :meth:`spawn`-ed reader per connection blocking in ``recv``, the "
        "handler's event hub being the single loop that multiplexes them (cheap when a "
        "task is a greenlet)."
    )

    def start():
        """Start the sequential callback worker (and any timer machinery).

        Idempotent: starting a running handler does nothing.
        """

    def stop():
        """Stop the callback worker after it has run every callback queued so far.

        Idempotent.  Callbacks dispatched while the handler is stopped stay queued
        and run after the next :meth:`start`.  May be called from a callback (it then
        returns at once and the worker ends after draining the queue).
        """

    def dispatch_callback(func, *args, **kwargs):
        """Queue ``func(*args, **kwargs)`` for the sequential callback worker.

        Calls run one at a time in FIFO order.  An exception raised by ``func`` is
        logged on the ``hzgreen.handlers`` logger and never stops the worker.
        Safe to call from any thread (threading) / any greenlet (gevent).
        """

    def in_callback_worker():
        """Return True when called from the sequential callback worker."""

    def event_object():
        """Return a new event: ``set()``, ``clear()``, ``is_set()``, ``wait(timeout=None) -> bool``."""

    def lock_object():
        """Return a new non-reentrant lock.

        It is a context manager with ``acquire(blocking=True, timeout=-1) -> bool`` and
        ``release()``; a negative timeout means "wait forever", like ``threading.Lock``.
        """

    def rlock_object():
        """Return a new reentrant lock (same API as :meth:`lock_object`)."""

    def async_result():
        """Return a new pending :class:`IAsyncResult` bound to this handler."""

    def queue():
        """Return a new unbounded FIFO queue.

        It has ``put(item)``, ``get(block=True, timeout=None)`` and ``qsize()``; ``get``
        raises :attr:`queue_empty` when nothing arrived in time (or at once with
        ``block=False``).
        """

    def spawn(func, *args, **kwargs):
        """Run ``func(*args, **kwargs)`` concurrently; return a handle with ``join(timeout=None)``.

        A daemon thread under threading, a greenlet under gevent.
        """

    def sleep_func(seconds):
        """Sleep (cooperatively under gevent) for ``seconds``."""

    def monotonic():
        """Return a monotonic clock reading in seconds (float)."""

    def create_connection(address, timeout, ssl_context=None, server_hostname=None):
        """Open a TCP connection to ``address`` = ``(host, port)``.

        The returned socket has TCP_NODELAY set and is in *blocking* mode
        (``settimeout(None)``) once connected; ``timeout`` (seconds or None) bounds the
        connect only.  A handler may return a socket-like stream instead of a socket
        (gevent: :class:`hzgreen.handlers.gevent_stream.GreenStream`, which adds
        ``send_nowait``).  Numeric IPv4/IPv6 hosts are used directly, without the resolver.
        Failures raise ``OSError`` subclasses; a connect timeout raises
        ``socket.timeout`` (an ``OSError``).  With an ``ssl.SSLContext`` as
        ``ssl_context``, the TLS handshake (verifying the peer against
        ``server_hostname`` when given) completes within the same ``timeout`` and a TLS
        stream is returned; a failed or timed-out handshake raises
        :class:`hzgreen.exceptions.TlsHandshakeError`.
        """

    def socketpair():
        """Return a connected socket pair ``(a, b)`` usable with :meth:`select`.

        Meant to wake an I/O loop blocked in :meth:`select` from another
        thread/greenlet.  Both sockets are in blocking mode.
        """

    def select(rlist, wlist, xlist, timeout):
        """Wait until objects (with ``fileno()``, or int fds) are ready; like ``select.select``.

        Returns ``(readable, writable, exceptional)`` lists.  ``timeout`` is seconds or
        None to wait forever.  No FD_SETSIZE (1024) limit.
        """

    def current_identity():
        """Return a positive int64 identifying the calling thread (threading) or greenlet (gevent).

        Stable for the caller's lifetime and never reused by a later thread/greenlet of
        the process; used as the owner id of CP and map locks.
        """

    def call_later(delay, func, *args):
        """Run ``func(*args)`` after ``delay`` seconds; return a handle with ``cancel()``.

        ``func`` runs on the handler's timer thread (threading) or in the gevent hub
        (gevent): it must be short and must never block (no waiting on results, no
        I/O).  Use it to fail expired invocations or wake loops, nothing more.
        Exceptions are logged.  ``cancel()`` prevents a call that has not started yet.
        """

    def run_soon(func, *args):
        """Run ``func(*args)`` as soon as possible, but never inside the caller.

        Same rules as :meth:`call_later` (short, never blocks).  Under gevent it runs in
        the hub once the calling greenlet yields: the client queues its writes and
        flushes them from there, so every request of one loop iteration goes out in one
        ``send``.
        """


class IAsyncResult(Interface):
    """The pending outcome of one asynchronous operation.

    Combines Kazoo's names (``set``, ``set_exception``, ``get``, ``rawlink``...) with
    ``concurrent.futures``/official-client ones (``result``, ``done``,
    ``add_done_callback``).  Only the first ``set``/``set_exception`` takes effect.
    Callbacks always run on the handler's sequential callback worker, never on the
    thread or greenlet that resolved the result.
    """

    value = Attribute("The value once successfully resolved, else None.")
    exception = Attribute("The exception once failed, else None.")

    def ready():
        """Return True once the result holds a value or an exception."""

    def done():
        """Alias of :meth:`ready` (``concurrent.futures`` name)."""

    def successful():
        """Return True when the result is ready and holds a value (not an exception)."""

    def set(value=None):
        """Resolve with ``value``; return True if this call took effect (first resolution wins).

        Callable from any thread (threading) / any greenlet (gevent).
        """

    def set_exception(exception):
        """Resolve with ``exception``; return True if this call took effect."""

    def get(block=True, timeout=None):
        """Return the value or raise the exception.

        Raises ``HzTimeoutError`` when the result is not ready within ``timeout``
        seconds (None waits forever), or at once when ``block`` is False and the
        result is not ready.  Under gevent only the calling greenlet waits.
        """

    def get_nowait():
        """Same as ``get(block=False)``."""

    def result(timeout=None):
        """Same as ``get(True, timeout)``."""

    def wait(timeout=None):
        """Wait until ready or ``timeout`` elapsed; return :meth:`ready`."""

    def rawlink(callback):
        """Call ``callback(self)`` on the callback worker once ready.

        Queued at once when the result is already ready.  Callbacks of one result
        are dispatched in the order they were linked.
        """

    def unlink(callback):
        """Remove a callback linked with :meth:`rawlink` that has not been dispatched."""

    def add_done_callback(fn):
        """Alias of :meth:`rawlink` (``concurrent.futures`` name)."""
