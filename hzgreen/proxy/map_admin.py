"""Eviction, persistence, indexes, entry views, TTLs and interceptors of a Map (mixed into Map).

* ``evict`` / ``evict_all`` drop entries from memory (a configured MapStore keeps them);
  ``flush`` writes pending write-behind entries to the MapStore; ``load_all`` (re)loads
  entries from the MapLoader;
* ``add_index`` with the official client's arguments (:mod:`hzgreen.proxy.map_index`);
* ``get_entry_view`` returns a :class:`~hzgreen.proxy.map_index.SimpleEntryView`;
* ``set_ttl`` changes one entry's time to live;
* ``add_interceptor`` / ``remove_interceptor``: a ``MapInterceptor`` is any object the
  members can deserialize into a Java ``com.hazelcast.map.MapInterceptor`` (typically an
  IdentifiedDataSerializable whose Java class is on their classpath).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Union

from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Proxy, check_not_none, to_millis
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.map_index import BitmapIndexOptions, IndexConfig, IndexType, SimpleEntryView, index_config_of

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage


class MapAdminMixin(Proxy):
    """Eviction, loading, indexes, entry views, TTLs and interceptors; see the module docstring."""

    _thread_id: Callable[[], int]

    # -- eviction and persistence -------------------------------------------------------------

    def evict_async(self, key: Any) -> AsyncResult[bool]:
        """Starts :meth:`evict` without waiting; returns an async result whose ``get()`` gives what
        :meth:`evict` returns and raises what it raises (argument errors are raised at once)."""
        key_data = self._key_data(key)
        request = codec.encode_evict_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_evict_response)

    def evict(self, key: Any) -> bool:
        """Drop the entry of ``key`` from memory without deleting it from a MapStore;
        returns whether there was one (False for a locked key). Raises ValueError for None."""
        return self.evict_async(key).get()

    def evict_all_async(self) -> AsyncResult[None]:
        """Starts :meth:`evict_all` without waiting; returns an async result whose ``get()`` gives what
        :meth:`evict_all` returns and raises what it raises (argument errors are raised at once)."""
        return self._invoke(codec.encode_evict_all_request(self.name), _none)

    def evict_all(self) -> None:
        """Drop every unlocked entry from memory (a MapStore keeps them); returns None."""
        self.evict_all_async().get()

    def flush_async(self) -> AsyncResult[None]:
        """Starts :meth:`flush` without waiting; returns an async result whose ``get()`` gives what
        :meth:`flush` returns and raises what it raises (argument errors are raised at once)."""
        return self._invoke(codec.encode_flush_request(self.name), _none)

    def flush(self) -> None:
        """Write every pending write-behind entry to the MapStore now; returns None."""
        self.flush_async().get()

    def load_all_async(
        self, keys: Optional[Iterable[Any]] = None, replace_existing_values: bool = True
    ) -> AsyncResult[None]:
        """Starts :meth:`load_all` without waiting; returns an async result whose ``get()`` gives what
        :meth:`load_all` returns and raises what it raises (argument errors are raised at once)."""
        if not isinstance(replace_existing_values, bool):
            raise TypeError("replace_existing_values must be a bool, got %r" % (replace_existing_values,))
        if keys is None:
            return self._invoke(codec.encode_load_all_request(self.name, replace_existing_values), _none)
        if isinstance(keys, (str, bytes)):
            raise TypeError("keys must be a collection of keys, not a single %s" % type(keys).__name__)
        keys_data = [self._key_data(key) for key in keys]
        request = codec.encode_load_given_keys_request(self.name, keys_data, replace_existing_values)
        return self._invoke(request, _none)

    def load_all(self, keys: Optional[Iterable[Any]] = None, replace_existing_values: bool = True) -> None:
        """Load ``keys`` (None: every key the MapLoader knows) from the map's MapLoader; returns None.

        ``replace_existing_values=False`` keeps the values already in memory. Raises
        TypeError/ValueError for bad arguments; the member's error when the map has no
        MapLoader it can use."""
        self.load_all_async(keys, replace_existing_values).get()

    # -- indexes --------------------------------------------------------------------------

    def add_index_async(
        self,
        attributes: Optional[Iterable[str]] = None,
        index_type: Union[IndexType, int, str] = IndexType.SORTED,
        name: Optional[str] = None,
        bitmap_index_options: Union[BitmapIndexOptions, Mapping[str, Any], None] = None,
    ) -> AsyncResult[None]:
        """Starts :meth:`add_index` without waiting; returns an async result whose ``get()`` gives what
        :meth:`add_index` returns and raises what it raises (argument errors are raised at once)."""
        config = IndexConfig(name, index_type, attributes, bitmap_index_options)
        return self._invoke(codec.encode_add_index_request(self.name, index_config_of(config)), _none)

    def add_index(
        self,
        attributes: Optional[Iterable[str]] = None,
        index_type: Union[IndexType, int, str] = IndexType.SORTED,
        name: Optional[str] = None,
        bitmap_index_options: Union[BitmapIndexOptions, Mapping[str, Any], None] = None,
    ) -> None:
        """Add an index over ``attributes`` (e.g. ``["age"]``, ``["__key"]``); returns None.

        ``index_type`` is an :class:`~hzgreen.proxy.map_index.IndexType` (or its name or
        value); ``bitmap_index_options`` a :class:`~hzgreen.proxy.map_index.BitmapIndexOptions`
        or a dict of its arguments, for a BITMAP index only. Adding an index that exists
        does nothing. Raises ValueError/TypeError naming a bad argument, before anything is sent.
        """
        self.add_index_async(attributes, index_type, name, bitmap_index_options).get()

    # -- entry views and TTLs ---------------------------------------------------------------

    def get_entry_view_async(self, key: Any) -> AsyncResult[Optional[SimpleEntryView]]:
        """Starts :meth:`get_entry_view` without waiting; returns an async result whose ``get()`` gives
        what :meth:`get_entry_view` returns and raises what it raises (argument errors are raised at
        once)."""
        key_data = self._key_data(key)
        to_object = self._to_object

        def view_of(message: ClientMessage) -> Optional[SimpleEntryView]:
            decoded = codec.decode_get_entry_view_response(message)
            view = decoded["response"]
            if view is None:
                return None
            return SimpleEntryView(
                to_object(view.key),
                to_object(view.value),
                view.cost,
                view.creation_time,
                view.expiration_time,
                view.hits,
                view.last_access_time,
                view.last_stored_time,
                view.last_update_time,
                view.version,
                view.ttl,
                decoded["max_idle"],
            )

        request = codec.encode_get_entry_view_request(self.name, key_data, self._thread_id())
        return self._invoke_on_key(request, key_data, view_of)

    def get_entry_view(self, key: Any) -> Optional[SimpleEntryView]:
        """A :class:`~hzgreen.proxy.map_index.SimpleEntryView` of the entry of ``key``, or None
        when there is none. Raises ValueError for a None key."""
        return self.get_entry_view_async(key).get()

    def set_ttl_async(self, key: Any, ttl: float) -> AsyncResult[bool]:
        """Starts :meth:`set_ttl` without waiting; returns an async result whose ``get()`` gives what
        :meth:`set_ttl` returns and raises what it raises (argument errors are raised at once)."""
        key_data = self._key_data(key)
        check_not_none(ttl, "ttl")
        request = codec.encode_set_ttl_request(self.name, key_data, to_millis(ttl, "ttl"))
        return self._invoke_on_key(request, key_data, codec.decode_set_ttl_response)

    def set_ttl(self, key: Any, ttl: float) -> bool:
        """Give the entry of ``key`` a new time to live of ``ttl`` seconds (0: forever),
        counted from now; returns whether the entry exists. Raises ValueError for a None
        key or ttl, TypeError/ValueError for a bad ttl."""
        return self.set_ttl_async(key, ttl).get()

    # -- interceptors ---------------------------------------------------------------------

    def add_interceptor_async(self, interceptor: Any) -> AsyncResult[str]:
        """Starts :meth:`add_interceptor` without waiting; returns an async result whose ``get()`` gives
        what :meth:`add_interceptor` returns and raises what it raises (argument errors are raised at
        once)."""
        check_not_none(interceptor, "interceptor")
        request = codec.encode_add_interceptor_request(self.name, self._to_data(interceptor))
        return self._invoke(request, codec.decode_add_interceptor_response)

    def add_interceptor(self, interceptor: Any) -> str:
        """Add a member-side ``MapInterceptor`` (see the module docstring); returns its
        registration id for :meth:`remove_interceptor`. Raises ValueError for None."""
        return self.add_interceptor_async(interceptor).get()

    def remove_interceptor_async(self, registration_id: str) -> AsyncResult[bool]:
        """Starts :meth:`remove_interceptor` without waiting; returns an async result whose ``get()`` gives
        what :meth:`remove_interceptor` returns and raises what it raises (argument errors are raised at
        once)."""
        if not isinstance(registration_id, str):
            raise TypeError("registration_id must be the str add_interceptor returned, got %r" % (registration_id,))
        request = codec.encode_remove_interceptor_request(self.name, registration_id)
        return self._invoke(request, codec.decode_remove_interceptor_response)

    def remove_interceptor(self, registration_id: str) -> bool:
        """Remove an interceptor added with :meth:`add_interceptor`; returns whether it was found."""
        return self.remove_interceptor_async(registration_id).get()
