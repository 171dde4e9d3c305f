"""CountDownLatch: a linearizable, reusable count-down latch in a CP group (``ICountDownLatch``).

``try_set_count(n)`` arms it (only when its count is 0), ``count_down()`` decrements it,
``await_latch(timeout)`` waits until it reaches 0. Each arming starts a new *round*; a
count-down carries the round it saw and a uid, so a retried count-down is applied once.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Optional

from hzgreen.cp.base import CPProxy, check_positive, check_timeout, decode_nothing, new_invocation_uid, timeout_millis
from hzgreen.cp.naming import COUNT_DOWN_LATCH_SERVICE
from hzgreen.protocol.codecs import count_down_latch as codec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

#: What "wait forever" is sent as: the member reads a negative timeout as "do not wait",
#: and members older than 5.x overflow on Long.MAX_VALUE. 2**62 ms is 146 million years.
FOREVER_MILLIS = 1 << 62


class CountDownLatch(CPProxy):
    """A distributed latch: waiters are released when the count reaches zero."""

    service_name = COUNT_DOWN_LATCH_SERVICE

    def try_set_count(self, count: int) -> bool:
        """Set the count to ``count`` (> 0) if it is 0 now; True if it was set."""
        return self.try_set_count_async(count).result()

    def try_set_count_async(self, count: int) -> "AsyncResult[bool]":
        """:meth:`try_set_count` without waiting."""
        check_positive(count, "count")
        request = codec.encode_try_set_count_request(self.group_id, self.object_name, count)
        return self._invoke(request, codec.decode_try_set_count_response)

    def get_count(self) -> int:
        """The current count (0 once released)."""
        return self.get_count_async().result()

    def get_count_async(self) -> "AsyncResult[int]":
        """:meth:`get_count` without waiting."""
        request = codec.encode_get_count_request(self.group_id, self.object_name)
        return self._invoke(request, codec.decode_get_count_response)

    def count_down(self) -> None:
        """Decrement the count; at zero every waiter is released. No-op when already 0."""
        self._count_down(new_invocation_uid())

    def count_down_async(self) -> "AsyncResult[None]":
        """:meth:`count_down` without waiting."""
        return self._spawn_async(self._count_down, new_invocation_uid())

    def _count_down(self, uid: uuid.UUID) -> None:
        # The round pins the count-down to the current arming of the latch: a retry of
        # this call after a lost response cannot decrement a later round.
        round_request = codec.encode_get_round_request(self.group_id, self.object_name)
        expected_round = self._invoke(round_request, codec.decode_get_round_response).result()
        request = codec.encode_count_down_request(self.group_id, self.object_name, uid, expected_round)
        self._invoke(request, decode_nothing).result()

    def await_latch(self, timeout: Optional[float] = None) -> bool:
        """Wait until the count is 0 or ``timeout`` seconds passed (None: forever).

        True if the count reached 0, False on timeout. The wait happens on the member:
        under gevent only the calling greenlet waits.
        """
        return self.await_latch_async(timeout).result()

    def await_latch_async(self, timeout: Optional[float] = None) -> "AsyncResult[bool]":
        """:meth:`await_latch` without waiting."""
        timeout = check_timeout(timeout)
        millis = FOREVER_MILLIS if timeout is None else timeout_millis(timeout)
        request = codec.encode_await_request(self.group_id, self.object_name, new_invocation_uid(), millis)
        return self._invoke(request, codec.decode_await_response, self._wait_deadline(timeout))
