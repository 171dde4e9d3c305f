"""Which cluster the client connects to: one, or a list of clusters gone round in order (blue/green failover).

:class:`ClusterRotation` is what the connection manager asks before each connect round:
the configuration of the cluster to try (name, credentials, TLS: what authentication and
the socket use), the addresses to try (through that cluster's
:class:`~hzgreen.network.address_provider.AddressProvider`), and how a member address
translates. After a round that connected nothing the rotation moves to the next cluster;
once it went ``try_count`` times round the whole list without connecting, the client gives
up. With a single cluster (no ``failover`` option) it never moves and never gives up: the
reconnect loop's own ``cluster_connect_timeout`` governs.

Not thread-safe on its own: the connect loop (one at a time) moves it; the other readers
only read the current index.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Protocol, Sequence

from hzgreen.exceptions import HzTimeoutError
from hzgreen.network.address_provider import (
    Address,
    AddressProvider,
    DefaultAddressProvider,
    MemberLike,
    candidate_addresses,
)
from hzgreen.network.cloud import CloudAddressProvider, CloudDiscovery
from hzgreen.runtime.core.lifecycle_actions import LOOP_DONE, GiveUp, Step

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler

__all__ = ["ClusterRotation", "TriesExhausted", "address_provider_for", "round_over"]

log = logging.getLogger("hzgreen.network.failover")


def address_provider_for(config: "ClientConfig", handler: "Handler") -> AddressProvider:
    """The address provider of one cluster configuration: cloud discovery with a token, else the configured members."""
    discovery = config.discovery
    if discovery.token is not None:
        return CloudAddressProvider(
            CloudDiscovery(handler, discovery.token, discovery.url, discovery.cafile, config.connection_timeout)
        )
    return DefaultAddressProvider(config.addresses)


class ClusterRotation:
    """The cluster configurations the client may connect to, the current one, and when to give up.

    ``configs`` is one configuration per cluster, in order; ``providers`` their address
    providers (same order); ``try_count`` how many times the list may be gone round
    without a connection (None: no limit, the single-cluster case).
    """

    def __init__(
        self, configs: Sequence["ClientConfig"], providers: Sequence[AddressProvider], try_count: Optional[int]
    ) -> None:
        if not configs or len(configs) != len(providers):
            raise ValueError("one address provider per cluster configuration is needed")
        self._configs = list(configs)
        self._providers = list(providers)
        self._try_count = try_count
        self.index = 0
        self._connected_index: Optional[int] = None  # the cluster the member list came from
        self._failed_rounds = 0  # failed rounds since the last connection

    @classmethod
    def from_config(cls, config: "ClientConfig", handler: "Handler") -> "ClusterRotation":
        """The rotation of a client's configuration (its ``failover`` clusters, or itself alone); returns it."""
        failover = config.discovery.failover
        if failover is None:
            return cls([config], [address_provider_for(config, handler)], None)
        clusters = failover.clusters
        return cls(clusters, [address_provider_for(c, handler) for c in clusters], failover.try_count)

    @property
    def config(self) -> "ClientConfig":
        """The configuration of the cluster being tried or connected to."""
        return self._configs[self.index]

    @property
    def provider(self) -> AddressProvider:
        """The address provider of the current cluster."""
        return self._providers[self.index]

    @property
    def try_count(self) -> Optional[int]:
        """How many times the list may be gone round without a connection (None: no limit)."""
        return self._try_count

    @property
    def cluster_count(self) -> int:
        """How many clusters the rotation holds."""
        return len(self._configs)

    def candidates(self, members: Sequence[MemberLike]) -> List[Address]:
        """The addresses the next round tries: the current cluster's, then its known members' (translated).

        The member list is used only while it belongs to the current cluster. Returns a new
        list; may block on the cloud discovery service (call it off the I/O loop).
        """
        return candidate_addresses(self.provider, members, self._connected_index in (None, self.index))

    def translate(self, address: Address) -> Optional[Address]:
        """The address to dial for a member of the current cluster announcing ``address``; None: unreachable."""
        return self.provider.translate(address)

    def connected(self) -> None:
        """A connection to the current cluster was accepted; the rounds count from zero again. Returns None."""
        self._connected_index = self.index
        self._failed_rounds = 0

    def round_failed(self) -> bool:
        """A whole round of the current cluster connected nothing: move to the next cluster.

        Returns False when the list was gone round ``try_count`` times without a
        connection (the client gives up), else True.
        """
        if self._try_count is None:
            return True
        self._failed_rounds += 1
        if self._failed_rounds >= self._try_count * len(self._configs):
            log.error(
                "could not connect to any of the %d failover clusters in %d tries", len(self._configs), self._try_count
            )
            return False
        previous = self.config.cluster_name
        self.index = (self.index + 1) % len(self._configs)
        if len(self._configs) > 1:
            log.warning("cluster %r unreachable: trying cluster %r", previous, self.config.cluster_name)
        return True


@dataclass(frozen=True, slots=True)
class TriesExhausted(GiveUp):
    """Every failover cluster was tried ``tries`` times round without a connection: stop trying."""

    tries: int = 0
    clusters: int = 0

    def error(self, addresses: Sequence[Address]) -> HzTimeoutError:
        """The error ``start()`` raises; returns it."""
        return HzTimeoutError(
            "could not connect to any of the %d failover clusters in %d tries (last tried %s)"
            % (self.clusters, self.tries, ", ".join("%s:%d" % a for a in addresses) or "no address")
        )


class _Named(Protocol):
    cluster_name: str


def round_over(rotation: ClusterRotation, connected: bool, step: Step, initial: bool, lifecycle: _Named) -> Step:
    """Tell ``rotation`` how a connect round of the loop ended; returns the loop's next step.

    ``step`` is what the lifecycle said after the round; a round that connected nothing
    moves the rotation to the next cluster (``lifecycle.cluster_name`` follows), or, once
    the tries are used up, gives up (:class:`TriesExhausted`, ``initial`` saying whether
    ``start()`` is waiting).
    """
    if connected:
        rotation.connected()
        return step
    if step is LOOP_DONE or isinstance(step, GiveUp):
        return step
    if not rotation.round_failed():
        return TriesExhausted(initial, 0.0, rotation.try_count or 0, rotation.cluster_count)
    lifecycle.cluster_name = rotation.config.cluster_name
    return step
