"""Where the client looks for members: the addresses a connect round tries, and how member addresses translate.

An :class:`AddressProvider` answers two questions for the connection manager: which
addresses to try first in a connect round (:meth:`~AddressProvider.load`), and which
address to dial for a member the cluster announced (:meth:`~AddressProvider.translate`).
The default provider answers with the configured ``cluster_members`` and dials members
where they say they are; the cloud provider (:mod:`hzgreen.network.cloud`) asks a
discovery service and maps the members' private addresses to public ones.
"""

from __future__ import annotations

from typing import List, Optional, Protocol, Sequence, Tuple

__all__ = ["Address", "AddressProvider", "DefaultAddressProvider", "MemberLike"]

Address = Tuple[str, int]


class _AddressLike(Protocol):
    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


class MemberLike(Protocol):
    """What the providers read of a member: its announced address."""

    @property
    def address(self) -> _AddressLike:
        """Returns the member's announced address (``host`` and ``port``)."""


class AddressProvider(Protocol):
    """The addresses of one cluster configuration."""

    def load(self) -> List[Address]:
        """The addresses a connect round tries first; a new list (empty when none are known right now).

        May block the calling task (never the I/O loop): the cloud provider asks its
        discovery service here. Raises nothing: a failure is logged and gives an empty list.
        """
        ...

    def translate(self, address: Address) -> Optional[Address]:
        """The address to dial for a member announcing ``address``; None when it cannot be reached."""
        ...


class DefaultAddressProvider:
    """The configured addresses; members are dialled at the addresses they announce."""

    def __init__(self, addresses: Sequence[Address]) -> None:
        self._addresses = list(addresses)

    def load(self) -> List[Address]:
        """Returns the configured addresses (a new list)."""
        return list(self._addresses)

    def translate(self, address: Address) -> Optional[Address]:
        """Returns ``address`` unchanged."""
        return address


def candidate_addresses(
    provider: AddressProvider, members: Sequence[MemberLike], include_members: bool = True
) -> List[Address]:
    """The addresses a connect round tries: the provider's, then the known members' translated ones.

    ``include_members`` False leaves the members out (they belong to another cluster than
    the one the round is for). Returns a new list without duplicates; members whose
    address does not translate are left out.
    """
    addresses = provider.load()
    if include_members:
        for member in members:
            translated = provider.translate((member.address.host, member.address.port))
            if translated is not None and translated not in addresses:
                addresses.append(translated)
    return addresses
