"""SimHandler: the IHandler whose tasks, timers, clock and sockets are all simulated.

Give it to a client (``HzClient(handler=SimHandler(sim, network), ...)``) and the
client's I/O loop, connection tasks, timers and callback worker all run as greenlets of
the :class:`~hzgreen.testing.sim.scheduler.Simulation`, against scripted members on
the :class:`~hzgreen.testing.sim.network.SimNetwork`: deterministically, in virtual time.
"""

from __future__ import annotations

import queue as _queue
import weakref
from typing import Any, Callable, List, Optional, Sequence, Tuple

import greenlet
from zope.interface import implementer  # type: ignore[import-untyped]  # zope.interface ships no type information

from hzgreen.exceptions import HzTimeoutError
from hzgreen.handlers import utils
from hzgreen.handlers.utils import log
from hzgreen.interfaces import IHandler
from hzgreen.testing.sim.network import SimNetwork, SimSocket
from hzgreen.testing.sim.primitives import SimAsyncResult, SimEvent, SimLock, SimQueue, SimRLock
from hzgreen.testing.sim.scheduler import Simulation, Task, Timer, Waiter

__all__ = ["SimHandler"]

_STOP = object()


@implementer(IHandler)
class SimHandler:
    """A handler for one :class:`Simulation` (see :mod:`hzgreen.interfaces`).

    ``io_style`` is ``"tasks"`` by default: the client runs one reader task per
    connection, and the scheduler is the loop that multiplexes them; ``"select"`` makes
    the client poll every connection from one task with :meth:`select`, as it does on
    OS threads. Timer and ``run_soon`` functions
    run on the simulation's hub and must not block.
    """

    name = "sequential_sim"
    timeout_exception = HzTimeoutError
    queue_empty = _queue.Empty

    def __init__(self, sim: Simulation, network: Optional[SimNetwork] = None, io_style: str = "tasks") -> None:
        if io_style not in ("tasks", "select"):
            raise ValueError("io_style must be 'tasks' or 'select', got %r" % (io_style,))
        self.io_style = io_style
        self.sim = sim
        self.network = network if network is not None else SimNetwork(sim)
        self._callbacks = SimQueue(sim)
        self._worker: Optional[Task] = None
        self._identities: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
        self.running = False

    def __repr__(self) -> str:
        return "<SimHandler running=%s t=%.6f>" % (self.running, self.sim.elapsed)

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the callback worker task (idempotent)."""
        if self.running:
            return
        self.running = True
        worker = self._worker
        if worker is None or worker.dead:
            self._worker = self.sim.spawn(self._run_callbacks)

    def stop(self) -> None:
        """Let the worker run every queued callback, then end it (idempotent)."""
        if not self.running:
            return
        self.running = False
        drained = SimEvent(self.sim)
        self._callbacks.put((_STOP, drained, None))
        worker = self._worker
        if worker is not None and worker.glet is not greenlet.getcurrent():
            drained.wait()

    def _run_callbacks(self) -> None:
        get = self._callbacks.get
        while True:
            func, args, kwargs = get()
            if func is _STOP:
                exiting = not self.running
                if exiting and self._worker is not None and self._worker.glet is greenlet.getcurrent():
                    self._worker = None
                args.set()
                if exiting:
                    return
                continue
            try:
                utils.run_logged(func, args, kwargs)
            except greenlet.GreenletExit:
                raise
            except BaseException:
                log.exception("Exception in callback %r", func)

    def dispatch_callback(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue ``func(*args, **kwargs)`` for the callback worker task."""
        self._callbacks.put((func, args, kwargs))

    def in_callback_worker(self) -> bool:
        """True when called from the callback worker task."""
        worker = self._worker
        return worker is not None and worker.glet is greenlet.getcurrent()

    # -- primitives ----------------------------------------------------------------------

    def event_object(self) -> SimEvent:
        return SimEvent(self.sim)

    def lock_object(self) -> SimLock:
        return SimLock(self.sim)

    def rlock_object(self) -> SimRLock:
        return SimRLock(self.sim)

    def async_result(self) -> SimAsyncResult[Any]:
        return SimAsyncResult(self)

    def queue(self) -> SimQueue:
        return SimQueue(self.sim)

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Start a simulated task; the returned Task has ``join(timeout=None)``."""
        return self.sim.spawn(func, *args, **kwargs)

    def sleep_func(self, seconds: float) -> None:
        """Park the caller for ``seconds`` virtual seconds."""
        self.sim.sleep(seconds)

    def monotonic(self) -> float:
        """The simulation's virtual clock."""
        return self.sim.now

    def current_identity(self) -> int:
        """A process-unique positive int64 per greenlet (the hub has one too)."""
        key = greenlet.getcurrent()
        identity = self._identities.get(key)
        if identity is None:
            identity = self._identities[key] = utils.next_identity()
        return identity

    def call_later(self, delay: float, func: Callable[..., Any], *args: Any) -> Timer:
        """Run ``func(*args)`` on the hub after ``delay`` virtual seconds; returns a Timer with ``cancel()``."""
        return self.sim.call_later(delay, utils.run_logged, func, args, None)

    def run_soon(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` on the hub once the caller yields."""
        self.sim.run_soon(utils.run_logged, func, args, None)

    # -- I/O --------------------------------------------------------------------------------

    def create_connection(
        self, address: Tuple[str, int], timeout: Optional[float], ssl_context: Any = None, server_hostname: Any = None
    ) -> SimSocket:
        """A simulated connection to ``address`` (see :meth:`SimNetwork.connect` for its failures).

        Raises ValueError with an ``ssl_context``: the simulation has no TLS.
        """
        if ssl_context is not None:
            raise ValueError("the simulated network has no TLS")
        return self.network.connect((address[0], address[1]), timeout)

    def socketpair(self) -> Tuple[SimSocket, SimSocket]:
        """Two connected simulated sockets ``(a, b)``."""
        return self.network.socketpair()

    def select(
        self, rlist: Sequence[Any], wlist: Sequence[Any], xlist: Sequence[Any], timeout: Optional[float] = None
    ) -> utils.Selected:
        """Wait until an object of ``rlist`` (a simulated socket, or anything with its ``fileno()``) is readable.

        Every object of ``wlist`` counts as writable (the simulated kernel buffers are
        unbounded) and nothing is ever exceptional; an object whose socket is closed
        counts as readable, so the caller's next read raises. Returns the three lists.
        """
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be non-negative")
        network = self.network
        while True:
            readable: List[Any] = []
            for obj in rlist:
                sock = network.socket_of(obj)
                if sock is None or sock.readable():
                    readable.append(obj)
            if readable or wlist or timeout == 0:
                return readable, list(wlist), []
            waiter = Waiter(self.sim)
            for obj in rlist:
                sock = network.socket_of(obj)
                if sock is not None:
                    sock.watch(waiter)
            if not waiter.wait(timeout):
                return [], [], []
