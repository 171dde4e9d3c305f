"""Map locks without a member: argument checks, owners, reference ids, deadlines, lock_context
and giving back a lock whose caller stopped waiting."""

import math
import threading

import pytest

from hzgreen.exceptions import HzTimeoutError
from hzgreen.protocol.codecs import map as codec
from tests.unit.proxy.fakes import answer, make_map


@pytest.fixture
def mapped(handler):
    return make_map(handler)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda m: m.lock_async(None), ValueError),
        (lambda m: m.lock_async("k", lease_time="1"), TypeError),
        (lambda m: m.lock_async("k", lease_time=-1), ValueError),
        (lambda m: m.try_lock_async(None), ValueError),
        (lambda m: m.try_lock_async("k", timeout=None), ValueError),
        (lambda m: m.try_lock_async("k", timeout=-0.5), ValueError),
        (lambda m: m.try_lock_async("k", timeout=math.inf), ValueError),
        (lambda m: m.unlock_async(None), ValueError),
        (lambda m: m.is_locked_async(None), ValueError),
        (lambda m: m.force_unlock_async(None), ValueError),
        (lambda m: m.try_put_async("k", None), ValueError),
        (lambda m: m.try_put_async("k", 1, timeout="soon"), TypeError),
        (lambda m: m.try_remove_async(None), ValueError),
    ],
)
def test_bad_arguments_fail_before_sending(mapped, call, error):
    m, context = mapped
    with pytest.raises(error):
        call(m)
    assert context.invocations.sent == []


def test_lock_requests_carry_the_callers_identity_and_fresh_reference_ids(mapped, handler):
    m, context = mapped
    m.lock_async("k", lease_time=2.5)
    m.lock_async("k")
    first, second = (codec.decode_lock_request(i.request) for i in context.invocations.sent)
    assert first["thread_id"] == second["thread_id"] == handler.current_identity()
    assert first["ttl"] == 2500 and second["ttl"] == -1
    assert first["reference_id"] != second["reference_id"]
    other = []
    thread = threading.Thread(target=lambda: other.append(handler.current_identity()))
    thread.start()
    thread.join()
    assert other[0] != first["thread_id"]


def test_lock_has_no_deadline_and_try_lock_waits_its_timeout_plus_invocation_timeout(mapped, handler):
    m, context = mapped
    m.lock_async("k")
    before = handler.monotonic()
    m.try_lock_async("k", lease_time=1, timeout=3)
    m.try_lock_async("k")
    lock, timed, immediate = context.invocations.sent
    assert lock.deadline == math.inf
    assert before + 3 + 120 <= timed.deadline <= handler.monotonic() + 3 + 120
    assert immediate.deadline == 0.0  # the invocation service's default
    request = codec.decode_try_lock_request(timed.request)
    assert (request["lease"], request["timeout"]) == (1000, 3000)
    key_partition = context.partitions.partition_id_of(m._to_data("k"))
    assert {i.partition_id for i in context.invocations.sent} == {key_partition}


def test_lock_context_locks_then_unlocks(mapped, handler):
    m, context = mapped
    sent = context.invocations.sent

    def member():  # answers the lock, then the unlock
        for position, response in ((0, codec.encode_lock_response()), (1, codec.encode_unlock_response())):
            while len(sent) <= position:
                threading.Event().wait(0.001)
            answer(sent[position], response)

    thread = threading.Thread(target=member)
    thread.start()
    with m.lock_context("k"):
        assert len(sent) == 1
    thread.join(10)
    assert [i.request.get_message_type() for i in sent] == [codec.LOCK_REQUEST_TYPE, codec.UNLOCK_REQUEST_TYPE]
    lock, unlock = (sent[0].request, sent[1].request)
    assert codec.decode_unlock_request(unlock)["thread_id"] == codec.decode_lock_request(lock)["thread_id"]


def test_lock_context_with_a_timeout_raises_when_not_acquired(mapped):
    m, context = mapped
    sent = context.invocations.sent
    thread = threading.Thread(target=lambda: _answer_when_sent(sent, 0, codec.encode_try_lock_response(False)))
    thread.start()
    with pytest.raises(HzTimeoutError, match="could not lock"):
        with m.lock_context("k", timeout=0.5):
            pytest.fail("the block ran without the lock")
    thread.join(10)
    assert len(sent) == 1  # no unlock of a lock never held


def _answer_when_sent(sent, position, response):
    while len(sent) <= position:
        threading.Event().wait(0.001)
    answer(sent[position], response)


@pytest.fixture
def gevent_handler():
    """Yields a started SequentialGeventHandler (the test is skipped without gevent), stopped afterwards."""
    pytest.importorskip("gevent")
    from hzgreen.handlers.gevent import SequentialGeventHandler

    handler = SequentialGeventHandler()
    handler.start()
    yield handler
    handler.stop()


def test_an_abandoned_lock_is_given_back_when_granted_later(gevent_handler):
    import gevent

    m, context = make_map(gevent_handler)
    sent = context.invocations.sent
    with pytest.raises(gevent.Timeout):
        with gevent.Timeout(0.05):
            m.lock("k")
    assert len(sent) == 1
    owner = codec.decode_lock_request(sent[0].request)["thread_id"]
    answer(sent[0], codec.encode_lock_response())  # the member grants it after all
    with gevent.Timeout(10):
        while len(sent) < 2:
            gevent.sleep(0.001)
    assert sent[1].request.get_message_type() == codec.UNLOCK_REQUEST_TYPE
    assert codec.decode_unlock_request(sent[1].request)["thread_id"] == owner


def test_a_refused_abandoned_try_lock_sends_nothing_more(gevent_handler):
    import gevent

    m, context = make_map(gevent_handler)
    sent = context.invocations.sent
    with pytest.raises(gevent.Timeout):
        with gevent.Timeout(0.05):
            m.try_lock("k", timeout=5)
    answer(sent[0], codec.encode_try_lock_response(False))
    gevent.sleep(0.05)
    assert len(sent) == 1
