"""Follow every partition of a Map's event journal: :class:`EventJournalFollower`.

::

    def apply(event):            # EventJournalMapEvent, on the callback worker
        ...

    follower = m.event_journal_reader(apply, start="oldest", on_lost=report)
    ...
    saved = follower.sequences   # {partition_id: next sequence}, after the delivered events
    follower.close()
    # later, possibly in another process:
    follower = m.event_journal_reader(apply, start=saved)

Each partition has one read outstanding at a time (a long poll: the member answers
once at least one event exists); its batch is handed to the handler's callback worker,
which deserializes it and calls ``on_event`` for each event in sequence order, then
sends the partition's next read. So events of one partition arrive in order, and
``sequences`` only counts events ``on_event`` has returned from.

When the journal overwrote events before they were read (a follower that fell behind
by more than the journal's capacity, or resumed from old sequences), the member answers
from its oldest event: ``on_lost(partition_id, lost_count, from_sequence)`` is called on
the callback worker before that batch (without ``on_lost`` a warning is logged).

A read that fails (member gone, client reconnecting) is reported to
``on_error(partition_id, error)`` (or logged) and sent again after ``retry_delay``
seconds, from the same sequence; once the client is shut down the follower stops. After
:meth:`EventJournalFollower.close`, reads still parked on the members are answered (and
ignored) with the partition's next event, or dropped with the client's connections.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Union

from hzgreen.exceptions import ClientNotActiveError

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.proxy.event_journal import EventJournalInitialSubscriberState, MapEventJournalMixin, ReadResultSet

log = logging.getLogger("hzgreen.proxy.event_journal_follower")

#: Where a follower starts: "oldest", "newest" (only events after the start), or saved
#: ``{partition_id: next sequence}`` (partitions left out start at their oldest event).
Start = Union[str, Mapping[int, int]]

FOREVER = float("inf")


class EventJournalFollower:
    """Follows every partition of a map's journal; see the module docstring.

    ``on_event(item)`` gets each :class:`~hzgreen.proxy.event_journal.EventJournalMapEvent`
    (or projected value) on the callback worker. ``batch_size`` bounds one read.
    ``predicate`` / ``projection`` run on the members (see :mod:`hzgreen.proxy.event_journal`).
    Raises TypeError/ValueError for bad arguments.
    """

    def __init__(
        self,
        map_proxy: MapEventJournalMixin,
        on_event: Callable[[Any], Any],
        start: Start = "oldest",
        on_lost: Optional[Callable[[int, int, int], Any]] = None,
        batch_size: int = 100,
        predicate: Any = None,
        projection: Any = None,
        on_error: Optional[Callable[[int, BaseException], Any]] = None,
        retry_delay: float = 1.0,
    ) -> None:
        from hzgreen.proxy.event_journal import check_not_none_callable

        check_not_none_callable(on_event, "on_event")
        for func, what in ((on_lost, "on_lost"), (on_error, "on_error")):
            if func is not None and not callable(func):
                raise TypeError("%s must be callable or None, got %r" % (what, func))
        if isinstance(start, str):
            if start not in ("oldest", "newest"):
                raise ValueError('start must be "oldest", "newest" or {partition_id: sequence}, got %r' % (start,))
        elif isinstance(start, Mapping):
            for pid, seq in start.items():
                if (
                    isinstance(pid, bool)
                    or not isinstance(pid, int)
                    or isinstance(seq, bool)
                    or not isinstance(seq, int)
                ):
                    raise TypeError("start must map int partition ids to int sequences, got %r: %r" % (pid, seq))
                if seq < 0:
                    raise ValueError("a start sequence must be >= 0, got %r for partition %r" % (seq, pid))
        else:
            raise TypeError('start must be "oldest", "newest" or {partition_id: sequence}, got %r' % (start,))
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError("batch_size must be an int >= 1, got %r" % (batch_size,))
        if isinstance(retry_delay, bool) or not isinstance(retry_delay, (int, float)) or not 0 <= retry_delay < FOREVER:
            raise ValueError("retry_delay must be a finite number of seconds >= 0, got %r" % (retry_delay,))
        self._map = map_proxy
        self._handler = map_proxy._handler
        self._on_event = on_event
        self._on_lost = on_lost
        self._on_error = on_error
        self._start = start
        self._batch_size = batch_size
        self._predicate = None if predicate is None else map_proxy._to_data(predicate)
        self._projection = None if projection is None else map_proxy._to_data(projection)
        self._projected = projection is not None
        self._retry_delay = float(retry_delay)
        self._lock = self._handler.lock_object()
        self._sequences: Dict[int, int] = {}
        self.closed = False
        self.started = False
        #: Events delivered to ``on_event`` so far, and events reported lost.
        self.delivered_count = 0
        self.lost_count = 0

    # -- public -----------------------------------------------------------------------

    @property
    def sequences(self) -> Dict[int, int]:
        """``{partition_id: next sequence to deliver}``: pass it as ``start`` to resume."""
        with self._lock:
            return dict(self._sequences)

    def start(self) -> "EventJournalFollower":
        """Find each partition's start sequence and send the first reads; returns self.

        Raises the member's error when the map has no event journal, or HzTimeoutError."""
        if self.started:
            return self
        count = self._map._partitions.partition_count
        if not count:
            raise ClientNotActiveError("the client does not know the partition count yet: start it first")
        saved = self._start if isinstance(self._start, Mapping) else {}
        need = [pid for pid in range(count) if pid not in saved]
        states: Dict[int, AsyncResult[EventJournalInitialSubscriberState]] = {
            pid: self._map.subscribe_to_event_journal_async(pid) for pid in need
        }
        with self._lock:
            for pid in range(count):
                if pid in saved:
                    self._sequences[pid] = saved[pid]
                else:
                    state = states[pid].get()
                    self._sequences[pid] = (
                        state.newest_sequence + 1 if self._start == "newest" else state.oldest_sequence
                    )
            self.started = True
        for pid in range(count):
            self._read(pid)
        return self

    def close(self) -> None:
        """Stop following; no ``on_event`` call starts after this returns, except one already
        handed to the callback worker. Returns None."""
        self.closed = True

    def __enter__(self) -> "EventJournalFollower":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<EventJournalFollower %s delivered=%d lost=%d%s>" % (
            self._map.name,
            self.delivered_count,
            self.lost_count,
            " closed" if self.closed else "",
        )

    # -- reading ----------------------------------------------------------------------

    def _read(self, partition_id: int) -> None:
        """Send the next read of ``partition_id`` (a long poll); returns None."""
        if self.closed:
            return
        with self._lock:
            start = self._sequences[partition_id]
        future = self._map._read_raw_async(partition_id, start, self._batch_size, self._predicate, self._projection)
        future.add_done_callback(lambda done: self._answered(partition_id, start, done))

    def _answered(self, partition_id: int, start: int, done: AsyncResult[ReadResultSet]) -> None:
        """A read finished (on whatever thread completed it); returns None."""
        if self.closed:
            return
        try:
            batch = done.get()
        except ClientNotActiveError:
            self.closed = True
            return
        except Exception as error:
            self._handler.dispatch_callback(self._report_error, partition_id, error)
            self._handler.call_later(self._retry_delay, self._read, partition_id)
            return
        self._handler.dispatch_callback(self._deliver, batch, start)

    def _report_error(self, partition_id: int, error: BaseException) -> None:  # callback worker
        if self._on_error is not None:
            try:
                self._on_error(partition_id, error)
            except Exception:
                log.exception("on_error of the journal follower of %r raised", self._map.name)
        else:
            log.warning(
                "reading the journal of map %r, partition %d failed (retrying in %.1f s): %s",
                self._map.name,
                partition_id,
                self._retry_delay,
                error,
            )

    def _deliver(self, batch: ReadResultSet, start: int) -> None:  # callback worker
        """Report a loss, call ``on_event`` for each item in order, then read on; returns None."""
        pid = batch.partition_id
        try:
            if self.closed:
                return
            if batch.lost_count:
                self._lost(pid, batch.lost_count, start)
            for item, seq in zip(batch.items, batch.sequences):
                if self.closed:
                    return
                self._one(item, seq, pid)
                with self._lock:
                    self._sequences[pid] = seq + 1
            with self._lock:
                self._sequences[pid] = max(self._sequences[pid], batch.next_sequence_to_read_from)
        finally:
            self._read(pid)

    def _lost(self, partition_id: int, lost: int, start: int) -> None:
        self.lost_count += lost
        if self._on_lost is None:
            log.warning(
                "journal of map %r, partition %d: %d events from sequence %d were overwritten before being read",
                self._map.name,
                partition_id,
                lost,
                start,
            )
            return
        try:
            self._on_lost(partition_id, lost, start)
        except Exception:
            log.exception("on_lost of the journal follower of %r raised", self._map.name)

    def _one(self, item: bytes, sequence: int, partition_id: int) -> None:
        """Deserialize one item and hand it to ``on_event`` (errors are logged); returns None."""
        try:
            value: Any = (
                self._map._to_object(item)
                if self._projected
                else self._map._journal_event(item, sequence, partition_id)
            )
        except Exception:
            log.exception(
                "journal of map %r: event %d/%d cannot be deserialized; skipped", self._map.name, partition_id, sequence
            )
            return
        try:
            self._on_event(value)
        except Exception:
            log.exception("on_event of the journal follower of %r raised", self._map.name)
        self.delivered_count += 1


__all__: List[str] = ["EventJournalFollower", "Start"]
