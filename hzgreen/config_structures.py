"""Per-structure client options: ``reliable_topics`` and ``flake_id_generators``."""

from __future__ import annotations

import enum
from typing import Any, Dict, Mapping, Union

from hzgreen.config_checks import _duration


class TopicOverloadPolicy(enum.IntEnum):
    """What a reliable topic's publish does when its ringbuffer is full of unexpired messages.

    The values are the official client's; the names work too in ``reliable_topics``.
    """

    #: Overwrite the oldest message, even one younger than the time-to-live.
    DISCARD_OLDEST = 0
    #: Drop the message being published (publish still succeeds).
    DISCARD_NEWEST = 1
    #: Wait, retrying with a growing pause (0.1 s up to 2 s), until there is room.
    BLOCK = 2
    #: Fail the publish with TopicOverloadError.
    ERROR = 3


class ReliableTopicConfig:
    """The client-side settings of one reliable topic (an entry of the ``reliable_topics`` option).

    ``read_batch_size`` (10): how many messages a listener reads per request, at most;
    ``overload_policy`` (BLOCK): a :class:`TopicOverloadPolicy`, its name or its value.
    Raises TypeError / ValueError naming the setting for a wrong one.
    """

    __slots__ = ("read_batch_size", "overload_policy")

    def __init__(
        self, read_batch_size: int = 10, overload_policy: Union[TopicOverloadPolicy, str, int] = "BLOCK"
    ) -> None:
        if isinstance(read_batch_size, bool) or not isinstance(read_batch_size, int):
            raise TypeError("read_batch_size must be an int, got %r" % (read_batch_size,))
        if not 1 <= read_batch_size <= 1000:
            raise ValueError("read_batch_size must be in [1, 1000], got %r" % (read_batch_size,))
        self.read_batch_size = read_batch_size
        self.overload_policy = _overload_policy(overload_policy)

    def __repr__(self) -> str:
        return "ReliableTopicConfig(read_batch_size=%d, overload_policy=%s)" % (
            self.read_batch_size,
            self.overload_policy.name,
        )


def _overload_policy(value: object) -> TopicOverloadPolicy:
    """``value`` (policy, name or number) as a TopicOverloadPolicy; raises TypeError / ValueError."""
    names = ", ".join(policy.name for policy in TopicOverloadPolicy)
    if isinstance(value, str):
        try:
            return TopicOverloadPolicy[value.upper()]
        except KeyError:
            raise ValueError("overload_policy must be one of %s, got %r" % (names, value)) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("overload_policy must be one of %s, got %r" % (names, value))
    try:
        return TopicOverloadPolicy(value)
    except ValueError:
        raise ValueError("overload_policy must be one of %s, got %r" % (names, value)) from None


def reliable_topic_configs(value: object) -> Dict[str, ReliableTopicConfig]:
    """The ``reliable_topics`` option as ``{topic name: ReliableTopicConfig}``.

    Raises TypeError / ValueError naming the option and the topic for a wrong entry.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError("reliable_topics must be a dict {topic name: settings}, got %r" % (value,))
    configs: Dict[str, ReliableTopicConfig] = {}
    for name, settings in value.items():
        if not isinstance(name, str) or not name:
            raise TypeError("reliable_topics keys must be non-empty topic names, got %r" % (name,))
        if isinstance(settings, ReliableTopicConfig):
            configs[name] = settings
            continue
        if not isinstance(settings, Mapping):
            raise TypeError("reliable_topics[%r] must be a dict of settings, got %r" % (name, settings))
        unknown = sorted(set(settings) - {"read_batch_size", "overload_policy"})
        if unknown:
            raise TypeError("reliable_topics[%r]: unknown setting(s) %s" % (name, ", ".join(map(str, unknown))))
        try:
            configs[name] = ReliableTopicConfig(**settings)
        except (TypeError, ValueError) as error:
            raise type(error)("reliable_topics[%r]: %s" % (name, error)) from None
    return configs


class FlakeIdGeneratorConfig:
    """One entry of the ``flake_id_generators`` option (names as in the official client).

    ``prefetch_count``: ids asked for per batch, 1..100000 (default 100).
    ``prefetch_validity``: seconds a fetched batch may be used (default 600; 0: no limit).
    """

    __slots__ = ("prefetch_count", "prefetch_validity")

    def __init__(self, prefetch_count: int = 100, prefetch_validity: float = 600.0) -> None:
        self.prefetch_count = prefetch_count
        self.prefetch_validity = prefetch_validity

    def __repr__(self) -> str:
        return "FlakeIdGeneratorConfig(prefetch_count=%r, prefetch_validity=%r)" % (
            self.prefetch_count,
            self.prefetch_validity,
        )


def _flake_id_generators(value: Any) -> Dict[str, FlakeIdGeneratorConfig]:
    """The checked ``flake_id_generators`` option; raises TypeError/ValueError naming the entry."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError("flake_id_generators must be a dict of {name: {option: value}}, got %r" % (value,))
    configs: Dict[str, FlakeIdGeneratorConfig] = {}
    for name, entry in value.items():
        where = "flake_id_generators[%r]" % (name,)
        if not isinstance(name, str) or not name:
            raise TypeError("flake_id_generators keys must be non-empty generator names, got %r" % (name,))
        if not isinstance(entry, Mapping):
            raise TypeError("%s must be a dict of options, got %r" % (where, entry))
        unknown = sorted(set(entry) - {"prefetch_count", "prefetch_validity"})
        if unknown:
            raise TypeError("%s: unknown option(s) %s" % (where, ", ".join(map(str, unknown))))
        count = entry.get("prefetch_count", 100)
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError("%s prefetch_count must be an int, got %r" % (where, count))
        if not 1 <= count <= 100000:
            raise ValueError("%s prefetch_count must be in [1, 100000], got %r" % (where, count))
        validity = _duration(entry.get("prefetch_validity", 600.0), where + " prefetch_validity", allow_zero=True)
        configs[name] = FlakeIdGeneratorConfig(count, validity)
    return configs
