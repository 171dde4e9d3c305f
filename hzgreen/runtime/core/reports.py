"""What the client has been told about its connection, and what to tell it next.

:class:`StateReports` turns the connection lifecycle's news (the last connection was lost,
a connection is up, it is held until stable, it belongs to another cluster) into state
reports delivered one reporter at a time, each saying what changed since the last one:
SUSPENDED before CONNECTED. News is pulled, not pushed, so it coalesces: news arriving while
a report is delivered is folded into the next one, and the client never hears CONNECTED and
SUSPENDED out of order. A lost connection the client was told about is always reported,
even if another is up again; a held connection is reported only once it is released.

The driver asks :meth:`StateReports.want` whenever there may be news; a True answer makes it
the reporter, which calls :meth:`StateReports.next` until it returns None, delivering each
:class:`StateReport` in turn. A reporter that must not block (the I/O loop) gets
``hand_over`` instead of a CONNECTED report (whose listeners may wait for the cluster): it
delivers the SUSPENDED part, calls :meth:`StateReports.end` and spawns a reporter that may
block. Not thread-safe: the driver calls it under its lock.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ["StateReport", "StateReports"]


class StateReport(NamedTuple):
    """One report to deliver, in this order: ``suspend`` (SUSPENDED), then ``connect``
    (CONNECTED; ``cluster_changed`` says it is another cluster than before). ``hand_over``:
    the reporter must not block, so after the SUSPENDED part it ends its turn and spawns a
    reporter that may."""

    suspend: bool
    connect: bool
    cluster_changed: bool
    hand_over: bool


class StateReports:
    """The bookkeeping of state reports; see the module docstring."""

    __slots__ = ("_reported_connected", "_lost", "held", "_cluster_changed", "_due", "_reporting")

    def __init__(self) -> None:
        self._reported_connected = False
        self._lost = False  # the last connection went away since the last report
        #: Connected, but CONNECTED waits until the connection is stable.
        self.held = False
        self._cluster_changed = False
        self._due = False
        self._reporting = False

    def reset(self) -> None:
        """The client starts: it has been told nothing; returns None."""
        self._reported_connected = False
        self._lost = False
        self.held = False

    def lost(self) -> None:
        """The last connection went away; returns None."""
        self._lost = True
        self.held = False

    def cluster_changed(self) -> None:
        """The connection now up belongs to another cluster than the last; returns None."""
        self._cluster_changed = True

    def want(self) -> bool:
        """Note that there may be news; True when the caller must report (nobody else is)."""
        self._due = True
        if self._reporting:
            return False
        self._reporting = True
        return True

    def next(self, may_block: bool, connected: bool, running: bool) -> Optional[StateReport]:
        """The reporter's next report, or None: nothing is due (or the client stopped) and its turn is over.

        ``connected`` says whether a connection is up now, ``running`` whether the client runs.
        """
        if not self._due or not running:
            self._due = False
            self._reporting = False
            return None
        self._due = False
        suspend = self._reported_connected and self._lost
        self._lost = False
        if suspend:
            self._reported_connected = False
        connect = connected and not self.held and (not self._reported_connected or self._cluster_changed)
        cluster_changed = self._cluster_changed
        hand_over = connect and not may_block
        if hand_over:
            connect = False
            self._due = True  # for the reporter the caller spawns
        elif connect:
            self._reported_connected = True
            self._cluster_changed = False
        return StateReport(suspend, connect, cluster_changed, hand_over)

    def end(self) -> None:
        """The reporter's turn ends early (handed over, or its delivery raised); returns None."""
        self._reporting = False
