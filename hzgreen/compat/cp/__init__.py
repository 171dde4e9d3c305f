"""``hazelcast.cp`` for hzgreen: the CP subsystem with future-returning proxies.

Each ``get_*`` returns a :class:`CPProxy` over hzgreen's native CP proxy (``blocking()``
returns the native one). Lock ownership follows the caller, as natively: the thread
under the threading handler, the greenlet under the gevent handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hzgreen.compat.proxy.base import Proxy

if TYPE_CHECKING:
    from hzgreen.cp.atomic_long import AtomicLong as NativeAtomicLong
    from hzgreen.cp.atomic_reference import AtomicReference as NativeAtomicReference
    from hzgreen.cp.count_down_latch import CountDownLatch as NativeCountDownLatch
    from hzgreen.cp.fenced_lock import FencedLock as NativeFencedLock
    from hzgreen.cp.semaphore import Semaphore as NativeSemaphore
    from hzgreen.cp.subsystem import CPSubsystem as NativeCPSubsystem
    from hzgreen.handler_types import Handler

__all__ = ["AtomicLong", "AtomicReference", "CPProxy", "CPSubsystem", "CountDownLatch", "FencedLock", "Semaphore"]


class CPProxy(Proxy[Any]):
    """A CP data structure whose methods return futures (``destroy()`` too, as in the official client)."""

    def get_group_id(self) -> Any:
        """Returns the id of the CP group the object lives in."""
        return self._native.group_id


class AtomicLong(CPProxy):
    """A CP AtomicLong; ``blocking()`` returns :class:`hzgreen.cp.atomic_long.AtomicLong`."""


class AtomicReference(CPProxy):
    """A CP AtomicReference; ``blocking()`` returns :class:`hzgreen.cp.atomic_reference.AtomicReference`."""


class CountDownLatch(CPProxy):
    """A CP CountDownLatch; ``blocking()`` returns :class:`hzgreen.cp.count_down_latch.CountDownLatch`."""


class FencedLock(CPProxy):
    """A CP FencedLock; ``blocking()`` returns :class:`hzgreen.cp.fenced_lock.FencedLock`."""


class Semaphore(CPProxy):
    """A CP Semaphore; ``blocking()`` returns :class:`hzgreen.cp.semaphore.Semaphore`."""


class CPSubsystem:
    """``client.cp_subsystem``: the CP data structures, as futures-returning proxies."""

    def __init__(self, native: "NativeCPSubsystem", handler: "Handler") -> None:
        self._native = native
        self._handler = handler

    def get_atomic_long(self, name: str) -> AtomicLong:
        """Returns the AtomicLong ``name`` (``"name@group"`` picks the CP group); raises as the native getter."""
        native: NativeAtomicLong = self._native.get_atomic_long(name)
        return AtomicLong(native, self._handler)

    def get_atomic_reference(self, name: str) -> AtomicReference:
        """Returns the AtomicReference ``name``; raises as the native getter."""
        native: NativeAtomicReference = self._native.get_atomic_reference(name)
        return AtomicReference(native, self._handler)

    def get_count_down_latch(self, name: str) -> CountDownLatch:
        """Returns the CountDownLatch ``name``; raises as the native getter."""
        native: NativeCountDownLatch = self._native.get_count_down_latch(name)
        return CountDownLatch(native, self._handler)

    def get_lock(self, name: str) -> FencedLock:
        """Returns the FencedLock ``name``; raises as the native getter."""
        native: NativeFencedLock = self._native.get_lock(name)
        return FencedLock(native, self._handler)

    def get_semaphore(self, name: str) -> Semaphore:
        """Returns the Semaphore ``name``; raises as the native getter."""
        native: NativeSemaphore = self._native.get_semaphore(name)
        return Semaphore(native, self._handler)
