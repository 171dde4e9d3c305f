"""The records of one near cache: reserve on a miss, publish the answer, expire, evict, invalidate.

Sans-IO: every method takes the time (``now``, seconds on a monotonic clock); the lock is
given (the handler's, so the I/O loop applying an invalidation and a reader publishing a
value never interleave).

Reserve-then-publish: a reader that misses reserves the key (a record with a fresh
reservation id and no value) before asking the cluster. Anything that invalidates the key
meanwhile (an invalidation event, this client's own write, a clear) removes the record, so
the reader's :meth:`NearCacheStore.publish` finds no record with its id and the value it
read, possibly older than the change, is not cached. A reserved key is not reserved again:
a second reader goes to the cluster without caching.

Each record remembers the partition it belongs to and the partition's invalidation uuid and
sequence seen when it was reserved; :meth:`NearCacheStore.get` asks ``is_stale`` (the
repair's verdict, see :mod:`hzgreen.near_cache.repair`) before answering from it.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Dict, List, Optional

from hzgreen.near_cache.config import EvictionPolicy, NearCacheConfig
from hzgreen.near_cache.eviction import Evictor
from hzgreen.near_cache.stats import NearCacheStats

if TYPE_CHECKING:
    StaleCheck = Callable[[int, Optional[uuid.UUID], int], bool]

__all__ = ["MISS", "RECORD_OVERHEAD", "NearCacheStore", "Record"]

#: What :meth:`NearCacheStore.get` returns when it has no answer.
MISS: Any = object()

#: Bytes added to each entry's key and value sizes in the memory estimate.
RECORD_OVERHEAD = 120


class Record:
    """One cached key: its value (once published), reservation id (0 once published),
    times, read count, partition metadata and estimated cost; ``index`` is its place in the
    store's key list (-1 once removed)."""

    __slots__ = (
        "key",
        "value",
        "reservation",
        "created",
        "accessed",
        "hits",
        "expires",
        "partition_id",
        "uuid",
        "sequence",
        "cost",
        "index",
    )

    def __init__(
        self, key: bytes, reservation: int, now: float, partition_id: int, uuid: Optional[uuid.UUID], sequence: int
    ) -> None:
        self.key = key
        self.value: Any = None
        self.reservation = reservation
        self.created = now
        self.accessed = now
        self.hits = 0
        self.expires = float("inf")
        self.partition_id = partition_id
        self.uuid = uuid
        self.sequence = sequence
        self.cost = 0
        self.index = -1


class NearCacheStore:
    """The records of one near cache (see the module docstring); thread- and greenlet-safe under ``lock``."""

    def __init__(self, config: NearCacheConfig, lock: ContextManager[Any], rng: Optional[random.Random] = None) -> None:
        self.config = config
        self._lock = lock
        self._rng = rng or random.Random()
        self._records: Dict[bytes, Record] = {}
        self._keys: List[bytes] = []
        self._ids = itertools.count(1)
        self._evictor = Evictor(config.eviction_policy, config.eviction_sampling_pool_size, self._rng)
        self._ttl = config.time_to_live
        self._max_idle = config.max_idle
        self._bounded = config.eviction_policy != EvictionPolicy.NONE
        self._creation_time = time.time()
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self.expirations = 0
        self.invalidations = 0
        self.invalidation_requests = 0
        self.memory = 0

    def __len__(self) -> int:
        return len(self._records)

    # -- reads ---------------------------------------------------------------------------

    def get(self, key: bytes, now: float, is_stale: "StaleCheck") -> Any:
        """The cached value of ``key``, or :data:`MISS` (counted as a hit or a miss).

        An expired record is dropped (an expiration), one ``is_stale(partition id, uuid,
        sequence)`` condemns is dropped (an invalidation); both answer MISS.
        """
        with self._lock:
            record = self._records.get(key)
            if record is None or record.reservation:
                self.misses += 1
                return MISS
            if self._expired(record, now):
                self._remove(record)
                self.expirations += 1
                self.misses += 1
                return MISS
            if is_stale(record.partition_id, record.uuid, record.sequence):
                self._remove(record)
                self.invalidations += 1
                self.misses += 1
                return MISS
            record.accessed = now
            record.hits += 1
            self.hits += 1
            return record.value

    def _expired(self, record: Record, now: float) -> bool:
        return now >= record.expires or (self._max_idle is not None and now - record.accessed >= self._max_idle)

    # -- reserve, publish, cancel -------------------------------------------------------------

    def try_reserve(self, key: bytes, now: float, partition_id: int, uuid: Optional[uuid.UUID], sequence: int) -> int:
        """Reserve ``key`` for a value about to be read; returns the reservation id, or 0 when
        the key is already cached or reserved, or the store is full and nothing can be evicted.

        ``uuid`` / ``sequence`` are the partition's invalidation metadata at this moment.
        """
        with self._lock:
            if key in self._records:
                return 0
            if self._bounded and len(self._records) >= self.config.eviction_max_size:
                self._make_room(now)
                if len(self._records) >= self.config.eviction_max_size:
                    return 0
            reservation = next(self._ids)
            record = Record(key, reservation, now, partition_id, uuid, sequence)
            record.index = len(self._keys)
            self._keys.append(key)
            self._records[key] = record
            return reservation

    def publish(self, key: bytes, reservation: int, value: Any, cost: int, now: float) -> bool:
        """Cache ``value`` under ``key`` if ``reservation`` still holds it; returns whether it did.

        ``cost`` is the value's estimated size in bytes.
        """
        with self._lock:
            record = self._records.get(key)
            if record is None or record.reservation != reservation:
                return False
            record.value = value
            record.reservation = 0
            record.created = record.accessed = now
            if self._ttl is not None:
                record.expires = now + self._ttl
            record.cost = len(key) + cost + RECORD_OVERHEAD
            self.memory += record.cost
            return True

    def cancel(self, key: bytes, reservation: int) -> None:
        """Give up ``reservation`` of ``key`` (the read failed or found nothing); returns None."""
        with self._lock:
            record = self._records.get(key)
            if record is not None and record.reservation == reservation:
                self._remove(record)

    # -- invalidation ------------------------------------------------------------------------

    def invalidate(self, key: bytes) -> bool:
        """Drop ``key`` (cached or reserved); returns whether a cached value was dropped."""
        with self._lock:
            self.invalidation_requests += 1
            record = self._records.get(key)
            if record is None:
                return False
            self._remove(record)
            if record.reservation:
                return False
            self.invalidations += 1
            return True

    def clear(self, count: bool = True) -> int:
        """Drop every record (reservations too); returns how many cached values were dropped.

        ``count=False`` leaves the statistics alone (destroy, shutdown).
        """
        with self._lock:
            dropped = sum(1 for record in self._records.values() if not record.reservation)
            for record in self._records.values():
                record.index = -1
            self._records.clear()
            self._keys = []
            self._evictor.forget()
            self.memory = 0
            if count:
                self.invalidation_requests += 1
                self.invalidations += dropped
            return dropped

    # -- eviction and expiry -----------------------------------------------------------------

    def _make_room(self, now: float) -> None:
        """Under the lock: expire what a random sample finds expired; if that frees nothing,
        evict the evictor's choice."""
        sample = self._sample()
        expired = [record for record in sample if not record.reservation and self._expired(record, now)]
        for record in expired:
            self._remove(record)
            self.expirations += 1
        if expired:
            return
        victim = self._evictor.choose(sample)
        if victim is not None:
            self._remove(victim)
            self.evictions += 1

    def _sample(self) -> List[Record]:
        """Under the lock: ``eviction_sampling_count`` records taken at random (all when fewer)."""
        keys = self._keys
        count = self.config.eviction_sampling_count
        if len(keys) <= count:
            chosen = list(keys)
        else:
            chosen = [keys[i] for i in self._rng.sample(range(len(keys)), count)]
        return [self._records[key] for key in chosen]

    def expire(self, now: float) -> int:
        """Drop every expired record now; returns how many (counted as expirations)."""
        with self._lock:
            expired = [r for r in self._records.values() if not r.reservation and self._expired(r, now)]
            for record in expired:
                self._remove(record)
            self.expirations += len(expired)
            return len(expired)

    def _remove(self, record: Record) -> None:
        """Under the lock: take ``record`` out (swap-remove from the key list)."""
        index = record.index
        if index < 0:
            return
        keys = self._keys
        last = keys.pop()
        if last != record.key:
            keys[index] = last
            self._records[last].index = index
        del self._records[record.key]
        record.index = -1
        self.memory -= record.cost

    # -- statistics --------------------------------------------------------------------------

    def stats(self) -> NearCacheStats:
        """A snapshot of the counters (reserved keys are not owned entries)."""
        with self._lock:
            owned = sum(1 for record in self._records.values() if not record.reservation)
            return NearCacheStats(
                self._creation_time,
                self.hits,
                self.misses,
                self.evictions,
                self.expirations,
                self.invalidations,
                self.invalidation_requests,
                owned,
                self.memory,
            )
