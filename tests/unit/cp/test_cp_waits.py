"""Abandoned CP waits against a fake client: what is remembered, what is given back, when."""

import pytest

from hzgreen.cp import session as session_module
from hzgreen.cp.fenced_lock import INVALID_FENCE, FencedLock
from hzgreen.cp.semaphore import SessionAwareSemaphore, SessionlessSemaphore
from hzgreen.cp.subsystem import CPSubsystem
from hzgreen.cp.waits import WAKE_PERIOD, WaitTracker
from hzgreen.exceptions import AcquireCancelledError, HzTimeoutError, SessionExpiredError
from hzgreen.handlers.gevent import SequentialGeventHandler
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
    pending = cp.session_manager.acquire_async(GROUP, 0)
    invocation = fake_client.invocations.of_type(cp_session.CREATE_SESSION_REQUEST_TYPE)[-1]
    fake_client.invocations.answer(
        invocation, cp_session.encode_create_session_response(session_id, 10000, 3600 * 1000)
    )
    assert pending.result(1) == session_id


def test_abandoned_lock_is_remembered_then_unlocked_when_granted(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    result = lock.lock_async()
    (request,) = invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)
    sent = lock_codec.decode_lock_request(request.request)
    assert lock.abandon(result) is True
    with pytest.raises(AcquireCancelledError):
        result.result(1)
    (record,) = cp.waits.abandoned()
    assert (record.invocation_uid, record.session_id, record.thread_id) == (
        sent["invocation_uid"],
        1,
        fake_client.handler.current_identity(),
    )
    invocations.answer(request, lock_codec.encode_lock_response(5))  # granted to nobody
    (unlock,) = invocations.wait_sent(lock_codec.UNLOCK_REQUEST_TYPE)
    given_back = lock_codec.decode_unlock_request(unlock.request)
    assert (given_back["session_id"], given_back["thread_id"]) == (1, sent["thread_id"])
    assert given_back["invocation_uid"] != sent["invocation_uid"]
    assert cp.waits.abandoned() == ()
    invocations.answer(unlock, lock_codec.encode_unlock_response(False))
    assert lock.owners() == {}
    assert cp.session_manager.sessions()[GROUP] == (1, 0)


def test_abandoned_lock_refused_or_expired_gives_nothing_back(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    refused = lock.try_lock_async(30)
    expired = lock.lock_async()
    assert lock.abandon(refused) and lock.abandon(expired)
    assert len(cp.waits.abandoned()) == 2
    (try_request,) = invocations.of_type(lock_codec.TRY_LOCK_REQUEST_TYPE)
    (lock_request,) = invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)
    invocations.answer(try_request, lock_codec.encode_try_lock_response(INVALID_FENCE))
    invocations.fail(lock_request, SessionExpiredError("expired"))
    assert cp.waits.abandoned() == ()
    # No unlock, and no retry under a new session for a caller that is gone.
    assert invocations.of_type(lock_codec.UNLOCK_REQUEST_TYPE) == []
    assert len(invocations.of_type(cp_session.CREATE_SESSION_REQUEST_TYPE)) == 1
    assert len(invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)) == 1


def test_grant_taken_by_nobody_when_the_caller_leaves_right_after_it(fake_client, cp, monkeypatch):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)

    def interrupted(result):
        # The grant comes in, but the caller is interrupted before the value reaches it.
        assert result.wait(5)
        raise KeyboardInterrupt

    monkeypatch.setattr(cp.waits, "_get", interrupted)
    outcome = []
    spawned = fake_client.handler.spawn(lambda: outcome.append(_run(lock.lock)))
    (request,) = invocations.wait_sent(lock_codec.LOCK_REQUEST_TYPE)
    invocations.answer(request, lock_codec.encode_lock_response(8))
    spawned.join(5)
    assert outcome == ["KeyboardInterrupt"]
    (unlock,) = invocations.wait_sent(lock_codec.UNLOCK_REQUEST_TYPE)
    assert lock_codec.decode_unlock_request(unlock.request)["session_id"] == 1
    invocations.answer(unlock, lock_codec.encode_unlock_response(False))
    assert lock.owners() == {}


def _run(func):
    try:
        return func()
    except BaseException as error:
        return type(error).__name__


def test_client_side_deadline_times_out_the_caller_and_a_late_grant_is_given_back(fake_client, cp):
    invocations = fake_client.invocations
    fake_client.config.invocation_timeout = 0.05
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    result = lock.try_lock_async(0)
    with pytest.raises(HzTimeoutError):
        result.result(5)
    assert len(cp.waits.abandoned()) == 1
    (request,) = invocations.of_type(lock_codec.TRY_LOCK_REQUEST_TYPE)
    invocations.answer(request, lock_codec.encode_try_lock_response(3))
    invocations.wait_sent(lock_codec.UNLOCK_REQUEST_TYPE)
    assert cp.waits.abandoned() == ()


def test_an_answer_in_time_cancels_the_client_side_deadline(fake_client, cp):
    invocations = fake_client.invocations
    fake_client.config.invocation_timeout = 0.05
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    result = lock.try_lock_async(0)
    (request,) = invocations.of_type(lock_codec.TRY_LOCK_REQUEST_TYPE)
    invocations.answer(request, lock_codec.encode_try_lock_response(INVALID_FENCE))
    assert result.result(1) == INVALID_FENCE
    fake_client.handler.sleep_func(0.2)  # past the deadline: nothing happens any more
    assert cp.waits.abandoned() == () and result.result(0) == INVALID_FENCE


def test_abandon_only_pending_results(fake_client, cp):
    invocations = fake_client.invocations
    lock = FencedLock(cp, "l", "l", GROUP)
    open_session(fake_client, cp, 1)
    result = lock.lock_async()
    invocations.answer(invocations.of_type(lock_codec.LOCK_REQUEST_TYPE)[-1], lock_codec.encode_lock_response(4))
    assert lock.wait_for(result) == 4
    assert lock.abandon(result) is False
    assert lock.abandon(fake_client.handler.async_result()) is False
    assert invocations.of_type(lock_codec.UNLOCK_REQUEST_TYPE) == []
    assert lock.owners() == {fake_client.handler.current_identity(): 1}
    with pytest.raises(TypeError):
        lock.wait_for(4)


def test_abandoned_permits_are_released_with_the_same_session_and_thread(fake_client, cp):
    invocations = fake_client.invocations
    sem = SessionAwareSemaphore(cp, "s", "s", GROUP)
    open_session(fake_client, cp, 1)
    result = sem.acquire_async(2)
    (request,) = invocations.of_type(sem_codec.ACQUIRE_REQUEST_TYPE)
    sent = sem_codec.decode_acquire_request(request.request)
    assert sem.abandon(result) is True
    (record,) = cp.waits.abandoned()
    assert (record.invocation_uid, record.permits) == (sent["invocation_uid"], 2)
    invocations.answer(request, sem_codec.encode_acquire_response(True))
    (release,) = invocations.wait_sent(sem_codec.RELEASE_REQUEST_TYPE)
    given_back = sem_codec.decode_release_request(release.request)
    assert (given_back["session_id"], given_back["thread_id"], given_back["permits"]) == (1, sent["thread_id"], 2)
    invocations.answer(release, sem_codec.encode_release_response(True))
    assert sem.held_permits() == 0
    assert cp.session_manager.sessions()[GROUP] == (1, 0)


def test_abandoned_sessionless_permits_are_released_with_the_same_thread_id(fake_client, cp):
    invocations = fake_client.invocations
    sem = SessionlessSemaphore(cp, "jdk", "jdk", GROUP)
    outcome = []
    spawned = fake_client.handler.spawn(lambda: outcome.append(sem.acquire_async(1)))
    (generate,) = invocations.wait_sent(cp_session.GENERATE_THREAD_ID_REQUEST_TYPE)
    invocations.answer(generate, cp_session.encode_generate_thread_id_response(777))
    (request,) = invocations.wait_sent(sem_codec.ACQUIRE_REQUEST_TYPE)
    spawned.join(5)
    assert sem.abandon(outcome[0]) is True
    invocations.answer(request, sem_codec.encode_acquire_response(True))
    (release,) = invocations.wait_sent(sem_codec.RELEASE_REQUEST_TYPE)
    given_back = sem_codec.decode_release_request(release.request)
    assert (given_back["session_id"], given_back["thread_id"], given_back["permits"]) == (-1, 777, 1)
    assert cp.waits.abandoned() == ()


def test_threads_wake_to_notice_exceptions_greenlets_do_not(fake_client):
    assert WaitTracker(fake_client.handler)._wake == WAKE_PERIOD
    assert WaitTracker(SequentialGeventHandler())._wake is None
