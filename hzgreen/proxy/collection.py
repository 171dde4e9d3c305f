"""What Set and List share: one partition, the same codec shapes, the same bulk methods.

A set or list lives in one partition (that of its name, or of the part after ``@``), so
every request goes to that partition's owner. Their generated codec modules have the
same functions for the operations both have; :class:`CollectionCodec` names those, and
:class:`CollectionProxy` implements the operations once on top of them. Items must not
be None; collections of items must not be None, a str or bytes, or hold a None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable, List, Protocol, TypeVar

from hzgreen.proxy.base import check_not_none
from hzgreen.proxy.item_listeners import ItemListenerProxy
from hzgreen.proxy.one_partition import OnePartitionProxy

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

__all__ = ["CollectionCodec", "CollectionProxy", "items_list"]

T = TypeVar("T")
C = TypeVar("C", bound="CollectionProxy")


def items_list(items: Iterable[Any], what: str) -> List[Any]:
    """``items`` as a list; raises ValueError for None (or a None item), TypeError for a str,
    bytes or anything that is not iterable, naming ``what``."""
    check_not_none(items, what)
    if isinstance(items, (str, bytes, bytearray)):
        raise TypeError("%s must be a collection of items, not a single %s" % (what, type(items).__name__))
    try:
        listed = list(items)
    except TypeError:
        raise TypeError("%s must be a collection of items, got %r" % (what, type(items).__name__)) from None
    for item in listed:
        check_not_none(item, "an item of %s" % what)
    return listed


class CollectionCodec(Protocol):
    """The codec functions that the Set and List codec modules both have."""

    def encode_add_request(self, name: str, value: bytes, /) -> ClientMessage:
        """Returns the ``add`` request message for these arguments (already serialized). Raises nothing."""

    def decode_add_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``add`` read from the member's response ``message``. Raises nothing."""

    def encode_add_all_request(self, name: str, values: Iterable[bytes], /) -> ClientMessage:
        """Returns the ``add_all`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_add_all_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``add_all`` read from the member's response ``message``. Raises nothing."""

    def encode_remove_request(self, name: str, value: bytes, /) -> ClientMessage:
        """Returns the ``remove`` request message for these arguments (already serialized). Raises nothing."""

    def decode_remove_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``remove`` read from the member's response ``message``. Raises nothing."""

    def encode_compare_and_remove_all_request(self, name: str, values: Iterable[bytes], /) -> ClientMessage:
        """Returns the ``compare_and_remove_all`` request message for these arguments (already serialized).
        Raises nothing."""

    def decode_compare_and_remove_all_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``compare_and_remove_all`` read from the member's response ``message``.
        Raises nothing."""

    def encode_compare_and_retain_all_request(self, name: str, values: Iterable[bytes], /) -> ClientMessage:
        """Returns the ``compare_and_retain_all`` request message for these arguments (already serialized).
        Raises nothing."""

    def decode_compare_and_retain_all_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``compare_and_retain_all`` read from the member's response ``message``.
        Raises nothing."""

    def encode_contains_request(self, name: str, value: bytes, /) -> ClientMessage:
        """Returns the ``contains`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_contains_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``contains`` read from the member's response ``message``. Raises
        nothing."""

    def encode_contains_all_request(self, name: str, values: Iterable[bytes], /) -> ClientMessage:
        """Returns the ``contains_all`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_contains_all_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``contains_all`` read from the member's response ``message``. Raises
        nothing."""

    def encode_clear_request(self, name: str, /) -> ClientMessage:
        """Returns the ``clear`` request message for these arguments (already serialized). Raises nothing."""

    def decode_clear_response(self, message: ClientMessage, /) -> None:
        """Returns the result of a ``clear`` read from the member's response ``message``. Raises nothing."""

    def encode_get_all_request(self, name: str, /) -> ClientMessage:
        """Returns the ``get_all`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_get_all_response(self, message: ClientMessage, /) -> List[bytes]:
        """Returns the result of a ``get_all`` read from the member's response ``message``. Raises nothing."""

    def encode_size_request(self, name: str, /) -> ClientMessage:
        """Returns the ``size`` request message for these arguments (already serialized). Raises nothing."""

    def decode_size_response(self, message: ClientMessage, /) -> int:
        """Returns the result of a ``size`` read from the member's response ``message``. Raises nothing."""

    def encode_is_empty_request(self, name: str, /) -> ClientMessage:
        """Returns the ``is_empty`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_is_empty_response(self, message: ClientMessage, /) -> bool:
        """Returns the result of a ``is_empty`` read from the member's response ``message``. Raises
        nothing."""


class CollectionProxy(ItemListenerProxy, OnePartitionProxy):
    """The operations Set and List share; ``_codec`` is the structure's codec module."""

    _codec: ClassVar[CollectionCodec]

    def blocking(self: C) -> C:
        """Returns this proxy: its methods without ``_async`` already wait for the answer
        (the official client's ``blocking()`` gives such a view)."""
        return self

    # -- plumbing -----------------------------------------------------------------------

    def _datas(self, items: Iterable[Any], what: str = "items") -> List[bytes]:
        """Every item of ``items`` serialized; raises what :func:`items_list` raises."""
        to_data = self._to_data
        return [to_data(item) for item in items_list(items, what)]

    def add_async(self, item: Any) -> AsyncResult[bool]:
        """Add ``item``; the result is True if the collection changed. Raises ValueError for None."""
        codec = self._codec
        return self._call(
            codec.encode_add_request(self.name, self._value_data(item, "item")), codec.decode_add_response
        )

    def add(self, item: Any) -> bool:
        """Add ``item``; returns True if the collection changed. Raises ValueError for None."""
        return self.add_async(item).get()

    def add_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Add every item of ``items``; the result is True if the collection changed."""
        codec = self._codec
        return self._call(codec.encode_add_all_request(self.name, self._datas(items)), codec.decode_add_all_response)

    def add_all(self, items: Iterable[Any]) -> bool:
        """Add every item of ``items``; returns True if the collection changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.add_all_async(items).get()

    def remove_async(self, item: Any) -> AsyncResult[bool]:
        """Remove one occurrence of ``item``; the result is whether one was there."""
        codec = self._codec
        request = codec.encode_remove_request(self.name, self._value_data(item, "item"))
        return self._call(request, codec.decode_remove_response)

    def remove(self, item: Any) -> bool:
        """Remove one occurrence of ``item``; returns whether one was there. Raises ValueError for None."""
        return self.remove_async(item).get()

    def remove_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every occurrence of each of ``items``; the result is True if the collection changed."""
        codec = self._codec
        request = codec.encode_compare_and_remove_all_request(self.name, self._datas(items))
        return self._call(request, codec.decode_compare_and_remove_all_response)

    def remove_all(self, items: Iterable[Any]) -> bool:
        """Remove every occurrence of each of ``items``; returns True if the collection changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.remove_all_async(items).get()

    def retain_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Remove every item not in ``items``; the result is True if the collection changed."""
        codec = self._codec
        request = codec.encode_compare_and_retain_all_request(self.name, self._datas(items))
        return self._call(request, codec.decode_compare_and_retain_all_response)

    def retain_all(self, items: Iterable[Any]) -> bool:
        """Remove every item not in ``items``; returns True if the collection changed.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.retain_all_async(items).get()

    def clear_async(self) -> AsyncResult[None]:
        """Remove every item; the result is None."""
        codec = self._codec
        return self._call(codec.encode_clear_request(self.name), codec.decode_clear_response)

    def clear(self) -> None:
        """Remove every item; returns None."""
        self.clear_async().get()

    # -- reading ------------------------------------------------------------------------

    def contains_async(self, item: Any) -> AsyncResult[bool]:
        """Whether ``item`` is in the collection (the result)."""
        codec = self._codec
        request = codec.encode_contains_request(self.name, self._value_data(item, "item"))
        return self._call(request, codec.decode_contains_response)

    def contains(self, item: Any) -> bool:
        """Returns whether ``item`` is in the collection. Raises ValueError for None."""
        return self.contains_async(item).get()

    def contains_all_async(self, items: Iterable[Any]) -> AsyncResult[bool]:
        """Whether every item of ``items`` is in the collection (the result)."""
        codec = self._codec
        request = codec.encode_contains_all_request(self.name, self._datas(items))
        return self._call(request, codec.decode_contains_all_response)

    def contains_all(self, items: Iterable[Any]) -> bool:
        """Returns whether every item of ``items`` is in the collection.

        Raises ValueError for None or a None item, TypeError for a str or bytes."""
        return self.contains_all_async(items).get()

    def get_all_async(self) -> AsyncResult[List[Any]]:
        """Every item (a snapshot list) as the result."""
        codec = self._codec
        return self._call(codec.encode_get_all_request(self.name), self._objects_of(codec.decode_get_all_response))

    def get_all(self) -> List[Any]:
        """Returns every item (a snapshot list)."""
        return self.get_all_async().get()

    def size_async(self) -> AsyncResult[int]:
        """The number of items (the result)."""
        codec = self._codec
        return self._call(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of items."""
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        """Whether there are no items (the result)."""
        codec = self._codec
        return self._call(codec.encode_is_empty_request(self.name), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        """Returns whether there are no items."""
        return self.is_empty_async().get()
