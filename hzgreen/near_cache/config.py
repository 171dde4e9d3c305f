"""The ``near_caches`` client option: one :class:`NearCacheConfig` per map name or pattern.

The option names, values and defaults are the official Hazelcast Python client's::

    near_caches={
        "mostly-read-map": {
            "invalidate_on_change": True,        # drop entries the cluster changes
            "in_memory_format": "BINARY",        # or InMemoryFormat.OBJECT
            "time_to_live": None,                # seconds from caching; None (or 0): no limit
            "max_idle": None,                    # seconds since the last read; None (or 0): no limit
            "eviction_policy": "LRU",            # LFU, RANDOM, NONE (unbounded)
            "eviction_max_size": 10000,          # entries
            "eviction_sampling_count": 8,
            "eviction_sampling_pool_size": 16,
        },
        "users-*": {...},                        # a pattern: one '*' matches any text
    }

One option is hzgreen's own: ``reconciliation_interval`` (60 s), how often the
invalidation metadata is fetched from every member to find missed invalidations (the Java
client's ``hazelcast.invalidation.reconciliation.interval.seconds``).
"""

from __future__ import annotations

import enum
import math
from typing import Any, Dict, Mapping, Optional, Type, TypeVar, Union

__all__ = ["EvictionPolicy", "InMemoryFormat", "NearCacheConfig", "find_near_cache_config", "near_cache_configs"]


class InMemoryFormat(enum.IntEnum):
    """How a near cache keeps values: serialized (BINARY, the default) or deserialized (OBJECT)."""

    BINARY = 0
    OBJECT = 1


class EvictionPolicy(enum.IntEnum):
    """Which entry a full near cache drops: NONE (never: ``eviction_max_size`` is ignored),
    LRU (least recently read, the default), LFU (least often read) or RANDOM."""

    NONE = 0
    LRU = 1
    LFU = 2
    RANDOM = 3


E = TypeVar("E", bound=enum.IntEnum)

_DEFAULT_MAX_SIZE = 10000
_DEFAULT_SAMPLING_COUNT = 8
_DEFAULT_SAMPLING_POOL_SIZE = 16
_DEFAULT_RECONCILIATION_INTERVAL = 60.0

_FIELDS = (
    "invalidate_on_change",
    "in_memory_format",
    "time_to_live",
    "max_idle",
    "eviction_policy",
    "eviction_max_size",
    "eviction_sampling_count",
    "eviction_sampling_pool_size",
    "reconciliation_interval",
)


def _enum_value(enum_class: Type[E], value: object, where: str) -> E:
    """``value`` (a member, its name in any case, or its int value) as an ``enum_class`` member.

    Raises TypeError for another type and ValueError for an unknown name or value, naming ``where``.
    """
    names = ", ".join(member.name for member in enum_class)
    if isinstance(value, enum_class):
        return value
    if isinstance(value, str):
        try:
            return enum_class[value.upper()]
        except KeyError:
            raise ValueError("%s must be one of %s, got %r" % (where, names, value)) from None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_class(value)
        except ValueError:
            raise ValueError("%s must be one of %s, got %r" % (where, names, value)) from None
    raise TypeError("%s must be one of %s, got %r" % (where, names, value))


def _optional_seconds(value: object, where: str) -> Optional[float]:
    """``value`` as seconds, None for None or 0 (no limit); raises TypeError/ValueError naming ``where``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s must be a number of seconds or None, got %r" % (where, value))
    if not 0 <= value < math.inf:
        raise ValueError("%s must be a finite number of seconds >= 0, got %r" % (where, value))
    return float(value) or None


def _positive_int(value: object, where: str) -> int:
    """``value`` as an int >= 1; raises TypeError/ValueError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (where, value))
    if value < 1:
        raise ValueError("%s must be >= 1, got %r" % (where, value))
    return value


class NearCacheConfig:
    """The near cache of the maps whose name matches ``name`` (see the module docstring).

    Every argument is checked: TypeError or ValueError names the map (pattern) and the field.
    """

    __slots__ = ("name",) + _FIELDS

    def __init__(
        self,
        name: str = "default",
        invalidate_on_change: bool = True,
        in_memory_format: Union[InMemoryFormat, str, int] = InMemoryFormat.BINARY,
        time_to_live: Optional[float] = None,
        max_idle: Optional[float] = None,
        eviction_policy: Union[EvictionPolicy, str, int] = EvictionPolicy.LRU,
        eviction_max_size: int = _DEFAULT_MAX_SIZE,
        eviction_sampling_count: int = _DEFAULT_SAMPLING_COUNT,
        eviction_sampling_pool_size: int = _DEFAULT_SAMPLING_POOL_SIZE,
        reconciliation_interval: float = _DEFAULT_RECONCILIATION_INTERVAL,
    ) -> None:
        if not isinstance(name, str):
            raise TypeError("near_caches keys must be map names (str), got %r" % (name,))
        if not name or name.count("*") > 1:
            raise ValueError("near_caches key %r must be a map name, or a pattern with one '*'" % (name,))
        where = "near_caches[%r]." % name
        if not isinstance(invalidate_on_change, bool):
            raise TypeError("%sinvalidate_on_change must be a bool, got %r" % (where, invalidate_on_change))
        self.name = name
        self.invalidate_on_change = invalidate_on_change
        self.in_memory_format = _enum_value(InMemoryFormat, in_memory_format, where + "in_memory_format")
        self.time_to_live = _optional_seconds(time_to_live, where + "time_to_live")
        self.max_idle = _optional_seconds(max_idle, where + "max_idle")
        self.eviction_policy = _enum_value(EvictionPolicy, eviction_policy, where + "eviction_policy")
        self.eviction_max_size = _positive_int(eviction_max_size, where + "eviction_max_size")
        self.eviction_sampling_count = _positive_int(eviction_sampling_count, where + "eviction_sampling_count")
        self.eviction_sampling_pool_size = _positive_int(
            eviction_sampling_pool_size, where + "eviction_sampling_pool_size"
        )
        interval = _optional_seconds(reconciliation_interval, where + "reconciliation_interval")
        if interval is None:
            raise ValueError("%sreconciliation_interval must be > 0, got %r" % (where, reconciliation_interval))
        self.reconciliation_interval = interval

    def __repr__(self) -> str:
        return "NearCacheConfig(%s)" % ", ".join("%s=%r" % (field, getattr(self, field)) for field in self.__slots__)


def near_cache_configs(value: object) -> Dict[str, NearCacheConfig]:
    """The ``near_caches`` option checked: ``{map name or pattern: NearCacheConfig}`` (empty for None).

    Each value is a mapping of the official option names or a :class:`NearCacheConfig`.
    Raises TypeError/ValueError naming the map and the field for anything else (an
    unknown field, a wrong type, a value out of range).
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError("near_caches must be a dict of {map name: options}, got %r" % (value,))
    configs: Dict[str, NearCacheConfig] = {}
    for name, options in value.items():
        if isinstance(options, NearCacheConfig):
            if options.name != name:
                raise ValueError("near_caches[%r] is a NearCacheConfig named %r" % (name, options.name))
            configs[name] = options
            continue
        if not isinstance(options, Mapping):
            raise TypeError("near_caches[%r] must be a dict of near cache options, got %r" % (name, options))
        unknown = sorted(str(key) for key in options if key not in _FIELDS)
        if unknown:
            raise TypeError(
                "near_caches[%r]: unknown option(s) %s (known: %s)" % (name, ", ".join(unknown), ", ".join(_FIELDS))
            )
        arguments: Dict[str, Any] = dict(options)
        configs[name] = NearCacheConfig(name, **arguments)
    return configs


def _matches(pattern: str, name: str) -> bool:
    """Whether ``name`` matches ``pattern`` (one ``*`` standing for any text, possibly empty)."""
    prefix, _, suffix = pattern.partition("*")
    return len(name) >= len(prefix) + len(suffix) and name.startswith(prefix) and name.endswith(suffix)


def find_near_cache_config(configs: Mapping[str, NearCacheConfig], map_name: str) -> Optional[NearCacheConfig]:
    """The config of ``map_name``: its own entry, else the most specific matching pattern
    (the longest; equally long ones in name order), else None (no near cache)."""
    config = configs.get(map_name)
    if config is not None:
        return config
    patterns = [pattern for pattern in configs if "*" in pattern and _matches(pattern, map_name)]
    if not patterns:
        return None
    patterns.sort(key=lambda pattern: (-len(pattern), pattern))
    return configs[patterns[0]]
