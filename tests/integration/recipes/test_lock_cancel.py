"""Lock and Semaphore recipes: ``cancel()`` and every other way of giving up leak nothing.

Client A holds the Lock (or the only lease of a Semaphore); client B's ``acquire()`` waits
on the member; B gives up: ``cancel()`` from another thread/greenlet (the acquire returns
False), its own ``timeout``, a ``gevent.Timeout``/greenlet kill (gevent) or an exception
raised into the waiting thread (threading). After A releases, A must get the lock (lease)
back within 1 s while B keeps running.
"""

import ctypes
import threading

import pytest

from hzgreen.protocol.codecs import fenced_lock as lock_codec
from hzgreen.protocol.codecs import semaphore as sem_codec
from hzgreen.testing.waiting import blocked_in_wait, pending_requests, wait_until

WAIT = 30
REACQUIRE = 1.0

LOCK_REQUESTS = (lock_codec.LOCK_REQUEST_TYPE, lock_codec.TRY_LOCK_REQUEST_TYPE)
SEMAPHORE_REQUESTS = (sem_codec.ACQUIRE_REQUEST_TYPE,)


class Recipes:
    def __init__(self, kind, a, b, name):
        self.kind = kind
        self.client_a, self.client_b = a, b
        if kind == "lock":
            self.a, self.b = a.Lock(name), b.Lock(name)
            self.request_types = LOCK_REQUESTS
        else:
            self.a, self.b = a.Semaphore(name, max_leases=1), b.Semaphore(name, max_leases=1)
            self.request_types = SEMAPHORE_REQUESTS

    def hold(self):
        assert self.a.acquire(timeout=WAIT)
        assert self.b.acquire(blocking=False) is False

    def released_and_reacquired(self):
        self.a.release()
        if not self.a.acquire(timeout=REACQUIRE):
            return False
        self.a.release()
        return True

    def in_task(self, func):
        """Run ``func()`` in a task of B's handler; its outcome as an async result."""
        handler = self.client_b.handler
        result = handler.async_result()

        def run():
            try:
                result.set(func())
            except BaseException as error:
                result.set_exception(error)

        return result, handler.spawn(run)

    def wait_sent(self):
        wait_until(
            self.client_b.handler,
            lambda: pending_requests(self.client_b, self.request_types),
            WAIT,
            "B's acquire was not sent",
        )


@pytest.fixture(params=["lock", "semaphore"])
def recipes(request, hz_client_factory, unique_name):
    return Recipes(request.param, hz_client_factory(), hz_client_factory(), unique_name)


def check_given_back(recipes):
    b = recipes.client_b
    assert recipes.released_and_reacquired(), "what B's abandoned acquire was granted is still held"
    assert b.connected
    assert not recipes.b.is_acquired
    wait_until(b.handler, lambda: not b.cp.waits.abandoned(), WAIT, "the abandoned wait was not forgotten")


def test_cancel_from_another_task_makes_acquire_return_false(recipes):
    recipes.hold()
    outcome, _ = recipes.in_task(recipes.b.acquire)
    recipes.wait_sent()
    assert outcome.ready() is False
    recipes.b.cancel()
    assert outcome.result(WAIT) is False
    assert len(recipes.client_b.cp.waits.abandoned()) == 1
    check_given_back(recipes)


def test_cancel_cancels_every_pending_acquire_of_the_object(recipes):
    recipes.hold()
    outcomes = [recipes.in_task(lambda: recipes.b.acquire(timeout=WAIT))[0] for _ in range(2)]
    wait_until(
        recipes.client_b.handler,
        lambda: (
            len(
                [
                    inv
                    for inv in list(recipes.client_b.invocations._pending.values())
                    if inv.request.get_message_type() in recipes.request_types
                ]
            )
            == 2
        ),
        WAIT,
        "B's acquires were not sent",
    )
    recipes.b.cancel()
    assert [outcome.result(WAIT) for outcome in outcomes] == [False, False]
    check_given_back(recipes)


def test_cancel_without_pending_acquire_does_nothing(recipes):
    recipes.b.cancel()
    assert recipes.b.acquire(timeout=WAIT) is True
    assert recipes.b.is_acquired
    recipes.b.release()


def test_recipe_timeout_gives_back(recipes):
    recipes.hold()
    assert recipes.b.acquire(timeout=0.5) is False
    check_given_back(recipes)


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_killed_greenlet_in_recipe_acquire_gives_back(recipes, hz_handler_name):
    recipes.hold()
    _, greenlet = recipes.in_task(recipes.b.acquire)
    recipes.wait_sent()
    greenlet.kill(block=True, timeout=WAIT)
    assert greenlet.dead
    check_given_back(recipes)


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_gevent_timeout_around_recipe_acquire_gives_back(recipes, hz_handler_name):
    import gevent

    recipes.hold()

    def give_up():
        with gevent.Timeout(0.5, False):
            return recipes.b.acquire()
        return "gave up"

    outcome, _ = recipes.in_task(give_up)
    assert outcome.result(WAIT) == "gave up"
    check_given_back(recipes)


@pytest.mark.parametrize("hz_handler_name", ["threading"])
def test_exception_raised_into_thread_in_recipe_acquire_gives_back(recipes, hz_handler_name):
    recipes.hold()
    outcome = []

    def waiter():
        try:
            outcome.append(recipes.b.acquire())
        except KeyboardInterrupt:
            outcome.append("interrupted")

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    recipes.wait_sent()
    wait_until(recipes.client_b.handler, lambda: blocked_in_wait(thread), WAIT, "B never blocked")
    assert (
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(KeyboardInterrupt))
        == 1
    )
    thread.join(WAIT)
    assert not thread.is_alive(), "the exception never reached the waiting thread"
    assert outcome == ["interrupted"]
    check_given_back(recipes)
