"""Events, locks, queues and async results that park on the simulation's scheduler.

Each has the API of its ``threading``/gevent counterpart that the handler interface
promises; waiting never takes wall time, only virtual time.
"""

from __future__ import annotations

import queue as _queue
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Deque, List, Optional, TypeVar

import greenlet
from zope.interface import implementer  # type: ignore[import-untyped]  # zope.interface ships no type information

from hzgreen.handlers.utils import FAILED, AsyncResultBase
from hzgreen.interfaces import IAsyncResult
from hzgreen.testing.sim.scheduler import Simulation, Waiter

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.testing.sim.handler import SimHandler

T = TypeVar("T")

__all__ = ["SimEvent", "SimLock", "SimRLock", "SimQueue", "SimAsyncResult"]


def _timeout_of(blocking: bool, timeout: Optional[float]) -> Optional[float]:
    """threading's convention: a negative timeout waits forever; non-blocking waits zero."""
    if not blocking:
        return 0.0
    if timeout is None or timeout < 0:
        return None
    return timeout


class SimEvent:
    """``threading.Event`` for simulated tasks."""

    __slots__ = ("_sim", "_flag", "_waiters")

    def __init__(self, sim: Simulation) -> None:
        self._sim = sim
        self._flag = False
        self._waiters: List[Waiter] = []

    def is_set(self) -> bool:
        return self._flag

    isSet = is_set

    def set(self) -> None:
        self._flag = True
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.wake(True)

    def clear(self) -> None:
        self._flag = False

    def wait(self, timeout: Optional[float] = None) -> bool:
        """True once set; False when ``timeout`` virtual seconds passed first."""
        if self._flag:
            return True
        if timeout is not None and timeout <= 0:
            return False
        waiter = Waiter(self._sim)
        self._waiters.append(waiter)
        try:
            return waiter.wait(timeout)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)


class SimLock:
    """Non-reentrant lock handed to waiters in FIFO order (``acquire(blocking, timeout=-1)``)."""

    __slots__ = ("_sim", "_locked", "_waiters")

    def __init__(self, sim: Simulation) -> None:
        self._sim = sim
        self._locked = False
        self._waiters: Deque[Waiter] = deque()

    def locked(self) -> bool:
        return self._locked

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """True when acquired; False when not free at once (non-blocking) or within ``timeout``."""
        if blocking:
            self._sim.maybe_yield()
        if not self._locked:
            self._locked = True
            return True
        wait_for = _timeout_of(blocking, timeout)
        if wait_for == 0:
            return False
        waiter = Waiter(self._sim)
        self._waiters.append(waiter)
        try:
            # release() hands the lock over: a woken waiter owns it already.
            return waiter.wait(wait_for)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def release(self) -> None:
        """Release, handing the lock to the oldest waiter; RuntimeError when not locked."""
        if not self._locked:
            raise RuntimeError("release unlocked lock")
        while self._waiters:
            if self._waiters.popleft().wake(True):
                break
        else:
            self._locked = False
        self._sim.maybe_yield()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc_info: Any) -> None:
        self.release()


class SimRLock:
    """Reentrant lock owned by a greenlet (same API as :class:`SimLock`)."""

    __slots__ = ("_lock", "_owner", "_count")

    def __init__(self, sim: Simulation) -> None:
        self._lock = SimLock(sim)
        self._owner: Any = None
        self._count = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        current = greenlet.getcurrent()
        if self._owner is current:
            self._count += 1
            return True
        if not self._lock.acquire(blocking, timeout):
            return False
        self._owner = current
        self._count = 1
        return True

    def release(self) -> None:
        """Release one level; RuntimeError when the caller does not own the lock."""
        if self._owner is not greenlet.getcurrent():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if not self._count:
            self._owner = None
            self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc_info: Any) -> None:
        self.release()


class SimQueue:
    """Unbounded FIFO queue; ``get`` raises ``queue.Empty`` when nothing came in time."""

    __slots__ = ("_sim", "_items", "_getters")

    def __init__(self, sim: Simulation) -> None:
        self._sim = sim
        self._items: Deque[Any] = deque()
        self._getters: Deque[Waiter] = deque()

    def qsize(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def put(self, item: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        while self._getters:
            if self._getters.popleft().wake((item,)):
                return
        self._items.append(item)

    put_nowait = put

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        """The oldest item; ``queue.Empty`` when none arrives within ``timeout`` (or at once if not ``block``)."""
        if self._items:
            return self._items.popleft()
        if not block or (timeout is not None and timeout <= 0):
            raise _queue.Empty
        waiter = Waiter(self._sim)
        self._getters.append(waiter)
        try:
            if waiter.wait(timeout):
                return waiter.value[0]
            raise _queue.Empty
        finally:
            if waiter in self._getters:
                self._getters.remove(waiter)

    def get_nowait(self) -> Any:
        return self.get(False)


@implementer(IAsyncResult)
class SimAsyncResult(AsyncResultBase[T]):
    """Async result whose ``get`` parks the simulated caller (see :class:`hzgreen.interfaces.IAsyncResult`)."""

    __slots__ = ()

    _handler: "SimHandler"
    _waiters: Optional[List[Waiter]]

    def _resolve(self, state: int, value: Optional[T], exception: Optional[BaseException]) -> bool:
        if self._state:
            # First resolution wins; a second one is ignored but counted: the runtime
            # completing one invocation twice is a bug the simulation reports.
            self._handler.sim.ignored_resolutions.append(
                (self._handler.sim.now, exception if state == FAILED else value)
            )
            return False
        self.value = value
        self.exception = exception
        self._state = state
        waiters, self._waiters = self._waiters, None
        callbacks, self._callbacks = self._callbacks, None
        for waiter in waiters or ():
            waiter.wake(True)
        if callbacks:
            dispatch = self._handler.dispatch_callback
            for callback in callbacks:
                dispatch(callback, self)
        return True

    def _block(self, timeout: Optional[float]) -> None:
        waiter = Waiter(self._handler.sim)
        if self._waiters is None:
            self._waiters = [waiter]
        else:
            self._waiters.append(waiter)
        try:
            waiter.wait(timeout)
        finally:
            waiters = self._waiters
            if waiters is not None and waiter in waiters:
                waiters.remove(waiter)

    def rawlink(self, callback: Callable[["AsyncResult[T]"], Any]) -> None:
        """Run ``callback(self)`` on the callback worker once resolved; returns None."""
        if self._state:
            self._handler.dispatch_callback(callback, self)
        elif self._callbacks is None:
            self._callbacks = [callback]
        else:
            self._callbacks.append(callback)

    def unlink(self, callback: Callable[["AsyncResult[T]"], Any]) -> None:
        """Forget a callback that has not been dispatched yet; returns None."""
        callbacks = self._callbacks
        if callbacks and callback in callbacks:
            callbacks.remove(callback)
