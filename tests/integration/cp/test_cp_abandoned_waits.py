"""A caller that gives up on a blocking FencedLock/Semaphore acquire leaks nothing.

Client A holds the lock (or the only permit); client B's blocking ``lock()``/``acquire()``
is queued on the member; B gives up (a ``gevent.Timeout``, a greenlet kill, an exception
raised into its thread); A releases. Whatever the member then grants B's abandoned wait
must come back at once: A acquires again within 1 s while B keeps running (no ``stop()``).
"""

import ctypes
import threading

import pytest

from hzgreen.cp import INVALID_FENCE
from hzgreen.exceptions import AcquireCancelledError
from hzgreen.protocol.codecs import fenced_lock as lock_codec
from hzgreen.protocol.codecs import semaphore as sem_codec
from hzgreen.testing.waiting import blocked_in_wait, pending_requests, wait_until

WAIT = 30
#: The bound of the issue: the lock (permit) is free again within a second.
REACQUIRE = 1.0


class LockCase:
    """A holds a FencedLock; B's ``lock()`` waits for it."""

    request_types = (lock_codec.LOCK_REQUEST_TYPE, lock_codec.TRY_LOCK_REQUEST_TYPE)

    def __init__(self, a, b, name):
        self.a = a.cp.get_lock(name)
        self.b = b.cp.get_lock(name)

    def hold(self):
        assert self.a.lock() > INVALID_FENCE
        assert self.b.try_lock() == INVALID_FENCE  # B's CP session exists from here on

    def wait(self):
        return self.b.lock()

    def release(self):
        self.a.unlock()

    def reacquire(self):
        fence = self.a.try_lock(REACQUIRE)
        if fence == INVALID_FENCE:
            return False
        self.a.unlock()
        return True

    def b_holds_nothing(self):
        return self.b.is_locked() is False


class SemaphoreCase:
    """A holds the only permit of a session-aware semaphore; B's ``acquire()`` waits."""

    request_types = (sem_codec.ACQUIRE_REQUEST_TYPE,)

    def __init__(self, a, b, name):
        self.a = a.cp.get_semaphore(name)
        self.b = b.cp.get_semaphore(name)
        assert self.a.init(1)

    def hold(self):
        self.a.acquire()
        assert self.b.try_acquire() is False

    def wait(self):
        self.b.acquire()
        return True

    def release(self):
        self.a.release()

    def reacquire(self):
        if not self.a.try_acquire(1, REACQUIRE):
            return False
        self.a.release()
        return True

    def b_holds_nothing(self):
        return self.b.held_permits() == 0 and self.b.available_permits() == 1


@pytest.fixture(params=["lock", "semaphore"])
def case(request, hz_client_factory, unique_name):
    a, b = hz_client_factory(), hz_client_factory()
    made = LockCase(a, b, unique_name) if request.param == "lock" else SemaphoreCase(a, b, unique_name)
    made.client_a, made.client_b = a, b
    return made


def check_given_back(case):
    """B gave up with its request queued on the member: after A releases, nothing stays held."""
    b = case.client_b
    assert pending_requests(b, case.request_types), "B's wait was not queued on the member"
    abandoned = b.cp.waits.abandoned()
    assert len(abandoned) == 1
    assert abandoned[0].session_id == b.cp.session_manager.session_id(case.b.group_id)
    case.release()
    assert case.reacquire(), "the lock (permit) granted to B's abandoned wait was not given back"
    wait_until(b.handler, lambda: not b.cp.waits.abandoned(), WAIT, "the abandoned wait was not forgotten")
    assert b.connected  # B was never stopped
    # B counts the permit given back as released when the member's answer to the give-back
    # reaches it, which may be just after A could take the permit.
    wait_until(b.handler, case.b_holds_nothing, WAIT, "B still counts what it gave back as held")


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_gevent_timeout_around_the_wait_gives_back(case, hz_handler_name):
    import gevent

    case.hold()
    outcome = []

    def waiter():
        with gevent.Timeout(0.5, False):
            outcome.append(case.wait())
            return
        outcome.append("gave up")

    greenlet = case.client_b.handler.spawn(waiter)
    greenlet.join(WAIT)
    assert outcome == ["gave up"]
    check_given_back(case)


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_killed_greenlet_gives_back(case, hz_handler_name):
    b = case.client_b
    case.hold()
    greenlet = b.handler.spawn(case.wait)
    wait_until(b.handler, lambda: pending_requests(b, case.request_types), WAIT, "B's request was not sent")
    greenlet.kill(block=True, timeout=WAIT)
    assert greenlet.dead
    check_given_back(case)


@pytest.mark.parametrize("hz_handler_name", ["threading"])
def test_exception_raised_into_the_waiting_thread_gives_back(case, hz_handler_name):
    b = case.client_b
    case.hold()
    outcome = []

    def waiter():
        try:
            outcome.append(case.wait())
        except KeyboardInterrupt:
            outcome.append("interrupted")

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    wait_until(b.handler, lambda: pending_requests(b, case.request_types), WAIT, "B's request was not sent")
    wait_until(b.handler, lambda: blocked_in_wait(thread), WAIT, "B never blocked in its wait")
    raised = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident), ctypes.py_object(KeyboardInterrupt)
    )
    assert raised == 1
    thread.join(WAIT)
    assert not thread.is_alive(), "the exception never reached the waiting thread"
    assert outcome == ["interrupted"]
    check_given_back(case)


def test_abandon_ends_a_pending_async_acquire_and_gives_back(case):
    b = case.client_b
    case.hold()
    if isinstance(case, LockCase):
        result = case.b.lock_async()
    else:
        result = case.b.acquire_async()
    wait_until(b.handler, lambda: pending_requests(b, case.request_types), WAIT, "B's request was not sent")
    assert case.b.abandon(result) is True
    with pytest.raises(AcquireCancelledError):
        result.result(WAIT)
    assert case.b.abandon(result) is False  # only once
    check_given_back(case)


def test_abandon_leaves_a_completed_acquire_alone(case):
    if isinstance(case, LockCase):
        result = case.a.lock_async()
        assert result.result(WAIT) > INVALID_FENCE
        assert case.a.abandon(result) is False
        assert case.a.is_locked_by_current_thread() is True
        case.a.unlock()
        assert case.a.is_locked() is False
    else:
        result = case.a.acquire_async()
        result.result(WAIT)
        assert case.a.abandon(result) is False
        assert case.a.held_permits() == 1 and case.a.available_permits() == 0
        case.a.release()
        assert case.a.available_permits() == 1
