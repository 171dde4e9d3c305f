"""A queue of deadlines: which items are due by a given time.

Sans-IO: the queue reads no clock and starts no timer. Its owner passes ``now`` to
:meth:`DeadlineQueue.expired` and gets back the items whose deadline has passed;
:meth:`DeadlineQueue.next_deadline` tells a driver how long it may sleep.

The queue is a binary heap of ``(deadline, sequence, item)`` tuples (the sequence keeps
equal deadlines in insertion order, so items are never compared). Adding is O(log n).
Deleting is lazy, O(1): :meth:`DeadlineQueue.cancel` marks an entry, or the owner's
``is_live(item)`` stops answering True (a request that was answered); such entries are
skipped when they reach the top. So that they do not pile up, :meth:`DeadlineQueue.compact`
rebuilds the heap without them: the queue does so itself once cancelled entries outnumber
the others, and an owner that knows how many of its items are live calls it once the heap
holds more than that, which keeps deleting O(1) amortised.

One thread owns a queue and calls every method but :meth:`DeadlineQueue.post`: an add that
any thread may call in O(1), which takes effect at the owner's next call (it is a
``deque.append`` of a tuple, atomic under CPython). :meth:`DeadlineQueue.add_all` queues a
batch with no Python code run per item, for owners that admit many items at a time.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from collections import deque
from typing import Callable, Deque, Generic, List, Optional, Sequence, Set, Tuple, TypeVar

__all__ = ["DeadlineQueue", "Entry"]

T = TypeVar("T")

#: ``(deadline, sequence, item)``: what :meth:`DeadlineQueue.add` returns, for ``cancel``.
Entry = Tuple[float, int, T]

#: The heap is only rebuilt for cancelled entries once there are more than this many.
_MIN_CANCELLED_TO_REBUILD = 32

_heappush = heapq.heappush
_heappop = heapq.heappop
_item_of = operator.itemgetter(2)
_INFINITY = float("inf")
_below_infinity = _INFINITY.__gt__  # False for inf and NaN: such deadlines never fall due


class DeadlineQueue(Generic[T]):
    """Items keyed by a deadline (any float clock); pops only those that are due.

    ``is_live(item)``, if given, says whether an item still needs its deadline; items for
    which it is false are dropped instead of handed out. It may be a C-level callable such
    as ``some_dict.__contains__`` (items being keys), which keeps dropping cheap.

    ``examined`` counts the entries the queue has looked at in :meth:`expired` and
    :meth:`next_deadline` (the first one found not yet due included): a pass with
    nothing due costs O(1), however many entries wait, and tests check it with this.
    """

    __slots__ = ("_heap", "_posted", "_sequence", "_next_sequence", "_cancelled", "_is_live", "examined")

    def __init__(self, is_live: Optional[Callable[[T], bool]] = None) -> None:
        self._heap: List[Entry[T]] = []
        self._posted: Deque[Entry[T]] = deque()
        self._sequence = itertools.count()
        self._next_sequence = self._sequence.__next__
        self._cancelled: Set[int] = set()  # sequences of cancelled entries not yet dropped
        self._is_live = is_live
        self.examined = 0

    def __len__(self) -> int:
        """Entries queued and not cancelled (items ``is_live`` would drop count until dropped)."""
        return len(self._heap) + len(self._posted) - len(self._cancelled)

    @property
    def held(self) -> int:
        """Every entry the queue holds, cancelled and dead ones included."""
        return len(self._heap) + len(self._posted)

    def add(self, deadline: float, item: T) -> Entry[T]:
        """Queue ``item`` to fall due at ``deadline``; O(log n).

        Returns the entry, a handle for :meth:`cancel`. Raises ``ValueError`` for a NaN
        deadline (it would never fall due, nor keep the heap ordered).
        """
        if deadline != deadline:
            raise ValueError("deadline must be a number, not NaN")
        entry = (deadline, self._next_sequence(), item)
        _heappush(self._heap, entry)
        return entry

    def add_all(self, deadlines: Sequence[float], items: Sequence[T]) -> int:
        """Queue each of ``items`` to fall due at the deadline at the same index of
        ``deadlines``; O(k log n), in C-level loops (no Python code runs per item).

        An item whose deadline is infinite or NaN is skipped: it would never fall due.
        Returns how many items were queued.
        """
        heap = self._heap
        before = len(heap)
        entries = zip(deadlines, itertools.islice(self._sequence, len(items)), items)
        deque(map(_heappush, itertools.repeat(heap), itertools.compress(entries, map(_below_infinity, deadlines))), 0)
        return len(heap) - before

    def post(self, deadline: float, item: T) -> Entry[T]:
        """Like :meth:`add`, but from any thread and in O(1): the entry joins the heap at the
        owner's next :meth:`expired`, :meth:`next_deadline`, :meth:`admit` or :meth:`compact`.

        Returns the entry. Raises ``ValueError`` for a NaN deadline.
        """
        if deadline != deadline:
            raise ValueError("deadline must be a number, not NaN")
        entry = (deadline, self._next_sequence(), item)
        self._posted.append(entry)
        return entry

    def admit(self) -> int:
        """Move the posted entries into the heap, dropping cancelled and dead ones; returns
        how many joined the heap."""
        posted = self._posted
        count = len(posted)
        if not count:
            return 0
        popleft = posted.popleft
        batch = [popleft() for _ in itertools.repeat(None, count)]
        cancelled = self._cancelled
        if cancelled:
            kept = []
            for entry in batch:
                if entry[1] in cancelled:
                    cancelled.discard(entry[1])
                else:
                    kept.append(entry)
            batch = kept
        if self._is_live is not None:  # most posted entries are dead by now: filter in C
            batch = list(itertools.compress(batch, map(self._is_live, map(_item_of, batch))))
        heap = self._heap
        for entry in batch:
            _heappush(heap, entry)
        return len(batch)

    def cancel(self, entry: Entry[T]) -> None:
        """Forget ``entry`` without searching the heap; O(1) amortised; returns None.

        The entry is skipped when it comes up. Cancelling it twice, or after it was handed
        out, is harmless.
        """
        cancelled = self._cancelled
        cancelled.add(entry[1])
        if len(cancelled) > _MIN_CANCELLED_TO_REBUILD and 2 * len(cancelled) > self.held:
            self.compact()

    def expired(self, now: float) -> List[T]:
        """Pop and return, earliest first, every live item whose deadline is ``<= now``.

        Posted entries are admitted first. Cancelled and dead entries met on the way are
        dropped. Entries not yet due are left alone: the work is proportional to what is
        popped, not to the size of the queue.
        """
        if self._posted:
            self.admit()
        heap = self._heap
        cancelled = self._cancelled
        is_live = self._is_live
        due: List[T] = []
        examined = 0
        while heap:
            examined += 1
            if heap[0][0] > now:
                break
            _, sequence, item = _heappop(heap)
            if cancelled and sequence in cancelled:
                cancelled.discard(sequence)
            elif is_live is None or is_live(item):
                due.append(item)
        self.examined += examined
        return due

    def next_deadline(self) -> Optional[float]:
        """The earliest deadline of a live entry, or None when nothing waits.

        Posted entries are admitted first; cancelled and dead entries at the top are dropped.
        """
        if self._posted:
            self.admit()
        heap = self._heap
        cancelled = self._cancelled
        is_live = self._is_live
        while heap:
            self.examined += 1
            deadline, sequence, item = heap[0]
            if cancelled and sequence in cancelled:
                cancelled.discard(sequence)
            elif is_live is None or is_live(item):
                return deadline
            _heappop(heap)
        return None

    def compact(self) -> int:
        """Admit the posted entries, then rebuild the heap without cancelled and dead
        entries; O(n); returns how many entries were dropped."""
        held = self.held
        self.admit()
        cancelled = self._cancelled
        is_live = self._is_live
        heap = self._heap
        if cancelled:
            keep = [entry for entry in heap if entry[1] not in cancelled and (is_live is None or is_live(entry[2]))]
        elif is_live is not None:  # the common case, filtered in C
            keep = list(itertools.compress(heap, map(is_live, map(_item_of, heap))))
        else:
            keep = list(heap)
        heapq.heapify(keep)
        self._heap = keep
        cancelled.clear()  # what is left of it names entries already handed out
        return held - len(keep)

    def clear(self) -> List[T]:
        """Empty the queue; returns the live items that were waiting, posted ones included."""
        self.admit()
        cancelled = self._cancelled
        is_live = self._is_live
        items = [
            item
            for _, sequence, item in sorted(self._heap)
            if sequence not in cancelled and (is_live is None or is_live(item))
        ]
        self._heap = []
        self._cancelled.clear()
        return items
