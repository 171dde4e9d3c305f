"""A bounded CP acquire whose answer comes after the client stopped waiting gives it back.

A real member answers a ``try_lock``/``try_acquire`` within its timeout; what it cannot be
made to do is answer *late*. A fault proxy between client B and the member holds the
member's bytes back: the member grants B's wait, B's caller times out client-side
(timeout + ``invocation_timeout``) with ``HzTimeoutError``, then the proxy lets the grant
through. B must give it back at once: A gets the lock (permit) within 1 s, with B running.
"""

import pytest

from hzgreen import HzClient
from hzgreen.cp import INVALID_FENCE
from hzgreen.exceptions import HzTimeoutError
from hzgreen.protocol.codecs import fenced_lock as lock_codec
from hzgreen.protocol.codecs import semaphore as sem_codec
from hzgreen.testing.waiting import pending_requests, wait_until

from .fakepeer import FaultProxy

pytestmark = pytest.mark.fakepeer

WAIT = 30
REACQUIRE = 1.0
MEMBER_WAIT = 2.0
INVOCATION_TIMEOUT = 2.0


@pytest.fixture
def proxied_client(hz_cluster, hz_handler):
    host, port = hz_cluster.addresses[0].split(":")
    proxy = FaultProxy(host, int(port))
    client = HzClient(
        cluster_members=[proxy.address],
        cluster_name=hz_cluster.cluster_name,
        handler=hz_handler,
        smart_routing=False,
        invocation_timeout=INVOCATION_TIMEOUT,
    )
    client.start(timeout=WAIT)
    client.proxy = proxy
    try:
        yield client
    finally:
        proxy.resume_to_clients()
        client.close()
        proxy.close()


@pytest.mark.parametrize("kind", ["lock", "semaphore"])
def test_fakepeer_late_grant_after_client_side_timeout_is_given_back(hz_client, proxied_client, unique_name, kind):
    a, b = hz_client, proxied_client
    if kind == "lock":
        mine, theirs = a.cp.get_lock(unique_name), b.cp.get_lock(unique_name)
        assert mine.lock() > INVALID_FENCE
        assert theirs.try_lock() == INVALID_FENCE  # B's CP session exists from here on
        attempt, request_type = (lambda: theirs.try_lock(MEMBER_WAIT)), lock_codec.TRY_LOCK_REQUEST_TYPE
        release = mine.unlock
    else:
        mine, theirs = a.cp.get_semaphore(unique_name), b.cp.get_semaphore(unique_name)
        assert mine.init(1)
        mine.acquire()
        assert theirs.try_acquire() is False
        attempt, request_type = (lambda: theirs.try_acquire(1, MEMBER_WAIT)), sem_codec.ACQUIRE_REQUEST_TYPE
        release = mine.release
    outcome = b.handler.async_result()

    def wait_in_b():
        try:
            outcome.set(attempt())
        except BaseException as error:
            outcome.set_exception(error)

    b.handler.spawn(wait_in_b)
    wait_until(b.handler, lambda: pending_requests(b, (request_type,)), WAIT, "B's acquire was not sent")
    b.proxy.hold_to_clients()
    release()  # the member grants B's wait; the answer is held
    with pytest.raises(HzTimeoutError):
        outcome.result(WAIT)
    abandoned = b.cp.waits.abandoned()
    assert len(abandoned) == 1 and abandoned[0].thread_id > 0
    b.proxy.resume_to_clients()  # the grant arrives after the caller left
    if kind == "lock":
        fence = mine.try_lock(REACQUIRE)
        assert fence != INVALID_FENCE, "the late grant was not given back"
        mine.unlock()
    else:
        assert mine.try_acquire(1, REACQUIRE), "the late grant was not given back"
        mine.release()
    wait_until(b.handler, lambda: not b.cp.waits.abandoned(), WAIT, "the abandoned wait was not forgotten")
    assert b.connected
