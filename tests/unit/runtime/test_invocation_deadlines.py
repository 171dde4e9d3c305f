"""InvocationService deadlines with a fake clock: only what is due is looked at, each
invocation times out once at its own deadline, and the error names the limit that ran out."""

import gc
import math
import types
import weakref

import pytest

from hzgreen.exceptions import HzTimeoutError, TargetDisconnectedError
from hzgreen.protocol import custom
from hzgreen.protocol.codecs import error as error_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.runtime.invocation import COMPACT_SLACK, Invocation, InvocationService
from tests.unit.runtime.invocation_fakes import Clock, FakeConnection, FakeConnections, FakeHandler, Outcome

MEMBER = "127.0.0.1:5701"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def connections():
    return FakeConnections()


@pytest.fixture
def handler(clock):
    return FakeHandler(clock)


def make_service(handler, connections, invocation_timeout=5.0, retry_pause=1.0):
    config = types.SimpleNamespace(
        invocation_timeout=invocation_timeout,
        invocation_retry_pause=retry_pause,
        redo_operation=False,
        reconnect_mode="ON",
    )
    service = InvocationService(config, handler, connections, None)
    service.restart()
    return service


@pytest.fixture
def service(handler, connections):
    return make_service(handler, connections)


def map_get(name="users", deadline=None, source=None, **kwargs):
    invocation = Invocation(
        map_codec.encode_get_request(name, b"key", 1),
        Outcome(),
        response_handler=map_codec.decode_get_response,
        object_name=name,
        **kwargs,
    )
    if deadline is not None:
        invocation.deadline = deadline
        invocation.timeout_source = source
    return invocation


def respond(service, connections, invocation):
    response = map_codec.encode_get_response(b"value")
    response.set_correlation_id(invocation.correlation_id)
    service.handle_message(connections.connection, response)


def test_a_sweep_with_nothing_due_examines_constant_entries_among_10000_pending(service, clock):
    invocations = [map_get() for _ in range(10_000)]
    for invocation in invocations:
        service.invoke(invocation)
        clock.now += 0.0001  # one second of sends
    service.check_deadlines(clock.now)  # takes in the new arrivals
    queue = service._table.deadlines
    before = queue.examined
    for _ in range(100):
        clock.now += 0.01  # a second's worth of sweeps, still before the first deadline
        service.check_deadlines(clock.now)
    assert queue.examined - before <= 100  # one peek per sweep, not 10,000
    assert not any(invocation.done for invocation in invocations)
    assert len(service._pending) == 10_000


def test_due_invocations_are_the_only_ones_popped(service, clock):
    early = [map_get() for _ in range(10)]
    for invocation in early:
        service.invoke(invocation)
    clock.now += 2.0
    late = [map_get() for _ in range(5000)]
    for invocation in late:
        service.invoke(invocation)
    service.check_deadlines(clock.now)
    before = service._table.deadlines.examined
    clock.now += 3.0  # the first ten are due, the rest two seconds later
    service.check_deadlines(clock.now)
    assert service._table.deadlines.examined - before == len(early) + 1
    assert all(invocation.done for invocation in early)
    assert not any(invocation.done for invocation in late)


def test_an_invocation_times_out_once_at_its_deadline_naming_operation_limit_and_member(service, clock):
    invocation = map_get()
    service.invoke(invocation)
    clock.now += 4.999
    service.check_deadlines(clock.now)
    assert invocation.future.calls == []
    clock.now += 0.001
    service.check_deadlines(clock.now)
    error = invocation.future.error
    assert isinstance(error, HzTimeoutError)
    assert str(error) == "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting for %s" % MEMBER
    assert (error.operation, error.member) == ("Map.get on 'users'", MEMBER)
    assert service._pending == {}
    for _ in range(3):
        clock.now += 10.0
        service.check_deadlines(clock.now)
    assert len(invocation.future.calls) == 1


def test_a_response_after_the_deadline_is_ignored(service, connections, clock):
    invocation = map_get()
    service.invoke(invocation)
    clock.now += 6.0
    service.check_deadlines(clock.now)
    respond(service, connections, invocation)
    error_response = error_codec.encode_error(
        [custom.ErrorHolder(62, "WrongTargetException", "late", [])], invocation.correlation_id
    )
    service.handle_message(connections.connection, error_response)
    assert isinstance(invocation.future.error, HzTimeoutError)  # seen once, nothing else arrived


def test_a_response_before_the_deadline_completes_and_nothing_times_out(service, connections, clock):
    invocation = map_get()
    service.invoke(invocation)
    clock.now += 1.0
    respond(service, connections, invocation)
    clock.now += 10.0
    service.check_deadlines(clock.now)
    assert invocation.future.calls == [("value", b"value")]


@pytest.mark.parametrize(
    "extra, source, text",
    [
        (2.0, "timeout + invocation_timeout", "7.0"),  # a CP or queue wait: longer than invocation_timeout
        (-4.0, "connection_timeout", "1.0"),  # authentication: shorter than invocation_timeout
    ],
)
def test_a_deadline_set_by_the_caller_is_the_one_that_runs_out_and_is_named(service, clock, extra, source, text):
    seconds = 5.0 + extra
    invocation = map_get(deadline=clock.now + seconds, source=source)
    service.invoke(invocation)
    clock.now += seconds - 0.001
    service.check_deadlines(clock.now)
    assert invocation.future.calls == []  # invocation_timeout (5 s) may have passed: it is not the limit
    clock.now += 0.001
    service.check_deadlines(clock.now)
    assert str(invocation.future.error) == (
        "Map.get on 'users' timed out after %s s (%s) waiting for %s" % (text, source, MEMBER)
    )


def test_an_invocation_without_deadline_never_times_out_and_costs_no_entry(service, connections, clock):
    invocation = map_get(deadline=math.inf, source="timeout + invocation_timeout")
    service.invoke(invocation)
    assert service._table.deadlines.held == 0
    clock.now += 1e6
    service.check_deadlines(clock.now)
    assert invocation.future.calls == []
    respond(service, connections, invocation)
    assert invocation.future.calls[0][0] == "value"


def test_a_parked_invocation_times_out_waiting_for_a_connection(service, connections, clock):
    connections.up = False
    invocation = map_get()
    service.invoke(invocation)
    assert list(service._table.parked.values()) == [invocation]
    clock.now += 5.0
    service.check_deadlines(clock.now)
    assert str(invocation.future.error) == (
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting for a connection to the cluster"
    )
    assert invocation.future.error.member is None
    assert service._table.parked == {}
    connections.up = True
    service.resend_parked()
    assert connections.connection.written == []


def test_an_invocation_waiting_for_its_retry_times_out_at_its_deadline(service, connections, handler, clock):
    invocation = map_get()
    service.invoke(invocation)
    clock.now += 3.5
    service.connection_closed(connections.connection, "reset by peer")
    assert id(invocation) in service._table.retrying and len(handler.timers) == 1  # due at +4.5 s
    clock.now += 1.5  # the retry timer is late (a loaded machine): the deadline passes first
    service.check_deadlines(clock.now)
    error = invocation.future.error
    assert str(error).startswith(
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) "
        "waiting for a retry (last error: Map.get on 'users': connection to %s lost" % MEMBER
    )
    assert isinstance(error.__cause__, TargetDisconnectedError)
    assert service._table.retrying == {}
    connections.connection = FakeConnection()
    handler.fire_timers()  # the late timer finds nothing to send
    assert connections.connection.written == []


def test_a_retried_invocation_times_out_once_at_its_first_deadline(service, connections, handler, clock):
    invocation = map_get()
    service.invoke(invocation)
    first_id = invocation.correlation_id
    service.check_deadlines(clock.now)
    clock.now += 1.0
    service.connection_closed(connections.connection, "reset by peer")
    connections.connection = FakeConnection()
    clock.now += 1.0
    handler.fire_timers()
    assert invocation.correlation_id != first_id and connections.connection.written == [invocation]
    clock.now += 2.999
    service.check_deadlines(clock.now)
    assert invocation.future.calls == []
    clock.now += 0.001  # five seconds after the first send
    service.check_deadlines(clock.now)
    assert str(invocation.future.error) == (
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting for %s" % MEMBER
    )
    assert service._pending == {} and service._table.retrying == {}
    clock.now += 10.0
    service.check_deadlines(clock.now)
    assert len(invocation.future.calls) == 1


def test_a_parked_invocation_sent_once_connected_times_out_waiting_for_the_member(service, connections, clock):
    connections.up = False
    invocation = map_get()
    service.invoke(invocation)
    clock.now += 2.0
    connections.up = True
    service.resend_parked()
    assert connections.connection.written == [invocation]
    clock.now += 3.0
    service.check_deadlines(clock.now)
    assert str(invocation.future.error) == (
        "Map.get on 'users' timed out after 5.0 s (invocation_timeout) waiting for %s" % MEMBER
    )


def test_completed_invocations_do_not_linger_in_the_heap(service, connections, clock):
    invocations = [map_get() for _ in range(10_000)]
    for invocation in invocations:
        service.invoke(invocation)
    service.check_deadlines(clock.now)
    assert service._table.deadlines.held == 10_000
    assert all(isinstance(entry[2], int) for entry in service._table.deadlines._heap)  # ids, not invocations
    for invocation in invocations[:9_000]:
        respond(service, connections, invocation)
    clock.now += 0.05
    service.check_deadlines(clock.now)
    assert service._table.deadlines.held <= 2 * 1000 + COMPACT_SLACK
    for invocation in invocations[9_000:]:
        respond(service, connections, invocation)
    clock.now += 0.05
    service.check_deadlines(clock.now)
    assert service._table.deadlines.held <= COMPACT_SLACK
    assert all(invocation.future.calls[0][0] == "value" for invocation in invocations)


def test_a_completed_invocation_is_released_at_once(service, connections):
    invocation = map_get()
    outcome = weakref.ref(invocation.future)
    service.invoke(invocation)
    service.check_deadlines(service._handler.monotonic())  # its entry is in the heap now
    respond(service, connections, invocation)
    connections.connection.written.clear()
    del invocation
    gc.collect()
    assert outcome() is None  # the heap's entry let go of it


def test_the_heap_stays_bounded_under_steady_short_lived_traffic(service, connections, clock):
    peak = 0
    for _ in range(200):
        batch = [map_get() for _ in range(100)]
        for invocation in batch:
            service.invoke(invocation)
        service.check_deadlines(clock.now)
        for invocation in batch:
            respond(service, connections, invocation)
        clock.now += 0.05
        peak = max(peak, service._table.deadlines.held)
    assert peak <= 100 + 2 * 100 + COMPACT_SLACK


def test_shutdown_fails_each_outstanding_invocation_once(service, connections, clock):
    sent, parked = map_get(), map_get()
    service.invoke(sent)
    connections.up = False
    service.invoke(parked)
    service.shutdown()
    clock.now += 10.0
    service.check_deadlines(clock.now)
    assert "stopped" in str(sent.future.error) and "stopped" in str(parked.future.error)
    assert service._table.deadlines.held == 0


def test_a_preferred_connection_is_used_while_alive_and_the_normal_route_after(service, connections):
    favourite = FakeConnection(port=5702)
    first = map_get()
    first.preferred = favourite
    service.invoke(first)
    assert favourite.written == [first] and connections.connection.written == []
    favourite.alive = False  # gone: the request takes the normal route instead of failing
    second = map_get()
    second.preferred = favourite
    service.invoke(second)
    assert favourite.written == [first] and connections.connection.written == [second]
