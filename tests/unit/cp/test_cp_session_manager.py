"""SessionManager against a fake client: creation, references, heartbeats, expiry, LOST."""

import pytest

from hzgreen.cp import session as session_module
from hzgreen.cp.session import NO_SESSION_ID, CPSessionEvent, SessionManager, lease_margin
from hzgreen.exceptions import ClientNotActiveError, HzTimeoutError, SessionExpiredError
from hzgreen.protocol.codecs import cp_session as codec
from hzgreen.protocol.custom import RaftGroupId
from hzgreen.states import HzState

GROUP = RaftGroupId("default", 0, 7)
OTHER_GROUP = RaftGroupId("other", 0, 9)
TTL_MS = 10000
# A long period keeps the background heartbeat loop asleep: tests call _beat_once().
HEARTBEAT_MS = 3600 * 1000


class Holder:
    """Stands in for a proxy holding session-bound state."""

    def __init__(self, group_id, session_id):
        self.bound = {(group_id, session_id)}
        self.events = []

    def _bound_to(self, group_id, session_id):
        return (group_id, session_id) in self.bound

    def _session_lost(self, event):
        self.events.append(event)


@pytest.fixture
def manager(fake_client, monkeypatch):
    # Nobody answers the closeSession requests of the teardown: do not wait for them.
    monkeypatch.setattr(session_module, "CLOSE_TIMEOUT", 0.01)
    manager = SessionManager(fake_client)  # observes the client's state by itself
    yield manager
    manager.shutdown()


def create(fake_client, session_id=1, index=-1):
    invocation = fake_client.invocations.of_type(codec.CREATE_SESSION_REQUEST_TYPE)[index]
    fake_client.invocations.answer(invocation, codec.encode_create_session_response(session_id, TTL_MS, HEARTBEAT_MS))
    return invocation


def heartbeats(fake_client):
    return fake_client.invocations.of_type(codec.HEARTBEAT_SESSION_REQUEST_TYPE)


def closes(fake_client):
    return fake_client.invocations.of_type(codec.CLOSE_SESSION_REQUEST_TYPE)


def record_states(fake_client):
    states = []
    fake_client.add_listener(states.append)
    return states


def test_created_once_for_concurrent_callers(fake_client, manager):
    first = manager.acquire_async(GROUP, 1)
    second = manager.acquire_async(GROUP, 2)
    assert not first.ready() and not second.ready()
    request = create(fake_client, 42)
    assert len(fake_client.invocations.of_type(codec.CREATE_SESSION_REQUEST_TYPE)) == 1
    decoded = codec.decode_create_session_request(request.request)
    assert decoded["group_id"] == GROUP and decoded["endpoint_name"] == "unit-client"
    assert first.result(1) == 42 and second.result(1) == 42
    assert manager.sessions() == {GROUP: (42, 3)}
    assert manager.acquire(GROUP) == 42  # cached: no request
    assert len(fake_client.invocations.sent) == 1
    assert manager.session_id(GROUP) == 42 and manager.session_id(OTHER_GROUP) == NO_SESSION_ID


def test_creation_failure_reaches_every_waiter(fake_client, manager):
    first = manager.acquire_async(GROUP, 1)
    second = manager.acquire_async(GROUP, 1)
    invocation = fake_client.invocations.sent[0]
    fake_client.invocations.fail(invocation, HzTimeoutError("no answer"))
    for result in (first, second):
        with pytest.raises(HzTimeoutError):
            result.result(1)
    assert manager.sessions() == {}


def test_release_and_stale_release(fake_client, manager):
    manager.acquire_async(GROUP, 3)
    create(fake_client, 5)
    manager.release(GROUP, 5, 2)
    manager.release(GROUP, 4, 1)  # another (old) session: ignored
    assert manager.sessions() == {GROUP: (5, 1)}
    manager.release(GROUP, 5, 10)
    assert manager.sessions() == {GROUP: (5, 0)}


def test_idle_session_replaced_near_ttl_but_used_one_kept(fake_client, manager):
    manager.acquire_async(GROUP, 1)
    create(fake_client, 1)
    fake_client.clock.now += 60  # far past the TTL: still in use, so still valid
    assert manager.acquire(GROUP) == 1
    manager.release(GROUP, 1, 2)
    fake_client.clock.now += 5  # idle, and TTL - heartbeat period already passed
    pending = manager.acquire_async(GROUP, 1)
    assert not pending.ready()
    create(fake_client, 2)
    assert pending.result(1) == 2


def test_only_sessions_in_use_are_heartbeated(fake_client, manager):
    manager.acquire_async(GROUP, 1)
    create(fake_client, 1)
    manager.acquire_async(OTHER_GROUP, 1)
    create(fake_client, 8)
    manager.release(OTHER_GROUP, 8, 1)
    manager._beat_once()
    sent = heartbeats(fake_client)
    assert len(sent) == 1
    decoded = codec.decode_heartbeat_session_request(sent[0].request)
    assert decoded == {"group_id": GROUP, "session_id": 1}


def test_heartbeat_expiry_surfaces_and_goes_lost(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    holder = Holder(GROUP, 3)
    manager.register_holder(holder)
    manager._beat_once()
    fake_client.invocations.fail(heartbeats(fake_client)[0], SessionExpiredError("gone"))
    drain(fake_client.handler)
    assert manager.sessions() == {}
    (event,) = events
    assert (event.group_id, event.session_id, event.reason, event.holders) == (
        GROUP,
        3,
        CPSessionEvent.EXPIRED,
        (holder,),
    )
    assert holder.events == [event]
    assert states == [HzState.LOST, HzState.CONNECTED]
    assert fake_client.state.state == HzState.CONNECTED


def test_acknowledged_heartbeat_extends_the_session(fake_client, manager):
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    fake_client.clock.now += 8
    manager._beat_once()
    fake_client.invocations.answer(heartbeats(fake_client)[0], codec.encode_heartbeat_session_response())
    fake_client.clock.now += 8  # 16 s after creation, 8 s after the acknowledged heartbeat
    fake_client.state.transition(HzState.SUSPENDED)
    manager._beat_once()
    assert manager.sessions() == {GROUP: (3, 1)}


def test_presumed_expired_while_suspended(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    manager.register_holder(Holder(GROUP, 3))
    fake_client.state.transition(HzState.SUSPENDED)
    fake_client.clock.now += 9.9
    manager._beat_once()
    assert manager.sessions() == {GROUP: (3, 1)} and heartbeats(fake_client) == []
    fake_client.clock.now += 0.2  # a whole TTL without an acknowledged heartbeat
    manager._beat_once()
    drain(fake_client.handler)
    assert manager.sessions() == {}
    assert [e.reason for e in events] == [CPSessionEvent.EXPIRED]
    assert states == [HzState.SUSPENDED, HzState.LOST]
    # Back in the same cluster: the presumed-dead session is closed on the member.
    fake_client.state.transition(HzState.CONNECTED)
    drain(fake_client.handler)
    manager._beat_once()
    (close,) = closes(fake_client)
    assert codec.decode_close_session_request(close.request) == {"group_id": GROUP, "session_id": 3}


def test_presumed_dead_session_never_closed_in_another_cluster(fake_client, manager, drain):
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    fake_client.state.transition(HzState.SUSPENDED)
    fake_client.clock.now += 11
    manager._beat_once()
    fake_client.connections.cluster_id = "cluster-2"
    fake_client.state.transition(HzState.CONNECTED)
    drain(fake_client.handler)
    manager._beat_once()
    assert closes(fake_client) == []


def test_cluster_change_drops_sessions_without_second_lost(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    fake_client.state.transition(HzState.SUSPENDED)
    fake_client.connections.cluster_id = "cluster-2"
    fake_client.state.transition(HzState.LOST)  # what the client does on a new cluster id
    fake_client.state.transition(HzState.CONNECTED)
    drain(fake_client.handler)
    assert manager.sessions() == {}
    assert [e.reason for e in events] == [CPSessionEvent.EXPIRED]
    assert states == [HzState.SUSPENDED, HzState.LOST, HzState.CONNECTED]
    # A session cached from the old cluster would never be reused anyway.
    pending = manager.acquire_async(GROUP, 1)
    assert not pending.ready()


def test_expiry_met_by_its_only_user_is_not_reported(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    assert manager.invalidate(GROUP, 3, own=1) is True
    assert manager.invalidate(GROUP, 3, own=1) is False  # already forgotten
    drain(fake_client.handler)
    assert events == [] and states == []


def test_shutdown_closes_sessions_and_fails_pending_creations(fake_client, manager, drain):
    events = []
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    pending = manager.acquire_async(OTHER_GROUP, 1)
    closer = fake_client.handler.spawn(manager.shutdown)
    (close,) = fake_client.invocations.wait_sent(codec.CLOSE_SESSION_REQUEST_TYPE)
    fake_client.invocations.answer(close, codec.encode_close_session_response(True))
    closer.join(10)
    drain(fake_client.handler)
    with pytest.raises(ClientNotActiveError):
        pending.result(1)
    assert manager.sessions() == {}
    assert [(e.session_id, e.reason) for e in events] == [(3, CPSessionEvent.CLOSED)]


# -- the lease, late heartbeat replies, one LOST per incident ------------------------------


def test_lease_margin():
    assert lease_margin(10, 1) == 2  # a fifth of the TTL
    assert lease_margin(5, 1) == 1
    assert lease_margin(300, 5) == 60
    assert lease_margin(10, 3) == 3  # a heartbeat period when longer
    assert lease_margin(10, 3600) == 5  # never more than half the TTL


def test_lease_runs_out_without_an_acknowledged_heartbeat_and_comes_back_with_one(fake_client, manager):
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)  # TTL 10 s, margin 5 s (heartbeat period 3600 s)
    assert manager.lease_valid(GROUP, 3)
    assert manager.lease_deadline(GROUP, 3) == 1000.0 + 10 - 5
    assert manager.lease_deadline(GROUP, 4) == float("-inf")  # not the current session
    fake_client.clock.now += 4.9
    manager._beat_once()  # sent at 1004.9, answered later
    assert manager.lease_valid(GROUP, 3)
    fake_client.clock.now += 0.1
    assert not manager.lease_valid(GROUP, 3)  # 5 s = TTL - margin after the creation was sent
    fake_client.invocations.answer(heartbeats(fake_client)[0], codec.encode_heartbeat_session_response())
    assert manager.lease_valid(GROUP, 3)
    assert manager.lease_deadline(GROUP, 3) == 1004.9 + 10 - 5
    fake_client.connections.cluster_id = "cluster-2"
    assert not manager.lease_valid(GROUP, 3)  # a session of another cluster vouches for nothing


def test_late_heartbeat_replies_while_connected_never_end_the_session(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    holder = Holder(GROUP, 3)
    manager.register_holder(holder)
    for _ in range(4):  # 24 s, over two TTLs, without any answer
        fake_client.clock.now += 6
        manager._beat_once()
    drain(fake_client.handler)
    assert manager.sessions() == {GROUP: (3, 1)}
    assert closes(fake_client) == [] and events == [] and holder.events == [] and states == []
    assert not manager.lease_valid(GROUP, 3)  # no claim on it meanwhile
    sent = heartbeats(fake_client)
    assert len(sent) == 4
    # The replies arrive, very late: the newest renews the lease from the time it was sent.
    for invocation in sent:
        fake_client.invocations.answer(invocation, codec.encode_heartbeat_session_response())
    assert manager.lease_valid(GROUP, 3)
    assert manager.lease_deadline(GROUP, 3) == 1024.0 + 10 - 5
    assert manager.acquire(GROUP) == 3


def test_lost_reported_once_per_incident(fake_client, manager, drain):
    events, states = [], record_states(fake_client)
    manager.add_listener(events.append)
    for group, session_id in ((GROUP, 3), (OTHER_GROUP, 8)):
        manager.acquire_async(group, 1)
        create(fake_client, session_id)
        manager.register_holder(Holder(group, session_id))
    fake_client.clock.now += 1
    manager._beat_once()
    for invocation in heartbeats(fake_client):  # both sessions expired in the same cut
        fake_client.invocations.fail(invocation, SessionExpiredError("gone"))
    drain(fake_client.handler)
    assert sorted(e.session_id for e in events) == [3, 8]
    assert states == [HzState.LOST, HzState.CONNECTED]
    # A session acknowledged alive after that LOST is a new incident when it goes.
    fake_client.clock.now += 1
    manager.acquire_async(GROUP, 1)
    create(fake_client, 4, index=-1)
    fake_client.clock.now += 1
    manager._beat_once()
    fake_client.invocations.fail(heartbeats(fake_client)[-1], SessionExpiredError("gone"))
    drain(fake_client.handler)
    assert [e.session_id for e in events][2:] == [4]
    assert states == [HzState.LOST, HzState.CONNECTED] * 2


def test_holders_told_where_the_loss_is_found_while_the_callback_worker_is_busy(fake_client, manager, drain):
    handler = fake_client.handler
    events = []
    manager.add_listener(events.append)
    manager.acquire_async(GROUP, 1)
    create(fake_client, 3)
    holder = Holder(GROUP, 3)
    manager.register_holder(holder)
    busy, gate = handler.event_object(), handler.event_object()
    handler.dispatch_callback(lambda: (busy.set(), gate.wait(30)))
    assert busy.wait(10)
    try:
        # Another cluster: the transition itself drops the session and tells its holders.
        fake_client.state.transition(HzState.SUSPENDED)
        fake_client.connections.cluster_id = "cluster-2"
        fake_client.state.transition(HzState.LOST)
        assert [(e.session_id, e.reason) for e in holder.events] == [(3, CPSessionEvent.EXPIRED)]
        assert manager.sessions() == {}
        assert events == []  # user listeners wait for the worker
    finally:
        gate.set()
    drain(handler)
    assert events == holder.events
