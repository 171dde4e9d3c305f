"""Pessimistic per-key locks of a Map (mixed into Map): ``lock``, ``try_lock``, ``unlock``,
``is_locked``, ``force_unlock`` and the ``lock_context`` context manager.

A key's lock is owned by the caller: the OS thread under the threading handler, the
greenlet under the gevent handler (``handler.current_identity()``), within this client.
Locks are reentrant: the owner must unlock as many times as it locked. A locked key can
still be read by anyone, but writes from other owners wait until it is unlocked.

Every lock request carries a fresh reference id, so a request the invocation service
sends again (after a connection loss) is not applied twice by the member.

Waiting calls (``lock``, ``try_lock`` with a timeout) are not cut short by
``invocation_timeout``: ``lock`` has no deadline, ``try_lock`` waits ``timeout`` plus
``invocation_timeout`` for the answer. When the synchronous ``lock``/``try_lock`` is
abandoned (a gevent Timeout, a killed greenlet, an interrupt), a lock the member grants
afterwards is given back, so no key stays locked by a caller that stopped waiting.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Callable, ClassVar, Iterator, Optional

from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.key_locks import FOREVER, KeyLockMixin, LockCodec

__all__ = ["FOREVER", "MapLockMixin"]


class MapLockMixin(KeyLockMixin):
    """Per-key locks on a Map (see :mod:`hzgreen.proxy.key_locks`) and ``lock_context``."""

    _lock_codec: ClassVar[LockCodec] = codec
    _lock_log: ClassVar[logging.Logger] = logging.getLogger("hzgreen.proxy.map_locks")
    _thread_id: Callable[[], int]

    @contextlib.contextmanager
    def lock_context(
        self, key: Any, lease_time: Optional[float] = None, timeout: Optional[float] = None
    ) -> Iterator[None]:
        """``with m.lock_context(key):`` holds the lock of ``key`` for the block, then unlocks.

        ``timeout`` None waits as long as it takes; otherwise the lock must be acquired
        within ``timeout`` seconds or the handler's timeout error
        (:class:`~hzgreen.exceptions.HzTimeoutError`) is raised and the block does not run.
        """
        if timeout is None:
            self.lock(key, lease_time)
        elif not self.try_lock(key, lease_time, timeout):
            raise self._handler.timeout_exception(
                "could not lock key %r of map %r within %s s" % (key, self.name, timeout)
            )
        try:
            yield
        finally:
            self.unlock(key)
