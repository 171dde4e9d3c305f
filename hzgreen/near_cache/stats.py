"""Near cache statistics: a snapshot, as ``map.get_near_cache_stats()`` returns it."""

from __future__ import annotations

__all__ = ["NearCacheStats"]


class NearCacheStats:
    """Counters of one near cache at one moment (names follow the official client's statistics).

    ``hits`` / ``misses``: reads answered / not answered from the near cache.
    ``evictions``: entries dropped because the near cache was full (``eviction_policy``).
    ``expirations``: entries dropped for ``time_to_live`` or ``max_idle``.
    ``invalidations``: entries dropped because the cluster (or this client) changed them, or
    the repair found them possibly stale; ``invalidation_requests``: invalidations received
    or made, whether or not an entry was cached.
    ``owned_entry_count``: entries cached now; ``owned_entry_memory_cost``: their estimated
    size in bytes (key and value bytes plus a fixed per-entry overhead).
    ``creation_time``: when the near cache was created (``time.time()``).
    """

    __slots__ = (
        "creation_time",
        "hits",
        "misses",
        "evictions",
        "expirations",
        "invalidations",
        "invalidation_requests",
        "owned_entry_count",
        "owned_entry_memory_cost",
    )

    def __init__(
        self,
        creation_time: float,
        hits: int,
        misses: int,
        evictions: int,
        expirations: int,
        invalidations: int,
        invalidation_requests: int,
        owned_entry_count: int,
        owned_entry_memory_cost: int,
    ) -> None:
        self.creation_time = creation_time
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.expirations = expirations
        self.invalidations = invalidations
        self.invalidation_requests = invalidation_requests
        self.owned_entry_count = owned_entry_count
        self.owned_entry_memory_cost = owned_entry_memory_cost

    @property
    def ratio(self) -> float:
        """Hits per read (0.0 before the first read)."""
        reads = self.hits + self.misses
        return self.hits / reads if reads else 0.0

    def to_dict(self) -> "dict[str, float]":
        """The counters as a dict (the official client's ``get_statistics()`` keys)."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return "NearCacheStats(%s)" % ", ".join("%s=%r" % (name, getattr(self, name)) for name in self.__slots__)
