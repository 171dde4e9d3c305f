"""One map's near cache: the store, the invalidation listener, the metadata repair, the lifecycle.

Created by :class:`~hzgreen.near_cache.map.NearCachedMap` for a map whose name matches a
``near_caches`` entry. With ``invalidate_on_change`` (the default) it registers the member
invalidation listener on every member (:mod:`hzgreen.near_cache.invalidation`); once that is
active it fetches every member's invalidation metadata, and again every
``reconciliation_interval`` seconds (:mod:`hzgreen.near_cache.repair`). Until a partition's
metadata is known, nothing of that partition is served from the cache (reads go to the
cluster), so a value cached before the listener was active is never served.

Leaving CONNECTED clears the cache at once, inside the state transition (invalidations sent
while the client has no connection are lost, and the cluster found next may be another one),
and the reconnection clears it again and fetches the metadata anew. Destroying the
map and stopping the client clear it and remove the listener.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from hzgreen.near_cache.config import InMemoryFormat, NearCacheConfig
from hzgreen.near_cache.invalidation import invalidation_event_handler, invalidation_listener_codec
from hzgreen.near_cache.repair import RepairingHandler
from hzgreen.near_cache.store import MISS, NearCacheStore
from hzgreen.protocol.codecs import map as codec
from hzgreen.runtime.invocation import Invocation
from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, TimerHandle
    from hzgreen.near_cache.stats import NearCacheStats
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext

__all__ = ["MISS", "NearCache"]

log = logging.getLogger("hzgreen.near_cache")


def _never_stale(partition_id: int, record_uuid: Optional[uuid.UUID], record_sequence: int) -> bool:
    return False


class NearCache:
    """The near cache of the map ``name`` (see the module docstring)."""

    def __init__(self, name: str, config: NearCacheConfig, context: RuntimeContext) -> None:
        self.name = name
        self.config = config
        self._context = context
        self._handler = context.handler
        self._monotonic = context.handler.monotonic
        self._partitions = context.partitions
        self._to_object = context.serialization.to_object
        self._binary = config.in_memory_format == InMemoryFormat.BINARY
        self._store = NearCacheStore(config, context.handler.lock_object())
        self.repair = RepairingHandler(context.partitions.partition_count)
        self._is_stale = self.repair.is_stale if config.invalidate_on_change else _never_stale
        name_data = context.serialization.to_data(name)
        self._name_partition = context.partitions.partition_id_of(name_data) if name_data is not None else 0
        self._own_uuid = context.connections.client_uuid  # the source of the invalidations this client causes
        self._registration: Optional[str] = None
        self._timer: Optional[TimerHandle] = None
        self._seen_disconnect = False
        self.closed = False

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Register the invalidation listener, fetch the metadata and watch the client's state; returns None.

        Waits (up to ``invocation_timeout``) for the listener to be active on every member and
        for the metadata; when either fails the map still works, but nothing is served from
        the near cache until the next reconciliation brings the metadata (a warning is logged).
        """
        self._context.state.add_observer(self._on_transition)
        self._context.state.add_listener(self._on_state)
        self._context.add_shutdown_hook(self.close)
        if not self.config.invalidate_on_change:
            return
        try:
            self._registration = self._context.listeners.register(
                invalidation_listener_codec(self.name),
                invalidation_event_handler(self._on_invalidation),
                self._reregistered,
            )
        except Exception as error:
            log.warning("near cache of map %r: no invalidation listener, nothing is cached: %r", self.name, error)
            return
        timeout = self._context.config.invocation_timeout
        for result in self.fetch_metadata():
            result.wait(timeout)
        self._schedule()

    def _reregistered(self, connection: Any) -> None:  # callback worker: a member (re)joined the listener
        self.fetch_metadata()

    def _on_transition(self, state: HzState) -> None:  # inside the state transition: quick, never waits
        """Leaving CONNECTED drops every entry (and reservation) at once, before anyone hears of
        the change: invalidations may be missed while disconnected, and the cluster found next
        may be another one, so nothing cached before is served again."""
        if state != HzState.CONNECTED:
            self._store.clear()

    def _on_state(self, state: HzState) -> None:  # callback worker
        if state != HzState.CONNECTED:
            self._seen_disconnect = True
        elif self._seen_disconnect:
            self.clear()
            self.fetch_metadata()

    def close(self) -> None:
        """Stop repairing, remove the listener and drop every entry; returns None. Idempotent."""
        if self.closed:
            return
        self.closed = True
        self._context.state.remove_observer(self._on_transition)
        self._context.state.remove_listener(self._on_state)
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        registration, self._registration = self._registration, None
        if registration is not None:
            self._deregister(registration)
        self._store.clear(count=False)

    def _deregister(self, registration: str) -> None:
        try:
            self._context.listeners.deregister(registration)
        except Exception as error:  # the client may be stopping: the registration dies with it
            log.debug("near cache of map %r: listener not removed: %r", self.name, error)

    # -- reads and writes -------------------------------------------------------------------

    def get(self, key: bytes) -> Any:
        """The cached value of ``key`` (deserialized), or :data:`~hzgreen.near_cache.store.MISS`."""
        value = self._store.get(key, self._monotonic(), self._is_stale)
        if value is MISS or not self._binary:
            return value
        return self._to_object(value)

    def reserve(self, key: bytes) -> int:
        """Reserve ``key`` before reading it from the cluster; returns the reservation id (0: do not cache)."""
        if self.closed:
            return 0
        partition_id = self._partitions.partition_id_of(key)
        partition_uuid, sequence = self.repair.current(partition_id)
        return self._store.try_reserve(key, self._monotonic(), partition_id, partition_uuid, sequence)

    def publish(self, key: bytes, reservation: int, value_data: Optional[bytes]) -> Any:
        """Cache the value read under ``reservation`` (None: nothing to cache); returns it deserialized."""
        if value_data is None:
            self._store.cancel(key, reservation)
            return None
        try:
            value = self._to_object(value_data)
        except BaseException:
            self._store.cancel(key, reservation)
            raise
        self._store.publish(key, reservation, value_data if self._binary else value, len(value_data), self._monotonic())
        return value

    def cancel(self, key: bytes, reservation: int) -> None:
        """Give up a reservation (the read failed); returns None."""
        self._store.cancel(key, reservation)

    def invalidate(self, key: bytes) -> None:
        """Drop ``key`` (this client changes it); returns None."""
        self._store.invalidate(key)

    def clear(self) -> None:
        """Drop every entry; returns None."""
        self._store.clear()

    def stats(self) -> NearCacheStats:
        """A :class:`~hzgreen.near_cache.stats.NearCacheStats` snapshot."""
        return self._store.stats()

    def __len__(self) -> int:
        return len(self._store)

    # -- invalidation and repair ---------------------------------------------------------------

    def _on_invalidation(
        self, key: Optional[bytes], source: Optional[uuid.UUID], partition_uuid: Optional[uuid.UUID], sequence: int
    ) -> None:
        """I/O loop: one invalidation from a member; returns None. One this client's own write
        caused only advances the sequence: the write already dropped the key here."""
        own = source == self._own_uuid
        if key is None:
            if not own:
                self._store.clear()
            partition_id = self._name_partition
        else:
            if not own:
                self._store.invalidate(key)
            partition_id = self._partitions.partition_id_of(key)
        self.repair.on_invalidation(partition_id, partition_uuid, sequence)

    def _schedule(self) -> None:
        if not self.closed:
            self._timer = self._handler.call_later(self.config.reconciliation_interval, self._reconcile)

    def _reconcile(self) -> None:  # timer: must not block
        if self.closed:
            return
        self._handler.spawn(self.fetch_metadata)
        self._schedule()

    def fetch_metadata(self) -> List["AsyncResult[None]"]:
        """Ask every member for the invalidation metadata of this map and apply the answers
        (on the I/O loop); returns the requests' async results (failures are logged)."""
        if self.closed or not self.config.invalidate_on_change:
            return []
        self.repair.resize(self._partitions.partition_count)
        connections: Dict[uuid.UUID, Connection] = {}
        for connection in self._context.connections.active_connections:
            if connection.member_uuid is not None:
                connections[connection.member_uuid] = connection
        results: List[AsyncResult[None]] = []
        for member in self._context.cluster.members:
            request = codec.encode_fetch_near_cache_invalidation_metadata_request([self.name], member.uuid)
            future: AsyncResult[None] = self._handler.async_result()
            self._context.invocations.invoke(
                Invocation(
                    request, future, -1, connections.get(member.uuid), self._apply_metadata, None, False, self.name
                )
            )
            future.add_done_callback(self._metadata_failed)
            results.append(future)
        return results

    def _apply_metadata(self, message: ClientMessage) -> None:  # I/O loop
        decoded = codec.decode_fetch_near_cache_invalidation_metadata_response(message)
        sequences: List[Tuple[int, int]] = []
        for name, partition_sequences in decoded["name_partition_sequence_list"]:
            if name == self.name:
                sequences.extend(partition_sequences)
        self.repair.on_metadata(decoded["partition_uuid_list"], sequences)

    def _metadata_failed(self, result: "AsyncResult[None]") -> None:  # callback worker
        if not result.successful() and not self.closed:
            log.info("near cache of map %r: metadata fetch failed: %r", self.name, result.exception)
