"""The invocation table on plain numbers: fake invocations and connections, no handler, no sockets.

Each test plays the driver: it feeds the table events (a send, a response, a closed
connection, the time now) and looks at what the table tells it to do.
"""

import pytest

from hzgreen.exceptions import (
    ClientNotActiveError,
    ClientOfflineError,
    ConnectionLoss,
    HzTimeoutError,
    IllegalArgumentError,
    TargetDisconnectedError,
    WrongTargetError,
)
from hzgreen.protocol import custom
from hzgreen.protocol.codecs import error as error_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.runtime.core.invocations import (
    COMPACT_SLACK,
    ErrorResponse,
    Fail,
    InvocationTable,
    Park,
    Resend,
    RetryAt,
    member_text,
    timeout_error,
)

TIMEOUT = 5.0
PAUSE = 1.0
T0 = 1000.0
MEMBER = "127.0.0.1:5701"


class Link:
    def __init__(self, port=5701):
        self.address = ("127.0.0.1", port)
        self.alive = True
        self.close_reason = None

    def close(self, reason):
        self.alive = False
        self.close_reason = reason


class Call:
    """An invocation as the driver keeps it; reads of its deadline and state, and ``describe()``
    calls, are counted."""

    described = 0
    looked_at = 0

    def __init__(
        self,
        name="users",
        partition_id=7,
        connection=None,
        urgent=False,
        event_handler=None,
        retryable=False,
        deadline=0.0,
        timeout_source=None,
    ):
        self.request = map_codec.encode_get_request(name, b"key", 1)
        self.request.retryable = retryable
        self.name = name
        self.partition_id = partition_id
        self.connection = connection
        self.urgent = urgent
        self.event_handler = event_handler
        self.timeout_source = timeout_source
        self.deadline = deadline
        self.started = 0.0
        self.correlation_id = 0
        self.sent_on = None
        self.done = False

    @property
    def deadline(self):
        Call.looked_at += 1
        return self._deadline

    @deadline.setter
    def deadline(self, value):
        self._deadline = value

    @property
    def done(self):
        Call.looked_at += 1
        return self._done

    @done.setter
    def done(self, value):
        self._done = value

    def describe(self):
        Call.described += 1
        return "Map.get on %r" % self.name


def table(redo=False, fail_fast=False, active=True):
    t = InvocationTable(TIMEOUT, PAUSE, redo=redo, fail_fast=fail_fast)
    if active:
        t.restart()
    return t


def sent(t, link, now=T0, **kwargs):
    """A call begun at ``now`` and registered for ``link`` (the driver would write it now)."""
    call = Call(**kwargs)
    assert t.send(call, link, now) is None
    return call


def response(call):
    message = map_codec.encode_get_response(b"value")
    message.set_correlation_id(call.correlation_id)
    return message


def error_response(call, code, class_name):
    return error_codec.encode_error([custom.ErrorHolder(code, class_name, "refused", [])], call.correlation_id)


def settle(actions):
    """Run the failures as the driver does: each marks its invocation done."""
    for action in actions:
        if isinstance(action, Fail):
            assert not action.invocation.done, "failed twice: %r" % action.invocation
            action.invocation.done = True
    return actions


# -- sending --------------------------------------------------------------------------------


def test_correlation_ids_are_unique_and_stamped_on_invocation_and_request():
    t = table()
    a, b = Link(5701), Link(5702)
    calls = [sent(t, a if i % 2 else b) for i in range(1000)]
    ids = [call.correlation_id for call in calls]
    assert len(set(ids)) == 1000 and all(i > 0 for i in ids)
    assert [call.request.get_correlation_id() for call in calls] == ids
    assert {call.request.get_partition_id() for call in calls} == {7}
    assert [call.sent_on for call in calls[:2]] == [b, a]
    assert set(t.pending) == set(ids)
    # A call sent again gets a fresh id: a late answer to the first send can never complete it.
    again = calls[0]
    first = again.correlation_id
    t.pending.pop(first)
    assert t.send(again, a) is None
    assert again.correlation_id not in ids and again.request.get_correlation_id() == again.correlation_id


def test_a_first_send_stamps_the_start_and_the_default_deadline_and_keeps_a_callers_deadline():
    t = table()
    default, own = Call(), Call(deadline=T0 + 30.0, timeout_source="timeout + invocation_timeout")
    assert t.send(default, Link(), T0) is None and t.send(own, None, T0) == Park(own)
    assert (default.started, default.deadline) == (T0, T0 + TIMEOUT)
    assert (own.started, own.deadline) == (T0, T0 + 30.0)


def test_nothing_begins_before_restart_nor_after_shutdown():
    t = table(active=False)
    call = Call()
    refused = t.send(call, Link(), T0)
    assert isinstance(refused, Fail) and refused.invocation is call
    assert isinstance(refused.error, ClientNotActiveError) and "not started" in str(refused.error)
    assert call.started == 0.0 and t.pending == {}
    t.restart()
    assert t.send(call, Link(), T0) is None
    t.shutdown()
    refused = t.send(Call(), None, T0)
    assert isinstance(refused.error, ClientNotActiveError) and "stopped" in str(refused.error)


def test_an_invocation_pinned_to_a_closed_connection_fails_naming_member_and_reason():
    t = table()
    link = Link()
    link.close("reset by peer")
    call = Call(connection=link)
    action = t.send(call, link, T0)
    assert isinstance(action, Fail) and isinstance(action.error, TargetDisconnectedError)
    assert str(action.error) == "Map.get on 'users': connection to %s closed: reset by peer" % MEMBER
    assert (action.error.operation, action.error.member) == ("Map.get on 'users'", MEMBER)
    assert t.pending == {} and call.correlation_id == 0


def test_a_failed_write_of_a_routed_invocation_is_retried_and_of_a_pinned_one_fails():
    t = table()
    link = Link()
    handler = object()
    routed = sent(t, link, event_handler=handler)
    pinned = sent(t, link, connection=link)
    retry = t.send_failed(routed, OSError("broken pipe"), T0 + 1.0)
    assert retry == RetryAt(routed, T0 + 1.0 + PAUSE)
    assert t.retrying[id(routed)][1].__class__ is ConnectionLoss
    assert "Map.get on 'users' could not be sent: broken pipe" == str(t.retrying[id(routed)][1])
    assert routed.correlation_id not in t.event_handlers
    failure = t.send_failed(pinned, OSError("broken pipe"), T0 + 1.0)
    assert isinstance(failure, Fail) and isinstance(failure.error, TargetDisconnectedError)
    assert str(failure.error) == "Map.get on 'users': could not send to %s: broken pipe" % MEMBER
    assert t.pending == {}


# -- responses -------------------------------------------------------------------------------


def test_a_response_is_routed_to_its_invocation_exactly_once():
    t = table()
    link = Link()
    calls = [sent(t, link) for _ in range(3)]
    assert t.on_response(response(calls[1])) is calls[1]
    assert t.on_response(response(calls[1])) is None  # a duplicate finds nothing
    assert sorted(t.pending) == [calls[0].correlation_id, calls[2].correlation_id]
    # One failed meanwhile by the driver (done): its answer completes nothing.
    calls[0].done = True
    assert t.on_response(response(calls[0])) is None
    assert list(t.pending) == [calls[2].correlation_id]


def test_a_late_response_after_the_deadline_is_ignored():
    t = table()
    link = Link()
    call = sent(t, link)
    [failure] = settle(t.expire(T0 + TIMEOUT))
    assert failure.invocation is call and isinstance(failure.error, HzTimeoutError)
    assert t.on_response(response(call)) is None
    assert t.on_response(error_response(call, 62, "WrongTargetException")) is None
    assert t.expire(T0 + 100.0) == []


def test_a_retryable_error_response_is_retried_after_the_pause():
    t = table()
    link = Link()
    call = sent(t, link)
    answered = t.on_response(error_response(call, 62, "WrongTargetException"))
    assert answered == ErrorResponse(call, answered.message)
    outcome = t.on_error_response(answered, link, T0 + 1.0)
    assert outcome == RetryAt(call, T0 + 1.0 + PAUSE)
    error = t.retrying[id(call)][1]
    assert isinstance(error, WrongTargetError) and (error.operation, error.member) == ("Map.get on 'users'", MEMBER)
    assert t.take_retry(call) is True
    assert t.take_retry(call) is False  # the timer fires once; a second look finds nothing
    assert t.send(call, link) is None and t.on_response(response(call)) is call


def test_a_non_retryable_error_response_fails_naming_operation_and_member():
    t = table()
    link = Link()
    call = sent(t, link)
    outcome = t.on_error_response(t.on_response(error_response(call, 23, "IllegalArgumentException")), link, T0)
    assert isinstance(outcome, Fail) and isinstance(outcome.error, IllegalArgumentError)
    assert str(outcome.error).startswith("Map.get on 'users' failed on %s: " % MEMBER)
    assert t.retrying == {}


@pytest.mark.parametrize("case", ["pinned", "too close to the deadline"])
def test_a_retryable_error_response_fails_when_a_retry_cannot_help(case):
    t = table()
    link = Link()
    call = sent(t, link, connection=link if case == "pinned" else None)
    now = T0 + 1.0 if case == "pinned" else T0 + TIMEOUT - PAUSE
    outcome = t.on_error_response(t.on_response(error_response(call, 62, "WrongTargetException")), link, now)
    assert isinstance(outcome, Fail) and isinstance(outcome.error, WrongTargetError)
    assert t.retrying == {}


def test_events_reach_their_handler_until_removed_and_an_error_response_drops_it():
    t = table()
    link = Link()
    on_event = object()
    listening = sent(t, link, event_handler=on_event)
    refused = sent(t, link, event_handler=on_event)
    assert t.event_handler(listening.correlation_id) is on_event
    assert t.on_response(response(listening)) is listening
    assert t.event_handler(listening.correlation_id) is on_event  # the registration outlives its answer
    t.remove_event_handler(listening.correlation_id)
    assert t.event_handler(listening.correlation_id) is None
    assert isinstance(t.on_response(error_response(refused, 23, "IllegalArgumentException")), ErrorResponse)
    assert t.event_handler(refused.correlation_id) is None and t.event_handlers == {}


# -- lost connections ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "redo, retryable, unsent, pinned, retried",
    [
        (False, False, False, False, False),  # it may have run on the member: not sent twice
        (True, False, False, False, True),  # redo_operation
        (False, True, False, False, True),  # an idempotent request
        (False, False, True, False, True),  # its bytes never all left
        (True, True, True, True, False),  # pinned to the connection that is gone
    ],
)
def test_a_lost_connection_retries_what_is_safe_to_send_again_and_fails_the_rest(
    redo, retryable, unsent, pinned, retried
):
    t = table(redo=redo)
    link, other = Link(5701), Link(5702)
    call = sent(t, link, retryable=retryable, connection=link if pinned else None)
    elsewhere = sent(t, other)
    [outcome] = t.connection_closed(link, "reset by peer", [call] if unsent else [], T0 + 1.0)
    if retried:
        assert outcome == RetryAt(call, T0 + 1.0 + PAUSE)
        error = t.retrying[id(call)][1]
    else:
        assert isinstance(outcome, Fail) and outcome.invocation is call
        error = outcome.error
        assert t.retrying == {}
    assert isinstance(error, TargetDisconnectedError)
    assert str(error) == "Map.get on 'users': connection to %s lost before the response: reset by peer" % MEMBER
    assert list(t.pending) == [elsewhere.correlation_id]


def test_a_lost_connection_drops_its_event_handlers_and_skips_completed_invocations():
    t = table(redo=True)
    link, other = Link(5701), Link(5702)
    registration = sent(t, link, event_handler=object(), connection=link)
    assert t.on_response(response(registration)) is registration  # answered: only its handler stays
    done = sent(t, link)
    done.done = True
    kept = sent(t, other, event_handler=object())
    assert t.connection_closed(link, "closed", (), T0) == []
    assert list(t.event_handlers) == [kept.correlation_id]
    assert list(t.pending) == [kept.correlation_id]


def test_a_retry_after_shutdown_fails_with_client_not_active():
    t = table(redo=True)
    link = Link()
    call = sent(t, link)
    t.shutdown()
    outcome = t.retry_later(call, ConnectionLoss("lost"), T0)
    assert isinstance(outcome, Fail) and isinstance(outcome.error, ClientNotActiveError)


# -- parking -----------------------------------------------------------------------------------------


def test_parked_invocations_are_resent_in_order_once_a_connection_is_usable():
    t = table()
    link = Link()
    calls = [Call(name="m%d" % i) for i in range(3)]
    for call in calls:
        action = t.send(call, None, T0)
        assert action == Park(call)
        t.park(call)
    assert t.pending == {} and list(t.parked.values()) == calls
    calls[1].done = True  # failed by the driver meanwhile (e.g. the caller gave up)
    resends = t.unpark_all()
    assert resends == [Resend(calls[0]), Resend(calls[2])]
    assert t.parked == {} and t.unpark_all() == []
    for resend in resends:
        assert t.send(resend.invocation, link) is None
    assert [t.on_response(response(call)) for call in (calls[0], calls[2])] == [calls[0], calls[2]]
    assert t.expire(T0 + 100.0) == []  # their parked deadlines died with the parking


def test_without_a_connection_the_client_fails_fast_in_async_mode_except_urgent_requests():
    t = table(fail_fast=True)
    call, urgent = Call(), Call(urgent=True)
    action = t.send(call, None, T0)
    assert isinstance(action, Fail) and isinstance(action.error, ClientOfflineError)
    assert "reconnect_mode=ASYNC" in str(action.error)
    assert t.send(urgent, None, T0) == Park(urgent)


# -- deadlines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, seconds, text, named",
    [
        (None, TIMEOUT, "5.0", "invocation_timeout"),
        ("connection_timeout", 1.0, "1.0", "connection_timeout"),
        ("timeout + invocation_timeout", 7.25, "7.25", "timeout + invocation_timeout"),
    ],
)
def test_a_timeout_names_the_operation_the_limit_that_ran_out_and_the_member(source, seconds, text, named):
    t = table()
    link = Link()
    deadline = 0.0 if source is None else T0 + seconds
    call = sent(t, link, deadline=deadline, timeout_source=source)
    assert t.expire(T0 + seconds - 0.001) == []
    [failure] = settle(t.expire(T0 + seconds))
    assert failure.invocation is call
    error = failure.error
    assert isinstance(error, HzTimeoutError)
    assert str(error) == "Map.get on 'users' timed out after %s s (%s) waiting for %s" % (text, named, MEMBER)
    assert (error.operation, error.member) == ("Map.get on 'users'", MEMBER)
    assert t.pending == {}
    assert t.expire(T0 + 1000.0) == []  # once


def test_a_parked_invocation_times_out_waiting_for_a_connection():
    t = table()
    call = Call()
    assert t.send(call, None, T0) == Park(call)
    t.park(call)
    [failure] = settle(t.expire(T0 + TIMEOUT))
    assert str(failure.error) == (
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting for a connection to the cluster"
    )
    assert failure.error.member is None
    assert t.parked == {} and t.unpark_all() == []


def test_an_invocation_waiting_for_its_retry_times_out_naming_the_last_error():
    t = table(redo=True)
    link = Link()
    call = sent(t, link)
    [retry] = t.connection_closed(link, "reset by peer", (), T0 + 3.5)
    assert retry == RetryAt(call, T0 + 4.5)
    [failure] = settle(t.expire(T0 + TIMEOUT))  # the retry timer is late: the deadline passes first
    assert str(failure.error).startswith(
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting "
        "for a retry (last error: Map.get on 'users': connection to %s lost" % MEMBER
    )
    assert isinstance(failure.error.__cause__, TargetDisconnectedError)
    assert t.take_retry(call) is False  # the late timer sends nothing


def test_a_retried_invocation_times_out_once_at_its_first_deadline_naming_the_new_member():
    t = table(redo=True)
    first, second = Link(5701), Link(5702)
    call = sent(t, first)
    t.expire(T0)
    t.connection_closed(first, "reset by peer", (), T0 + 1.0)
    assert t.take_retry(call)
    assert t.send(call, second) is None
    assert t.expire(T0 + TIMEOUT - 0.001) == []
    [failure] = settle(t.expire(T0 + TIMEOUT))
    assert str(failure.error).endswith("waiting for 127.0.0.1:5702")
    assert t.expire(T0 + 100.0) == []


def test_an_invocation_without_a_deadline_never_times_out_and_costs_no_heap_entry():
    t = table(redo=True)
    link = Link()
    call = sent(t, link, deadline=float("inf"), timeout_source="timeout + invocation_timeout")
    assert t.expire(T0 + 1e9) == [] and t.deadlines.held == 0
    t.connection_closed(link, "reset", (), T0 + 1e9)
    assert t.waiting_deadlines.held == 0 and t.take_retry(call)
    parked = Call(deadline=float("inf"))
    assert t.send(parked, None, T0) == Park(parked)
    t.park(parked)
    assert t.waiting_deadlines.held == 0 and t.next_deadline() is None


def test_expiry_among_10000_pending_looks_only_at_what_is_due():
    t = table()
    link = Link()
    early = [sent(t, link, now=T0) for _ in range(10)]
    late = [sent(t, link, now=T0 + 2.0) for _ in range(10_000)]
    assert t.expire(T0 + 2.0) == []  # takes the new sends in: O(sent), paid once per send
    examined, looked_at = t.deadlines.examined, Call.looked_at
    for step in range(1, 101):
        assert t.expire(T0 + 2.0 + step * 0.01) == []  # a second of sweeps before anything is due
    assert t.deadlines.examined - examined == 100  # one peek per sweep, not 10,000
    assert Call.looked_at == looked_at  # no invocation was even looked at
    examined, described = t.deadlines.examined, Call.described
    failures = settle(t.expire(T0 + TIMEOUT))  # the ten early ones are due, the rest two seconds later
    assert [failure.invocation for failure in failures] == early
    assert t.deadlines.examined - examined == len(early) + 1  # the due ones and one peek
    assert Call.described - described == len(early)  # an error built for each due one only
    assert Call.looked_at - looked_at <= 5 * len(early)
    assert not any(call.done for call in late) and len(t.pending) == 10_000


def test_answered_invocations_do_not_linger_in_the_heap():
    t = table()
    link = Link()
    calls = [sent(t, link) for _ in range(10_000)]
    t.expire(T0)
    assert t.deadlines.held == 10_000
    for call in calls[:9_000]:
        assert t.on_response(response(call)) is call
    t.expire(T0 + 0.05)
    assert t.deadlines.held <= 2 * 1000 + COMPACT_SLACK
    for call in calls[9_000:]:
        t.on_response(response(call))
    t.expire(T0 + 0.1)
    assert t.deadlines.held <= COMPACT_SLACK


def test_many_waiting_invocations_sent_again_are_compacted_out_of_their_heap():
    t = table()
    link = Link()
    calls = [Call() for _ in range(1000)]
    for call in calls:
        assert t.send(call, None, T0) == Park(call)
        t.park(call)
    t.expire(T0)
    assert t.waiting_deadlines.held == 1000
    for resend in t.unpark_all():
        t.send(resend.invocation, link)
    t.expire(T0)
    assert t.waiting_deadlines.held <= COMPACT_SLACK


def test_a_done_invocation_still_pending_at_its_deadline_is_not_failed_again():
    t = table()
    link = Link()
    handler = object()
    call = sent(t, link, event_handler=handler)
    call.done = True
    assert t.expire(T0 + TIMEOUT) == []
    assert t.pending == {} and t.event_handlers == {}


def test_next_deadline_is_the_earliest_of_sent_parked_and_retrying_invocations():
    t = table(redo=True)
    link = Link()
    assert t.next_deadline() is None
    sent(t, link, now=T0 + 2.0)
    assert t.next_deadline() == T0 + 2.0 + TIMEOUT
    parked = Call()
    assert t.send(parked, None, T0 + 1.0) == Park(parked)
    t.park(parked)
    assert t.next_deadline() == T0 + 1.0 + TIMEOUT
    retrying = sent(t, Link(5702), now=T0)
    t.connection_closed(retrying.sent_on, "reset", (), T0 + 0.5)
    assert t.next_deadline() == T0 + TIMEOUT


# -- shutdown --------------------------------------------------------------------------------------


def test_shutdown_fails_each_outstanding_invocation_once_and_forgets_them():
    t = table(redo=True)
    link = Link()
    waiting_answer = sent(t, link, event_handler=object())
    complete = sent(t, link)
    complete.done = True
    retrying = sent(t, Link(5702))
    t.connection_closed(retrying.sent_on, "reset", (), T0)
    parked = Call()
    assert t.send(parked, None, T0) == Park(parked)
    t.park(parked)
    failures = settle(t.shutdown())
    assert [failure.invocation for failure in failures] == [waiting_answer, parked, retrying]
    assert all(isinstance(f.error, ClientNotActiveError) and "stopped" in str(f.error) for f in failures)
    assert (t.pending, t.parked, t.retrying, t.event_handlers) == ({}, {}, {}, {})
    assert t.expire(T0 + 100.0) == [] and t.deadlines.held == 0 and t.waiting_deadlines.held == 0
    assert t.shutdown() == []


def test_the_error_helpers_name_what_they_are_given():
    call = Call(name="orders")
    call.started, call.deadline = 10.0, 12.5
    link = Link(5703)
    assert member_text(link) == "127.0.0.1:5703"
    error = timeout_error(call, None, "a retry")
    assert str(error) == "Map.get on 'orders' timed out after 2.5 s (invocation_timeout) waiting for a retry"
    assert error.member is None
