"""The backup-ack and statistics options: official names, defaults, checks naming the option."""

from __future__ import annotations

import inspect

import pytest

from hzgreen import HzClient
from hzgreen.config import DEFAULTS, ClientConfig


def test_defaults_are_the_official_ones():
    operations = ClientConfig().operations
    assert operations.backup_ack_to_client_enabled is True
    assert operations.operation_backup_timeout == 5.0
    assert operations.fail_on_indeterminate_operation_state is False
    assert operations.statistics_enabled is False
    assert operations.statistics_period == 3.0
    parameters = inspect.signature(HzClient).parameters
    for name in (
        "backup_ack_to_client_enabled",
        "operation_backup_timeout",
        "fail_on_indeterminate_operation_state",
        "statistics_enabled",
        "statistics_period",
    ):
        assert parameters[name].default == DEFAULTS[name]


def test_values_are_kept():
    operations = ClientConfig(
        backup_ack_to_client_enabled=False,
        operation_backup_timeout=0.5,
        fail_on_indeterminate_operation_state=True,
        statistics_enabled=True,
        statistics_period=1,
    ).operations
    assert (operations.backup_ack_to_client_enabled, operations.operation_backup_timeout) == (False, 0.5)
    assert operations.fail_on_indeterminate_operation_state is True
    assert (operations.statistics_enabled, operations.statistics_period) == (True, 1.0)


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("backup_ack_to_client_enabled", 1, TypeError),
        ("fail_on_indeterminate_operation_state", "yes", TypeError),
        ("statistics_enabled", None, TypeError),
        ("operation_backup_timeout", "5", TypeError),
        ("operation_backup_timeout", 0, ValueError),
        ("operation_backup_timeout", float("inf"), ValueError),
        ("statistics_period", -3, ValueError),
        ("statistics_period", True, TypeError),
    ],
)
def test_bad_values_name_the_option(name, value, error):
    with pytest.raises(error, match=name):
        ClientConfig(**{name: value})
