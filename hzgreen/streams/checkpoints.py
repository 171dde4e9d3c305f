"""Fenced progress records of a transform: one map entry per journal partition.

The entry ``partition_id -> "epoch:next_sequence"`` of the map ``"{transform}.__checkpoints"``
says where the partition's next unprocessed event is (``-1``: nothing processed yet). A
worker that takes a partition over *claims* it: it raises the epoch with a compare-and-set,
and every later save is a compare-and-set from the value it last wrote. A worker that lost
the partition without knowing it (paused, or cut off for longer than the partitioner's
lease) therefore fails its next save, and stops processing that partition, instead of
moving the progress of the new owner backwards.

The values are strings so that the member compares them byte for byte, whatever the
serializer, and so that they read well in a management tool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Tuple

from hzgreen.exceptions import HzError

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.proxy.map import Map

__all__ = ["CheckpointStore", "CheckpointConflictError", "format_checkpoint", "parse_checkpoint"]

#: The sequence stored before any event of the partition was processed.
NOTHING_PROCESSED = -1
_CLAIM_ATTEMPTS = 20


class CheckpointConflictError(HzError):
    """A partition's checkpoint kept changing under a claim (another worker claims it too)."""


def format_checkpoint(epoch: int, next_sequence: int) -> str:
    """The stored form of ``(epoch, next_sequence)``."""
    return "%d:%d" % (epoch, next_sequence)


def parse_checkpoint(value: object) -> Tuple[int, int]:
    """``(epoch, next_sequence)`` of a stored checkpoint; raises ValueError for anything else
    (a value this module did not write)."""
    if not isinstance(value, str):
        raise ValueError("a transform checkpoint is an 'epoch:sequence' string, got %r" % (value,))
    epoch, _, sequence = value.partition(":")
    try:
        return int(epoch), int(sequence)
    except ValueError:
        raise ValueError("a transform checkpoint is an 'epoch:sequence' string, got %r" % (value,)) from None


class CheckpointStore:
    """The checkpoints of one transform in ``checkpoint_map``; see the module docstring.

    Not thread-safe: one task (the transform's pump) uses it.
    """

    def __init__(self, checkpoint_map: "Map", timeout: float) -> None:
        self.map = checkpoint_map
        self.timeout = timeout
        self._held: Dict[int, str] = {}  # partition -> the value this worker last wrote

    def claim(self, partition_ids: Iterable[int]) -> Dict[int, int]:
        """Take the partitions over (raise each epoch); returns ``{partition_id: next sequence}``
        (:data:`NOTHING_PROCESSED` for a partition never checkpointed).

        Raises :class:`CheckpointConflictError` when a partition's value keeps changing, and
        the client's errors (HzError) when the cluster cannot be reached."""
        pending = list(partition_ids)
        claimed: Dict[int, int] = {}
        for _ in range(_CLAIM_ATTEMPTS):
            if not pending:
                return claimed
            current = self.map.get_all_async(pending).get(timeout=self.timeout)
            # put_if_absent answers the value found (None: written); replace_if_same, replaced?
            attempts: List[Tuple[int, str, bool, "AsyncResult[Any]"]] = []
            for pid in pending:
                old = current.get(pid)
                if old is None:
                    new = format_checkpoint(1, NOTHING_PROCESSED)
                    attempts.append((pid, new, True, self.map.put_if_absent_async(pid, new)))
                else:
                    epoch, sequence = parse_checkpoint(old)
                    new = format_checkpoint(epoch + 1, sequence)
                    attempts.append((pid, new, False, self.map.replace_if_same_async(pid, old, new)))
            pending = []
            for pid, new, if_absent, result in attempts:
                answer = result.get(timeout=self.timeout)
                if (answer is None) if if_absent else bool(answer):
                    self._held[pid] = new
                    claimed[pid] = parse_checkpoint(new)[1]
                else:
                    pending.append(pid)
        if pending:
            raise CheckpointConflictError("the checkpoints of partitions %r kept changing while claimed" % pending)
        return claimed

    def save(self, progress: Dict[int, int]) -> List[int]:
        """Store ``{partition_id: next sequence}`` for partitions this worker holds; returns the
        partitions found taken over (their value is not the one last written here: this worker
        must stop processing them). Partitions not held are ignored. Raises the client's errors
        (HzError); a failed save changes nothing and may be repeated."""
        attempts: List[Tuple[int, str, "AsyncResult[bool]"]] = []
        for pid, sequence in progress.items():
            old = self._held.get(pid)
            if old is None:
                continue
            epoch, saved = parse_checkpoint(old)
            if saved == sequence:
                continue
            new = format_checkpoint(epoch, sequence)
            attempts.append((pid, new, self.map.replace_if_same_async(pid, old, new)))
        lost: List[int] = []
        for pid, new, result in attempts:
            if result.get(timeout=self.timeout):
                self._held[pid] = new
            else:
                self._held.pop(pid, None)
                lost.append(pid)
        return lost

    def saved(self, partition_id: int) -> Optional[int]:
        """The next sequence last stored here for ``partition_id``; None when not held."""
        value = self._held.get(partition_id)
        return None if value is None else parse_checkpoint(value)[1]

    def forget(self, partition_ids: Iterable[int]) -> None:
        """Stop holding the partitions (they were released); returns None."""
        for pid in partition_ids:
            self._held.pop(pid, None)
