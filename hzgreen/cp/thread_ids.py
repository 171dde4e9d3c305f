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
from typing import Any, Tuple

from hzgreen.cp.base import Sink
from hzgreen.protocol.codecs import cp_session as codec
from hzgreen.runtime.invocation import Invocation

#: How many (group, identity) → thread id entries are kept. Forgetting one is harmless:
#: the id only scopes retries of one call, and a call keeps the id it started with.
MAX_ENTRIES = 65536


class ThreadIds:
    """Cluster-unique thread ids of local callers, per CP group."""

    def __init__(self, client: Any, max_entries: int = MAX_ENTRIES) -> None:
        self._client = client
        self._handler = client.handler
        self._lock = client.handler.lock_object()
        self._ids: "OrderedDict[Tuple[Any, int], int]" = OrderedDict()
        self._max = max_entries

    def current(self) -> int:
        """The caller's local identity (thread or greenlet)."""
        return self._handler.current_identity()

    def get(self, group_id: Any, identity: int) -> int:
        return self.get_async(group_id, identity).result()

    def get_async(self, group_id: Any, identity: int) -> Any:
        """The cluster-unique thread id of ``identity`` in ``group_id`` (generated once)."""
        key = (group_id, identity)
        result = self._handler.async_result()
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
        invocation = Invocation(request, Sink(generated, result.set_exception), -1, None,
                                codec.decode_generate_thread_id_response)
        self._client.invocations.invoke(invocation)
        return result

    def clear(self) -> None:
        with self._lock:
            self._ids.clear()

    def __len__(self) -> int:
        return len(self._ids)
