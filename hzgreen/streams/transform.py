"""Run a Python function over every entry written to a journaled map: ``client.Transform``.

.. code-block:: python

    def to_other(key, value):                 # runs in this worker process
        return OtherThing("__%d__" % value.value)

    with client.Transform("streamed-map", "result-map", to_other) as transform:
        ...                                     # results appear in "result-map" under the same keys
        print(transform.metrics(), transform.lag())

Every process running a transform of the same ``name`` is a worker of it. The source
map's partitions are shared among the workers by a :class:`~hzgreen.recipes.partitioner.
Partitioner` (``"{name}"``): a worker that joins makes the others give partitions up; one
that dies (its lease runs out) leaves its partitions to the others.

For each partition it holds, a worker reads the map's event journal (the member must
configure one for the source map), runs ``func(key, value)`` on the new value of each
ADDED, UPDATED, MERGED or LOADED event, in sequence order, and writes the result under
``key_func(key)`` (the same key by default) to the result map; None writes nothing. With
``delete_on_remove`` a REMOVED, EVICTED or EXPIRED event deletes the result key.

Delivery is at least once. Each result is written with its *source marker*
``"partition:sequence"`` in the map ``"{name}.__sources"`` (after the result itself), and
progress is checkpointed every ``checkpoint_interval`` seconds in ``"{name}.__checkpoints"``
(see :mod:`hzgreen.streams.checkpoints`: the checkpoints also fence a worker that lost a
partition without knowing it). A worker taking a partition over resumes at its checkpoint
and skips the events whose markers show they were applied (counted as ``duplicates``);
a result written just before a crash, whose marker was not, is written again (the same
value: writes are keyed, so idempotent). A worker paused for longer than the lease may
still write one batch per partition it lost before its next checkpoint fails.

Events the journal overwrote before they were read (the transform fell further behind
than the journal's capacity) are reported to ``on_lost(partition_id, count, from_sequence)``
or logged as a warning, and counted in :meth:`Transform.metrics`; never skipped silently.

Backpressure: each held partition has one batch (at most ``batch_size`` events) in its
pipeline, and at most ``max_in_flight`` result writes are unacknowledged at a time; the
journal keeps what is not read yet. ``lag()`` asks the members how far each held
partition is behind.

States: the transform runs until :meth:`Transform.close` (or the client stops). When the
client goes SUSPENDED, reads and writes wait or fail and are retried every ``retry_delay``
seconds from the last applied sequence; when it goes LOST, the partitioner fails, the
partitions are dropped without a checkpoint, and once CONNECTED again the worker joins
anew and resumes from the checkpoints. Everything runs on one task (a thread or a
greenlet) per transform, so a gevent process can run many.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Optional

from hzgreen.exceptions import ClientNotActiveError, HzError
from hzgreen.states import HzState
from hzgreen.streams.batch import SourceEvent, apply_batch
from hzgreen.streams.checkpoints import NOTHING_PROCESSED, CheckpointStore
from hzgreen.streams.lanes import Lane, TransformMetrics
from hzgreen.streams.writes import write_output

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import AsyncResult, TaskHandle
    from hzgreen.proxy.event_journal import ReadResultSet
    from hzgreen.recipes.partitioner import Partitioner

__all__ = ["Transform"]

log = logging.getLogger("hzgreen.streams")

_POLL = 0.2


def _identity(key: Any) -> Any:
    return key


def _check_positive(value: object, what: str, integer: bool = False) -> None:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:
        raise ValueError("%s must be a positive %s, got %r" % (what, "int" if integer else "number", value))


class Transform:
    """``client.Transform(source_map, result_map, func, name=None, ...)``; see the module docstring.

    Raises TypeError/ValueError for bad arguments, before anything is sent.
    """

    def __init__(
        self,
        client: "HzClient",
        source_map: str,
        result_map: str,
        func: Callable[[Any, Any], Any],
        name: Optional[str] = None,
        *,
        key_func: Optional[Callable[[Any], Any]] = None,
        delete_on_remove: bool = False,
        start: str = "oldest",
        batch_size: int = 100,
        max_in_flight: int = 1000,
        checkpoint_interval: float = 1.0,
        identifier: Any = None,
        lease: float = 10.0,
        time_boundary: float = 1.0,
        on_lost: Optional[Callable[[int, int, int], Any]] = None,
        on_error: Optional[Callable[[Any, Any, BaseException], Any]] = None,
        retry_delay: float = 1.0,
    ) -> None:
        for value, what in ((source_map, "source_map"), (result_map, "result_map")):
            if not isinstance(value, str) or not value:
                raise ValueError("%s must be a non-empty map name, got %r" % (what, value))
        if source_map == result_map:
            raise ValueError("result_map must differ from source_map (a transform would feed itself)")
        for callback, what in ((func, "func"), (key_func, "key_func"), (on_lost, "on_lost"), (on_error, "on_error")):
            if callback is not None and not callable(callback):
                raise TypeError("%s must be callable, got %r" % (what, callback))
        if func is None:
            raise TypeError("func must be callable, got None")
        if start not in ("oldest", "newest"):
            raise ValueError("start must be 'oldest' or 'newest', got %r" % (start,))
        _check_positive(batch_size, "batch_size", integer=True)
        _check_positive(max_in_flight, "max_in_flight", integer=True)
        for number, what in (
            (checkpoint_interval, "checkpoint_interval"),
            (lease, "lease"),
            (retry_delay, "retry_delay"),
        ):
            _check_positive(number, what)
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError("name must be a non-empty string, got %r" % (name,))
        self.client = client
        self.name = name or "transform.%s.%s" % (source_map, result_map)
        self.func = func
        self.key_func = key_func or _identity
        self.delete_on_remove = bool(delete_on_remove)
        self.start_at = start
        self.batch_size = batch_size
        self.max_in_flight = max_in_flight
        self.checkpoint_interval = float(checkpoint_interval)
        self.identifier = identifier
        self.lease = float(lease)
        self.time_boundary = float(time_boundary)
        self.retry_delay = float(retry_delay)
        self._on_lost = on_lost
        self._on_error = on_error
        self._handler = client.handler
        self.source = client.get_map(source_map)
        self.results = client.get_map(result_map)
        self.markers = client.get_map(self.name + ".__sources")
        self._checkpoints = CheckpointStore(
            client.get_map(self.name + ".__checkpoints"), client.config.invocation_timeout
        )
        self._inbox = self._handler.queue()
        self._mutex = self._handler.lock_object()
        self._acquired = self._handler.event_object()
        self._lanes: Dict[int, Lane] = {}
        self._waiting: Deque[Lane] = deque()
        self._metrics = TransformMetrics()
        self._partitioner: Optional["Partitioner"] = None
        self._partitioned = False  # this worker holds the partitioner's current set
        self._next_save = 0.0
        self._closing = False
        self._task: Optional["TaskHandle"] = None
        self._done = False
        self.exception: Optional[BaseException] = None

    # -- public ------------------------------------------------------------------------

    def start(self) -> "Transform":
        """Join the workers and start processing (in a new task); returns self at once."""
        if self._task is None:
            self._task = self._handler.spawn(self._run)
        return self

    def close(self, timeout: Optional[float] = None) -> None:
        """Stop: finish the writes on their way, store the checkpoints, give the partitions
        back and leave the workers; returns None (after at most about ``timeout`` seconds,
        default the client's ``invocation_timeout``). Idempotent."""
        self._closing = True
        self._inbox.put(("wake", None, None))
        if self._task is not None:
            self._task.join(timeout if timeout is not None else self.client.config.invocation_timeout + self.lease)

    def __enter__(self) -> "Transform":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """True between :meth:`start` and the end of the transform's task."""
        return self._task is not None and not self._done

    @property
    def partitions(self) -> List[int]:
        """The source partitions this worker holds now, sorted."""
        with self._mutex:
            return sorted(self._lanes)

    def wait_for_acquire(self, timeout: Optional[float] = 30) -> bool:
        """Wait until this worker holds its share of the partitions (or ``timeout`` seconds);
        returns whether it does."""
        return bool(self._acquired.wait(timeout))

    def metrics(self) -> TransformMetrics:
        """A :class:`~hzgreen.streams.lanes.TransformMetrics` snapshot of this worker. A batch
        is counted once its writes are acknowledged, so its results can show in the result
        map a moment before; after :meth:`close` the counts are final."""
        with self._mutex:
            snapshot = self._metrics.copy()
            snapshot.partitions = {pid: lane.next_sequence for pid, lane in self._lanes.items()}
            snapshot.checkpointed = {
                pid: saved for pid in self._lanes if (saved := self._checkpoints.saved(pid)) is not None
            }
        return snapshot

    def lag(self, timeout: Optional[float] = None) -> Dict[int, int]:
        """``{partition_id: events not yet applied}`` of the partitions held now, from each
        partition's newest journal sequence (one request per partition). Raises the client's
        errors (HzError) when a member cannot be asked."""
        held = self.metrics().partitions
        asked = {pid: self.source.subscribe_to_event_journal_async(pid) for pid in held}
        limit = timeout if timeout is not None else self.client.config.invocation_timeout
        return {pid: max(0, answer.get(timeout=limit).newest_sequence + 1 - held[pid]) for pid, answer in asked.items()}

    def __repr__(self) -> str:
        return "<Transform %r %s -> %s, %d partitions>" % (
            self.name,
            self.source.name,
            self.results.name,
            len(self._lanes),
        )

    # -- the task ------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._closing:
                if not self._follow_partitioner():
                    continue
                self._step(_POLL)
        except ClientNotActiveError:
            log.info("transform %r: the client stopped", self.name)
        except Exception as error:  # on_error raised, or a bug: the transform ends, and says why
            self.exception = error
            log.exception("transform %r stopped", self.name)
        finally:
            self._shutdown()

    def _follow_partitioner(self) -> bool:
        """Act on the partitioner's state; returns True when this worker holds its set."""
        partitioner = self._partitioner
        if partitioner is None or partitioner.failed:
            if partitioner is not None:
                self._release_all(save=False)
            self._partitioner = self._join()
            return False
        if partitioner.release:
            self._release_all(save=True)
            partitioner.release_set()
            return False
        if partitioner.acquired:
            if not self._partitioned:
                self._hold(list(partitioner))
            return True
        partitioner.wait_for_change(_POLL, partitioner.state)
        return False

    def _join(self) -> Optional["Partitioner"]:
        """A new partitioner once the client is CONNECTED (None while it is not)."""
        if self.client.state != HzState.CONNECTED:
            if not self._handler.running:
                raise ClientNotActiveError("the client stopped")
            self._handler.sleep_func(_POLL)
            return None
        try:
            return self.client.Partitioner(
                self.name,
                range(self.client.partitions.partition_count),
                identifier=self.identifier,
                time_boundary=self.time_boundary,
                lease=self.lease,
            )
        except ClientNotActiveError:
            raise
        except HzError as error:
            log.warning("transform %r: joining the workers failed (retrying): %r", self.name, error)
            self._handler.sleep_func(self.retry_delay)
            return None

    def _hold(self, partition_ids: List[int]) -> None:
        """Claim the checkpoints of a newly acquired set and send the first reads."""
        try:
            claimed = self._checkpoints.claim(partition_ids)
            starts = self._start_sequences(claimed)
        except ClientNotActiveError:
            raise
        except HzError as error:
            log.warning("transform %r: claiming partitions failed (retrying): %r", self.name, error)
            self._handler.sleep_func(self.retry_delay)
            return
        with self._mutex:
            for pid in partition_ids:
                self._lanes[pid] = Lane(pid, starts[pid])
            self._partitioned = True
        self._next_save = self._handler.monotonic() + self.checkpoint_interval
        self._acquired.set()
        log.info("transform %r: processing %d partitions", self.name, len(partition_ids))
        for lane in list(self._lanes.values()):
            self._read(lane)

    def _start_sequences(self, claimed: Dict[int, int]) -> Dict[int, int]:
        """Where each claimed partition starts: its checkpoint, else its oldest or next event."""
        fresh = [pid for pid, sequence in claimed.items() if sequence == NOTHING_PROCESSED]
        states = {pid: self.source.subscribe_to_event_journal_async(pid) for pid in fresh}
        starts = dict(claimed)
        timeout = self.client.config.invocation_timeout
        for pid, answer in states.items():
            state = answer.get(timeout=timeout)
            starts[pid] = state.oldest_sequence if self.start_at == "oldest" else state.newest_sequence + 1
        return starts

    # -- the pipeline ---------------------------------------------------------------------

    def _read(self, lane: Lane) -> None:
        if lane.closed or self._closing:
            return
        future = self.source._read_raw_async(lane.partition_id, lane.next_sequence, self.batch_size)
        future.add_done_callback(lambda done: self._inbox.put(("read", lane, done)))

    def _step(self, timeout: float) -> None:
        """Handle the next message (or wait up to ``timeout``), then save checkpoints when due."""
        self._handle_next(timeout)
        if self._handler.monotonic() >= self._next_save:
            self._save()

    def _handle_next(self, timeout: float) -> None:
        """Handle the next message of the inbox, waiting up to ``timeout`` seconds for one."""
        try:
            kind, lane, payload = self._inbox.get(timeout=timeout)
        except self._handler.queue_empty:
            return
        if kind == "read":
            self._on_read(lane, payload)
        elif kind == "written":
            self._on_written(lane, payload)
        elif kind == "retry":
            if lane.closed:
                lane.pending = None  # a released lane's failed batch: the next owner reads it again
            elif lane.pending is not None:
                self._write(lane)
            else:
                self._read(lane)

    def _on_read(self, lane: Lane, done: "AsyncResult[ReadResultSet]") -> None:
        if lane.closed:
            return
        try:
            batch = done.get()
        except ClientNotActiveError:
            raise
        except Exception as error:
            log.warning(
                "transform %r: reading partition %d failed (retrying in %.1f s): %r",
                self.name,
                lane.partition_id,
                self.retry_delay,
                error,
            )
            self._retry_later(lane)
            return
        if batch.lost_count:
            self._report_lost(lane.partition_id, batch.lost_count, lane.next_sequence)
        events = self._events(batch)
        applied: Dict[Any, object] = {}
        if lane.replaying and events:
            try:
                applied = self.markers.get_all({self.key_func(event[0]) for event in events})
            except ClientNotActiveError:
                raise
            except HzError as error:
                log.warning("transform %r: reading source markers failed (retrying): %r", self.name, error)
                self._retry_later(lane)
                return
        output = apply_batch(
            lane.partition_id, events, self.func, self.key_func, self.delete_on_remove, applied, self._on_error
        )
        output.errors += len(batch.items) - len(events)
        lane.replaying = lane.replaying and output.duplicates > 0
        lane.pending = output
        lane.pending_next = batch.next_sequence_to_read_from
        if not output.writes:
            self._applied(lane)
        elif not self._has_room(lane):
            self._waiting.append(lane)
        else:
            self._write(lane)

    def _events(self, batch: "ReadResultSet") -> List[SourceEvent]:
        """The batch's events, deserialized (one that cannot be is logged and left out)."""
        events: List[SourceEvent] = []
        for item, sequence in zip(batch.items, batch.sequences):
            try:
                event = self.source._journal_event(item, sequence, batch.partition_id)
            except Exception:
                log.exception(
                    "transform %r: event %d/%d cannot be deserialized; skipped",
                    self.name,
                    batch.partition_id,
                    sequence,
                )
                continue
            events.append((event.key, event.new_value, event.event_type, sequence))
        return events

    def _write(self, lane: Lane) -> None:
        output = lane.pending
        assert output is not None
        with self._mutex:
            self._metrics.in_flight += output.writes
        write_output(
            self._handler,
            self.results,
            self.markers,
            output,
            lambda error: self._inbox.put(("written", lane, error)),
        )

    def _on_written(self, lane: Lane, error: Optional[BaseException]) -> None:
        output = lane.pending
        assert output is not None
        with self._mutex:
            self._metrics.in_flight -= output.writes
        if isinstance(error, ClientNotActiveError):
            raise error
        if error is not None:
            if lane.closed:
                lane.pending = None  # released: the next owner reads the batch again
            else:
                log.warning("transform %r: writing results failed (retrying): %r", self.name, error)
                self._retry_later(lane)
        else:
            self._applied(lane)
        while self._waiting and self._has_room(self._waiting[0]):
            waiting = self._waiting.popleft()
            if not waiting.closed:
                self._write(waiting)

    def _has_room(self, lane: Lane) -> bool:
        """Whether the lane's batch may be written now under ``max_in_flight`` (a batch larger
        than the limit goes alone)."""
        in_flight = self._metrics.in_flight
        return not in_flight or lane.pending is None or in_flight + lane.pending.writes <= self.max_in_flight

    def _applied(self, lane: Lane) -> None:
        """The lane's batch is written: advance, count it, read on."""
        output = lane.pending
        lane.pending = None
        with self._mutex:
            if output is not None:
                self._metrics.add(output)
            lane.next_sequence = lane.pending_next
        self._read(lane)

    def _retry_later(self, lane: Lane) -> None:
        self._handler.call_later(self.retry_delay, self._inbox.put, ("retry", lane, None))

    def _report_lost(self, partition_id: int, count: int, from_sequence: int) -> None:
        with self._mutex:
            self._metrics.lost += count
        if self._on_lost is None:
            log.warning(
                "transform %r: the journal of partition %d overwrote %d events from sequence %d before they were read",
                self.name,
                partition_id,
                count,
                from_sequence,
            )
            return
        try:
            self._on_lost(partition_id, count, from_sequence)
        except Exception:
            log.exception("transform %r: on_lost raised", self.name)

    # -- checkpoints and releasing ----------------------------------------------------------

    def _save(self) -> None:
        """Store the progress of every held partition; drop the ones found taken over."""
        self._next_save = self._handler.monotonic() + self.checkpoint_interval
        progress = {pid: lane.next_sequence for pid, lane in self._lanes.items()}
        if not progress:
            return
        try:
            taken = self._checkpoints.save(progress)
        except ClientNotActiveError:
            raise
        except HzError as error:
            log.debug("transform %r: saving checkpoints failed (next round retries): %r", self.name, error)
            return
        if taken:
            log.warning("transform %r: partitions %r were taken over by another worker; dropped", self.name, taken)
            with self._mutex:
                self._metrics.takeovers += len(taken)
                for pid in taken:
                    self._lanes.pop(pid).closed = True

    def _release_all(self, save: bool) -> None:
        """Stop every lane; with ``save``, let the writes on their way finish and store the
        checkpoints first (bounded by the invocation timeout)."""
        for lane in self._waiting:
            lane.pending = None  # not written: the next owner reads the batch again
        self._waiting.clear()
        lanes = list(self._lanes.values())
        for lane in lanes:
            lane.closed = True  # no more reads or retries; parked reads are ignored when they return
        if save and lanes:
            deadline = self._handler.monotonic() + self.client.config.invocation_timeout
            while any(lane.pending is not None for lane in lanes):
                remaining = deadline - self._handler.monotonic()
                if remaining <= 0:
                    break
                self._handle_next(min(_POLL, remaining))
            try:
                self._save()
            except HzError as error:
                log.warning("transform %r: the last checkpoint failed: %r", self.name, error)
        with self._mutex:
            self._checkpoints.forget(self._lanes)
            self._lanes.clear()
            self._partitioned = False
        self._acquired.clear()

    def _shutdown(self) -> None:
        try:
            self._release_all(save=self.exception is None)
        except ClientNotActiveError:
            pass
        finally:
            partitioner, self._partitioner = self._partitioner, None
            if partitioner is not None:
                try:
                    partitioner.finish()
                except HzError:
                    pass
            self._done = True
