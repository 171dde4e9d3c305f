"""Coordination recipes built on the proxy and CP APIs, bound on the client as in Kazoo.

``RECIPES`` maps the attribute a user calls on the client to ``"module:Class"``;
``client.Lock("jobs")`` builds ``Lock(client, "jobs")``. The recipes listed here are
declared as typed methods in :mod:`hzgreen.recipes.bound` (with the same parameters as
the classes). A recipe of another package registers itself by adding an entry, e.g.
``RECIPES["Mutex"] = "mypkg.mutex:Mutex"``: the client then serves ``client.Mutex(...)``
at run time (type checkers see only the declared ones; typed code calls
``Mutex(client, ...)``). Entries name modules only, so importing the client does not
import every recipe.
"""

from typing import Dict

RECIPES: Dict[str, str] = {
    # watchers and queues
    "EntryWatch": "hzgreen.recipes.watchers:EntryWatch",
    "MapWatch": "hzgreen.recipes.watchers:MapWatch",
    "MapCache": "hzgreen.recipes.map_cache:MapCache",
    "Queue": "hzgreen.recipes.queue:Queue",
    "LockingQueue": "hzgreen.recipes.queue:LockingQueue",
    # CP coordination recipes
    "Lock": "hzgreen.recipes.lock:Lock",
    "Semaphore": "hzgreen.recipes.semaphore:Semaphore",
    "CountDownLatch": "hzgreen.recipes.latch:CountDownLatch",
    "Barrier": "hzgreen.recipes.barrier:Barrier",
    "DoubleBarrier": "hzgreen.recipes.barrier:DoubleBarrier",
    "Counter": "hzgreen.recipes.counter:Counter",
    "Election": "hzgreen.recipes.election:Election",
    "Party": "hzgreen.recipes.party:Party",
    "Partitioner": "hzgreen.recipes.partitioner:Partitioner",
    "NonBlockingLease": "hzgreen.recipes.lease:NonBlockingLease",
    "MultiNonBlockingLease": "hzgreen.recipes.lease:MultiNonBlockingLease",
}
