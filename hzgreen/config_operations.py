"""Options of backup acknowledgements and client statistics, with the official names and defaults.

``OPERATIONS_OPTIONS`` holds the defaults (merged into :data:`hzgreen.config.DEFAULTS`);
:func:`operations_config` checks the values and returns an :class:`OperationsConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping

from hzgreen.config_checks import _duration

__all__ = ["OPERATIONS_OPTIONS", "OperationsConfig", "operations_config"]

OPERATIONS_OPTIONS: Dict[str, Any] = {
    "backup_ack_to_client_enabled": True,
    "operation_backup_timeout": 5.0,
    "fail_on_indeterminate_operation_state": False,
    "statistics_enabled": False,
    "statistics_period": 3.0,
}


@dataclass(frozen=True)
class OperationsConfig:
    """The checked backup-ack and statistics options of one client.

    ``backup_ack_to_client_enabled``: a smart client collects the backup acknowledgements
    of its mutating calls itself (ignored under unisocket routing); ``operation_backup_timeout``
    (seconds): how long a call waits for them after its response; ``fail_on_indeterminate_operation_state``:
    a call whose acknowledgements did not all come in time fails with
    IndeterminateOperationStateError instead of completing. ``statistics_enabled`` /
    ``statistics_period`` (seconds): send the client's metrics to the cluster that often.
    """

    backup_ack_to_client_enabled: bool = True
    operation_backup_timeout: float = 5.0
    fail_on_indeterminate_operation_state: bool = False
    statistics_enabled: bool = False
    statistics_period: float = 3.0


def _flag(options: Mapping[str, Any], name: str) -> bool:
    value = options[name]
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))
    return value


def operations_config(options: Mapping[str, Any]) -> OperationsConfig:
    """The :class:`OperationsConfig` of ``options`` (every option name present, defaults merged).

    Raises TypeError for a flag that is not a bool or a duration that is not a number, and
    ValueError for a duration that is not finite and > 0; both name the option.
    """
    return OperationsConfig(
        backup_ack_to_client_enabled=_flag(options, "backup_ack_to_client_enabled"),
        operation_backup_timeout=_duration(options["operation_backup_timeout"], "operation_backup_timeout"),
        fail_on_indeterminate_operation_state=_flag(options, "fail_on_indeterminate_operation_state"),
        statistics_enabled=_flag(options, "statistics_enabled"),
        statistics_period=_duration(options["statistics_period"], "statistics_period"),
    )
