"""TLS options (``ssl_*``) of the client and the ``ssl.SSLContext`` they describe.

The names, defaults and meaning are the official Hazelcast Python client's: TLS is off
unless ``ssl_enabled``; the member's certificate is always verified (against
``ssl_cafile``, or the system's default CAs); ``ssl_certfile`` / ``ssl_keyfile`` /
``ssl_password`` give the client's own certificate for mutual authentication;
``ssl_protocol`` pins one protocol version (TLSv1_2 by default); ``ssl_ciphers`` is an
OpenSSL cipher list; ``ssl_check_hostname`` also matches the member's certificate with
the host the client connects to.

The context is built once, at construction, so a missing file, a wrong password or a bad
cipher list fails there (``ValueError`` naming the option) rather than at each connect.
Nothing here opens a socket: the handlers do the handshake (see
``IHandler.create_connection``).
"""

from __future__ import annotations

import enum
import os
import ssl
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Union

__all__ = ["SSL_OPTIONS", "SSLProtocol", "TlsConfig", "parse_tls_options"]

#: The TLS options and their defaults (the official client's).
SSL_OPTIONS: Dict[str, Any] = {
    "ssl_enabled": False,
    "ssl_cafile": None,
    "ssl_certfile": None,
    "ssl_keyfile": None,
    "ssl_password": None,
    "ssl_protocol": "TLSv1_2",
    "ssl_ciphers": None,
    "ssl_check_hostname": False,
}

Password = Union[str, bytes, bytearray, Callable[[], Union[str, bytes, bytearray]]]


class SSLProtocol(enum.IntEnum):
    """The protocol version of ``ssl_protocol`` (the official client's names and values).

    The names work too (``ssl_protocol="TLSv1_3"``). SSLv2 and SSLv3 are prohibited by
    RFC 6176 and RFC 7568 and no current OpenSSL speaks them: choosing them is a
    ``ValueError``. TLSv1 and TLSv1_1 work only where the local OpenSSL still allows them.
    """

    SSLv2 = 0
    SSLv3 = 1
    TLSv1 = 2
    TLSv1_1 = 3
    TLSv1_2 = 4
    TLSv1_3 = 5


_TLS_VERSIONS: Mapping[SSLProtocol, ssl.TLSVersion] = {
    SSLProtocol.TLSv1: ssl.TLSVersion.TLSv1,
    SSLProtocol.TLSv1_1: ssl.TLSVersion.TLSv1_1,
    SSLProtocol.TLSv1_2: ssl.TLSVersion.TLSv1_2,
    SSLProtocol.TLSv1_3: ssl.TLSVersion.TLSv1_3,
}


@dataclass(frozen=True)
class TlsConfig:
    """The checked TLS options of one client.

    ``context`` is the ``ssl.SSLContext`` every connection uses, None when TLS is off.
    The password is not kept (it was used to load the key).
    """

    enabled: bool
    cafile: Optional[str]
    certfile: Optional[str]
    keyfile: Optional[str]
    protocol: SSLProtocol
    ciphers: Optional[str]
    check_hostname: bool
    context: Optional[ssl.SSLContext]

    def server_hostname(self, host: str) -> Optional[str]:
        """The name to verify the member's certificate against: ``host`` when ``ssl_check_hostname``, else None."""
        return host if self.check_hostname else None

    def connect_options(self, host: str) -> Dict[str, Any]:
        """The TLS keywords of ``handler.create_connection`` for a member at ``host``; empty when TLS is off."""
        if self.context is None:
            return {}
        return {"ssl_context": self.context, "server_hostname": self.server_hostname(host)}


def _flag(options: Mapping[str, Any], name: str) -> bool:
    value = options[name]
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))
    return value


def _path(options: Mapping[str, Any], name: str) -> Optional[str]:
    value = options[name]
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError("%s must be a path (str) or None, got %r" % (name, value))
    path = os.fspath(value)
    if not isinstance(path, str) or not path:
        raise ValueError("%s must be a non-empty path, got %r" % (name, value))
    return path


def _protocol(value: Any) -> SSLProtocol:
    if isinstance(value, bool):
        raise TypeError("ssl_protocol must be an SSLProtocol, its name or its value, got %r" % (value,))
    try:
        if isinstance(value, str):
            protocol = SSLProtocol[value]
        elif isinstance(value, int):
            protocol = SSLProtocol(value)
        else:
            raise TypeError("ssl_protocol must be an SSLProtocol, its name or its value, got %r" % (value,))
    except (KeyError, ValueError):
        raise ValueError(
            "ssl_protocol must be one of %s, got %r" % (", ".join(p.name for p in SSLProtocol), value)
        ) from None
    if protocol not in _TLS_VERSIONS:
        raise ValueError("ssl_protocol %s is prohibited and not supported; use TLSv1_2 or TLSv1_3" % protocol.name)
    return protocol


def _password(value: Any) -> Optional[Password]:
    if value is None or isinstance(value, (str, bytes, bytearray)) or callable(value):
        return value  # type: ignore[no-any-return]  # narrowed by the checks above
    raise TypeError("ssl_password must be a str, bytes, a callable returning one, or None, got %r" % (value,))


def parse_tls_options(options: Mapping[str, Any]) -> TlsConfig:
    """Check the ``ssl_*`` entries of ``options`` and build the SSL context when TLS is on.

    Returns the :class:`TlsConfig`. Raises TypeError for a wrong type and ValueError for a
    wrong value (an unknown protocol, a file that cannot be read, a key that does not
    match its certificate or needs another password, a cipher list OpenSSL refuses);
    each message names the option. With ``ssl_enabled`` False the other options are
    type-checked and otherwise ignored, as in the official client.
    """
    enabled = _flag(options, "ssl_enabled")
    check_hostname = _flag(options, "ssl_check_hostname")
    cafile = _path(options, "ssl_cafile")
    certfile = _path(options, "ssl_certfile")
    keyfile = _path(options, "ssl_keyfile")
    password = _password(options["ssl_password"])
    protocol = _protocol(options["ssl_protocol"])
    ciphers = options["ssl_ciphers"]
    if ciphers is not None and not isinstance(ciphers, str):
        raise TypeError("ssl_ciphers must be a str (an OpenSSL cipher list) or None, got %r" % (ciphers,))
    if keyfile is not None and certfile is None:
        raise ValueError("ssl_keyfile needs ssl_certfile (the certificate of that key)")
    context = None
    if enabled:
        context = _build_context(protocol, cafile, certfile, keyfile, password, ciphers, check_hostname)
    return TlsConfig(enabled, cafile, certfile, keyfile, protocol, ciphers, check_hostname, context)


def _build_context(
    protocol: SSLProtocol,
    cafile: Optional[str],
    certfile: Optional[str],
    keyfile: Optional[str],
    password: Optional[Password],
    ciphers: Optional[str],
    check_hostname: bool,
) -> ssl.SSLContext:
    """A client context verifying the member's certificate; raises ValueError naming the option at fault."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    version = _TLS_VERSIONS[protocol]
    try:
        context.minimum_version = version
        context.maximum_version = version
    except (ValueError, ssl.SSLError) as error:
        raise ValueError("ssl_protocol %s is not available here: %s" % (protocol.name, error)) from None
    context.check_hostname = check_hostname
    context.verify_mode = ssl.CERT_REQUIRED
    try:
        if cafile is not None:
            context.load_verify_locations(cafile=cafile)
        else:
            context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    except (OSError, ValueError) as error:
        raise ValueError("ssl_cafile %r cannot be used: %s" % (cafile, error)) from None
    if certfile is not None:
        try:
            context.load_cert_chain(certfile, keyfile, password)
        except (OSError, ValueError, TypeError) as error:
            raise ValueError(
                "ssl_certfile %r / ssl_keyfile %r / ssl_password cannot be used: %s" % (certfile, keyfile, error)
            ) from None
    if ciphers is not None:
        try:
            context.set_ciphers(ciphers)
        except ssl.SSLError as error:
            raise ValueError("ssl_ciphers %r is refused by OpenSSL: %s" % (ciphers, error)) from None
    return context
