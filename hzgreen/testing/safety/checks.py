"""Safety checks over a :class:`~hzgreen.testing.safety.history.History`.

Each check returns a list of :class:`Violation` (empty when the history is safe), each
naming the check and carrying the offending operations or events, so a test can
``assert check_mutual_exclusion(history) == []`` and print what went wrong otherwise.
"""

from dataclasses import dataclass
from typing import Any, Dict, List, Tuple, Union

from hzgreen.testing.safety.history import CRITICAL_SECTION, INVOKE, OK, Event, History, Operation

MUTUAL_EXCLUSION = "mutual-exclusion"
FENCE_MONOTONICITY = "fence-monotonicity"
ONE_LEADER_PER_TERM = "one-leader-per-term"
PERMITS_EXCEEDED = "permits-exceeded"
LINEARIZABILITY = "linearizability"


@dataclass(frozen=True)
class Violation:
    """A broken safety property: which check, what happened, and the operations involved."""

    check: str
    message: str
    operations: Tuple[Union[Operation, Event], ...]

    def __str__(self) -> str:
        return "%s: %s" % (self.check, self.message)


def _intervals(history: History, op: str) -> List[Operation]:
    """Return the completed operations of ``op`` (any outcome), ordered by start.

    An interval without a completion (its process died inside it) is left out: the process
    stopped running there, and a zombie holder is what the fence check is for.
    """
    return [operation for operation in history.operations(op) if operation.completion is not None]


def _end(operation: Operation) -> float:
    end = operation.end
    assert end is not None  # _intervals keeps completed operations only
    return end


def check_mutual_exclusion(history: History, op: str = CRITICAL_SECTION) -> List[Violation]:
    """Return a violation for every interval of ``op`` that overlaps an earlier one.

    Intervals run from an operation's invocation to its completion (see
    :meth:`History.critical_section`); intervals that only touch do not overlap.
    """
    violations: List[Violation] = []
    holder = None
    for interval in _intervals(history, op):
        if holder is not None and interval.start < _end(holder):
            violations.append(
                Violation(
                    MUTUAL_EXCLUSION,
                    "%s entered %r at %.6f while %s held it until %.6f"
                    % (interval.process, op, interval.start, holder.process, _end(holder)),
                    (holder, interval),
                )
            )
        if holder is None or _end(interval) > _end(holder):
            holder = interval
    return violations


def check_fence_monotonicity(history: History, op: str = CRITICAL_SECTION, at: str = INVOKE) -> List[Violation]:
    """Return a violation for every fence not greater than every fence before it.

    The fences are the values of the ``at`` events of ``op`` in time order (events without a
    value are skipped): with :meth:`History.critical_section` the fence is recorded on entry
    (``at="invoke"``, the default); for holds recorded as ``history.ok(p, "acquire", fence)``
    pass ``op="acquire", at="ok"``.
    """
    violations: List[Violation] = []
    highest = None
    for event in history.events:
        if event.op != op or event.type != at or event.value is None:
            continue
        if highest is not None and not highest.value < event.value:
            violations.append(
                Violation(
                    FENCE_MONOTONICITY,
                    "%s got fence %r after %s had fence %r"
                    % (event.process, event.value, highest.process, highest.value),
                    (highest, event),
                )
            )
        if highest is None or highest.value < event.value:
            highest = event
    return violations


def check_one_leader_per_term(history: History, op: str = "lead") -> List[Violation]:
    """Return a violation for every term that more than one process led.

    A leadership is recorded as ``history.ok(process, op, term)`` (the term is the
    election's fence).
    """
    leaders: Dict[Any, List[Event]] = {}
    for event in history.events:
        if event.op == op and event.type == OK:
            leaders.setdefault(event.value, []).append(event)
    violations = []
    for term, events in leaders.items():
        processes = sorted({event.process for event in events})
        if len(processes) > 1:
            violations.append(
                Violation(ONE_LEADER_PER_TERM, "term %r led by %s" % (term, ", ".join(processes)), tuple(events))
            )
    return violations


def _weight(operation: Operation) -> int:
    value = operation.invoke.value
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def check_permits(history: History, permits: int, op: str = "permit") -> List[Violation]:
    """Return a violation each time the permits held at once rise above ``permits``.

    A hold is an interval of ``op`` (see :meth:`History.critical_section`) whose invocation
    value is the number of permits held (1 when it is not an int). Holds that only touch
    are not concurrent. Raises ``ValueError`` if ``permits`` is negative.
    """
    if permits < 0:
        raise ValueError("permits must be >= 0, not %r" % (permits,))
    points: List[Tuple[float, int, int, Operation]] = []
    for index, hold in enumerate(_intervals(history, op)):
        points.append((hold.start, 1, index, hold))
        points.append((_end(hold), 0, index, hold))  # releases sort before acquisitions at one time
    points.sort(key=lambda point: (point[0], point[1], point[2]))
    held: Dict[int, Operation] = {}
    total = 0
    violations: List[Violation] = []
    for when, kind, index, hold in points:
        if kind == 0:
            held.pop(index, None)
            total -= _weight(hold)
            continue
        held[index] = hold
        total += _weight(hold)
        if total > permits:
            violations.append(
                Violation(
                    PERMITS_EXCEEDED,
                    "%d of %d permits held at %.6f (%s)"
                    % (total, permits, when, ", ".join(h.process for h in held.values())),
                    tuple(held.values()),
                )
            )
    return violations
