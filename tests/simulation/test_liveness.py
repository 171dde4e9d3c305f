"""Liveness in virtual time: trickling, paused and auth-then-drop members.

These replay, identically every run and in milliseconds of wall time, scenarios that
against real members need a fault proxy and a minute of waiting.
"""

from __future__ import annotations

import pytest

from hzgreen import HzState
from hzgreen.protocol.codecs import map as map_codec

#: The I/O loop sweeps deadlines and heartbeats every 50 ms.
TICK = 0.05
EPS = 1e-6


def test_trickling_peer_is_dropped_at_heartbeat_timeout(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, heartbeat_interval=5.0, heartbeat_timeout=60.0)
    [connection] = client._connections.active_connections
    sim.advance(12.0)
    member = cluster.members[0]
    member.trickle(interval=0.3)
    last_whole_message = connection.last_read
    bytes_before = connection.sock.bytes_received
    assert sim.sim.run_until(lambda: client.state == HzState.SUSPENDED, timeout=120.0)
    dropped_after = client.sim_log.first(HzState.SUSPENDED) - last_whole_message
    assert connection.close_reason == "heartbeat timeout"
    # A byte arrived every 0.3 s all along, yet only whole messages count as life.
    assert connection.sock.bytes_received - bytes_before >= 190
    assert 60.0 < dropped_after <= 60.0 + TICK + EPS, dropped_after
    member.stop_trickling()
    assert sim.sim.run_until(lambda: client.state == HzState.CONNECTED, timeout=120.0)
    assert client.sim_log.state_names() == ["CONNECTED", "SUSPENDED", "CONNECTED"]


def test_paused_member_suspends_then_resumed_member_reconnects_same_cluster(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, heartbeat_interval=5.0, heartbeat_timeout=60.0, invocation_timeout=300.0)
    m = client.get_map("m")
    m.put("k", "v")
    member = cluster.members[0]
    paused_at = sim.now
    member.pause()
    pending = m.get_async("k")
    sim.advance(90.0)
    suspended = client.sim_log.first(HzState.SUSPENDED)
    assert suspended is not None and 60.0 < suspended - paused_at <= 60.0 + 5.0 + TICK
    assert not pending.ready()  # a get is retryable: it waits for the reconnect
    resumed_at = sim.now
    member.resume()
    assert sim.sim.run_until(lambda: client.state == HzState.CONNECTED, timeout=60.0)
    # Same cluster id: SUSPENDED -> CONNECTED, never LOST.
    assert client.sim_log.state_names() == ["CONNECTED", "SUSPENDED", "CONNECTED"]
    assert pending.get(timeout=30.0) == "v"
    assert client.sim_log.first(HzState.CONNECTED, after=resumed_at) - resumed_at < 30.0


@pytest.mark.parametrize("drop_after", [0.0, 0.01], ids=["drop-behind-response", "drop-after-10ms"])
def test_auth_then_drop_peer_is_retried_with_backoff(sim, sim_client, drop_after):
    """A member that accepts the authentication and then drops the connection, forever.

    The client must keep retrying (never believe it is connected over a dead connection),
    back off between attempts (a handful per virtual second at most, not a busy loop)
    and not flood its listeners with a state event per attempt.
    """
    cluster = sim.cluster()
    client = sim_client(cluster)
    member = cluster.members[0]
    member.auth_then_drop = drop_after
    member.drop_connections()
    start = sim.now
    zombie = []

    def watch():
        while sim.now < start + 60.0:
            if client.connected and not any(c.alive for c in client._connections.active_connections):
                zombie.append(sim.now)
            sim.sim.sleep(0.5)

    sim.spawn(watch)
    sim.advance(60.0)
    attempts = [when for when, address, outcome in sim.network.attempts if when > start]
    per_second = {}
    for when in attempts:
        per_second[int(when - start)] = per_second.get(int(when - start), 0) + 1
    busiest = max(per_second.values()) if per_second else 0
    states = [when for when, _ in client.sim_log.states if when > start]
    assert len(attempts) >= 10, "only %d attempts in 60 virtual seconds: the client stopped retrying" % len(attempts)
    assert not zombie, "CONNECTED without a live connection at %s" % zombie[:3]
    assert busiest <= 5, "%d connection attempts within one virtual second (%d in 60 s)" % (busiest, len(attempts))
    assert len(states) <= 4, "%d state events in 60 virtual seconds: %s" % (len(states), client.sim_log.state_names())
    member.auth_then_drop = None
    assert sim.sim.run_until(lambda: client.connected and client._connections.active_connections, timeout=120.0)


def test_member_paused_past_invocation_timeout_answers_are_dropped(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, invocation_timeout=10.0, heartbeat_timeout=60.0)
    m = client.get_map("m")
    member = cluster.members[0]
    member.pause()
    future = m.put_async("k", "v")
    sim.advance(20.0)
    assert future.ready() and not future.successful()
    member.resume()  # the put is applied and answered, 10 s too late
    sim.advance(1.0)
    assert len(member.requests("Map.put")) == 1
    assert map_codec.PUT_REQUEST_TYPE and client.connected
    assert m.get("k") == "v"


def test_an_idle_connection_is_pinged_once_per_heartbeat_interval(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, heartbeat_interval=5.0, heartbeat_timeout=60.0)
    member = cluster.members[0]
    start = sim.now
    sim.advance(60.0)
    pings = [when for when, _, name in member.requests() if when > start and name == "Client.ping"]
    assert len(pings) >= 11, pings
    gaps = [later - earlier for earlier, later in zip(pings, pings[1:])]
    # A ping once the connection was idle one interval, and no more often (the ping counts as traffic).
    assert all(5.0 < gap <= 5.0 + TICK + EPS for gap in gaps), gaps
    assert client.sim_log.state_names() == ["CONNECTED"]
