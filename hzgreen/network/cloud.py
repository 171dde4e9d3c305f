"""Hazelcast Cloud (Viridian) discovery: ask the discovery service where the members are.

``GET https://<base>/cluster/discovery?token=<token>`` answers a JSON list of
``{"private-address": "10.0.0.1:5701", "public-address": "203.0.113.7:30001"}``. The
members announce their private addresses; the client dials the public ones.

The request goes over a socket from the handler (cooperative under gevent, so the hub
never blocks) with TLS done in memory by :class:`ssl.SSLObject`; every read waits at most
until the request's deadline. The answer is bounded in size; anything malformed raises
:class:`CloudDiscoveryError`, never hangs.
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.parse
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from hzgreen.exceptions import HzError, HzTimeoutError
from hzgreen.network.address_provider import Address
from hzgreen.runtime.address import parse_address

if TYPE_CHECKING:
    from hzgreen.handler_types import Handler

__all__ = [
    "DEFAULT_CLOUD_URL",
    "MAX_RESPONSE_BYTES",
    "CloudAddressProvider",
    "CloudDiscovery",
    "CloudDiscoveryError",
    "parse_discovery_response",
]

log = logging.getLogger("hzgreen.network.cloud")

#: The discovery service's base URL unless ``cloud_discovery_url`` says otherwise.
DEFAULT_CLOUD_URL = "https://api.viridian.hazelcast.com"
DISCOVERY_PATH = "/cluster/discovery"
#: A discovery answer larger than this is refused (a member list is a few KiB).
MAX_RESPONSE_BYTES = 1 << 20


class CloudDiscoveryError(HzError):
    """The discovery service could not be reached, refused the token, or answered something malformed."""


def _split_url(url: str) -> Tuple[str, int, str]:
    """``(host, port, path prefix)`` of an https base URL; raises ValueError naming ``cloud_discovery_url``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("cloud_discovery_url must be an https:// URL, got %r" % (url,))
    if parts.query or parts.fragment:
        raise ValueError("cloud_discovery_url must not have a query or fragment, got %r" % (url,))
    try:
        port = parts.port or 443
    except ValueError:
        raise ValueError("cloud_discovery_url has a bad port: %r" % (url,)) from None
    return parts.hostname, port, parts.path.rstrip("/")


def check_url(url: object) -> str:
    """Returns ``url`` if it is a usable discovery base URL; raises TypeError/ValueError naming ``cloud_discovery_url``."""
    if not isinstance(url, str):
        raise TypeError("cloud_discovery_url must be a str, got %r" % (url,))
    _split_url(url)
    return url


def _one_address(text: object, what: str) -> Address:
    if not isinstance(text, str):
        raise CloudDiscoveryError("discovery answer: %s must be a string, got %r" % (what, text))
    try:
        addresses = parse_address(text, what)
    except ValueError as error:
        raise CloudDiscoveryError("discovery answer: %s" % error) from None
    return addresses[0]


def parse_discovery_response(body: bytes) -> Dict[Address, Address]:
    """The private-to-public address map of a discovery answer's JSON body.

    A private address without a port takes the public address's port. Returns a new dict;
    raises CloudDiscoveryError for anything that is not a list of objects with both
    addresses.
    """
    try:
        entries = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CloudDiscoveryError("discovery answer is not JSON: %s" % error) from None
    if not isinstance(entries, list):
        raise CloudDiscoveryError("discovery answer must be a JSON list, got %s" % type(entries).__name__)
    mapping: Dict[Address, Address] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise CloudDiscoveryError("discovery answer entries must be objects, got %r" % (entry,))
        public = _one_address(entry.get("public-address"), "public-address")
        private_text = entry.get("private-address")
        if isinstance(private_text, str) and ":" not in private_text.strip("[]"):
            private_text = "%s:%d" % (private_text, public[1])
        mapping[_one_address(private_text, "private-address")] = public
    return mapping


class CloudDiscovery:
    """Asks the discovery service for the private-to-public address map of a cluster.

    ``cafile`` (None: the system's trust store) verifies the service's certificate;
    ``timeout`` bounds one whole request (connect, TLS, answer). Raises ValueError naming
    ``cloud_discovery_url`` or ``cloud_discovery_cafile`` when either is unusable.
    """

    def __init__(self, handler: "Handler", token: str, base_url: str, cafile: Optional[str], timeout: float) -> None:
        self._handler = handler
        self._host, self._port, prefix = _split_url(base_url)
        self._target = "%s%s?token=%s" % (prefix, DISCOVERY_PATH, urllib.parse.quote(token, safe=""))
        try:
            self._context = ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as error:
            raise ValueError("cloud_discovery_cafile %r is not a usable CA file: %s" % (cafile, error)) from None
        self._timeout = timeout

    def __repr__(self) -> str:
        return "CloudDiscovery(https://%s:%d)" % (self._host, self._port)

    def discover(self) -> Dict[Address, Address]:
        """Ask the service; returns the private-to-public address map.

        Raises CloudDiscoveryError (unreachable, TLS failure, an HTTP error status, a
        malformed or oversized answer) or HzTimeoutError (no whole answer within the timeout).
        """
        handler = self._handler
        deadline = handler.monotonic() + self._timeout
        try:
            sock = handler.create_connection((self._host, self._port), self._timeout)
        except OSError as error:
            raise CloudDiscoveryError("cannot reach %s:%d: %s" % (self._host, self._port, error)) from error
        try:
            raw = _Exchange(handler, sock, self._context, self._host, deadline).run(self._request())
        except HzTimeoutError:
            raise  # a TimeoutError, hence an OSError: not a failure to reach the service
        except ssl.SSLError as error:
            raise CloudDiscoveryError("TLS with %s:%d failed: %s" % (self._host, self._port, error)) from error
        except OSError as error:
            raise CloudDiscoveryError("discovery request to %s failed: %s" % (self._host, error)) from error
        finally:
            sock.close()
        return parse_discovery_response(_http_body(raw, self._host))

    def _request(self) -> bytes:
        host = self._host if self._port == 443 else "%s:%d" % (self._host, self._port)
        return (
            "GET %s HTTP/1.0\r\nHost: %s\r\nAccept: application/json\r\nUser-Agent: hzgreen\r\n"
            "Connection: close\r\n\r\n" % (self._target, host)
        ).encode("ascii")


def _http_body(raw: bytes, host: str) -> bytes:
    """The body of a whole HTTP/1.x answer with status 200; raises CloudDiscoveryError otherwise."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise CloudDiscoveryError("malformed HTTP answer from %s (no end of headers)" % host)
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status_line.split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
        raise CloudDiscoveryError("malformed HTTP status line from %s: %r" % (host, status_line[:100]))
    status = int(fields[1])
    if status != 200:
        detail = body[:300].decode("utf-8", "replace")
        try:
            message = json.loads(body).get("message")
            if isinstance(message, str):
                detail = message
        except (ValueError, AttributeError):
            pass
        raise CloudDiscoveryError("discovery service %s answered %d: %s" % (host, status, detail))
    return body


class _Exchange:
    """One request and its whole answer over TLS kept in memory, reading from the handler's socket."""

    def __init__(self, handler: "Handler", sock: Any, context: ssl.SSLContext, host: str, deadline: float) -> None:
        self._handler = handler
        self._sock = sock
        self._deadline = deadline
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_hostname=host)

    def run(self, request: bytes) -> bytes:
        """Handshake, send ``request``, read until the server closes; returns the raw answer."""
        self._call(self._tls.do_handshake)
        self._call(lambda: self._tls.write(request))
        chunks: List[bytes] = []
        size = 0
        while True:
            try:
                data = self._call(lambda: self._tls.read(65536))
            except ssl.SSLZeroReturnError:
                break
            except ssl.SSLEOFError:
                break  # closed without close_notify: HTTP/1.0 ends at the close all the same
            if not data:
                break
            size += len(data)
            if size > MAX_RESPONSE_BYTES:
                raise CloudDiscoveryError("discovery answer larger than %d bytes" % MAX_RESPONSE_BYTES)
            chunks.append(data)
        return b"".join(chunks)

    def _call(self, operation: Any) -> Any:
        """Run a TLS ``operation``, feeding it socket data until it completes; returns its result."""
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                self._flush()
                self._receive()
                continue
            self._flush()
            return result

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self._sock.sendall(data)

    def _receive(self) -> None:
        remaining = self._deadline - self._handler.monotonic()
        if remaining <= 0:
            raise HzTimeoutError("no whole answer from the discovery service within the timeout")
        readable, _, _ = self._handler.select([self._sock], [], [], remaining)
        if not readable:
            raise HzTimeoutError("no whole answer from the discovery service within %.1f s" % remaining)
        data = self._sock.recv(65536)
        if data:
            self._incoming.write(data)
        else:
            self._incoming.write_eof()


class CloudAddressProvider:
    """The public addresses from the discovery service; member addresses translated private to public.

    The map is fetched again by every :meth:`load` (each connect round) and by
    :meth:`translate` on an address it does not know.
    """

    def __init__(self, discovery: CloudDiscovery) -> None:
        self._discovery = discovery
        self._map: Dict[Address, Address] = {}

    @property
    def mapping(self) -> Dict[Address, Address]:
        """The last private-to-public map fetched (a copy)."""
        return dict(self._map)

    def refresh(self) -> bool:
        """Fetch the map again; returns True on success (a failure is logged and keeps the old map)."""
        try:
            self._map = self._discovery.discover()
        except (CloudDiscoveryError, HzTimeoutError) as error:
            log.warning("cloud discovery failed: %s", error)
            return False
        return True

    def load(self) -> List[Address]:
        """Returns the public addresses the service names now (empty if it cannot be asked)."""
        if not self.refresh():
            return []
        return list(dict.fromkeys(self._map.values()))

    def translate(self, address: Address) -> Optional[Address]:
        """The public address of the member at private ``address`` (a public address stays as it is).

        Returns None when the service does not know the address even after asking again.
        """
        public = self._map.get(address)
        if public is not None:
            return public
        if address in self._map.values():
            return address
        if self.refresh():
            public = self._map.get(address)
            if public is not None:
                return public
        log.debug("cloud discovery does not know member address %s:%d", address[0], address[1])
        return None
