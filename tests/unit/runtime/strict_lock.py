"""A lock for driver unit tests that fails loudly where a plain lock would deadlock."""

import threading


class NonReentrantLock:
    """A plain lock that raises AssertionError when its holder acquires it again.

    The connection manager's lock is not reentrant; with this lock a test shows that
    nothing run under it calls back into the manager (where a real lock would hang).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._owner = None

    def __enter__(self):
        me = threading.get_ident()
        assert self._owner != me, "the lock was acquired again by the thread holding it"
        self._lock.acquire()
        self._owner = me
        return True

    def __exit__(self, *exc_info):
        self._owner = None
        self._lock.release()
