"""wait_for_member_connections: the connections already up, the ones that arrive, and the bound."""

import threading
import uuid

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.runtime.member_connections import wait_for_member_connections


class _Conn:
    def __init__(self, member_uuid, alive=True):
        self.member_uuid = member_uuid
        self.alive = alive


class _Manager:
    """The part of ConnectionManager the wait uses; ``on_connect`` runs when it asks for connections."""

    def __init__(self, active, smart_routing=True, on_connect=None):
        self.active_connections = list(active)
        self.smart_routing = smart_routing
        self.listeners = []
        self.connect_requests = 0
        self._on_connect = on_connect

    def add_connection_listener(self, listener):
        self.listeners.append(listener)

    def remove_connection_listener(self, listener):
        self.listeners.remove(listener)

    def connect_to_members(self):
        self.connect_requests += 1
        if self._on_connect is not None:
            self._on_connect(self)


def test_connections_already_up_return_at_once_without_asking_for_more():
    a, b = uuid.uuid4(), uuid.uuid4()
    conn_a, conn_b = _Conn(a), _Conn(b)
    manager = _Manager([conn_a, conn_b])
    found = wait_for_member_connections(manager, SequentialThreadingHandler(), [a, b], timeout=60)
    assert found == {a: conn_a, b: conn_b}
    assert manager.connect_requests == 0
    assert manager.listeners == []


def test_a_connection_opened_meanwhile_is_waited_for():
    a, b = uuid.uuid4(), uuid.uuid4()
    conn_a, conn_b = _Conn(a), _Conn(b)

    def open_b_later(manager):
        listener = manager.listeners[0]
        threading.Thread(target=listener.connection_added, args=(conn_b,)).start()

    manager = _Manager([conn_a], on_connect=open_b_later)
    found = wait_for_member_connections(manager, SequentialThreadingHandler(), [a, b], timeout=60)
    assert found == {a: conn_a, b: conn_b}
    assert manager.connect_requests == 1
    assert manager.listeners == []


def test_a_member_still_without_connection_is_left_out_after_the_timeout():
    a, b = uuid.uuid4(), uuid.uuid4()
    conn_a = _Conn(a)
    manager = _Manager([conn_a, _Conn(b, alive=False)])
    found = wait_for_member_connections(manager, SequentialThreadingHandler(), [a, b], timeout=0.05)
    assert found == {a: conn_a}
    assert manager.connect_requests == 1


def test_without_smart_routing_nothing_is_waited_for():
    a, b = uuid.uuid4(), uuid.uuid4()
    conn_a = _Conn(a)
    manager = _Manager([conn_a], smart_routing=False)
    found = wait_for_member_connections(manager, SequentialThreadingHandler(), [a, b], timeout=60)
    assert found == {a: conn_a}
    assert manager.connect_requests == 0


def test_a_connection_lost_while_waiting_is_not_returned():
    a, b = uuid.uuid4(), uuid.uuid4()
    conn_a, conn_b = _Conn(a), _Conn(b)

    def lose_a_then_open_b(manager):
        listener = manager.listeners[0]
        conn_a.alive = False
        listener.connection_removed(conn_a)
        listener.connection_added(conn_b)

    manager = _Manager([conn_a], on_connect=lose_a_then_open_b)
    found = wait_for_member_connections(manager, SequentialThreadingHandler(), [a, b], timeout=0.05)
    assert found == {b: conn_b}


def test_no_members_needs_no_wait():
    manager = _Manager([])
    assert wait_for_member_connections(manager, SequentialThreadingHandler(), [], timeout=60) == {}
