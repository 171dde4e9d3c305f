"""PNCounter: the CRDT positive-negative counter (``PNCounter`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`.

The counter lives on ``replica_count`` replicas (the first data members of the member
list; the member configuration decides the count). The proxy talks to one of them, chosen
at random and kept while it answers, and sends with every call the replica timestamps (a
vector clock) it has observed so far; the answer carries the replica's own, merged into
the observed ones. This gives session guarantees (monotonic reads, read-your-writes): a
replica that has not yet seen everything this proxy observed refuses the call with
:class:`~hzgreen.exceptions.ConsistencyLostError`.

When the replica fails (its member left, the connection dropped, it refused the call), the
proxy tries the next replica not tried yet, as the official client does. When none can
serve the call, it fails with :class:`~hzgreen.exceptions.ConsistencyLostError` if a replica
refused it for lack of the observed state, otherwise with the last replica's error.
After a ConsistencyLostError, :meth:`PNCounter.reset` forgets the observed timestamps so
the counter can carry on with whatever the surviving replicas hold.
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Set, Tuple, cast

from hzgreen.exceptions import ConsistencyLostError, HzError, NoDataMemberInClusterError
from hzgreen.protocol.codecs import pn_counter as codec
from hzgreen.proxy.base import Proxy
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.custom import MemberInfo
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

#: The replica timestamps as the protocol carries them.
Timestamps = List[Tuple[Optional[uuid.UUID], int]]
#: Builds one request from (observed timestamps, target replica uuid).
Encoder = Callable[[Timestamps, uuid.UUID], "ClientMessage"]

_LONG_MIN = -(2**63)
_LONG_MAX = 2**63 - 1


def check_delta(delta: object) -> int:
    """``delta`` as an int; raises TypeError for a non-int (a bool too), ValueError outside the Java long range."""
    if isinstance(delta, bool) or not isinstance(delta, int):
        raise TypeError("delta must be an int, got %r" % (delta,))
    if not _LONG_MIN <= delta <= _LONG_MAX:
        raise ValueError("delta must fit a 64-bit signed long, got %r" % (delta,))
    return delta


class _Call:
    """One counter operation: the outer result, the replicas tried so far and the errors they gave.

    Stands in for the future of each attempt's invocation (the invocation service calls
    ``set`` / ``set_exception`` on it from wherever the attempt completes).
    """

    __slots__ = ("counter", "encode", "result", "excluded", "errors", "target")

    def __init__(self, counter: "PNCounter", encode: Encoder, result: "AsyncResult[int]") -> None:
        self.counter = counter
        self.encode = encode
        self.result = result
        self.excluded: Set[uuid.UUID] = set()
        self.errors: List[BaseException] = []
        self.target: Optional[uuid.UUID] = None

    def set(self, value: object = None) -> None:
        """The attempt's answer (``(value, timestamps)``) arrived; returns None."""
        answer = cast("Tuple[int, Timestamps]", value)  # what _answer returned
        self.counter._observe(answer[1])
        self.result.set(answer[0])

    def set_exception(self, error: BaseException) -> None:
        """The attempt failed: try the next replica (on a task of the handler's); returns None."""
        if self.target is not None:
            self.excluded.add(self.target)
        self.errors.append(error)
        self.counter._handler.spawn(self.counter._attempt, self)


class _Counted:
    """Stands in for the future of the replica-count request that precedes a proxy's first call."""

    __slots__ = ("call",)

    def __init__(self, call: _Call) -> None:
        self.call = call

    def set(self, value: object = None) -> None:
        """The configured count arrived: remember it, then run the call (on a task); returns None."""
        counter = self.call.counter
        counter._max_replica_count = max(cast(int, value), 1)
        counter._handler.spawn(counter._attempt, self.call)

    def set_exception(self, error: BaseException) -> None:
        """The count could not be read: the call fails with that error; returns None."""
        self.call.result.set_exception(error)


def _answer(message: ClientMessage) -> Tuple[int, Timestamps]:
    # Get and add answers have the same layout.
    decoded = codec.decode_add_response(message)
    return decoded["value"], decoded["replica_timestamps"]


def _exhausted(errors: List[BaseException]) -> BaseException:
    """The error of a call no replica could serve: a ConsistencyLostError if one was refused for it."""
    for error in errors:
        if isinstance(error, ConsistencyLostError):
            return error
    return errors[-1]


class PNCounter(Proxy):
    """A CRDT counter; see the module docstring for how replicas are chosen and what fails when."""

    service_name = "hz:impl:PNCounterService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        self._lock = context.handler.lock_object()
        self._observed: Dict[uuid.UUID, int] = {}
        self._max_replica_count = 0
        self._target: Optional[MemberInfo] = None

    # -- operations ---------------------------------------------------------------------

    def get_async(self) -> AsyncResult[int]:
        """The current value, as the chosen replica sees it."""
        name = self.name
        return self._start(lambda ts, target: codec.encode_get_request(name, ts, target))

    def get(self) -> int:
        """Returns the counter's value as the chosen replica sees it. Raises HzTimeoutError past
        ``invocation_timeout``, or the member's error (ConsistencyLostError when no replica has seen
        what this proxy observed)."""
        return self.get_async().get()

    def get_and_add_async(self, delta: int) -> AsyncResult[int]:
        """Add ``delta``; the result is the value before. Raises TypeError/ValueError for a bad ``delta``."""
        return self._add(check_delta(delta), True)

    def get_and_add(self, delta: int) -> int:
        """Adds ``delta``; returns the value before. Raises TypeError/ValueError for a bad ``delta``,
        HzTimeoutError past ``invocation_timeout``, or the member's error (ConsistencyLostError when no
        replica has seen what this proxy observed)."""
        return self.get_and_add_async(delta).get()

    def add_and_get_async(self, delta: int) -> AsyncResult[int]:
        """Add ``delta``; the result is the value after. Raises TypeError/ValueError for a bad ``delta``."""
        return self._add(check_delta(delta), False)

    def add_and_get(self, delta: int) -> int:
        """Adds ``delta``; returns the value after. Raises TypeError/ValueError for a bad ``delta``,
        HzTimeoutError past ``invocation_timeout``, or the member's error (ConsistencyLostError when no
        replica has seen what this proxy observed)."""
        return self.add_and_get_async(delta).get()

    def get_and_subtract_async(self, delta: int) -> AsyncResult[int]:
        """Subtract ``delta``; the result is the value before. Raises TypeError/ValueError for a bad ``delta``."""
        return self._add(-check_delta(delta), True)

    def get_and_subtract(self, delta: int) -> int:
        """Subtracts ``delta``; returns the value before. Raises TypeError/ValueError for a bad ``delta``,
        HzTimeoutError past ``invocation_timeout``, or the member's error (ConsistencyLostError when no
        replica has seen what this proxy observed)."""
        return self.get_and_subtract_async(delta).get()

    def subtract_and_get_async(self, delta: int) -> AsyncResult[int]:
        """Subtract ``delta``; the result is the value after. Raises TypeError/ValueError for a bad ``delta``."""
        return self._add(-check_delta(delta), False)

    def subtract_and_get(self, delta: int) -> int:
        """Subtracts ``delta``; returns the value after. Raises TypeError/ValueError for a bad ``delta``,
        HzTimeoutError past ``invocation_timeout``, or the member's error (ConsistencyLostError when no
        replica has seen what this proxy observed)."""
        return self.subtract_and_get_async(delta).get()

    def get_and_increment_async(self) -> AsyncResult[int]:
        """Add 1; the result is the value before."""
        return self._add(1, True)

    def get_and_increment(self) -> int:
        """Adds 1; returns the value before. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (ConsistencyLostError when no replica has seen what this proxy observed)."""
        return self.get_and_increment_async().get()

    def increment_and_get_async(self) -> AsyncResult[int]:
        """Add 1; the result is the value after."""
        return self._add(1, False)

    def increment_and_get(self) -> int:
        """Adds 1; returns the value after. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (ConsistencyLostError when no replica has seen what this proxy observed)."""
        return self.increment_and_get_async().get()

    def get_and_decrement_async(self) -> AsyncResult[int]:
        """Subtract 1; the result is the value before."""
        return self._add(-1, True)

    def get_and_decrement(self) -> int:
        """Subtracts 1; returns the value before. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (ConsistencyLostError when no replica has seen what this proxy observed)."""
        return self.get_and_decrement_async().get()

    def decrement_and_get_async(self) -> AsyncResult[int]:
        """Subtract 1; the result is the value after."""
        return self._add(-1, False)

    def decrement_and_get(self) -> int:
        """Subtracts 1; returns the value after. Raises HzTimeoutError past ``invocation_timeout``, or the
        member's error (ConsistencyLostError when no replica has seen what this proxy observed)."""
        return self.decrement_and_get_async().get()

    def reset_async(self) -> AsyncResult[None]:
        """Like :meth:`reset` (nothing is sent: the result is already set)."""
        self.reset()
        done: AsyncResult[None] = self._handler.async_result()
        done.set(None)
        return done

    def reset(self) -> None:
        """Forget the observed replica timestamps (after a ConsistencyLostError); returns None.

        The next call accepts whatever state the replica it reaches holds: updates that
        only a lost replica had seen may be gone.
        """
        with self._lock:
            self._observed = {}

    # -- plumbing -----------------------------------------------------------------------

    def _add(self, delta: int, get_before_update: bool) -> AsyncResult[int]:
        name = self.name
        return self._start(lambda ts, target: codec.encode_add_request(name, delta, get_before_update, ts, target))

    def _start(self, encode: Encoder) -> AsyncResult[int]:
        """Run one operation against a replica; the result is the counter's value it answers."""
        result: AsyncResult[int] = self._handler.async_result()
        call = _Call(self, encode, result)
        if self._max_replica_count > 0:
            self._attempt(call)
            return result

        self._invocations.invoke(
            Invocation(
                codec.encode_get_configured_replica_count_request(self.name),
                _Counted(call),
                -1,
                None,
                codec.decode_get_configured_replica_count_response,
                None,
                False,
                self.name,
            )
        )
        return result

    def _attempt(self, call: _Call) -> None:
        """Send ``call`` to the current replica, or fail it when none is left; returns None."""
        target = self._choose_target(call.excluded)
        if target is None:
            if call.errors:
                call.result.set_exception(_exhausted(call.errors))
            else:
                call.result.set_exception(
                    NoDataMemberInClusterError(
                        "PNCounter %r: the cluster has no data member to hold a replica" % (self.name,)
                    )
                )
            return
        call.target = target.uuid
        with self._lock:
            observed: Timestamps = list(self._observed.items())
        try:
            request = call.encode(observed, target.uuid)
        except HzError as error:
            call.result.set_exception(error)
            return
        connection = None
        for candidate in self._context.connections.active_connections:
            if candidate.member_uuid == target.uuid and candidate.alive:
                connection = candidate
                break
        # Pinned to the replica's connection when there is one; otherwise any member forwards it.
        self._invocations.invoke(Invocation(request, call, -1, connection, _answer, None, False, self.name))

    def _choose_target(self, excluded: Set[uuid.UUID]) -> Optional[MemberInfo]:
        """The replica to talk to: the current one while it serves, else a random one not in ``excluded``."""
        cluster = self._context.cluster
        with self._lock:
            target = self._target
            if target is not None and target.uuid not in excluded and cluster.get_member(target.uuid) is not None:
                return target
            data_members = [member for member in cluster.members if not member.lite_member]
            replicas = [m for m in data_members[: self._max_replica_count] if m.uuid not in excluded]
            self._target = random.choice(replicas) if replicas else None
            return self._target

    def _observe(self, timestamps: Timestamps) -> None:
        """Merge a replica's timestamps into the observed ones (the newer of each entry); returns None."""
        with self._lock:
            observed = dict(self._observed)
            for replica, timestamp in timestamps:
                if replica is not None and timestamp > observed.get(replica, _LONG_MIN):
                    observed[replica] = timestamp
            self._observed = observed
