"""The plumbing of a proxy whose whole structure lives in one partition (that of its name).

Queue, Ringbuffer, Topic, Set and List send every request to the owner of the partition
of their name's partition key (the part after ``@``, or the whole name). Blocking calls
give their invocation a deadline of their own instead of ``invocation_timeout``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, TypeVar

from hzgreen.proxy.base import Proxy, ignore_response
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

__all__ = ["FOREVER", "OnePartitionProxy", "ignore_response"]

T = TypeVar("T")

#: A wait with no end: the invocation has no deadline.
FOREVER = float("inf")


class OnePartitionProxy(Proxy):
    """A proxy whose requests all go to the partition of its name."""

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        partition_key = name.partition("@")[2] or name
        self._name_data = self._to_data(partition_key)
        self._partition_id = -1
        self._invocation_timeout = context.config.invocation_timeout

    def _partition(self) -> int:
        """The id of the structure's partition (-1 while the partition count is not known)."""
        if self._partition_id < 0 and self._partitions.partition_count:
            self._partition_id = self._partitions.partition_id_of(self._name_data)
        return self._partition_id

    def _object_of(self, decode: Callable[[ClientMessage], Optional[bytes]]) -> Callable[[ClientMessage], Any]:
        """Returns a response handler giving the item ``decode`` finds, deserialized (None for none)."""
        to_object = self._to_object
        return lambda message: to_object(decode(message))

    def _objects_of(self, decode: Callable[[ClientMessage], List[bytes]]) -> Callable[[ClientMessage], List[Any]]:
        """Returns a response handler giving the items ``decode`` finds, deserialized."""
        to_object = self._to_object
        return lambda message: [to_object(data) for data in decode(message)]

    def _call(
        self,
        request: ClientMessage,
        response_handler: Callable[[ClientMessage], T],
        wait: Optional[float] = None,
        timeout_source: str = "timeout + invocation_timeout",
    ) -> AsyncResult[T]:
        """Send ``request`` to the structure's partition; the result is ``response_handler(response)``.

        With ``wait`` (seconds, or FOREVER for no deadline at all) the deadline is the wait
        plus ``invocation_timeout`` instead of ``invocation_timeout`` alone, and a time-out
        names ``timeout_source`` as the limit that ran out.
        """
        future: AsyncResult[T] = self._handler.async_result()
        invocation = Invocation(request, future, self._partition(), None, response_handler, None, False, self.name)
        if wait is not None:
            invocation.deadline = (
                FOREVER if wait == FOREVER else self._handler.monotonic() + wait + self._invocation_timeout
            )
            invocation.timeout_source = timeout_source
        self._invocations.invoke(invocation)
        return future
