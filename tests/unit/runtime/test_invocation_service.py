"""InvocationService, the driver of the invocation table: it writes, completes futures, runs the
retry timers and refuses to send from a forked child. A fake handler keeps the timers for the
test to fire; fake connections record what is written."""

import types

import pytest

from hzgreen.exceptions import (
    ClientForkedError,
    ClientNotActiveError,
    HzSerializationError,
    ProtocolError,
    TargetDisconnectedError,
)
from hzgreen.protocol import IS_EVENT, custom
from hzgreen.protocol.codecs import error as error_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.runtime import invocation as invocation_module
from hzgreen.runtime.invocation import Invocation, InvocationService
from tests.unit.runtime.invocation_fakes import FakeConnection, FakeConnections, FakeHandler, Outcome

PAUSE = 1.0


@pytest.fixture
def handler():
    return FakeHandler()


@pytest.fixture
def connections():
    return FakeConnections()


@pytest.fixture
def service(handler, connections):
    config = types.SimpleNamespace(
        invocation_timeout=5.0, invocation_retry_pause=PAUSE, redo_operation=False, reconnect_mode="ON"
    )
    service = InvocationService(config, handler, connections, None)
    service.restart()
    return service


def map_get(**kwargs):
    return Invocation(
        map_codec.encode_get_request("users", b"key", 1),
        Outcome(),
        response_handler=map_codec.decode_get_response,
        object_name="users",
        **kwargs,
    )


def respond(service, connection, invocation, value=b"value"):
    message = map_codec.encode_get_response(value)
    message.set_correlation_id(invocation.correlation_id)
    service.handle_message(connection, message)


def test_nothing_is_sent_before_start(handler, connections):
    config = types.SimpleNamespace(
        invocation_timeout=5.0, invocation_retry_pause=PAUSE, redo_operation=False, reconnect_mode="ON"
    )
    service = InvocationService(config, handler, connections, None)
    invocation = map_get()
    assert service.invoke(invocation) is invocation.future
    [(kind, error)] = invocation.future.calls
    assert kind == "error" and isinstance(error, ClientNotActiveError)
    assert connections.connection.written == []


def test_a_response_completes_the_future_once(service, connections):
    invocation = map_get()
    service.invoke(invocation)
    assert connections.connection.written == [invocation]
    respond(service, connections.connection, invocation)
    respond(service, connections.connection, invocation)
    assert invocation.future.calls == [("value", b"value")]


def test_an_invocation_parked_while_the_connection_came_up_is_sent_at_once(service, connections):
    connections.answers = [None]  # no connection at the look-up, one right after
    invocation = map_get()
    service.invoke(invocation)
    assert connections.connection.written == [invocation]
    assert service._table.parked == {}


def test_a_parked_invocation_waits_until_resend_parked(service, connections):
    connections.answers, connections.up = [None], False
    invocation = map_get()
    service.invoke(invocation)
    assert connections.connection.written == []
    connections.up = True
    service.resend_parked()
    assert connections.connection.written == [invocation]


def test_a_retryable_error_response_is_sent_again_after_the_retry_pause(service, connections, handler):
    invocation = map_get()
    service.invoke(invocation)
    first_id = invocation.correlation_id
    refused = error_codec.encode_error([custom.ErrorHolder(62, "WrongTargetException", "moved", [])], first_id)
    service.handle_message(connections.connection, refused)
    assert invocation.future.calls == [] and [delay for delay, _, _ in handler.timers] == [PAUSE]
    handler.now += PAUSE
    handler.fire_timers()
    assert connections.connection.written == [invocation, invocation]
    assert invocation.correlation_id != first_id
    respond(service, connections.connection, invocation)
    assert invocation.future.calls == [("value", b"value")]


def test_a_failed_write_closes_the_connection_and_retries_a_routed_invocation(service, connections, handler):
    broken = FakeConnection(fail_writes=True)
    connections.answers = [broken]
    invocation = map_get()
    service.invoke(invocation)
    assert not broken.alive and broken.close_reason.startswith("write failed")
    assert invocation.future.calls == [] and len(handler.timers) == 1
    handler.fire_timers()
    assert connections.connection.written == [invocation]


def test_a_failed_write_fails_an_invocation_pinned_to_that_connection(service):
    broken = FakeConnection(fail_writes=True)
    invocation = map_get(connection=broken)
    service.invoke(invocation)
    [(kind, error)] = invocation.future.calls
    assert kind == "error" and isinstance(error, TargetDisconnectedError) and "could not send" in str(error)


def test_a_malformed_response_fails_the_invocation_and_propagates(service, connections):
    def malformed(message):
        raise ProtocolError("truncated")

    invocation = Invocation(
        map_codec.encode_get_request("users", b"key", 1), Outcome(), response_handler=malformed, object_name="users"
    )
    service.invoke(invocation)
    with pytest.raises(ProtocolError):
        respond(service, connections.connection, invocation)
    [(kind, error)] = invocation.future.calls
    assert kind == "error" and str(error) == "malformed response to Map.get on 'users'"


@pytest.mark.parametrize("taken_over", [True, False])
def test_a_response_handler_error_is_offered_to_the_hook_first(service, connections, taken_over):
    offered = []

    def unreadable(message):
        raise HzSerializationError("unknown schema")

    def hook(invocation, message, error):
        offered.append(error)
        return taken_over

    service.response_error_hook = hook
    invocation = Invocation(map_codec.encode_get_request("users", b"key", 1), Outcome(), response_handler=unreadable)
    service.invoke(invocation)
    respond(service, connections.connection, invocation)
    assert [str(error) for error in offered] == ["unknown schema"]
    assert invocation.future.calls == ([] if taken_over else [("error", offered[0])])


def test_events_reach_the_event_handler_until_it_is_removed(service, connections):
    events = []
    invocation = map_get(event_handler=events.append)
    service.invoke(invocation)
    event = map_codec.encode_get_response(b"event")
    event.set_correlation_id(invocation.correlation_id)
    event.frames[0].flags |= IS_EVENT
    assert event.is_event()
    service.handle_message(connections.connection, event)
    service.remove_event_handler(invocation.correlation_id)
    service.handle_message(connections.connection, event)
    assert events == [event]


def test_a_client_inherited_through_fork_sends_nothing(service, connections, monkeypatch):
    monkeypatch.setattr(invocation_module, "_getpid", lambda: service._pid + 1)
    invocation = map_get()
    service.invoke(invocation)
    [(kind, error)] = invocation.future.calls
    assert kind == "error" and isinstance(error, ClientForkedError)
    assert connections.connection.written == []


def test_writes_a_deferred_connection_refused_in_a_child_fail_with_client_forked_error(
    service, connections, monkeypatch
):
    # A deferred (gevent) connection checks the pid when it flushes, not the service per send.
    connections.connection.deferred = True
    monkeypatch.setattr(invocation_module, "_getpid", lambda: service._pid + 1)
    invocation = map_get()
    service.invoke(invocation)
    assert invocation.future.calls == []  # queued: the connection decides at its flush
    assert len(connections.connection.written) == 1
    service.refuse_forked_writes([invocation, "not an invocation"])
    [(kind, error)] = invocation.future.calls
    assert kind == "error" and isinstance(error, ClientForkedError)
    assert invocation.correlation_id not in service._pending
    service.refuse_forked_writes([invocation])  # completed once only
    assert len(invocation.future.calls) == 1


def test_next_deadline_is_the_first_outstanding_deadline(service, handler):
    assert service.next_deadline() is None
    service.invoke(map_get())
    assert service.next_deadline() == handler.now + 5.0
