"""Failover without members: the option's checks, the rotation between clusters, giving up after
try_count rounds of the list (connecting to closed ports under both handlers)."""

import socket
from types import SimpleNamespace

import pytest

from hzgreen import HzClient
from hzgreen.config import ClientConfig
from hzgreen.config_discovery import DEFAULT_TRY_COUNT
from hzgreen.exceptions import HzTimeoutError
from hzgreen.network.address_provider import DefaultAddressProvider
from hzgreen.network.failover import ClusterRotation, TriesExhausted, round_over
from hzgreen.runtime.core.lifecycle_actions import CONNECT_ROUND, LOOP_DONE, GiveUp, WaitUntil
from hzgreen.testing.plugin import make_handler


def closed_port():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    return port


def member(host, port):
    return SimpleNamespace(address=SimpleNamespace(host=host, port=port))


def rotation(try_count=2, names=("blue", "green")):
    configs = [ClientConfig(cluster_name=name, cluster_members=["10.0.0.%d:5701" % i]) for i, name in enumerate(names)]
    providers = [DefaultAddressProvider(c.addresses) for c in configs]
    return ClusterRotation(configs, providers, try_count)


def test_failover_option_builds_one_config_per_cluster_with_the_clients_name():
    config = ClientConfig(
        cluster_name="blue",
        client_name="app",
        failover={
            "client_configs": [
                {"cluster_name": "blue", "client_name": "app"},
                {"cluster_name": "green", "creds_username": "u", "creds_password": "p", "client_name": "app"},
            ]
        },
    )
    failover = config.discovery.failover
    assert [c.cluster_name for c in failover.clusters] == ["blue", "green"]
    assert failover.clusters[1].creds_username == "u"
    assert {c.client_name for c in failover.clusters} == {"app"}
    assert failover.try_count == DEFAULT_TRY_COUNT == 2**31 - 1
    assert ClientConfig().discovery.failover is None


@pytest.mark.parametrize(
    "failover, error, match",
    [
        ([{}], TypeError, "failover must be a dict"),
        ({"client_configs": [{}], "tries": 3}, TypeError, "unknown key"),
        ({"client_configs": [{}], "try_count": 0}, ValueError, "try_count must be >= 1"),
        ({"client_configs": [{}], "try_count": True}, TypeError, "try_count must be an int"),
        ({"client_configs": []}, ValueError, "client_configs must not be empty"),
        ({"client_configs": {"cluster_name": "a"}}, TypeError, "client_configs must be a list"),
        ({"client_configs": ["blue"]}, TypeError, r"client_configs\[0\] must be a dict"),
        ({"client_configs": [{}, {"smart_routing": False}]}, ValueError, r"client_configs\[1\] sets smart_routing"),
        ({"client_configs": [{}, {"cluster_name": 5}]}, TypeError, r"client_configs\[1\]: cluster_name"),
        ({"client_configs": [{}, {"bogus": 1}]}, TypeError, r"client_configs\[1\]: unknown client option"),
        ({"client_configs": [{"failover": None}]}, ValueError, "failover option of its own"),
    ],
)
def test_bad_failover_options_name_the_problem(failover, error, match):
    with pytest.raises(error, match=match):
        ClientConfig(failover=failover)


def test_create_failover_client_takes_the_first_cluster_and_checks_the_rest():
    client = HzClient.create_failover_client(
        [{"cluster_name": "blue", "invocation_timeout": 30}, {"cluster_name": "green", "invocation_timeout": 30}],
        try_count=3,
    )
    try:
        assert client.config.cluster_name == "blue" and client.config.invocation_timeout == 30
        assert client.config.discovery.failover.try_count == 3
    finally:
        client.close()
    with pytest.raises(ValueError, match="invocation_timeout"):
        HzClient.create_failover_client([{"invocation_timeout": 30}, {"invocation_timeout": 31}])
    with pytest.raises(ValueError, match="must not be empty"):
        HzClient.create_failover_client([])


def test_rotation_moves_on_after_each_failed_round_and_gives_up_after_try_count_laps():
    clusters = rotation(try_count=2)
    seen = [clusters.config.cluster_name]
    while clusters.round_failed():
        seen.append(clusters.config.cluster_name)
    assert seen == ["blue", "green", "blue", "green"]


def test_a_connection_resets_the_count_and_members_count_only_for_their_own_cluster():
    clusters = rotation(try_count=1)
    members = [member("10.1.1.1", 5701)]
    assert clusters.candidates(members) == [("10.0.0.0", 5701), ("10.1.1.1", 5701)]
    clusters.connected()
    assert clusters.round_failed()  # blue -> green
    assert clusters.candidates(members) == [("10.0.0.1", 5701)]  # blue's member list is not green's
    clusters.connected()
    assert clusters.round_failed() and clusters.config.cluster_name == "blue"


def test_a_single_cluster_never_moves_or_gives_up():
    config = ClientConfig(cluster_members=["127.0.0.1:5701"])
    clusters = ClusterRotation.from_config(config, make_handler("threading"))
    assert all(clusters.round_failed() for _ in range(100))
    assert clusters.config is config


def test_round_over_passes_the_lifecycles_steps_and_names_the_cluster_tried():
    clusters = rotation(try_count=1)
    lifecycle = SimpleNamespace(cluster_name="blue")
    wait = WaitUntil(3.0)
    assert round_over(clusters, True, LOOP_DONE, False, lifecycle) is LOOP_DONE
    give_up = GiveUp(False, 10.0)
    assert round_over(clusters, False, give_up, False, lifecycle) is give_up
    assert round_over(clusters, False, wait, True, lifecycle) is wait
    assert lifecycle.cluster_name == "green"
    step = round_over(clusters, False, CONNECT_ROUND, True, lifecycle)
    assert isinstance(step, TriesExhausted) and step.initial
    assert "2 failover clusters in 1 tries" in str(step.error([("10.0.0.1", 5701)]))


def test_start_gives_up_after_try_count_rounds_of_unreachable_clusters(hz_handler_name):
    configs = [
        {"cluster_name": name, "cluster_members": ["127.0.0.1:%d" % closed_port()], "retry_initial_backoff": 0.01}
        for name in ("blue", "green")
    ]
    client = HzClient.create_failover_client(configs, try_count=2, handler=make_handler(hz_handler_name))
    try:
        with pytest.raises(HzTimeoutError, match="2 failover clusters in 2 tries"):
            client.start(timeout=30)
    finally:
        client.stop()
        client.close()
