"""ReplicatedMap: a key-value map replicated in full on every member (``ReplicatedMap`` on the member).

Every operation has a synchronous form and an ``_async`` twin returning an
:class:`~hzgreen.interfaces.IAsyncResult`. Keys and values must not be ``None``;
arguments are checked before anything is sent. ``ttl`` is seconds (``0`` or ``None``:
the entry lives until removed).

Routing follows the protocol definitions, as the official client does: operations on one
key (``put``, ``get``, ``remove``, ``contains_key``) go to the owner of the key's
partition; whole-map reads (``size``, ``is_empty``, ``contains_value``, ``key_set``,
``values``, ``entry_set``) go to the owner of one partition picked at random when the
proxy is made, so the reads of different clients spread over the members, each answering
from its own replica; ``put_all`` and ``clear`` go to any member. Replication is
asynchronous: a write is visible on the member that made it at once and on the others
shortly after.

``values()`` takes no comparator: the protocol's ``ReplicatedMap.values`` request
carries only the map name, so a comparator could only sort the fetched list on the
client (which is what the Java client's ``values(Comparator)`` does); the official Python
client offers none, and ``sorted(rmap.values(), key=...)`` does the same.
Entry listeners are in :mod:`hzgreen.proxy.replicated_map_listeners`.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Callable, List, Mapping, Optional, Tuple, TypeVar

from hzgreen.protocol.codecs import replicated_map as codec
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.base import to_millis
from hzgreen.proxy.replicated_map_listeners import ReplicatedMapListenerMixin

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

T = TypeVar("T")


class ReplicatedMap(ReplicatedMapListenerMixin):
    """A distributed replicated map; see the module docstring for conventions."""

    service_name = "hz:impl:replicatedMapService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        self._read_partition = -1
        to_object = self._to_object

        def value_of(decode: Callable[[ClientMessage], Optional[bytes]]) -> Callable[[ClientMessage], Any]:
            return lambda m: to_object(decode(m))

        def items_of(decode: Callable[[ClientMessage], List[bytes]]) -> Callable[[ClientMessage], List[Any]]:
            return lambda m: [to_object(d) for d in decode(m)]

        def entries_of(m: ClientMessage) -> List[Tuple[Any, Any]]:
            return [(to_object(k), to_object(v)) for k, v in codec.decode_entry_set_response(m)]

        self._value_of_put = value_of(codec.decode_put_response)
        self._value_of_get = value_of(codec.decode_get_response)
        self._value_of_remove = value_of(codec.decode_remove_response)
        self._keys_of = items_of(codec.decode_key_set_response)
        self._values_of = items_of(codec.decode_values_response)
        self._entries_of = entries_of

    def _invoke_read(self, request: ClientMessage, response_handler: Callable[[ClientMessage], T]) -> AsyncResult[T]:
        """Send a whole-map read to the owner of this proxy's random partition (any member
        while the partition count is not known yet); the result is ``response_handler(response)``."""
        if self._read_partition < 0:
            count = self._partitions.partition_count
            if count:
                self._read_partition = random.randrange(count)
        return self._invoke_on_partition(request, self._read_partition, response_handler)

    # -- single-key operations -------------------------------------------------------------

    def put_async(self, key: Any, value: Any, ttl: Optional[float] = 0) -> AsyncResult[Any]:
        """Store ``value`` under ``key`` for ``ttl`` seconds (0 or None: for ever); the result is the previous value or None."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        ttl_ms = to_millis(ttl, "ttl", 0)
        return self._invoke_on_key(
            codec.encode_put_request(self.name, key_data, value_data, ttl_ms), key_data, self._value_of_put
        )

    def put(self, key: Any, value: Any, ttl: Optional[float] = 0) -> Any:
        """Store ``value`` under ``key`` for ``ttl`` seconds (0 or None: for ever); returns the previous value or None.

        Raises ValueError for a None key or value or a negative ttl, TypeError for a ttl
        that is not a number."""
        return self.put_async(key, value, ttl).get()

    def get_async(self, key: Any) -> AsyncResult[Any]:
        """The value stored under ``key``, or None."""
        key_data = self._key_data(key)
        return self._invoke_on_key(codec.encode_get_request(self.name, key_data), key_data, self._value_of_get)

    def get(self, key: Any) -> Any:
        """Returns the value stored under ``key``, or None; raises ValueError for a None key."""
        return self.get_async(key).get()

    def remove_async(self, key: Any) -> AsyncResult[Any]:
        """Remove the entry of ``key``; the result is its value, or None if there was none."""
        key_data = self._key_data(key)
        return self._invoke_on_key(codec.encode_remove_request(self.name, key_data), key_data, self._value_of_remove)

    def remove(self, key: Any) -> Any:
        """Remove the entry of ``key``; returns its value, or None. Raises ValueError for a None key."""
        return self.remove_async(key).get()

    def contains_key_async(self, key: Any) -> AsyncResult[bool]:
        """Whether the map has an entry for ``key``."""
        key_data = self._key_data(key)
        return self._invoke_on_key(
            codec.encode_contains_key_request(self.name, key_data), key_data, codec.decode_contains_key_response
        )

    def contains_key(self, key: Any) -> bool:
        """Returns whether the map has an entry for ``key``; raises ValueError for a None key."""
        return self.contains_key_async(key).get()

    # -- whole-map operations --------------------------------------------------------------

    def contains_value_async(self, value: Any) -> AsyncResult[bool]:
        """Whether some entry has the value ``value``."""
        value_data = self._value_data(value)
        return self._invoke_read(
            codec.encode_contains_value_request(self.name, value_data), codec.decode_contains_value_response
        )

    def contains_value(self, value: Any) -> bool:
        """Returns whether some entry has the value ``value``; raises ValueError for None."""
        return self.contains_value_async(value).get()

    def size_async(self) -> AsyncResult[int]:
        """The number of entries."""
        return self._invoke_read(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of entries."""
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        """Whether the map has no entry."""
        return self._invoke_read(codec.encode_is_empty_request(self.name), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        """Returns whether the map has no entry."""
        return self.is_empty_async().get()

    def key_set_async(self) -> AsyncResult[List[Any]]:
        """Every key (a snapshot list, in no particular order)."""
        return self._invoke_read(codec.encode_key_set_request(self.name), self._keys_of)

    def key_set(self) -> List[Any]:
        """Returns every key (a snapshot list, in no particular order)."""
        return self.key_set_async().get()

    def values_async(self) -> AsyncResult[List[Any]]:
        """Every value (a snapshot list, in no particular order; see the module docstring on comparators)."""
        return self._invoke_read(codec.encode_values_request(self.name), self._values_of)

    def values(self) -> List[Any]:
        """Returns every value (a snapshot list, in no particular order)."""
        return self.values_async().get()

    def entry_set_async(self) -> AsyncResult[List[Tuple[Any, Any]]]:
        """Every entry as a ``(key, value)`` tuple (a snapshot list, in no particular order)."""
        return self._invoke_read(codec.encode_entry_set_request(self.name), self._entries_of)

    def entry_set(self) -> List[Tuple[Any, Any]]:
        """Returns every entry as a ``(key, value)`` tuple (a snapshot list)."""
        return self.entry_set_async().get()

    def put_all_async(self, source: Mapping[Any, Any]) -> AsyncResult[None]:
        """Store every entry of ``source`` (one request; the member spreads it over the partitions)."""
        if source is None:
            raise ValueError("source must not be None")
        if not isinstance(source, Mapping):
            raise TypeError("source must be a mapping, got %r" % (type(source).__name__,))
        entries = [
            (self._key_data(key), self._value_data(value, "value of key %r" % (key,))) for key, value in source.items()
        ]
        return self._invoke(codec.encode_put_all_request(self.name, entries), _none)

    def put_all(self, source: Mapping[Any, Any]) -> None:
        """Store every entry of ``source``; returns None.

        Raises ValueError for None (or a None key or value in it), TypeError for
        anything but a mapping."""
        self.put_all_async(source).get()

    def clear_async(self) -> AsyncResult[None]:
        """Remove every entry (on every member)."""
        return self._invoke(codec.encode_clear_request(self.name), _none)

    def clear(self) -> None:
        """Remove every entry (on every member); returns None."""
        self.clear_async().get()
