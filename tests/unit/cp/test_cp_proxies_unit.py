"""CP proxies against a fake client: invocation uids, deadlines, ownership bookkeeping."""

import pytest

from hzgreen.cp import session as session_module
from hzgreen.cp.base import INFINITE
from hzgreen.cp.fenced_lock import FencedLock
from hzgreen.cp.semaphore import SessionAwareSemaphore, SessionlessSemaphore
from hzgreen.cp.subsystem import CPSubsystem
from hzgreen.cp.thread_ids import ThreadIds
from hzgreen.exceptions import (
    IllegalMonitorStateError,
    LockOwnershipLostError,
    SessionExpiredError,
    WaitKeyCancelledError,
)
from hzgreen.protocol.codecs import cp_session
from hzgreen.protocol.codecs import fenced_lock as lock_codec
from hzgreen.protocol.codecs import semaphore as sem_codec
from hzgreen.protocol.custom import RaftGroupId

GROUP = RaftGroupId("default", 0, 7)


@pytest.fixture
def cp(fake_client, monkeypatch):
    monkeypatch.setattr(session_module, "CLOSE_TIMEOUT", 0.01)
    cp = CPSubsystem(fake_client)
    fake_client.cp = cp
    yield cp
    cp._shutdown()


def open_session(fake_client, cp, session_id):
    """Create the group's session (no reference taken) by answering its createSession."""
    pending = cp.session_manager.acquire_async(GROUP, 0)
    invocation = fake_client.invocations.of_type(cp_session.CREATE_SESSION_REQUEST_TYPE)[-1]
    fake_client.invocations.answer(
        invocation, cp_session.encode_create_session_response(session_id, 10000, 3600 * 1000)
    )
    assert pending.result(1) == session_id


def test_lock_retry_after_expired_session_keeps_the_invocation_uid(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    result = lock.lock_async()
    (first,) = invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)
    assert first.deadline == INFINITE  # an unbounded wait is not cut by invocation_timeout
    invocations.fail(first, SessionExpiredError("expired"))
    # The retry runs in a task: it first needs a new session.
    creation = invocations.wait_sent(cp_session.CREATE_SESSION_REQUEST_TYPE, count=2)[-1]
    invocations.answer(creation, cp_session.encode_create_session_response(2, 10000, 3600 * 1000))
    second = invocations.wait_sent(lock_codec.LOCK_REQUEST_TYPE, count=2)[-1]
    before = lock_codec.decode_lock_request(first.request)
    after = lock_codec.decode_lock_request(second.request)
    assert after["invocation_uid"] == before["invocation_uid"]
    assert (before["session_id"], after["session_id"]) == (1, 2)
    assert after["thread_id"] == before["thread_id"] == fake_client.handler.current_identity()
    invocations.answer(second, lock_codec.encode_lock_response(17))
    assert result.result(5) == 17
    assert lock.owners() == {fake_client.handler.current_identity(): 2}
    assert cp.session_manager.sessions()[GROUP] == (2, 1)


def test_each_call_gets_its_own_uid_and_try_lock_deadline(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    lock.try_lock_async(3)
    lock.try_lock_async()
    first, second = invocations.of_type(lock_codec.TRY_LOCK_REQUEST_TYPE)
    a = lock_codec.decode_try_lock_request(first.request)
    b = lock_codec.decode_try_lock_request(second.request)
    assert a["invocation_uid"] != b["invocation_uid"]
    assert (a["timeout_ms"], b["timeout_ms"]) == (3000, 0)
    # The request waits for its answer even past the caller's deadline (timeout +
    # invocation_timeout, kept client-side): a late grant must be given back.
    assert first.deadline == INFINITE
    invocations.answer(first, lock_codec.encode_try_lock_response(0))
    invocations.fail(second, WaitKeyCancelledError("cancelled"))
    # Both failed attempts gave their session references back.
    assert cp.session_manager.sessions()[GROUP] == (1, 0)


def test_expired_session_of_a_holder_means_ownership_lost(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    lost = []
    lock.add_lost_listener(lost.append)
    open_session(fake_client, cp, 1)
    result = lock.lock_async()
    invocations.answer(invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)[0], lock_codec.encode_lock_response(4))
    assert result.result(1) == 4
    assert lock._bound_to(GROUP, 1) is True
    unlocking = lock.unlock_async()
    invocations.fail(invocations.of_type(lock_codec.UNLOCK_REQUEST_TYPE)[0], SessionExpiredError("x"))
    with pytest.raises(LockOwnershipLostError):
        unlocking.result(1)
    assert lock.owners() == {}
    with pytest.raises(IllegalMonitorStateError):
        lock.unlock()  # no session any more: the caller holds nothing


def test_unlock_bookkeeping(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    for _ in range(2):
        pending = lock.lock_async()
        invocations.answer(invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)[-1], lock_codec.encode_lock_response(9))
        assert pending.result(1) == 9
    assert cp.session_manager.sessions()[GROUP] == (1, 2)
    first = lock.unlock_async()
    invocations.answer(invocations.of_type(lock_codec.UNLOCK_REQUEST_TYPE)[-1], lock_codec.encode_unlock_response(True))
    first.result(1)
    assert lock.owners() and cp.session_manager.sessions()[GROUP] == (1, 1)
    second = lock.unlock_async()
    invocations.answer(
        invocations.of_type(lock_codec.UNLOCK_REQUEST_TYPE)[-1], lock_codec.encode_unlock_response(False)
    )
    second.result(1)
    assert lock.owners() == {} and cp.session_manager.sessions()[GROUP] == (1, 0)


def test_session_aware_semaphore_references(fake_client, cp):
    invocations = fake_client.invocations
    sem = SessionAwareSemaphore(cp, "s", "s", GROUP)
    open_session(fake_client, cp, 1)
    acquiring = sem.acquire_async(3)
    request = invocations.of_type(sem_codec.ACQUIRE_REQUEST_TYPE)[-1]
    assert request.deadline == INFINITE
    assert sem_codec.decode_acquire_request(request.request)["timeout_ms"] == -1
    invocations.answer(request, sem_codec.encode_acquire_response(True))
    assert acquiring.result(1) is None
    assert sem.held_permits() == 3 and cp.session_manager.sessions()[GROUP] == (1, 3)
    draining = sem.drain_permits_async()
    invocations.answer(invocations.of_type(sem_codec.DRAIN_REQUEST_TYPE)[-1], sem_codec.encode_drain_response(2))
    assert draining.result(1) == 2
    assert sem.held_permits() == 5 and cp.session_manager.sessions()[GROUP] == (1, 5)
    releasing = sem.release_async(4)
    invocations.answer(invocations.of_type(sem_codec.RELEASE_REQUEST_TYPE)[-1], sem_codec.encode_release_response(True))
    releasing.result(1)
    assert sem.held_permits() == 1 and cp.session_manager.sessions()[GROUP] == (1, 1)


def test_sessionless_semaphore_uses_generated_thread_id(fake_client, cp):
    invocations = fake_client.invocations
    sem = SessionlessSemaphore(cp, "jdk", "jdk", GROUP)
    spawned = fake_client.handler.spawn(sem.release, 2)
    (generate,) = invocations.wait_sent(cp_session.GENERATE_THREAD_ID_REQUEST_TYPE)
    invocations.answer(generate, cp_session.encode_generate_thread_id_response(777))
    (release,) = invocations.wait_sent(sem_codec.RELEASE_REQUEST_TYPE)
    decoded = sem_codec.decode_release_request(release.request)
    assert (decoded["session_id"], decoded["thread_id"], decoded["permits"]) == (-1, 777, 2)
    invocations.answer(release, sem_codec.encode_release_response(True))
    spawned.join(5)
    assert cp.session_manager.sessions() == {}


def test_thread_ids_are_cached_and_bounded(fake_client):
    invocations = fake_client.invocations
    ids = ThreadIds(fake_client, max_entries=2)
    for identity, generated in ((1, 100), (2, 200), (3, 300)):
        pending = ids.get_async(GROUP, identity)
        invocations.answer(invocations.sent[-1], cp_session.encode_generate_thread_id_response(generated))
        assert pending.result(1) == generated
    assert len(ids) == 2
    sent = len(invocations.sent)
    assert ids.get(GROUP, 3) == 300  # cached
    assert len(invocations.sent) == sent
    ids.get_async(GROUP, 1)  # forgotten (least recently used): asked again
    assert len(invocations.sent) == sent + 1


class FakeLink:
    alive = True


def test_calls_are_routed_by_leader_only_while_there_is_more_than_one_member(fake_client, cp):
    from hzgreen.cp.atomic_long import AtomicLong
    from hzgreen.protocol.codecs import atomic_long as atomic_codec

    invocations = fake_client.invocations
    atomic = AtomicLong(cp, "a", "a", GROUP)
    group = (GROUP.id, GROUP.seed)
    link = FakeLink()

    def call_and_answer():
        result = atomic.get_async()
        invocation = invocations.sent[-1]
        invocation.sent_on = link
        invocations.answer(invocation, atomic_codec.encode_get_response(5))
        assert result.result(5) == 5

    assert cp.leaders.enabled  # three members
    call_and_answer()
    assert [entry[0] for entry in cp.leaders.answer_times(group)] == [link]  # the answer time was learnt
    cp.leaders.forget(group)
    fake_client.cluster.change(1)
    assert not cp.leaders.enabled
    call_and_answer()
    assert cp.leaders.answer_times(group) == []  # neither picked nor timed
    fake_client.cluster.change(2)
    assert cp.leaders.enabled
    fake_client.config.smart_routing = False
    fake_client.cluster.change(3)
    assert not cp.leaders.enabled  # one connection, whatever the member count
