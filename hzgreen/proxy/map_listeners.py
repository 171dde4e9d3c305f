"""Map entry listeners (mixed into Map): ``add_entry_listener`` / ``remove_entry_listener``.

Keyword names are the official Hazelcast Python client's. Events are decoded on the
I/O loop; keys and values are deserialized and the user function is called on the
handler's callback worker, one event at a time, in the order the member sent them.
An event whose key or value cannot be deserialized (for instance pickled data while
``pickle_enabled`` is off) is not delivered: the error, naming the type id, is logged
on the ``hzgreen.proxy.map_listeners`` logger and the next events flow as usual.
"""

from __future__ import annotations

import enum
import logging
import uuid
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Optional, Tuple, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Proxy
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

log = logging.getLogger("hzgreen.proxy.map_listeners")


class EntryEventType(enum.IntEnum):
    """The kinds of map entry events (their values are the protocol's listener flags)."""

    ADDED = 1
    REMOVED = 2
    UPDATED = 4
    EVICTED = 8
    EXPIRED = 16
    EVICT_ALL = 32
    CLEAR_ALL = 64
    MERGED = 128
    INVALIDATION = 256
    LOADED = 512


class EntryEvent:
    """One map event, deserialized.

    ``key`` is None for map-wide events (EVICT_ALL, CLEAR_ALL), which report how many
    entries they hit in ``number_of_affected_entries``. ``value``, ``old_value`` and
    ``merging_value`` are None when not applicable or when the listener was added with
    ``include_value=False``. ``uuid`` is the UUID of the member that fired the event.
    ``event_type`` is an :class:`EntryEventType`, or the plain int for a kind this
    client does not know.
    """

    __slots__ = (
        "name",
        "key",
        "value",
        "old_value",
        "merging_value",
        "event_type",
        "uuid",
        "number_of_affected_entries",
    )

    def __init__(
        self,
        name: str,
        key: Any,
        value: Any,
        old_value: Any,
        merging_value: Any,
        event_type: int,
        uuid: Optional[uuid.UUID],
        number_of_affected_entries: int,
    ) -> None:
        self.name = name
        self.key = key
        self.value = value
        self.old_value = old_value
        self.merging_value = merging_value
        self.event_type: Union[EntryEventType, int]
        try:
            self.event_type = EntryEventType(event_type)
        except ValueError:
            self.event_type = event_type
        self.uuid = uuid
        self.number_of_affected_entries = number_of_affected_entries

    def __repr__(self) -> str:
        return (
            "EntryEvent(name=%r, event_type=%s, key=%r, value=%r, old_value=%r, merging_value=%r, "
            "number_of_affected_entries=%d)"
            % (
                self.name,
                getattr(self.event_type, "name", self.event_type),
                self.key,
                self.value,
                self.old_value,
                self.merging_value,
                self.number_of_affected_entries,
            )
        )


EntryFunc = Callable[[EntryEvent], Any]


def check_entry_funcs(given: Iterable[Tuple[EntryEventType, Optional[EntryFunc], str]]) -> Dict[int, EntryFunc]:
    """``{event type: function}`` of the functions given as ``(event type, function or None, argument name)``.

    Raises TypeError for one that is not callable, ValueError when none is given (the
    message names every argument, in order)."""
    candidates = list(given)
    funcs: Dict[int, EntryFunc] = {}
    for event_type, func, what in candidates:
        if func is None:
            continue
        if not callable(func):
            raise TypeError("%s must be callable, got %r" % (what, func))
        funcs[int(event_type)] = func
    if not funcs:
        raise ValueError("add_entry_listener needs at least one of " + ", ".join(what for _, _, what in candidates))
    return funcs


class EntryListenerProxy(Proxy):
    """What the Map, MultiMap and ReplicatedMap entry listeners share: delivery and removal."""

    def _register_entry_listener(
        self,
        codec: ModuleType,
        key_data: Optional[bytes],
        predicate_data: Optional[bytes],
        options: Tuple[Any, ...],
        funcs: Dict[int, EntryFunc],
        undeliverable: Callable[[int, EntryFunc, HzSerializationError], None],
        on_registered: Optional[Callable[[Any], None]] = None,
    ) -> AsyncResult[str]:
        """Register an entry listener through ``codec`` (the structure's generated codec module).

        The variant of the add request follows from ``key_data`` / ``predicate_data`` (None:
        not given): ``add_entry_listener[_to_key][_with_predicate]``, sent with the name,
        the key and predicate given, ``options`` and ``local_only``. Its events, decoded on
        the I/O loop, become :class:`EntryEvent` s for ``funcs`` on the callback worker; an
        event whose key or value cannot be deserialized goes to
        ``undeliverable(event type, function, error)`` instead. The result is the
        registration id; ``on_registered`` is called on every later registration.
        """
        name = self.name
        variant = ("_to_key" if key_data is not None else "") + (
            "_with_predicate" if predicate_data is not None else ""
        )
        arguments = (name,) + tuple(data for data in (key_data, predicate_data) if data is not None) + options
        encode_request = getattr(codec, "encode_add_entry_listener%s_request" % variant)
        event_message_type: int = getattr(codec, "ADD_ENTRY_LISTENER%s_ENTRY_EVENT_TYPE" % variant.upper())
        decode_event: Callable[[ClientMessage], Any] = getattr(
            codec, "decode_add_entry_listener%s_entry_event" % variant
        )
        listener_codec = ListenerCodec(
            lambda local_only: encode_request(*arguments, local_only),
            getattr(codec, "decode_add_entry_listener%s_response" % variant),
            lambda registration_id: codec.encode_remove_entry_listener_request(name, registration_id),
            codec.decode_remove_entry_listener_response,
        )
        to_object = self._context.schemas.to_object  # callback worker: may fetch unknown Compact schemas
        dispatch = self._handler.dispatch_callback

        def deliver(fields: Dict[str, Any]) -> None:  # callback worker
            kind = fields["event_type"]
            func = funcs.get(kind)
            if func is None:
                return
            try:
                event = EntryEvent(
                    name,
                    to_object(fields["key"]),
                    to_object(fields["value"]),
                    to_object(fields["old_value"]),
                    to_object(fields["merging_value"]),
                    kind,
                    fields["uuid"],
                    fields["number_of_affected_entries"],
                )
            except HzSerializationError as error:
                undeliverable(kind, func, error)
                return
            func(event)

        def on_event(message: ClientMessage) -> None:  # I/O loop: decode, hand over
            if message.get_message_type() == event_message_type:
                dispatch(deliver, decode_event(message))

        registered: AsyncResult[str] = self._context.listeners.register_async(listener_codec, on_event, on_registered)
        return registered

    def remove_entry_listener_async(self, registration_id: str) -> AsyncResult[bool]:
        """Like :meth:`remove_entry_listener`, in a task of the handler; the result says whether the id was known."""
        return self._deregister_async(registration_id)

    def remove_entry_listener(self, registration_id: str) -> bool:
        """Stop a listener added with :meth:`add_entry_listener`; returns False if the id is unknown.

        Raises ValueError/TypeError for a ``registration_id`` that is None or not a str.
        """
        return self._deregister(registration_id)


class MapListenerMixin(EntryListenerProxy):
    """add_entry_listener / remove_entry_listener on a Map."""

    def add_entry_listener_async(
        self,
        include_value: bool = False,
        key: Any = None,
        predicate: Any = None,
        added_func: Optional[Callable[[EntryEvent], Any]] = None,
        removed_func: Optional[Callable[[EntryEvent], Any]] = None,
        updated_func: Optional[Callable[[EntryEvent], Any]] = None,
        evicted_func: Optional[Callable[[EntryEvent], Any]] = None,
        evict_all_func: Optional[Callable[[EntryEvent], Any]] = None,
        clear_all_func: Optional[Callable[[EntryEvent], Any]] = None,
        merged_func: Optional[Callable[[EntryEvent], Any]] = None,
        expired_func: Optional[Callable[[EntryEvent], Any]] = None,
        loaded_func: Optional[Callable[[EntryEvent], Any]] = None,
        reregistered_func: Optional[Callable[[], Any]] = None,
    ) -> AsyncResult[str]:
        """Like :meth:`add_entry_listener`; the result is the registration id."""
        funcs = check_entry_funcs(
            (
                (EntryEventType.ADDED, added_func, "added_func"),
                (EntryEventType.REMOVED, removed_func, "removed_func"),
                (EntryEventType.UPDATED, updated_func, "updated_func"),
                (EntryEventType.EVICTED, evicted_func, "evicted_func"),
                (EntryEventType.EVICT_ALL, evict_all_func, "evict_all_func"),
                (EntryEventType.CLEAR_ALL, clear_all_func, "clear_all_func"),
                (EntryEventType.MERGED, merged_func, "merged_func"),
                (EntryEventType.EXPIRED, expired_func, "expired_func"),
                (EntryEventType.LOADED, loaded_func, "loaded_func"),
            )
        )
        if not isinstance(include_value, bool):
            raise TypeError("include_value must be a bool, got %r" % (include_value,))
        if reregistered_func is not None and not callable(reregistered_func):
            raise TypeError("reregistered_func must be callable, got %r" % (reregistered_func,))
        flags = 0
        for flag in funcs:
            flags |= flag
        name = self.name
        key_data = self._key_data(key) if key is not None else None
        predicate_data = self._to_data(predicate) if predicate is not None else None

        def undeliverable(kind: int, func: EntryFunc, error: HzSerializationError) -> None:
            kind_name = EntryEventType(kind).name if kind in EntryEventType.__members__.values() else kind
            log.error("map %r: %s event not delivered to %r: %s", name, kind_name, func, error)

        on_registered = None if reregistered_func is None else (lambda connection: reregistered_func())
        return self._register_entry_listener(
            codec, key_data, predicate_data, (include_value, flags), funcs, undeliverable, on_registered
        )

    def add_entry_listener(
        self,
        include_value: bool = False,
        key: Any = None,
        predicate: Any = None,
        added_func: Optional[Callable[[EntryEvent], Any]] = None,
        removed_func: Optional[Callable[[EntryEvent], Any]] = None,
        updated_func: Optional[Callable[[EntryEvent], Any]] = None,
        evicted_func: Optional[Callable[[EntryEvent], Any]] = None,
        evict_all_func: Optional[Callable[[EntryEvent], Any]] = None,
        clear_all_func: Optional[Callable[[EntryEvent], Any]] = None,
        merged_func: Optional[Callable[[EntryEvent], Any]] = None,
        expired_func: Optional[Callable[[EntryEvent], Any]] = None,
        loaded_func: Optional[Callable[[EntryEvent], Any]] = None,
        reregistered_func: Optional[Callable[[], Any]] = None,
    ) -> str:
        """Call the given functions with an :class:`EntryEvent` for each matching map event.

        ``key`` restricts the listener to one key, ``predicate`` (any object the
        serializer turns into a member-side ``Predicate``) to matching entries; both may be
        combined. ``include_value`` makes the events carry values. Returns a registration
        id for :meth:`remove_entry_listener` once the listener is active on every member of
        the current member list, so no event fired after the return is missed (the missing
        member connections are opened first; HzTimeoutError if that takes longer than
        ``invocation_timeout``, the member's error if one refuses the listener, and
        nothing stays registered then). The listener survives reconnects (it is
        registered again on every new connection, before that connection carries
        requests); events fired while the client had no
        connection to the member owning the entry are not replayed: ``reregistered_func()``
        (an hzgreen addition) is called on the callback worker each time the listener was
        registered again on a connection that came up later, so that code keeping state
        derived from the events can re-read it.
        """
        return self.add_entry_listener_async(
            include_value,
            key,
            predicate,
            added_func,
            removed_func,
            updated_func,
            evicted_func,
            evict_all_func,
            clear_all_func,
            merged_func,
            expired_func,
            loaded_func,
            reregistered_func,
        ).get()
