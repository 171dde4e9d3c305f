"""Choosing the entry a full near cache drops: LRU, LFU or RANDOM over a random sample.

As the official clients do, the store does not keep its entries ordered: when it is full it
hands :meth:`Evictor.choose` ``eviction_sampling_count`` entries taken at random, the
evictor merges them into a pool of the ``eviction_sampling_pool_size`` best candidates
seen so far (entries still cached), and the worst one of the pool goes. NONE never evicts.
Sans-IO: the time and the random source are given.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Callable, List, Optional, Tuple

from hzgreen.near_cache.config import EvictionPolicy

if TYPE_CHECKING:
    from hzgreen.near_cache.store import Record

__all__ = ["Evictor"]

_Score = Tuple[float, float]


def _lru(record: "Record") -> _Score:
    return (record.accessed, 0.0)


def _lfu(record: "Record") -> _Score:
    return (float(record.hits), record.accessed)


_SCORES: "dict[EvictionPolicy, Callable[[Record], _Score]]" = {EvictionPolicy.LRU: _lru, EvictionPolicy.LFU: _lfu}


class Evictor:
    """Picks eviction victims for one near cache (see the module docstring)."""

    def __init__(self, policy: EvictionPolicy, pool_size: int, rng: Optional[random.Random] = None) -> None:
        self.policy = policy
        self._pool_size = pool_size
        self._rng = rng or random.Random()
        self._pool: List["Record"] = []
        self._score = _SCORES.get(policy)

    def choose(self, sample: List["Record"]) -> Optional["Record"]:
        """The entry to evict among ``sample`` and the pool (live, published entries only);
        None when there is none or the policy is NONE. The chosen entry leaves the pool."""
        if self.policy == EvictionPolicy.NONE:
            return None
        live = [record for record in sample if record.index >= 0 and not record.reservation]
        if self.policy == EvictionPolicy.RANDOM:
            return self._rng.choice(live) if live else None
        score = self._score
        assert score is not None
        pool = {id(record): record for record in self._pool if record.index >= 0 and not record.reservation}
        for record in live:
            pool[id(record)] = record
        candidates = sorted(pool.values(), key=score)
        if not candidates:
            self._pool = []
            return None
        victim = candidates[0]
        self._pool = candidates[1 : self._pool_size + 1]
        return victim

    def forget(self) -> None:
        """Drop the candidate pool (the store was cleared); returns None."""
        self._pool = []
