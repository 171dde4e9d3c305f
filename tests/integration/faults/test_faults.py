"""Faults against real members: kills, stalls, refusals; and a fake peer for garbage bytes."""

import socket
import struct

import pytest

from hzgreen import HzClient, HzState
from hzgreen.exceptions import AuthenticationError, HzTimeoutError, ProtocolError
from tests.integration.private_cluster import quick_reconnect_client

from .fakepeer import FaultProxy

pytestmark = pytest.mark.fault


def wait_for(handler, predicate, timeout, what):
    deadline = handler.monotonic() + timeout
    while not predicate():
        assert handler.monotonic() < deadline, what
        handler.sleep_func(0.05)


@pytest.mark.slow
def test_member_sigkill_during_reads_on_three_members(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=3)
    client = HzClient(
        cluster_members=cluster.addresses, cluster_name=cluster.cluster_name, handler=hz_handler, invocation_timeout=60
    )
    client.start(timeout=30)
    try:
        wait_for(hz_handler, lambda: len(client._connections.active_connections) == 3, 20, "not connected to all")
        m = client.get_map(unique_name)
        expected = {"key-%d" % i: i for i in range(500)}
        m.put_all(expected)
        reads = 0
        killed = False
        for _ in range(6):
            for key, value in expected.items():
                assert m.get(key) == value
                reads += 1
                if not killed and reads == 700:
                    cluster.kill(2)
                    killed = True
        assert killed and reads == 3000
        wait_for(hz_handler, lambda: len(client.cluster.members) == 2, 60, "the killed member never left")
        assert m.get_all(list(expected)) == expected
    finally:
        client.close()


def test_member_sigstop_longer_than_invocation_timeout(resumed, hz_handler, unique_name):
    cluster = resumed
    client = HzClient(
        cluster_members=cluster.addresses,
        cluster_name=cluster.cluster_name,
        handler=hz_handler,
        invocation_timeout=2.0,
        heartbeat_timeout=60,
    )
    client.start(timeout=30)
    try:
        m = client.get_map(unique_name)
        m.put("a", 1)
        cluster.pause(0)
        started = hz_handler.monotonic()
        with pytest.raises(HzTimeoutError):
            m.get("a")
        elapsed = hz_handler.monotonic() - started
        assert elapsed <= 2.0 + 1.0, "HzTimeoutError after %.2fs" % elapsed
        async_started = hz_handler.monotonic()
        pending = m.get_async("a")
        with pytest.raises(HzTimeoutError):
            pending.get()  # no timeout of its own: the invocation deadline ends it
        assert hz_handler.monotonic() - async_started <= 3.0
        cluster.resume(0)
        assert client.retry(m.get, "a") == 1
    finally:
        client.close()


def test_state_listener_across_a_pause_longer_than_heartbeat_timeout(resumed, hz_handler, unique_name):
    cluster = resumed
    states = []
    suspended, reconnected = hz_handler.event_object(), hz_handler.event_object()

    def on_state(state):
        states.append(state)
        if state == HzState.SUSPENDED:
            suspended.set()
        elif state == HzState.CONNECTED and suspended.is_set():
            reconnected.set()

    client = HzClient(
        cluster_members=cluster.addresses,
        cluster_name=cluster.cluster_name,
        handler=hz_handler,
        heartbeat_interval=0.5,
        heartbeat_timeout=2.0,
        connection_timeout=1.0,
        retry_initial_backoff=0.2,
        retry_max_backoff=1.0,
    )
    client.add_listener(on_state)
    client.start(timeout=30)
    try:
        client.get_map(unique_name).put("a", 1)
        cluster.pause(0)
        assert suspended.wait(15), "no SUSPENDED after the member went silent"
        cluster.resume(0)
        assert reconnected.wait(30), "no CONNECTED after the member came back"
        assert states == [HzState.CONNECTED, HzState.SUSPENDED, HzState.CONNECTED]
        assert client.get_map(unique_name).get("a") == 1  # same cluster: the data is still there
    finally:
        client.close()


@pytest.mark.slow
def test_state_listener_across_a_full_cluster_restart(fault_cluster, hz_handler, unique_name):
    cluster = fault_cluster
    states = []
    suspended, reconnected = hz_handler.event_object(), hz_handler.event_object()

    def on_state(state):
        states.append(state)
        if state == HzState.SUSPENDED:
            suspended.set()
        elif state == HzState.CONNECTED and suspended.is_set():
            reconnected.set()

    client = quick_reconnect_client(cluster, hz_handler)
    client.add_listener(on_state)
    client.start(timeout=30)
    try:
        old_cluster_id = client._connections.cluster_id
        client.get_map(unique_name).put("a", 1)
        cluster.stop()
        assert suspended.wait(30)
        cluster.start()
        assert reconnected.wait(60), "no CONNECTED after the cluster restarted"
        assert states == [HzState.CONNECTED, HzState.SUSPENDED, HzState.LOST, HzState.CONNECTED]
        assert client._connections.cluster_id != old_cluster_id
        assert client.get_map(unique_name).get("a") is None  # a new cluster: the data is gone
    finally:
        client.close()


def test_wrong_cluster_name_is_an_authentication_error(hz_cluster, hz_handler):
    client = HzClient(
        cluster_members=hz_cluster.addresses,
        cluster_name="not-" + hz_cluster.cluster_name,
        handler=hz_handler,
        connection_timeout=3.0,
    )
    started = hz_handler.monotonic()
    with pytest.raises(AuthenticationError):
        client.start(timeout=30)
    assert hz_handler.monotonic() - started <= 3.0 + 1.0
    assert client.state == HzState.LOST
    client.close()


def test_nothing_listening_times_out_on_time(hz_handler):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    client = HzClient(
        cluster_members=["127.0.0.1:%d" % port], handler=hz_handler, retry_initial_backoff=0.1, retry_max_backoff=0.5
    )
    started = hz_handler.monotonic()
    with pytest.raises(HzTimeoutError):
        client.start(timeout=2.0)
    elapsed = hz_handler.monotonic() - started
    assert 1.9 <= elapsed <= 3.0, "start(timeout=2) returned after %.2fs" % elapsed
    assert client.state == HzState.LOST
    client.close()


@pytest.mark.fakepeer
@pytest.mark.parametrize(
    "payload,why",
    [
        (b"\x01\x00\x00\x00\x00\xc0" + b"\xde\xad" * 8, "frame length below 6"),
        (struct.pack("<iH", 0x7FFFFFFF, 0xE000), "frame length above max_frame_size"),
    ],
    ids=["short-frame", "huge-frame"],
)
def test_fake_peer_garbage_drops_only_that_connection(hz_cluster3, hz_handler, unique_name, payload, why):
    host, port = hz_cluster3.addresses[0].split(":")
    proxy = FaultProxy(host, int(port))
    states = []
    client = HzClient(
        cluster_members=[proxy.address],
        cluster_name=hz_cluster3.cluster_name,
        handler=hz_handler,
        max_frame_size=1024 * 1024,
    )
    client.add_listener(states.append)
    client.start(timeout=30)
    try:
        wait_for(hz_handler, lambda: len(client._connections.active_connections) == 3, 20, "not connected to all")
        proxied = [c for c in client._connections.active_connections if c.address[1] == proxy.port]
        assert len(proxied) == 1
        m = client.get_map(unique_name)
        m.put_all({"k%d" % i: i for i in range(100)})
        assert proxy.inject_to_clients(payload) >= 1
        wait_for(hz_handler, lambda: not proxied[0].alive, 10, "garbage did not drop the connection (%s)" % why)
        assert isinstance(proxied[0].close_error, ProtocolError)
        assert m.get_all(["k%d" % i for i in range(100)]) == {"k%d" % i: i for i in range(100)}
        assert states == [HzState.CONNECTED]  # the other members carried the client through
        wait_for(
            hz_handler,
            lambda: len(client._connections.active_connections) == 3,
            20,
            "the client did not reconnect to the member behind the bad peer",
        )
    finally:
        client.close()
        proxy.close()
