"""The deterministic scheduler: greenlets, a virtual clock and timers.

A :class:`Simulation` runs every task of a simulated program on plain greenlets (the
``greenlet`` package; gevent is not involved). Exactly one greenlet runs at a time. A
task that blocks parks on a :class:`Waiter` and switches to the *hub*, the greenlet that
created the simulation (usually the test's own). The hub picks the next ready entry (the
oldest, or a seeded random one when ``shuffle`` is on) and, when nothing is ready,
advances the virtual clock straight to the next timer. Computation therefore takes no
virtual time, waiting takes no wall time, and the same seed replays the same run.

When the hub itself waits (the test calls ``client.start()``), it *drives* the
scheduler until its own waiter fires. Timer and ``run_soon`` functions run on the hub
and must not block; a blocking call there raises :class:`SimulationError`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
from collections import deque
from typing import Any, Callable, Deque, List, Optional, Tuple

import greenlet

log = logging.getLogger("hzgreen.testing.sim")

__all__ = ["Simulation", "SimulationError", "SimDeadlock", "SimTimeLimit", "Waiter", "Task", "Timer"]

_SWITCH = 0
_CALL = 1


class SimulationError(RuntimeError):
    """The simulated program did something the scheduler cannot run (e.g. blocked in a timer)."""


class SimDeadlock(SimulationError):
    """The hub waits for something, yet no task is ready and no timer is pending."""


class SimTimeLimit(SimulationError):
    """Virtual time ran past the simulation's ``time_limit`` (a livelock, or a forgotten wait)."""


class Timer:
    """A pending timer; :meth:`cancel` keeps it from firing. ``when`` is its virtual due time."""

    __slots__ = ("when", "func", "args", "cancelled")

    def __init__(self, when: float, func: Callable[..., Any], args: Tuple[Any, ...]) -> None:
        self.when = when
        self.func: Optional[Callable[..., Any]] = func
        self.args = args
        self.cancelled = False

    def cancel(self) -> bool:
        """Prevent the call; returns True when this call cancelled it, False if it ran or was cancelled."""
        if self.cancelled or self.func is None:
            return False
        self.cancelled = True
        self.func = None
        self.args = ()
        return True


class Waiter:
    """One parked wait: :meth:`wait` blocks the caller until :meth:`wake` or the timeout.

    A waiter fires once; the first of ``wake`` and the timeout wins.
    """

    __slots__ = ("sim", "glet", "fired", "timed_out", "value", "timer")

    def __init__(self, sim: "Simulation") -> None:
        self.sim = sim
        self.glet: Any = None
        self.fired = False
        self.timed_out = False
        self.value: Any = None
        self.timer: Optional[Timer] = None

    def wake(self, value: Any = None) -> bool:
        """Resume the waiting greenlet with ``value``; False when it already fired."""
        if self.fired:
            return False
        self.fired = True
        self.value = value
        timer = self.timer
        if timer is not None:
            timer.cancel()
        if self.glet is not None:
            self.sim._ready.append((_SWITCH, self.glet, None))
        return True

    def _expire(self) -> None:
        if self.fired:
            return
        self.fired = True
        self.timed_out = True
        if self.glet is not None:
            self.sim._ready.append((_SWITCH, self.glet, None))

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until woken (returns True) or until ``timeout`` virtual seconds passed (False).

        Raises SimulationError when called from a timer function, greenlet.GreenletExit
        in a task of a closed simulation.
        """
        sim = self.sim
        if self.fired:
            return not self.timed_out
        if timeout is not None:
            self.timer = sim.call_at(sim.now + max(0.0, timeout), self._expire)
        current = greenlet.getcurrent()
        if current is sim.hub:
            sim._drive(self)
        else:
            if sim.closed:
                raise greenlet.GreenletExit()
            self.glet = current
            while not self.fired:
                sim.hub.switch()
                if sim.closed and not self.fired:
                    raise greenlet.GreenletExit()
        return not self.timed_out


class Task:
    """A spawned task: ``join(timeout)``, ``dead``, ``value`` and ``exception`` once it ended."""

    __slots__ = ("sim", "name", "glet", "dead", "value", "exception", "_joiners")

    def __init__(self, sim: "Simulation", name: str) -> None:
        self.sim = sim
        self.name = name
        self.glet: Any = None
        self.dead = False
        self.value: Any = None
        self.exception: Optional[BaseException] = None
        self._joiners: List[Waiter] = []

    def join(self, timeout: Optional[float] = None) -> bool:
        """Wait until the task ended; returns whether it did within ``timeout`` virtual seconds."""
        if self.dead:
            return True
        waiter = Waiter(self.sim)
        self._joiners.append(waiter)
        try:
            return waiter.wait(timeout)
        finally:
            if waiter in self._joiners:
                self._joiners.remove(waiter)

    def ready(self) -> bool:
        """True once the task ended."""
        return self.dead

    def _finish(self) -> None:
        self.dead = True
        joiners, self._joiners = self._joiners, []
        for waiter in joiners:
            waiter.wake(True)

    def __repr__(self) -> str:
        return "<Task %s%s>" % (self.name, " dead" if self.dead else "")


class Simulation:
    """A virtual clock plus a deterministic scheduler of greenlets and timers.

    ``seed`` seeds :attr:`rng` (peers draw their uuids from it) and, with ``shuffle``,
    the order in which simultaneously ready entries run. ``preempt`` is the probability
    that a task yields at a lock boundary even when the lock is free, as an OS thread
    may be preempted there (:meth:`maybe_yield`). ``time_limit`` bounds the
    virtual seconds one run may take (SimTimeLimit beyond). Every task that ends with an
    exception is listed in :attr:`errors`, every second resolution of an async result in
    :attr:`ignored_resolutions`. :attr:`trace` is a free-form event log that
    scenarios append to and compare between runs.
    """

    def __init__(
        self,
        seed: int = 0,
        shuffle: bool = False,
        start_time: float = 1000.0,
        time_limit: float = 24 * 3600.0,
        preempt: float = 0.0,
    ) -> None:
        self.seed = seed
        self.preempt = preempt
        self.rng = random.Random(seed)
        self._order_rng = random.Random(seed ^ 0x5EED)
        self.shuffle = shuffle
        self.start_time = start_time
        self.now = start_time
        self.time_limit = time_limit
        self.hub = greenlet.getcurrent()
        self.closed = False
        self.errors: List[Tuple[str, BaseException]] = []
        #: ``(virtual time, value or error)`` of every resolution of an already resolved async result.
        self.ignored_resolutions: List[Tuple[float, Any]] = []
        self.trace: List[Tuple[float, str]] = []
        self.steps = 0
        self._ready: Deque[Tuple[int, Any, Any]] = deque()
        self._timers: List[Tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._driving = False
        self._tasks: List[Task] = []
        self._task_ids = itertools.count(1)

    # -- clock and timers --------------------------------------------------------------

    def monotonic(self) -> float:
        """The virtual clock, in seconds."""
        return self.now

    @property
    def elapsed(self) -> float:
        """Virtual seconds since the simulation began."""
        return self.now - self.start_time

    def call_at(self, when: float, func: Callable[..., Any], *args: Any) -> Timer:
        """Run ``func(*args)`` on the hub at virtual time ``when``; returns the cancellable Timer."""
        timer = Timer(max(when, self.now), func, args)
        heapq.heappush(self._timers, (timer.when, next(self._seq), timer))
        return timer

    def call_later(self, delay: float, func: Callable[..., Any], *args: Any) -> Timer:
        """Run ``func(*args)`` on the hub ``delay`` virtual seconds from now; returns the Timer."""
        return self.call_at(self.now + max(0.0, delay), func, *args)

    def run_soon(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` on the hub once the current greenlet yields; returns None."""
        self._ready.append((_CALL, func, args))

    def record(self, what: str) -> None:
        """Append ``what`` to :attr:`trace`, stamped with the virtual time; returns None."""
        self.trace.append((round(self.now - self.start_time, 6), what))

    # -- tasks -------------------------------------------------------------------------

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Start ``func(*args, **kwargs)`` as a task (it first runs when the hub schedules it); returns its Task."""
        name = "%s-%d" % (getattr(func, "__name__", "task"), next(self._task_ids))
        task = Task(self, name)

        def run(*_started: Any) -> None:
            try:
                task.value = func(*args, **kwargs)
            except greenlet.GreenletExit:
                pass
            except BaseException as error:  # recorded, never propagated into the hub
                task.exception = error
                if not self.closed:
                    self.errors.append((task.name, error))
                    log.error("simulated task %s crashed", task.name, exc_info=error)
            finally:
                task._finish()

        task.glet = greenlet.greenlet(run, parent=self.hub)
        self._tasks.append(task)
        self._ready.append((_SWITCH, task.glet, None))
        return task

    def sleep(self, seconds: float) -> None:
        """Park the caller for ``seconds`` virtual seconds (0 yields to the other ready tasks)."""
        current = greenlet.getcurrent()
        if seconds <= 0 and current is not self.hub:
            if self.closed:
                raise greenlet.GreenletExit()
            self._ready.append((_SWITCH, current, None))
            self.hub.switch()
            return
        Waiter(self).wait(max(0.0, seconds))

    def maybe_yield(self) -> None:
        """With probability ``preempt``, let the other ready tasks run first; returns None.

        Called by the simulated locks; never yields on the hub.
        """
        if self.preempt and greenlet.getcurrent() is not self.hub and self._order_rng.random() < self.preempt:
            self.sleep(0)

    def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` as a task and drive the scheduler until it ends; return its value or raise its error."""
        task = self.spawn(func, *args, **kwargs)
        task.join()
        if task.exception is not None:
            self.errors = [(name, error) for name, error in self.errors if error is not task.exception]
            raise task.exception
        return task.value

    def advance(self, seconds: float) -> None:
        """Drive the scheduler for ``seconds`` virtual seconds from the hub; returns None."""
        Waiter(self).wait(seconds)

    def run_until(self, predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
        """Drive until ``predicate()`` is true or ``timeout`` virtual seconds passed; returns its last value."""
        deadline = self.now + timeout
        while not predicate():
            if self.now >= deadline:
                return False
            self.advance(min(step, deadline - self.now))
        return True

    # -- the hub -----------------------------------------------------------------------

    def _pick(self) -> Tuple[int, Any, Any]:
        ready = self._ready
        if self.shuffle and len(ready) > 1:
            index = self._order_rng.randrange(len(ready))
            ready.rotate(-index)
            entry = ready.popleft()
            ready.rotate(index)
            return entry
        return ready.popleft()

    def _drive(self, waiter: Waiter) -> None:
        if self._driving:
            raise SimulationError("blocking call on the hub (inside a timer or run_soon function)")
        self._driving = True
        try:
            while not waiter.fired:
                if self._ready:
                    self._step(self._pick())
                    continue
                self._fire_next_timers()
        finally:
            self._driving = False

    def _step(self, entry: Tuple[int, Any, Any]) -> None:
        self.steps += 1
        kind, target, value = entry
        if kind == _SWITCH:
            if not target.dead:
                target.switch(value)
            return
        try:
            target(*value)
        except Exception:
            log.exception("error in simulated timer function %r", target)

    def _fire_next_timers(self) -> None:
        timers = self._timers
        while timers and timers[0][2].cancelled:
            heapq.heappop(timers)
        if not timers:
            raise SimDeadlock("the hub waits, but no task is ready and no timer is pending (t=%.6f)" % self.elapsed)
        when = timers[0][0]
        if when - self.start_time > self.time_limit:
            raise SimTimeLimit("virtual time would pass the limit of %.1fs" % self.time_limit)
        if when > self.now:
            self.now = when
        while timers and timers[0][0] <= self.now:
            timer = heapq.heappop(timers)[2]
            if timer.cancelled:
                continue
            func, args = timer.func, timer.args
            timer.func = None
            self._ready.append((_CALL, func, args))

    # -- introspection and shutdown ---------------------------------------------------

    def live_tasks(self) -> List[Task]:
        """Tasks that have not ended yet."""
        return [task for task in self._tasks if not task.dead]

    def close(self) -> None:
        """End every task still parked (GreenletExit is raised in it); returns None. Idempotent."""
        if self.closed:
            return
        self.closed = True
        for task in self._tasks:
            glet = task.glet
            if glet is not None and not glet.dead and glet is not greenlet.getcurrent():
                try:
                    glet.throw(greenlet.GreenletExit())
                except greenlet.GreenletExit:
                    pass
                except BaseException:
                    log.debug("error while closing task %s", task.name, exc_info=True)
        self._ready.clear()
        self._timers.clear()
