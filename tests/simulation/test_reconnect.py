"""Reconnecting in virtual time: a restarted cluster, a cluster that never comes back."""

from __future__ import annotations

import pytest

from hzgreen import HzState
from hzgreen.exceptions import ClientNotActiveError
from hzgreen.states import LifecycleState


def test_cluster_restart_with_new_id_goes_lost_then_connected(sim, sim_client):
    cluster = sim.cluster(size=2)
    client = sim_client(cluster)
    m = client.get_map("m")
    m.put("k", "before")
    old_id = client._connections.cluster_id
    restarted_at = sim.now
    cluster.restart(downtime=20.0)
    assert sim.sim.run_until(
        lambda: (
            client.state == HzState.CONNECTED and client.sim_log.first(HzState.LOST, after=restarted_at) is not None
        ),
        timeout=300.0,
    )
    assert client.sim_log.state_names() == ["CONNECTED", "SUSPENDED", "LOST", "CONNECTED"]
    lost = client.sim_log.first(HzState.LOST, after=restarted_at)
    assert lost >= restarted_at + 20.0  # not before the new cluster answered
    assert client._connections.cluster_id == cluster.cluster_id != old_id
    assert m.get("k") is None  # the new cluster's map is empty
    # Smart routing: the client reconnects to both restarted members.
    assert sim.sim.run_until(lambda: len(client._connections.active_connections) == 2, timeout=30.0)


def test_cluster_restart_with_same_members_keeps_requests_waiting(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, invocation_timeout=120.0)
    m = client.get_map("m")
    cluster.restart(downtime=10.0)
    sim.advance(0.1)
    assert client.state == HzState.SUSPENDED
    pending = m.get_async("k")  # parked: no connection
    sim.advance(30.0)
    assert pending.get(timeout=60.0) is None
    assert client.state == HzState.CONNECTED


def test_cluster_connect_timeout_runs_out_mid_reconnect(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, cluster_connect_timeout=30.0)
    m = client.get_map("m")
    pending = m.get_async("k")
    sim.advance(10.0)  # longer than heartbeat_interval: the connection counts as stable
    member = cluster.members[0]
    killed_at = sim.now
    member.kill()
    parked = m.get_async("k")
    assert sim.sim.run_until(lambda: client.sim_log.first(LifecycleState.SHUTDOWN) is not None, timeout=300.0)
    shutdown = client.sim_log.first(LifecycleState.SHUTDOWN)
    # It gave up once cluster_connect_timeout ran out, not before, and not much later.
    assert 30.0 <= shutdown - killed_at <= 32.0, shutdown - killed_at
    assert client.state == HzState.LOST
    assert client.sim_log.state_names() == ["CONNECTED", "SUSPENDED", "LOST"]
    assert pending.get(timeout=0) is None
    with pytest.raises(ClientNotActiveError):
        parked.get(timeout=1.0)
    with pytest.raises(ClientNotActiveError):
        m.get("k")
    attempts = [when for when, address, outcome in sim.network.attempts if when > killed_at]
    assert attempts and all(outcome == "refused" for when, address, outcome in sim.network.attempts if when > killed_at)


def test_view_listener_moves_to_a_surviving_member_and_keeps_the_member_list_current(sim, sim_client):
    cluster = sim.cluster(size=2)
    client = sim_client(cluster)
    assert sim.sim.run_until(lambda: len(client._connections.active_connections) == 2, timeout=30.0)
    [watched] = [m for m in cluster.members if any(c.view_listener is not None for c in m.connections)]
    [survivor] = [m for m in cluster.members if m is not watched]
    cluster.remove_member(watched)
    assert sim.sim.run_until(
        lambda: any(c.open and c.view_listener is not None for c in survivor.connections), timeout=30.0
    ), "the cluster view listener did not move to the surviving member"
    # Only a listening connection hears of a new member: the client connects to it.
    newcomer = cluster.add_member()
    assert sim.sim.run_until(
        lambda: {c.member_uuid for c in client._connections.active_connections} == {survivor.uuid, newcomer.uuid},
        timeout=30.0,
    )
    assert [m.uuid for m in client.cluster.members] == [survivor.uuid, newcomer.uuid]
    assert client.sim_log.state_names() == ["CONNECTED"]  # one member left: never SUSPENDED
