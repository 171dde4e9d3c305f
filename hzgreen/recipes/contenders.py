"""Who holds and who waits for a Lock or a Semaphore: an advisory record kept in a map.

CP FencedLock and ISemaphore do not tell who waits for them, so :class:`ContenderRecord`
keeps its own record next to them, as Kazoo keeps one znode per contender. Each contender
is an entry of the map ``"{name}.__{kind}_contenders"`` (kind ``lock`` or ``semaphore``)
keyed by a uuid unique to that contender, valued ``(identifier, order, holding)``:

- a waiter's entry is written when it starts waiting, with ``order`` taken from the CP
  AtomicLong ``"{name}.__contender_seq"`` (a cluster-wide sequence, not a local clock);
- it is marked ``holding`` once the primitive grants it, and deleted when the contender
  gives up or releases;
- a contender granted at once (the uncontended fast path) writes only its holder entry,
  with order 0, and never touches the sequence.

Every entry has a time to live ``ttl`` (seconds), refreshed every ``ttl / 3`` (a timer of
the handler starts a short task per round, only while the record has live entries). A process that dies stops
refreshing, so its entries disappear at most ``ttl`` after its last refresh: until then a
dead contender still looks alive. An entry that expired while the client was cut off
(SUSPENDED for longer than ``ttl``) is written back by the first refresh once connected;
after a LOST to a new cluster the record of the old one is gone and live contenders are
written to the new one.

Only a recipe object constructed with an ``identifier`` writes to the record (one without
costs nothing beyond the CP primitive, and is not listed). The record is advisory: the CP
primitive alone decides who owns what. Writes to the record
never fail an acquire or a release (their errors are logged); the record may lag the
primitive by a round trip, and a waiter's place in it follows the sequence number it took
just before sending its wait, which the member may receive in another order.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple

from hzgreen.exceptions import ClientNotActiveError, HzError

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import AsyncResult, Handler, TimerHandle

log = logging.getLogger("hzgreen.recipes.contenders")

DEFAULT_TTL = 10.0
#: The order of a contender granted at once, without waiting (and without a sequence number).
FAST_PATH_ORDER = 0


def _entry(value: Any) -> Optional[Tuple[Any, int, bool]]:
    """Return ``value`` read from the map as ``(identifier, order, holding)``, or None if it
    is not such a triple (a foreign entry in the map)."""
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        return None
    identifier, order, holding = value
    if not isinstance(order, int) or isinstance(order, bool):
        return None
    return identifier, order, bool(holding)


def order_contenders(entries: Iterable[Tuple[Any, Any]]) -> List[Any]:
    """Return the identifiers of ``(key, value)`` record entries: holders first, then waiters.

    Holders come in their order numbers, then waiters in the order they began waiting
    (ascending sequence numbers); equal orders are ordered by key, so every reader of one
    record sees one order. Values that are not record entries are skipped.
    """
    parsed = []
    for key, value in entries:
        entry = _entry(value)
        if entry is not None:
            parsed.append((not entry[2], entry[1], str(key), entry[0]))
    parsed.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in parsed]


def holder_identifiers(entries: Iterable[Tuple[Any, Any]]) -> List[Any]:
    """Return the identifiers of the holding entries among ``(key, value)`` record entries,
    in the order :func:`order_contenders` gives them (one per lease held)."""
    holding = []
    for key, value in entries:
        entry = _entry(value)
        if entry is not None and entry[2]:
            holding.append((key, value))
    return order_contenders(holding)


class ContenderRecord:
    """The contender record of the Lock or Semaphore ``name`` for one recipe object.

    ``kind`` names the primitive (``"lock"``, ``"semaphore"``); ``identifier`` is what the
    object's contenders are listed as. Raises ValueError for a ``ttl`` that is not > 0.
    """

    def __init__(self, client: HzClient, name: str, kind: str, identifier: Any, ttl: float = DEFAULT_TTL) -> None:
        if not isinstance(ttl, (int, float)) or isinstance(ttl, bool) or ttl <= 0:
            raise ValueError("ttl must be a number > 0, got %r" % (ttl,))
        self.name = name
        self.identifier = identifier
        self.ttl = float(ttl)
        #: Only a recipe object given an ``identifier`` records its holds and waits: one
        #: without costs nothing more than the CP primitive (it can still read the record).
        self.enabled = identifier is not None
        self.map = client.get_map("%s.__%s_contenders" % (name, kind))
        self._client = client
        self._seq_name = name + ".__contender_seq"
        self._handler: Handler = client.handler
        self._mutex = self._handler.lock_object()
        self._live: Dict[str, Tuple[Any, int, bool]] = {}
        # the pending refresh timer, and the token its round must present to reschedule
        self._timer: Optional[TimerHandle] = None
        self._token: Optional[object] = None

    # -- writing --------------------------------------------------------------------------

    def add_holder(self) -> str:
        """Record a contender granted at once; return its key (the entry is written before)."""
        key = uuid.uuid4().hex
        self._write(key, (self.identifier, FAST_PATH_ORDER, True))
        return key

    def add_waiter(self) -> str:
        """Record a contender that starts waiting, with the next cluster-wide sequence
        number; return its key. Without a sequence number (the CP group did not answer)
        the waiter is recorded with order 0, after the holders."""
        try:
            order = self._client.cp.get_atomic_long(self._seq_name).increment_and_get()
        except ClientNotActiveError:
            raise
        except HzError as error:
            log.debug("contenders of %r: no sequence number: %r", self.name, error)
            order = FAST_PATH_ORDER
        key = uuid.uuid4().hex
        self._write(key, (self.identifier, order, False))
        return key

    def promote(self, key: str) -> str:
        """Mark the waiter ``key`` as holding; return ``key``."""
        with self._mutex:
            entry = self._live.get(key)
        order = FAST_PATH_ORDER if entry is None else entry[1]
        self._write(key, (self.identifier, order, True))
        return key

    def remove(self, key: str) -> None:
        """Delete the entry ``key`` and wait for the member's answer; returns None, errors logged."""
        self.wait(self.remove_async(key))

    def remove_async(self, key: str) -> Optional[AsyncResult[None]]:
        """Forget ``key`` here and send its delete; return the pending delete (None if the
        request could not be sent). Pass it to :meth:`wait` to wait for it."""
        with self._mutex:
            self._live.pop(key, None)
            self._stop_when_idle()
        try:
            return self.map.delete_async(key)
        except HzError as error:
            log.debug("contenders of %r: delete failed: %r", self.name, error)
            return None

    def wait(self, pending: Optional[AsyncResult[None]]) -> None:
        """Wait for a delete sent by :meth:`remove_async`; returns None, errors logged."""
        if pending is None:
            return
        try:
            pending.get(timeout=self.ttl)
        except HzError as error:
            log.debug("contenders of %r: delete failed: %r", self.name, error)

    def forget(self, keys: Sequence[str]) -> None:
        """Drop ``keys`` without waiting (from a loss hook: nothing here blocks): they stop
        being refreshed at once and are deleted by a task. Returns None."""
        with self._mutex:
            for key in keys:
                self._live.pop(key, None)
            self._stop_when_idle()
        if keys:
            self._handler.spawn(self._delete_all, list(keys))

    def _delete_all(self, keys: List[str]) -> None:
        for key in keys:
            self.remove(key)

    def _write(self, key: str, entry: Tuple[Any, int, bool]) -> None:
        with self._mutex:
            self._live[key] = entry
            self._schedule()
        try:
            self.map.set(key, entry, ttl=self.ttl)
        except HzError as error:  # the refresh task writes it later
            log.debug("contenders of %r: write failed: %r", self.name, error)

    # -- refreshing -------------------------------------------------------------------------

    def _schedule(self) -> None:
        """Start the refresh timer if entries are live and none is pending (mutex held)."""
        if self._timer is None and self._live:
            token = self._token = object()
            self._timer = self._handler.call_later(self.ttl / 3, self._due, token)

    def _stop_when_idle(self) -> None:
        """Cancel the refresh timer once no entry is live (mutex held)."""
        if not self._live and self._timer is not None:
            self._timer.cancel()
            self._timer = self._token = None

    def _due(self, token: object) -> None:
        """Timer: start a refresh round (the timer must not block). Returns None."""
        self._handler.spawn(self._refresh_round, token)

    def _refresh_round(self, token: object) -> None:
        """Task: refresh every live entry, then schedule the next round (none once the
        client is stopped, or when this round's timer was cancelled). Returns None."""
        with self._mutex:
            if token is not self._token:
                return
            live = list(self._live)
        active = True
        try:
            # every refresh is sent before any is waited for: one round trip per round
            sent = [(key, self.map.set_ttl_async(key, self.ttl)) for key in live]
            for key, exists in sent:
                if not exists.get(timeout=self.ttl):
                    self._revive(key)
        except ClientNotActiveError:
            active = False
        except HzError as error:  # cut off: the next round tries again
            log.debug("contenders of %r: refresh failed: %r", self.name, error)
        with self._mutex:
            if token is self._token:
                self._timer = self._token = None
                if active:
                    self._schedule()

    def _revive(self, key: str) -> None:
        """Write back the entry ``key`` found expired; returns None, raises HzError."""
        # The entry expired (the client was cut off for longer than ttl): write it back,
        # unless its contender left meanwhile; then delete what the write may have revived.
        # A promotion made meanwhile is written again (the loop ends when nothing changed).
        written = None
        while True:
            with self._mutex:
                entry = self._live.get(key)
            if entry is None:
                if written is not None:
                    self.map.delete(key)
                return
            if entry == written:
                return
            self.map.set(key, entry, ttl=self.ttl)
            written = entry

    # -- reading ------------------------------------------------------------------------------

    def contenders(self) -> List[Any]:
        """Return the identifiers of the recorded contenders, holders first, then waiters in
        the order they began waiting (one round trip). Raises HzError when the read fails."""
        return order_contenders(self.map.entry_set())

    def holders(self) -> List[Any]:
        """Return the identifiers of the recorded holders, one per lease (one round trip).
        Raises HzError when the read fails."""
        return holder_identifiers(self.map.entry_set())
