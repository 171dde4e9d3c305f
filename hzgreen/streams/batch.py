"""What one journal batch asks of the result map: the sans-IO step of a transform.

:func:`apply_batch` runs the user's function over the events of one partition's batch, in
sequence order, and returns a :class:`BatchOutput`: the entries to write, the keys to
delete, and for each written key its *source marker* ``"partition:sequence"`` (where the
result came from). It does no I/O: the transform reads the batch, and the markers the
result keys already have when it replays events a previous worker may have processed,
then writes what the output says.

A *duplicate* is an event whose result key already carries a marker of the same partition
at this sequence or a later one: the event (or a later change of the same key) was
already applied by this transform, so it is skipped without calling the function again.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from hzgreen.proxy.map_listeners import EntryEventType

__all__ = ["BatchOutput", "SourceEvent", "apply_batch", "format_marker", "parse_marker", "WRITING_EVENTS"]

log = logging.getLogger("hzgreen.streams")

#: The journal events whose new value is transformed (as Jet's map journal source does by default).
WRITING_EVENTS = frozenset((EntryEventType.ADDED, EntryEventType.UPDATED, EntryEventType.MERGED, EntryEventType.LOADED))
#: The journal events that remove the source entry (deleted from the result with ``delete_on_remove``).
REMOVING_EVENTS = frozenset((EntryEventType.REMOVED, EntryEventType.EVICTED, EntryEventType.EXPIRED))

#: ``(key, new value, event type, sequence)`` of one journal event, deserialized.
SourceEvent = Tuple[Any, Any, int, int]


def format_marker(partition_id: int, sequence: int) -> str:
    """The stored source marker of a result written from event ``sequence`` of ``partition_id``."""
    return "%d:%d" % (partition_id, sequence)


def parse_marker(value: object) -> Optional[Tuple[int, int]]:
    """``(partition_id, sequence)`` of a stored source marker; None for anything else."""
    if not isinstance(value, str):
        return None
    partition, _, sequence = value.partition(":")
    try:
        return int(partition), int(sequence)
    except ValueError:
        return None


class BatchOutput:
    """What a batch produced: ``puts`` (result key -> value), ``deletes`` (result keys),
    ``markers`` (result key -> source marker, for every put and delete), and the counts of
    events ``processed`` (the function ran), ``duplicates`` (skipped, already applied),
    ``skipped`` (event kinds the transform ignores, or the function returned None) and
    ``errors`` (the function raised; see ``on_error``)."""

    __slots__ = ("puts", "deletes", "markers", "processed", "duplicates", "skipped", "errors")

    def __init__(self) -> None:
        self.puts: Dict[Any, Any] = {}
        self.deletes: List[Any] = []
        self.markers: Dict[Any, str] = {}
        self.processed = 0
        self.duplicates = 0
        self.skipped = 0
        self.errors = 0

    @property
    def writes(self) -> int:
        """How many result entries the output writes or deletes."""
        return len(self.puts) + len(self.deletes)

    def __repr__(self) -> str:
        return "BatchOutput(puts=%d, deletes=%d, processed=%d, duplicates=%d, skipped=%d, errors=%d)" % (
            len(self.puts),
            len(self.deletes),
            self.processed,
            self.duplicates,
            self.skipped,
            self.errors,
        )


def apply_batch(
    partition_id: int,
    events: Sequence[SourceEvent],
    func: Callable[[Any, Any], Any],
    result_key: Callable[[Any], Any],
    delete_on_remove: bool,
    applied: Mapping[Any, object],
    on_error: Optional[Callable[[Any, Any, BaseException], Any]] = None,
) -> BatchOutput:
    """Run ``func(key, value)`` over ``events`` (one partition, in sequence order); returns
    the :class:`BatchOutput`.

    ``applied`` holds the stored markers of result keys (empty when the batch cannot hold
    events processed before). A later event of a key replaces an earlier one's write in the
    output. When ``func`` raises, ``on_error(key, value, error)`` decides: returning
    normally skips the event (without ``on_error`` the error is logged and the event
    skipped); raising stops the batch with that exception, before anything is written.
    """
    output = BatchOutput()
    for key, value, event_type, sequence in events:
        removing = event_type in REMOVING_EVENTS
        if event_type not in WRITING_EVENTS and not (removing and delete_on_remove):
            output.skipped += 1
            continue
        target = result_key(key)
        marker = parse_marker(applied.get(target))
        if marker is not None and marker[0] == partition_id and marker[1] >= sequence:
            output.duplicates += 1
            continue
        if removing:
            output.puts.pop(target, None)
            if target not in output.deletes:
                output.deletes.append(target)
            output.markers[target] = format_marker(partition_id, sequence)
            continue
        try:
            result = func(key, value)
        except Exception as error:
            output.errors += 1
            if on_error is None:
                log.exception(
                    "transform function failed on key %r (partition %d, sequence %d)", key, partition_id, sequence
                )
            else:
                on_error(key, value, error)
            continue
        output.processed += 1
        if result is None:
            output.skipped += 1
            continue
        if target in output.deletes:
            output.deletes.remove(target)
        output.puts[target] = result
        output.markers[target] = format_marker(partition_id, sequence)
    return output
