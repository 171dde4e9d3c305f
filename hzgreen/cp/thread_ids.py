"""Caller identities of CP calls.

Locks and session-aware semaphores name their caller with the local identity the handler
gives (:meth:`~hzgreen.interfaces.IHandler.current_identity`: the OS thread under the
threading handler, the greenlet under gevent); the member tells owners apart by
(session id, identity), so identities only need to be unique within this client.

Sessionless (JDK-compatible) semaphores have no session to scope the identity: they use
a cluster-wide unique id from ``CPSession.generateThreadId``, one per (CP group, local
identity), generated on first use and cached here.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Tuple

from hzgreen.cp.base import Sink
from hzgreen.protocol.codecs import cp_session as codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.runtime.context import RuntimeContext

#: How many (group, identity) → thread id entries are kept. Forgetting one is harmless:
#: the id only scopes retries of one call, and a call keeps the id it started with.
MAX_ENTRIES = 65536


class ThreadIds:
    """Cluster-unique thread ids of local callers, per CP group."""

    def __init__(self, context: "RuntimeContext", max_entries: int = MAX_ENTRIES) -> None:
        self._context = context
        self._handler = context.handler
        self._lock = context.handler.lock_object()
        self._ids: "OrderedDict[Tuple[RaftGroupId, int], int]" = OrderedDict()
        self._max = max_entries

    def current(self) -> int:
        """The caller's local identity (thread or greenlet)."""
        return self._handler.current_identity()

    def get(self, group_id: RaftGroupId, identity: int) -> int:
        """The cluster-unique thread id of ``identity`` in ``group_id`` (generated once)."""
        return self.get_async(group_id, identity).result()

    def get_async(self, group_id: RaftGroupId, identity: int) -> "AsyncResult[int]":
        """:meth:`get` without waiting: the returned result gets the thread id."""
        key = (group_id, identity)
        result: "AsyncResult[int]" = self._handler.async_result()
        with self._lock:
            known = self._ids.get(key)
            if known is not None:
                self._ids.move_to_end(key)
                result.set(known)
                return result

        def generated(thread_id: int) -> None:
            with self._lock:
                thread_id = self._ids.setdefault(key, thread_id)
                while len(self._ids) > self._max:
                    self._ids.popitem(last=False)
            result.set(thread_id)

        request = codec.encode_generate_thread_id_request(group_id)
        invocation = Invocation(
            request, Sink(generated, result.set_exception), -1, None, codec.decode_generate_thread_id_response
        )
        self._context.invocations.invoke(invocation)
        return result

    def clear(self) -> None:
        """Forget every cached id; returns None."""
        with self._lock:
            self._ids.clear()

    def __len__(self) -> int:
        return len(self._ids)
