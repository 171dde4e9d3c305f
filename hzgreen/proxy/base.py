"""What every data-structure proxy shares: argument checks, routing and fan-out.

A proxy method serializes its arguments, encodes a request, hands it to the invocation
service and returns an :class:`~hzgreen.interfaces.IAsyncResult`; the synchronous form
waits on it. Response decoding and deserialization run where the response is read.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, Iterable, List, Optional, TypeVar, Union, cast, overload

from hzgreen.exceptions import HzError
from hzgreen.runtime.invocation import Invocation
from hzgreen.serialization.hints import JavaType

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

T = TypeVar("T")
#: What one part of a fan-out answers, and what merging every part gives.
P = TypeVar("P")
R = TypeVar("R")

#: A Java type hint for a key or value: a :class:`~hzgreen.serialization.JavaType`, its name, or None.
Hint = Union[JavaType, str, None]


def check_not_none(value: Any, what: str) -> None:
    """Returns None; raises ValueError naming ``what`` when ``value`` is None."""
    if value is None:
        raise ValueError("%s must not be None" % what)


def to_millis(seconds: Optional[float], what: str, default: int = -1) -> int:
    """Seconds (float) to whole milliseconds; ``None`` → ``default`` (the map's own setting).

    Raises TypeError for a non-number and ValueError for a negative, NaN or infinite
    value, naming ``what``.
    """
    if seconds is None:
        return default
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError("%s must be a number of seconds or None, got %r" % (what, seconds))
    if not 0 <= seconds < math.inf:
        raise ValueError("%s must be a finite number of seconds >= 0, got %r" % (what, seconds))
    return int(seconds * 1000)


def check_registration_id(registration_id: object) -> None:
    """Returns None; raises ValueError for None and TypeError for anything but a str."""
    if registration_id is None:
        raise ValueError("registration_id must not be None")
    if not isinstance(registration_id, str):
        raise TypeError("registration_id must be a str, got %r" % (registration_id,))


def ignore_response(_: object) -> None:
    """A response handler for requests whose answer carries nothing; returns None."""
    return None


class _PartsCollector(Generic[P, R]):
    """Completes one async result when every per-partition part has answered.

    Stands in for a future on each part's invocation: the invocation service only ever
    calls ``set``/``set_exception`` on it, from whichever thread completes the part.
    """

    def __init__(self, handler: Handler, parts: int, merge: Callable[[List[P]], R]) -> None:
        self.result: AsyncResult[R] = handler.async_result()
        self._lock = handler.lock_object()
        self._remaining = parts
        self._values: List[P] = []
        self._merge = merge
        if parts == 0:
            self.result.set(merge([]))

    def part(self) -> "_Part":
        """A stand-in future for one part's invocation."""
        return _Part(self)

    def _done(self, value: Any, error: Optional[BaseException]) -> None:
        with self._lock:
            if self._remaining <= 0:
                return
            if error is not None:
                self._remaining = 0
            else:
                self._values.append(value)
                self._remaining -= 1
            finished = self._remaining == 0
        if error is not None:
            self.result.set_exception(error)
        elif finished:
            try:
                self.result.set(self._merge(self._values))
            except BaseException as merge_error:
                self.result.set_exception(merge_error)


class _Part:
    __slots__ = ("_collector",)

    def __init__(self, collector: "_PartsCollector[Any, Any]") -> None:
        self._collector = collector

    def set(self, value: Any = None) -> None:
        """The part's value arrived; returns None."""
        self._collector._done(value, None)

    def set_exception(self, error: BaseException) -> None:
        """The part failed (which fails the whole result); returns None."""
        self._collector._done(None, error)


class Proxy:
    """Base of the data-structure proxies; ``service_name`` names the member service."""

    service_name = ""

    def __init__(self, name: str, context: RuntimeContext) -> None:
        self.name = name
        self._context = context
        self._handler = context.handler
        self._invocations = context.invocations
        self._partitions = context.partitions
        self._serialization = context.serialization
        # Every caller checks for None first (see _key_data), and a value that is not None
        # always serializes to a blob: the Optional of to_data does not apply here.
        self._to_data = cast("Callable[[Any], bytes]", context.serialization.to_data)
        self._to_object = context.serialization.to_object

    # Invocation arguments are positional here: keywords cost more than the rest of the call.
    def _invoke(self, request: ClientMessage, response_handler: Callable[[ClientMessage], T]) -> AsyncResult[T]:
        """Send ``request`` wherever the invocation service likes; the result is
        ``response_handler(response)``."""
        future: AsyncResult[T] = self._handler.async_result()
        self._invocations.invoke(Invocation(request, future, -1, None, response_handler, None, False, self.name))
        return future

    def _invoke_on_partition(
        self, request: ClientMessage, partition_id: int, response_handler: Callable[[ClientMessage], T]
    ) -> AsyncResult[T]:
        """Send ``request`` to the owner of ``partition_id``; the result is ``response_handler(response)``."""
        future: AsyncResult[T] = self._handler.async_result()
        self._invocations.invoke(
            Invocation(request, future, partition_id, None, response_handler, None, False, self.name)
        )
        return future

    @overload
    def _invoke_on_key(self, request: ClientMessage, key_data: bytes) -> AsyncResult[None]: ...

    @overload
    def _invoke_on_key(
        self, request: ClientMessage, key_data: bytes, response_handler: Callable[[ClientMessage], T]
    ) -> AsyncResult[T]: ...

    def _invoke_on_key(
        self,
        request: ClientMessage,
        key_data: bytes,
        response_handler: Callable[[ClientMessage], Any] = ignore_response,
    ) -> AsyncResult[Any]:
        """Send ``request`` to the owner of the partition of ``key_data``; the result is
        ``response_handler(response)`` (None without one)."""
        partition_id = self._partitions.partition_id_of(key_data)
        future: AsyncResult[Any] = self._handler.async_result()
        self._invocations.invoke(
            Invocation(request, future, partition_id, None, response_handler, None, False, self.name)
        )
        return future

    def _fan_out(
        self,
        requests: Dict[int, ClientMessage],
        response_handler: Callable[[ClientMessage], P],
        merge: Callable[[List[P]], R],
    ) -> AsyncResult[R]:
        """Send one request per partition; the result merges every partition's answer."""
        collector: _PartsCollector[P, R] = _PartsCollector(self._handler, len(requests), merge)
        for partition_id, request in requests.items():
            self._invocations.invoke(
                Invocation(request, collector.part(), partition_id, None, response_handler, None, False, self.name)
            )
        return collector.result

    def _key_data(self, key: Any) -> bytes:
        """``key`` serialized; raises ValueError for a None key."""
        check_not_none(key, "key")
        return self._to_data(key)

    def _value_data(self, value: Any, what: str = "value") -> bytes:
        """``value`` serialized; raises ValueError naming ``what`` for None."""
        check_not_none(value, what)
        return self._to_data(value)

    def _group_by_partition(self, keys_data: Iterable[bytes]) -> Dict[int, List[bytes]]:
        """``{partition id: [key data, ...]}`` of the given serialized keys."""
        groups: Dict[int, List[bytes]] = {}
        partition_id_of = self._partitions.partition_id_of
        for data in keys_data:
            groups.setdefault(partition_id_of(data), []).append(data)
        return groups

    def _deregister(self, registration_id: str) -> bool:
        """Remove the listener ``registration_id`` from every member; returns False if the id is unknown.

        Raises ValueError/TypeError for a ``registration_id`` that is None or not a str.
        """
        check_registration_id(registration_id)
        removed: bool = self._context.listeners.deregister(registration_id)
        return removed

    def _deregister_async(self, registration_id: str) -> AsyncResult[bool]:
        """:meth:`_deregister` in a task of the handler; the result says whether the id was known.

        The argument is checked (and refused) at once, before anything is sent.
        """
        check_registration_id(registration_id)
        result: AsyncResult[bool] = self._handler.async_result()

        def remove() -> None:
            try:
                result.set(self._context.listeners.deregister(registration_id))
            except BaseException as error:
                result.set_exception(error)

        self._handler.spawn(remove)
        return result

    def destroy(self) -> bool:
        """Destroy this object and its data on the cluster; returns True."""
        return self._context.proxies.destroy(self)

    def __repr__(self) -> str:
        return "%s(name=%r)" % (type(self).__name__, self.name)


class ProxyError(HzError):
    """A proxy was used in a way it does not support."""
