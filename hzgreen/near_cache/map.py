"""The Map proxy of a map with a near cache: reads through it, drops what this client changes.

:func:`map_class_for` picks :class:`NearCachedMap` instead of
:class:`~hzgreen.proxy.map.Map` when the client's ``near_caches`` option matches the map's
name, so a map without a near cache pays nothing.

``get``, ``get_all`` and ``contains_key`` answer from the near cache when they can; a miss
reserves the key, reads it from the cluster and publishes the value (see
:mod:`hzgreen.near_cache.store`). Every other request of the map goes through one of the
proxy's invocation methods, overridden here: a request that can change values (any type not
in :data:`READ_ONLY`) drops its key (a key operation) or the whole near cache (any other)
before it is sent and again when its answer arrives (on the I/O loop, before the caller
sees it), so a read racing with this client's own write cannot keep the old value.
Members do not send a client the invalidations its own writes cause, which is why the
client drops them itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple, Type, TypeVar

from hzgreen.near_cache.config import find_near_cache_config
from hzgreen.near_cache.near_cache import MISS, NearCache
from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Hint, ignore_response
from hzgreen.proxy.map import Map, _as_collection, _hinted

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import AsyncResult
    from hzgreen.near_cache.stats import NearCacheStats
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

__all__ = ["READ_ONLY", "NearCachedMap", "map_class_for"]

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

#: Map request types that change no value: everything else invalidates.
READ_ONLY = frozenset(
    (
        codec.GET_REQUEST_TYPE,
        codec.GET_ALL_REQUEST_TYPE,
        codec.CONTAINS_KEY_REQUEST_TYPE,
        codec.CONTAINS_VALUE_REQUEST_TYPE,
        codec.GET_ENTRY_VIEW_REQUEST_TYPE,
        codec.SIZE_REQUEST_TYPE,
        codec.IS_EMPTY_REQUEST_TYPE,
        codec.KEY_SET_REQUEST_TYPE,
        codec.VALUES_REQUEST_TYPE,
        codec.ENTRY_SET_REQUEST_TYPE,
        codec.KEY_SET_WITH_PREDICATE_REQUEST_TYPE,
        codec.VALUES_WITH_PREDICATE_REQUEST_TYPE,
        codec.ENTRIES_WITH_PREDICATE_REQUEST_TYPE,
        codec.KEY_SET_WITH_PAGING_PREDICATE_REQUEST_TYPE,
        codec.VALUES_WITH_PAGING_PREDICATE_REQUEST_TYPE,
        codec.ENTRIES_WITH_PAGING_PREDICATE_REQUEST_TYPE,
        codec.AGGREGATE_REQUEST_TYPE,
        codec.AGGREGATE_WITH_PREDICATE_REQUEST_TYPE,
        codec.PROJECT_REQUEST_TYPE,
        codec.PROJECT_WITH_PREDICATE_REQUEST_TYPE,
        codec.FETCH_KEYS_REQUEST_TYPE,
        codec.FETCH_ENTRIES_REQUEST_TYPE,
        codec.FETCH_WITH_QUERY_REQUEST_TYPE,
        codec.EVENT_JOURNAL_SUBSCRIBE_REQUEST_TYPE,
        codec.EVENT_JOURNAL_READ_REQUEST_TYPE,
        codec.IS_LOCKED_REQUEST_TYPE,
        codec.LOCK_REQUEST_TYPE,
        codec.TRY_LOCK_REQUEST_TYPE,
        codec.UNLOCK_REQUEST_TYPE,
        codec.FORCE_UNLOCK_REQUEST_TYPE,
        codec.FLUSH_REQUEST_TYPE,
        codec.ADD_INDEX_REQUEST_TYPE,
        codec.ADD_ENTRY_LISTENER_REQUEST_TYPE,
        codec.ADD_ENTRY_LISTENER_TO_KEY_REQUEST_TYPE,
        codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_REQUEST_TYPE,
        codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_REQUEST_TYPE,
        codec.REMOVE_ENTRY_LISTENER_REQUEST_TYPE,
        codec.ADD_PARTITION_LOST_LISTENER_REQUEST_TYPE,
        codec.REMOVE_PARTITION_LOST_LISTENER_REQUEST_TYPE,
    )
)


def map_class_for(config: ClientConfig, name: str) -> Type[Map]:
    """:class:`NearCachedMap` when ``near_caches`` has an entry matching ``name``, else :class:`Map`
    (also for a ``name`` that is not a str: the proxy manager refuses it)."""
    if config.near_caches and isinstance(name, str) and find_near_cache_config(config.near_caches, name):
        return NearCachedMap
    return Map


class NearCachedMap(Map):
    """A :class:`~hzgreen.proxy.map.Map` with a near cache (see the module docstring)."""

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        config = find_near_cache_config(context.config.near_caches, name)
        if config is None:
            raise ValueError("map %r has no near_caches entry" % (name,))
        self._near_cache = NearCache(name, config, context)
        self._near_cache.start()

    @property
    def near_cache(self) -> NearCache:
        """The map's :class:`~hzgreen.near_cache.near_cache.NearCache`."""
        return self._near_cache

    def get_near_cache_stats(self) -> NearCacheStats:
        """A :class:`~hzgreen.near_cache.stats.NearCacheStats` snapshot of this map's near cache."""
        return self._near_cache.stats()

    def destroy(self) -> bool:
        """Drop the near cache, remove its listener, then destroy the map on the cluster; returns True."""
        self._near_cache.close()
        return super().destroy()

    # -- reads through the near cache ---------------------------------------------------------

    def _done(self, value: T) -> AsyncResult[T]:
        result: AsyncResult[T] = self._handler.async_result()
        result.set(value)
        return result

    def get_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[Any]:
        """The value of ``key`` (None if absent), from the near cache when it has it."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        near_cache = self._near_cache
        value = near_cache.get(key_data)
        if value is not MISS:
            return self._done(value)
        request = codec.encode_get_request(self.name, key_data, self._thread_id())
        reservation = near_cache.reserve(key_data)
        if not reservation:
            return super()._invoke_on_key(request, key_data, self._value_of_get)

        def publish(message: ClientMessage) -> Any:  # I/O loop
            return near_cache.publish(key_data, reservation, codec.decode_get_response(message))

        def release(done: AsyncResult[Any]) -> None:  # callback worker
            if not done.successful():
                near_cache.cancel(key_data, reservation)

        future = super()._invoke_on_key(request, key_data, publish)
        future.add_done_callback(release)
        return future

    def contains_key_async(self, key: Any, *, key_hint: Hint = None) -> AsyncResult[bool]:
        """Whether ``key`` has a value: True at once when the near cache holds it."""
        key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
        if self._near_cache.get(key_data) is not MISS:
            return self._done(True)
        request = codec.encode_contains_key_request(self.name, key_data, self._thread_id())
        return super()._invoke_on_key(request, key_data, codec.decode_contains_key_response)

    def get_all_async(self, keys: Iterable[Any], *, key_hint: Hint = None) -> AsyncResult[Dict[Any, Any]]:
        """The values of ``keys`` as a dict (absent keys left out); the near cache answers what it
        holds, one request per partition reads the rest."""
        keys = _as_collection(keys, "keys")
        near_cache = self._near_cache
        found: Dict[Any, Any] = {}
        missing: Dict[bytes, Any] = {}
        for key in keys:
            key_data = self._key_data(key if key_hint is None else _hinted(key, key_hint))
            value = near_cache.get(key_data)
            if value is MISS:
                missing[key_data] = key
            else:
                found[key] = value
        if not missing:
            return self._done(found)
        reservations = {key_data: near_cache.reserve(key_data) for key_data in missing}
        groups = self._group_by_partition(missing)
        requests = {pid: codec.encode_get_all_request(self.name, datas) for pid, datas in groups.items()}
        to_object = self._to_object

        def entries(message: ClientMessage) -> List[Tuple[Any, Any]]:  # I/O loop
            pairs = []
            for key_data, value_data in codec.decode_get_all_response(message):
                reservation = reservations.pop(key_data, 0)
                if reservation:
                    value = near_cache.publish(key_data, reservation, value_data)
                else:
                    value = to_object(value_data)
                pairs.append((to_object(key_data), value))
            return pairs

        def merge(parts: List[List[Tuple[Any, Any]]]) -> Dict[Any, Any]:
            result = dict(found)
            for part in parts:
                result.update(part)
            return result

        def release(_: AsyncResult[Dict[Any, Any]]) -> None:  # callback worker: absent keys, failures
            for key_data, reservation in list(reservations.items()):
                if reservation:
                    near_cache.cancel(key_data, reservation)

        future = super()._fan_out(requests, entries, merge)
        future.add_done_callback(release)
        return future

    # -- invalidation of this client's own changes ---------------------------------------------

    def _invalidating(
        self, key_data: Optional[bytes], handler: Callable[[ClientMessage], T]
    ) -> Callable[[ClientMessage], T]:
        """Drop ``key_data`` (None: everything) now, and wrap ``handler`` to drop it again on the answer."""
        near_cache = self._near_cache
        if key_data is None:
            near_cache.clear()

            def after_clear(message: ClientMessage) -> T:
                near_cache.clear()
                return handler(message)

            return after_clear
        near_cache.invalidate(key_data)

        def after_key(message: ClientMessage) -> T:
            near_cache.invalidate(key_data)
            return handler(message)

        return after_key

    def _on_failure(self, future: AsyncResult[T], key_data: Optional[bytes]) -> AsyncResult[T]:
        """Drop ``key_data`` (None: everything) again if the request fails (it may have been applied)."""
        near_cache = self._near_cache

        def failed(done: AsyncResult[T]) -> None:
            if done.successful():
                return
            if key_data is None:
                near_cache.clear()
            else:
                near_cache.invalidate(key_data)

        future.add_done_callback(failed)
        return future

    def _invoke(self, request: ClientMessage, response_handler: Callable[[ClientMessage], T]) -> AsyncResult[T]:
        if request.get_message_type() in READ_ONLY:
            return super()._invoke(request, response_handler)
        return self._on_failure(super()._invoke(request, self._invalidating(None, response_handler)), None)

    def _invoke_on_partition(
        self, request: ClientMessage, partition_id: int, response_handler: Callable[[ClientMessage], T]
    ) -> AsyncResult[T]:
        if request.get_message_type() in READ_ONLY:
            return super()._invoke_on_partition(request, partition_id, response_handler)
        handler = self._invalidating(None, response_handler)
        return self._on_failure(super()._invoke_on_partition(request, partition_id, handler), None)

    def _invoke_on_key(
        self,
        request: ClientMessage,
        key_data: bytes,
        response_handler: Callable[[ClientMessage], Any] = ignore_response,
    ) -> AsyncResult[Any]:
        if request.get_message_type() in READ_ONLY:
            return super()._invoke_on_key(request, key_data, response_handler)
        handler = self._invalidating(key_data, response_handler)
        return self._on_failure(super()._invoke_on_key(request, key_data, handler), key_data)

    def _invoke_waiting(
        self,
        request: ClientMessage,
        key_data: bytes,
        response_handler: Callable[[ClientMessage], T],
        wait: Optional[float],
    ) -> AsyncResult[T]:
        if request.get_message_type() in READ_ONLY:
            return super()._invoke_waiting(request, key_data, response_handler, wait)
        handler = self._invalidating(key_data, response_handler)
        return self._on_failure(super()._invoke_waiting(request, key_data, handler, wait), key_data)

    def _fan_out(
        self,
        requests: Dict[int, ClientMessage],
        response_handler: Callable[[ClientMessage], P],
        merge: Callable[[List[P]], R],
    ) -> AsyncResult[R]:
        if all(request.get_message_type() in READ_ONLY for request in requests.values()):
            return super()._fan_out(requests, response_handler, merge)
        if all(request.get_message_type() == codec.PUT_ALL_REQUEST_TYPE for request in requests.values()):
            return self._put_all_parts(requests, response_handler, merge)
        return self._on_failure(super()._fan_out(requests, self._invalidating(None, response_handler), merge), None)

    def _put_all_parts(
        self,
        requests: Dict[int, ClientMessage],
        response_handler: Callable[[ClientMessage], P],
        merge: Callable[[List[P]], R],
    ) -> AsyncResult[R]:
        """``put_all``: drop its keys before sending, on each partition's answer and on a failure."""
        near_cache = self._near_cache
        keys: List[bytes] = []
        for request in requests.values():
            keys.extend(key for key, _ in codec.decode_put_all_request(request)["entries"])
        for key in keys:
            near_cache.invalidate(key)

        def after(message: ClientMessage) -> P:
            for key in keys:
                near_cache.invalidate(key)
            return response_handler(message)

        def failed(done: AsyncResult[R]) -> None:
            if not done.successful():
                for key in keys:
                    near_cache.invalidate(key)

        future = super()._fan_out(requests, after, merge)
        future.add_done_callback(failed)
        return future
