"""The per-partition pipeline state of a transform, and its counters.

Each partition a worker holds is a :class:`Lane` with exactly one batch in its pipeline at
a time: a read parked on the member, a batch waiting for the pump, a batch waiting for
room under ``max_in_flight``, or a batch's writes on their way. That is what bounds a
worker's memory (``batch_size`` events per held partition) and keeps each partition's
results in sequence order.
"""

from __future__ import annotations

from typing import Dict, Optional

from hzgreen.streams.batch import BatchOutput

__all__ = ["Lane", "TransformMetrics"]


class Lane:
    """One held partition: ``next_sequence`` is the first event not yet applied.

    ``replaying`` is true from the claim until a batch with no duplicate: events before
    it may have been applied by the previous owner, so their result keys' markers are
    read first. ``pending`` is the batch being written (or waiting for room),
    ``pending_next`` the sequence after it. ``closed`` lanes ignore every late answer.
    """

    __slots__ = ("partition_id", "next_sequence", "replaying", "pending", "pending_next", "closed", "processed")

    def __init__(self, partition_id: int, next_sequence: int) -> None:
        self.partition_id = partition_id
        self.next_sequence = next_sequence
        self.replaying = True
        self.pending: Optional[BatchOutput] = None
        self.pending_next = next_sequence
        self.closed = False
        self.processed = 0

    def __repr__(self) -> str:
        return "Lane(partition=%d, next=%d%s%s)" % (
            self.partition_id,
            self.next_sequence,
            " replaying" if self.replaying else "",
            " writing" if self.pending is not None else "",
        )


class TransformMetrics:
    """A snapshot of a transform's counters in this worker (since it started).

    ``processed``: events the function ran on; ``duplicates``: events skipped because their
    result was already written (replayed after a takeover); ``skipped``: events of kinds
    the transform ignores, or whose function returned None; ``errors``: events the
    function (or deserialization) failed on; ``lost``: events the journal overwrote before
    they were read; ``written``: result entries written or deleted; ``in_flight``: result
    writes not yet acknowledged; ``partitions``: ``{partition_id: next sequence}`` of the
    partitions held now; ``checkpointed``: ``{partition_id: next sequence}`` last stored.
    """

    __slots__ = (
        "processed",
        "duplicates",
        "skipped",
        "errors",
        "lost",
        "written",
        "in_flight",
        "partitions",
        "checkpointed",
        "takeovers",
    )

    def __init__(self) -> None:
        self.processed = 0
        self.duplicates = 0
        self.skipped = 0
        self.errors = 0
        self.lost = 0
        self.written = 0
        self.in_flight = 0
        self.takeovers = 0
        self.partitions: Dict[int, int] = {}
        self.checkpointed: Dict[int, int] = {}

    def add(self, output: BatchOutput) -> None:
        """Count a written batch; returns None."""
        self.processed += output.processed
        self.duplicates += output.duplicates
        self.skipped += output.skipped
        self.errors += output.errors
        self.written += output.writes

    def copy(self) -> "TransformMetrics":
        """An independent copy."""
        other = TransformMetrics()
        for name in self.__slots__:
            value = getattr(self, name)
            setattr(other, name, dict(value) if isinstance(value, dict) else value)
        return other

    def __repr__(self) -> str:
        return (
            "TransformMetrics(processed=%d, duplicates=%d, skipped=%d, errors=%d, lost=%d, written=%d, "
            "in_flight=%d, partitions=%d)"
            % (
                self.processed,
                self.duplicates,
                self.skipped,
                self.errors,
                self.lost,
                self.written,
                self.in_flight,
                len(self.partitions),
            )
        )
