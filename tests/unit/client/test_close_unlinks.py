"""A closed client leaves nothing in reference cycles (HzClient.close unlinks its parts),
so reference counting frees it at once; no member is needed for these."""

from __future__ import annotations

import pytest

from hzgreen import HzClient
from hzgreen.exceptions import ClientNotActiveError
from hzgreen.testing.garbage import cyclic_garbage
from hzgreen.testing.plugin import HANDLER_NAMES, make_handler

UNREACHABLE = ["127.0.0.1:1"]


def _client(handler_name: str, **options: object) -> HzClient:
    return HzClient(cluster_members=UNREACHABLE, handler=make_handler(handler_name), **options)


@pytest.mark.parametrize("handler_name", HANDLER_NAMES)
def test_a_client_closed_unstarted_leaves_no_cycles(handler_name):
    def make_and_close():
        _client(handler_name).close()

    assert cyclic_garbage(make_and_close) == {}


@pytest.mark.parametrize("handler_name", HANDLER_NAMES)
def test_a_client_closed_while_connecting_in_the_background_leaves_no_cycles(handler_name):
    def start_and_close():
        client = _client(handler_name, async_start=True, cluster_connect_timeout=30)
        client.start()
        client.close()

    assert cyclic_garbage(start_and_close) == {}


def test_the_check_sees_a_cycle():
    # The helper itself: a client left in a cycle of its own is reported.
    kept = []

    def make_a_cycle():
        client = _client("threading")
        client.close()
        client.self_reference = client  # type: ignore[attr-defined]
        kept.append(len(kept))

    assert cyclic_garbage(make_a_cycle).get("hzgreen.client.HzClient") == 1


@pytest.mark.parametrize("handler_name", HANDLER_NAMES)
def test_a_closed_client_refuses_new_proxies_and_the_cp_subsystem(handler_name):
    client = _client(handler_name)
    client.close()
    client.close()  # idempotent
    with pytest.raises(ClientNotActiveError, match="closed"):
        client.get_map("m")
    with pytest.raises(ClientNotActiveError, match="closed"):
        client.cp.get_atomic_long("n")
    with pytest.raises(ClientNotActiveError, match="closed"):
        client.start()


def test_closing_a_client_inherited_through_fork_takes_none_of_its_locks():
    # In a forked child, a lock the parent's threads held at fork() stays held for ever:
    # close() there only marks the client closed (as stop() only drops local state).
    import os
    import threading

    client = _client("threading")
    client._fork_guard.pid = os.getpid() + 1  # as seen from a child of the creating process
    held, release = threading.Event(), threading.Event()

    def hold_the_lifecycle_lock():
        with client._lifecycle_lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_lifecycle_lock)
    holder.start()
    try:
        assert held.wait(10)
        closer = threading.Thread(target=client.close)
        closer.start()
        closer.join(10)
        assert not closer.is_alive(), "close() waited for a lock of the parent's client"
    finally:
        release.set()
        holder.join(10)
    with pytest.raises(ClientNotActiveError):
        client.start()
