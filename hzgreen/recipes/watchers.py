"""EntryWatch and MapWatch: Kazoo's DataWatch and ChildrenWatch for a distributed map.

.. code-block:: python

    @client.EntryWatch("config", "feature-x")
    def on_change(value, event):
        print("feature-x is now", value)      # None while the key is absent

    @client.MapWatch("workers")
    def on_members(keys):
        print("workers:", sorted(keys))

The function is called once at once with the current state, then again whenever the
state changes, until it returns ``False`` (or :meth:`stop` is called).

How it works: a map entry listener (key-specific for EntryWatch) only says *that*
something changed; each change (or burst of changes) makes one reader task re-read the
state from the map, and the function is called only when the state read differs from
the state it was last given. Hence:

* calls run on the callback worker, one at a time, in the order the states were read;
* the function is never called twice in a row with the same state;
* bursts of changes may be coalesced: intermediate states can be skipped, the last call
  always reflects the latest state read;
* after a reconnect (CONNECTED after SUSPENDED or LOST) and whenever the listener was
  registered again on a new connection (a member restarted), the state is re-read and
  the function called only if it changed meanwhile.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, FrozenSet, Optional, Tuple

from hzgreen.exceptions import HzError
from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import Event, Handler
    from hzgreen.proxy.map_listeners import EntryEvent

log = logging.getLogger("hzgreen.recipes.watchers")

_NOTHING = object()


class _MapStateWatch:
    """The machinery shared by EntryWatch and MapWatch (see the module docstring)."""

    def __init__(self, client: HzClient, map_name: str, func: Optional[Callable[..., Any]] = None) -> None:
        self._client = client
        self._handler: Handler = client.handler
        self._map = client.get_map(map_name)
        self._lock = self._handler.lock_object()
        self._func: Optional[Callable[..., Any]] = None
        self._registration: Optional[str] = None
        self._stopped = False
        self._dirty = False  # something changed since the last read
        self._pending_event: Optional[EntryEvent] = None
        self._reading = False  # a reader (the caller, then spawned tasks) is at work
        self._last: Any = _NOTHING  # the state the function was last given
        self._was_disconnected = False
        if func is not None:
            self(func)

    # -- to be provided by subclasses -----------------------------------------------------

    def _listen(self) -> str:
        """Add the map listener; returns its registration id."""
        raise NotImplementedError

    def _read(self) -> Any:
        """The current state, read from the map."""
        raise NotImplementedError

    def _same(self, old: Any, new: Any) -> bool:
        """True if ``new`` is the state ``old`` (the function is then not called)."""
        raise NotImplementedError

    def _arguments(self, state: Any, event: Optional[EntryEvent]) -> Tuple[Any, ...]:
        """The arguments of the function for ``state`` reached through ``event``."""
        raise NotImplementedError

    # -- public ------------------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        """True once the function returned False or :meth:`stop` was called."""
        return self._stopped

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Start watching with ``func``; returns ``func`` (so it works as a decorator).

        Returns after the first call of ``func`` (with the current state) is over; the map
        listener is then active on every member, so every later change is reported by its
        event. Raises what adding the listener or the first read raised (HzTimeoutError,
        for instance, when a member cannot be reached within ``invocation_timeout``).
        """
        if not callable(func):
            raise TypeError("the watch function must be callable, got %r" % (func,))
        if self._func is not None:
            raise ValueError("this watch already has a function")
        self._func = func
        with self._lock:
            self._reading = True  # the caller performs the first read
        try:
            # Listen first, then read: a change after the read is never missed.
            self._registration = self._listen()
            self._client.add_listener(self._on_state)
            state = self._read()
        except BaseException:
            self.stop()
            raise
        self._last = state
        if self._handler.in_callback_worker():
            self._deliver(state, None, None)
        else:
            first_call_done = self._handler.event_object()
            self._handler.dispatch_callback(self._deliver, state, None, first_call_done)
            first_call_done.wait()
        self._continue_reading()
        return func

    def stop(self) -> None:
        """Stop watching: the function is not called again. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            registration, self._registration = self._registration, None
        self._client.remove_listener(self._on_state)
        if registration is not None:
            if self._handler.in_callback_worker():
                self._handler.spawn(self._remove_listener, registration)
            else:
                self._remove_listener(registration)

    # -- internals -----------------------------------------------------------------------

    def _remove_listener(self, registration: str) -> None:
        try:
            self._map.remove_entry_listener(registration)
        except HzError as error:
            log.debug("removing the listener of %r: %s", self, error)

    def _changed(self, event: Optional[EntryEvent] = None) -> None:
        """Something changed (or may have): make sure a reader re-reads the state."""
        with self._lock:
            if self._stopped:
                return
            self._dirty = True
            if event is not None:
                self._pending_event = event
            if self._reading:
                return
            self._reading = True
        self._handler.spawn(self._read_loop)

    def _continue_reading(self) -> None:
        with self._lock:
            again = self._dirty and not self._stopped
            if not again:
                self._reading = False
        if again:
            self._handler.spawn(self._read_loop)

    def _read_loop(self) -> None:
        """The only reader at any time: re-read while changes keep coming."""
        while True:
            with self._lock:
                if self._stopped or not self._dirty:
                    self._reading = False
                    return
                self._dirty = False
                event, self._pending_event = self._pending_event, None
            try:
                state = self._read()
            except HzError as error:
                # Typically disconnected: the reconnect (or re-registration) reads again.
                log.info("%r could not read the current state: %s", self, error)
                with self._lock:
                    self._dirty = True
                    if event is not None and self._pending_event is None:
                        self._pending_event = event
                    self._reading = False
                return
            except Exception:
                log.exception("%r could not read the current state", self)
                continue
            if not self._same(self._last, state):
                self._last = state
                self._handler.dispatch_callback(self._deliver, state, event, None)

    def _deliver(self, state: Any, event: Optional[EntryEvent], done: Optional[Event]) -> None:  # callback worker
        try:
            if self._stopped or self._func is None:
                return
            try:
                result = self._func(*self._arguments(state, event))
            except Exception:
                log.exception("watch function %r of %r failed", self._func, self)
                return
            if result is False:
                self.stop()
        finally:
            if done is not None:
                done.set()

    def _on_state(self, state: HzState) -> None:  # callback worker
        if state in (HzState.SUSPENDED, HzState.LOST):
            self._was_disconnected = True
        elif state == HzState.CONNECTED and self._was_disconnected:
            self._was_disconnected = False
            self._changed()

    def _on_reregistered(self) -> None:  # callback worker
        self._changed()


def _same_value(serialize: Callable[[Any], Optional[bytes]], old: Any, new: Any) -> bool:
    """True if ``old`` and ``new`` are equal, or serialize to the same blob."""
    if old is _NOTHING:
        return False
    if old is new:
        return True
    try:
        if old == new:
            return True
    except Exception:
        pass
    try:  # objects without a useful __eq__: compare their serialized forms
        return bool(serialize(old) == serialize(new))
    except Exception:
        return False


class EntryWatch(_MapStateWatch):
    """Watch one entry of a map: ``func(value, event)`` like Kazoo's DataWatch.

    ``value`` is the entry's current value (None while the key is absent); ``event`` is
    the :class:`~hzgreen.proxy.map_listeners.EntryEvent` that led to the call, or None
    for the first call and for calls after a re-sync. Return False to stop watching.
    Values are compared with ``==`` (then by their serialized form) to decide whether the
    state changed.

    ``client.EntryWatch(map_name, key)`` builds one; use it as a decorator, or pass
    ``func=`` to start at once.
    """

    def __init__(self, client: HzClient, map_name: str, key: Any, func: Optional[Callable[..., Any]] = None) -> None:
        if key is None:
            raise ValueError("key must not be None")
        self._key = key
        self._serialize = client.serialization.to_data
        super().__init__(client, map_name, func)

    def __repr__(self) -> str:
        return "EntryWatch(map=%r, key=%r)" % (self._map.name, self._key)

    def _listen(self) -> str:
        on_event = self._changed
        return self._map.add_entry_listener(
            include_value=False,
            key=self._key,
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

    def _read(self) -> Any:
        return self._map.get(self._key)

    def _same(self, old: Any, new: Any) -> bool:
        return _same_value(self._serialize, old, new)

    def _arguments(self, state: Any, event: Optional[EntryEvent]) -> Tuple[Any, ...]:
        return (state, event)


class MapWatch(_MapStateWatch):
    """Watch the key set of a map: ``func(keys)`` like Kazoo's ChildrenWatch.

    ``keys`` is a new ``set`` of the map's current keys (so keys must be hashable). With
    ``send_event=True`` the function is called as ``func(keys, event)``, ``event`` being
    the :class:`~hzgreen.proxy.map_listeners.EntryEvent` that led to the call (None for
    the first call and after a re-sync). Updates of existing keys do not count as
    changes. Every change re-reads the key set (one ``key_set`` per burst of changes),
    which suits maps of up to some thousands of keys. Return False to stop watching.
    """

    def __init__(
        self, client: HzClient, map_name: str, func: Optional[Callable[..., Any]] = None, send_event: bool = False
    ) -> None:
        self._send_event = bool(send_event)
        super().__init__(client, map_name, func)

    def __repr__(self) -> str:
        return "MapWatch(map=%r)" % (self._map.name,)

    def _listen(self) -> str:
        on_event = self._changed
        return self._map.add_entry_listener(
            include_value=False,
            added_func=on_event,
            removed_func=on_event,
            evicted_func=on_event,
            expired_func=on_event,
            merged_func=on_event,
            loaded_func=on_event,
            evict_all_func=on_event,
            clear_all_func=on_event,
            reregistered_func=self._on_reregistered,
        )

    def _read(self) -> FrozenSet[Any]:
        return frozenset(self._map.key_set())

    def _same(self, old: Any, new: Any) -> bool:
        return old is not _NOTHING and old == new

    def _arguments(self, state: Any, event: Optional[EntryEvent]) -> Tuple[Any, ...]:
        if self._send_event:
            return (set(state), event)
        return (set(state),)


#: The watch machinery and the value comparison, public for recipes of other modules that
#: follow a map the same way (:class:`~hzgreen.recipes.map_cache.MapCache`).
MapStateWatch = _MapStateWatch
same_value = _same_value
