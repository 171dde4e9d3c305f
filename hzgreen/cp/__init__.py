"""CP subsystem: CP group ids, CP sessions, caller identities and the raw CP proxies.

Reached through ``client.cp`` (:class:`~hzgreen.cp.subsystem.CPSubsystem`):
``get_atomic_long``, ``get_atomic_reference``, ``get_count_down_latch``, ``get_lock``,
``get_semaphore``, plus ``add_session_listener`` for session loss. See ``docs/cp.rst``.
"""

from hzgreen.cp.atomic_long import AtomicLong
from hzgreen.cp.atomic_reference import AtomicReference
from hzgreen.cp.count_down_latch import CountDownLatch
from hzgreen.cp.fenced_lock import INVALID_FENCE, FencedLock
from hzgreen.cp.naming import CPName, parse_name
from hzgreen.cp.semaphore import Semaphore, SessionAwareSemaphore, SessionlessSemaphore
from hzgreen.cp.session import NO_SESSION_ID, CPSessionEvent, SessionManager
from hzgreen.cp.subsystem import CPSubsystem

__all__ = [
    "AtomicLong",
    "AtomicReference",
    "CountDownLatch",
    "CPName",
    "CPSessionEvent",
    "CPSubsystem",
    "FencedLock",
    "INVALID_FENCE",
    "NO_SESSION_ID",
    "Semaphore",
    "SessionAwareSemaphore",
    "SessionlessSemaphore",
    "SessionManager",
    "parse_name",
]
