"""Coordination recipes built on the proxy and CP APIs, bound on the client as in Kazoo.

``RECIPES`` maps the attribute a user calls on the client to ``"module:Class"``;
``client.Lock("jobs")`` builds ``Lock(client, "jobs")``. A recipe module registers
itself here by name only, so importing the client does not import every recipe.
"""

RECIPES = {
    # watchers and queues
    "EntryWatch": "hzgreen.recipes.watchers:EntryWatch",
    "MapWatch": "hzgreen.recipes.watchers:MapWatch",
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
}
