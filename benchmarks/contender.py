"""The contender interface the scenarios use, with OS-thread concurrency as the default.

Standard library only at module level: ``threading`` is imported lazily, after a contender may
have monkey-patched.
"""


class Contender:
    """What a scenario needs from a client library, as plain bound methods.

    ``map_ops`` returns put, get, put_async (a future with
    ``add_done_callback``), put_all and clear; ``error_of(future)`` is the
    exception of a completed future or None; ``near_cache_counts`` returns a
    function giving the (hits, misses) of a map's near cache so far.
    """

    greenlets = False

    def __init__(self, args):
        self.args = args

    def client_options(self):
        """Options of the scenario's client that both Python clients take: its near cache, if any."""
        from benchmarks.scenarios import near_caches

        caches = near_caches(self.args)
        return {"near_caches": caches} if caches else {}

    @staticmethod
    def blob(data):
        """``data`` (bytes) as the library's byte-array type (Hazelcast type -12)."""
        return data

    # concurrency primitives of the contender's world
    def semaphore(self, n):
        import threading

        return threading.Semaphore(n)

    def run_concurrently(self, count, target):
        """Run ``target(index)`` on ``count`` threads (or greenlets); return when all end."""
        import threading

        threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def event(self):
        import threading

        return threading.Event()
