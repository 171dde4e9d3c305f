"""start/stop/close, lifecycle events and state listeners against a real member."""

import pytest

from hzgreen import HzClient, HzState, LifecycleState
from hzgreen.exceptions import ClientNotActiveError


def make_client(hz_cluster, hz_handler, **options):
    return HzClient(
        cluster_members=hz_cluster.addresses, cluster_name=hz_cluster.cluster_name, handler=hz_handler, **options
    )


def test_start_stop_states_and_lifecycle_events(hz_cluster, hz_handler):
    events, states = [], []
    shutdown = hz_handler.event_object()

    def on_lifecycle(event):
        events.append(event)
        if event == LifecycleState.SHUTDOWN:
            shutdown.set()

    client = make_client(hz_cluster, hz_handler, lifecycle_listeners=[on_lifecycle])
    client.add_listener(states.append)
    assert client.state == HzState.LOST
    client.start(timeout=30)
    assert client.state == HzState.CONNECTED and client.connected
    client.start(timeout=30)  # already started: nothing happens
    client.stop()
    assert shutdown.wait(10)
    client.stop()  # idempotent
    assert client.state == HzState.LOST
    assert states == [HzState.CONNECTED, HzState.LOST]
    assert events == [
        LifecycleState.STARTING,
        LifecycleState.STARTED,
        LifecycleState.CONNECTED,
        LifecycleState.SHUTTING_DOWN,
        LifecycleState.DISCONNECTED,
        LifecycleState.SHUTDOWN,
    ]
    client.close()
    with pytest.raises(ClientNotActiveError):
        client.start()


def test_restart_after_stop(hz_cluster, hz_handler, unique_name):
    client = make_client(hz_cluster, hz_handler)
    client.start(timeout=30)
    client.get_map(unique_name).put("a", 1)
    client.stop()
    client.start(timeout=30)
    try:
        assert client.get_map(unique_name).get("a") == 1
    finally:
        client.close()


def test_context_manager(hz_cluster, hz_handler, unique_name):
    with make_client(hz_cluster, hz_handler) as client:
        client.get_map(unique_name).put("a", 1)
        assert client.state == HzState.CONNECTED
    assert client.state == HzState.LOST


def test_calls_after_stop_fail_cleanly(hz_cluster, hz_handler, unique_name):
    client = make_client(hz_cluster, hz_handler)
    client.start(timeout=30)
    m = client.get_map(unique_name)
    client.stop()
    with pytest.raises(ClientNotActiveError):
        m.get("a")


def test_a_listener_may_call_the_client_without_deadlock(hz_cluster, hz_handler, unique_name):
    client = make_client(hz_cluster, hz_handler)
    answered = hz_handler.event_object()
    seen = []

    def listener(state):
        if state == HzState.CONNECTED:
            seen.append(client.get_map(unique_name).put("from-listener", 1))  # blocks on the member
            seen.append(client.get_map(unique_name).get("from-listener"))
            answered.set()

    client.add_listener(listener)
    client.start(timeout=30)
    try:
        assert answered.wait(20), "the listener's own map calls never completed"
        assert seen == [None, 1]
    finally:
        client.close()


def test_listener_returning_true_is_removed(hz_cluster, hz_handler):
    client = make_client(hz_cluster, hz_handler)
    calls = []
    done = hz_handler.event_object()

    def once(state):
        calls.append(state)
        return True

    client.add_listener(once)
    client.add_listener(lambda state: done.set() if state == HzState.LOST else None)
    client.start(timeout=30)
    client.stop()
    assert done.wait(10)
    assert calls == [HzState.CONNECTED]
    client.close()


def test_retry_helper_uses_the_client_policy(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("a", 1)
    assert hz_client.retry(m.get, "a") == 1


def test_handler_must_provide_the_interface():
    with pytest.raises(TypeError) as info:
        HzClient(handler=object())
    assert "handler" in str(info.value)


def test_unisocket_mode(hz_cluster, hz_handler, unique_name):
    with make_client(hz_cluster, hz_handler, smart_routing=False) as client:
        m = client.get_map(unique_name)
        m.put_all({"k%d" % i: i for i in range(100)})
        assert m.size() == 100
        assert len(client._connections.active_connections) == 1


def test_calls_before_start_fail_at_once(hz_cluster, hz_handler, unique_name):
    client = HzClient(cluster_members=hz_cluster.addresses, cluster_name=hz_cluster.cluster_name, handler=hz_handler)
    began = hz_handler.monotonic()
    with pytest.raises(ClientNotActiveError, match="not started: call start"):
        client.get_map(unique_name)
    # Nothing was sent and nothing waited for a connection that start() would have opened.
    assert hz_handler.monotonic() - began < 5
    client.start(timeout=30)
    try:
        m = client.get_map(unique_name)
        m.put("k", "v")
        assert m.get("k") == "v"
    finally:
        client.close()
