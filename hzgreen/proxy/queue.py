"""Queue: the distributed blocking queue (``IQueue`` on the member).

Method names are the official Hazelcast Python client's; every method has an
``_async`` twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Items must not be
None. Timeouts are seconds. A queue lives in one partition (that of its name), so every
request goes to that partition's owner.

Blocking calls (``put`` on a full bounded queue, ``take``, ``offer``/``poll`` with a
timeout) are not cut short by ``invocation_timeout``: their deadline is the wait itself
(plus ``invocation_timeout`` for the answer to travel back), or none at all for ``put``
and ``take``. A lost connection still ends them with a :class:`~hzgreen.exceptions.ConnectionLoss`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List

from hzgreen.exceptions import IllegalStateError
from hzgreen.protocol.codecs import queue as codec
from hzgreen.proxy.collection import items_list as _items
from hzgreen.proxy.item_listeners import ItemCodecs, ItemEvent, ItemEventType, ItemListenerProxy
from hzgreen.proxy.one_partition import FOREVER, OnePartitionProxy
from hzgreen.proxy.one_partition import ignore_response as _none

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

__all__ = ["FOREVER", "ItemEvent", "ItemEventType", "Queue"]


def _seconds(timeout: object, what: str) -> float:
    """``timeout`` as a float; raises TypeError for a non-number, ValueError for a negative or infinite one."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("%s must be a number of seconds, got %r" % (what, timeout))
    if not 0 <= timeout < FOREVER:
        raise ValueError("%s must be a finite number of seconds >= 0, got %r" % (what, timeout))
    return float(timeout)


class Queue(ItemListenerProxy, OnePartitionProxy):
    """A distributed queue; see the module docstring for conventions."""

    service_name = "hz:impl:queueService"
    _item_codecs = ItemCodecs.of(codec)

    def blocking(self) -> Queue:
        """Returns this proxy: its methods without ``_async`` already wait for the answer
        (the official client's ``blocking()`` gives such a view)."""
        return self

    # -- adding -------------------------------------------------------------------------

    def offer_async(self, item: Any, timeout: float = 0) -> AsyncResult[bool]:
        """Add ``item`` if there is room, waiting up to ``timeout`` s for some; result: added?"""
        data = self._value_data(item, "item")
        wait = _seconds(timeout, "timeout")
        return self._call(
            codec.encode_offer_request(self.name, data, int(wait * 1000)),
            codec.decode_offer_response,
            wait if wait else None,
        )

    def offer(self, item: Any, timeout: float = 0) -> bool:
        """Add ``item`` if there is room, waiting up to ``timeout`` s for some; returns whether it was added.

        Raises ValueError for a None item or a negative timeout, TypeError for a non-number timeout."""
        return self.offer_async(item, timeout).get()

    def add_async(self, item: Any) -> AsyncResult[bool]:
        """Add ``item``; fails with IllegalStateError when a bounded queue is full."""
        data = self._value_data(item, "item")

        def added(message: ClientMessage) -> bool:
            if not codec.decode_offer_response(message):
                raise IllegalStateError("Queue is full!")
            return True

        return self._call(codec.encode_offer_request(self.name, data, 0), added)

    def add(self, item: Any) -> bool:
        """Add ``item``; returns True. Raises ValueError for None, IllegalStateError when a bounded queue is full."""
        return self.add_async(item).get()

    def put_async(self, item: Any) -> AsyncResult[None]:
        """Add ``item``, waiting as long as it takes for room in a bounded queue."""
        data = self._value_data(item, "item")
        return self._call(codec.encode_put_request(self.name, data), _none, FOREVER)

    def put(self, item: Any) -> None:
        """Add ``item``, waiting as long as it takes for room; returns None. Raises ValueError for None."""
        self.put_async(item).get()

    def add_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Add every item of ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(codec.encode_add_all_request(self.name, datas), codec.decode_add_all_response)

    def add_all(self, items: Iterable[Any]) -> bool:
        """Add every item of ``items``; returns True if the queue changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.add_all_async(items).get()

    # -- taking -------------------------------------------------------------------------

    def poll_async(self, timeout: float = 0) -> AsyncResult[Any]:
        """Remove and return the head, waiting up to ``timeout`` s; None when still empty."""
        wait = _seconds(timeout, "timeout")
        return self._call(
            codec.encode_poll_request(self.name, int(wait * 1000)),
            self._object_of(codec.decode_poll_response),
            wait if wait else None,
        )

    def poll(self, timeout: float = 0) -> Any:
        """Remove and return the head, waiting up to ``timeout`` s; returns None when still empty.

        Raises ValueError for a negative timeout, TypeError for a non-number."""
        return self.poll_async(timeout).get()

    def take_async(self) -> AsyncResult[Any]:
        """Remove and return the head, waiting as long as it takes for one."""
        return self._call(codec.encode_take_request(self.name), self._object_of(codec.decode_take_response), FOREVER)

    def take(self) -> Any:
        """Remove and return the head, waiting as long as it takes for one; returns the item."""
        return self.take_async().get()

    def peek_async(self) -> AsyncResult[Any]:
        """The head without removing it, or None."""
        return self._call(codec.encode_peek_request(self.name), self._object_of(codec.decode_peek_response))

    def peek(self) -> Any:
        """Returns the head without removing it, or None when the queue is empty."""
        return self.peek_async().get()

    def drain_to_async(self, target_list: List[Any], max_size: int = -1) -> AsyncResult[int]:
        """Move up to ``max_size`` items (all when -1) to the end of ``target_list``; result: how many."""
        if not isinstance(target_list, list):
            raise TypeError("target_list must be a list, got %r" % (type(target_list).__name__,))
        if isinstance(max_size, bool) or not isinstance(max_size, int):
            raise TypeError("max_size must be an int, got %r" % (max_size,))
        items_of = self._objects_of
        if max_size < 0:
            request = codec.encode_drain_to_request(self.name)
            decode = items_of(codec.decode_drain_to_response)
        else:
            request = codec.encode_drain_to_max_size_request(self.name, max_size)
            decode = items_of(codec.decode_drain_to_max_size_response)

        def drained(message: ClientMessage) -> int:
            items = decode(message)
            target_list.extend(items)
            return len(items)

        return self._call(request, drained)

    def drain_to(self, target_list: List[Any], max_size: int = -1) -> int:
        """Move up to ``max_size`` items (all when -1) to the end of ``target_list``; returns how many.

        Raises TypeError for a ``target_list`` that is not a list or a ``max_size`` that is not an int."""
        return self.drain_to_async(target_list, max_size).get()

    # -- removing -----------------------------------------------------------------------

    def remove_async(self, item: Any) -> AsyncResult[bool]:
        """Remove one occurrence of ``item``; result: whether one was found."""
        data = self._value_data(item, "item")
        return self._call(codec.encode_remove_request(self.name, data), codec.decode_remove_response)

    def remove(self, item: Any) -> bool:
        """Remove one occurrence of ``item``; returns whether one was found. Raises ValueError for None."""
        return self.remove_async(item).get()

    def remove_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every occurrence of each of ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(
            codec.encode_compare_and_remove_all_request(self.name, datas), codec.decode_compare_and_remove_all_response
        )

    def remove_all(self, items: Iterable[Any]) -> bool:
        """Remove every occurrence of each of ``items``; returns True if the queue changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.remove_all_async(items).get()

    def retain_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every item not in ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(
            codec.encode_compare_and_retain_all_request(self.name, datas), codec.decode_compare_and_retain_all_response
        )

    def retain_all(self, items: Iterable[Any]) -> bool:
        """Remove every item not in ``items``; returns True if the queue changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.retain_all_async(items).get()

    def clear_async(self) -> AsyncResult[None]:
        """Remove every item; the result is None."""
        return self._call(codec.encode_clear_request(self.name), _none)

    def clear(self) -> None:
        """Remove every item; returns None."""
        self.clear_async().get()

    # -- reading ------------------------------------------------------------------------

    def contains_async(self, item: Any) -> AsyncResult[bool]:
        """Whether ``item`` is in the queue (the result)."""
        data = self._value_data(item, "item")
        return self._call(codec.encode_contains_request(self.name, data), codec.decode_contains_response)

    def contains(self, item: Any) -> bool:
        """Returns whether ``item`` is in the queue. Raises ValueError for None."""
        return self.contains_async(item).get()

    def contains_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Whether every item of ``items`` is in the queue (the result)."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(codec.encode_contains_all_request(self.name, datas), codec.decode_contains_all_response)

    def contains_all(self, items: Iterable[Any]) -> bool:
        """Returns whether every item of ``items`` is in the queue.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.contains_all_async(items).get()

    def iterator_async(self) -> AsyncResult[List[Any]]:
        """Every item, head first (a snapshot list)."""
        return self._call(codec.encode_iterator_request(self.name), self._objects_of(codec.decode_iterator_response))

    def iterator(self) -> List[Any]:
        """Returns every item, head first (a snapshot list)."""
        return self.iterator_async().get()

    get_all_async = iterator_async
    get_all = iterator

    def size_async(self) -> AsyncResult[int]:
        """The number of items (the result)."""
        return self._call(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of items."""
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        """Whether the queue has no items (the result)."""
        return self._call(codec.encode_is_empty_request(self.name), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        """Returns whether the queue has no items."""
        return self.is_empty_async().get()

    def remaining_capacity_async(self) -> AsyncResult[int]:
        """How many more items fit (the result)."""
        return self._call(codec.encode_remaining_capacity_request(self.name), codec.decode_remaining_capacity_response)

    def remaining_capacity(self) -> int:
        """Returns how many more items fit (Java's Integer.MAX_VALUE minus the size when unbounded)."""
        return self.remaining_capacity_async().get()

    # -- item listeners (add_listener, remove_listener: see ItemListenerProxy) ----------

    add_item_listener = ItemListenerProxy.add_listener
    add_item_listener_async = ItemListenerProxy.add_listener_async
    remove_item_listener = ItemListenerProxy.remove_listener
