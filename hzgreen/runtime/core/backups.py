"""Backup acknowledgements: when a backup-aware call may complete.

A smart client sets BACKUP_AWARE on its requests and listens for backup events on every
connection (``Client.localBackupListener``). The member then answers a mutating call at
once, with the number of backups still to confirm in the response header, and each
backup replica sends the client one event carrying the call's correlation id when it has
applied its copy. :class:`BackupAcks` decides when such a call is complete: when its
response and every ack are in (in whatever order they come), or when
``operation_backup_timeout`` has passed since the response. Then the call completes with
its response, or fails with IndeterminateOperationStateError under
``fail_on_indeterminate_operation_state``.

It never completes anything itself: each method returns what the driver
(:mod:`hzgreen.runtime.backup_acks`) must do. Acks that arrive before the response are
counted under the correlation id while the request is pending (``is_pending``); acks for
a call already complete, timed out or never sent are dropped, and counts left behind by
a call that never got its response are dropped at the next :meth:`BackupAcks.expire`.
The timeout is the same for every call, so the waiting calls form a FIFO queue and an
``expire`` with nothing due costs O(1).

Threads: the driver feeds everything from the I/O loop; ``shutdown`` may come from any
thread and only swaps the tables.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, Generic, List, Optional, Tuple, TypeVar, Union

from hzgreen.protocol.message import ClientMessage
from hzgreen.server_errors import IndeterminateOperationStateError

__all__ = ["BackupAcks", "Complete", "Indeterminate"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Complete(Generic[T]):
    """Complete ``invocation`` with its ``response`` (all acks in, or the timeout passed)."""

    invocation: T
    response: ClientMessage


@dataclass(frozen=True, slots=True)
class Indeterminate(Generic[T]):
    """Fail ``invocation`` with ``error``: its backups were not all confirmed in time."""

    invocation: T
    error: IndeterminateOperationStateError


Outcome = Union[Complete[T], Indeterminate[T]]


def indeterminate_error(
    operation: str, expected: int, received: int, timeout: float
) -> IndeterminateOperationStateError:
    """The error of a call whose backups were not confirmed in time; returns it, never raises."""
    return IndeterminateOperationStateError(
        "%s: %d of %d backup acknowledgements received within %s s (operation_backup_timeout)"
        % (operation, received, expected, ("%g" % timeout))
    )


class BackupAcks(Generic[T]):
    """The calls answered by their member and still waiting for backup acks.

    ``timeout`` is ``operation_backup_timeout``; ``fail_on_indeterminate`` is
    ``fail_on_indeterminate_operation_state``; ``is_pending(correlation_id)`` says whether
    a request sent under that id still waits for its response; ``describe(invocation)``
    names the operation for the error.
    """

    def __init__(
        self,
        timeout: float,
        fail_on_indeterminate: bool,
        is_pending: Callable[[int], bool],
        describe: Callable[[T], str],
    ) -> None:
        self.timeout = timeout
        self.fail_on_indeterminate = fail_on_indeterminate
        self._is_pending = is_pending
        self._describe = describe
        #: correlation id -> acks received so far (before or after the response)
        self.acks: Dict[int, int] = {}
        #: correlation id -> (invocation, its response, acks expected)
        self.waiting: Dict[int, Tuple[T, ClientMessage, int]] = {}
        #: (deadline, correlation id) in the order the responses came
        self._queue: Deque[Tuple[float, int]] = deque()

    def on_response(
        self, correlation_id: int, invocation: T, response: ClientMessage, expected: int, now: float
    ) -> bool:
        """The response of ``invocation`` came at ``now``, announcing ``expected`` backup acks.

        Returns True when the call may complete now (every ack already came, or none is
        expected); False when it waits (:meth:`on_ack` or :meth:`expire` will say when).
        """
        received = self.acks.pop(correlation_id, 0) if self.acks else 0
        if received >= expected:
            return True
        if received:
            self.acks[correlation_id] = received
        self.waiting[correlation_id] = (invocation, response, expected)
        self._queue.append((now + self.timeout, correlation_id))
        return False

    def on_ack(self, correlation_id: int) -> Optional[Complete[T]]:
        """A backup replica confirmed the call sent under ``correlation_id``.

        Returns :class:`Complete` when that was the last ack its answered call waited for;
        None otherwise (counted for a call not answered yet; dropped for anything else:
        a duplicate, a call already complete or timed out, an unknown id).
        """
        entry = self.waiting.get(correlation_id)
        if entry is None:
            if self._is_pending(correlation_id):
                self.acks[correlation_id] = self.acks.get(correlation_id, 0) + 1
            return None
        received = self.acks.get(correlation_id, 0) + 1
        if received < entry[2]:
            self.acks[correlation_id] = received
            return None
        del self.waiting[correlation_id]
        self.acks.pop(correlation_id, None)
        return Complete(entry[0], entry[1])

    def expire(self, now: float) -> List[Outcome[T]]:
        """Returns the outcome of every call whose backup timeout is ``<= now``, oldest first.

        :class:`Complete` with its response, or :class:`Indeterminate` under
        ``fail_on_indeterminate``. Also drops the ack counts of requests no longer pending
        and never answered (lost with their connection, timed out).
        """
        queue = self._queue
        outcomes: List[Outcome[T]] = []
        while queue and queue[0][0] <= now:
            correlation_id = queue.popleft()[1]
            entry = self.waiting.pop(correlation_id, None)
            if entry is None:
                continue
            received = self.acks.pop(correlation_id, 0)
            invocation, response, expected = entry
            if self.fail_on_indeterminate:
                error = indeterminate_error(self._describe(invocation), expected, received, self.timeout)
                outcomes.append(Indeterminate(invocation, error))
            else:
                outcomes.append(Complete(invocation, response))
        acks = self.acks
        if len(acks) > len(self.waiting):
            is_pending = self._is_pending
            waiting = self.waiting
            for correlation_id in [cid for cid in list(acks) if cid not in waiting and not is_pending(cid)]:
                acks.pop(correlation_id, None)
        return outcomes

    def next_deadline(self) -> Optional[float]:
        """When the oldest waiting call times out; None when none waits (or only dead entries)."""
        return self._queue[0][0] if self._queue else None

    def shutdown(self) -> List[T]:
        """The client stops: returns every call still waiting for acks and forgets them all."""
        waiting, self.waiting = self.waiting, {}
        self.acks = {}
        self._queue = deque()
        return [entry[0] for entry in waiting.values()]
