"""Paged iteration over a whole Map (mixed into Map), like pyignite's scan cursor.

``Map.iterate(page_size)`` walks the map one partition at a time with
``Map.fetchEntries`` (or ``fetchKeys``), holding at most one page in memory::

    with m.iterate(page_size=500) as cursor:
        for key, value in cursor:
            ...

Each page is fetched from the partition's owner when the previous one is used up.
Entries added, removed or moved while iterating may or may not be seen, and an entry
may be seen twice if its partition migrates meanwhile (the member's iteration
pointers make that rare); nothing is locked. Deserialization happens in the
iterating thread or greenlet, so values of Compact types this client has never seen
work too (their schemas are fetched).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any, Deque, Dict, Iterator, List, Tuple

from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Proxy

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

_START = [(2**31 - 1, -1)]


def _keys_page(message: ClientMessage) -> Dict[str, Any]:
    return dict(codec.decode_fetch_keys_response(message))


def _entries_page(message: ClientMessage) -> Dict[str, Any]:
    return dict(codec.decode_fetch_entries_response(message))


class MapIterator:
    """An iterator (and context manager) over the entries or keys of a Map."""

    def __init__(self, map_proxy: Proxy, page_size: int, keys_only: bool) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size <= 0:
            raise ValueError("page_size must be a positive int, got %r" % (page_size,))
        self._map = map_proxy
        self._page_size = page_size
        self._keys_only = keys_only
        self._partition = 0
        self._pointers: List[Tuple[int, int]] = list(_START)
        # The current page, still serialized: keys (keys_only) or entries.
        self._keys: Deque[bytes] = collections.deque()
        self._entries: Deque[Tuple[bytes, bytes]] = collections.deque()
        self._to_object = map_proxy._context.schemas.to_object
        self.closed = False
        #: How many pages have been fetched so far.
        self.pages_fetched = 0

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        """The next key, or ``(key, value)``; raises StopIteration after the last one."""
        keys, entries = self._keys, self._entries
        while not keys and not entries:
            if self.closed or self._partition >= self._map._partitions.partition_count:
                self.closed = True
                raise StopIteration
            self._fetch()
        to_object = self._to_object
        if self._keys_only:
            return to_object(keys.popleft())
        key, value = entries.popleft()
        return to_object(key), to_object(value)

    def _fetch(self) -> None:
        """Fetch the next page of the current partition (moving on when it is the last one)."""
        self._absorb(self._request_page().get())

    def _request_page(self) -> "AsyncResult[Dict[str, Any]]":
        """Ask the current partition's owner for the next page; the result is the decoded response."""
        proxy = self._map
        if self._keys_only:
            request = codec.encode_fetch_keys_request(proxy.name, self._pointers, self._page_size)
            return proxy._invoke_on_partition(request, self._partition, _keys_page)
        request = codec.encode_fetch_entries_request(proxy.name, self._pointers, self._page_size)
        return proxy._invoke_on_partition(request, self._partition, _entries_page)

    def _absorb(self, page: Dict[str, Any]) -> None:
        """Keep a fetched page and move the pointers (to the next partition after its last page)."""
        pointers = page["iteration_pointers"]
        if self._keys_only:
            found = len(page["keys"])
            self._keys.extend(page["keys"])
        else:
            found = len(page["entries"])
            self._entries.extend(page["entries"])
        self.pages_fetched += 1
        if not found or not pointers or pointers[-1][0] < 0:
            self._partition += 1
            self._pointers = list(_START)
        else:
            self._pointers = list(pointers)

    def close(self) -> None:
        """Stop iterating and drop the current page."""
        self.closed = True
        self._keys.clear()
        self._entries.clear()

    def __enter__(self) -> "MapIterator":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<MapIterator %s partition=%d pages=%d%s>" % (
            self._map.name,
            self._partition,
            self.pages_fetched,
            " closed" if self.closed else "",
        )


class MapIterationMixin(Proxy):
    """``iterate`` on a Map."""

    def iterate(self, page_size: int = 100, keys_only: bool = False) -> MapIterator:
        """Iterate over ``(key, value)`` (or keys) fetching ``page_size`` entries at a time.

        Returns the iterator; raises ValueError for a ``page_size`` that is not an int > 0."""
        return MapIterator(self, page_size, keys_only)

    def iterate_async(self, page_size: int = 100, keys_only: bool = False) -> AsyncResult[MapIterator]:
        """Like :meth:`iterate`; the result is the iterator once its first page has arrived.

        Raises ValueError for a ``page_size`` that is not an int > 0."""
        cursor = MapIterator(self, page_size, keys_only)
        result: AsyncResult[MapIterator] = self._handler.async_result()
        if self._partitions.partition_count == 0:
            result.set(cursor)
            return result

        def first_page(page: AsyncResult[Dict[str, Any]]) -> None:
            try:
                cursor._absorb(page.get())
            except BaseException as error:
                result.set_exception(error)
            else:
                result.set(cursor)

        cursor._request_page().add_done_callback(first_page)
        return result
