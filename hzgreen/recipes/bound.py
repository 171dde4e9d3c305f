"""The recipes as methods of the client, as Kazoo binds them: ``client.Lock("jobs")``.

:class:`BoundRecipes` is a base class of :class:`~hzgreen.client.HzClient`. Each method
has the recipe's own parameters (without ``client``), imports the recipe module on first
use (importing the client does not import every recipe) and returns
``Recipe(client, ...)``, so IDEs and type checkers see every recipe, its parameters and
its return type.

Recipes of other packages are registered by name in :data:`hzgreen.recipes.RECIPES`
(``RECIPES["Mutex"] = "mypkg.mutex:Mutex"``); the client serves them at run time as
``client.Mutex(...)``. Type checkers do not see registered names: typed code calls
``Mutex(client, ...)`` instead.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, cast

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.cp.session import CPSessionEvent
    from hzgreen.handler_types import Event
    from hzgreen.recipes import (
        barrier,
        counter,
        election,
        latch,
        lease,
        lock,
        map_cache,
        partitioner,
        party,
        queue,
        semaphore,
        watchers,
    )
    from hzgreen.streams import transform


def _client(recipes: BoundRecipes) -> HzClient:
    """``recipes`` as the client it is: BoundRecipes is only ever a base class of HzClient."""
    return cast("HzClient", recipes)


class BoundRecipes:
    """Kazoo-style recipe constructors: ``client.Name(...)`` is ``Name(client, ...)``."""

    # -- watchers and queues -----------------------------------------------------------------

    def EntryWatch(self, map_name: str, key: Any, func: Optional[Callable[..., Any]] = None) -> watchers.EntryWatch:
        """A :class:`~hzgreen.recipes.watchers.EntryWatch` of ``key`` in map ``map_name``.

        Returns the watch (use it as a decorator when ``func`` is None); raises what
        ``EntryWatch(client, ...)`` raises (ValueError for a None ``key``).
        """
        from hzgreen.recipes.watchers import EntryWatch

        return EntryWatch(_client(self), map_name, key, func)

    def MapWatch(
        self, map_name: str, func: Optional[Callable[..., Any]] = None, send_event: bool = False
    ) -> watchers.MapWatch:
        """A :class:`~hzgreen.recipes.watchers.MapWatch` of the keys of map ``map_name``.

        Returns the watch (use it as a decorator when ``func`` is None).
        """
        from hzgreen.recipes.watchers import MapWatch

        return MapWatch(_client(self), map_name, func, send_event)

    def MapCache(self, map_name: str, page_size: int = 500) -> map_cache.MapCache:
        """A :class:`~hzgreen.recipes.map_cache.MapCache` (Kazoo's TreeCache) of map ``map_name``.

        Returns the cache, not started (call ``start()``); raises ValueError for a
        ``page_size`` that is not an int > 0.
        """
        from hzgreen.recipes.map_cache import MapCache

        return MapCache(_client(self), map_name, page_size)

    def Queue(self, name: str) -> queue.Queue:
        """A :class:`~hzgreen.recipes.queue.Queue` (Kazoo's Queue) named ``name``; returns it."""
        from hzgreen.recipes.queue import Queue

        return Queue(_client(self), name)

    def LockingQueue(self, name: str, lease_time: float = 30.0) -> queue.LockingQueue:
        """A :class:`~hzgreen.recipes.queue.LockingQueue` named ``name``; returns it.

        Raises ValueError for a ``lease_time`` below 1 second.
        """
        from hzgreen.recipes.queue import LockingQueue

        return LockingQueue(_client(self), name, lease_time)

    # -- CP coordination recipes ---------------------------------------------------------------

    def Lock(
        self,
        name: str,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        identifier: Any = None,
        ttl: float = 10.0,
    ) -> lock.Lock:
        """A :class:`~hzgreen.recipes.lock.Lock` (a CP FencedLock) named ``name``; returns it.

        Raises ValueError for a ``ttl`` that is not > 0.
        """
        from hzgreen.recipes.lock import Lock

        return Lock(_client(self), name, on_lost, identifier, ttl)

    def Semaphore(
        self,
        name: str,
        max_leases: int = 1,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        identifier: Any = None,
        ttl: float = 10.0,
    ) -> semaphore.Semaphore:
        """A :class:`~hzgreen.recipes.semaphore.Semaphore` named ``name``; returns it.

        Raises ValueError for a ``max_leases`` that is not an int >= 1 or a ``ttl`` not > 0.
        """
        from hzgreen.recipes.semaphore import Semaphore

        return Semaphore(_client(self), name, max_leases, on_lost, identifier, ttl)

    def CountDownLatch(self, name: str, count: Optional[int] = None) -> latch.CountDownLatch:
        """A :class:`~hzgreen.recipes.latch.CountDownLatch` named ``name`` (armed with ``count``); returns it."""
        from hzgreen.recipes.latch import CountDownLatch

        return CountDownLatch(_client(self), name, count)

    def Barrier(self, name: str) -> barrier.Barrier:
        """A :class:`~hzgreen.recipes.barrier.Barrier` named ``name``; returns it."""
        from hzgreen.recipes.barrier import Barrier

        return Barrier(_client(self), name)

    def DoubleBarrier(self, name: str, num_clients: int) -> barrier.DoubleBarrier:
        """A :class:`~hzgreen.recipes.barrier.DoubleBarrier` for ``num_clients`` parties; returns it.

        Raises ValueError for a ``num_clients`` that is not an int >= 1.
        """
        from hzgreen.recipes.barrier import DoubleBarrier

        return DoubleBarrier(_client(self), name, num_clients)

    def Counter(self, name: str, default: counter.Number = 0) -> counter.Counter:
        """A :class:`~hzgreen.recipes.counter.Counter` named ``name``; returns it.

        Raises TypeError for a ``default`` that is neither an int nor a float.
        """
        from hzgreen.recipes.counter import Counter

        return Counter(_client(self), name, default)

    def Election(
        self,
        name: str,
        identifier: Any = None,
        on_lost: Optional[Callable[[CPSessionEvent], Any]] = None,
        ttl: float = 10.0,
    ) -> election.Election:
        """An :class:`~hzgreen.recipes.election.Election` named ``name``; returns it."""
        from hzgreen.recipes.election import Election

        return Election(_client(self), name, identifier, on_lost, ttl)

    def Party(self, name: str, identifier: Any = None, ttl: float = 10.0) -> party.Party:
        """A :class:`~hzgreen.recipes.party.Party` named ``name``; returns it.

        Raises ValueError for a ``ttl`` that is not > 0.
        """
        from hzgreen.recipes.party import Party

        return Party(_client(self), name, identifier, ttl)

    def Partitioner(
        self,
        name: str,
        items: Iterable[Any],
        identifier: Any = None,
        partition_func: Optional[Callable[[Any, List[Any], List[Any]], Iterable[Any]]] = None,
        time_boundary: float = 1.0,
        lease: float = 10.0,
        acquire_timeout: Optional[float] = None,
        state_change_event: Optional[Event] = None,
    ) -> partitioner.Partitioner:
        """A :class:`~hzgreen.recipes.partitioner.Partitioner` of ``items``; returns it.

        Raises ValueError for a ``lease`` that is not > 0.
        """
        from hzgreen.recipes.partitioner import Partitioner

        return Partitioner(
            _client(self),
            name,
            items,
            identifier,
            partition_func,
            time_boundary,
            lease,
            acquire_timeout,
            state_change_event,
        )

    def Transform(
        self,
        source_map: str,
        result_map: str,
        func: Callable[[Any, Any], Any],
        name: Optional[str] = None,
        *,
        key_func: Optional[Callable[[Any], Any]] = None,
        delete_on_remove: bool = False,
        start: str = "oldest",
        batch_size: int = 100,
        max_in_flight: int = 1000,
        checkpoint_interval: float = 1.0,
        identifier: Any = None,
        lease: float = 10.0,
        time_boundary: float = 1.0,
        on_lost: Optional[Callable[[int, int, int], Any]] = None,
        on_error: Optional[Callable[[Any, Any, BaseException], Any]] = None,
        retry_delay: float = 1.0,
    ) -> transform.Transform:
        """A :class:`~hzgreen.streams.transform.Transform` of the journaled map ``source_map``
        into ``result_map`` through ``func(key, value)``; returns it, not started (call
        ``start()`` or use it in a ``with`` block). Raises TypeError/ValueError for bad
        arguments, before anything is sent.
        """
        from hzgreen.streams.transform import Transform

        return Transform(
            _client(self),
            source_map,
            result_map,
            func,
            name,
            key_func=key_func,
            delete_on_remove=delete_on_remove,
            start=start,
            batch_size=batch_size,
            max_in_flight=max_in_flight,
            checkpoint_interval=checkpoint_interval,
            identifier=identifier,
            lease=lease,
            time_boundary=time_boundary,
            on_lost=on_lost,
            on_error=on_error,
            retry_delay=retry_delay,
        )

    def NonBlockingLease(
        self,
        name: str,
        duration: lease.Duration,
        identifier: Optional[str] = None,
        utcnow: Optional[lease.Clock] = None,
    ) -> lease.NonBlockingLease:
        """A :class:`~hzgreen.recipes.lease.NonBlockingLease` named ``name``, tried once; returns it.

        Raises TypeError/ValueError for wrong arguments, HzError when the cluster fails.
        """
        from hzgreen.recipes.lease import NonBlockingLease

        return NonBlockingLease(_client(self), name, duration, identifier, utcnow)

    def MultiNonBlockingLease(
        self,
        count: int,
        name: str,
        duration: lease.Duration,
        identifier: Optional[str] = None,
        utcnow: Optional[lease.Clock] = None,
    ) -> lease.MultiNonBlockingLease:
        """A :class:`~hzgreen.recipes.lease.MultiNonBlockingLease`: one of ``count`` leases; returns it.

        Raises ValueError for a ``count`` that is not an int >= 1, and what NonBlockingLease raises.
        """
        from hzgreen.recipes.lease import MultiNonBlockingLease

        return MultiNonBlockingLease(_client(self), count, name, duration, identifier, utcnow)

    # -- recipes registered by other packages (run time only) -----------------------------------

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            from hzgreen.recipes import RECIPES

            target = RECIPES.get(name) if not name.startswith("_") else None
            if target is None:
                raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))
            module_name, _, class_name = target.partition(":")
            bound = functools.partial(getattr(importlib.import_module(module_name), class_name), self)
            setattr(self, name, bound)
            return bound
