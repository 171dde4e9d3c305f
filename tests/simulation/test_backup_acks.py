"""Backup acknowledgements in virtual time: acks early, late, lost, duplicated; the backup timeout."""

from __future__ import annotations

import pytest

from hzgreen.exceptions import ClientNotActiveError, IndeterminateOperationStateError
from hzgreen.protocol.codecs import map as map_codec

TICK = 0.05
EPS = 0.01  # network latency of the simulated links


def _three_members(sim, sim_client, backups=1, **options):
    """A client of a three-member simulated cluster announcing ``backups`` backups, once every
    member's connection has the backup listener (the client marks requests backup-aware)."""
    cluster = sim.cluster(size=3)
    cluster.backups = backups
    client = sim_client(cluster, **options)
    sim.advance(2.0)  # the member connections open, the listeners register, a tick sets the flag
    assert len(client._connections.active_connections) == 3
    assert client.invocations.backup_flag
    return cluster, client


def _put_timed(sim, m, key):
    """Starts ``m.put(key, ...)``; returns (issued at, completions list of (time, exception))."""
    completions = []
    issued = sim.now
    future = m.put_async(key, "v")
    future.add_done_callback(lambda f: completions.append((sim.now, f.exception)))
    return issued, completions, future


def test_put_completes_when_the_late_ack_arrives(sim, sim_client):
    cluster, client = _three_members(sim, sim_client)
    for member in cluster.members:
        member.backup_ack_delay = 1.5
    m = client.get_map("m")
    issued, completions, future = _put_timed(sim, m, "k")
    sim.advance(1.0)
    assert completions == []  # answered, but the backup has not confirmed yet
    sim.advance(1.0)
    assert len(completions) == 1
    when, error = completions[0]
    assert error is None
    assert 1.5 <= when - issued <= 1.5 + EPS
    assert client._backup_acks.core.waiting == {} and client._backup_acks.core.acks == {}


def test_ack_before_the_response_is_counted(sim, sim_client):
    cluster, client = _three_members(sim, sim_client)
    for member in cluster.members:
        member.answer_delay_for[map_codec.PUT_REQUEST_TYPE] = 1.0
    m = client.get_map("m")
    issued, completions, _ = _put_timed(sim, m, "k")
    sim.advance(0.5)
    assert completions == []
    assert sum(client._backup_acks.core.acks.values()) == 1  # the ack came first
    sim.advance(1.0)
    assert [error for _, error in completions] == [None]
    assert 1.0 <= completions[0][0] - issued <= 1.0 + EPS  # not a backup timeout
    assert client._backup_acks.core.acks == {}


def test_two_backups_wait_for_both_acks(sim, sim_client):
    cluster, client = _three_members(sim, sim_client, backups=2)
    m = client.get_map("m")
    for i, member in enumerate(cluster.members):
        member.backup_ack_delay = 1.0 + i
    issued, completions, _ = _put_timed(sim, m, "k")
    sim.advance(4.0)
    assert [error for _, error in completions] == [None]
    # The slowest of the two backup members decides.
    [owner] = [member for member in cluster.members if member.requests("Map.put")]
    slowest = max(member.backup_ack_delay for member in cluster.members if member is not owner)
    assert slowest <= completions[0][0] - issued <= slowest + EPS


def test_lost_ack_completes_after_operation_backup_timeout(sim, sim_client):
    cluster, client = _three_members(sim, sim_client, operation_backup_timeout=2.0)
    for member in cluster.members:
        member.backup_ack_delay = None
    m = client.get_map("m")
    issued, completions, future = _put_timed(sim, m, "k")
    sim.advance(1.9)
    assert completions == []
    sim.advance(1.0)
    assert [error for _, error in completions] == [None]
    assert 2.0 <= completions[0][0] - issued <= 2.0 + TICK + EPS
    assert future.get(timeout=0) is None  # the put's old value
    assert m.get("k") == "v"


def test_lost_ack_fails_when_fail_on_indeterminate_operation_state(sim, sim_client):
    cluster, client = _three_members(
        sim, sim_client, operation_backup_timeout=2.0, fail_on_indeterminate_operation_state=True
    )
    for member in cluster.members:
        member.backup_ack_delay = None
    m = client.get_map("m")
    issued, completions, future = _put_timed(sim, m, "k")
    sim.advance(3.0)
    assert len(completions) == 1
    when, error = completions[0]
    assert isinstance(error, IndeterminateOperationStateError)
    assert "0 of 1 backup acknowledgements" in str(error) and "operation_backup_timeout" in str(error)
    assert "Map.put" in str(error)
    assert 2.0 <= when - issued <= 2.0 + TICK + EPS
    with pytest.raises(IndeterminateOperationStateError):
        future.get(timeout=0)


def test_ack_after_the_timeout_and_duplicates_are_dropped(sim, sim_client):
    cluster, client = _three_members(sim, sim_client, operation_backup_timeout=1.0)
    for member in cluster.members:
        member.backup_ack_delay = 2.0
        member.backup_ack_copies = 2
    m = client.get_map("m")
    _, completions, _ = _put_timed(sim, m, "a")
    sim.advance(5.0)  # timed out at +1 s; both copies of the ack arrive at +2 s
    assert [error for _, error in completions] == [None]
    assert client._backup_acks.core.acks == {} and client._backup_acks.core.waiting == {}
    for member in cluster.members:
        member.backup_ack_delay = 0.5
    _, completions, _ = _put_timed(sim, m, "b")
    sim.advance(3.0)  # the first copy completes it; the duplicate finds nothing
    assert [error for _, error in completions] == [None]
    assert client._backup_acks.core.acks == {} and client._backup_acks.core.waiting == {}


def test_many_puts_each_complete_once(sim, sim_client):
    cluster, client = _three_members(sim, sim_client, operation_backup_timeout=1.0)
    for i, member in enumerate(cluster.members):
        member.backup_ack_delay = [0.2, None, 0.1][i]
        member.backup_ack_copies = 2
    m = client.get_map("m")
    completions = {}
    for i in range(300):
        m.put_async(i, i).add_done_callback(lambda f, i=i: completions.setdefault(i, []).append(f.exception))
    sim.advance(5.0)
    assert sorted(completions) == list(range(300))
    assert all(outcomes == [None] for outcomes in completions.values())
    assert client._backup_acks.core.acks == {} and client._backup_acks.core.waiting == {}


def test_stop_fails_a_call_waiting_for_its_acks(sim, sim_client):
    cluster, client = _three_members(sim, sim_client)
    for member in cluster.members:
        member.backup_ack_delay = None
    m = client.get_map("m")
    _, completions, _ = _put_timed(sim, m, "k")
    sim.advance(0.5)
    assert completions == []
    client.stop()
    sim.advance(0.1)
    assert len(completions) == 1 and isinstance(completions[0][1], ClientNotActiveError)


def test_unisocket_client_does_not_ask_for_backup_acks(sim, sim_client):
    cluster = sim.cluster(size=3)
    cluster.backups = 1
    client = sim_client(cluster, smart_routing=False)
    sim.advance(2.0)
    assert client._backup_acks is None
    assert client.invocations.backup_flag == 0
    m = client.get_map("m")
    m.put("k", "v")
    assert all(not member.requests("Client.localBackupListener") for member in cluster.members)


def test_option_off_does_not_ask_for_backup_acks(sim, sim_client):
    cluster = sim.cluster(size=3)
    cluster.backups = 1
    client = sim_client(cluster, backup_ack_to_client_enabled=False)
    sim.advance(2.0)
    assert client._backup_acks is None
    assert client.invocations.backup_flag == 0
