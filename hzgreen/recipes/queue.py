"""Queue and LockingQueue: Kazoo's queue recipes on a Hazelcast distributed queue.

``Queue`` hands each item to exactly one consumer and forgets it: an item taken by a
consumer that then dies is lost. ``LockingQueue`` keeps the item *held* by its consumer
until :meth:`LockingQueue.consume` removes it for good or :meth:`LockingQueue.release`
puts it back; if the holder dies, its item returns to the queue after a lease expires.

Both are FIFO (Hazelcast queues have no priorities) and every call is cooperative under
gevent: a greenlet blocked in ``get`` costs one pending request, no thread.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from typing import TYPE_CHECKING, Any, Iterable, Optional

from hzgreen.exceptions import ClientNotActiveError, HzError

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import Event, Handler

log = logging.getLogger("hzgreen.recipes.queue")

HELD_SUFFIX = ".__held"
LEASES_SUFFIX = ".__leases"
#: How long a graceful client stop waits for a LockingQueue to give its item back.
SHUTDOWN_RELEASE_TIMEOUT = 5.0


def _timeout(timeout: Optional[float]) -> Optional[float]:
    """``timeout`` as a float (None stays None); raises TypeError for a non-number, ValueError below 0."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds or None, got %r" % (timeout,))
    if timeout < 0:
        raise ValueError("timeout must be >= 0 seconds, got %r" % (timeout,))
    return float(timeout)


class Queue:
    """A distributed FIFO queue (``client.Queue(name)``), Kazoo-style.

    Unlike Kazoo's ``Queue.get`` (which never waits), ``get(timeout=None)`` waits for an
    item: forever by default, ``timeout`` seconds otherwise (None on timeout).
    """

    def __init__(self, client: HzClient, name: str) -> None:
        self.client = client
        self.name = name
        self._queue = client.get_queue(name)

    def __repr__(self) -> str:
        return "%s(%r)" % (type(self).__name__, self.name)

    def __len__(self) -> int:
        """How many items wait in the queue."""
        return self._queue.size()

    def put(self, item: Any) -> None:
        """Append ``item`` (any serializable object but None)."""
        self._queue.put(item)

    def put_all(self, items: Iterable[Any]) -> None:
        """Append every item of ``items``, in order."""
        self._queue.add_all(items)

    def get(self, timeout: Optional[float] = None) -> Any:
        """Take the head item, waiting up to ``timeout`` seconds (None: forever); None on timeout."""
        timeout = _timeout(timeout)
        if timeout is None:
            return self._queue.take()
        return self._queue.poll(timeout)


class LockingQueue(Queue):
    """A queue whose items stay held by their consumer until consumed (``client.LockingQueue(name)``).

    ``get`` moves the head item into the companion map ``<name>.__held`` under a fresh
    id, with a lease in ``<name>.__leases`` (an entry with a member-side TTL of
    ``lease_time`` seconds) that a background task of the holder renews every
    ``lease_time / 3``. ``consume`` deletes the held item, ``release`` puts it back at the
    *tail* of the queue. Any ``get`` (also while it waits) first returns the items whose
    lease expired to the queue, so the items of a holder that died come back within about
    ``lease_time`` plus ``lease_time / 2`` once some consumer is waiting. A client that
    stops gracefully releases its held item at once.

    Delivery is at least once: a holder stalled (or disconnected) longer than its lease
    loses the item, which another consumer may then process too; ``holds_lock`` and
    ``consume`` tell. A consumer that dies in the few milliseconds between taking the
    item from the queue and writing its lease loses that item.
    """

    def __init__(self, client: HzClient, name: str, lease_time: float = 30.0) -> None:
        if isinstance(lease_time, bool) or not isinstance(lease_time, (int, float)) or lease_time < 1:
            raise ValueError("lease_time must be a number of seconds >= 1, got %r" % (lease_time,))
        super().__init__(client, name)
        self.lease_time = float(lease_time)
        self._handler: Handler = client.handler
        self._held = client.get_map(name + HELD_SUFFIX)
        self._leases = client.get_map(name + LEASES_SUFFIX)
        self._token = "holder:%s:%s" % (client.client_uuid, uuid.uuid4().hex)
        self._lock = self._handler.rlock_object()
        self._held_id: Optional[str] = None
        self._held_item: Any = None
        self._lost = False
        self._stop_renewing: Optional[Event] = None
        self._last_scan = float("-inf")
        self._scan_interval = self.lease_time / 2

    def __len__(self) -> int:
        """Items waiting plus items held (by any consumer), as in Kazoo."""
        return self._queue.size() + self._held.size()

    # -- taking ---------------------------------------------------------------------------

    def get(self, timeout: Optional[float] = None) -> Any:
        """Take and hold the head item, waiting up to ``timeout`` s (None: forever); None on timeout.

        While an item is held (not yet consumed or released), returns that item again.
        """
        timeout = _timeout(timeout)
        with self._lock:
            if self._held_id is not None:
                return self._held_item
        monotonic = self._handler.monotonic
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            self._reclaim_expired()
            wait = self._scan_interval
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - monotonic()))
            item = self._queue.poll(wait)
            if item is not None:
                break
            if deadline is not None and monotonic() >= deadline:
                return None
        held_id = uuid.uuid4().hex
        # Lease before the held entry: a scanner never sees a held item without a lease.
        self.client.retry(self._leases.set, held_id, self._token, ttl=self.lease_time)
        self.client.retry(self._held.set, held_id, item)
        with self._lock:
            self._held_id, self._held_item, self._lost = held_id, item, False
            self._stop_renewing = self._handler.event_object()
            self._handler.spawn(self._renew, held_id, self._stop_renewing)
        _holders_of(self.client).add(self)
        return item

    def holds_lock(self) -> bool:
        """True while this consumer still holds its item (asks the cluster)."""
        with self._lock:
            held_id, lost = self._held_id, self._lost
        if held_id is None or lost:
            return False
        return self._leases.get(held_id) == self._token and self._held.contains_key(held_id)

    def consume(self) -> bool:
        """Remove the held item for good; False if nothing is held or the hold was lost."""
        held_id = self._forget()
        if held_id is None:
            return False
        removed = self._held.remove(held_id)
        self._leases.delete(held_id)
        return removed is not None

    def release(self) -> bool:
        """Put the held item back (at the tail); False if nothing is held or the hold was lost."""
        with self._lock:
            item = self._held_item
        held_id = self._forget()
        if held_id is None:
            return False
        return self._give_back(held_id, item)

    # -- internals -----------------------------------------------------------------------

    def _forget(self) -> Optional[str]:
        """Stop holding locally; returns the held id unless nothing was held or it was lost."""
        with self._lock:
            held_id, lost = self._held_id, self._lost
            self._held_id, self._held_item, self._lost = None, None, False
            if self._stop_renewing is not None:
                self._stop_renewing.set()
                self._stop_renewing = None
        _holders_of(self.client).discard(self)
        return None if lost else held_id

    def _give_back(self, held_id: str, item: Any) -> bool:
        """Put ``item`` back in the queue and drop its hold; False if the hold was gone already."""
        # Back into the queue first, then drop the hold: a crash in between duplicates the
        # item (at least once) rather than losing it.
        if not self._held.contains_key(held_id):
            self._leases.delete(held_id)
            return False
        self._queue.put(item)
        self._held.delete(held_id)
        self._leases.delete(held_id)
        return True

    def _renew(self, held_id: str, stop: Event) -> None:
        """Background task: keep the lease of ``held_id`` alive until ``stop`` is set."""
        period = self.lease_time / 3
        while not stop.wait(period):
            try:
                previous = self._leases.put(held_id, self._token, ttl=self.lease_time)
                if previous == self._token:
                    continue
                if previous is not None:
                    # A reclaimer claimed the expired lease: give its claim back, we lost.
                    self._leases.set(held_id, previous, ttl=self.lease_time)
                elif self._held.contains_key(held_id):
                    continue  # expired but nobody reclaimed it: still ours
                log.warning("%r lost its hold on item %s (lease expired)", self, held_id)
                with self._lock:
                    if self._held_id == held_id:
                        self._lost = True
                return
            except ClientNotActiveError:
                return
            except HzError as error:
                log.info("%r could not renew its lease: %s", self, error)

    def _reclaim_expired(self) -> None:
        """Put back the held items whose lease expired (at most once per half lease)."""
        now = self._handler.monotonic()
        if now - self._last_scan < self._scan_interval:
            return
        self._last_scan = now
        claim = "reclaim:%s" % uuid.uuid4().hex
        for held_id in self._held.key_set():
            if self._leases.contains_key(held_id):
                continue
            # Claim the expired hold, so that only one consumer gives it back.
            if self._leases.put_if_absent(held_id, claim, ttl=self.lease_time) is not None:
                continue
            item = self._held.get(held_id)
            if item is None:
                self._leases.delete(held_id)
                continue
            log.info("%r: the lease of held item %s expired; putting it back", self, held_id)
            self._queue.put(item)
            self._held.delete(held_id)
            self._leases.delete(held_id)

    def _holding(self) -> bool:
        """True while this consumer holds an item it has not lost."""
        with self._lock:
            return self._held_id is not None and not self._lost

    def _release_quietly(self) -> None:
        """:meth:`release`, logging instead of raising an HzError; returns None."""
        try:
            self.release()
        except HzError as error:
            log.info("%r could not release its item at shutdown: %s", self, error)


# The LockingQueues of each client that hold an item (weakly): one shutdown hook per
# client releases them all, so that short-lived LockingQueue objects leave nothing behind.
_HOLDERS: "weakref.WeakKeyDictionary[HzClient, weakref.WeakSet[LockingQueue]]" = weakref.WeakKeyDictionary()


def _holders_of(client: HzClient) -> "weakref.WeakSet[LockingQueue]":
    """The (weak) set of the LockingQueues of ``client`` holding an item; the first call for a
    client adds the shutdown hook that releases them."""
    holders = _HOLDERS.get(client)
    if holders is None:
        created: weakref.WeakSet[LockingQueue] = weakref.WeakSet()
        holders = _HOLDERS.setdefault(client, created)
        if holders is created:
            client_ref = weakref.ref(client)
            client.add_shutdown_hook(lambda: _release_at_shutdown(client_ref, created))
    return holders


def _release_at_shutdown(client_ref: "weakref.ref[HzClient]", holders: "weakref.WeakSet[LockingQueue]") -> None:
    """Shutdown hook: a graceful stop releases every held item at once (best effort)."""
    client = client_ref()
    if client is None or not client.connected:
        return  # offline: the leases expire instead
    handler = client.handler
    tasks = [handler.spawn(queue._release_quietly) for queue in list(holders) if queue._holding()]
    deadline = handler.monotonic() + SHUTDOWN_RELEASE_TIMEOUT
    for task in tasks:
        task.join(max(0.0, deadline - handler.monotonic()))
