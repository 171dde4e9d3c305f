"""When to (re)connect to the cluster, and when to give up: a sans-IO policy.

:class:`ReconnectBackoff` is a plain object. The connection lifecycle
(:mod:`hzgreen.runtime.core.lifecycle`) feeds it what happened (a round of connection
attempts failed, the client got connected, the last connection dropped) with the current
time, and asks it what to do next (:meth:`ReconnectBackoff.next_step`): connect now, wait
so long, or give up. It reads no clock, sleeps never and opens nothing, so every rule below
is testable with plain numbers (the jitter comes from ``rand``, which tests fix).

The pause between rounds grows exponentially, as the official client's connection
strategy does: ``retry_initial_backoff``, times ``retry_multiplier`` after every failed
round, never more than ``retry_max_backoff``, each pause spread by ``retry_jitter``
(a pause ``p`` becomes a uniform pick in ``[p * (1 - jitter), p * (1 + jitter)]``, then
capped at ``retry_max_backoff``). With a positive ``cluster_connect_timeout`` the policy
gives up once that much time has passed since the client was last *stably* connected (or
was started): the last round is made at that moment, then it gives up.

A connection counts as stable once it has stayed up for ``stable_after`` seconds (the
client's ``heartbeat_interval``). Authenticating is not enough: a peer that authenticates
the client and drops it at once would otherwise reset the backoff on every attempt and be
retried thousands of times a second. Until the connection is stable, its loss counts as
one more failed round: the pause keeps growing and the ``cluster_connect_timeout`` budget
keeps running. Time, not "the first response to a request", is the yardstick because the
client sends requests of its own right after authenticating (the cluster view listener),
which a flapping peer answers just as quickly; one heartbeat interval is the span over
which the client itself judges a connection alive, and it does not depend on the load the
user puts on the connection.

The policy also says whether the client is *flapping*: ``flapping_after`` (2) connections in
a row were lost before they became stable. One short-lived connection is ordinary (a member
restarted just after the client connected to it); two in a row is a peer that cannot keep
the client. The lifecycle then holds back CONNECTED for a new connection until it
is stable.
"""

from __future__ import annotations

import enum
import random
from typing import Callable, NamedTuple, Optional, Protocol

__all__ = ["Action", "ReconnectBackoff", "Step"]


class Action(enum.Enum):
    """What the connect task should do next."""

    CONNECT = "connect"
    WAIT = "wait"
    GIVE_UP = "give_up"


class Step(NamedTuple):
    """A decision of the policy: ``delay`` is the seconds to wait for ``Action.WAIT``, else 0."""

    action: Action
    delay: float


class BackoffOptions(Protocol):
    """The client options the policy reads (``hzgreen.config.ClientConfig`` has them all)."""

    retry_initial_backoff: float
    retry_max_backoff: float
    retry_multiplier: float
    retry_jitter: float
    cluster_connect_timeout: float
    heartbeat_interval: float


class ReconnectBackoff:
    """Exponential reconnect backoff with jitter, a give-up budget and a stability rule.

    Every method takes ``now``, a monotonic time in seconds from the caller's clock.
    ``connect_timeout`` <= 0 means never give up. ``rand`` returns a float in [0, 1)
    (``random.random`` unless given; tests pass a fixed one). Raises ValueError for
    parameters out of range, naming the one that is.
    """

    def __init__(
        self,
        initial: float,
        maximum: float,
        multiplier: float,
        jitter: float,
        connect_timeout: float,
        stable_after: float,
        rand: Optional[Callable[[], float]] = None,
        flapping_after: int = 2,
    ) -> None:
        if not 0 <= initial <= maximum:
            raise ValueError("the backoff needs 0 <= initial (%r) <= maximum (%r)" % (initial, maximum))
        if multiplier < 1:
            raise ValueError("the backoff multiplier must be >= 1, got %r" % (multiplier,))
        if not 0 <= jitter <= 1:
            raise ValueError("the backoff jitter must be in [0, 1], got %r" % (jitter,))
        if stable_after < 0:
            raise ValueError("stable_after must be >= 0, got %r" % (stable_after,))
        if flapping_after < 1:
            raise ValueError("flapping_after must be >= 1, got %r" % (flapping_after,))
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
        self.connect_timeout = connect_timeout
        self.stable_after = stable_after
        self.flapping_after = flapping_after
        self._rand: Callable[[], float] = rand if rand is not None else random.random
        self._begun = False  # the first call that needs a budget starts it, unless begin() did
        self._pause = initial
        self._next_at = 0.0
        self._deadline: Optional[float] = None
        self._out_of_time = False
        self._unstable_losses = 0  # connections lost before they were stable, since the last stable one
        self._connected_since: Optional[float] = None
        self._stable = False

    @classmethod
    def from_config(cls, config: BackoffOptions, rand: Optional[Callable[[], float]] = None) -> "ReconnectBackoff":
        """A policy with the client's options; stable after one ``heartbeat_interval``."""
        return cls(
            config.retry_initial_backoff,
            config.retry_max_backoff,
            config.retry_multiplier,
            config.retry_jitter,
            config.cluster_connect_timeout,
            config.heartbeat_interval,
            rand,
        )

    # -- what the policy knows --------------------------------------------------------

    @property
    def deadline(self) -> Optional[float]:
        """When the policy gives up (the time of the last round), or None for never."""
        return self._deadline

    @property
    def current_backoff(self) -> float:
        """The base of the next pause, before jitter."""
        return self._pause

    @property
    def flapping(self) -> bool:
        """True when ``flapping_after`` connections were lost before they became stable, since the last stable one."""
        return self._unstable_losses >= self.flapping_after

    @property
    def connected(self) -> bool:
        """True between :meth:`connected_at` and :meth:`disconnected_at`."""
        return self._connected_since is not None

    # -- events -----------------------------------------------------------------------

    def begin(self, now: float) -> None:
        """A fresh start (``start()`` of the client): first round now, budget from now; returns None."""
        self._reset(now)
        self._connected_since = None
        self._stable = False

    def round_failed(self, now: float) -> None:
        """No address of a round gave a connection; schedules the next round; returns None.

        At or past the deadline the policy is out of time: :meth:`next_step` says GIVE_UP.
        """
        if not self._begun:
            self._reset(now)
        if self._deadline is not None and now >= self._deadline:
            self._out_of_time = True
            return
        spread = self.jitter * (2.0 * self._rand() - 1.0)
        pause = min(self._pause * (1.0 + spread), self.maximum)
        self._next_at = now + max(pause, 0.0)
        self._pause = min(self._pause * self.multiplier, self.maximum)

    def connected_at(self, now: float) -> None:
        """The client got its first connection (authenticated); the backoff is NOT reset; returns None."""
        if self._connected_since is None:
            self._connected_since = now
            self._stable = False

    def disconnected_at(self, now: float) -> bool:
        """The client lost its last connection; returns whether that connection had been stable.

        A stable one resets the policy (a first round at once, a new budget from now). An
        unstable one counts as a failed round: the next round waits the next pause and the
        budget keeps running (and after ``flapping_after`` such losses the policy is flapping).
        """
        since = self._connected_since
        self._connected_since = None
        if since is not None and (self._stable or now - since >= self.stable_after):
            self._reset(now)
            self._stable = False
            return True
        self._stable = False
        self._unstable_losses += 1
        self.round_failed(now)
        return False

    def check_stable(self, now: float) -> bool:
        """True once the current connection has been up ``stable_after`` seconds.

        The first time it is, the backoff, the flapping count and the budget are reset
        (the client is connected for good). False while not connected.
        """
        since = self._connected_since
        if since is None:
            return False
        if not self._stable and now - since >= self.stable_after:
            self._stable = True
            self._reset(now)
        return self._stable

    # -- decisions ----------------------------------------------------------------------

    def next_step(self, now: float) -> Step:
        """What to do now: CONNECT (a round is due), WAIT ``delay`` seconds, or GIVE_UP.

        The wait never runs past the deadline: a last round is made at the deadline.
        """
        if not self._begun:
            self._reset(now)
        if self._out_of_time:
            return Step(Action.GIVE_UP, 0.0)
        due = self._next_at if self._deadline is None else min(self._next_at, self._deadline)
        if now >= due:
            return Step(Action.CONNECT, 0.0)
        return Step(Action.WAIT, due - now)

    # -- helpers ------------------------------------------------------------------------

    def _reset(self, now: float) -> None:
        self._begun = True
        self._pause = self.initial
        self._next_at = now
        self._deadline = now + self.connect_timeout if self.connect_timeout > 0 else None
        self._out_of_time = False
        self._unstable_losses = 0
