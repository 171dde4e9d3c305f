"""ReplicatedMap entry listeners (mixed into ReplicatedMap): ``add_entry_listener`` / ``remove_entry_listener``.

Keyword names are the official Hazelcast Python client's. Events are the map's
:class:`~hzgreen.proxy.map_listeners.EntryEvent` (a replicated map's events always carry
their values). They are decoded on the I/O loop; keys and values are deserialized and
the user function is called on the handler's callback worker, one event at a time, in
the order the member sent them. An event whose key or value cannot be deserialized is
not delivered: the error is logged on the ``hzgreen.proxy.replicated_map_listeners``
logger and the next events flow as usual.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Optional

from hzgreen.exceptions import HzSerializationError
from hzgreen.protocol.codecs import replicated_map as codec
from hzgreen.proxy.map_listeners import EntryEventType, EntryFunc, EntryListenerProxy, check_entry_funcs
from hzgreen.query.predicate import PagingPredicate, Predicate

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

log = logging.getLogger("hzgreen.proxy.replicated_map_listeners")


def _check_predicate(predicate: Optional[Predicate]) -> None:
    """Returns None; raises TypeError for a predicate that is not a :class:`Predicate` or is a paging one."""
    if predicate is None:
        return
    if not isinstance(predicate, Predicate):
        raise TypeError("predicate must be a hzgreen.predicate Predicate, got %r" % (type(predicate).__name__,))
    if isinstance(predicate, PagingPredicate):
        raise TypeError("predicate must not be a paging predicate for a listener")


class ReplicatedMapListenerMixin(EntryListenerProxy):
    """add_entry_listener / remove_entry_listener on a ReplicatedMap."""

    def add_entry_listener_async(
        self,
        key: Any = None,
        predicate: Optional[Predicate] = None,
        added_func: Optional[EntryFunc] = None,
        removed_func: Optional[EntryFunc] = None,
        updated_func: Optional[EntryFunc] = None,
        evicted_func: Optional[EntryFunc] = None,
        clear_all_func: Optional[EntryFunc] = None,
    ) -> AsyncResult[str]:
        """Like :meth:`add_entry_listener`; the result is the registration id."""
        funcs = check_entry_funcs(
            (
                (EntryEventType.ADDED, added_func, "added_func"),
                (EntryEventType.REMOVED, removed_func, "removed_func"),
                (EntryEventType.UPDATED, updated_func, "updated_func"),
                (EntryEventType.EVICTED, evicted_func, "evicted_func"),
                (EntryEventType.CLEAR_ALL, clear_all_func, "clear_all_func"),
            )
        )
        _check_predicate(predicate)
        name = self.name
        key_data = self._key_data(key) if key is not None else None
        predicate_data = self._to_data(predicate) if predicate is not None else None

        def undeliverable(kind: int, func: EntryFunc, error: HzSerializationError) -> None:
            log.error("replicated map %r: event %r not delivered to %r: %s", name, kind, func, error)

        return self._register_entry_listener(codec, key_data, predicate_data, (), funcs, undeliverable)

    def add_entry_listener(
        self,
        key: Any = None,
        predicate: Optional[Predicate] = None,
        added_func: Optional[EntryFunc] = None,
        removed_func: Optional[EntryFunc] = None,
        updated_func: Optional[EntryFunc] = None,
        evicted_func: Optional[EntryFunc] = None,
        clear_all_func: Optional[EntryFunc] = None,
    ) -> str:
        """Call the given functions with an :class:`~hzgreen.proxy.map_listeners.EntryEvent` for each matching event.

        ``key`` restricts the listener to one key, ``predicate`` (a
        :mod:`hzgreen.predicate` predicate, not a paging one) to matching entries; both may
        be combined (the four protocol variants). ``evicted_func`` hears entries whose
        ``ttl`` ran out, ``clear_all_func`` a :meth:`clear` (its event has no key and
        says how many entries went in ``number_of_affected_entries``).

        Returns a registration id for :meth:`remove_entry_listener` once the listener is
        active on every member of the current member list. Raises TypeError for a
        function that is not callable or a predicate of the wrong type, ValueError when
        no function is given (both before anything is sent), HzTimeoutError if the
        registration takes longer than ``invocation_timeout``, the member's error if one
        refuses it.
        """
        return self.add_entry_listener_async(
            key, predicate, added_func, removed_func, updated_func, evicted_func, clear_all_func
        ).get()
