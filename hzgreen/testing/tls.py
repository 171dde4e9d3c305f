"""TLS in front of real members: certificates and TLS-terminating proxies for tests.

The Community member speaks no TLS, so a test cluster built with ``Cluster(tls=True)``
(or ``tls=TlsSettings(...)``) puts a :class:`TlsFront` before each member's client
endpoint: a small asyncio proxy, on a thread of its own, that ends TLS and pipes the
bytes to the member. The members advertise the fronts' addresses to clients (the public
address of their client endpoint), so a smart client reaches every member through TLS.

Certificates come from ``trustme``: one test CA, a member certificate for
``TlsSettings.server_names`` and a client certificate, written as PEM files. A test
may open more fronts to a member (:meth:`ClusterTls.add_front`) with another
certificate, another CA or a client certificate required.

>>> with Cluster(members=1, tls=True) as cluster:              # doctest: +SKIP
...     client = HzClient(cluster_members=cluster.tls.addresses,
...                       cluster_name=cluster.cluster_name, **cluster.tls.client_options())
"""

from __future__ import annotations

import asyncio
import os
import ssl
import threading
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = ["ClusterTls", "TlsFront", "TlsMaterial", "TlsSettings"]


@dataclass(frozen=True)
class TlsSettings:
    """How the TLS fronts of a cluster behave.

    ``server_names``: the names and IP addresses the member certificate is issued for;
    ``require_client_cert``: the fronts refuse a client without a certificate of the test
    CA (mutual authentication); ``key_password``: when set, the client key file is
    encrypted with it.
    """

    server_names: Sequence[str] = ("localhost", "127.0.0.1")
    require_client_cert: bool = False
    key_password: Optional[str] = None


class TlsMaterial:
    """A test CA and the certificates it issued, as PEM files in ``folder``.

    Attributes: ``ca_file`` (the CA certificate), ``client_cert_file`` and
    ``client_key_file`` (the client's certificate and key, the key encrypted when
    ``key_password`` is given). Raises ImportError when ``trustme`` is not installed.
    """

    def __init__(self, folder: str, key_password: Optional[str] = None) -> None:
        import trustme

        os.makedirs(folder, exist_ok=True)
        self.folder = folder
        self.ca = trustme.CA()
        self.ca_file = os.path.join(folder, "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        client = self.ca.issue_cert("hzgreen-client@example.org", common_name="hzgreen-client")
        self.client_cert_file = os.path.join(folder, "client-cert.pem")
        self.client_key_file = os.path.join(folder, "client-key.pem")
        client.cert_chain_pems[0].write_to_path(self.client_cert_file)
        key_pem = client.private_key_pem.bytes()
        if key_password is not None:
            key_pem = _encrypt_key(key_pem, key_password)
        with open(self.client_key_file, "wb") as out:
            out.write(key_pem)
        self._client = client

    def server_context(self, server_names: Sequence[str], require_client_cert: bool = False) -> ssl.SSLContext:
        """A server context with a member certificate for ``server_names``; returns it.

        With ``require_client_cert`` the context demands a client certificate issued by this CA.
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert(*server_names).configure_cert(context)
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            self.ca.configure_trust(context)
        return context


def _encrypt_key(key_pem: bytes, password: str) -> bytes:
    """``key_pem`` re-encoded as PKCS#8 encrypted with ``password``; returns the PEM bytes."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(key_pem, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )


class TlsFront:
    """A TLS-terminating proxy on ``host`` (a free port) forwarding each connection to ``target``.

    It runs an asyncio loop on a daemon thread of its own. ``accepted`` counts the
    connections whose handshake succeeded, ``peer_certs`` keeps the client certificates
    they presented. :meth:`close` stops it and drops every open connection.
    """

    def __init__(self, target: Tuple[str, int], context: ssl.SSLContext, host: str = "127.0.0.1") -> None:
        self.target = target
        self.host = host
        self.accepted = 0
        self.peer_certs: List[Dict[str, Any]] = []
        self._context = context
        self._loop = asyncio.new_event_loop()
        self._writers: List[asyncio.StreamWriter] = []
        self._server: Optional[asyncio.base_events.Server] = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="hzgreen-tls-front", daemon=True)
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port: int = future.result(30)

    @property
    def address(self) -> str:
        """``"host:port"`` of the TLS side."""
        return "%s:%d" % (self.host, self.port)

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(
            self._serve, self.host, 0, ssl=self._context, ssl_handshake_timeout=30
        )
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        cert = client_writer.get_extra_info("peercert")
        if cert:
            self.peer_certs.append(cert)
        self._writers.append(client_writer)
        try:
            member_reader, member_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        self._writers.append(member_writer)
        await asyncio.gather(
            self._pipe(client_reader, member_writer), self._pipe(member_reader, client_writer), return_exceptions=True
        )

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(256 * 1024)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.close()

    def close(self) -> None:
        """Stop listening, close every connection and end the thread; returns None."""
        if not self._loop.is_running():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()


class ClusterTls:
    """The TLS side of a test cluster: its certificates and one front per member.

    ``client_ports`` are the members' plain client endpoints the fronts forward to.
    """

    def __init__(self, settings: TlsSettings, folder: str, host: str, client_ports: Sequence[int]) -> None:
        self.settings = settings
        self.host = host
        self.material = TlsMaterial(folder, settings.key_password)
        self.client_ports = list(client_ports)
        context = self.material.server_context(settings.server_names, settings.require_client_cert)
        self.fronts: List[TlsFront] = []
        self.extra_fronts: List[TlsFront] = []
        try:
            for port in self.client_ports:
                self.fronts.append(TlsFront((host, port), context, host))
        except BaseException:
            self.close()
            raise

    @property
    def addresses(self) -> List[str]:
        """The TLS addresses clients use, one per member ("host:port")."""
        return [front.address for front in self.fronts]

    def plain_address(self, i: int) -> str:
        """Member ``i``'s plain (non-TLS) client endpoint, "host:port"."""
        return "%s:%d" % (self.host, self.client_ports[i])

    def add_front(
        self, i: int, server_names: Optional[Sequence[str]] = None, require_client_cert: bool = False
    ) -> TlsFront:
        """Another TLS front to member ``i`` with its own certificate (same CA); returns it (closed with the cluster)."""
        names = self.settings.server_names if server_names is None else server_names
        context = self.material.server_context(names, require_client_cert)
        front = TlsFront((self.host, self.client_ports[i]), context, self.host)
        self.extra_fronts.append(front)
        return front

    def client_options(self, **overrides: Any) -> Dict[str, Any]:
        """``HzClient`` TLS options trusting this CA (no client certificate unless asked); returns them."""
        options: Dict[str, Any] = {"ssl_enabled": True, "ssl_cafile": self.material.ca_file}
        options.update(overrides)
        return options

    def client_cert_options(self) -> Dict[str, Any]:
        """The ``ssl_certfile`` / ``ssl_keyfile`` (and ``ssl_password``) options of the client certificate."""
        options: Dict[str, Any] = {
            "ssl_certfile": self.material.client_cert_file,
            "ssl_keyfile": self.material.client_key_file,
        }
        if self.settings.key_password is not None:
            options["ssl_password"] = self.settings.key_password
        return options

    def close(self) -> None:
        """Close every front; returns None."""
        for front in self.fronts + self.extra_fronts:
            front.close()
