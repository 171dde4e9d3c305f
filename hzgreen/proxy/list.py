"""List: the distributed list (``IList`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Items must not be None.
A list lives in one partition (that of its name), so every request goes to that
partition's owner. The operations without an index are those of
:class:`~hzgreen.proxy.collection.CollectionProxy`; item listeners are those of
:class:`~hzgreen.proxy.item_listeners.ItemListenerProxy`.

Indexes are ints counted from 0 (no negative indexes from the end): a bool, a non-int
or a negative index raises TypeError/ValueError before anything is sent, and an index
past the end fails with the member's :class:`~hzgreen.exceptions.IndexOutOfBoundsError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable
from typing import List as _List

from hzgreen.exceptions import IllegalArgumentError, IndexOutOfBoundsError
from hzgreen.protocol.codecs import list as codec
from hzgreen.proxy.collection import CollectionCodec, CollectionProxy
from hzgreen.proxy.item_listeners import ItemCodecs, ItemEvent, ItemEventType
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

__all__ = ["ItemEvent", "ItemEventType", "List"]

#: The largest index the protocol carries (a Java int).
INT_MAX = 2**31 - 1


def check_index(index: object, what: str = "index") -> int:
    """Returns ``index``; raises TypeError for a bool or non-int, ValueError for a negative
    index or one past a Java int, naming ``what``."""
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError("%s must be an int, got %r" % (what, index))
    if not 0 <= index <= INT_MAX:
        raise ValueError("%s must be between 0 and %d, got %d" % (what, INT_MAX, index))
    return index


class _IndexErrorsAsOutOfBounds:
    """Stands in for a future on one invocation: a member's IllegalArgumentError about the
    index becomes an IndexOutOfBoundsError; everything else passes through."""

    __slots__ = ("_result", "_index")

    def __init__(self, result: AsyncResult[Any], index: int) -> None:
        self._result = result
        self._index = index

    def set(self, value: Any = None) -> None:
        """The answer arrived; returns None."""
        self._result.set(value)

    def set_exception(self, error: BaseException) -> None:
        """The invocation failed; returns None."""
        if isinstance(error, IllegalArgumentError):
            out_of_bounds = IndexOutOfBoundsError(
                "index %d is past the end of the list (%s)" % (self._index, error), cause=error
            )
            out_of_bounds.__cause__ = error
            error = out_of_bounds
        self._result.set_exception(error)


class List(CollectionProxy):
    """A distributed list; see the module docstring for conventions."""

    service_name = "hz:impl:listService"
    _codec: ClassVar[CollectionCodec] = codec
    _item_codecs = ItemCodecs.of(codec)

    # -- by index -----------------------------------------------------------------------

    def add_at_async(self, index: int, item: Any) -> AsyncResult[None]:
        """Insert ``item`` at ``index`` (0 to size), shifting the rest; the result is None."""
        request = codec.encode_add_with_index_request(self.name, check_index(index), self._value_data(item, "item"))
        return self._call(request, codec.decode_add_with_index_response)

    def add_at(self, index: int, item: Any) -> None:
        """Insert ``item`` at ``index`` (0 to size), shifting the rest; returns None.

        Raises ValueError for a None item or a negative index, TypeError for a non-int
        index, IndexOutOfBoundsError for an index past the size."""
        self.add_at_async(index, item).get()

    def add_all_at_async(self, index: int, items: Iterable[Any]) -> AsyncResult[bool]:
        """Insert every item of ``items`` at ``index``, in order; the result is True if the list changed."""
        request = codec.encode_add_all_with_index_request(self.name, check_index(index), self._datas(items))
        return self._call(request, codec.decode_add_all_with_index_response)

    def add_all_at(self, index: int, items: Iterable[Any]) -> bool:
        """Insert every item of ``items`` at ``index``, in order; returns True if the list changed.

        Raises ValueError for None (or a None item) or a negative index, TypeError for a
        str or bytes or a non-int index, IndexOutOfBoundsError for an index past the size."""
        return self.add_all_at_async(index, items).get()

    def get_async(self, index: int) -> AsyncResult[Any]:
        """The item at ``index`` (the result)."""
        request = codec.encode_get_request(self.name, check_index(index))
        return self._call(request, self._object_of(codec.decode_get_response))

    def get(self, index: int) -> Any:
        """Returns the item at ``index``.

        Raises ValueError for a negative index, TypeError for a non-int one,
        IndexOutOfBoundsError for one at or past the size."""
        return self.get_async(index).get()

    def set_at_async(self, index: int, item: Any) -> AsyncResult[Any]:
        """Replace the item at ``index`` with ``item``; the result is the item replaced."""
        request = codec.encode_set_request(self.name, check_index(index), self._value_data(item, "item"))
        return self._call(request, self._object_of(codec.decode_set_response))

    def set_at(self, index: int, item: Any) -> Any:
        """Replace the item at ``index`` with ``item``; returns the item replaced.

        Raises ValueError for a None item or a negative index, TypeError for a non-int
        index, IndexOutOfBoundsError for an index at or past the size."""
        return self.set_at_async(index, item).get()

    def remove_at_async(self, index: int) -> AsyncResult[Any]:
        """Remove the item at ``index``, shifting the rest; the result is the item removed."""
        request = codec.encode_remove_with_index_request(self.name, check_index(index))
        return self._call(request, self._object_of(codec.decode_remove_with_index_response))

    def remove_at(self, index: int) -> Any:
        """Remove the item at ``index``, shifting the rest; returns the item removed.

        Raises ValueError for a negative index, TypeError for a non-int one,
        IndexOutOfBoundsError for one at or past the size."""
        return self.remove_at_async(index).get()

    def sub_list_async(self, from_index: int, to_index: int) -> AsyncResult[_List[Any]]:
        """The items from ``from_index`` (included) to ``to_index`` (excluded) as the result (a list)."""
        start, stop = check_index(from_index, "from_index"), check_index(to_index, "to_index")
        if start > stop:
            raise ValueError("from_index (%d) must not be greater than to_index (%d)" % (start, stop))
        return self._call(codec.encode_sub_request(self.name, start, stop), self._objects_of(codec.decode_sub_response))

    def sub_list(self, from_index: int, to_index: int) -> _List[Any]:
        """Returns the items from ``from_index`` (included) to ``to_index`` (excluded), a list.

        Raises ValueError for a negative index or ``from_index > to_index``, TypeError for
        a non-int index, IndexOutOfBoundsError for ``to_index`` past the size."""
        return self.sub_list_async(from_index, to_index).get()

    # -- searching ----------------------------------------------------------------------

    def index_of_async(self, item: Any) -> AsyncResult[int]:
        """The index of the first occurrence of ``item``, or -1 (the result)."""
        request = codec.encode_index_of_request(self.name, self._value_data(item, "item"))
        return self._call(request, codec.decode_index_of_response)

    def index_of(self, item: Any) -> int:
        """Returns the index of the first occurrence of ``item``, or -1. Raises ValueError for None."""
        return self.index_of_async(item).get()

    def last_index_of_async(self, item: Any) -> AsyncResult[int]:
        """The index of the last occurrence of ``item``, or -1 (the result)."""
        request = codec.encode_last_index_of_request(self.name, self._value_data(item, "item"))
        return self._call(request, codec.decode_last_index_of_response)

    def last_index_of(self, item: Any) -> int:
        """Returns the index of the last occurrence of ``item``, or -1. Raises ValueError for None."""
        return self.last_index_of_async(item).get()

    # -- iterating ----------------------------------------------------------------------

    def iterator_async(self) -> AsyncResult[_List[Any]]:
        """Every item, in order (a snapshot list), as the result."""
        return self._call(codec.encode_iterator_request(self.name), self._objects_of(codec.decode_iterator_response))

    def iterator(self) -> _List[Any]:
        """Returns every item, in order (a snapshot list, as the official client does)."""
        return self.iterator_async().get()

    def list_iterator_async(self, index: int = 0) -> AsyncResult[_List[Any]]:
        """The items from ``index`` on, in order (a snapshot list), as the result.

        The member refuses an index past the size with an IllegalArgumentError; it is
        reported as the IndexOutOfBoundsError every other index method fails with."""
        request = codec.encode_list_iterator_request(self.name, check_index(index))
        result: AsyncResult[_List[Any]] = self._handler.async_result()
        self._invocations.invoke(
            Invocation(
                request,
                _IndexErrorsAsOutOfBounds(result, index),
                self._partition(),
                None,
                self._objects_of(codec.decode_list_iterator_response),
                None,
                False,
                self.name,
            )
        )
        return result

    def list_iterator(self, index: int = 0) -> _List[Any]:
        """Returns the items from ``index`` on, in order (a snapshot list).

        Raises ValueError for a negative index, TypeError for a non-int one,
        IndexOutOfBoundsError for one past the size."""
        return self.list_iterator_async(index).get()
