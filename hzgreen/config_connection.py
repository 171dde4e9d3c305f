"""Connection strategy, load balancing, membership listener, credential and logging options.

``CONNECTION_OPTIONS`` holds their defaults (merged into ``hzgreen.config.DEFAULTS``);
:func:`connection_options` checks them and returns a :class:`ConnectionOptions`. Names and
meanings follow the official Hazelcast Python client: ``async_start``, ``load_balancer``,
``membership_listeners``, ``token_provider``, ``logging_level``, ``logging_config``.
"""

from __future__ import annotations

import logging
import logging.config
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from hzgreen.network.credentials import TokenSource, check_token_provider
from hzgreen.network.load_balancer import LoadBalancer, check_load_balancer
from hzgreen.protocol.custom import MemberInfo

__all__ = [
    "CONNECTION_OPTIONS",
    "LOGGER_NAME",
    "ConnectionOptions",
    "LoadBalancer",
    "MembershipListenerPair",
    "TokenSource",
    "connection_options",
]

#: The parent of every hzgreen logger (the official client's is "HazelcastClient").
LOGGER_NAME = "hzgreen"

#: ``(member_added, member_removed)``; either may be None.
MembershipListenerPair = Tuple[Optional[Callable[[MemberInfo], Any]], Optional[Callable[[MemberInfo], Any]]]

CONNECTION_OPTIONS: Dict[str, Any] = {
    "async_start": False,
    "load_balancer": None,
    "membership_listeners": None,
    "token_provider": None,
    "logging_level": None,
    "logging_config": None,
}


class ConnectionOptions:
    """The checked options of this group (attributes carry the option names)."""

    __slots__ = (
        "async_start",
        "load_balancer",
        "membership_listeners",
        "token_provider",
        "logging_level",
        "logging_config",
    )

    def __init__(
        self,
        async_start: bool,
        load_balancer: LoadBalancer,
        membership_listeners: List[MembershipListenerPair],
        token_provider: Optional[TokenSource],
        logging_level: Optional[int],
        logging_config: Optional[Dict[str, Any]],
    ) -> None:
        self.async_start = async_start
        self.load_balancer = load_balancer
        self.membership_listeners = membership_listeners
        self.token_provider = token_provider
        self.logging_level = logging_level
        self.logging_config = logging_config

    def apply_logging(self) -> None:
        """Configure the standard ``logging`` module as the options say; returns None.

        ``logging_config`` goes to :func:`logging.config.dictConfig` (``logging_level`` is
        then ignored, as in the official client); otherwise ``logging_level`` becomes the
        level of the ``hzgreen`` logger; with neither, logging is left alone. Raises
        ValueError naming ``logging_config`` when ``dictConfig`` refuses it.
        """
        if self.logging_config is not None:
            try:
                logging.config.dictConfig(self.logging_config)
            except (ValueError, TypeError, AttributeError, ImportError) as error:
                raise ValueError("logging_config is not a valid logging configuration: %s" % error) from None
        elif self.logging_level is not None:
            logging.getLogger(LOGGER_NAME).setLevel(self.logging_level)


def _flag(options: Mapping[str, Any], name: str) -> bool:
    value = options[name]
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))
    return value


def _membership_listeners(value: Any) -> List[MembershipListenerPair]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise TypeError(
            "membership_listeners must be a list of (member_added, member_removed) tuples, got %r" % (value,)
        )
    pairs: List[MembershipListenerPair] = []
    for entry in value:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise TypeError(
                "membership_listeners entries must be (member_added, member_removed) tuples, got %r" % (entry,)
            )
        added, removed = entry
        for func in (added, removed):
            if func is not None and not callable(func):
                raise TypeError("membership_listeners functions must be callable or None, got %r" % (func,))
        if added is None and removed is None:
            raise ValueError("membership_listeners entry %r has neither function" % (entry,))
        pairs.append((added, removed))
    return pairs


def _logging_level(value: Any) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError("logging_level must be a logging level (e.g. logging.DEBUG or 'DEBUG'), got %r" % (value,))
    if isinstance(value, str):
        level = logging.getLevelName(value.upper())
        if not isinstance(level, int):
            raise ValueError("logging_level %r is not a logging level name" % (value,))
        return level
    if value < 0:
        raise ValueError("logging_level must be >= 0, got %r" % (value,))
    return value


def _logging_config(value: Any) -> Optional[Dict[str, Any]]:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError("logging_config must be a dict (logging.config.dictConfig schema), got %r" % (value,))
    if value.get("version") != 1:
        raise ValueError("logging_config must have 'version': 1 (logging.config.dictConfig schema)")
    return dict(value)


def connection_options(options: Mapping[str, Any]) -> ConnectionOptions:
    """Check this group's options in ``options`` (all client options, defaults merged); returns them.

    Raises TypeError for a wrong type and ValueError for a wrong value, naming the option.
    """
    return ConnectionOptions(
        async_start=_flag(options, "async_start"),
        load_balancer=check_load_balancer(options["load_balancer"]),
        membership_listeners=_membership_listeners(options["membership_listeners"]),
        token_provider=check_token_provider(options["token_provider"]),
        logging_level=_logging_level(options["logging_level"]),
        logging_config=_logging_config(options["logging_config"]),
    )
