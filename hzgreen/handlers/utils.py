"""Pieces shared by the threading and gevent handlers.

* :func:`run_logged` runs a user callback and logs (never propagates) its failure;
* :func:`next_identity` hands out process-unique caller identities;
* :class:`AsyncResultBase` holds the handler-independent half of an async result
  (state, value, the read-only API); each handler adds resolution and blocking;
* :func:`connect_tcp` opens a TCP connection with a given socket module (the stdlib
  one or ``gevent.socket``), skipping the resolver for numeric hosts;
* :func:`poll_select` is ``select.select`` over ``select.poll`` (no FD_SETSIZE limit);
  with a zero timeout it never blocks, so the gevent handler uses it too.

Nothing here blocks or starts threads by itself, so the gevent handler can use it.
"""

from __future__ import annotations

import itertools
import logging
import select
import socket as _stdsocket
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, List, Optional, Protocol, Sequence, Tuple, TypeVar

from hzgreen.exceptions import HzTimeoutError

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

    from hzgreen.handler_types import AsyncResult, Handler

T = TypeVar("T")

#: A socket address as ``socket.connect`` takes it: ``(host, port)`` for IPv4,
#: ``(host, port, flowinfo, scope_id)`` for IPv6 (the socket module's own type is this loose).
SockAddr = Tuple[Any, ...]

#: What :func:`poll_select` and the handlers' ``select`` return: readable, writable and
#: exceptional objects.
Selected = Tuple[List[Any], List[Any], List[Any]]


class SocketModule(Protocol):
    """What :func:`resolve_stream` and :func:`connect_tcp` use of a socket module: the
    stdlib ``socket`` or ``gevent.socket``."""

    @property
    def socket(self) -> Callable[[int, int], _stdsocket.socket]: ...

    def getaddrinfo(
        self, host: str, port: int, family: int = ..., type: int = ..., proto: int = ..., flags: int = ...
    ) -> Sequence[Tuple[int, int, int, str, SockAddr]]: ...


log = logging.getLogger("hzgreen.handlers")

#: Result states.  0 is falsy so ``if not self._state`` means "pending".
PENDING = 0
SUCCEEDED = 1
FAILED = 2

#: Largest positive int64: identities must fit the protocol's ``long`` thread id.
_INT64_MAX = (1 << 63) - 1

# ``next()`` on an itertools.count is atomic under the GIL, so threads may share it.
_identities = itertools.count(1)


def next_identity() -> int:
    """Return a new positive int64 never handed out before in this process.

    Used instead of ``threading.get_ident()`` / ``id(greenlet)``: both are reused as soon
    as a thread or greenlet dies, so a newcomer could appear to own a CP lock its dead
    predecessor held.  A counter cannot collide.
    """
    value = next(_identities)
    if value > _INT64_MAX:  # pragma: no cover - needs 2**63 threads
        raise OverflowError("identity counter exhausted")
    return value


def run_logged(func: Callable[..., Any], args: Tuple[Any, ...], kwargs: Optional[Dict[str, Any]]) -> None:
    """Call ``func(*args, **kwargs)``; log any exception instead of raising it.

    The callback worker and the timers use this so that one faulty user callback never
    ends the worker nor hides later callbacks.
    """
    try:
        if kwargs:
            func(*args, **kwargs)
        else:
            func(*args)
    except Exception:
        log.exception("Exception in callback %r", func)


def coerce_exception(exception: object) -> BaseException:
    """Accept an exception instance or class for ``set_exception``; return the instance.

    Raises TypeError for anything else.
    """
    if isinstance(exception, BaseException):
        return exception
    if isinstance(exception, type) and issubclass(exception, BaseException):
        return exception()
    raise TypeError("set_exception() needs an exception, got %r" % (exception,))


class AsyncResultBase(Generic[T]):
    """State and read-only API common to both async result implementations.

    Subclasses provide ``_resolve(state, value, exception) -> bool`` (resolve once, wake
    waiters, dispatch callbacks), ``rawlink``, ``unlink`` and ``_block(timeout)`` (wait
    until resolved or ``timeout`` elapsed, with no result); they may override ``set`` with
    an inlined copy where it is hot.
    ``__slots__`` keeps the per-request cost to one small object: ``_waiters`` and
    ``_callbacks`` stay None unless someone blocks or links a callback. Each subclass
    declares the type of its ``_waiters`` (what a blocked caller parks on).
    """

    __slots__ = ("_handler", "value", "exception", "_state", "_waiters", "_callbacks")

    _handler: "Handler"
    value: Optional[T]
    exception: Optional[BaseException]
    _waiters: Optional[List[Any]]
    _callbacks: Optional[List[Callable[["AsyncResult[T]"], Any]]]

    def __init__(self, handler: "Handler") -> None:
        self._handler = handler
        self.value = None
        self.exception = None
        self._state = PENDING
        self._waiters = None
        self._callbacks = None

    def _block(self, timeout: Optional[float]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _resolve(self, state: int, value: Optional[T], exception: Optional[BaseException]) -> bool:  # pragma: no cover
        raise NotImplementedError

    def set(self, value: Optional[T] = None) -> bool:
        """Resolve with ``value``; True if this call took effect."""
        return self._resolve(SUCCEEDED, value, None)

    def set_exception(self, exception: BaseException) -> bool:
        """Resolve with ``exception``; True if this call took effect."""
        return self._resolve(FAILED, None, coerce_exception(exception))

    def ready(self) -> bool:
        """Return True once resolved (value or exception)."""
        return self._state != PENDING

    done = ready

    def successful(self) -> bool:
        """Return True when resolved with a value."""
        return self._state == SUCCEEDED

    def get(self, block: bool = True, timeout: Optional[float] = None) -> T:
        """Return the value or raise the exception; HzTimeoutError if not ready in time."""
        state = self._state
        if state == SUCCEEDED:
            return self.value  # type: ignore[return-value]  # SUCCEEDED: value is what set() was given
        if not state:
            if block and (timeout is None or timeout > 0):
                self._block(timeout)
                state = self._state
            if not state:
                raise HzTimeoutError("result not ready within %s seconds" % (timeout if block else 0))
            if state == SUCCEEDED:
                return self.value  # type: ignore[return-value]  # as above
        error = self.exception
        assert error is not None  # FAILED always stores its exception
        raise error

    def get_nowait(self) -> T:
        """Return the value or raise the exception; HzTimeoutError if still pending."""
        return self.get(False)

    def result(self, timeout: Optional[float] = None) -> T:
        """``concurrent.futures`` spelling of ``get(True, timeout)``."""
        return self.get(True, timeout)

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until resolved or ``timeout`` elapsed; return whether resolved."""
        if self._state:
            return True
        if timeout is None or timeout > 0:
            self._block(timeout)
        return self._state != PENDING

    def add_done_callback(self, fn: Callable[["AsyncResult[T]"], Any]) -> None:
        """``concurrent.futures`` spelling of ``rawlink``; returns None."""
        self.rawlink(fn)

    def rawlink(self, callback: Callable[["AsyncResult[T]"], Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        state = self._state
        if state == SUCCEEDED:
            detail = "value=%r" % (self.value,)
        elif state == FAILED:
            detail = "exception=%r" % (self.exception,)
        else:
            detail = "pending"
        return "<%s %s at %#x>" % (type(self).__name__, detail, id(self))


def _numeric_family(host: str) -> Optional[int]:
    """Return AF_INET/AF_INET6 when ``host`` is a literal address, else None (no resolver)."""
    for family in (_stdsocket.AF_INET, _stdsocket.AF_INET6):
        try:
            _stdsocket.inet_pton(family, host)
        except (OSError, ValueError):
            continue
        return family
    return None


#: What :func:`resolve_stream` raises for a name that does not resolve (a malformed
#: name fails in the idna codec before the resolver is asked).
RESOLVER_ERRORS = (_stdsocket.gaierror, UnicodeError)


def resolve_stream(sockmod: SocketModule, host: str, port: int) -> List[Tuple[int, SockAddr]]:
    """Return ``[(family, sockaddr), ...]`` to try for ``host:port``.

    Literal IPv4/IPv6 addresses are returned directly and ``localhost`` becomes
    127.0.0.1 then ::1; only real names go through ``sockmod.getaddrinfo`` (the
    stdlib resolver, or gevent's configured resolver, which for gevent's default
    "thread" resolver means gevent's thread pool).
    """
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host.lower() == "localhost":
        return [(_stdsocket.AF_INET, ("127.0.0.1", port)), (_stdsocket.AF_INET6, ("::1", port, 0, 0))]
    family = _numeric_family(host)
    if family == _stdsocket.AF_INET:
        return [(family, (host, port))]
    if family == _stdsocket.AF_INET6:
        return [(family, (host, port, 0, 0))]
    infos = sockmod.getaddrinfo(host, port, 0, _stdsocket.SOCK_STREAM)
    return [(info[0], info[4]) for info in infos]


def time_left(timeout: Optional[float], monotonic: Callable[[], float]) -> Callable[[], Optional[float]]:
    """A function returning the seconds left of ``timeout`` counted from now (None: no limit)."""
    if timeout is None:
        return lambda: None
    deadline = monotonic() + timeout
    return lambda: deadline - monotonic()


def connect_tcp(
    sockmod: SocketModule,
    candidates: List[Tuple[int, SockAddr]],
    timeout: Optional[float],
    monotonic: Callable[[], float],
) -> _stdsocket.socket:
    """Connect to the first reachable candidate; return a blocking, TCP_NODELAY socket.

    ``timeout`` bounds the whole attempt (all candidates together).  The last error is
    raised when every candidate fails; an exhausted timeout raises ``socket.timeout``.
    """
    if not candidates:
        raise OSError("no address to connect to")
    deadline = None if timeout is None else monotonic() + timeout
    last_error: Optional[BaseException] = None
    for family, sockaddr in candidates:
        remaining = None
        if deadline is not None:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise _stdsocket.timeout("timed out connecting to %r" % (sockaddr,))
        try:
            sock = sockmod.socket(family, _stdsocket.SOCK_STREAM)
        except OSError as error:  # e.g. IPv6 disabled on this host
            last_error = error
            continue
        try:
            sock.setsockopt(_stdsocket.IPPROTO_TCP, _stdsocket.TCP_NODELAY, 1)
            sock.setsockopt(_stdsocket.SOL_SOCKET, _stdsocket.SO_KEEPALIVE, 1)
            sock.settimeout(remaining)
            sock.connect(sockaddr)
            sock.settimeout(None)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
        except BaseException:
            sock.close()
            raise
    assert last_error is not None
    try:
        raise last_error
    finally:
        del last_error  # its traceback holds this frame: no reference cycle


_HAS_POLL = hasattr(select, "poll")
if _HAS_POLL:
    _POLL_R = select.POLLIN
    _POLL_W = select.POLLOUT
    _POLL_X = select.POLLPRI
    _READ_READY = select.POLLIN | select.POLLHUP | select.POLLERR | select.POLLNVAL
    _WRITE_READY = select.POLLOUT | select.POLLERR | select.POLLNVAL
    _EXC_READY = select.POLLPRI | select.POLLNVAL


def fd_of(obj: "FileDescriptorLike") -> int:
    """The descriptor of an int or of an object with ``fileno()`` (ValueError if negative)."""
    fd = obj if isinstance(obj, int) else obj.fileno()
    if fd < 0:
        raise ValueError("file descriptor cannot be a negative integer (%d)" % fd)
    return fd


def poll_select(rlist: Sequence[Any], wlist: Sequence[Any], xlist: Sequence[Any], timeout: Optional[float]) -> Selected:
    """Emulate ``select.select`` with a throw-away ``select.poll`` object.

    A poll object is a plain allocation (no syscall, unlike epoll/kqueue), so creating
    one per call is cheap.  ``POLLHUP``/``POLLERR`` count as readable and ``POLLERR``
    as writable, as ``select`` reports them; ``POLLNVAL`` (descriptor closed meanwhile) marks the
    object ready everywhere so the caller's next I/O call raises the real error.
    """
    if timeout is not None and timeout < 0:
        raise ValueError("timeout must be non-negative")
    if not _HAS_POLL:  # pragma: no cover - Windows
        return select.select(rlist, wlist, xlist, timeout)
    poller = select.poll()
    masks: Dict[int, int] = {}
    for objs, mask in ((rlist, _POLL_R), (wlist, _POLL_W), (xlist, _POLL_X)):
        for obj in objs:
            fd = fd_of(obj)
            masks[fd] = masks.get(fd, 0) | mask
    for fd, mask in masks.items():
        poller.register(fd, mask)
    ms = None if timeout is None else int(timeout * 1000 + 0.999)
    events = dict(poller.poll(ms))
    if not events:
        return [], [], []
    readable = [obj for obj in rlist if events.get(fd_of(obj), 0) & _READ_READY]
    writable = [obj for obj in wlist if events.get(fd_of(obj), 0) & _WRITE_READY]
    exceptional = [obj for obj in xlist if events.get(fd_of(obj), 0) & _EXC_READY]
    return readable, writable, exceptional
