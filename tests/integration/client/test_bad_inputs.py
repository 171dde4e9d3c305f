"""Inputs that used to wedge the client: malformed and unresolvable addresses, and a
cluster that stays away longer than ``cluster_connect_timeout`` while reconnecting."""

import logging

import pytest

from hzgreen import HzClient, HzState, LifecycleState
from hzgreen.exceptions import ClientNotActiveError


def test_malformed_address_is_refused_at_construction(hz_cluster, hz_handler):
    with pytest.raises(ValueError) as info:
        HzClient(
            cluster_members=["a..b:5701"] + hz_cluster.addresses,
            cluster_name=hz_cluster.cluster_name,
            handler=hz_handler,
        )
    message = str(info.value)
    assert "cluster_members" in message and "'a..b:5701'" in message and "empty label" in message
    assert not hz_handler.running  # refused before anything started


def test_unresolvable_host_before_a_good_one_is_skipped_with_a_warning(
    hz_cluster, hz_client_factory, unique_name, caplog
):
    with caplog.at_level(logging.DEBUG, logger="hzgreen.runtime.connection"):
        client = hz_client_factory(
            cluster_members=["no-such-host.invalid:5701"] + hz_cluster.addresses, cluster_name=hz_cluster.cluster_name
        )
        m = client.get_map(unique_name)
        m.put("k", "v")
        assert m.get("k") == "v"
        assert client.state == HzState.CONNECTED
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name == "hzgreen.runtime.connection" and record.levelno == logging.WARNING
    ]
    assert any("no-such-host.invalid" in text for text in warnings), warnings


def test_cluster_connect_timeout_while_reconnecting_shuts_the_client_down(
    hz_cluster_factory, hz_client_factory, unique_name
):
    cluster = hz_cluster_factory()
    events, states = [], []
    client = hz_client_factory(
        cluster,
        cluster_connect_timeout=2.0,
        retry_initial_backoff=0.2,
        retry_max_backoff=0.5,
        lifecycle_listeners=[events.append],
    )
    shut_down = client.handler.event_object()
    client.add_lifecycle_listener(lambda event: shut_down.set() if event == LifecycleState.SHUTDOWN else None)
    client.add_listener(states.append)
    m = client.get_map(unique_name)
    m.put("k", "v")

    cluster.stop()

    assert shut_down.wait(90), "the client never shut down; state %s, events %s" % (client.state, events)
    assert client.state == HzState.LOST
    assert states == [HzState.SUSPENDED, HzState.LOST]
    assert events[-3:] == [LifecycleState.DISCONNECTED, LifecycleState.SHUTTING_DOWN, LifecycleState.SHUTDOWN]
    with pytest.raises(ClientNotActiveError):
        m.get("k")
