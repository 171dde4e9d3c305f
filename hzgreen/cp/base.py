"""What every raw CP proxy shares: invocation plumbing, deadlines, argument checks.

Every CP request goes to partition -1 (any member forwards it to the group's Raft
leader). A proxy method builds the request, hands it to the invocation service and
returns an :class:`~hzgreen.interfaces.IAsyncResult`; the synchronous form waits on it.

Completion bookkeeping (session reference counts, lock owners) runs in a *sink*: an
object the invocation service resolves in place of a future, on whatever thread or
greenlet read the response. Sinks only update local state and resolve the caller's
result; the rare follow-up request (a retry after an expired session) is sent from a
spawned task, never from the I/O loop.

Blocking waits (``lock``, ``acquire``, ``await_latch``) must outlive
``invocation_timeout``: their invocation gets a deadline of *wait + invocation_timeout*,
or none at all when the wait is unbounded (see :meth:`CPProxy._wait_deadline`). Lock and
semaphore acquires go further: their invocation never times out, as a grant must be
given back even when it comes after the caller stopped waiting (the caller's own deadline
is kept by :mod:`hzgreen.cp.waits`).
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, TypeVar

from hzgreen.exceptions import CPGroupDestroyedError
from hzgreen.protocol.codecs import cp_group as cp_group_codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.cp.subsystem import CPSubsystem
    from hzgreen.handler_types import AsyncResult

T = TypeVar("T")

log = logging.getLogger("hzgreen.cp")

INFINITE = float("inf")


def new_invocation_uid() -> uuid.UUID:
    """A fresh invocation uid: one per user call, reused by every retry of that call."""
    return uuid.uuid4()


def check_not_none(value: object, what: str) -> None:
    """Return None; raise ValueError naming ``what`` when ``value`` is None."""
    if value is None:
        raise ValueError("%s must not be None" % what)


def check_positive(value: object, what: str) -> None:
    """Return None; raise TypeError/ValueError naming ``what`` unless ``value`` is an int > 0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (what, value))
    if value <= 0:
        raise ValueError("%s must be positive, got %r" % (what, value))


def check_not_negative(value: object, what: str) -> None:
    """Return None; raise TypeError/ValueError naming ``what`` unless ``value`` is an int >= 0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (what, value))
    if value < 0:
        raise ValueError("%s must not be negative, got %r" % (what, value))


def check_long(value: object, what: str) -> None:
    """Return None; raise TypeError/ValueError naming ``what`` unless ``value`` is a signed 64-bit int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (what, value))
    if not -(1 << 63) <= value < (1 << 63):
        raise ValueError("%s does not fit a signed 64-bit long: %r" % (what, value))


def check_timeout(timeout: Optional[float], what: str = "timeout") -> Optional[float]:
    """Validate a wait in seconds; ``None`` means "forever", negatives mean "do not wait".

    Returns the wait as a float >= 0, or None; raises TypeError/ValueError naming ``what``.
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("%s must be a number of seconds or None, got %r" % (what, timeout))
    if timeout != timeout:  # NaN
        raise ValueError("%s must not be NaN" % what)
    return max(0.0, float(timeout))


def timeout_millis(timeout: Optional[float]) -> int:
    """Seconds (already checked) to the protocol's milliseconds; ``None`` → -1 (forever)."""
    if timeout is None or timeout == INFINITE:
        return -1
    return min(int(timeout * 1000), (1 << 63) - 1)


class Sink(Generic[T]):
    """Stands in for an invocation's future and routes its outcome to two callbacks.

    The invocation service calls :meth:`set`/:meth:`set_exception` from the thread or
    greenlet that read the response (or noticed the failure); the callbacks must be
    quick and must not block. An exception escaping a callback is logged, never
    propagated into the I/O loop.
    """

    __slots__ = ("_on_value", "_on_error")

    def __init__(self, on_value: Callable[[T], object], on_error: Callable[[BaseException], object]) -> None:
        self._on_value = on_value
        self._on_error = on_error

    def set(self, value: T) -> None:
        """Hand ``value`` (the decoded response) to ``on_value``; returns None."""
        try:
            self._on_value(value)
        except BaseException:
            log.exception("error completing a CP call")

    def set_exception(self, error: BaseException) -> None:
        """Hand ``error`` to ``on_error``; returns None."""
        try:
            self._on_error(error)
        except BaseException:
            log.exception("error failing a CP call")


class CPProxy:
    """Base of the raw CP proxies.

    ``name`` is the proxy name (``"obj"`` or ``"obj@group"``), ``object_name`` the name
    without its group, ``group_id`` the :class:`~hzgreen.protocol.custom.RaftGroupId`.
    """

    service_name = ""

    def __init__(self, cp: "CPSubsystem", proxy_name: str, object_name: str, group_id: RaftGroupId) -> None:
        self.name = proxy_name
        self.object_name = object_name
        self.group_id = group_id
        self._cp = cp
        context = cp.context
        self._context = context
        self._handler = context.handler
        self._invocations = context.invocations
        self._to_data = context.serialization.to_data
        self._to_object = context.serialization.to_object

    # -- invocation plumbing ------------------------------------------------------------

    def _wait_deadline(self, timeout: Optional[float]) -> float:
        """Deadline of an invocation that may wait ``timeout`` s on the member (None = forever).

        The member answers a bounded wait within ``timeout``; ``invocation_timeout`` on
        top covers the transport and retries. An unbounded wait gets no deadline: it
        ends with its answer, with ``stop()``, or with an error.
        """
        if timeout is None:
            return INFINITE
        return self._handler.monotonic() + timeout + self._context.config.invocation_timeout

    def _send(
        self,
        request: ClientMessage,
        decode: Callable[[ClientMessage], T],
        on_value: Callable[[T], object],
        on_error: Callable[[BaseException], object],
        deadline: Optional[float] = None,
    ) -> None:
        """Invoke ``request``; ``on_value(decode(response))`` or ``on_error(error)`` runs on
        completion. Returns None."""

        def failed(error: BaseException) -> None:
            if isinstance(error, CPGroupDestroyedError):
                self._cp.group_destroyed(self.group_id)
            on_error(error)

        router = self._cp.leaders
        routed = router.enabled
        group = (self.group_id.id, self.group_id.seed) if routed else None
        if deadline is None and routed:  # a call that does not wait on the member: its answer time is the route's
            monotonic = self._handler.monotonic
            sent = monotonic()

            def answered(value: T) -> None:
                router.observe(group, invocation.sent_on, monotonic() - sent)
                on_value(value)

            invocation = Invocation(request, Sink(answered, failed), -1, None, decode, None, False, self.name)
        else:
            invocation = Invocation(request, Sink(on_value, failed), -1, None, decode, None, False, self.name)
            if deadline is not None:
                invocation.deadline = deadline
                invocation.timeout_source = "timeout + invocation_timeout"
        if routed:
            invocation.preferred = router.pick(group)
        self._invocations.invoke(invocation)

    def _invoke(
        self, request: ClientMessage, decode: Callable[[ClientMessage], T], deadline: Optional[float] = None
    ) -> "AsyncResult[T]":
        """Invoke ``request``; the returned async result gets ``decode(response)``."""
        result: "AsyncResult[T]" = self._handler.async_result()
        self._send(request, decode, result.set, result.set_exception, deadline)
        return result

    def _failed(self, error: BaseException) -> "AsyncResult[Any]":
        """An async result failed with ``error`` (it fits any value type)."""
        result: "AsyncResult[Any]" = self._handler.async_result()
        result.set_exception(error)
        return result

    def _completed(self, value: T) -> "AsyncResult[T]":
        """An async result holding ``value``."""
        result: "AsyncResult[T]" = self._handler.async_result()
        result.set(value)
        return result

    def _spawn_async(self, func: Callable[..., T], *args: Any) -> "AsyncResult[T]":
        """Run the blocking ``func(*args)`` in a new task; its outcome resolves the returned result."""
        result: "AsyncResult[T]" = self._handler.async_result()

        def run() -> None:
            try:
                value = func(*args)
            except BaseException as error:
                result.set_exception(error)
            else:
                result.set(value)

        self._handler.spawn(run)
        return result

    def _function_data(self, function: object) -> bytes:
        """``function`` (a function object the member can run) serialized; raises ValueError
        for None."""
        check_not_none(function, "function")
        data = self._to_data(function)
        assert data is not None  # only None serializes to None
        return data

    # -- lifecycle ------------------------------------------------------------------------

    def destroy(self) -> None:
        """Destroy the object and its state on the cluster; this proxy becomes unusable."""
        self.destroy_async().result()

    def destroy_async(self) -> "AsyncResult[None]":
        """:meth:`destroy` without waiting: the returned result resolves to None once done."""
        self._cp.forget_proxy(self)
        self._on_destroy()
        request = cp_group_codec.encode_destroy_cp_object_request(self.group_id, self.service_name, self.object_name)
        return self._invoke(request, decode_nothing)

    def _on_destroy(self) -> None:
        """Hook: drop local state when the proxy is destroyed."""

    def __repr__(self) -> str:
        return "%s(name=%r)" % (type(self).__name__, self.name)


def decode_nothing(message: ClientMessage) -> None:
    """The decoder of a response whose content nobody reads: returns None."""
    return None
