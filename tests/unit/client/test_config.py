"""Option validation: every bad option fails at construction and names itself."""

import pytest

from hzgreen.config import ClientConfig, parse_address
from hzgreen.retry import HzRetry


def test_defaults_follow_the_official_client():
    config = ClientConfig()
    assert config.cluster_name == "dev"
    assert config.addresses == [("127.0.0.1", 5701), ("127.0.0.1", 5702), ("127.0.0.1", 5703)]
    assert config.smart_routing is True
    assert config.invocation_timeout == 120.0
    assert isinstance(config.command_retry, HzRetry)


@pytest.mark.parametrize("text,expected", [
    ("10.0.0.1:5702", [("10.0.0.1", 5702)]),
    ("[::1]:5701", [("::1", 5701)]),
    ("example", [("example", 5701), ("example", 5702), ("example", 5703)]),
])
def test_parse_address(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize("options,error,name", [
    (dict(cluster_members="127.0.0.1:5701"), TypeError, "cluster_members"),
    (dict(cluster_members=[]), ValueError, "cluster_members"),
    (dict(cluster_members=["h:99999"]), ValueError, "cluster_members"),
    (dict(cluster_members=["h:x"]), ValueError, "cluster_members"),
    (dict(cluster_name=5), TypeError, "cluster_name"),
    (dict(connection_timeout=0), ValueError, "connection_timeout"),
    (dict(connection_timeout="5"), TypeError, "connection_timeout"),
    (dict(invocation_timeout=-1), ValueError, "invocation_timeout"),
    (dict(heartbeat_interval=10, heartbeat_timeout=5), ValueError, "heartbeat_interval"),
    (dict(smart_routing="yes"), TypeError, "smart_routing"),
    (dict(redo_operation=1), TypeError, "redo_operation"),
    (dict(creds_username="u"), ValueError, "creds_username"),
    (dict(labels="a"), TypeError, "labels"),
    (dict(labels=[1]), TypeError, "labels"),
    (dict(lifecycle_listeners=[1]), TypeError, "lifecycle_listeners"),
    (dict(retry_initial_backoff=5, retry_max_backoff=1), ValueError, "retry_max_backoff"),
    (dict(retry_multiplier=0.5), ValueError, "retry_multiplier"),
    (dict(retry_jitter=2), ValueError, "retry_jitter"),
    (dict(cluster_connect_timeout=0), ValueError, "cluster_connect_timeout"),
    (dict(reconnect_mode="sometimes"), ValueError, "reconnect_mode"),
    (dict(command_retry=5), TypeError, "command_retry"),
    (dict(command_retry={"max_tries": 0}), ValueError, "command_retry"),
    (dict(command_retry={"bogus": 1}), TypeError, "command_retry"),
    (dict(max_frame_size=10), ValueError, "max_frame_size"),
    (dict(max_frame_size=1.5), TypeError, "max_frame_size"),
    (dict(no_such_option=1), TypeError, "no_such_option"),
])
def test_bad_options_raise_naming_the_option(options, error, name):
    with pytest.raises(error) as info:
        ClientConfig(**options)
    assert name in str(info.value)


def test_command_retry_from_dict():
    config = ClientConfig(command_retry={"max_tries": 7, "delay": 0.5})
    assert config.command_retry.max_tries == 7
    assert config.command_retry.delay == 0.5


def test_cluster_connect_timeout_minus_one_means_forever():
    assert ClientConfig(cluster_connect_timeout=-1).cluster_connect_timeout == -1
