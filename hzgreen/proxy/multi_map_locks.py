"""MultiMap key locks (mixed into MultiMap): lock, try_lock, unlock, is_locked, force_unlock.

A key lock is owned by the calling thread (threading handler) or greenlet (gevent
handler) of this client: ``handler.current_identity()`` is sent as the thread id, so a
lock held by one thread or greenlet blocks every other one, in this client as in any
other. Locks are re-entrant: a key locked N times by its owner needs N unlocks. While a
key is locked, operations on it from other owners (``put``, ``remove``, ...) wait for the
lock. Each lock request carries a fresh reference id, so a request the client sends again
(after a lost connection) is recognised by the member instead of locking twice.

``lock`` waits as long as it takes, and ``try_lock`` up to its ``timeout``: neither is cut
short by ``invocation_timeout`` (their deadline is the wait itself plus
``invocation_timeout`` for the answer). When a synchronous ``lock`` or ``try_lock`` is
abandoned while it waits (a gevent Timeout, a killed greenlet, an interrupt), a lock the
member grants afterwards is released again, so no key stays locked by a caller that
stopped waiting. The ``_async`` forms leave that to the caller.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from hzgreen.protocol.codecs import multi_map as codec
from hzgreen.proxy.key_locks import KeyLockMixin, LockCodec

__all__ = ["MultiMapLockMixin"]


class MultiMapLockMixin(KeyLockMixin):
    """Key locks on a MultiMap (see :mod:`hzgreen.proxy.key_locks`)."""

    _lock_codec: ClassVar[LockCodec] = codec
    _lock_log: ClassVar[logging.Logger] = logging.getLogger("hzgreen.proxy.multi_map_locks")
