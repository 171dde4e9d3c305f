"""ListenerService bookkeeping, with fake connections and a fake invocation service.

The member side is played by the test: it answers (or fails) each registration request
the service sends, the way the invocation service would.
"""

from types import SimpleNamespace

import pytest

from hzgreen.exceptions import ClientNotActiveError, HzTimeoutError, IllegalArgumentError, TargetDisconnectedError
from hzgreen.handlers.gevent import SequentialGeventHandler
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.runtime.listeners import REREGISTER_ATTEMPTS, ListenerCodec, ListenerService

WAIT = 5.0


class FakeConnection:
    def __init__(self, name):
        self.name = name
        self.alive = True
        self.member_uuid = "uuid-" + name

    def __repr__(self):
        return "FakeConnection(%s)" % self.name


def member_of(connection):
    return SimpleNamespace(uuid=connection.member_uuid, address=SimpleNamespace(host="10.0.0.1", port=5701))


class FakeConnections:
    def __init__(self, *connections):
        self.active_connections = list(connections)
        self.listeners = []
        self.asked_to_connect = 0

    def add_connection_listener(self, listener):
        self.listeners.append(listener)

    def connect_to_members(self):
        self.asked_to_connect += 1


class FakeMessage:
    def __init__(self, value):
        self.value = value


class FakeInvocations:
    """Records what is sent; the test resolves each invocation like a member would."""

    def __init__(self, handler):
        self.sent = []
        self.removed_handlers = []
        self._next_id = 100
        self._sent_event = handler.event_object()
        self._handler = handler

    def invoke(self, invocation):
        self._next_id += 1
        invocation.correlation_id = self._next_id
        invocation.sent_on = invocation.connection
        self.sent.append(invocation)
        self._sent_event.set()
        return invocation.future

    def remove_event_handler(self, correlation_id):
        self.removed_handlers.append(correlation_id)

    def wait_sent(self, count):
        deadline = self._handler.monotonic() + WAIT
        while len(self.sent) < count:
            self._sent_event.clear()
            if len(self.sent) >= count:
                break
            assert self._handler.monotonic() < deadline, "only %d requests sent" % len(self.sent)
            self._sent_event.wait(0.5)
        return self.sent

    @staticmethod
    def answer(invocation, value):
        invocation.future.set(invocation.response_handler(FakeMessage(value)))

    @staticmethod
    def fail(invocation, error):
        invocation.future.set_exception(error)

    def requests(self, kind):
        return [inv for inv in self.sent if inv.request[0] == kind]


CODEC = ListenerCodec(
    lambda local_only: ("add", local_only),
    lambda message: message.value,
    lambda server_id: ("remove", server_id),
    lambda message: message.value,
)


@pytest.fixture(params=["threading", "gevent"])
def handler(request):
    h = SequentialThreadingHandler() if request.param == "threading" else SequentialGeventHandler()
    h.start()
    yield h
    h.stop()


def make_service(handler, *connections, smart=True, members=None, invocation_timeout=60.0):
    """A service over ``connections``; the member list is theirs unless ``members`` is given."""
    invocations = FakeInvocations(handler)
    fake_connections = FakeConnections(*connections)
    cluster = SimpleNamespace(members=[member_of(c) for c in (connections if members is None else members)])
    hooks = []
    client = SimpleNamespace(
        handler=handler,
        invocations=invocations,
        connections=fake_connections,
        cluster=cluster,
        add_shutdown_hook=hooks.append,
        config=SimpleNamespace(smart_routing=smart, invocation_retry_pause=0.0, invocation_timeout=invocation_timeout),
    )
    service = ListenerService(client)
    service.cluster = cluster
    service.shutdown_hooks = hooks
    assert fake_connections.listeners == [service]
    return service, invocations, fake_connections


def bring_up(service, connections, connection):
    """What the connection manager does with a new connection: prepare it, make it usable, announce it."""
    connections.active_connections.append(connection)
    service.connection_added(connection)


def registered(service, invocations, *connections):
    """A registration already active on ``connections`` (answered in order); returns its id."""
    start = len(invocations.sent)
    pending = service.register_async(CODEC, lambda message: None)
    sent = invocations.wait_sent(start + len(connections))[start:]
    for invocation in sent:
        invocations.answer(invocation, "server-" + invocation.connection.name)
    return pending.get(WAIT)


def test_registers_on_every_connection_with_local_only_when_smart(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, _ = make_service(handler, a, b)
    pending = service.register_async(CODEC, lambda message: None)
    sent = invocations.wait_sent(2)
    assert [(inv.connection, inv.request) for inv in sent] == [(a, ("add", True)), (b, ("add", True))]
    assert not pending.ready()
    invocations.answer(sent[0], "server-a")
    assert not pending.ready()
    invocations.answer(sent[1], "server-b")
    registration_id = pending.get(WAIT)
    assert isinstance(registration_id, str) and registration_id in service
    assert set(service.registered_connections(registration_id)) == {a, b}


def test_unisocket_registers_without_local_only(handler):
    a = FakeConnection("a")
    service, invocations, _ = make_service(handler, a, smart=False)
    pending = service.register_async(CODEC, lambda message: None)
    sent = invocations.wait_sent(1)
    assert sent[0].request == ("add", False)
    invocations.answer(sent[0], "server-a")
    assert service.registered_connections(pending.get(WAIT)) == [a]


def test_without_connections_registration_waits_for_the_first_one(handler):
    service, invocations, connections = make_service(handler, members=[])
    pending = service.register_async(CODEC, lambda message: None)
    assert not pending.wait(0.3)  # like a request, it waits for a connection
    assert invocations.sent == []
    a = FakeConnection("a")
    bring_up(service, connections, a)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    assert service.registered_connections(pending.get(WAIT)) == [a]


def test_events_reach_the_handler_until_removed(handler):
    a = FakeConnection("a")
    service, invocations, _ = make_service(handler, a)
    received = []
    pending = service.register_async(CODEC, received.append)
    invocation = invocations.wait_sent(1)[0]
    invocation.event_handler("early event")  # may arrive before the registration response
    invocations.answer(invocation, "server-a")
    registration_id = pending.get(WAIT)
    invocation.event_handler("event")
    assert received == ["early event", "event"]
    removing = handler.spawn(service.deregister, registration_id)
    removal = invocations.wait_sent(2)[1]
    invocation.event_handler("trickling in after the removal")
    invocations.answer(removal, True)
    removing.join(WAIT)
    assert received == ["early event", "event"]


def test_a_new_connection_gets_the_registration_and_on_registered_is_called(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    announced = []
    announced_event = handler.event_object()

    def on_registered(connection):
        announced.append((connection, handler.in_callback_worker()))
        announced_event.set()

    pending = service.register_async(CODEC, lambda message: None, on_registered)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    registration_id = pending.get(WAIT)
    assert announced == []  # not for the connections of the initial registration
    connections.active_connections.append(b)
    service.connection_added(b)
    service.connection_added(b)  # twice (e.g. raced with register): sent once
    late = invocations.wait_sent(2)[1]
    assert (late.connection, late.request) == (b, ("add", True))
    assert len(invocations.sent) == 2
    invocations.answer(late, "server-b")
    assert announced_event.wait(WAIT)
    assert announced == [(b, True)]
    assert set(service.registered_connections(registration_id)) == {a, b}


def test_a_lost_connection_is_forgotten_and_the_next_one_registers_again(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, _ = make_service(handler, a)
    pending = service.register_async(CODEC, lambda message: None)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    registration_id = pending.get(WAIT)
    a.alive = False
    service.connection_removed(a)
    assert service.registered_connections(registration_id) == []
    service.connection_added(b)
    invocations.answer(invocations.wait_sent(2)[1], "server-b")
    assert service.registered_connections(registration_id) == [b]
    # Removal goes to b only, with b's own server-side id.
    removing = handler.spawn(service.deregister, registration_id)
    removal = invocations.wait_sent(3)[2]
    assert (removal.connection, removal.request) == (b, ("remove", "server-b"))
    invocations.answer(removal, True)
    removing.join(WAIT)


def test_deregister_removes_with_each_connections_own_id(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, _ = make_service(handler, a, b)
    pending = service.register_async(CODEC, lambda message: None)
    adds = list(invocations.wait_sent(2))
    invocations.answer(adds[0], "server-a")
    invocations.answer(adds[1], "server-b")
    registration_id = pending.get(WAIT)
    result = []
    removing = handler.spawn(lambda: result.append(service.deregister(registration_id)))
    removals = invocations.wait_sent(4)[2:]
    assert sorted((inv.connection.name, inv.request) for inv in removals) == [
        ("a", ("remove", "server-a")),
        ("b", ("remove", "server-b")),
    ]
    invocations.answer(removals[0], True)
    invocations.fail(removals[1], TargetDisconnectedError("gone meanwhile"))  # logged, not raised
    removing.join(WAIT)
    assert result == [True]
    assert sorted(invocations.removed_handlers) == sorted(inv.correlation_id for inv in adds)
    assert registration_id not in service
    assert service.deregister(registration_id) is False


def test_a_member_refusal_fails_the_registration_and_undoes_it(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, _ = make_service(handler, a, b)
    pending = service.register_async(CODEC, lambda message: None)
    adds = list(invocations.wait_sent(2))
    invocations.answer(adds[0], "server-a")
    invocations.fail(adds[1], IllegalArgumentError("bad predicate"))
    with pytest.raises(IllegalArgumentError):
        pending.get(WAIT)
    removal = invocations.wait_sent(3)[2]
    assert (removal.connection, removal.request) == (a, ("remove", "server-a"))
    invocations.answer(removal, True)
    assert service._registrations == {}


def test_a_connection_lost_while_registering_is_not_an_error_once_its_member_left(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a, b)
    pending = service.register_async(CODEC, lambda message: None)
    adds = list(invocations.wait_sent(2))
    invocations.answer(adds[0], "server-a")
    b.alive = False
    invocations.fail(adds[1], TargetDisconnectedError("connection closed"))
    assert adds[1].correlation_id in invocations.removed_handlers
    assert not pending.wait(0.3)  # member b is still in the member list: it is waited for
    service.cluster.members = [member_of(a)]  # b left the cluster
    registration_id = pending.get(WAIT)
    assert service.registered_connections(registration_id) == [a]


def test_deregister_while_a_registration_is_in_flight_removes_it_when_it_lands(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    registration_id = registered(service, invocations, a)
    bring_up(service, connections, b)
    in_flight = invocations.wait_sent(2)[1]
    removing = handler.spawn(service.deregister, registration_id)
    removal_a = invocations.wait_sent(3)[2]
    assert (removal_a.connection, removal_a.request) == (a, ("remove", "server-a"))
    invocations.answer(removal_a, True)
    removing.join(WAIT)
    invocations.answer(in_flight, "server-b")  # the member registered it after all
    removal_b = invocations.wait_sent(4)[3]
    assert (removal_b.connection, removal_b.request) == (b, ("remove", "server-b"))


def test_a_failed_reregistration_is_retried_a_few_times(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    registration_id = registered(service, invocations, a)
    bring_up(service, connections, b)
    for attempt in range(1, REREGISTER_ATTEMPTS + 1):
        invocation = invocations.wait_sent(attempt + 1)[attempt]
        assert invocation.connection is b
        invocations.fail(invocation, IllegalArgumentError("not yet (attempt %d)" % attempt))
    # Then it gives up: nothing more is sent (waiting well past the retry pause).
    invocations._sent_event.clear()
    assert not invocations._sent_event.wait(0.05 * REREGISTER_ATTEMPTS * 4)
    assert len(invocations.sent) == REREGISTER_ATTEMPTS + 1
    assert service.registered_connections(registration_id) == [a]


def test_a_retry_succeeds(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    registration_id = registered(service, invocations, a)
    bring_up(service, connections, b)
    invocations.fail(invocations.wait_sent(2)[1], IllegalArgumentError("transient"))
    invocations.answer(invocations.wait_sent(3)[2], "server-b")
    assert set(service.registered_connections(registration_id)) == {a, b}


def test_no_retry_once_the_client_is_stopped(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    registered(service, invocations, a)
    bring_up(service, connections, b)
    invocations.fail(invocations.wait_sent(2)[1], ClientNotActiveError("stopped"))
    invocations._sent_event.clear()
    assert not invocations._sent_event.wait(0.5)  # well past the retry pause: no retry
    assert [inv.connection.name for inv in invocations.sent] == ["a", "b"]


# -- active on every member before the add returns ------------------------------------------


def test_the_add_waits_for_a_member_whose_connection_is_not_open_yet(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a, members=[a, b])
    announced = []
    pending = service.register_async(CODEC, lambda message: None, announced.append)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    assert not pending.wait(0.3)  # member b has no registration yet
    assert connections.asked_to_connect == 1  # the missing connection was asked for
    bring_up(service, connections, b)
    late = invocations.wait_sent(2)[1]
    assert (late.connection, late.request) == (b, ("add", True))
    assert not pending.ready()
    invocations.answer(late, "server-b")
    registration_id = pending.get(WAIT)
    assert set(service.registered_connections(registration_id)) == {a, b}
    assert announced == []  # b was part of the add, not a re-registration


def test_the_add_fails_and_undoes_itself_when_a_member_stays_unreachable(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a, members=[a, b], invocation_timeout=0.5)
    pending = service.register_async(CODEC, lambda message: None)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    with pytest.raises(HzTimeoutError) as caught:
        pending.get(WAIT)
    assert "uuid-b" in str(caught.value) and "invocation_timeout" in str(caught.value)
    removal = invocations.wait_sent(2)[1]
    assert (removal.connection, removal.request) == (a, ("remove", "server-a"))
    invocations.answer(removal, True)
    assert service._registrations == {}


def test_unisocket_waits_only_for_its_one_connection(handler):
    a = FakeConnection("a")
    b = FakeConnection("b")
    service, invocations, connections = make_service(handler, a, smart=False, members=[a, b])
    pending = service.register_async(CODEC, lambda message: None)
    sent = invocations.wait_sent(1)[0]
    assert not pending.wait(0.1)  # not before the member acknowledged it
    invocations.answer(sent, "server-a")
    assert service.registered_connections(pending.get(WAIT)) == [a]
    assert connections.asked_to_connect == 0


def test_a_new_connection_is_registered_and_answered_before_it_is_used(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a)
    announced = []
    announced_event = handler.event_object()

    def on_registered(connection):
        announced.append(connection)
        announced_event.set()

    pending = service.register_async(CODEC, lambda message: None, on_registered)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    registration_id = pending.get(WAIT)
    preparing = handler.spawn(service.connection_authenticated, b)  # b is not usable yet
    sent = invocations.wait_sent(2)[1]
    assert (sent.connection, sent.request) == (b, ("add", True))
    preparing.join(0.3)
    assert not preparing_done(preparing)  # the connection manager still waits
    invocations.answer(sent, "server-b")
    preparing.join(WAIT)
    assert preparing_done(preparing)
    assert set(service.registered_connections(registration_id)) == {a, b}
    assert announced_event.wait(WAIT) and announced == [b]
    bring_up(service, connections, b)  # made usable: nothing more is sent
    assert len(invocations.sent) == 2


def test_stopping_the_client_fails_an_add_in_progress_and_later_adds(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, connections = make_service(handler, a, members=[a, b])
    pending = service.register_async(CODEC, lambda message: None)
    invocations.answer(invocations.wait_sent(1)[0], "server-a")
    assert len(service.shutdown_hooks) == 1
    service.shutdown_hooks[0]()  # client.stop()
    with pytest.raises(ClientNotActiveError):
        pending.get(WAIT)
    with pytest.raises(ClientNotActiveError):
        service.register(CODEC, lambda message: None)
    # Started again: the first usable connection makes adds possible again.
    service.connection_authenticated(a)
    with pytest.raises(ClientNotActiveError):
        service.register(CODEC, lambda message: None)
    connections.active_connections = [a]
    service.cluster.members = [member_of(a)]
    service.connection_added(a)
    sent_before = len(invocations.sent)
    again = service.register_async(CODEC, lambda message: None)
    invocations.answer(invocations.wait_sent(sent_before + 1)[sent_before], "server-a2")
    assert service.registered_connections(again.get(WAIT)) == [a]


def preparing_done(task):
    return not task.is_alive() if hasattr(task, "is_alive") else task.dead


def test_callbacks_must_be_callable_and_nothing_is_sent_otherwise(handler):
    a = FakeConnection("a")
    service, invocations, _ = make_service(handler, a)
    with pytest.raises(TypeError, match="event_handler"):
        service.register(CODEC, "nope")
    with pytest.raises(TypeError, match="on_registered"):
        service.register(CODEC, lambda message: None, on_registered=42)
    assert invocations.sent == [] and service._registrations == {}


def test_deregister_sends_no_removal_on_a_connection_that_died_but_drops_its_event_handler(handler):
    a, b = FakeConnection("a"), FakeConnection("b")
    service, invocations, _ = make_service(handler, a, b)
    pending = service.register_async(CODEC, lambda message: None)
    adds = list(invocations.wait_sent(2))
    for invocation in adds:
        invocations.answer(invocation, "server-" + invocation.connection.name)
    registration_id = pending.get(WAIT)
    b.alive = False  # dead, not yet reported by the connection manager
    removing = handler.spawn(service.deregister, registration_id)
    removal = invocations.wait_sent(3)[2]
    assert (removal.connection, removal.request) == (a, ("remove", "server-a"))
    invocations.answer(removal, True)
    removing.join(WAIT)
    assert len(invocations.sent) == 3
    assert sorted(invocations.removed_handlers) == sorted(inv.correlation_id for inv in adds)


def test_a_client_stopped_before_any_listener_refuses_adds_without_sending(handler):
    a = FakeConnection("a")
    service, invocations, _ = make_service(handler, a)
    assert len(service.shutdown_hooks) == 1  # hooked when built
    service.shutdown_hooks[0]()  # client.stop()
    with pytest.raises(ClientNotActiveError, match="stopped"):
        service.register(CODEC, lambda message: None)
    assert invocations.sent == []
