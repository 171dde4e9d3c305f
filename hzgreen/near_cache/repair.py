"""Per-partition invalidation metadata: detecting missed invalidations (sans-IO).

Every member numbers the invalidations of each partition it owns: a partition uuid
(changing when the partition's numbering restarts, e.g. on another owner) and a sequence
growing by one per invalidation. Each invalidation event carries both, and
``Map.fetchNearCacheInvalidationMetadata`` returns the current ones of a member's partitions.

:class:`RepairingHandler` keeps, per partition, the uuid and the highest sequence seen, and a
*stale sequence*: a cached record is stale when it was reserved under another uuid, or before
the stale sequence. Whenever an invalidation may have been missed, the partition's stale
sequence moves up to the newest sequence, so every record of that partition cached before it
is dropped on its next read:

* an event whose sequence skips numbers (``sequence > last + 1``): the skipped ones were lost;
* a fetched sequence ahead of the last one seen: events were lost, or are still on their way
  (the member batches them); both are treated as missed;
* a uuid other than the one held: the numbering restarted, every record of the partition is
  stale.

Unlike the Java client, which tolerates up to ten missed invalidations before it repairs, any
miss condemns the partition's records: a read is never served from a record that may have
missed an invalidation once the miss is known.
"""

from __future__ import annotations

import uuid
from typing import Iterable, List, Optional, Set, Tuple

__all__ = ["PartitionMetadata", "RepairingHandler"]


class PartitionMetadata:
    """The invalidation state of one partition as this client knows it."""

    __slots__ = ("uuid", "sequence", "stale_sequence")

    def __init__(self) -> None:
        self.uuid: Optional[uuid.UUID] = None
        self.sequence = 0
        self.stale_sequence = 0


class RepairingHandler:
    """The metadata of one near cache's partitions (see the module docstring).

    Not locked: each method is a few attribute reads and writes; a race between two updates
    of one partition can only move a stale sequence up too far, never down.
    """

    def __init__(self, partition_count: int = 0) -> None:
        self._partitions: List[PartitionMetadata] = []
        self.misses = 0
        self.resize(partition_count)

    def resize(self, partition_count: int) -> None:
        """Track ``partition_count`` partitions (known only once connected); returns None."""
        while len(self._partitions) < partition_count:
            self._partitions.append(PartitionMetadata())

    def _metadata(self, partition_id: int) -> Optional[PartitionMetadata]:
        partitions = self._partitions
        return partitions[partition_id] if 0 <= partition_id < len(partitions) else None

    def current(self, partition_id: int) -> Tuple[Optional[uuid.UUID], int]:
        """``(uuid, sequence)`` of the partition now, to stamp a record being reserved."""
        metadata = self._metadata(partition_id)
        if metadata is None:
            return None, 0
        return metadata.uuid, metadata.sequence

    def is_stale(self, partition_id: int, record_uuid: Optional[uuid.UUID], record_sequence: int) -> bool:
        """Whether a record stamped ``(record_uuid, record_sequence)`` may have missed an invalidation."""
        metadata = self._metadata(partition_id)
        if metadata is None or metadata.uuid is None:
            return True
        return record_uuid != metadata.uuid or record_sequence < metadata.stale_sequence

    def on_invalidation(self, partition_id: int, partition_uuid: Optional[uuid.UUID], sequence: int) -> None:
        """An invalidation event of the partition arrived (its key already dropped); returns None."""
        metadata = self._metadata(partition_id)
        if metadata is None or partition_uuid is None:
            return
        if metadata.uuid != partition_uuid:
            self._new_uuid(metadata, partition_uuid, sequence)
            return
        last = metadata.sequence
        if sequence <= last:
            return
        metadata.sequence = sequence
        if sequence > last + 1:
            self.misses += sequence - last - 1
            metadata.stale_sequence = sequence

    def on_metadata(
        self, partition_uuids: Iterable[Tuple[int, Optional[uuid.UUID]]], sequences: Iterable[Tuple[int, int]]
    ) -> None:
        """A member's fetched metadata (its partitions' uuids and latest sequences); returns None.

        The first metadata of a partition initialises it (nothing is counted as missed).
        """
        first_seen: Set[int] = set()
        for partition_id, partition_uuid in partition_uuids:
            metadata = self._metadata(partition_id)
            if metadata is not None and partition_uuid is not None and metadata.uuid != partition_uuid:
                if metadata.uuid is None:
                    first_seen.add(partition_id)
                self._new_uuid(metadata, partition_uuid, None)
        for partition_id, sequence in sequences:
            metadata = self._metadata(partition_id)
            if metadata is None or metadata.uuid is None or sequence <= metadata.sequence:
                continue
            if partition_id not in first_seen:
                self.misses += sequence - metadata.sequence
            metadata.sequence = sequence
            metadata.stale_sequence = sequence

    def _new_uuid(self, metadata: PartitionMetadata, partition_uuid: uuid.UUID, sequence: Optional[int]) -> None:
        """The partition's numbering restarted: every record stamped with the old uuid is stale."""
        if metadata.uuid is not None:
            self.misses += 1
        metadata.uuid = partition_uuid
        metadata.sequence = sequence if sequence is not None else 0
        metadata.stale_sequence = metadata.sequence

    def reset(self) -> None:
        """Forget every partition's metadata (the cache was cleared, the cluster changed); returns None."""
        self._partitions = [PartitionMetadata() for _ in self._partitions]
