"""What every data-structure proxy shares: argument checks, routing and fan-out.

A proxy method serializes its arguments, encodes a request, hands it to the invocation
service and returns an :class:`~hzgreen.interfaces.IAsyncResult`; the synchronous form
waits on it. Response decoding and deserialization run where the response is read.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Iterable, List, Optional

from hzgreen.exceptions import HzError
from hzgreen.runtime.invocation import Invocation


def check_not_none(value: Any, what: str) -> None:
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


class _PartsCollector:
    """Completes one async result when every per-partition part has answered.

    Stands in for a future on each part's invocation: the invocation service only ever
    calls ``set``/``set_exception`` on it, from whichever thread completes the part.
    """

    def __init__(self, handler: Any, parts: int, merge: Callable[[List[Any]], Any]) -> None:
        self.result = handler.async_result()
        self._lock = handler.lock_object()
        self._remaining = parts
        self._values: List[Any] = []
        self._merge = merge
        if parts == 0:
            self.result.set(merge([]))

    def part(self) -> "_Part":
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

    def __init__(self, collector: _PartsCollector) -> None:
        self._collector = collector

    def set(self, value: Any = None) -> None:
        self._collector._done(value, None)

    def set_exception(self, error: BaseException) -> None:
        self._collector._done(None, error)


class Proxy:
    """Base of the data-structure proxies; ``service_name`` names the member service."""

    service_name = ""

    def __init__(self, name: str, client: Any) -> None:
        self.name = name
        self._client = client
        self._handler = client.handler
        self._invocations = client.invocations
        self._partitions = client.partitions
        self._serialization = client.serialization
        self._to_data = client.serialization.to_data
        self._to_object = client.serialization.to_object

    # Invocation arguments are positional here: keywords cost more than the rest of the call.
    def _invoke(self, request: Any, response_handler: Callable[[Any], Any] = lambda m: None) -> Any:
        invocation = Invocation(request, self._handler.async_result(), -1, None, response_handler, None, False,
                                self.name)
        return self._invocations.invoke(invocation)

    def _invoke_on_partition(self, request: Any, partition_id: int,
                             response_handler: Callable[[Any], Any] = lambda m: None,
                             future: Any = None) -> Any:
        invocation = Invocation(request, future if future is not None else self._handler.async_result(),
                                partition_id, None, response_handler, None, False, self.name)
        return self._invocations.invoke(invocation)

    def _invoke_on_key(self, request: Any, key_data: bytes,
                       response_handler: Callable[[Any], Any] = lambda m: None) -> Any:
        partition_id = self._partitions.partition_id_of(key_data)
        invocation = Invocation(request, self._handler.async_result(), partition_id, None, response_handler,
                                None, False, self.name)
        return self._invocations.invoke(invocation)

    def _fan_out(self, requests: Dict[int, Any], response_handler: Callable[[Any], Any],
                 merge: Callable[[List[Any]], Any]) -> Any:
        """Send one request per partition; the result merges every partition's answer."""
        collector = _PartsCollector(self._handler, len(requests), merge)
        for partition_id, request in requests.items():
            self._invoke_on_partition(request, partition_id, response_handler, future=collector.part())
        return collector.result

    def _key_data(self, key: Any) -> bytes:
        check_not_none(key, "key")
        return self._to_data(key)

    def _value_data(self, value: Any, what: str = "value") -> bytes:
        check_not_none(value, what)
        return self._to_data(value)

    def _group_by_partition(self, keys_data: Iterable[bytes]) -> Dict[int, List[bytes]]:
        groups: Dict[int, List[bytes]] = {}
        partition_id_of = self._partitions.partition_id_of
        for data in keys_data:
            groups.setdefault(partition_id_of(data), []).append(data)
        return groups

    def destroy(self) -> bool:
        """Destroy this object and its data on the cluster."""
        return self._client.proxies.destroy(self)

    def __repr__(self) -> str:
        return "%s(name=%r)" % (type(self).__name__, self.name)


class ProxyError(HzError):
    """A proxy was used in a way it does not support."""
