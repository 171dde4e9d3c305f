"""The handlers' TLS streams against a local TLS echo peer (no member needed), both handlers.

Large transfers in both directions at once exercise would-block reads and writes and the
bytes OpenSSL holds decrypted (``pending()``), which the descriptor's readiness cannot show.
"""

import socket
import ssl
import threading
import time

import pytest

from hzgreen.exceptions import TlsHandshakeError
from hzgreen.handlers.gevent import SequentialGeventHandler
from hzgreen.testing.tls import TlsMaterial

PAYLOAD = bytes(range(256)) * (5 * 1024 * 1024 // 256)


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    return TlsMaterial(str(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def handler(hz_handler):
    """The plugin's handler of the test's kind (threading, then gevent), started; stopped by the plugin."""
    hz_handler.start()
    return hz_handler


def client_context(material):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(material.ca_file)
    return context


class EchoPeer:
    """A TLS server on a thread echoing whatever it reads, one connection at a time."""

    def __init__(self, context):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.address = self.listener.getsockname()
        self.context = context
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            raw, _ = self.listener.accept()
        except OSError:
            return
        try:
            with self.context.wrap_socket(raw, server_side=True) as tls:
                while True:
                    data = tls.recv(65536)
                    if not data:
                        return
                    tls.sendall(data)
        except OSError:
            return

    def close(self):
        self.listener.close()
        self.thread.join(10)


def read_exactly(handler, stream, size, deadline):
    """Read ``size`` bytes the way each handler's I/O loop does; returns them."""
    chunks, got = [], 0
    while got < size:
        assert time.monotonic() < deadline, "echo not read back in time (%d of %d bytes)" % (got, size)
        if handler.io_style == "select":
            readable, _, _ = handler.select([stream], [], [], 1.0)
            if not readable:
                continue
            try:
                data = stream.recv(256 * 1024)
            except BlockingIOError:
                continue
        else:
            data = stream.recv(256 * 1024)
        assert data, "peer closed early"
        chunks.append(data)
        got += len(data)
    return b"".join(chunks)


def test_large_payload_both_ways_at_once(handler, material):
    peer = EchoPeer(material.server_context(["127.0.0.1"]))
    try:
        stream = handler.create_connection(
            peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
        )
        writer = handler.spawn(stream.sendall, PAYLOAD)
        echoed = read_exactly(handler, stream, len(PAYLOAD), time.monotonic() + 60)
        writer.join(30)
        assert echoed == PAYLOAD
        assert stream.pending() == 0
        assert stream.version() == "TLSv1.3"
        stream.close()
    finally:
        peer.close()


def test_deferred_send_nowait_resends_the_same_bytes(material):
    handler = SequentialGeventHandler()
    handler.start()
    peer = EchoPeer(material.server_context(["127.0.0.1"]))
    try:
        stream = handler.create_connection(
            peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
        )
        sent = stream.send_nowait(PAYLOAD)  # may take all, or 0: then the same bytes go again
        assert sent in (0, len(PAYLOAD))
        writer = handler.spawn(stream.sendall, PAYLOAD if sent == 0 else b"")
        echoed = read_exactly(handler, stream, len(PAYLOAD), time.monotonic() + 60)
        writer.join(30)
        assert echoed == PAYLOAD
        stream.close()
    finally:
        peer.close()
        handler.stop()


def test_untrusted_certificate_raises_tls_handshake_error(handler, tmp_path, material):
    other = TlsMaterial(str(tmp_path / "other"))
    peer = EchoPeer(other.server_context(["127.0.0.1"]))
    try:
        with pytest.raises(TlsHandshakeError, match="certificate"):
            handler.create_connection(
                peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
            )
    finally:
        peer.close()


def test_silent_peer_handshake_times_out_fakepeer(handler, material):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        began = time.monotonic()
        with pytest.raises(TlsHandshakeError, match="connection_timeout"):
            handler.create_connection(
                listener.getsockname(), 0.5, ssl_context=client_context(material), server_hostname="127.0.0.1"
            )
        assert time.monotonic() - began < 5.0
    finally:
        listener.close()
