"""A client inherited through fork() fails clearly in the child and leaves the parent's connections alone.

Each test forks the test process (under the gevent handler with gevent's fork, which
re-initialises the hub in the child), runs a body in the child that reports back through
a pipe, and makes the parent wait for the child with a deadline: a child that hangs is
killed and fails the test instead of hanging the suite.
"""

import json
import os
import signal
import time
import traceback
import weakref

import pytest

from hzgreen import HzClient, HzState, forks
from hzgreen.exceptions import ClientForkedError
from hzgreen.testing.plugin import make_handler

#: A child that has not reported after this long is taken as hung.
CHILD_DEADLINE = 60.0
#: A refused call must fail at once; this bound only absorbs a loaded machine.
QUICK = 5.0


def _fork_function(handler_name):
    if handler_name == "gevent":
        import gevent.os

        return gevent.os.fork_gevent
    return os.fork


def run_in_child(handler, fork, body, parent_work=None):
    """Run ``body()`` in a forked child; return the JSON value it returned.

    The parent calls ``parent_work()`` over and over (or just yields) until the child
    exits; a child still running after CHILD_DEADLINE seconds is killed and fails the test.
    """
    read_end, write_end = os.pipe()
    pid = fork()
    if pid == 0:
        code = 70
        try:
            os.close(read_end)
            try:
                report = {"value": body()}
            except BaseException:
                report = {"crash": traceback.format_exc()}
            payload = json.dumps(report).encode()
            while payload:
                payload = payload[os.write(write_end, payload) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        deadline = time.monotonic() + CHILD_DEADLINE
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail("the child did not finish within %.0f s (hung)" % CHILD_DEADLINE)
            if parent_work is not None:
                parent_work()
            else:
                handler.sleep_func(0.02)
        chunks = []
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "child exit status %r" % status
    report = json.loads(b"".join(chunks).decode())
    assert "crash" not in report, report.get("crash")
    return report["value"]


def outcome(func, *args):
    """What ``func(*args)`` did, as JSON: how long it took and what it returned or raised."""
    began = time.monotonic()
    try:
        value = func(*args)
    except Exception as error:
        return {
            "seconds": time.monotonic() - began,
            "raised": type(error).__name__,
            "forked_error": isinstance(error, ClientForkedError),
            "message": str(error),
            "owner_pid": getattr(error, "owner_pid", None),
            "pid": getattr(error, "pid", None),
        }
    return {"seconds": time.monotonic() - began, "returned": repr(value)}


def assert_refused(result, parent_pid, child_pid):
    assert result.get("forked_error"), result
    assert result["seconds"] < QUICK, result
    assert (result["owner_pid"], result["pid"]) == (parent_pid, child_pid)
    assert "created in process %d" % parent_pid in result["message"]
    assert "after fork()" in result["message"]


def watch_parent(client):
    """The parent's state transitions and the ids of its live connections, to compare later."""
    states = []
    client.add_listener(states.append)
    return states, sorted(c.connection_id for c in client._connections.active_connections)


def assert_parent_untouched(client, m, states, connection_ids):
    m.put("after-child", "parent")
    assert m.get("after-child") == "parent"
    assert client.state == HzState.CONNECTED
    assert states == []
    live = client._connections.active_connections
    assert sorted(c.connection_id for c in live) == connection_ids
    assert all(c.alive for c in live)


def test_inherited_client_is_lost_and_every_call_fails_fast_in_the_child(
    hz_client, hz_handler, hz_handler_name, unique_name
):
    m = hz_client.get_map(unique_name)
    m.put("k", "parent")
    states, connection_ids = watch_parent(hz_client)
    parent_pid = os.getpid()

    def child():
        report = {"pid": os.getpid(), "state": str(hz_client.state), "connected": hz_client.connected}
        report["get"] = outcome(m.get, "k")
        report["put_async"] = outcome(lambda: m.put_async("k", "child").result(QUICK * 2))
        report["new_proxy"] = outcome(lambda: hz_client.get_map(unique_name + "-other").size())
        report["lock_recipe"] = outcome(lambda: hz_client.Lock(unique_name).acquire(timeout=QUICK * 2))
        report["start"] = outcome(hz_client.start, 10)
        report["stop"] = outcome(hz_client.stop)
        report["close"] = outcome(hz_client.close)
        report["get_after_close"] = outcome(m.get, "k")
        return report

    report = run_in_child(hz_handler, _fork_function(hz_handler_name), child)

    child_pid = report["pid"]
    assert child_pid != parent_pid
    assert report["state"] == "LOST" and report["connected"] is False
    for call in ("get", "put_async", "new_proxy", "lock_recipe", "start", "get_after_close"):
        assert_refused(report[call], parent_pid, child_pid)
    for call in ("stop", "close"):
        assert "raised" not in report[call], report[call]
        assert report[call]["seconds"] < QUICK, report[call]
    assert m.get("k") == "parent"  # the child's put never reached the member
    assert_parent_untouched(hz_client, m, states, connection_ids)


def test_what_survives_in_the_child_leaves_the_parents_connections_alone(
    hz_client, hz_handler, hz_handler_name, unique_name
):
    # Under gevent the client's greenlets (readers, ticker, heartbeats) live on in the
    # child: they must neither read the parent's responses nor write into its sockets,
    # and stop() in the child must not shut the shared sockets down.
    m = hz_client.get_map(unique_name)
    states, connection_ids = watch_parent(hz_client)
    parent_ops = []

    def parent_work():
        n = len(parent_ops)
        m.put_async(n, n).result(30)
        parent_ops.append(m.get_async(n).result(30))

    def child():
        hz_handler.sleep_func(1.0)  # let whatever the child inherited run
        report = {"get_async": outcome(lambda: m.get_async(0).result(QUICK * 2))}
        report["stop"] = outcome(hz_client.stop)
        report["close"] = outcome(hz_client.close)
        hz_handler.sleep_func(0.5)
        return report

    report = run_in_child(hz_handler, _fork_function(hz_handler_name), child, parent_work)

    assert report["get_async"]["forked_error"], report
    assert "raised" not in report["stop"] and "raised" not in report["close"], report
    assert parent_ops == list(range(len(parent_ops))) and parent_ops
    assert_parent_untouched(hz_client, m, states, connection_ids)


def test_a_client_created_in_the_child_works(hz_cluster, hz_client, hz_handler, hz_handler_name, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("from-parent", 1)

    def child():
        client = HzClient(
            cluster_members=hz_cluster.addresses,
            cluster_name=hz_cluster.cluster_name,
            handler=make_handler(hz_handler_name),
        )
        client.start(timeout=30)
        try:
            own = client.get_map(unique_name)
            own.put("from-child", os.getpid())
            return {
                "pid": os.getpid(),
                "state": str(client.state),
                "read": own.get("from-parent"),
                "inherited_state": str(hz_client.state),
            }
        finally:
            client.close()

    report = run_in_child(hz_handler, _fork_function(hz_handler_name), child)

    assert report["state"] == "CONNECTED" and report["read"] == 1
    assert report["inherited_state"] == "LOST"
    assert m.get("from-child") == report["pid"]
    assert hz_client.state == HzState.CONNECTED


def test_without_the_at_fork_hook_the_pid_checks_still_refuse_the_client(
    hz_client, hz_handler, hz_handler_name, unique_name, monkeypatch
):
    # As under a server forking from C without running Python's at-fork hooks (uWSGI
    # by default): nothing cuts the client off at the fork, the pid checks alone must
    # refuse it, and stop() must still leave the parent's sockets alone.
    monkeypatch.setattr(forks, "_guards", weakref.WeakSet())
    m = hz_client.get_map(unique_name)
    m.put("k", "parent")
    states, connection_ids = watch_parent(hz_client)
    parent_pid = os.getpid()

    def child():
        report = {"pid": os.getpid(), "state": str(hz_client.state)}
        report["get"] = outcome(m.get, "k")
        report["stop"] = outcome(hz_client.stop)
        return report

    report = run_in_child(hz_handler, _fork_function(hz_handler_name), child)

    assert report["state"] == "LOST"
    assert_refused(report["get"], parent_pid, report["pid"])
    assert "raised" not in report["stop"], report["stop"]
    assert_parent_untouched(hz_client, m, states, connection_ids)


def test_a_fork_while_connecting_leaves_the_new_connection_to_the_parent(hz_client_factory, hz_handler_name):
    # The connecting task holds a freshly connected socket that is not registered yet
    # when the process forks. Under gevent the task's copy resumes in the child: it must
    # drop its copy of the socket without writing the handshake into it or shutting it
    # down, or the parent's first connection breaks.
    client = hz_client_factory(start=False)
    handler = client.handler
    connected_socket, proceed = handler.event_object(), handler.event_object()
    real_create_connection = handler.create_connection

    def held_create_connection(address, timeout):
        sock = real_create_connection(address, timeout)
        connected_socket.set()
        proceed.wait()
        return sock

    handler.create_connection = held_create_connection
    states, seen_connected = [], handler.event_object()

    def on_state(state):
        states.append(state)
        if state == HzState.CONNECTED:
            seen_connected.set()

    client.add_listener(on_state)
    starter = handler.spawn(client.start, 30)
    assert connected_socket.wait(30)

    def child():
        proceed.set()
        handler.sleep_func(1.0)  # let the child's copy of the connecting task go on
        return {"state": str(client.state)}

    report = run_in_child(handler, _fork_function(hz_handler_name), child)
    proceed.set()
    starter.join(30)

    assert report["state"] == "LOST"
    assert client.state == HzState.CONNECTED and seen_connected.wait(30)
    m = client.get_map("fork-while-connecting")
    m.put("k", 1)
    assert m.get("k") == 1
    first = client._connections.active_connections
    assert len(first) == 1 and first[0].connection_id == 1 and first[0].alive
    assert states == [HzState.CONNECTED]
