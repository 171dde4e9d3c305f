"""Map: the distributed key-value map (``IMap`` on the member).

Every operation has a synchronous form and an ``_async`` twin returning an
:class:`~hzgreen.interfaces.IAsyncResult`. Keys and values must not be ``None``;
arguments are checked before anything is sent. ``ttl`` and ``max_idle`` are seconds
(``None`` keeps the map's configured default, ``0`` means forever).

``key_hint`` / ``value_hint`` (keyword-only) store a key or value as a given
Java type, for maps shared with Java code: ``m.put(7, 1.5, key_hint="short",
value_hint="float")`` writes a ``Short`` key and a ``Float`` value. A hint is a
:class:`hzgreen.serialization.JavaType` or its name; see :mod:`hzgreen.serialization.hints`.
Queries, aggregations, projections and entry processors are in
:mod:`hzgreen.proxy.map_query`, paged iteration in :mod:`hzgreen.proxy.map_iteration`,
per-key locks in :mod:`hzgreen.proxy.map_locks`, conditional and timed writes in
:mod:`hzgreen.proxy.map_writes`, eviction, loading, indexes, entry views and
interceptors in :mod:`hzgreen.proxy.map_admin`, the event journal in
:mod:`hzgreen.proxy.event_journal`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Hint, Proxy, check_not_none, to_millis
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.event_journal import MapEventJournalMixin
from hzgreen.proxy.map_admin import MapAdminMixin
from hzgreen.proxy.map_iteration import MapIterationMixin
from hzgreen.proxy.map_listeners import MapListenerMixin
from hzgreen.proxy.map_query import MapQueryMixin
from hzgreen.proxy.map_writes import MapWriteMixin
from hzgreen.serialization.hints import typed

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.query.predicate import Predicate
    from hzgreen.runtime.context import RuntimeContext

    _ValueOf = Callable[[ClientMessage], Any]


class Map(
    MapQueryMixin,
    MapIterationMixin,
    MapListenerMixin,
    MapWriteMixin,
    MapAdminMixin,
    MapEventJournalMixin,
    Proxy,
):
    """A distributed map; see the module docstring for conventions."""

    service_name = "hz:impl:mapService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        to_object = self._to_object
        self._thread_id = self._handler.current_identity
        self._value_of_get: _ValueOf = lambda m: to_object(codec.decode_get_response(m))
        self._value_of_put: _ValueOf = lambda m: to_object(codec.decode_put_response(m))
        self._value_of_remove: _ValueOf = lambda m: to_object(codec.decode_remove_response(m))
        self._value_of_put_if_absent: _ValueOf = lambda m: to_object(codec.decode_put_if_absent_response(m))
        self._value_of_put_max_idle: _ValueOf = lambda m: to_object(codec.decode_put_with_max_idle_response(m))
        self._value_of_put_if_absent_max_idle: _ValueOf = lambda m: to_object(
            codec.decode_put_if_absent_with_max_idle_response(m)
        )
        self._value_of_replace: _ValueOf = lambda m: to_object(codec.decode_replace_response(m))

    # -- single-key operations -----------------------------------------------------------

    def put_async(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> AsyncResult[Any]:
        """Store ``value`` under ``key``; the result is the previous value or None."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
        ttl_ms = to_millis(ttl, "ttl")
        if max_idle is None:
            request = codec.encode_put_request(self.name, key_data, value_data, self._thread_id(), ttl_ms)
            return self._invoke_on_key(request, key_data, self._value_of_put)
        request = codec.encode_put_with_max_idle_request(
            self.name, key_data, value_data, self._thread_id(), ttl_ms, to_millis(max_idle, "max_idle")
        )
        return self._invoke_on_key(request, key_data, self._value_of_put_max_idle)

    def put(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> Any:
        """Stores ``value`` under ``key`` (for ``ttl``/``max_idle`` seconds); returns the previous value,
        or None. Raises ValueError for a None key or value, HzSerializationError when one cannot be
        serialized, HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        return self.put_async(key, value, ttl, max_idle, key_hint=key_hint, value_hint=value_hint).get()

    def set_async(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> AsyncResult[None]:
        """Store ``value`` under ``key`` without returning the previous value (cheaper than put)."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
        ttl_ms = to_millis(ttl, "ttl")
        if max_idle is None:
            request = codec.encode_set_request(self.name, key_data, value_data, self._thread_id(), ttl_ms)
        else:
            request = codec.encode_set_with_max_idle_request(
                self.name, key_data, value_data, self._thread_id(), ttl_ms, to_millis(max_idle, "max_idle")
            )
        return self._invoke_on_key(request, key_data, _none)

    def set(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> None:
        """Stores ``value`` under ``key`` without reading the previous value (cheaper than put); returns
        None. Raises ValueError for a None key or value, HzSerializationError when one cannot be
        serialized, HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        self.set_async(key, value, ttl, max_idle, key_hint=key_hint, value_hint=value_hint).get()

    def get_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[Any]:
        """The value stored under ``key``, or None."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        request = codec.encode_get_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, self._value_of_get)

    def get(self, key: Any, *, key_hint: Hint = None) -> Any:
        """Returns the value stored under ``key``, or None when there is none. Raises ValueError for a None
        key, HzSerializationError when it cannot be serialized, HzTimeoutError past
        ``invocation_timeout``, or the member's error (a HazelcastServerError)."""
        return self.get_async(key, key_hint=key_hint).get()

    def remove_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[Any]:
        """Remove ``key``; the result is the removed value or None."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        request = codec.encode_remove_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, self._value_of_remove)

    def remove(self, key: Any, *, key_hint: Hint = None) -> Any:
        """Removes ``key``; returns the value it had, or None. Raises ValueError for a None key,
        HzSerializationError when it cannot be serialized, HzTimeoutError past ``invocation_timeout``,
        or the member's error (a HazelcastServerError)."""
        return self.remove_async(key, key_hint=key_hint).get()

    def delete_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[None]:
        """Remove ``key`` without returning the old value."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        request = codec.encode_delete_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, _none)

    def delete(self, key: Any, *, key_hint: Hint = None) -> None:
        """Removes ``key`` without reading its value; returns None. Raises ValueError for a None key,
        HzSerializationError when it cannot be serialized, HzTimeoutError past ``invocation_timeout``,
        or the member's error (a HazelcastServerError)."""
        self.delete_async(key, key_hint=key_hint).get()

    def contains_key_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[bool]:
        """An async result of whether ``key`` has a value. The async result raises what the synchronous
        form raises; bad arguments raise at once."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        request = codec.encode_contains_key_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_contains_key_response)

    def contains_key(self, key: Any, *, key_hint: Hint = None) -> bool:
        """Returns whether ``key`` has a value. Raises ValueError for a None key, HzSerializationError when
        it cannot be serialized, HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        return self.contains_key_async(key, key_hint=key_hint).get()

    def put_if_absent_async(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> AsyncResult[Any]:
        """Store ``value`` only if ``key`` has none; the result is the existing value or None."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
        ttl_ms = to_millis(ttl, "ttl")
        if max_idle is None:
            request = codec.encode_put_if_absent_request(self.name, key_data, value_data, self._thread_id(), ttl_ms)
            return self._invoke_on_key(request, key_data, self._value_of_put_if_absent)
        request = codec.encode_put_if_absent_with_max_idle_request(
            self.name, key_data, value_data, self._thread_id(), ttl_ms, to_millis(max_idle, "max_idle")
        )
        return self._invoke_on_key(request, key_data, self._value_of_put_if_absent_max_idle)

    def put_if_absent(
        self,
        key: Any,
        value: Any,
        ttl: Optional[float] = None,
        max_idle: Optional[float] = None,
        *,
        key_hint: Hint = None,
        value_hint: Hint = None,
    ) -> Any:
        """Stores ``value`` only if ``key`` has no value; returns the existing value, or None if it stored.
        Raises ValueError for a None key or value, HzSerializationError when one cannot be serialized,
        HzTimeoutError past ``invocation_timeout``, or the member's error (a HazelcastServerError)."""
        return self.put_if_absent_async(key, value, ttl, max_idle, key_hint=key_hint, value_hint=value_hint).get()

    def replace_async(
        self, key: Any, value: Any, *, key_hint: Hint = None, value_hint: Hint = None
    ) -> AsyncResult[Any]:
        """Replace the value of ``key`` only if it has one; the result is the old value or None."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
        request = codec.encode_replace_request(self.name, key_data, value_data, self._thread_id())
        return self._invoke_on_key(request, key_data, self._value_of_replace)

    def replace(self, key: Any, value: Any, *, key_hint: Hint = None, value_hint: Hint = None) -> Any:
        """Replaces the value of ``key`` only if it has one; returns the old value, or None (nothing
        stored). Raises ValueError for a None key or value, HzSerializationError when one cannot be
        serialized, HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        return self.replace_async(key, value, key_hint=key_hint, value_hint=value_hint).get()

    def replace_if_same_async(
        self, key: Any, old_value: Any, new_value: Any, *, key_hint: Hint = None, value_hint: Hint = None
    ) -> AsyncResult[bool]:
        """Replace the value of ``key`` only if it currently equals ``old_value``; result: replaced?"""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        old_data = self._value_data(old_value if value_hint is None else _hinted(old_value, value_hint), "old_value")
        new_data = self._value_data(new_value if value_hint is None else _hinted(new_value, value_hint), "new_value")
        request = codec.encode_replace_if_same_request(self.name, key_data, old_data, new_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_replace_if_same_response)

    def replace_if_same(
        self, key: Any, old_value: Any, new_value: Any, *, key_hint: Hint = None, value_hint: Hint = None
    ) -> bool:
        """Replaces the value of ``key`` only if it equals ``old_value``; returns whether it did. Raises
        ValueError for a None key or value, HzSerializationError when one cannot be serialized,
        HzTimeoutError past ``invocation_timeout``, or the member's error (a HazelcastServerError)."""
        return self.replace_if_same_async(key, old_value, new_value, key_hint=key_hint, value_hint=value_hint).get()

    def blocking(self) -> "Map":
        """Returns this map: its methods already block (the official client's ``blocking()``
        view); the ``_async`` twins return async results."""
        return self

    # -- whole-map operations -----------------------------------------------------------

    def contains_value_async(self, value: Any, *, value_hint: Hint = None) -> AsyncResult[bool]:
        """An async result of whether some entry has ``value``. The async result raises what the
        synchronous form raises; bad arguments raise at once."""
        value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
        request = codec.encode_contains_value_request(self.name, value_data)
        return self._invoke(request, codec.decode_contains_value_response)

    def contains_value(self, value: Any, *, value_hint: Hint = None) -> bool:
        """Returns whether some entry has ``value`` (a scan on the members). Raises ValueError for None,
        HzSerializationError, HzTimeoutError past ``invocation_timeout``, or the member's error."""
        return self.contains_value_async(value, value_hint=value_hint).get()

    def size_async(self) -> AsyncResult[int]:
        """An async result of the number of entries. The async result raises what the synchronous form
        raises; bad arguments raise at once."""
        return self._invoke(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of entries. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (a HazelcastServerError)."""
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        """An async result of whether the map has no entry. The async result raises what the synchronous
        form raises; bad arguments raise at once."""
        return self._invoke(codec.encode_is_empty_request(self.name), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        """Returns whether the map has no entry. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (a HazelcastServerError)."""
        return self.is_empty_async().get()

    def clear_async(self) -> AsyncResult[None]:
        """Remove every entry."""
        return self._invoke(codec.encode_clear_request(self.name), _none)

    def clear(self) -> None:
        """Removes every entry; returns None. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (a HazelcastServerError)."""
        self.clear_async().get()

    def key_set_async(self, predicate: Optional[Predicate] = None) -> AsyncResult[List[Any]]:
        """An async result of the keys (of the entries matching ``predicate``, if given). The async result
        raises what the synchronous form raises; bad arguments raise at once."""
        if predicate is not None:  # queries: hzgreen.proxy.map_query
            return self._key_set_with_predicate_async(predicate)
        to_object = self._to_object
        return self._invoke(
            codec.encode_key_set_request(self.name), lambda m: [to_object(d) for d in codec.decode_key_set_response(m)]
        )

    def key_set(self, predicate: Optional[Predicate] = None) -> List[Any]:
        """Every key, or those of entries matching ``predicate`` (a list; order is not defined)."""
        return self.key_set_async(predicate).get()

    def values_async(self, predicate: Optional[Predicate] = None) -> AsyncResult[List[Any]]:
        """An async result of the values (of the entries matching ``predicate``, if given). The async
        result raises what the synchronous form raises; bad arguments raise at once."""
        if predicate is not None:  # queries: hzgreen.proxy.map_query
            return self._values_with_predicate_async(predicate)
        to_object = self._to_object
        return self._invoke(
            codec.encode_values_request(self.name), lambda m: [to_object(d) for d in codec.decode_values_response(m)]
        )

    def values(self, predicate: Optional[Predicate] = None) -> List[Any]:
        """Returns every value, or those of entries matching ``predicate`` (a list; order is not defined).
        Raises HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        return self.values_async(predicate).get()

    def entry_set_async(self, predicate: Optional[Predicate] = None) -> AsyncResult[List[Tuple[Any, Any]]]:
        """An async result of the ``(key, value)`` pairs (matching ``predicate``, if given). The async
        result raises what the synchronous form raises; bad arguments raise at once."""
        if predicate is not None:  # queries: hzgreen.proxy.map_query
            return self._entry_set_with_predicate_async(predicate)
        to_object = self._to_object
        return self._invoke(
            codec.encode_entry_set_request(self.name),
            lambda m: [(to_object(k), to_object(v)) for k, v in codec.decode_entry_set_response(m)],
        )

    def entry_set(self, predicate: Optional[Predicate] = None) -> List[Tuple[Any, Any]]:
        """Every entry (or those matching ``predicate``) as ``(key, value)`` pairs."""
        return self.entry_set_async(predicate).get()

    def get_all_async(self, keys: Iterable[Any], *, key_hint: Hint = None) -> AsyncResult[Dict[Any, Any]]:
        """The values of ``keys`` as a dict; absent keys are left out. One request per partition."""
        keys = _as_collection(keys, "keys")
        groups = self._group_by_partition(
            self._key_data(key if key_hint is None else _hinted(key, key_hint)) for key in keys
        )
        requests = {pid: codec.encode_get_all_request(self.name, datas) for pid, datas in groups.items()}
        to_object = self._to_object

        def entries(message: ClientMessage) -> List[Tuple[Any, Any]]:
            return [(to_object(k), to_object(v)) for k, v in codec.decode_get_all_response(message)]

        def merge(parts: List[List[Tuple[Any, Any]]]) -> Dict[Any, Any]:
            result: Dict[Any, Any] = {}
            for part in parts:
                result.update(part)
            return result

        return self._fan_out(requests, entries, merge)

    def get_all(self, keys: Iterable[Any], *, key_hint: Hint = None) -> Dict[Any, Any]:
        """Returns the values of ``keys`` as a dict; absent keys are left out. Raises TypeError for a str
        or non-iterable ``keys``, ValueError for None, HzTimeoutError past ``invocation_timeout``, or
        the member's error."""
        return self.get_all_async(keys, key_hint=key_hint).get()

    def put_all_async(
        self, entries: Mapping[Any, Any], *, key_hint: Hint = None, value_hint: Hint = None
    ) -> AsyncResult[None]:
        """Store every entry of ``entries``. One request per partition."""
        if not isinstance(entries, Mapping):
            raise TypeError("entries must be a mapping, got %r" % (type(entries).__name__,))
        partition_id_of = self._partitions.partition_id_of
        groups: Dict[int, List[Tuple[bytes, bytes]]] = {}
        for key, value in entries.items():
            key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
            value_data = self._value_data(value if value_hint is None else _hinted(value, value_hint))
            groups.setdefault(partition_id_of(key_data), []).append((key_data, value_data))
        requests = {
            pid: codec.encode_put_all_request(self.name, pairs, trigger_map_loader=True)
            for pid, pairs in groups.items()
        }
        return self._fan_out(requests, _none, _none)

    def put_all(self, entries: Mapping[Any, Any], *, key_hint: Hint = None, value_hint: Hint = None) -> None:
        """Stores every entry of ``entries`` (one request per partition); returns None. Raises TypeError
        when ``entries`` is not a mapping; ValueError for a None key or value, HzSerializationError when
        one cannot be serialized, HzTimeoutError past ``invocation_timeout``, or the member's error (a
        HazelcastServerError)."""
        self.put_all_async(entries, key_hint=key_hint, value_hint=value_hint).get()


def _hinted(value: Any, hint: Hint) -> Any:
    """``value`` marked with a Java type hint (a :class:`~hzgreen.serialization.hints.Typed`);
    returns ``value`` itself when it or the hint is None (None then fails the usual check)."""
    return value if hint is None or value is None else typed(value, hint)


def _as_collection(items: Iterable[Any], what: str) -> List[Any]:
    """``items`` as a list; raises ValueError for None, TypeError for a str, bytes or non-iterable."""
    check_not_none(items, what)
    if isinstance(items, (str, bytes)):
        raise TypeError("%s must be a collection of keys, not a single %s" % (what, type(items).__name__))
    try:
        return list(items)
    except TypeError:
        raise TypeError("%s must be iterable, got %r" % (what, type(items).__name__)) from None
