"""A history of timestamped operations recorded by many threads, greenlets and processes.

Every operation is recorded as an *invocation* followed by one *completion*: ``ok`` (it
happened, with its result), ``fail`` (it certainly did not happen) or ``info`` (nobody can
tell: a timeout, a dropped connection, a killed process). Timestamps come from
``time.monotonic()``, which on one machine is the same clock in every process, so records
appended by several processes to one file can be merged by time.

A :class:`History` kept in memory is shared by the threads or greenlets of one process; a
History opened on a ``path`` also appends each event as one JSON line to that file (one
``write`` on a file opened for appending, so lines from several processes never interleave),
and :meth:`History.load` reads the merged file back.
"""

import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Type

INVOKE = "invoke"
OK = "ok"
FAIL = "fail"
INFO = "info"
TYPES = (INVOKE, OK, FAIL, INFO)

#: The operation name :meth:`History.critical_section` records.
CRITICAL_SECTION = "cs"


@dataclass(frozen=True)
class Event:
    """One recorded event: the invocation or the completion of an operation."""

    process: str
    type: str
    op: str
    value: Any
    time: float

    def to_json(self) -> str:
        """Return the event as one line of JSON (no trailing newline)."""
        return json.dumps(
            {"process": self.process, "type": self.type, "op": self.op, "value": self.value, "time": self.time},
            sort_keys=True,
        )

    @classmethod
    def from_dict(cls, record: Dict[str, Any]) -> "Event":
        """Return the event a JSON record describes; raises ``ValueError`` if it is malformed."""
        try:
            event = cls(
                str(record["process"]),
                str(record["type"]),
                str(record["op"]),
                record.get("value"),
                float(record["time"]),
            )
        except (KeyError, TypeError) as error:
            raise ValueError("not a history event: %r" % (record,)) from error
        if event.type not in TYPES:
            raise ValueError("unknown event type %r in %r" % (event.type, record))
        return event


@dataclass(frozen=True)
class Operation:
    """An invocation paired with its completion (``None`` while it has none)."""

    invoke: Event
    completion: Optional[Event]

    @property
    def process(self) -> str:
        """Return the process that ran the operation."""
        return self.invoke.process

    @property
    def op(self) -> str:
        """Return the operation's name."""
        return self.invoke.op

    @property
    def outcome(self) -> str:
        """Return ``ok``, ``fail`` or ``info`` (``info`` also when there is no completion)."""
        return self.completion.type if self.completion is not None else INFO

    @property
    def start(self) -> float:
        """Return the invocation's timestamp."""
        return self.invoke.time

    @property
    def end(self) -> Optional[float]:
        """Return the completion's timestamp, or ``None`` if there is none."""
        return self.completion.time if self.completion is not None else None


class Call:
    """What the body of :meth:`History.operation` sets: the result to record as ``ok``."""

    def __init__(self, value: Any) -> None:
        self.value = value


class History:
    """Timestamped operations from many threads, greenlets or processes.

    ``History()`` keeps events in memory; ``History(path)`` also appends each one as a JSON
    line to ``path``, which other processes may append to as well. ``clock`` must be the
    same in every recording process (``time.monotonic`` on one machine).
    """

    def __init__(self, path: Optional[str] = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._clock = clock
        self._events: List[Event] = []
        self._lock = threading.Lock()
        self._fd: Optional[int] = None
        if path is not None:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def close(self) -> None:
        """Close the file this history appends to (in-memory recording goes on)."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(self, process: str, type: str, op: str, value: Any = None) -> Event:
        """Record one event now and return it; raises ``ValueError`` for an unknown ``type``."""
        if type not in TYPES:
            raise ValueError("event type must be one of %s, not %r" % (", ".join(TYPES), type))
        with self._lock:
            event = Event(str(process), type, op, value, self._clock())
            self._events.append(event)
            if self._fd is not None:
                os.write(self._fd, (event.to_json() + "\n").encode("utf-8"))
        return event

    def invoke(self, process: str, op: str, value: Any = None) -> Event:
        """Record that ``process`` starts ``op`` (with its argument); return the event."""
        return self.record(process, INVOKE, op, value)

    def ok(self, process: str, op: str, value: Any = None) -> Event:
        """Record that ``op`` of ``process`` happened (with its result); return the event."""
        return self.record(process, OK, op, value)

    def fail(self, process: str, op: str, value: Any = None) -> Event:
        """Record that ``op`` of ``process`` certainly did not happen; return the event."""
        return self.record(process, FAIL, op, value)

    def info(self, process: str, op: str, value: Any = None) -> Event:
        """Record that the outcome of ``op`` of ``process`` is unknown; return the event."""
        return self.record(process, INFO, op, value)

    @contextmanager
    def operation(
        self, process: str, op: str, value: Any = None, failures: Tuple[Type[BaseException], ...] = ()
    ) -> Iterator[Call]:
        """Record ``op`` around the ``with`` body; yield a :class:`Call` whose ``value`` is the result.

        The body's normal end records ``ok`` with ``call.value``; an exception of a type in
        ``failures`` records ``fail``; any other exception records ``info``. Exceptions are
        re-raised.
        """
        self.invoke(process, op, value)
        call = Call(value)
        try:
            yield call
        except failures:
            self.fail(process, op, value)
            raise
        except BaseException:
            self.info(process, op, value)
            raise
        self.ok(process, op, call.value)

    @contextmanager
    def critical_section(self, process: str, value: Any = None, op: str = CRITICAL_SECTION) -> Iterator[None]:
        """Record the ``with`` body as an interval of ``op`` (``value``: a fence, a permit count).

        The invocation is recorded on entry and ``ok`` on exit, ``info`` when the body raises:
        either way the interval is the time the body ran. Exceptions are re-raised.
        """
        self.invoke(process, op, value)
        try:
            yield
        except BaseException:
            self.info(process, op, value)
            raise
        self.ok(process, op, value)

    @property
    def events(self) -> List[Event]:
        """Return a copy of the events, ordered by time (stable for equal timestamps)."""
        with self._lock:
            events = list(self._events)
        return sorted(events, key=lambda event: event.time)

    def extend(self, events: List[Event]) -> None:
        """Add events recorded elsewhere (in memory only; the file is not written)."""
        with self._lock:
            self._events.extend(events)

    def operations(self, op: Optional[str] = None) -> List[Operation]:
        """Return the operations (of ``op`` only, if given) ordered by invocation time.

        Each process's invocation is paired with that process's next completion of the same
        operation name; an invocation with none is returned with ``completion=None``.
        """
        pending: Dict[Tuple[str, str], List[Event]] = {}
        pairs: List[Operation] = []
        for event in self.events:
            if op is not None and event.op != op:
                continue
            key = (event.process, event.op)
            if event.type == INVOKE:
                pending.setdefault(key, []).append(event)
            elif pending.get(key):
                pairs.append(Operation(pending[key].pop(0), event))
        for waiting in pending.values():
            pairs.extend(Operation(invoke, None) for invoke in waiting)
        return sorted(pairs, key=lambda pair: pair.start)

    @classmethod
    def load(cls, *paths: str) -> "History":
        """Return an in-memory history of the JSON-line files ``paths`` (merged by time).

        Raises ``ValueError`` for a line that is not a history event, ``OSError`` for an
        unreadable file.
        """
        history = cls()
        for path in paths:
            events = []
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        events.append(Event.from_dict(json.loads(line)))
            history.extend(events)
        return history
