"""What the connection manager tells the client when connections come and go, on a simulated clock.

No socket is opened: connections are stand-ins handed straight to the manager's
after-authentication step, and closed by calling the close callback the manager gave them.
"""

import threading
import types
import uuid

import pytest

from hzgreen.config import ClientConfig
from hzgreen.runtime.connection_manager import ConnectionManager
from tests.unit.runtime.strict_lock import NonReentrantLock


class StubHandler:
    """What the manager touches outside connecting: a clock moved by the test, spawns run on demand."""

    def __init__(self):
        self.now = 0.0
        self.spawned = []

    def lock_object(self):
        return NonReentrantLock()

    def event_object(self):
        return threading.Event()

    def monotonic(self):
        return self.now

    def async_result(self):
        return None

    def spawn(self, func, *args):
        self.spawned.append((func, args))

    def run_spawned(self, name):
        """Run the spawned tasks whose function is called ``name``; drop the others (reconnect tasks)."""
        tasks, self.spawned = self.spawned, []
        for func, args in tasks:
            if func.__name__ == name:
                func(*args)


class StubConnection:
    def __init__(self, manager, number):
        self._manager = manager
        self.address = ("10.0.0.%d" % number, 5701)
        self.alive = True
        self.close_reason = None
        self.member_uuid = None
        self.last_read = self.last_write = float("inf")  # never due a heartbeat in these tests

    def close(self, reason, error=None):
        if self.alive:
            self.alive = False
            self.close_reason = reason
            self._manager._connection_closed(self, reason, error)


CLUSTER_ID = uuid.uuid4()
MEMBER_ID = uuid.uuid4()


def make_manager(**options):
    events = []
    config = ClientConfig(
        cluster_members=["10.0.0.1:5701"],
        heartbeat_interval=2.0,
        retry_initial_backoff=1.0,
        retry_max_backoff=8.0,
        retry_multiplier=2.0,
        **options,
    )
    handler = StubHandler()
    manager = ConnectionManager(
        config,
        handler,
        io_loop=None,
        cluster=types.SimpleNamespace(members=[], reset=lambda: None),
        partitions=types.SimpleNamespace(set_partition_count=lambda count: True, reset=lambda: None),
        on_connected=lambda changed: events.append(("CONNECTED", changed)),
        on_disconnected=lambda: events.append("SUSPENDED"),
    )
    manager.invocations = types.SimpleNamespace(
        invoke=lambda invocation: None, resend_parked=lambda: None, connection_closed=lambda connection, reason: None
    )
    manager._core.start()
    manager._core.backoff.begin(0.0)
    return manager, handler, events


def authenticate(manager, number, cluster_id=CLUSTER_ID):
    connection = StubConnection(manager, number)
    response = {
        "status": 0,
        "partition_count": 271,
        "member_uuid": MEMBER_ID,
        "server_hazelcast_version": "5.4.0",
        "address": None,
        "cluster_id": cluster_id,
    }
    assert manager._on_authenticated(connection, response) is connection
    return connection


def test_a_flapping_connection_is_reported_once_then_held_until_stable():
    manager, handler, events = make_manager()
    first = authenticate(manager, 1)
    assert events == [("CONNECTED", False)]
    handler.now = 60.0
    first.close("member restarted")  # up a minute: a stable connection, lost
    assert events[-1] == "SUSPENDED"

    for _ in range(5):  # a peer that authenticates the client and drops it at once, again and again
        handler.now += 1.0
        authenticate(manager, 2).close("dropped by the peer")
    # The first two flaps are reported (one could be a member restarting); the next ones are not.
    assert events == [("CONNECTED", False), "SUSPENDED"] + [("CONNECTED", False), "SUSPENDED"] * 2

    handler.now += 1.0
    authenticate(manager, 3)
    manager.tick(handler.now + 1.9)
    handler.run_spawned("_report_state")
    assert events[-1] == "SUSPENDED" and manager.is_connected()  # connected, not yet reported
    manager.tick(handler.now + 2.0)  # up one heartbeat_interval: stable
    assert events[-1] == "SUSPENDED"  # the report may wait for the cluster: never on the I/O loop
    handler.run_spawned("_report_state")
    assert events[-1] == ("CONNECTED", False)
    assert len(events) == 7


def test_the_backoff_is_not_reset_by_flapping_and_is_once_stable():
    manager, handler, _ = make_manager()
    first = authenticate(manager, 1)
    handler.now = 60.0
    first.close("member restarted")
    backoff = manager._core.backoff
    pauses = []
    for _ in range(4):
        assert backoff.next_step(handler.now).action.name == "CONNECT"
        authenticate(manager, 2).close("dropped by the peer")
        step = backoff.next_step(handler.now)
        pauses.append(step.delay)
        handler.now += step.delay
    assert pauses == pytest.approx([1.0, 2.0, 4.0, 8.0])
    authenticate(manager, 3)
    manager.tick(handler.now + 2.0)
    assert backoff.current_backoff == 1.0 and not backoff.flapping


def test_a_reported_connection_lost_while_another_is_up_is_still_reported():
    manager, handler, events = make_manager()
    first = authenticate(manager, 1)
    assert manager._core.want_report()  # another task is busy reporting: it gets the news
    handler.now = 60.0
    first.close("member restarted")
    authenticate(manager, 2)
    manager._core.end_reporting()
    manager._report_state(may_block=True)
    assert events == [("CONNECTED", False), "SUSPENDED", ("CONNECTED", False)]


def test_a_connection_to_another_cluster_is_reported_as_changed_even_if_held():
    manager, handler, events = make_manager()
    authenticate(manager, 1).close("dropped")  # lost at once
    handler.now = 0.5
    authenticate(manager, 1).close("dropped")  # again: flapping from now on
    other_cluster = uuid.uuid4()
    handler.now = 1.0
    authenticate(manager, 2, cluster_id=other_cluster).close("dropped")  # held, lost: not reported
    handler.now = 2.0
    authenticate(manager, 3, cluster_id=other_cluster)
    manager.tick(handler.now + 2.0)
    handler.run_spawned("_report_state")
    assert events == [("CONNECTED", False), "SUSPENDED"] * 2 + [("CONNECTED", True)]


def test_a_connection_closed_before_it_was_registered_is_not_kept():
    manager, handler, events = make_manager()
    connection = StubConnection(manager, 1)
    connection.close("dropped by the peer right after the authentication response")
    response = {
        "status": 0,
        "partition_count": 271,
        "member_uuid": MEMBER_ID,
        "server_hazelcast_version": "5.4.0",
        "address": None,
        "cluster_id": CLUSTER_ID,
    }
    with pytest.raises(ConnectionError, match="right after authenticating"):
        manager._on_authenticated(connection, response)
    assert not manager.is_connected() and manager.active_connections == []
    assert events == []
