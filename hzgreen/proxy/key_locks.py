"""Pessimistic per-key locks, as Map and MultiMap share them: ``lock``, ``try_lock``,
``unlock``, ``is_locked`` and ``force_unlock``.

A key's lock is owned by the caller: the OS thread under the threading handler, the
greenlet under the gevent handler (``handler.current_identity()``), within this client.
Locks are reentrant: the owner must unlock as many times as it locked. Every lock request
carries a fresh reference id, so a request the invocation service sends again (after a
connection loss) is not applied twice by the member.

Waiting calls are not cut short by ``invocation_timeout``: ``lock`` has no deadline,
``try_lock`` waits ``timeout`` plus ``invocation_timeout`` for the answer. When the
synchronous ``lock``/``try_lock`` is abandoned (a gevent Timeout, a killed greenlet, an
interrupt), a lock the member grants afterwards is given back, so no key stays locked by
a caller that stopped waiting. The ``_async`` forms leave that to the caller.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, Protocol, Tuple, TypeVar

from hzgreen.proxy.base import Proxy, to_millis
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

__all__ = ["FOREVER", "KeyLockMixin", "LockCodec", "next_reference_id"]

T = TypeVar("T")

FOREVER = float("inf")

#: Reference ids of lock requests: unique within the process, so within each client.
_reference_ids = itertools.count(1)


def next_reference_id() -> int:
    """Returns a reference id no other lock request of this process carries."""
    return next(_reference_ids)


class LockCodec(Protocol):
    """The lock functions of a structure's codec module (``map`` and ``multi_map`` have them)."""

    def encode_lock_request(self, name: str, key: bytes, thread_id: int, ttl: int, reference_id: int) -> ClientMessage:
        """Returns the ``lock`` request message for these arguments (already serialized). Raises nothing."""

    def encode_try_lock_request(
        self, name: str, key: bytes, thread_id: int, lease: int, timeout: int, reference_id: int
    ) -> ClientMessage:
        """Returns the ``try_lock`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_try_lock_response(self, msg: ClientMessage) -> bool:
        """Returns the result of a ``try_lock`` read from the member's response ``message``. Raises
        nothing."""

    def encode_unlock_request(self, name: str, key: bytes, thread_id: int, reference_id: int) -> ClientMessage:
        """Returns the ``unlock`` request message for these arguments (already serialized). Raises nothing."""

    def encode_is_locked_request(self, name: str, key: bytes) -> ClientMessage:
        """Returns the ``is_locked`` request message for these arguments (already serialized). Raises
        nothing."""

    def decode_is_locked_response(self, msg: ClientMessage) -> bool:
        """Returns the result of a ``is_locked`` read from the member's response ``message``. Raises
        nothing."""

    def encode_force_unlock_request(self, name: str, key: bytes, reference_id: int) -> ClientMessage:
        """Returns the ``force_unlock`` request message for these arguments (already serialized). Raises
        nothing."""


class KeyLockMixin(Proxy):
    """Per-key locks; ``_lock_codec`` is the structure's codec module, ``_lock_log`` the logger
    that hears of a lock that could not be given back."""

    _lock_codec: ClassVar[LockCodec]
    _lock_log: ClassVar[logging.Logger]

    def _invoke_waiting(
        self,
        request: ClientMessage,
        key_data: bytes,
        response_handler: Callable[[ClientMessage], T],
        wait: Optional[float],
    ) -> AsyncResult[T]:
        """Send ``request`` to the key's owner with a deadline of ``wait`` seconds (FOREVER: none;
        None: the invocation service's default) plus ``invocation_timeout``; the result is
        ``response_handler(response)``."""
        future: AsyncResult[T] = self._handler.async_result()
        invocation = Invocation(
            request, future, self._partitions.partition_id_of(key_data), None, response_handler, None, False, self.name
        )
        if wait is not None:
            invocation.deadline = (
                FOREVER
                if wait == FOREVER
                else self._handler.monotonic() + wait + self._context.config.invocation_timeout
            )
            invocation.timeout_source = "lock wait" if wait == FOREVER else "timeout + invocation_timeout"
        self._invocations.invoke(invocation)
        return future

    def _wait_or_give_back(self, future: AsyncResult[T], key_data: bytes, thread_id: int) -> T:
        """``future.get()``; if the wait is abandoned, a lock the member grants later is given back.

        Returns the result; raises what the wait raised."""
        try:
            return future.get()
        except BaseException:
            name = self.name
            codec = self._lock_codec
            log = self._lock_log

            def logged(done: AsyncResult[Any]) -> None:
                if not done.successful():
                    log.warning("could not give back a lock abandoned by its caller: %r", done.exception)

            def granted(done: AsyncResult[Any]) -> None:
                if done.successful() and done.get() is not False:
                    request = codec.encode_unlock_request(name, key_data, thread_id, next_reference_id())
                    self._invoke_on_key(request, key_data).add_done_callback(logged)

            future.add_done_callback(granted)
            raise

    def _lock_request(self, key: Any, lease_time: Optional[float], thread_id: int) -> Tuple[bytes, ClientMessage]:
        """``(key data, request)`` of a lock; raises ValueError for a None key, TypeError/ValueError
        for a bad ``lease_time``."""
        key_data = self._key_data(key)
        lease = to_millis(lease_time, "lease_time")
        return key_data, self._lock_codec.encode_lock_request(
            self.name, key_data, thread_id, lease, next_reference_id()
        )

    def _try_lock_request(
        self, key: Any, lease_time: Optional[float], timeout: float, thread_id: int
    ) -> Tuple[bytes, ClientMessage, Optional[float]]:
        """``(key data, request, wait)`` of a try_lock (wait None for ``timeout`` 0).

        Raises ValueError for a None key, TypeError/ValueError for bad times."""
        key_data = self._key_data(key)
        lease = to_millis(lease_time, "lease_time")
        if timeout is None:
            raise ValueError("timeout must be a number of seconds (0: do not wait), not None")
        timeout_ms = to_millis(timeout, "timeout")
        request = self._lock_codec.encode_try_lock_request(
            self.name, key_data, thread_id, lease, timeout_ms, next_reference_id()
        )
        return key_data, request, (timeout_ms / 1000.0) if timeout_ms else None

    # -- locking ---------------------------------------------------------------------------

    def lock_async(self, key: Any, lease_time: Optional[float] = None) -> AsyncResult[None]:
        """Like :meth:`lock`; the result is set (None) once the lock is held.

        Raises ValueError for a None key, TypeError/ValueError for a bad ``lease_time``.
        """
        key_data, request = self._lock_request(key, lease_time, self._handler.current_identity())
        return self._invoke_waiting(request, key_data, _none, FOREVER)

    def lock(self, key: Any, lease_time: Optional[float] = None) -> None:
        """Lock ``key`` for the calling thread or greenlet (reentrant), waiting as long as it takes.

        ``lease_time`` (seconds; None: until unlocked) frees the lock automatically that
        long after it is granted. Returns None once granted. Raises ValueError for a None
        key, TypeError/ValueError for a bad ``lease_time``, ConnectionLoss if the
        connection is lost while waiting.
        """
        thread_id = self._handler.current_identity()
        key_data, request = self._lock_request(key, lease_time, thread_id)
        self._wait_or_give_back(self._invoke_waiting(request, key_data, _none, FOREVER), key_data, thread_id)

    def try_lock_async(self, key: Any, lease_time: Optional[float] = None, timeout: float = 0) -> AsyncResult[bool]:
        """Like :meth:`try_lock`; the result is whether the lock was acquired.

        Raises ValueError for a None key, TypeError/ValueError for a bad ``lease_time`` or ``timeout``.
        """
        key_data, request, wait = self._try_lock_request(key, lease_time, timeout, self._handler.current_identity())
        return self._invoke_waiting(request, key_data, self._lock_codec.decode_try_lock_response, wait)

    def try_lock(self, key: Any, lease_time: Optional[float] = None, timeout: float = 0) -> bool:
        """Lock ``key`` if it is free within ``timeout`` seconds (0: do not wait).

        ``lease_time`` as for :meth:`lock`. Returns True if the caller now holds the
        lock, False if the timeout passed first. Raises ValueError for a None key and
        TypeError/ValueError for a bad ``lease_time`` or ``timeout``.
        """
        thread_id = self._handler.current_identity()
        key_data, request, wait = self._try_lock_request(key, lease_time, timeout, thread_id)
        future = self._invoke_waiting(request, key_data, self._lock_codec.decode_try_lock_response, wait)
        return self._wait_or_give_back(future, key_data, thread_id)

    def unlock_async(self, key: Any) -> AsyncResult[None]:
        """Like :meth:`unlock`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = self._lock_codec.encode_unlock_request(
            self.name, key_data, self._handler.current_identity(), next_reference_id()
        )
        return self._invoke_on_key(request, key_data, _none)

    def unlock(self, key: Any) -> None:
        """Release one hold of the caller's lock on ``key``; returns None.

        Raises ValueError for a None key and the member's IllegalMonitorState error
        (:mod:`hzgreen.server_errors`) when the caller does not hold the lock."""
        self.unlock_async(key).get()

    def is_locked_async(self, key: Any) -> AsyncResult[bool]:
        """Like :meth:`is_locked`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        codec = self._lock_codec
        return self._invoke_on_key(
            codec.encode_is_locked_request(self.name, key_data), key_data, codec.decode_is_locked_response
        )

    def is_locked(self, key: Any) -> bool:
        """Returns whether anyone (any client or member) holds the lock of ``key``; raises ValueError for None."""
        return self.is_locked_async(key).get()

    def force_unlock_async(self, key: Any) -> AsyncResult[None]:
        """Like :meth:`force_unlock`; raises ValueError for a None key before sending."""
        key_data = self._key_data(key)
        request = self._lock_codec.encode_force_unlock_request(self.name, key_data, next_reference_id())
        return self._invoke_on_key(request, key_data, _none)

    def force_unlock(self, key: Any) -> None:
        """Free the lock of ``key`` whoever holds it, however many times; returns None.

        Raises ValueError for a None key."""
        self.force_unlock_async(key).get()
