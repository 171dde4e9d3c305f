"""Cloud discovery and blue/green failover options: defaults, parsing and checks.

``cloud_discovery_token`` (official name) turns on Hazelcast Cloud discovery;
``cloud_discovery_url`` (the official client's ``hazelcast.client.cloud.url`` property)
and ``cloud_discovery_cafile`` point it elsewhere and say whom to trust. ``failover``
lists alternative clusters: ``{"client_configs": [options, ...], "try_count": n}``, as
the official ``ClientFailoverConfig`` (client configs and try count).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, TypedDict

from hzgreen.network.cloud import DEFAULT_CLOUD_URL, check_url

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig

__all__ = [
    "CLUSTER_LEVEL_OPTIONS",
    "DEFAULT_TRY_COUNT",
    "DISCOVERY_OPTIONS",
    "DiscoveryConfig",
    "FailoverConfig",
    "FailoverOptions",
    "discovery_config",
]

DISCOVERY_OPTIONS: Dict[str, Any] = {
    "cloud_discovery_token": None,
    "cloud_discovery_url": DEFAULT_CLOUD_URL,
    "cloud_discovery_cafile": None,
    "failover": None,
}

#: The official default: go round the list of clusters (practically) for ever.
DEFAULT_TRY_COUNT = 2**31 - 1

#: Options that may differ between the clusters of a failover configuration (the official
#: rule: cluster name, security, addresses, TLS, cloud and other discovery); every other
#: option must be the same in all of them.
CLUSTER_LEVEL_OPTIONS: FrozenSet[str] = frozenset(
    {
        "cluster_name",
        "cluster_members",
        "creds_username",
        "creds_password",
        "token_provider",
        "cloud_discovery_token",
        "cloud_discovery_url",
        "cloud_discovery_cafile",
        "use_public_ip",
        "ssl_enabled",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
        "ssl_password",
        "ssl_protocol",
        "ssl_ciphers",
        "ssl_check_hostname",
    }
)


class FailoverOptions(TypedDict, total=False):
    """The ``failover`` option: the clusters' option dicts, in order, and how many times to go round them."""

    client_configs: Sequence[Mapping[str, Any]]
    try_count: int


@dataclass(frozen=True)
class FailoverConfig:
    """The clusters to go round, in order, and how many times (``try_count``) before giving up."""

    clusters: List["ClientConfig"]
    try_count: int


@dataclass(frozen=True)
class DiscoveryConfig:
    """Cloud discovery (``token`` None: off) and failover (None: one cluster) of a client."""

    token: Optional[str] = None
    url: str = DEFAULT_CLOUD_URL
    cafile: Optional[str] = None
    failover: Optional[FailoverConfig] = field(default=None)


def _optional_text(options: Mapping[str, Any], name: str) -> Optional[str]:
    value = options[name]
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("%s must be a str or None, got %r" % (name, value))
    if not value:
        raise ValueError("%s must not be empty" % name)
    return value


def discovery_config(
    options: Mapping[str, Any], make_config: Callable[..., "ClientConfig"], client_name: str
) -> DiscoveryConfig:
    """Check the discovery and failover options of a client's ``options`` (defaults merged in).

    ``make_config(**entry)`` validates one failover client config (``ClientConfig``);
    ``client_name`` is the client's, given to every failover cluster. Returns the
    DiscoveryConfig; raises TypeError/ValueError naming the option.
    """
    token = _optional_text(options, "cloud_discovery_token")
    url = check_url(options["cloud_discovery_url"])
    cafile = _optional_text(options, "cloud_discovery_cafile")
    if cafile is not None and not os.path.isfile(cafile):
        raise ValueError("cloud_discovery_cafile: no such file %r" % (cafile,))
    if token is not None and options["cluster_members"]:
        raise ValueError("cluster_members must be empty when cloud_discovery_token is set (discovery finds them)")
    failover = _failover(options, make_config, client_name)
    return DiscoveryConfig(token, url, cafile, failover)


def _failover(
    options: Mapping[str, Any], make_config: Callable[..., "ClientConfig"], client_name: str
) -> Optional[FailoverConfig]:
    value = options["failover"]
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError("failover must be a dict with client_configs and try_count, got %r" % (value,))
    unknown = sorted(set(value) - {"client_configs", "try_count"})
    if unknown:
        raise TypeError("failover: unknown key(s) %s (expected client_configs, try_count)" % ", ".join(unknown))
    try_count = value.get("try_count", DEFAULT_TRY_COUNT)
    if isinstance(try_count, bool) or not isinstance(try_count, int):
        raise TypeError("failover try_count must be an int, got %r" % (try_count,))
    if try_count < 1:
        raise ValueError("failover try_count must be >= 1, got %r" % (try_count,))
    entries = value.get("client_configs")
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, (list, tuple)):
        raise TypeError("failover client_configs must be a list of option dicts, got %r" % (entries,))
    if not entries:
        raise ValueError("failover client_configs must not be empty")
    from hzgreen.config import DEFAULTS  # config imports this module

    clusters: List["ClientConfig"] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise TypeError("failover client_configs[%d] must be a dict of options, got %r" % (index, entry))
        if "failover" in entry:
            raise ValueError("failover client_configs[%d] must not have a failover option of its own" % index)
        merged = {**DEFAULTS, **entry}
        for name in sorted(DEFAULTS):
            if name in CLUSTER_LEVEL_OPTIONS or name == "failover":
                continue
            if not _same(merged[name], options[name]):
                raise ValueError(
                    "failover client_configs[%d] sets %s=%r but the client has %r: only cluster-level options "
                    "(%s) may differ between failover clusters"
                    % (index, name, merged[name], options[name], ", ".join(sorted(CLUSTER_LEVEL_OPTIONS)))
                )
        try:
            config = make_config(**entry)
        except TypeError as error:
            raise TypeError("failover client_configs[%d]: %s" % (index, error)) from None
        except ValueError as error:
            raise ValueError("failover client_configs[%d]: %s" % (index, error)) from None
        config.client_name = client_name
        clusters.append(config)
    return FailoverConfig(clusters, try_count)


def _same(a: Any, b: Any) -> bool:
    """True when two option values are the same (equal, or the same object)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


def failover_options(client_configs: Sequence[Mapping[str, Any]], try_count: int) -> Dict[str, Any]:
    """The client options of a failover client: the first cluster's options plus ``failover``; returns a new dict.

    Nothing is checked here: the client's construction checks it all (naming the option).
    """
    options: Dict[str, Any] = {}
    if isinstance(client_configs, (list, tuple)) and client_configs and isinstance(client_configs[0], Mapping):
        options.update(client_configs[0])
    options["failover"] = {"client_configs": client_configs, "try_count": try_count}
    return options
