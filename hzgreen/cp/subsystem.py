"""``client.cp``: the entry point to the CP subsystem.

>>> lock = client.cp.get_lock("orders")            # DEFAULT CP group   # doctest: +SKIP
>>> fence = lock.lock()
>>> counter = client.cp.get_atomic_long("seq@billing")  # group "billing", created on demand

Proxies are cached per (structure, name): every ``get_lock("x")`` returns the same
object, so lock ownership is tracked in one place. The CP group id of a name is asked
once (``createCPGroup``, which also creates a missing group) and cached per name, as the
member may answer per object (unsafe mode) or per group (Raft); a group found destroyed
is forgotten, so the next ``get_*`` resolves it again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, Tuple, Type, TypeVar, cast

from hzgreen.cp.atomic_long import AtomicLong
from hzgreen.cp.atomic_reference import AtomicReference
from hzgreen.cp.base import CPProxy
from hzgreen.cp.count_down_latch import CountDownLatch
from hzgreen.cp.fenced_lock import FencedLock
from hzgreen.cp.naming import (
    ATOMIC_LONG_SERVICE,
    ATOMIC_REFERENCE_SERVICE,
    COUNT_DOWN_LATCH_SERVICE,
    LOCK_SERVICE,
    SEMAPHORE_SERVICE,
    CPName,
    parse_name,
)
from hzgreen.cp.routing import LeaderRouter
from hzgreen.cp.semaphore import Semaphore, SessionAwareSemaphore, SessionlessSemaphore
from hzgreen.cp.session import CPSessionEvent, SessionManager
from hzgreen.cp.thread_ids import ThreadIds
from hzgreen.cp.waits import WaitTracker
from hzgreen.protocol.codecs import cp_group as cp_group_codec
from hzgreen.protocol.codecs import semaphore as semaphore_codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext

log = logging.getLogger("hzgreen.cp")

P = TypeVar("P", bound=CPProxy)
T = TypeVar("T")


class CPSubsystem:
    """Factory of the raw CP proxies, owner of the client's CP sessions."""

    def __init__(self, context: "RuntimeContext") -> None:
        self.context = context
        self.session_manager = SessionManager(context)
        self._thread_ids = ThreadIds(context)
        #: Lock and semaphore acquires in flight, and the abandoned ones (see hzgreen.cp.waits).
        self.waits = WaitTracker(context.handler)
        self._lock = context.handler.lock_object()
        self._group_ids: Dict[str, RaftGroupId] = {}
        self._proxies: Dict[Tuple[str, str], CPProxy] = {}
        #: Per CP group, the member connection that answers its calls fastest (its leader).
        self.leaders: LeaderRouter[Connection] = LeaderRouter()
        self._follow_members()
        context.cluster.watch_members(self._follow_members)
        context.add_shutdown_hook(self._shutdown)

    def unlink(self) -> None:
        """Forget the proxies, which point back here (the client was closed: see
        ``HzClient.close``). Returns None."""
        with self._lock:
            self._proxies.clear()

    def _follow_members(self) -> None:
        """Route CP calls by leader only while there is more than one member connection to
        choose from; returns None. Runs on the I/O loop at every member-list change."""
        self.leaders.enabled = self.context.config.smart_routing and len(self.context.cluster.members) > 1

    @property
    def thread_ids(self) -> ThreadIds:
        """The cluster-unique thread ids of local callers (sessionless semaphores use them)."""
        return self._thread_ids

    # -- data structures ------------------------------------------------------------------

    def get_atomic_long(self, name: str) -> AtomicLong:
        """The AtomicLong ``name`` (``"counter"`` or ``"counter@group"``)."""
        return self._get_or_create(ATOMIC_LONG_SERVICE, name, AtomicLong)

    def get_atomic_reference(self, name: str) -> AtomicReference:
        """The AtomicReference ``name``."""
        return self._get_or_create(ATOMIC_REFERENCE_SERVICE, name, AtomicReference)

    def get_count_down_latch(self, name: str) -> CountDownLatch:
        """The CountDownLatch ``name``."""
        return self._get_or_create(COUNT_DOWN_LATCH_SERVICE, name, CountDownLatch)

    def get_lock(self, name: str) -> FencedLock:
        """The FencedLock ``name``."""
        return self._get_or_create(LOCK_SERVICE, name, FencedLock)

    def get_semaphore(self, name: str) -> Semaphore:
        """The Semaphore ``name``: session-aware, or sessionless if the member configures
        that name as ``jdk-compatible``."""
        return self._get_or_create(SEMAPHORE_SERVICE, name, Semaphore)

    def _semaphore_class(self, cp_name: CPName) -> Type[Semaphore]:
        request = semaphore_codec.encode_get_semaphore_type_request(cp_name.proxy_name)
        jdk_compatible = self._call(request, semaphore_codec.decode_get_semaphore_type_response)
        return SessionlessSemaphore if jdk_compatible else SessionAwareSemaphore

    def _get_or_create(self, service_name: str, name: str, factory: Type[P]) -> P:
        """The cached proxy of ``name`` for ``service_name``, created (a ``factory``, or the
        flavour of Semaphore the member configures) on first use."""
        # The service name in a cache key fixes the class of its proxy: the casts are safe.
        cp_name = parse_name(name)
        key = (service_name, cp_name.proxy_name)
        known = self._proxies.get(key)
        if known is not None:
            return cast(P, known)
        group_id = self._group_id(cp_name)
        cls = cast(Type[P], self._semaphore_class(cp_name)) if service_name == SEMAPHORE_SERVICE else factory
        with self._lock:
            proxy = self._proxies.get(key)
            if proxy is None:
                proxy = cls(self, cp_name.proxy_name, cp_name.object_name, group_id)
                self._proxies[key] = proxy
        return cast(P, proxy)

    # -- groups ---------------------------------------------------------------------------------

    def get_group_id(self, name: str) -> RaftGroupId:
        """The :class:`~hzgreen.protocol.custom.RaftGroupId` the member assigns to the CP object
        ``name`` (``"obj"`` or ``"obj@group"``), creating the group if needed.

        With Raft, every object of a group shares the group's id; in unsafe mode (no CP
        members) the member gives each object name a group id of its own.
        """
        return self._group_id(parse_name(name))

    def _group_id(self, cp_name: CPName) -> RaftGroupId:
        group_id = self._group_ids.get(cp_name.proxy_name)
        if group_id is None:
            request = cp_group_codec.encode_create_cp_group_request(cp_name.proxy_name)
            group_id = self._call(request, cp_group_codec.decode_create_cp_group_response)
            with self._lock:
                group_id = self._group_ids.setdefault(cp_name.proxy_name, group_id)
        return group_id

    def group_destroyed(self, group_id: RaftGroupId) -> None:
        """For the proxies: a call found ``group_id`` destroyed; forget it and its proxies.
        Returns None."""
        with self._lock:
            for proxy_name, known in list(self._group_ids.items()):
                if known == group_id:
                    del self._group_ids[proxy_name]
            for key, proxy in list(self._proxies.items()):
                if proxy.group_id == group_id:
                    del self._proxies[key]
        log.warning("CP group %s was destroyed", getattr(group_id, "name", group_id))
        self.leaders.forget((group_id.id, group_id.seed))
        sessions = self.session_manager
        sessions.invalidate(group_id, sessions.session_id(group_id))

    def forget_proxy(self, proxy: CPProxy) -> None:
        """For the proxies: ``proxy`` was destroyed, the next ``get_*`` creates a new one.
        Returns None."""
        with self._lock:
            key = (proxy.service_name, proxy.name)
            if self._proxies.get(key) is proxy:
                del self._proxies[key]

    def _call(self, request: ClientMessage, decode: Callable[[ClientMessage], T]) -> T:
        """Invoke ``request`` and wait; returns ``decode(response)``, raises the call's error."""
        context = self.context
        result: "AsyncResult[T]" = context.handler.async_result()
        context.invocations.invoke(Invocation(request, result, -1, None, decode))
        return result.result()

    # -- sessions --------------------------------------------------------------------------------

    def add_session_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Call ``listener(event)`` on the callback worker when a CP session this client was
        using is lost (:attr:`CPSessionEvent.EXPIRED`) or closed by ``stop()``
        (:attr:`CPSessionEvent.CLOSED`). ``event.holders`` lists the proxies whose
        session-bound state (locks, permits) went with it."""
        self.session_manager.add_listener(listener)

    def remove_session_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Stop calling ``listener``; returns None."""
        self.session_manager.remove_listener(listener)

    def forget_thread_ids(self) -> None:
        """Drop the cached thread ids (they belong to a cluster the client left); returns None."""
        self._thread_ids.clear()

    def _shutdown(self) -> None:
        self.session_manager.shutdown()
        self._thread_ids.clear()

    def __repr__(self) -> str:
        return "CPSubsystem(%d proxies, %d sessions)" % (len(self._proxies), len(self.session_manager.sessions()))
