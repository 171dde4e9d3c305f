"""CP sessions: one per CP group, created on first need, heartbeated, closed on stop().

A CP session ties this client's session-bound state (FencedLock ownership, permits of
session-aware semaphores) to its liveness: the member expires a session that is not
heartbeated for its TTL and then releases everything held through it.

* A session is created lazily by the first call that needs one (``createSession``) and
  reference-counted: every held lock, held permit and in-flight call counts.
* While its count is above zero it is heartbeated every ``heartbeatMillis`` the member
  gave; an unused session is left to expire and is replaced when next needed. Heartbeats
  are sent from their own loop straight to a connection: they never wait for user calls.
* ``stop()`` closes every session (a shutdown hook, while the connections are up).

**The lease.** A heartbeat the member acknowledged proves the session was alive when it
was *sent*, so the member cannot expire it before ``sent + TTL``. The client vouches for
a session (and for what is held through it) only until ``last acknowledged send + TTL -
margin``, where the margin, ``max(min(heartbeat period, TTL / 2), TTL / 5)``, absorbs
clock-rate differences and the member's own delays. :meth:`SessionManager.lease_deadline`
answers that synchronously: ownership questions (``Lock.is_acquired``,
``Election.is_leader``) turn False as soon as the lease runs out, even in a process that
was frozen and has not run a single line since -- before any reply could tell it.

**The end of a session.** A session is over only when the member says so (a heartbeat or
a session call answered with SESSION_EXPIRED / CP_GROUP_DESTROYED), when the client
reconnected to another cluster, or when a whole TTL passed since the last acknowledged
heartbeat *while the client is not connected* (the session is then *presumed* expired,
forgotten, and closed on the member as soon as it is reachable so nothing stays held by
it). A heartbeat reply that is merely late, while connected, never ends a session: the
lease runs out meanwhile, and the next acknowledgement renews it.

An expired session that was in use is *surfaced*, right where the loss was found (the
I/O path, the heartbeat loop, the state transition), never behind user callbacks: the
proxies that held state through it are told at once, then session listeners get a
:class:`CPSessionEvent` on the callback worker, and the client's state goes to LOST
(CONNECTED → LOST → CONNECTED while connected, SUSPENDED → LOST while disconnected; the
reconnect then brings LOST → CONNECTED). LOST is reported once per incident: a session
lost without having been acknowledged alive since the last LOST belongs to that LOST.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Protocol, Tuple

from hzgreen.cp.base import Sink
from hzgreen.exceptions import ClientNotActiveError, CPGroupDestroyedError, SessionExpiredError
from hzgreen.protocol.codecs import cp_session as codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.runtime.invocation import Invocation
from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Event, TaskHandle
    from hzgreen.runtime.context import RuntimeContext

log = logging.getLogger("hzgreen.cp.session")

NO_SESSION_ID = -1

#: Wait for the closeSession answers at stop() at most this long (seconds).
CLOSE_TIMEOUT = 5.0


class CPSessionEvent:
    """A CP session this client was using is gone.

    ``reason`` is :attr:`EXPIRED` (the member expired it, the group was destroyed, the
    client reconnected to another cluster, or no heartbeat was acknowledged for a TTL
    while disconnected) or :attr:`CLOSED` (``stop()`` closed it). ``holders`` are the
    proxies that held session-bound state through it (locks, permits): that state is lost.

    Recipes also hand :attr:`LEASE_EXPIRED` to their ``on_lost`` when they gave up
    something because the session's lease ran out (no heartbeat acknowledged for the TTL
    minus the margin) before the member could say whether the session still lives.
    """

    EXPIRED = "EXPIRED"
    CLOSED = "CLOSED"
    LEASE_EXPIRED = "LEASE_EXPIRED"

    __slots__ = ("group_id", "session_id", "reason", "holders")

    def __init__(
        self, group_id: RaftGroupId, session_id: int, reason: str, holders: Tuple["SessionHolder", ...]
    ) -> None:
        self.group_id = group_id
        self.session_id = session_id
        self.reason = reason
        self.holders = holders

    def __repr__(self) -> str:
        return "CPSessionEvent(group=%r, session_id=%d, reason=%s, holders=%r)" % (
            getattr(self.group_id, "name", self.group_id),
            self.session_id,
            self.reason,
            self.holders,
        )


class SessionHolder(Protocol):
    """A proxy holding session-bound state (a FencedLock, a session-aware Semaphore)."""

    def _bound_to(self, group_id: RaftGroupId, session_id: int) -> bool:
        """True if it holds something through session ``session_id`` of ``group_id``."""
        ...

    def _session_lost(self, event: CPSessionEvent) -> None:
        """That session is gone (quick, never blocks); returns None."""
        ...


def lease_margin(ttl: float, period: float) -> float:
    """How long before ``last acknowledged send + ttl`` the client stops vouching for a
    session: ``max(min(period, ttl / 2), ttl / 5)`` seconds (2 s for a 10 s TTL and a 1 s
    heartbeat, 60 s for Hazelcast's default 300 s TTL)."""
    return max(min(period, ttl / 2), ttl / 5)


class _Session:
    __slots__ = ("group_id", "id", "ttl", "period", "margin", "last_ok", "acquired", "cluster_id")

    def __init__(
        self,
        group_id: RaftGroupId,
        session_id: int,
        ttl: float,
        period: float,
        now: float,
        cluster_id: Optional[uuid.UUID],
    ) -> None:
        self.group_id = group_id
        self.id = session_id
        self.ttl = ttl
        self.period = period
        self.margin = lease_margin(ttl, period)
        self.last_ok = now  # when the last acknowledged heartbeat (or the creation) was sent
        self.acquired = 0
        self.cluster_id = cluster_id

    def lease_end(self) -> float:
        """Until when (handler clock) the session is surely alive on the member."""
        return self.last_ok + self.ttl - self.margin

    def usable(self, now: float) -> bool:
        """In use (kept alive by heartbeats), or idle with its lease good for a while yet
        (a heartbeat period, at most a tenth of the TTL): a hold taken through it is
        vouched for at once, and the heartbeat sent on reuse renews the lease in time."""
        return self.acquired > 0 or now < self.lease_end() - min(self.period, self.ttl / 10)


class SessionManager:
    """The client's CP sessions (one per CP group) and their heartbeats."""

    def __init__(self, context: "RuntimeContext") -> None:
        self._context = context
        self._handler = context.handler
        self._lock = context.handler.rlock_object()
        self._sessions: Dict[RaftGroupId, _Session] = {}
        self._creating: Dict[RaftGroupId, List[Tuple[int, "AsyncResult[int]"]]] = {}
        self._holders: List[SessionHolder] = []
        self._listeners: List[Callable[[CPSessionEvent], Any]] = []
        # (group id, session id, cluster id)
        self._to_close: List[Tuple[RaftGroupId, int, Optional[uuid.UUID]]] = []
        self._period: Optional[float] = None
        self._loop: Optional["TaskHandle"] = None
        self._wake: Optional["Event"] = None
        self._stopping = False
        self._reporting = False  # our own LOST transition is under way
        self._lost_reported_at = float("-inf")
        self._paused = False
        context.state.add_observer(self.on_state)

    # -- listeners and holders -----------------------------------------------------------

    def add_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Call ``listener(event)`` on the callback worker when a session in use is lost;
        returns None, raises TypeError if ``listener`` is not callable."""
        if not callable(listener):
            raise TypeError("listener must be callable, got %r" % (listener,))
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[CPSessionEvent], Any]) -> None:
        """Stop calling ``listener``; returns None."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def register_holder(self, proxy: SessionHolder) -> None:
        """Tell ``proxy`` about the loss of the sessions it holds something through; returns None."""
        with self._lock:
            if proxy not in self._holders:
                self._holders.append(proxy)

    def unregister_holder(self, proxy: SessionHolder) -> None:
        """Undo :meth:`register_holder`; returns None."""
        with self._lock:
            if proxy in self._holders:
                self._holders.remove(proxy)

    # -- acquiring and releasing -----------------------------------------------------------

    def session_id(self, group_id: RaftGroupId) -> int:
        """The current session id of ``group_id``, or :data:`NO_SESSION_ID`.

        A session of another cluster (the client reconnected elsewhere and has not
        dropped it yet) does not count: there its id may be somebody else's.
        """
        session = self._sessions.get(group_id)
        if session is None or session.cluster_id != self._cluster_id():
            return NO_SESSION_ID
        return session.id

    def acquire(self, group_id: RaftGroupId, count: int = 1) -> int:
        """Take ``count`` references on the group's session (creating one if needed); its id."""
        return self.acquire_async(group_id, count).result()

    def acquire_async(self, group_id: RaftGroupId, count: int = 1) -> "AsyncResult[int]":
        """:meth:`acquire` without waiting: the returned result gets the session id."""
        result: "AsyncResult[int]" = self._handler.async_result()
        now = self._handler.monotonic()
        cluster_id = self._cluster_id()
        with self._lock:
            if self._stopping:
                result.set_exception(ClientNotActiveError("the client is stopping"))
                return result
            session = self._sessions.get(group_id)
            if session is not None and session.cluster_id == cluster_id and session.usable(now):
                if session.acquired == 0 and now - session.last_ok > session.period:
                    self._wake_loop()  # in use again: renew its lease now (once a period at most)
                session.acquired += count
                result.set(session.id)
                return result
            waiting = self._creating.get(group_id)
            if waiting is not None:
                waiting.append((count, result))
                return result
            self._creating[group_id] = [(count, result)]
        self._create(group_id)
        return result

    def lease_deadline(self, group_id: RaftGroupId, session_id: int) -> float:
        """Until when (``handler.monotonic()``) session ``session_id`` of ``group_id`` is
        surely alive: ``-inf`` if it is not the group's current session any more.

        Local and synchronous: the time the last acknowledged heartbeat was sent, plus
        the TTL, minus :func:`lease_margin`. Holders answer ownership questions with it.
        """
        session = self._sessions.get(group_id)
        if session is None or session.id != session_id or session.cluster_id != self._cluster_id():
            return float("-inf")
        return session.lease_end()

    def lease_valid(self, group_id: RaftGroupId, session_id: int) -> bool:
        """True while :meth:`lease_deadline` is in the future."""
        return self._handler.monotonic() < self.lease_deadline(group_id, session_id)

    def release(self, group_id: RaftGroupId, session_id: int, count: int = 1) -> None:
        """Give back ``count`` references (ignored if the session was replaced meanwhile); returns None."""
        with self._lock:
            session = self._sessions.get(group_id)
            if session is not None and session.id == session_id:
                session.acquired = max(0, session.acquired - count)

    def _create(self, group_id: RaftGroupId) -> None:
        context = self._context
        sent_at = self._handler.monotonic()
        cluster_id = self._cluster_id()

        def created(response: "codec.CreateSessionResponse") -> None:
            ttl = response["ttl_millis"] / 1000.0
            period = max(0.05, response["heartbeat_millis"] / 1000.0)
            session = _Session(group_id, response["session_id"], ttl, period, sent_at, cluster_id)
            with self._lock:
                old = self._sessions.get(group_id)
                self._sessions[group_id] = session
                waiting = self._creating.pop(group_id, [])
                for count, _ in waiting:
                    session.acquired += count
                self._ensure_heartbeats(period)
            if old is not None and old.id != session.id:
                # Replaced: idle and near its TTL, or left over from another cluster (the
                # client has reported that LOST already).
                self._lost(old, CPSessionEvent.EXPIRED, report=old.cluster_id == cluster_id)
            log.debug(
                "CP session %d created in group %s (ttl %.1fs, heartbeat %.1fs)", session.id, group_id.name, ttl, period
            )
            for _, waiter in waiting:
                waiter.set(session.id)

        def failed(error: BaseException) -> None:
            with self._lock:
                waiting = self._creating.pop(group_id, [])
            for _, waiter in waiting:
                waiter.set_exception(error)

        request = codec.encode_create_session_request(group_id, context.config.client_name)
        invocation = Invocation(request, Sink(created, failed), -1, None, codec.decode_create_session_response)
        context.invocations.invoke(invocation)

    # -- expiry ------------------------------------------------------------------------------

    def invalidate(self, group_id: RaftGroupId, session_id: int, own: int = 0) -> bool:
        """Forget an expired session; True if it was still the group's current one.

        ``own`` is the number of references the caller itself took for the call that
        found the session expired (they do not make the loss worth reporting).
        """
        with self._lock:
            session = self._sessions.get(group_id)
            if session is None or session.id != session_id:
                return False
            del self._sessions[group_id]
        log.warning("CP session %d of group %s expired", session_id, group_id.name)
        self._lost(session, CPSessionEvent.EXPIRED, own)
        return True

    def _lost(self, session: _Session, reason: str, own: int = 0, report: bool = True) -> None:
        """Tell holders (at once, here) and listeners (callback worker) about a session
        that is gone; maybe go LOST."""
        with self._lock:
            holders = tuple(p for p in self._holders if p._bound_to(session.group_id, session.id))
            listeners = list(self._listeners)
        if not holders and session.acquired - own <= 0:
            return  # nothing depended on it
        event = CPSessionEvent(session.group_id, session.id, reason, holders)
        for holder in holders:
            try:
                holder._session_lost(event)
            except Exception:
                log.exception("error telling %r about the loss of CP session %d", holder, session.id)
        for listener in listeners:
            self._handler.dispatch_callback(listener, event)
        if report and reason == CPSessionEvent.EXPIRED:
            self._report_lost(session)

    def _report_lost(self, session: _Session) -> None:
        """Session-bound state is gone: LOST, then back to CONNECTED if connected.

        Once per incident: a session not acknowledged alive since the last LOST this
        manager reported was lost with the others of that LOST (a cut, a frozen process),
        and is not reported again.
        """
        tracker = self._context.state
        # Hold the tracker's lock across both transitions, so a disconnect cannot slip
        # in between and leave the client claiming CONNECTED while it is not.
        with tracker.locked():
            if session.last_ok < self._lost_reported_at:
                return
            state = tracker.state
            if state not in (HzState.CONNECTED, HzState.SUSPENDED):
                return
            self._reporting = True
            try:
                if not tracker.transition(HzState.LOST):
                    return
                self._lost_reported_at = self._handler.monotonic()
                if state == HzState.CONNECTED:
                    tracker.transition(HzState.CONNECTED)
            finally:
                self._reporting = False

    def on_state(self, state: HzState) -> None:
        """State observer: runs inside every transition of the client (quick, no I/O)."""
        if state == HzState.LOST and self._reporting:
            return  # our own report: the sessions concerned are already dealt with
        if state in (HzState.LOST, HzState.CONNECTED):
            self._drop_other_cluster_sessions()
        if state == HzState.CONNECTED:
            self._wake_loop()  # heartbeat at once after a reconnect

    def _drop_other_cluster_sessions(self) -> None:
        """Sessions created in a cluster the client is no longer connected to are gone."""
        current = self._cluster_id()
        with self._lock:
            stale = [s for s in self._sessions.values() if s.cluster_id != current]
            for session in stale:
                del self._sessions[session.group_id]
        for session in stale:
            self._lost(session, CPSessionEvent.EXPIRED, report=False)
        if stale:
            self._cp_thread_ids_clear()

    def _cluster_id(self) -> Optional[uuid.UUID]:
        return self._context.cluster_id

    def _cp_thread_ids_clear(self) -> None:
        cp = self._context.cp
        if cp is not None:
            cp.forget_thread_ids()

    # -- heartbeats ---------------------------------------------------------------------------

    def pause_heartbeats(self) -> None:
        """Test hook: send no heartbeats until resumed (the leases run out meanwhile)."""
        self._paused = True

    def resume_heartbeats(self) -> None:
        """Undo :meth:`pause_heartbeats` and heartbeat at once; returns None."""
        self._paused = False
        self._wake_loop()

    def _ensure_heartbeats(self, period: float) -> None:
        # Called with self._lock held.
        if self._period is None or period < self._period:
            self._period = period
        if self._loop is None and not self._stopping:
            self._wake = self._handler.event_object()
            self._loop = self._handler.spawn(self._heartbeat_loop, self._wake)

    def _wake_loop(self) -> None:
        wake = self._wake
        if wake is not None:
            wake.set()

    def _heartbeat_loop(self, wake: "Event") -> None:
        while True:
            wake.wait(self._period)
            wake.clear()
            if self._stopping or wake is not self._wake:
                return
            try:
                self._beat_once()
            except Exception:
                log.exception("CP session heartbeat round failed")

    def _beat_once(self) -> None:
        now = self._handler.monotonic()
        connected = self._context.connected
        cluster_id = self._cluster_id()
        if connected:
            self._drop_other_cluster_sessions()
        with self._lock:
            in_use = [s for s in self._sessions.values() if s.acquired > 0]
            to_close: List[Tuple[RaftGroupId, int, Optional[uuid.UUID]]] = []
            if connected:
                to_close, self._to_close = self._to_close, []
        for session in in_use:
            if not connected:
                # Unreachable: a whole TTL without an acknowledged heartbeat is the end.
                # While connected a late reply is only late: the member decides.
                if now >= session.last_ok + session.ttl:
                    self._presume_expired(session)
            elif not self._paused and session.cluster_id == cluster_id:
                self._heartbeat(session, now)
        for group_id, session_id, session_cluster_id in to_close:
            # Never close a session id in another cluster: there it may be somebody else's.
            if session_cluster_id == cluster_id:
                self._close(group_id, session_id)

    def _presume_expired(self, session: _Session) -> None:
        log.warning(
            "no heartbeat of CP session %d (group %s) acknowledged for its TTL (%.1fs) "
            "while disconnected: presuming it expired",
            session.id,
            session.group_id.name,
            session.ttl,
        )
        with self._lock:
            self._to_close.append((session.group_id, session.id, session.cluster_id))
        self.invalidate(session.group_id, session.id)

    def _heartbeat(self, session: _Session, sent_at: float) -> None:
        def acknowledged(_: object) -> None:
            if session.last_ok < sent_at:
                session.last_ok = sent_at

        def failed(error: BaseException) -> None:
            if isinstance(error, (SessionExpiredError, CPGroupDestroyedError)):
                self.invalidate(session.group_id, session.id)
            else:
                log.debug("heartbeat of CP session %d failed: %s", session.id, error)

        request = codec.encode_heartbeat_session_request(session.group_id, session.id)
        invocation = Invocation(request, Sink(acknowledged, failed))
        invocation.ahead = True  # never queued behind user requests
        self._context.invocations.invoke(invocation)

    def _close(self, group_id: RaftGroupId, session_id: int) -> "AsyncResult[bool]":
        result: "AsyncResult[bool]" = self._handler.async_result()
        request = codec.encode_close_session_request(group_id, session_id)
        self._context.invocations.invoke(Invocation(request, result, -1, None, codec.decode_close_session_response))
        return result

    # -- shutdown ------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Close every session (the client is stopping) and end the heartbeats."""
        with self._lock:
            self._stopping = True
            self._wake_loop()
            self._loop = None
            self._wake = None
            self._period = None
            sessions = list(self._sessions.values())
            self._sessions.clear()
            creating, self._creating = self._creating, {}
            self._to_close = []
        for waiting in creating.values():
            for _, waiter in waiting:
                waiter.set_exception(ClientNotActiveError("the client is stopping"))
        closing = [self._close(s.group_id, s.id) for s in sessions]
        for result in closing:
            try:
                result.get(timeout=min(CLOSE_TIMEOUT, self._context.config.invocation_timeout))
            except Exception as error:
                log.debug("could not close a CP session: %s", error)
        for session in sessions:
            self._lost(session, CPSessionEvent.CLOSED, report=False)
        with self._lock:
            self._stopping = False

    # -- introspection (tests, diagnostics) ---------------------------------------------------

    def sessions(self) -> Dict[RaftGroupId, Tuple[int, int]]:
        """``{group_id: (session_id, reference count)}`` of the live sessions."""
        with self._lock:
            return {g: (s.id, s.acquired) for g, s in self._sessions.items()}
