"""Token credentials: the ``token_provider`` option and the providers shipped with hzgreen.

A client authenticates with ``Client.authentication`` (cluster name plus the optional
``creds_username`` / ``creds_password``) unless a ``token_provider`` is given; then every
connection authenticates with ``Client.authenticationCustom``, whose credentials are the
bytes the provider returns for that member's address. The names follow the official
client's ``hazelcast.security`` module.
"""

from __future__ import annotations

from typing import Optional, Protocol, Union, runtime_checkable

from hzgreen.exceptions import AuthenticationError
from hzgreen.protocol.custom import Address

__all__ = ["BasicTokenProvider", "TokenProvider", "check_token_provider", "token_for"]


@runtime_checkable
class TokenSource(Protocol):
    """Anything with a ``token(address)`` method returning bytes (what ``token_provider`` accepts)."""

    def token(self, address: Optional[Address] = None) -> bytes:
        """Returns the token (bytes) to authenticate a connection to ``address`` with. May raise whatever
        the source raises; the connection attempt then fails."""


class TokenProvider:
    """Base class of token providers: :meth:`token` returns the credentials for one connection."""

    def token(self, address: Optional[Address] = None) -> bytes:
        """Returns the token to authenticate the connection to ``address`` with (bytes).

        Raises NotImplementedError here; subclasses return a token.
        """
        raise NotImplementedError("a TokenProvider must implement token(address)")


class BasicTokenProvider(TokenProvider):
    """Sends the same token to every member; a str token is sent as its UTF-8 bytes."""

    def __init__(self, token: Union[str, bytes] = "") -> None:
        """Raises TypeError if ``token`` is neither str nor bytes."""
        if isinstance(token, str):
            self._token = token.encode("utf-8")
        elif isinstance(token, (bytes, bytearray)):
            self._token = bytes(token)
        else:
            raise TypeError("token must be a str or bytes, got %r" % (type(token).__name__,))

    def token(self, address: Optional[Address] = None) -> bytes:
        """Returns the token given at construction, whatever the address."""
        return self._token

    def __repr__(self) -> str:
        return "BasicTokenProvider(<%d bytes>)" % len(self._token)


def check_token_provider(value: object) -> Optional[TokenSource]:
    """Check the ``token_provider`` option; returns it (None when not given).

    Raises TypeError when ``value`` has no callable ``token`` method.
    """
    if value is None:
        return None
    if not callable(getattr(value, "token", None)) or not isinstance(value, TokenSource):
        raise TypeError(
            "token_provider must be an object with a token(address) method returning bytes "
            "(e.g. hzgreen.network.credentials.BasicTokenProvider), got %r" % (value,)
        )
    return value


def token_for(provider: TokenSource, host: str, port: int) -> bytes:
    """Ask ``provider`` for the token of a connection to ``host:port``; returns the token bytes.

    Raises AuthenticationError naming ``token_provider`` when the provider raises or
    returns something other than bytes: like refused credentials, it ends ``start()``.
    """
    try:
        token = provider.token(Address(host, port))
    except Exception as error:
        raise AuthenticationError("token_provider.token() failed: %r" % (error,)) from error
    if isinstance(token, (bytes, bytearray, memoryview)):
        return bytes(token)
    raise AuthenticationError("token_provider.token() must return bytes, got %r" % (type(token).__name__,))
