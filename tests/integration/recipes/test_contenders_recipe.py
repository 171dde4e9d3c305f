"""Lock.contenders(), Semaphore.contenders() and Semaphore.lease_holders() (both handlers).

Waiters run in tasks of the client's handler (threads or greenlets), each with its own
recipe object and identifier; a test waits until the record lists a waiter before the
next one starts, so the order they began waiting is known.
"""

from hzgreen.testing.waiting import wait_until

WAIT = 30


class Waiter:
    """A task that acquires ``recipe`` (with ``timeout``), reports it, and releases on demand."""

    def __init__(self, client, recipe, timeout=WAIT):
        handler = client.handler
        self.recipe = recipe
        self.result = handler.async_result()
        self.release_now = handler.event_object()
        self.released = handler.event_object()
        handler.spawn(self._run, timeout)

    def _run(self, timeout):
        got = self.recipe.acquire(timeout=timeout)
        self.result.set(got)
        if got:
            self.release_now.wait(WAIT)
            self.recipe.release()  # a lock hold belongs to this task: released here
        self.released.set()

    def release(self):
        self.release_now.set()
        assert self.released.wait(WAIT), "the waiter never released"


def wait_listed(client, recipe, expected, what):
    """Wait until ``recipe.contenders()`` is ``expected`` (the record is written by other tasks)."""
    wait_until(client.handler, lambda: recipe.contenders() == expected, WAIT, "%s: %r" % (what, recipe.contenders()))


def test_lock_holder_first_then_waiters_in_order(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    holder = hz_client.Lock(unique_name, identifier="holder")
    assert holder.contenders() == []
    assert holder.acquire()
    assert holder.contenders() == ["holder"]
    first = Waiter(other, other.Lock(unique_name, identifier="first"))
    wait_listed(hz_client, holder, ["holder", "first"], "first waiter never listed")
    second = Waiter(hz_client, hz_client.Lock(unique_name, identifier="second"))
    wait_listed(hz_client, holder, ["holder", "first", "second"], "second waiter never listed")
    assert not first.result.ready() and not second.result.ready()

    holder.release()
    assert first.result.get(timeout=WAIT) is True
    assert holder.contenders() == ["first", "second"]  # the record is written before acquire returns
    assert not second.result.ready()
    first.release()
    assert second.result.get(timeout=WAIT) is True
    assert holder.contenders() == ["second"]
    second.release()
    assert holder.contenders() == []


def test_lock_waiter_that_times_out_or_is_cancelled_disappears(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    holder = hz_client.Lock(unique_name, identifier="holder")
    assert holder.acquire()
    assert other.Lock(unique_name, identifier="nowait").acquire(blocking=False) is False
    assert holder.contenders() == ["holder"]  # a failed try leaves nothing behind

    timing_out = Waiter(other, other.Lock(unique_name, identifier="short"), timeout=1.0)
    wait_listed(hz_client, holder, ["holder", "short"], "the waiter never listed")
    assert timing_out.result.get(timeout=WAIT) is False
    assert timing_out.released.wait(WAIT)
    assert holder.contenders() == ["holder"]

    cancelled_lock = other.Lock(unique_name, identifier="cancelled")
    cancelled = Waiter(other, cancelled_lock)
    wait_listed(hz_client, holder, ["holder", "cancelled"], "the waiter never listed")
    cancelled_lock.cancel()
    assert cancelled.result.get(timeout=WAIT) is False
    assert cancelled.released.wait(WAIT)
    assert holder.contenders() == ["holder"]
    holder.release()
    assert holder.contenders() == []


def test_lock_released_and_reentrant_holder(hz_client, unique_name):
    lock = hz_client.Lock(unique_name, identifier={"host": "a", "pid": 1})
    assert lock.acquire() and lock.acquire()
    assert lock.contenders() == [{"host": "a", "pid": 1}]  # one entry, however reentrant
    lock.release()
    assert lock.contenders() == [{"host": "a", "pid": 1}]
    lock.release()
    assert lock.contenders() == []
    with lock:
        assert lock.contenders() == [{"host": "a", "pid": 1}]
    assert lock.contenders() == []


def test_dead_contender_disappears_within_ttl(hz_client, hz_client_factory, unique_name):
    doomed = hz_client_factory()
    ttl = 2.0
    lock = doomed.Lock(unique_name, identifier="doomed", ttl=ttl)
    assert lock.acquire()
    observer = hz_client.Lock(unique_name)
    assert observer.contenders() == ["doomed"]
    doomed.stop()  # its CP session closes (the lock is free); its record entry is left to expire
    began = hz_client.handler.monotonic()
    assert observer.acquire(timeout=WAIT)
    observer.release()
    wait_until(hz_client.handler, lambda: observer.contenders() == [], WAIT, "the dead entry never expired")
    assert hz_client.handler.monotonic() - began < ttl + 5


def test_semaphore_lease_holders_are_exactly_the_current_holders(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    a = hz_client.Semaphore(unique_name, max_leases=3, identifier="a")
    b = other.Semaphore(unique_name, max_leases=3, identifier="b")
    c = hz_client.Semaphore(unique_name, max_leases=3, identifier="c")
    assert a.lease_holders() == [] and a.contenders() == []
    assert a.acquire() and b.acquire() and b.acquire(timeout=1)
    assert sorted(a.lease_holders()) == ["a", "b", "b"]  # one per lease
    assert c.acquire(blocking=False) is False
    assert sorted(c.lease_holders()) == ["a", "b", "b"]

    waiter = Waiter(hz_client, c)
    wait_until(hz_client.handler, lambda: a.contenders()[-1:] == ["c"], WAIT, "the waiter never listed")
    assert sorted(a.contenders()[:3]) == ["a", "b", "b"]
    assert sorted(a.lease_holders()) == ["a", "b", "b"]  # a waiter holds nothing
    assert b.release()
    assert waiter.result.get(timeout=WAIT) is True
    assert sorted(a.lease_holders()) == ["a", "b", "c"]
    assert a.release()
    assert sorted(a.lease_holders()) == ["b", "c"]
    waiter.release()
    assert b.release()
    assert a.lease_holders() == [] and a.contenders() == []
    assert a.available() == 3


def test_semaphore_waiters_in_order_and_timeout_disappears(hz_client, hz_client_factory, unique_name):
    other = hz_client_factory()
    holder = hz_client.Semaphore(unique_name, max_leases=1, identifier="holder")
    assert holder.acquire()
    first = Waiter(other, other.Semaphore(unique_name, max_leases=1, identifier="first"))
    wait_listed(hz_client, holder, ["holder", "first"], "first waiter never listed")
    brief = Waiter(hz_client, hz_client.Semaphore(unique_name, max_leases=1, identifier="brief"), timeout=1.0)
    wait_listed(hz_client, holder, ["holder", "first", "brief"], "second waiter never listed")
    assert brief.result.get(timeout=WAIT) is False
    assert brief.released.wait(WAIT)
    assert holder.contenders() == ["holder", "first"]
    assert holder.release()
    assert first.result.get(timeout=WAIT) is True
    assert holder.contenders() == ["first"] and holder.lease_holders() == ["first"]
    first.release()
    assert holder.contenders() == []


def test_lost_entry_of_a_live_contender_is_written_back(hz_client, unique_name):
    # as when the client was cut off for longer than ttl and the entry expired meanwhile
    ttl = 1.5
    lock = hz_client.Lock(unique_name, identifier="alive", ttl=ttl)
    assert lock.acquire()
    hz_client.get_map(unique_name + ".__lock_contenders").clear()
    assert lock.contenders() == []
    wait_until(hz_client.handler, lambda: lock.contenders() == ["alive"], WAIT, "the entry was never written back")
    lock.release()
    assert lock.contenders() == []
