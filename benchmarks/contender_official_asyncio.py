"""The official client's asyncio API (``hazelcast.asyncio.HazelcastClient``) as a contender.

It brings its own scenario functions (:mod:`benchmarks.scenarios_asyncio`): the same
workloads as :mod:`benchmarks.scenarios`, written with ``await``.  The worker uses them
instead of the shared ones (see :meth:`OfficialAsyncioContender.scenario_funcs`).

Standard library only at module level, and not even ``asyncio`` (which imports
``threading``): the worker imports this module before the official contender may
monkey-patch.
"""

from benchmarks.contender import Contender


class OfficialAsyncioContender(Contender):
    """hazelcast-python-client's asyncio client on an event loop owned by this contender.

    The loop is created in the worker process by the constructor and set as the
    thread's current loop.  Everything the client does runs on it: the synchronous
    entry points the worker calls (:meth:`new_client`, :meth:`close_client` and the
    scenarios' ``run``) run one coroutine each with ``loop.run_until_complete``.
    Concurrency (the window of ``pipelined_put``, the workers of ``mixed_greenlets``)
    is asyncio tasks of that one loop.
    """

    #: Tasks, not greenlets: nothing here may call gevent.
    greenlets = False

    def __init__(self, args):
        import asyncio

        super().__init__(args)
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def run(self, awaitable):
        """Run ``awaitable`` to completion on the contender's loop and return its result."""
        return self.loop.run_until_complete(awaitable)

    def runner(self, body):
        """The synchronous ``run(seconds, meter, rec)`` the worker calls, for an async ``body``
        with the same signature: it runs ``body`` on the contender's loop."""

        def run(seconds, meter, rec):
            return self.loop.run_until_complete(body(seconds, meter, rec))

        return run

    def scenario_funcs(self):
        """The worker's hook: the scenario functions of this contender, by scenario name
        (the async versions of :data:`benchmarks.scenarios.SCENARIO_FUNCS`)."""
        from benchmarks.scenarios_asyncio import SCENARIO_FUNCS

        return SCENARIO_FUNCS

    # -- clients ---------------------------------------------------------------------------

    async def start_client(self):
        """Create and start a client (connected when this returns), on the running loop."""
        from hazelcast.asyncio import HazelcastClient

        return await HazelcastClient.create_and_start(
            cluster_members=self.args.members, cluster_name=self.args.cluster, **self.client_options()
        )

    async def stop_client(self, client):
        """Shut ``client`` down, on the running loop."""
        await client.shutdown()

    def new_client(self):
        """A started client (the worker's shared one)."""
        return self.run(self.start_client())

    def close_client(self, client):
        """Shut down a client made by :meth:`new_client`."""
        self.run(self.stop_client(client))

    # -- the operations the scenarios use: coroutine functions --------------------------------

    async def map_ops(self, client, name):
        """``(put, get, put_all, clear)`` of map ``name``: bound coroutine methods."""
        m = await client.get_map(name)
        return m.put, m.get, m.put_all, m.clear

    async def near_cache_counts(self, client, name):
        """A function giving the (hits, misses) of map ``name``'s near cache so far.

        As for the blocking client: no public accessor, so the map proxy's near cache
        (a private attribute) and its ``get_statistics()``."""
        near_cache = (await client.get_map(name))._near_cache

        def counts():
            stats = near_cache.get_statistics()
            return stats["hits"], stats["misses"]

        return counts

    async def topic_ops(self, client, name):
        """``(publish, add_listener, remove_listener)`` of topic ``name``."""
        topic = await client.get_topic(name)
        return topic.publish, topic.add_listener, topic.remove_listener

    async def ringbuffer_ops(self, client, name):
        """``(add_all, read_many, head_sequence)`` of ringbuffer ``name``."""
        rb = await client.get_ringbuffer(name)
        return rb.add_all, rb.read_many, rb.head_sequence

    async def lock_ops(self, client, name):
        """``(lock, unlock)`` of the FencedLock ``name`` (owned by the calling task)."""
        lock = await client.cp_subsystem.get_lock(name)
        return lock.lock, lock.unlock

    async def atomic_ops(self, client, name):
        """``increment_and_get`` of the AtomicLong ``name``."""
        return (await client.cp_subsystem.get_atomic_long(name)).increment_and_get

    @staticmethod
    def error_of(task):
        """The exception of a completed task (a cancellation counts as one), or None."""
        if task.cancelled():
            return RuntimeError("the operation was cancelled")
        return task.exception()

    @staticmethod
    def blob(data):
        """``bytearray``: the official client's byte-array type (it would pickle ``bytes``)."""
        return bytearray(data)

    # -- concurrency primitives: asyncio's, of the contender's loop ----------------------------

    def semaphore(self, n):
        """An ``asyncio.Semaphore`` (``await acquire()``, ``release()``)."""
        import asyncio

        return asyncio.Semaphore(n)

    def event(self):
        """An ``asyncio.Event`` (``await wait()``, ``set()``)."""
        import asyncio

        return asyncio.Event()

    def run_concurrently(self, count, target):
        """Not used: the asyncio scenarios gather their tasks themselves."""
        raise NotImplementedError("the asyncio contender runs tasks inside its scenarios")
