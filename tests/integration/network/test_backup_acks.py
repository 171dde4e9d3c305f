"""Backup acknowledgements against three real members, one of them paused (SIGSTOP) as a backup."""

from __future__ import annotations

import pytest

from hzgreen.exceptions import IndeterminateOperationStateError
from hzgreen.testing import Cluster
from hzgreen.testing.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.fault]

#: Maps named ``acks*`` keep two sync backups: with three members, every member that does
#: not own a key holds one of its backups, so pausing any of them withholds an ack.
MAP_CONFIG = "<map name='acks*'><backup-count>2</backup-count></map>"
PAUSED = 2


@pytest.fixture(scope="module")
def acks_cluster(request):
    """Three members of this module's own (its tests pause one)."""
    cluster = Cluster(members=3, extra_config_xml=MAP_CONFIG)
    cluster.start()
    yield cluster
    cluster.close()


@pytest.fixture
def resumed(acks_cluster):
    """Resume the paused member even when a test fails."""
    yield acks_cluster
    if acks_cluster.member(PAUSED).paused:
        acks_cluster.resume(PAUSED)


def _ready_client(factory, cluster, **options):
    """A client connected to every member, its requests marked backup-aware."""
    client = factory(cluster=cluster, **options)
    wait_until(
        client.handler,
        lambda: len(client._connections.active_connections) == 3 and client.invocations.backup_flag,
        60,
        "the client never had a backup listener on all three members",
    )
    return client


def _key_not_owned_by(client, cluster, index):
    """A key whose partition owner is not member ``index``."""
    port = cluster.port(index)
    [paused] = [member.uuid for member in client.cluster.members if member.address.port == port]
    for i in range(1000):
        key = "k%d" % i
        owner = client.partitions.owner_of(client.partitions.partition_id_of(client.serialization.to_data(key)))
        if owner is not None and owner != paused:
            return key
    raise AssertionError("every key is owned by the paused member")


def _record_acks(client):
    """Count, per correlation id, the backup acks the response announced and those that came."""
    core = client._backup_acks.core
    announced = {}
    acked = []
    on_response, on_ack = core.on_response, core.on_ack

    def record_response(correlation_id, invocation, response, expected, now):
        announced[correlation_id] = expected
        return on_response(correlation_id, invocation, response, expected, now)

    def record_ack(correlation_id):
        acked.append(correlation_id)
        return on_ack(correlation_id)

    core.on_response, core.on_ack = record_response, record_ack
    return announced, acked


def test_put_completes_once_both_backups_acknowledged(hz_client_factory, acks_cluster, unique_name):
    client = _ready_client(hz_client_factory, acks_cluster)
    announced, acked = _record_acks(client)
    m = client.get_map("acks-" + unique_name)
    assert m.put("k", "v1") is None
    assert m.put("k", "v2") == "v1"
    assert list(announced.values()) == [2, 2]  # the member answered at once, announcing two backups
    assert sorted(acked) == sorted(list(announced) * 2)  # and both backups told the client
    assert client._backup_acks.core.waiting == {}
    assert m.get("k") == "v2"


def test_put_completes_after_operation_backup_timeout_with_a_backup_paused(hz_client_factory, resumed, unique_name):
    client = _ready_client(hz_client_factory, resumed, operation_backup_timeout=2.0)
    announced, acked = _record_acks(client)
    m = client.get_map("acks-" + unique_name)
    key = _key_not_owned_by(client, resumed, PAUSED)
    resumed.pause(PAUSED)
    started = client.handler.monotonic()
    assert m.put(key, "v") is None
    waited = client.handler.monotonic() - started
    assert 2.0 <= waited < 15.0
    [correlation_id] = announced
    assert announced[correlation_id] == 2 and acked.count(correlation_id) == 1  # one backup acknowledged
    resumed.resume(PAUSED)
    assert m.get(key) == "v"


def test_put_fails_indeterminate_with_a_backup_paused(hz_client_factory, resumed, unique_name):
    client = _ready_client(
        hz_client_factory, resumed, operation_backup_timeout=2.0, fail_on_indeterminate_operation_state=True
    )
    m = client.get_map("acks-" + unique_name)
    key = _key_not_owned_by(client, resumed, PAUSED)
    resumed.pause(PAUSED)
    started = client.handler.monotonic()
    with pytest.raises(IndeterminateOperationStateError, match="1 of 2 backup acknowledgements"):
        m.put(key, "v")
    assert client.handler.monotonic() - started >= 2.0
    resumed.resume(PAUSED)
    # The primary did apply it: the state is indeterminate, not rolled back.
    assert m.get(key) == "v"


def test_without_backup_acks_the_member_waits_for_its_backups(hz_client_factory, acks_cluster, unique_name):
    client = hz_client_factory(cluster=acks_cluster, backup_ack_to_client_enabled=False)
    assert client._backup_acks is None
    m = client.get_map("acks-" + unique_name)
    assert m.put("k", "v") is None
    assert m.get("k") == "v"
