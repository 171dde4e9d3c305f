"""Barrier and DoubleBarrier, on CP count-down latches (and an AtomicLong).

.. code-block:: python

    barrier = client.Barrier("deploy")
    barrier.create()          # close it
    barrier.wait(30)          # elsewhere: blocks until remove() (True at once if open)
    barrier.remove()          # open it

    db = client.DoubleBarrier("step", num_clients=4)
    db.enter(timeout=60)      # returns when 4 clients entered
    compute()
    db.leave(timeout=60)      # returns when those 4 left

A DoubleBarrier is reusable: arrivals are numbered by an AtomicLong ``"{name}.__arrivals"``;
arrival ``n`` belongs to generation ``(n-1) // num_clients``, whose enter and leave latches
are ``"{name}.enter.{g}"`` and ``"{name}.leave.{g}"`` (armed with ``num_clients``). The
latches of a generation are destroyed by the last client leaving the next one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hzgreen.exceptions import HzError, HzTimeoutError

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.cp.count_down_latch import CountDownLatch


class Barrier:
    """``client.Barrier(name)``: closed by :meth:`create`, opened by :meth:`remove`."""

    def __init__(self, client: HzClient, name: str) -> None:
        self.client = client
        self.name = name
        self._latch = client.cp.get_count_down_latch(name)

    def create(self) -> bool:
        """Close the barrier; True if this call closed it (False: already closed)."""
        return self._latch.try_set_count(1)

    def remove(self) -> bool:
        """Open the barrier, releasing every waiter; True if it was closed."""
        was_closed = self._latch.get_count() > 0
        self._latch.count_down()
        return was_closed

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until the barrier is open; True then (at once when open), False on timeout."""
        return self._latch.await_latch(timeout)


class DoubleBarrierTimeout(HzTimeoutError):
    """enter()/leave() of a DoubleBarrier did not complete in time."""


class DoubleBarrier:
    """``client.DoubleBarrier(name, num_clients)``: start and finish together."""

    def __init__(self, client: HzClient, name: str, num_clients: int) -> None:
        if not isinstance(num_clients, int) or num_clients < 1:
            raise ValueError("num_clients must be an int >= 1, got %r" % (num_clients,))
        self.client = client
        self.name = name
        self.num_clients = num_clients
        self._arrivals = client.cp.get_atomic_long(name + ".__arrivals")
        self._generation: Optional[int] = None
        self.participating = False

    def _latch(self, kind: str, generation: int) -> CountDownLatch:
        """The ``kind`` ("enter"/"leave") latch of ``generation``, armed with ``num_clients`` if new."""
        latch = self.client.cp.get_count_down_latch("%s.%s.%d" % (self.name, kind, generation))
        latch.try_set_count(self.num_clients)
        return latch

    def enter(self, timeout: Optional[float] = None) -> bool:
        """Arrive; return True when ``num_clients`` clients entered this generation.

        On timeout, raises :class:`DoubleBarrierTimeout`; the arrival still counts (like a
        Kazoo client whose node stays), so call :meth:`leave` to keep the others going."""
        arrival = self._arrivals.increment_and_get()
        generation = (arrival - 1) // self.num_clients
        self._generation = generation
        self.participating = True
        # Both latches are armed before counting down: the leave latch then exists with
        # its full count before anybody can leave this generation.
        enter = self._latch("enter", generation)
        self._latch("leave", generation)
        enter.count_down()
        if not enter.await_latch(timeout):
            raise DoubleBarrierTimeout(
                "%d of %d clients entered %r in time"
                % (self.num_clients - enter.get_count(), self.num_clients, self.name)
            )
        return True

    def leave(self, timeout: Optional[float] = None) -> bool:
        """Leave; return True when every client of this generation left."""
        if self._generation is None:
            return True
        generation = self._generation
        # Armed by enter(): arming it here could re-arm a generation everybody has left.
        leave = self.client.cp.get_count_down_latch("%s.leave.%d" % (self.name, generation))
        leave.count_down()
        if not leave.await_latch(timeout):
            raise DoubleBarrierTimeout(
                "%d of %d clients left %r in time" % (self.num_clients - leave.get_count(), self.num_clients, self.name)
            )
        self.participating = False
        self._generation = None
        if generation >= 1:
            self._cleanup(generation - 1)
        return True

    def _cleanup(self, generation: int) -> None:
        # Everybody of this generation left the next one, so nobody waits on its latches.
        for kind in ("enter", "leave"):
            name = "%s.%s.%d" % (self.name, kind, generation)
            try:
                self.client.cp.get_count_down_latch(name).destroy()
            except HzError:
                pass  # destroyed already by another client of that generation
