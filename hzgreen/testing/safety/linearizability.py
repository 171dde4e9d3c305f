"""A linearizability checker for one register, in the style of Knossos' WGL and Porcupine.

The history's ``read`` / ``write`` / ``cas`` operations (the names can be changed) are
searched for a total order that respects real time (an operation that completed before
another was invoked comes first) and the register's sequential behaviour. The search is a
depth-first walk over "which operations are linearized so far, and what the register holds",
memoized on that pair, so equivalent orders are explored once. It is exponential in the
worst case: meant for the small histories of a test (tens of operations).

Outcomes: ``ok`` operations happened and returned their recorded result; ``fail``
operations certainly did not happen and are left out; ``info`` operations (or ones with no
completion) may have happened at any time after their invocation, or never: a read with an
unknown result constrains nothing and is left out, a write or cas is given an unbounded
completion time, so the search may place it anywhere later (including after everything,
where it changes nothing that was observed).

Values: ``write`` records the value written as its invocation value; ``read`` records the
value read as its ``ok`` value; ``cas`` records ``[expected, new]`` as its invocation value
and is ``ok`` when it swapped (a cas that found another value is recorded as ``fail``).
"""

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from hzgreen.testing.safety.checks import LINEARIZABILITY, Violation
from hzgreen.testing.safety.history import FAIL, OK, History, Operation

READ = "read"
WRITE = "write"
CAS = "cas"


class SearchLimitExceeded(RuntimeError):
    """The search visited ``max_states`` states without deciding: the history is too big."""


def freeze(value: Any) -> Any:
    """Return ``value`` made hashable (lists become tuples, dicts sorted item tuples)."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, freeze(item)) for key, item in value.items()))
    return value


@dataclass(frozen=True)
class _Entry:
    operation: Operation
    kind: str  # READ, WRITE or CAS
    argument: Any
    result: Any
    known: bool  # completed ok (its result is known)
    start: float
    end: float  # math.inf when the outcome is unknown


def _entries(history: History, read: str, write: str, cas: str) -> List[_Entry]:
    """Return the operations that take part in the search, ordered by invocation."""
    kinds = {read: READ, write: WRITE, cas: CAS}
    entries = []
    for operation in history.operations():
        kind = kinds.get(operation.op)
        if kind is None or operation.outcome == FAIL:
            continue
        known = operation.outcome == OK
        if kind == READ and not known:
            continue
        assert operation.completion is not None or not known
        result = freeze(operation.completion.value) if operation.completion is not None else None
        end = operation.end if known and operation.end is not None else math.inf
        entries.append(_Entry(operation, kind, freeze(operation.invoke.value), result, known, operation.start, end))
    return entries


def _step(state: Any, entry: _Entry) -> Tuple[bool, Any]:
    """Return (allowed, next state) for applying ``entry`` to a register holding ``state``."""
    if entry.kind == READ:
        return state == entry.result, state
    if entry.kind == WRITE:
        return True, entry.argument
    expected, new = entry.argument
    if state == expected:
        return True, new
    return not entry.known, state  # an unknown cas may have found another value: no effect


def linearize(
    history: History,
    initial: Any = None,
    read: str = READ,
    write: str = WRITE,
    cas: str = CAS,
    max_states: int = 1_000_000,
) -> Tuple[Optional[List[Operation]], List[Operation]]:
    """Search for a linearization of the register operations of ``history``.

    Returns ``(order, stuck)``: ``order`` is the operations in a valid linearization
    (``None`` when there is none) and ``stuck`` is empty, or, when there is none, the
    operations that could come next at the furthest point any order reached (none of them
    fits). Raises :class:`SearchLimitExceeded` after ``max_states`` states, and
    ``ValueError`` for a cas whose invocation value is not ``[expected, new]``.
    """
    entries = _entries(history, read, write, cas)
    for entry in entries:
        if entry.kind == CAS and not (isinstance(entry.argument, tuple) and len(entry.argument) == 2):
            raise ValueError("a cas records [expected, new], not %r" % (entry.argument,))
    full = (1 << len(entries)) - 1
    start_key = (0, freeze(initial))
    parents: Dict[Tuple[int, Any], Optional[Tuple[Tuple[int, Any], int]]] = {start_key: None}
    stack = [start_key]
    deepest = -1
    deepest_candidates: List[int] = []
    while stack:
        key = stack.pop()
        mask, state = key
        if mask == full:
            order: List[Operation] = []
            link = parents[key]
            while link is not None:
                key, index = link
                order.append(entries[index].operation)
                link = parents[key]
            return order[::-1], []
        remaining = [i for i in range(len(entries)) if not mask >> i & 1]
        horizon = min(entries[i].end for i in remaining)
        candidates = [i for i in remaining if entries[i].start <= horizon]
        done = bin(mask).count("1")
        if done > deepest:
            deepest, deepest_candidates = done, candidates
        for index in reversed(candidates):
            allowed, after = _step(state, entries[index])
            if not allowed:
                continue
            child = (mask | 1 << index, after)
            if child in parents:
                continue
            if len(parents) >= max_states:
                raise SearchLimitExceeded("more than %d states for %d operations" % (max_states, len(entries)))
            parents[child] = (key, index)
            stack.append(child)
    return None, [entries[i].operation for i in deepest_candidates]


def check_linearizable_register(
    history: History,
    initial: Any = None,
    read: str = READ,
    write: str = WRITE,
    cas: str = CAS,
    max_states: int = 1_000_000,
) -> List[Violation]:
    """Return ``[]`` if the register operations of ``history`` are linearizable, else one violation.

    The violation carries the operations none of which could be linearized next at the
    furthest point the search reached. Raises as :func:`linearize`.
    """
    order, stuck = linearize(history, initial, read, write, cas, max_states)
    if order is not None:
        return []
    return [Violation(LINEARIZABILITY, _describe(stuck), tuple(stuck))]


def _describe(stuck: Sequence[Operation]) -> str:
    parts = []
    for operation in stuck:
        shown = operation.invoke.value
        if shown is None and operation.completion is not None:
            shown = operation.completion.value  # a read shows what it read
        parts.append("%s %s %r (%s)" % (operation.process, operation.op, shown, operation.outcome))
    return "no linearization; none of these fits next: " + "; ".join(parts)
