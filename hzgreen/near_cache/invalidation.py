"""The member invalidation listener of a near-cached map (``Map.addNearCacheInvalidationListener``).

Members send one event per invalidated key (``IMapInvalidation``: key, source uuid, partition
uuid, sequence; a None key means "the whole map": clear, evict_all, load_all) or, batched,
lists of them (``IMapBatchInvalidation``). Members also send this client the invalidations its
own writes cause, batched and up to seconds late; the near-cached map has already dropped those
keys itself when the write was answered, so the near cache applies only their sequence
(dropping the key again would throw away a value read since, which is current).

Events are applied on the I/O loop, where they are read: applying one is a few dict and
attribute operations under the store's lock, with no user code and no deserialization (the
near cache is keyed by the serialized key). Applying them at once keeps the staleness window
as short as the member's batching allows.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence

from hzgreen.protocol.codecs import map as codec
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from hzgreen.protocol.message import ClientMessage

__all__ = ["INVALIDATION_FLAG", "invalidation_event_handler", "invalidation_listener_codec"]

#: The entry listener flag of invalidation events (EntryEventType.INVALIDATION).
INVALIDATION_FLAG = 256

_SINGLE = codec.ADD_NEAR_CACHE_INVALIDATION_LISTENER_I_MAP_INVALIDATION_EVENT_TYPE
_BATCH = codec.ADD_NEAR_CACHE_INVALIDATION_LISTENER_I_MAP_BATCH_INVALIDATION_EVENT_TYPE


def invalidation_listener_codec(name: str) -> ListenerCodec:
    """The add/remove requests of the invalidation listener of map ``name``."""
    return ListenerCodec(
        lambda local_only: codec.encode_add_near_cache_invalidation_listener_request(
            name, INVALIDATION_FLAG, local_only
        ),
        codec.decode_add_near_cache_invalidation_listener_response,
        lambda registration_id: codec.encode_remove_entry_listener_request(name, registration_id),
        codec.decode_remove_entry_listener_response,
    )


def invalidation_event_handler(
    invalidate: Callable[[Optional[bytes], Optional[uuid.UUID], Optional[uuid.UUID], int], None],
) -> Callable[["ClientMessage"], None]:
    """The event handler (run on the I/O loop) calling
    ``invalidate(key, source uuid, partition uuid, sequence)`` for each invalidation a single or
    batch event carries; other messages are ignored."""

    def on_event(message: "ClientMessage") -> None:
        kind = message.get_message_type()
        if kind == _SINGLE:
            event = codec.decode_add_near_cache_invalidation_listener_i_map_invalidation_event(message)
            invalidate(event["key"], event["source_uuid"], event["partition_uuid"], event["sequence"])
        elif kind == _BATCH:
            batch = codec.decode_add_near_cache_invalidation_listener_i_map_batch_invalidation_event(message)
            keys: Sequence[Optional[bytes]] = batch["keys"]
            sources: List[Optional[uuid.UUID]] = batch["source_uuids"]
            partition_uuids: List[Optional[uuid.UUID]] = batch["partition_uuids"]
            for key, source, partition_uuid, sequence in zip(keys, sources, partition_uuids, batch["sequences"]):
                invalidate(key, source, partition_uuid, sequence)

    return on_event
