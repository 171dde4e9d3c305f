"""``hazelcast.config`` for hzgreen: the official ``Config`` object and configuration enums.

:class:`Config` carries the official option names as attributes; :meth:`Config.to_options`
turns it into the keyword options of :class:`hzgreen.HzClient`, which validates them. The
enums have the official names and values; those hzgreen already has (IndexType,
EvictionPolicy, ...) are hzgreen's own ``IntEnum`` classes, so ``IndexType.HASH == 1``
as in the official client.
"""

from __future__ import annotations

import enum
import logging
from typing import Any, Dict, Mapping

from hzgreen.compat.core import MAP_ENTRY_FACTORIES
from hzgreen.config import DEFAULTS, FlakeIdGeneratorConfig, ReliableTopicConfig, TopicOverloadPolicy
from hzgreen.near_cache.config import EvictionPolicy, InMemoryFormat, NearCacheConfig
from hzgreen.network.tls import SSLProtocol
from hzgreen.proxy.map_index import BitmapIndexOptions, IndexConfig, IndexType, UniqueKeyTransformation
from hzgreen.server_errors import InvalidConfigurationError

__all__ = [
    "OFFICIAL_OPTIONS",
    "BitmapIndexOptions",
    "Config",
    "EvictionPolicy",
    "FlakeIdGeneratorConfig",
    "InMemoryFormat",
    "IndexConfig",
    "IndexType",
    "IntType",
    "NearCacheConfig",
    "QueryConstants",
    "ReconnectMode",
    "ReliableTopicConfig",
    "SSLProtocol",
    "TopicOverloadPolicy",
    "UniqueKeyTransformation",
]

log = logging.getLogger("hzgreen.compat")


class IntType(enum.IntEnum):
    """How a Python ``int`` is serialized (the ``default_int_type`` option), with the official values."""

    VAR = 0
    BYTE = 1
    SHORT = 2
    INT = 3
    LONG = 4
    BIG_INT = 5


class ReconnectMode(enum.IntEnum):
    """What the client does when it loses the cluster (the ``reconnect_mode`` option)."""

    OFF = 0
    ON = 1
    ASYNC = 2


class QueryConstants:
    """Attribute names with a special meaning in predicates and indexes."""

    KEY_ATTRIBUTE_NAME = "__key"
    THIS_ATTRIBUTE_NAME = "this"


#: The official client's options and their defaults (as the official Config reports them).
OFFICIAL_OPTIONS: Dict[str, Any] = {
    "cluster_members": [],
    "cluster_name": "dev",
    "client_name": None,
    "connection_timeout": 5.0,
    "socket_options": [],
    "redo_operation": False,
    "smart_routing": True,
    "ssl_enabled": False,
    "ssl_cafile": None,
    "ssl_certfile": None,
    "ssl_keyfile": None,
    "ssl_password": None,
    "ssl_protocol": SSLProtocol.TLSv1_2,
    "ssl_ciphers": None,
    "ssl_check_hostname": False,
    "cloud_discovery_token": None,
    "async_start": False,
    "reconnect_mode": ReconnectMode.ON,
    "retry_initial_backoff": 1.0,
    "retry_max_backoff": 30.0,
    "retry_jitter": 0.0,
    "retry_multiplier": 1.05,
    "cluster_connect_timeout": -1,
    "portable_version": 0,
    "data_serializable_factories": {},
    "portable_factories": {},
    "compact_serializers": [],
    "class_definitions": [],
    "check_class_definition_errors": True,
    "is_big_endian": True,
    "default_int_type": IntType.INT,
    "global_serializer": None,
    "custom_serializers": {},
    "near_caches": {},
    "load_balancer": None,
    "membership_listeners": [],
    "lifecycle_listeners": [],
    "flake_id_generators": {},
    "reliable_topics": {},
    "labels": [],
    "heartbeat_interval": 5.0,
    "heartbeat_timeout": 60.0,
    "invocation_timeout": 120.0,
    "invocation_retry_pause": 1.0,
    "statistics_enabled": False,
    "statistics_period": 3.0,
    "shuffle_member_list": True,
    "backup_ack_to_client_enabled": True,
    "operation_backup_timeout": 5.0,
    "fail_on_indeterminate_operation_state": False,
    "creds_username": None,
    "creds_password": None,
    "token_provider": None,
    "use_public_ip": False,
}

# Official options hzgreen has no counterpart for; accepted at their official default.
_IGNORED_AT_DEFAULT = ("is_big_endian", "use_public_ip")


def _invalid(message: str) -> Exception:
    return InvalidConfigurationError(message)


def _enum_name(value: Any, enum_type: "type[enum.IntEnum]") -> Any:
    """The member name for an official enum value (int or member); anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_type(value).name
        except ValueError:
            raise _invalid("%s has no value %r" % (enum_type.__name__, value)) from None
    return getattr(value, "name", value)


class Config:
    """The client configuration with the official attribute names.

    Every official option is an attribute holding its default; hzgreen's own options
    (``pickle_enabled``, ``command_retry``, ...) may be set too. Setting an unknown name
    raises AttributeError. Values are checked when the client is built.
    """

    def __init__(self) -> None:
        options: Dict[str, Any] = {}
        for name, value in OFFICIAL_OPTIONS.items():
            options[name] = value.copy() if isinstance(value, (list, dict)) else value
        object.__setattr__(self, "_options", options)

    def __getattr__(self, name: str) -> Any:
        options: Dict[str, Any] = self.__dict__["_options"]
        if name in options:
            return options[name]
        if name in DEFAULTS:
            return DEFAULTS[name]
        raise AttributeError("Config has no option %r" % (name,))

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in OFFICIAL_OPTIONS and name not in DEFAULTS:
            raise AttributeError("Config has no option %r" % (name,))
        self._options[name] = value

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Config":
        """Returns a Config holding the options of ``d``.

        Raises InvalidConfigurationError for an option name neither the official client nor hzgreen knows.
        """
        config = cls()
        for name, value in d.items():
            if name not in OFFICIAL_OPTIONS and name not in DEFAULTS:
                raise _invalid("Unrecognized config option: %s" % (name,))
            config._options[name] = value
        return config

    def to_options(self) -> Dict[str, Any]:
        """Returns the keyword options of :class:`hzgreen.HzClient` for this configuration.

        Options left at their official default are left out (hzgreen's default is the same
        behaviour); enum values become names. Raises InvalidConfigurationError for an
        official option hzgreen does not support set to anything but its default
        (``is_big_endian=False``, ``use_public_ip=True``). As in the official client, the
        ``ssl_*`` settings count only with ``ssl_enabled``.
        """
        options: Dict[str, Any] = {}
        ssl_enabled = bool(self._options.get("ssl_enabled"))
        for name, value in self._options.items():
            if name.startswith("ssl_") and name != "ssl_enabled" and not ssl_enabled:
                continue  # the official client ignores the TLS settings unless ssl_enabled
            official_default = OFFICIAL_OPTIONS.get(name, DEFAULTS.get(name))
            if name in _IGNORED_AT_DEFAULT:
                if value != official_default:
                    raise _invalid("%s=%r is not supported by hzgreen" % (name, value))
                continue
            if name == "shuffle_member_list":
                continue  # hzgreen tries the members in the order given, then the ones it learnt
            if name == "socket_options":
                if value:
                    log.warning("socket_options are not applied by hzgreen: %r", value)
                continue
            if isinstance(official_default, (list, dict)) and value == official_default:
                continue
            if value is official_default:
                continue
            if name == "reconnect_mode":
                value = _enum_name(value, ReconnectMode)
            elif name == "default_int_type":
                value = _enum_name(value, IntType)
            options[name] = value
        return options

    def client_options(self) -> Dict[str, Any]:
        """:meth:`to_options` plus what an official client always has: the factory of map
        entries (``max_by``/``min_by`` results read as :class:`~hzgreen.compat.core.MapEntry`).
        Raises as :meth:`to_options` does."""
        options = self.to_options()
        factories = dict(options.get("data_serializable_factories") or {})
        for factory_id, factory in MAP_ENTRY_FACTORIES.items():
            factories.setdefault(factory_id, factory)
        options["data_serializable_factories"] = factories
        return options

    def __repr__(self) -> str:
        changed = {name: value for name, value in self._options.items() if value != OFFICIAL_OPTIONS.get(name)}
        return "Config(%s)" % ", ".join("%s=%r" % item for item in sorted(changed.items()))
