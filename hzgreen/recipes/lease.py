"""NonBlockingLease and MultiNonBlockingLease: Kazoo's leases, on a CP AtomicReference.

.. code-block:: python

    lease = client.NonBlockingLease("nightly-report", datetime.timedelta(hours=1), "host-1")
    if lease:                      # truthy while held
        send_report()

    slots = client.MultiNonBlockingLease(3, "crawler", 60.0)   # one of 3 slots
    if slots:
        crawl()

Creating a lease tries once to obtain it, without waiting: it is obtained if nobody holds
it, if its holder's time ran out, or if ``identifier`` already holds it (which renews it
for ``duration`` from now). Nothing is released: a lease ends when its duration does.

Why a CP AtomicReference rather than a map entry with a TTL: obtaining is a
read-decide-write that must be atomic, including the renewal by the current holder. A
map offers ``put_if_absent`` with a TTL for the first grant, but no atomic "replace this
holder's entry and extend its TTL": a renewal made of two calls can extend a lease that
expired and was taken by somebody else in between. ``compare_and_set`` of the record
``{"version", "holder", "end"}`` makes every grant and renewal one linearizable step,
replicated in the CP group. As in Kazoo, ``end`` is the wall-clock time (UTC) of the
client that wrote it, so the clients' clocks must agree to within a margin much smaller
than ``duration``. Locally the lease is truthy only until ``duration`` has run out on the
monotonic clock, counted from before the request was sent.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
from typing import TYPE_CHECKING, Callable, Optional, Union

from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import Handler

_VERSION = 1
_ATTEMPTS = 5  # compare-and-set rounds lost to concurrent writers before giving up
_EPOCH = datetime.datetime(1970, 1, 1)

Duration = Union[datetime.timedelta, float, int]
Clock = Callable[[], datetime.datetime]


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _seconds(duration: Duration) -> float:
    """``duration`` in seconds; raises TypeError or ValueError for anything but a positive duration."""
    if isinstance(duration, datetime.timedelta):
        seconds = duration.total_seconds()
    elif isinstance(duration, (int, float)) and not isinstance(duration, bool):
        seconds = float(duration)
    else:
        raise TypeError("duration must be a timedelta or a number of seconds, got %r" % (duration,))
    if not seconds > 0:
        raise ValueError("duration must be positive, got %r" % (duration,))
    return seconds


def default_identifier() -> str:
    """This process's default lease identifier: ``"{host}-{pid}"``."""
    return "%s-%d" % (platform.node(), os.getpid())


class NonBlockingLease:
    """``client.NonBlockingLease(name, duration, identifier=None, utcnow=None)``.

    Truthy while held. ``duration`` is a :class:`datetime.timedelta` or seconds;
    ``identifier`` (a str, default ``"{host}-{pid}"``) names the holder; ``utcnow``
    returns the current UTC time as a naive datetime (tests inject a clock, as in Kazoo).
    Raises TypeError/ValueError for wrong arguments and what the CP calls raise (an
    HzError, HzTimeoutError when the cluster cannot be reached in time).
    """

    def __init__(
        self,
        client: HzClient,
        name: str,
        duration: Duration,
        identifier: Optional[str] = None,
        utcnow: Optional[Clock] = None,
    ) -> None:
        if identifier is None:
            identifier = default_identifier()
        if not isinstance(identifier, str):
            raise TypeError("identifier must be a str, got %r" % (identifier,))
        self.client = client
        self.name = name
        self.identifier = identifier
        self.duration = _seconds(duration)
        self._handler: Handler = client.handler
        self._utcnow: Clock = utcnow or _utcnow
        self._deadline = 0.0  # monotonic time at which the lease surely ended
        self._lost = False
        #: True if this object obtained (or renewed) the lease when it was created.
        self.obtained = False
        started = self._handler.monotonic()
        if self._attempt():
            self.obtained = True
            self._deadline = started + self.duration
            client.add_listener(self._on_state)
            self._handler.call_later(self.duration, client.remove_listener, self._on_state)

    def _attempt(self) -> bool:
        """One try to obtain or renew; returns whether this identifier holds it now."""
        record = self.client.cp.get_atomic_reference(self.name + ".__lease")
        for _ in range(_ATTEMPTS):
            current = record.get()
            now = self._utcnow()
            if current is not None:
                data = json.loads(current)
                if data.get("version") != _VERSION:
                    return False  # written by another format: leave it alone, as Kazoo does
                end = _EPOCH + datetime.timedelta(seconds=float(data["end"]))
                if data.get("holder") != self.identifier and now < end:
                    return False
            end_at = (now - _EPOCH).total_seconds() + self.duration
            new = json.dumps({"version": _VERSION, "holder": self.identifier, "end": end_at})
            if record.compare_and_set(current, new):
                return True
        return False

    def _on_state(self, state: HzState) -> None:  # callback worker
        if state == HzState.LOST:
            # A different cluster: the record is gone and anybody may obtain the lease.
            self._lost = True
            self.client.remove_listener(self._on_state)

    @property
    def held(self) -> bool:
        """True if the lease was obtained, its duration has not run out (local monotonic
        clock) and the client was not LOST since."""
        return self.obtained and not self._lost and self._handler.monotonic() < self._deadline

    def __bool__(self) -> bool:
        return self.held

    def __repr__(self) -> str:
        return "NonBlockingLease(name=%r, identifier=%r, held=%r)" % (self.name, self.identifier, self.held)


class MultiNonBlockingLease:
    """``client.MultiNonBlockingLease(count, name, duration, identifier=None, utcnow=None)``.

    Obtains one of ``count`` leases named ``"{name}/0"`` ... ``"{name}/{count-1}"`` (the
    first free one, or the one ``identifier`` already holds); truthy while it is held.
    Raises ValueError for a ``count`` that is not an int >= 1, and what
    :class:`NonBlockingLease` raises.
    """

    def __init__(
        self,
        client: HzClient,
        count: int,
        name: str,
        duration: Duration,
        identifier: Optional[str] = None,
        utcnow: Optional[Clock] = None,
    ) -> None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("count must be an int >= 1, got %r" % (count,))
        self.name = name
        #: The lease obtained, or None.
        self.lease: Optional[NonBlockingLease] = None
        for number in range(count):
            lease = NonBlockingLease(client, "%s/%d" % (name, number), duration, identifier, utcnow)
            if lease:
                self.lease = lease
                break

    @property
    def obtained(self) -> bool:
        """True if one of the leases was obtained when this object was created."""
        return self.lease is not None

    @property
    def held(self) -> bool:
        """True while the lease obtained is held (see :attr:`NonBlockingLease.held`)."""
        return self.lease is not None and self.lease.held

    def __bool__(self) -> bool:
        return self.held

    def __repr__(self) -> str:
        return "MultiNonBlockingLease(name=%r, lease=%r)" % (self.name, self.lease)
