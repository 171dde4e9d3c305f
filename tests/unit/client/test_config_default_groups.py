"""Option groups left at their defaults are checked once and shared; any group option given is checked anew."""

import pytest

from hzgreen import config as config_module
from hzgreen.config import DEFAULTS, ClientConfig


def make(**options):
    return ClientConfig(cluster_members=["127.0.0.1:5701"], cluster_name="dev", **options)


def test_default_groups_are_shared_between_configs():
    a, b = make(), make()
    assert a.operations is b.operations
    assert a.tls is b.tls
    assert a.discovery is b.discovery


def test_a_given_group_option_is_checked_and_kept_apart():
    shared = make()
    own = make(operation_backup_timeout=2.0, ssl_enabled=False, cloud_discovery_url=DEFAULTS["cloud_discovery_url"])
    assert own.operations is not shared.operations
    assert own.operations.operation_backup_timeout == 2.0
    assert own.tls is not shared.tls and own.tls == shared.tls
    assert own.discovery is not shared.discovery and own.discovery == shared.discovery
    with pytest.raises(ValueError, match="operation_backup_timeout"):
        make(operation_backup_timeout=-1.0)
    assert make().operations is shared.operations


def test_changed_defaults_are_checked_again(monkeypatch):
    shared = make()
    monkeypatch.setitem(DEFAULTS, "statistics_period", 7.0)
    changed = make()
    assert changed.operations.statistics_period == 7.0
    assert changed.operations is not shared.operations
    monkeypatch.setitem(DEFAULTS, "statistics_period", "bad")
    with pytest.raises(TypeError, match="statistics_period"):
        make()


def test_failover_configs_never_share_the_discovery_group():
    first = make(client_name="one")
    assert first.discovery is config_module._DEFAULT_GROUPS["discovery"][1]
    assert first.discovery.failover is None
