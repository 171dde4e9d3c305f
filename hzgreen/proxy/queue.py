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

import enum
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, TypeVar, Union

from hzgreen.exceptions import IllegalStateError
from hzgreen.protocol.codecs import queue as codec
from hzgreen.proxy.base import Proxy, check_not_none
from hzgreen.runtime.invocation import Invocation
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.custom import MemberInfo
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

T = TypeVar("T")

FOREVER = float("inf")


class ItemEventType(enum.IntEnum):
    """The kinds of item events (their values are the protocol's)."""

    ADDED = 1
    REMOVED = 2


class ItemEvent:
    """An item was added to or removed from a queue.

    ``item`` is None unless the listener was added with ``include_value=True``; ``uuid``
    is the UUID of the member that fired the event and ``member`` its member info (None
    when the client does not know it). ``event_type`` is an :class:`ItemEventType`, or
    the plain int for a kind this client does not know.
    """

    __slots__ = ("name", "item", "event_type", "uuid", "member")

    def __init__(
        self, name: str, item: Any, event_type: int, uuid: Optional[uuid.UUID], member: Optional[MemberInfo]
    ) -> None:
        self.name = name
        self.item = item
        self.event_type: Union[ItemEventType, int]
        try:
            self.event_type = ItemEventType(event_type)
        except ValueError:
            self.event_type = event_type
        self.uuid = uuid
        self.member = member

    def __repr__(self) -> str:
        return "ItemEvent(name=%r, event_type=%s, item=%r)" % (
            self.name,
            getattr(self.event_type, "name", self.event_type),
            self.item,
        )


def _seconds(timeout: object, what: str) -> float:
    """``timeout`` as a float; raises TypeError for a non-number, ValueError for a negative or infinite one."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("%s must be a number of seconds, got %r" % (what, timeout))
    if not 0 <= timeout < FOREVER:
        raise ValueError("%s must be a finite number of seconds >= 0, got %r" % (what, timeout))
    return float(timeout)


def _items(items: Iterable[Any], what: str) -> List[Any]:
    """``items`` as a list; raises ValueError for None (or a None item), TypeError for a str or bytes."""
    check_not_none(items, what)
    if isinstance(items, (str, bytes)):
        raise TypeError("%s must be a collection of items, not a single %s" % (what, type(items).__name__))
    listed = list(items)
    for item in listed:
        check_not_none(item, "an item of %s" % what)
    return listed


class Queue(Proxy):
    """A distributed queue; see the module docstring for conventions."""

    service_name = "hz:impl:queueService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        partition_key = name.partition("@")[2] or name
        self._name_data = self._to_data(partition_key)
        self._partition_id = -1
        self._invocation_timeout = context.config.invocation_timeout
        to_object = self._to_object

        def item_of(decode: Callable[[ClientMessage], Optional[bytes]]) -> Callable[[ClientMessage], Any]:
            return lambda m: to_object(decode(m))

        def items_of(decode: Callable[[ClientMessage], List[bytes]]) -> Callable[[ClientMessage], List[Any]]:
            return lambda m: [to_object(d) for d in decode(m)]

        self._item_of = item_of
        self._items_of = items_of

    # -- plumbing -----------------------------------------------------------------------

    def _partition(self) -> int:
        """The id of the queue's partition (-1 while the partition count is not known)."""
        if self._partition_id < 0 and self._partitions.partition_count:
            self._partition_id = self._partitions.partition_id_of(self._name_data)
        return self._partition_id

    def _call(
        self, request: ClientMessage, response_handler: Callable[[ClientMessage], T], wait: Optional[float] = None
    ) -> AsyncResult[T]:
        """Send to the queue's partition; ``wait`` (seconds, or FOREVER) extends the deadline.

        The result is ``response_handler(response)``."""
        future: AsyncResult[T] = self._handler.async_result()
        invocation = Invocation(request, future, self._partition(), None, response_handler, None, False, self.name)
        if wait is not None:
            invocation.deadline = (
                FOREVER if wait == FOREVER else self._handler.monotonic() + wait + self._invocation_timeout
            )
            invocation.timeout_source = "timeout + invocation_timeout"
        self._invocations.invoke(invocation)
        return future

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
        return self.add_async(item).get()

    def put_async(self, item: Any) -> AsyncResult[None]:
        """Add ``item``, waiting as long as it takes for room in a bounded queue."""
        data = self._value_data(item, "item")
        return self._call(codec.encode_put_request(self.name, data), _none, FOREVER)

    def put(self, item: Any) -> None:
        self.put_async(item).get()

    def add_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Add every item of ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(codec.encode_add_all_request(self.name, datas), codec.decode_add_all_response)

    def add_all(self, items: Iterable[Any]) -> bool:
        return self.add_all_async(items).get()

    # -- taking -------------------------------------------------------------------------

    def poll_async(self, timeout: float = 0) -> AsyncResult[Any]:
        """Remove and return the head, waiting up to ``timeout`` s; None when still empty."""
        wait = _seconds(timeout, "timeout")
        return self._call(
            codec.encode_poll_request(self.name, int(wait * 1000)),
            self._item_of(codec.decode_poll_response),
            wait if wait else None,
        )

    def poll(self, timeout: float = 0) -> Any:
        return self.poll_async(timeout).get()

    def take_async(self) -> AsyncResult[Any]:
        """Remove and return the head, waiting as long as it takes for one."""
        return self._call(codec.encode_take_request(self.name), self._item_of(codec.decode_take_response), FOREVER)

    def take(self) -> Any:
        return self.take_async().get()

    def peek_async(self) -> AsyncResult[Any]:
        """The head without removing it, or None."""
        return self._call(codec.encode_peek_request(self.name), self._item_of(codec.decode_peek_response))

    def peek(self) -> Any:
        return self.peek_async().get()

    def drain_to_async(self, target_list: List[Any], max_size: int = -1) -> AsyncResult[int]:
        """Move up to ``max_size`` items (all when -1) to the end of ``target_list``; result: how many."""
        if not isinstance(target_list, list):
            raise TypeError("target_list must be a list, got %r" % (type(target_list).__name__,))
        if isinstance(max_size, bool) or not isinstance(max_size, int):
            raise TypeError("max_size must be an int, got %r" % (max_size,))
        items_of = self._items_of
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
        return self.drain_to_async(target_list, max_size).get()

    # -- removing -----------------------------------------------------------------------

    def remove_async(self, item: Any) -> AsyncResult[bool]:
        """Remove one occurrence of ``item``; result: whether one was found."""
        data = self._value_data(item, "item")
        return self._call(codec.encode_remove_request(self.name, data), codec.decode_remove_response)

    def remove(self, item: Any) -> bool:
        return self.remove_async(item).get()

    def remove_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every occurrence of each of ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(
            codec.encode_compare_and_remove_all_request(self.name, datas), codec.decode_compare_and_remove_all_response
        )

    def remove_all(self, items: Iterable[Any]) -> bool:
        return self.remove_all_async(items).get()

    def retain_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every item not in ``items``; result: True if the queue changed."""
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(
            codec.encode_compare_and_retain_all_request(self.name, datas), codec.decode_compare_and_retain_all_response
        )

    def retain_all(self, items: Iterable[Any]) -> bool:
        return self.retain_all_async(items).get()

    def clear_async(self) -> AsyncResult[None]:
        return self._call(codec.encode_clear_request(self.name), _none)

    def clear(self) -> None:
        self.clear_async().get()

    # -- reading ------------------------------------------------------------------------

    def contains_async(self, item: Any) -> AsyncResult[bool]:
        data = self._value_data(item, "item")
        return self._call(codec.encode_contains_request(self.name, data), codec.decode_contains_response)

    def contains(self, item: Any) -> bool:
        return self.contains_async(item).get()

    def contains_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        datas = [self._to_data(item) for item in _items(items, "items")]
        return self._call(codec.encode_contains_all_request(self.name, datas), codec.decode_contains_all_response)

    def contains_all(self, items: Iterable[Any]) -> bool:
        return self.contains_all_async(items).get()

    def iterator_async(self) -> AsyncResult[List[Any]]:
        """Every item, head first (a snapshot list)."""
        return self._call(codec.encode_iterator_request(self.name), self._items_of(codec.decode_iterator_response))

    def iterator(self) -> List[Any]:
        return self.iterator_async().get()

    get_all_async = iterator_async
    get_all = iterator

    def size_async(self) -> AsyncResult[int]:
        return self._call(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        return self._call(codec.encode_is_empty_request(self.name), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        return self.is_empty_async().get()

    def remaining_capacity_async(self) -> AsyncResult[int]:
        return self._call(codec.encode_remaining_capacity_request(self.name), codec.decode_remaining_capacity_response)

    def remaining_capacity(self) -> int:
        return self.remaining_capacity_async().get()

    # -- item listeners -----------------------------------------------------------------

    def add_listener_async(
        self,
        include_value: bool = False,
        item_added_func: Optional[Callable[[ItemEvent], Any]] = None,
        item_removed_func: Optional[Callable[[ItemEvent], Any]] = None,
    ) -> AsyncResult[str]:
        """Like :meth:`add_listener`; the result is the registration id."""
        for func, what in ((item_added_func, "item_added_func"), (item_removed_func, "item_removed_func")):
            if func is not None and not callable(func):
                raise TypeError("%s must be callable, got %r" % (what, func))
        if item_added_func is None and item_removed_func is None:
            raise ValueError("add_listener needs item_added_func and/or item_removed_func")
        if not isinstance(include_value, bool):
            raise TypeError("include_value must be a bool, got %r" % (include_value,))
        name = self.name
        funcs: Dict[int, Optional[Callable[[ItemEvent], Any]]] = {
            int(ItemEventType.ADDED): item_added_func,
            int(ItemEventType.REMOVED): item_removed_func,
        }
        to_object = self._to_object
        cluster = self._context.cluster
        dispatch = self._handler.dispatch_callback

        def deliver(fields: Dict[str, Any]) -> None:  # callback worker
            func = funcs.get(fields["event_type"])
            if func is not None:
                func(
                    ItemEvent(
                        name,
                        to_object(fields["item"]),
                        fields["event_type"],
                        fields["uuid"],
                        cluster.get_member(fields["uuid"]),
                    )
                )

        def on_event(message: ClientMessage) -> None:  # I/O loop
            if message.get_message_type() == codec.ADD_LISTENER_ITEM_EVENT_TYPE:
                dispatch(deliver, codec.decode_add_listener_item_event(message))

        listener_codec = ListenerCodec(
            lambda local_only: codec.encode_add_listener_request(name, include_value, local_only),
            codec.decode_add_listener_response,
            lambda registration_id: codec.encode_remove_listener_request(name, registration_id),
            codec.decode_remove_listener_response,
        )
        registered: AsyncResult[str] = self._context.listeners.register_async(listener_codec, on_event)
        return registered

    def add_listener(
        self,
        include_value: bool = False,
        item_added_func: Optional[Callable[[ItemEvent], Any]] = None,
        item_removed_func: Optional[Callable[[ItemEvent], Any]] = None,
    ) -> str:
        """Call ``item_added_func(ItemEvent)`` / ``item_removed_func(ItemEvent)`` on the callback worker.

        Returns a registration id for :meth:`remove_listener` once the listener is active
        on every member of the current member list (raises HzTimeoutError if that takes
        longer than ``invocation_timeout``, or the member's error if one refuses it).
        """
        return self.add_listener_async(include_value, item_added_func, item_removed_func).get()

    def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener added with :meth:`add_listener`; False if the id is unknown."""
        removed: bool = self._context.listeners.deregister(registration_id)
        return removed

    add_item_listener = add_listener
    add_item_listener_async = add_listener_async
    remove_item_listener = remove_listener


def _none(_: object) -> None:
    return None
