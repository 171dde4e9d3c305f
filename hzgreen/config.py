"""Client options, checked once at construction.

Option names follow the official Hazelcast Python client. A wrong type raises
``TypeError`` and a wrong value raises ``ValueError``; either names the option, so a typo
in a deployment's settings fails loudly at start-up instead of in the middle of the night.
"""

from __future__ import annotations

import enum
import itertools
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from hzgreen.retry import HzRetry

DEFAULT_PORT = 5701
PORT_TRY_COUNT = 3  # "host" without a port means ports 5701..5703, as in the official client

RECONNECT_MODES = ("ON", "ASYNC", "OFF")

# Options handed to SerializationService unchanged; it validates them (naming the option).
SERIALIZATION_OPTIONS: Dict[str, Any] = {
    "default_int_type": "INT",
    "custom_serializers": None,
    "global_serializer": None,
    "data_serializable_factories": None,
    "portable_factories": None,
    "class_definitions": None,
    "portable_version": 0,
    "check_class_definition_errors": True,
    "compact_serializers": None,
}

_client_counter = itertools.count()


def parse_address(text: str, option: str = "cluster_members") -> List[Tuple[str, int]]:
    """``"host:port"`` → one address; ``"host"`` → the three default ports; ``"[::1]:5701"`` for IPv6."""
    if not isinstance(text, str):
        raise TypeError("%s entries must be str like '127.0.0.1:5701', got %r" % (option, text))
    text = text.strip()
    if not text:
        raise ValueError("%s has an empty address" % option)
    host, port = text, None
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError("%s: bad IPv6 address %r" % (option, text))
        host = text[1:end]
        rest = text[end + 1:]
        if rest:
            if not rest.startswith(":"):
                raise ValueError("%s: bad address %r" % (option, text))
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if port is None:
        return [(host, DEFAULT_PORT + i) for i in range(PORT_TRY_COUNT)]
    try:
        number = int(port)
    except ValueError:
        raise ValueError("%s: port of %r is not a number" % (option, text)) from None
    if not 0 < number < 65536:
        raise ValueError("%s: port of %r is out of range" % (option, text))
    if not host:
        raise ValueError("%s: host of %r is empty" % (option, text))
    return [(host, number)]


def _number(options: Dict[str, Any], name: str, minimum: float, allow_negative_one: bool = False,
            strictly_greater: bool = False) -> float:
    value = options[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s must be a number, got %r" % (name, value))
    if allow_negative_one and value == -1:
        return -1.0
    if value < minimum or (strictly_greater and value == minimum):
        raise ValueError("%s must be %s %s, got %r" % (name, ">" if strictly_greater else ">=", minimum, value))
    return float(value)


def _bool(options: Dict[str, Any], name: str) -> bool:
    value = options[name]
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))
    return value


def _optional_str(options: Dict[str, Any], name: str) -> Optional[str]:
    value = options[name]
    if value is not None and not isinstance(value, str):
        raise TypeError("%s must be a str or None, got %r" % (name, value))
    return value


DEFAULTS: Dict[str, Any] = {
    "cluster_members": None,
    "cluster_name": "dev",
    "connection_timeout": 5.0,
    "invocation_timeout": 120.0,
    "invocation_retry_pause": 1.0,
    "heartbeat_interval": 5.0,
    "heartbeat_timeout": 60.0,
    "smart_routing": True,
    "redo_operation": False,
    "creds_username": None,
    "creds_password": None,
    "client_name": None,
    "labels": None,
    "lifecycle_listeners": None,
    "retry_initial_backoff": 1.0,
    "retry_max_backoff": 30.0,
    "retry_multiplier": 1.05,
    "retry_jitter": 0.0,
    "cluster_connect_timeout": -1,
    "reconnect_mode": "ON",
    "command_retry": None,
    "max_frame_size": 128 * 1024 * 1024,
}
DEFAULTS.update(SERIALIZATION_OPTIONS)


class ClientConfig:
    """The validated options of one client; attributes carry the option names."""

    cluster_members: List[str]
    addresses: List[Tuple[str, int]]
    cluster_name: str
    connection_timeout: float
    invocation_timeout: float
    invocation_retry_pause: float
    heartbeat_interval: float
    heartbeat_timeout: float
    smart_routing: bool
    redo_operation: bool
    creds_username: Optional[str]
    creds_password: Optional[str]
    client_name: str
    labels: List[str]
    lifecycle_listeners: List[Callable[..., Any]]
    retry_initial_backoff: float
    retry_max_backoff: float
    retry_multiplier: float
    retry_jitter: float
    cluster_connect_timeout: float
    reconnect_mode: str
    command_retry: HzRetry
    max_frame_size: int
    serialization_options: Dict[str, Any]

    def __init__(self, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - set(DEFAULTS))
        if unknown:
            raise TypeError("unknown client option(s): %s" % ", ".join(unknown))
        options = dict(DEFAULTS)
        options.update(kwargs)

        members = options["cluster_members"]
        if members is None:
            members = ["127.0.0.1"]
        if isinstance(members, str) or not isinstance(members, Sequence):
            raise TypeError("cluster_members must be a list of 'host:port' strings, got %r" % (members,))
        if not members:
            raise ValueError("cluster_members must not be empty")
        self.cluster_members = list(members)
        self.addresses = []
        for entry in self.cluster_members:
            for address in parse_address(entry):
                if address not in self.addresses:
                    self.addresses.append(address)

        name = options["cluster_name"]
        if not isinstance(name, str):
            raise TypeError("cluster_name must be a str, got %r" % (name,))
        if not name:
            raise ValueError("cluster_name must not be empty")
        self.cluster_name = name

        self.connection_timeout = _number(options, "connection_timeout", 0, strictly_greater=True)
        self.invocation_timeout = _number(options, "invocation_timeout", 0, strictly_greater=True)
        self.invocation_retry_pause = _number(options, "invocation_retry_pause", 0)
        self.heartbeat_interval = _number(options, "heartbeat_interval", 0, strictly_greater=True)
        self.heartbeat_timeout = _number(options, "heartbeat_timeout", 0, strictly_greater=True)
        if self.heartbeat_interval >= self.heartbeat_timeout:
            raise ValueError("heartbeat_interval (%r) must be smaller than heartbeat_timeout (%r)"
                             % (self.heartbeat_interval, self.heartbeat_timeout))
        self.smart_routing = _bool(options, "smart_routing")
        self.redo_operation = _bool(options, "redo_operation")
        self.creds_username = _optional_str(options, "creds_username")
        self.creds_password = _optional_str(options, "creds_password")
        if (self.creds_username is None) != (self.creds_password is None):
            raise ValueError("creds_username and creds_password must be given together")

        client_name = _optional_str(options, "client_name")
        self.client_name = client_name or "hzgreen.client_%d" % next(_client_counter)

        labels = options["labels"]
        if labels is None:
            labels = []
        if isinstance(labels, str) or not isinstance(labels, (list, tuple, set, frozenset)):
            raise TypeError("labels must be a list of str, got %r" % (labels,))
        for label in labels:
            if not isinstance(label, str):
                raise TypeError("labels must be a list of str, got an entry %r" % (label,))
        self.labels = list(labels)

        listeners = options["lifecycle_listeners"]
        if listeners is None:
            listeners = []
        if not isinstance(listeners, (list, tuple)):
            raise TypeError("lifecycle_listeners must be a list of callables, got %r" % (listeners,))
        for listener in listeners:
            if not callable(listener):
                raise TypeError("lifecycle_listeners entries must be callable, got %r" % (listener,))
        self.lifecycle_listeners = list(listeners)

        self.retry_initial_backoff = _number(options, "retry_initial_backoff", 0)
        self.retry_max_backoff = _number(options, "retry_max_backoff", 0)
        if self.retry_max_backoff < self.retry_initial_backoff:
            raise ValueError("retry_max_backoff (%r) must be >= retry_initial_backoff (%r)"
                             % (self.retry_max_backoff, self.retry_initial_backoff))
        self.retry_multiplier = _number(options, "retry_multiplier", 1)
        self.retry_jitter = _number(options, "retry_jitter", 0)
        if self.retry_jitter > 1:
            raise ValueError("retry_jitter must be in [0, 1], got %r" % (options["retry_jitter"],))
        self.cluster_connect_timeout = _number(options, "cluster_connect_timeout", 0,
                                               allow_negative_one=True, strictly_greater=True)

        mode = options["reconnect_mode"]
        if not isinstance(mode, str):
            raise TypeError("reconnect_mode must be one of %s, got %r" % (", ".join(RECONNECT_MODES), mode))
        if mode.upper() not in RECONNECT_MODES:
            raise ValueError("reconnect_mode must be one of %s, got %r" % (", ".join(RECONNECT_MODES), mode))
        self.reconnect_mode = mode.upper()

        retry = options["command_retry"]
        if retry is None:
            retry = HzRetry(max_tries=3, delay=0.1, backoff=2, max_delay=5)
        elif isinstance(retry, dict):
            try:
                retry = HzRetry(**retry)
            except TypeError as error:
                raise TypeError("command_retry: %s" % error) from None
            except ValueError as error:
                raise ValueError("command_retry: %s" % error) from None
        elif not isinstance(retry, HzRetry):
            raise TypeError("command_retry must be an HzRetry or a dict of its arguments, got %r" % (retry,))
        self.command_retry = retry

        size = options["max_frame_size"]
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError("max_frame_size must be an int, got %r" % (size,))
        if not 64 <= size <= 2 ** 31 - 1:
            raise ValueError("max_frame_size must be in [64, 2**31-1], got %r" % (size,))
        self.max_frame_size = size

        self.serialization_options = {name: options[name] for name in SERIALIZATION_OPTIONS}


class IntType(enum.Enum):
    """How a Python ``int`` is stored (the ``default_int_type`` option; the names work too).

    ``INT`` (default): Java int, or long / BigInteger when the value does not fit.
    ``BYTE``, ``SHORT``, ``LONG``: always that type; values out of its range raise
    :class:`~hzgreen.exceptions.HzSerializationError`. ``VAR``: the smallest of
    byte, short, int, long, BigInteger. ``BIG_INT``: always BigInteger.
    """

    BYTE = "BYTE"
    SHORT = "SHORT"
    INT = "INT"
    LONG = "LONG"
    VAR = "VAR"
    BIG_INT = "BIG_INT"
