"""MultiMap entry listeners (mixed into MultiMap): ``add_entry_listener`` / ``remove_entry_listener``.

Events are the Map's :class:`~hzgreen.proxy.map_listeners.EntryEvent`: a MultiMap fires
ADDED (one per value put), REMOVED (one per value removed by ``remove`` or ``remove_all``,
the value in ``old_value``; ``delete`` fires none) and CLEAR_ALL (``clear``, with ``key``
None and the number of removed keys in ``number_of_affected_entries``). Events are decoded on the I/O loop; keys and values are
deserialized and the user function is called on the handler's callback worker, one
event at a time, in the order the member sent them. An event whose key or value cannot
be deserialized is not delivered: the error is logged on the
``hzgreen.proxy.multi_map_listeners`` logger and the next events flow as usual.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Optional

from hzgreen.exceptions import HzSerializationError
from hzgreen.protocol.codecs import multi_map as codec
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType, EntryFunc, EntryListenerProxy, check_entry_funcs

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

log = logging.getLogger("hzgreen.proxy.multi_map_listeners")


class MultiMapListenerMixin(EntryListenerProxy):
    """add_entry_listener / remove_entry_listener on a MultiMap."""

    def add_entry_listener_async(
        self,
        include_value: bool = False,
        key: Any = None,
        added_func: Optional[Callable[[EntryEvent], Any]] = None,
        removed_func: Optional[Callable[[EntryEvent], Any]] = None,
        clear_all_func: Optional[Callable[[EntryEvent], Any]] = None,
    ) -> AsyncResult[str]:
        """Like :meth:`add_entry_listener`; the result is the registration id.

        Raises TypeError for a function that is not callable or a non-bool
        ``include_value``, ValueError when no function is given (before anything is sent).
        """
        funcs = check_entry_funcs(
            (
                (EntryEventType.ADDED, added_func, "added_func"),
                (EntryEventType.REMOVED, removed_func, "removed_func"),
                (EntryEventType.CLEAR_ALL, clear_all_func, "clear_all_func"),
            )
        )
        if not isinstance(include_value, bool):
            raise TypeError("include_value must be a bool, got %r" % (include_value,))
        name = self.name
        key_data = self._key_data(key) if key is not None else None

        def undeliverable(kind: int, func: EntryFunc, error: HzSerializationError) -> None:
            log.error("multimap %r: %s event not delivered to %r: %s", name, EntryEventType(kind).name, func, error)

        return self._register_entry_listener(codec, key_data, None, (include_value,), funcs, undeliverable)

    def add_entry_listener(
        self,
        include_value: bool = False,
        key: Any = None,
        added_func: Optional[Callable[[EntryEvent], Any]] = None,
        removed_func: Optional[Callable[[EntryEvent], Any]] = None,
        clear_all_func: Optional[Callable[[EntryEvent], Any]] = None,
    ) -> str:
        """Call the given functions with an :class:`EntryEvent` for each matching event.

        ``key`` restricts the listener to one key; ``include_value`` makes the events carry
        values. Returns a registration id for :meth:`remove_entry_listener` once the
        listener is active on every member of the current member list, so no event fired
        after the return is missed. Raises TypeError/ValueError for bad arguments (see
        :meth:`add_entry_listener_async`), HzTimeoutError if the registration takes longer
        than ``invocation_timeout``, or the member's error if one refuses it. The listener
        is registered again on every connection that comes up later (events fired while
        the client had no connection to a member are not replayed).
        """
        return self.add_entry_listener_async(include_value, key, added_func, removed_func, clear_all_func).get()
