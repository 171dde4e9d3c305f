"""MapCache: a local mirror of a map, like Kazoo's TreeCache mirrors a znode tree.

.. code-block:: python

    cache = client.MapCache("config")
    cache.listen(lambda event: print(event.type, event.key, event.value))
    cache.start()                  # returns once the mirror is loaded
    cache.get("feature-x")         # served locally, no round trip
    "feature-x" in cache, len(cache), list(cache)
    cache.close()

How it works: the machinery of :mod:`hzgreen.recipes.watchers` (listen first, then read;
one reader task at a time; a re-read after every reconnect and every re-registration of
the listener on a restarted member) with two differences: the state read is the whole
map, loaded page by page (``Map.iterate``), and entry events (which carry values) are
applied to the mirror as they arrive instead of triggering a re-read. While a load is in
flight, events are applied at once *and* recorded; the load's snapshot is installed with
the recorded events replayed on top of it, so an event that happened after a page was
read is never lost under an older snapshot. Installing a snapshot compares it with the
mirror and reports each difference to the listeners as an ADDED, UPDATED or REMOVED
event: after a re-sync the mirror holds exactly what the map holds, and every entry the
map lost while the client was disconnected is gone from it.

Every change of the mirror and every listener call happens on the callback worker, one
at a time, in order.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple

from hzgreen.proxy.map_listeners import EntryEventType
from hzgreen.recipes.watchers import MapStateWatch, same_value

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.proxy.map_listeners import EntryEvent

log = logging.getLogger("hzgreen.recipes.map_cache")

_ABSENT = object()
_REMOVALS = (EntryEventType.REMOVED, EntryEventType.EVICTED, EntryEventType.EXPIRED)
_WIPES = (EntryEventType.CLEAR_ALL, EntryEventType.EVICT_ALL)


class MapCacheEventType(enum.Enum):
    """What a :class:`MapCacheEvent` reports."""

    INITIALIZED = "initialized"  # the first load is installed
    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


class MapCacheEvent:
    """One change of the mirror: ``type``, ``key``, ``value`` (the new value, None for
    REMOVED) and ``old_value`` (None for ADDED). INITIALIZED events have None for all three."""

    __slots__ = ("type", "key", "value", "old_value")

    def __init__(self, type: MapCacheEventType, key: Any = None, value: Any = None, old_value: Any = None) -> None:
        self.type = type
        self.key = key
        self.value = value
        self.old_value = old_value

    def __repr__(self) -> str:
        return "MapCacheEvent(%s, key=%r, value=%r, old_value=%r)" % (
            self.type.name,
            self.key,
            self.value,
            self.old_value,
        )


class MapCache(MapStateWatch):
    """``client.MapCache(map_name, page_size=500)``: a local, event-fed mirror of a map."""

    def __init__(self, client: HzClient, map_name: str, page_size: int = 500) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size <= 0:
            raise ValueError("page_size must be an int > 0, got %r" % (page_size,))
        super().__init__(client, map_name)
        self._page_size = page_size
        self._serialize = client.serialization.to_data
        self._entries: Dict[Any, Any] = {}
        self._listeners: List[Callable[[MapCacheEvent], Any]] = []
        self._loads = 0  # loads in flight
        self._recorded: List[EntryEvent] = []  # events seen since the oldest load in flight began
        #: Set once the first load is installed (the INITIALIZED event was sent).
        self.initialized = self._handler.event_object()

    def __repr__(self) -> str:
        return "MapCache(map=%r)" % (self._map.name,)

    # -- public ------------------------------------------------------------------------

    def start(self) -> "MapCache":
        """Load the mirror and keep it current; returns self once the first load is
        installed and the INITIALIZED event delivered. Raises what adding the listener or
        loading raised (HzTimeoutError when the cluster cannot be reached in time) and
        ValueError if the cache was already started."""
        self(self._install)
        return self

    def close(self) -> None:
        """Stop following the map (the mirror keeps its last content). Idempotent."""
        self.stop()

    def listen(self, func: Callable[[MapCacheEvent], Any]) -> None:
        """Call ``func(event)`` (a :class:`MapCacheEvent`) on every change of the mirror
        and once with INITIALIZED; on the callback worker, in order. An exception from
        ``func`` is logged with its traceback. Raises TypeError if ``func`` is not callable."""
        if not callable(func):
            raise TypeError("a MapCache listener must be callable, got %r" % (func,))
        self._listeners.append(func)

    def unlisten(self, func: Callable[[MapCacheEvent], Any]) -> None:
        """Stop calling ``func``; does nothing if it was not listening."""
        if func in self._listeners:
            self._listeners.remove(func)

    def get(self, key: Any, default: Any = None) -> Any:
        """The mirrored value of ``key``, or ``default`` if the mirror has no such key."""
        return self._entries.get(key, default)

    def items(self) -> List[Tuple[Any, Any]]:
        """A list of the mirrored ``(key, value)`` pairs."""
        return list(self._entries.items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Any]:
        """Iterates over a snapshot of the mirrored keys."""
        return iter(list(self._entries))

    def __enter__(self) -> "MapCache":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the watch machinery -------------------------------------------------------------

    def _listen(self) -> str:
        on_event = self._on_event
        return self._map.add_entry_listener(
            include_value=True,
            added_func=on_event,
            removed_func=on_event,
            updated_func=on_event,
            evicted_func=on_event,
            expired_func=on_event,
            merged_func=on_event,
            loaded_func=on_event,
            evict_all_func=on_event,
            clear_all_func=on_event,
            reregistered_func=self._on_reregistered,
        )

    def _read(self) -> Dict[Any, Any]:
        """The whole map, loaded page by page; raises what a page fetch raised."""
        with self._lock:
            self._loads += 1
        try:
            return dict(self._map.iterate(page_size=self._page_size))
        except BaseException:
            self._load_over()
            raise

    def _same(self, old: Any, new: Any) -> bool:
        return False  # every load is installed (it ends the recording of events)

    def _arguments(self, state: Any, event: Optional[EntryEvent]) -> Tuple[Any, ...]:
        return (state,)

    def _load_over(self) -> List[EntryEvent]:
        """One load is over; returns the events recorded since the oldest load began."""
        with self._lock:
            self._loads -= 1
            recorded = list(self._recorded)
            if self._loads <= 0:
                self._loads = 0
                self._recorded = []
        return recorded

    # -- applying changes (callback worker) -------------------------------------------------

    def _on_event(self, event: EntryEvent) -> None:
        with self._lock:
            if self._stopped:
                return
            if self._loads:
                self._recorded.append(event)
        for change in _apply(self._entries, event):
            self._notify(change)
        if event.event_type in _WIPES:
            # Events of single keys fired before the wipe may arrive after it (they are
            # ordered per key only): a re-read settles what the map holds now.
            self._changed()

    def _install(self, snapshot: Dict[Any, Any]) -> None:
        for event in self._load_over():
            _apply(snapshot, event)
        entries = self._entries
        changes: List[MapCacheEvent] = []
        for key in [key for key in entries if key not in snapshot]:
            changes.append(MapCacheEvent(MapCacheEventType.REMOVED, key, None, entries.pop(key)))
        for key, value in snapshot.items():
            old = entries.get(key, _ABSENT)
            if old is _ABSENT:
                changes.append(MapCacheEvent(MapCacheEventType.ADDED, key, value, None))
            elif not same_value(self._serialize, old, value):
                changes.append(MapCacheEvent(MapCacheEventType.UPDATED, key, value, old))
            else:
                continue
            entries[key] = value
        for change in changes:
            self._notify(change)
        if not self.initialized.is_set():
            self.initialized.set()
            self._notify(MapCacheEvent(MapCacheEventType.INITIALIZED))

    def _notify(self, event: MapCacheEvent) -> None:
        for func in list(self._listeners):
            try:
                func(event)
            except Exception:
                log.exception("listener %r of %r failed on %r", func, self, event)


def _apply(entries: Dict[Any, Any], event: EntryEvent) -> List[MapCacheEvent]:
    """Apply one entry event to ``entries``; returns the changes it made."""
    kind = event.event_type
    if kind in _WIPES:
        removed = [MapCacheEvent(MapCacheEventType.REMOVED, key, None, value) for key, value in entries.items()]
        entries.clear()
        return removed
    if kind in _REMOVALS:
        if event.key not in entries:
            return []
        return [MapCacheEvent(MapCacheEventType.REMOVED, event.key, None, entries.pop(event.key))]
    old = entries.get(event.key, _ABSENT)
    entries[event.key] = event.value
    if old is _ABSENT:
        return [MapCacheEvent(MapCacheEventType.ADDED, event.key, event.value, None)]
    return [MapCacheEvent(MapCacheEventType.UPDATED, event.key, event.value, old)]
