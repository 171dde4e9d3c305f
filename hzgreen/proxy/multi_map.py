"""MultiMap: a distributed map whose keys hold several values (``MultiMap`` on the member).

Method and parameter names are the official Hazelcast Python client's; every method has
an ``_async`` twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Keys and
values must not be None; arguments are checked before anything is sent. Whether a key's
values form a set (the member's default: a value is stored once per key) or a list
(duplicates kept) is the member's ``value-collection-type`` setting for the multimap.
Returned collections are snapshot lists, not views.

Key locks are in :mod:`hzgreen.proxy.multi_map_locks`, entry listeners in
:mod:`hzgreen.proxy.multi_map_listeners`. Key operations carry the calling thread's (or
greenlet's) identity, so the owner of a key lock can change the key while others wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Tuple

from hzgreen.protocol.codecs import multi_map as codec
from hzgreen.proxy.base import Proxy, check_not_none
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.multi_map_listeners import MultiMapListenerMixin
from hzgreen.proxy.multi_map_locks import MultiMapLockMixin

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext


def _merge_nothing(_: List[None]) -> None:
    return None


class MultiMap(MultiMapLockMixin, MultiMapListenerMixin, Proxy):
    """A distributed multimap; see the module docstring for conventions."""

    service_name = "hz:impl:multiMapService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        to_object = self._to_object
        self._thread_id = self._handler.current_identity

        def objects_of(decode: Callable[[ClientMessage], List[bytes]]) -> Callable[[ClientMessage], List[Any]]:
            return lambda m: [to_object(data) for data in decode(m)]

        def pairs_of(message: ClientMessage) -> List[Tuple[Any, Any]]:
            return [(to_object(k), to_object(v)) for k, v in codec.decode_entry_set_response(message)]

        self._values_of_get = objects_of(codec.decode_get_response)
        self._values_of_remove = objects_of(codec.decode_remove_response)
        self._keys_of_key_set = objects_of(codec.decode_key_set_response)
        self._values_of_values = objects_of(codec.decode_values_response)
        self._pairs_of_entry_set = pairs_of

    # -- single-key operations -----------------------------------------------------------

    def put_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`put`; raises ValueError for a None key or value before sending."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        request = codec.encode_put_request(self.name, key_data, value_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_put_response)

    def put(self, key: Any, value: Any) -> bool:
        """Add ``value`` to the values of ``key``.

        Returns True if the multimap grew, False if a set-valued multimap already held
        the pair. Raises ValueError for a None key or value.
        """
        return self.put_async(key, value).get()

    def get_async(self, key: Any) -> AsyncResult[List[Any]]:
        """Like :meth:`get`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = codec.encode_get_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, self._values_of_get)

    def get(self, key: Any) -> List[Any]:
        """Returns the values of ``key`` as a new list (empty when the key has none).

        Raises ValueError for a None key.
        """
        return self.get_async(key).get()

    def remove_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`remove`; raises ValueError for a None key or value before sending."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        request = codec.encode_remove_entry_request(self.name, key_data, value_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_remove_entry_response)

    def remove(self, key: Any, value: Any) -> bool:
        """Remove one ``value`` from the values of ``key``.

        Returns True if it was there. Raises ValueError for a None key or value.
        """
        return self.remove_async(key, value).get()

    def remove_all_async(self, key: Any) -> AsyncResult[List[Any]]:
        """Like :meth:`remove_all`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = codec.encode_remove_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, self._values_of_remove)

    def remove_all(self, key: Any) -> List[Any]:
        """Remove ``key`` with all its values; returns the removed values (a list).

        Raises ValueError for a None key.
        """
        return self.remove_all_async(key).get()

    def delete_async(self, key: Any) -> AsyncResult[None]:
        """Like :meth:`delete`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = codec.encode_delete_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, _none)

    def delete(self, key: Any) -> None:
        """Remove ``key`` with all its values without returning them; returns None.

        Raises ValueError for a None key.
        """
        self.delete_async(key).get()

    def contains_key_async(self, key: Any) -> AsyncResult[bool]:
        """Like :meth:`contains_key`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = codec.encode_contains_key_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_contains_key_response)

    def contains_key(self, key: Any) -> bool:
        """Returns whether ``key`` has at least one value; raises ValueError for a None key."""
        return self.contains_key_async(key).get()

    def contains_entry_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`contains_entry`; raises ValueError for a None key or value before sending."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        request = codec.encode_contains_entry_request(self.name, key_data, value_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_contains_entry_response)

    def contains_entry(self, key: Any, value: Any) -> bool:
        """Returns whether ``value`` is among the values of ``key``.

        Raises ValueError for a None key or value.
        """
        return self.contains_entry_async(key, value).get()

    def value_count_async(self, key: Any) -> AsyncResult[int]:
        """Like :meth:`value_count`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = codec.encode_value_count_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_value_count_response)

    def value_count(self, key: Any) -> int:
        """Returns how many values ``key`` has (0 for none); raises ValueError for a None key."""
        return self.value_count_async(key).get()

    # -- several keys -------------------------------------------------------------------

    def put_all_async(self, multimap: Mapping[Any, Iterable[Any]]) -> AsyncResult[None]:
        """Like :meth:`put_all`; one request per partition, sent in parallel.

        Raises, before anything is sent, ValueError for a None ``multimap``, key, values
        collection or value, TypeError for a ``multimap`` that is not a mapping or a values
        collection that is a str, bytes or not iterable.
        """
        check_not_none(multimap, "multimap")
        if not isinstance(multimap, Mapping):
            raise TypeError("multimap must be a mapping of key -> collection of values, got %r" % (multimap,))
        by_partition: Dict[int, List[Tuple[bytes, List[bytes]]]] = {}
        partition_id_of = self._partitions.partition_id_of
        for key, values in multimap.items():
            key_data = self._key_data(key)
            check_not_none(values, "the values of key %r" % (key,))
            if isinstance(values, (str, bytes, bytearray)) or not isinstance(values, Iterable):
                raise TypeError(
                    "the values of key %r must be a collection of values, got %s" % (key, type(values).__name__)
                )
            values_data = [self._value_data(value, "a value of key %r" % (key,)) for value in values]
            if not values_data:
                continue  # the member would keep the key with no values
            by_partition.setdefault(partition_id_of(key_data), []).append((key_data, values_data))
        name = self.name
        requests = {pid: codec.encode_put_all_request(name, entries) for pid, entries in by_partition.items()}
        return self._fan_out(requests, _none, _merge_nothing)

    def put_all(self, multimap: Mapping[Any, Iterable[Any]]) -> None:
        """Add, for each key of ``multimap``, every value of its collection; returns None.

        A key with an empty collection is left out (the member would otherwise keep it as
        a key with no values, which ``contains_key`` then reports). Not atomic: if a partition's request fails, the others may still have been
        applied. Raises ValueError/TypeError for bad arguments (see :meth:`put_all_async`).
        """
        self.put_all_async(multimap).get()

    # -- whole-multimap operations ------------------------------------------------------

    def contains_value_async(self, value: Any) -> AsyncResult[bool]:
        """Like :meth:`contains_value`; raises ValueError for a None value before sending."""
        value_data = self._value_data(value)
        request = codec.encode_contains_value_request(self.name, value_data)
        return self._invoke(request, codec.decode_contains_value_response)

    def contains_value(self, value: Any) -> bool:
        """Returns whether any key has ``value``; raises ValueError for a None value."""
        return self.contains_value_async(value).get()

    def key_set_async(self) -> AsyncResult[List[Any]]:
        """Like :meth:`key_set`."""
        return self._invoke(codec.encode_key_set_request(self.name), self._keys_of_key_set)

    def key_set(self) -> List[Any]:
        """Returns every key (each once) as a new list."""
        return self.key_set_async().get()

    def values_async(self) -> AsyncResult[List[Any]]:
        """Like :meth:`values`."""
        return self._invoke(codec.encode_values_request(self.name), self._values_of_values)

    def values(self) -> List[Any]:
        """Returns the values of every key, as a new list."""
        return self.values_async().get()

    def entry_set_async(self) -> AsyncResult[List[Tuple[Any, Any]]]:
        """Like :meth:`entry_set`."""
        return self._invoke(codec.encode_entry_set_request(self.name), self._pairs_of_entry_set)

    def entry_set(self) -> List[Tuple[Any, Any]]:
        """Returns every (key, value) pair, one per value, as a new list."""
        return self.entry_set_async().get()

    def size_async(self) -> AsyncResult[int]:
        """Like :meth:`size`."""
        return self._invoke(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of (key, value) pairs."""
        return self.size_async().get()

    def clear_async(self) -> AsyncResult[None]:
        """Like :meth:`clear`."""
        return self._invoke(codec.encode_clear_request(self.name), _none)

    def clear(self) -> None:
        """Remove every key and value; returns None."""
        self.clear_async().get()
