"""The contender interface the scenarios use, with OS-thread concurrency as the default.

Standard library only at module level: ``threading`` is imported lazily, after a contender may
have monkey-patched.
"""


class Contender:
    """What a scenario needs from a client library, as plain bound methods.

    ``map_ops`` returns put, get, put_async (a future with
    ``add_done_callback``), put_all and clear; ``error_of(future)`` is the
    exception of a completed future or None.
    """

    greenlets = False

    def __init__(self, args):
        self.args = args

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
