"""A TLS 1.3 server refusing the client after the handshake: the streams note why, both handlers.

The peers here are local Python TLS servers (fake peers): one whose handshake fails on a
missing client certificate (OpenSSL then sends the ``certificate required`` alert, which
the real members' Java TLS does too), and one that just closes the connection after the
handshake (what the harness's TLS front does).
"""

import socket
import ssl
import threading
import time
from types import SimpleNamespace

import pytest

from hzgreen.exceptions import TlsHandshakeError
from hzgreen.handlers.tls import early_refusal
from hzgreen.runtime.handshake import authentication_failed
from hzgreen.testing.tls import TlsMaterial


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    return TlsMaterial(str(tmp_path_factory.mktemp("tls13")))


@pytest.fixture
def handler(hz_handler):
    """The plugin's handler of the test's kind (threading, then gevent), started; stopped by the plugin."""
    hz_handler.start()
    return hz_handler


def client_context(material, version=ssl.TLSVersion.TLSv1_3):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(material.ca_file)
    context.minimum_version = context.maximum_version = version
    return context


class OneShotPeer:
    """Accepts one TLS connection on a thread, does the handshake, then closes it at once
    (no close_notify); a handshake failure (missing client certificate) closes it too."""

    def __init__(self, context):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.address = self.listener.getsockname()
        self.context = context
        self.server_error = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            raw, _ = self.listener.accept()
        except OSError:
            return
        try:
            tls = self.context.wrap_socket(raw, server_side=True)
            tls.settimeout(10)
            tls.recv(1)  # TLS 1.3: the client's certificate arrives with its first flight after the handshake
        except (OSError, ssl.SSLError) as error:
            self.server_error = error
        finally:
            raw.close()
            self.done.set()

    def close(self):
        self.listener.close()
        self.thread.join(10)


def read_until_end(handler, stream, deadline):
    """Read until the peer ends the connection; returns the error raised (None for a plain end)."""
    while time.monotonic() < deadline:
        if handler.io_style == "select":
            readable, _, _ = handler.select([stream], [], [], 0.5)
            if not readable:
                continue
        try:
            data = stream.recv(4096)
        except BlockingIOError:
            continue
        except OSError as error:
            return error
        assert not data, "the peer sent application data"
        return None
    raise AssertionError("the peer never ended the connection")


def test_certificate_required_alert_is_noted_fakepeer(handler, material):
    peer = OneShotPeer(material.server_context(["127.0.0.1"], require_client_cert=True))
    try:
        stream = handler.create_connection(
            peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
        )
        assert stream.version() == "TLSv1.3"  # the client's side of the handshake went through
        assert stream.refusal is None
        # nothing written: unread bytes would make the server's close a reset that can hide the alert
        error = read_until_end(handler, stream, time.monotonic() + 30)
        assert isinstance(error, ssl.SSLError)
        assert "client certificate" in stream.refusal
        assert "CERTIFICATE_REQUIRED" in stream.refusal
        stream.close()
    finally:
        peer.close()
    assert peer.server_error is not None  # the server did refuse


def test_close_right_after_a_tls13_handshake_is_noted_fakepeer(handler, material):
    peer = OneShotPeer(material.server_context(["127.0.0.1"]))
    try:
        stream = handler.create_connection(
            peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
        )
        stream.sendall(b"CP2")
        assert peer.done.wait(30)
        read_until_end(handler, stream, time.monotonic() + 30)
        assert "closed the TLS 1.3 connection right after the handshake" in stream.refusal
        stream.close()
    finally:
        peer.close()


def test_close_after_a_tls12_handshake_is_no_refusal_fakepeer(handler, material):
    peer = OneShotPeer(material.server_context(["127.0.0.1"]))
    try:
        stream = handler.create_connection(
            peer.address,
            5.0,
            ssl_context=client_context(material, ssl.TLSVersion.TLSv1_2),
            server_hostname="127.0.0.1",
        )
        stream.sendall(b"CP2")
        assert peer.done.wait(30)
        read_until_end(handler, stream, time.monotonic() + 30)
        assert stream.version() is None or stream.version() == "TLSv1.2"
        assert stream.refusal is None  # with TLS 1.2 a refusal fails the handshake itself
        stream.close()
    finally:
        peer.close()


def test_our_own_shutdown_is_no_refusal_fakepeer(handler, material):
    peer = OneShotPeer(material.server_context(["127.0.0.1"]))
    try:
        stream = handler.create_connection(
            peer.address, 5.0, ssl_context=client_context(material), server_hostname="127.0.0.1"
        )
        stream.shutdown(socket.SHUT_RDWR)
        read_until_end(handler, stream, time.monotonic() + 30)
        assert stream.refusal is None
        stream.close()
    finally:
        peer.close()


def test_early_refusal_tells_the_cases_apart():
    alert = ssl.SSLError(1, "[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required")
    alert.reason = "TLSV13_ALERT_CERTIFICATE_REQUIRED"
    assert "requires a client certificate" in early_refusal("TLSv1.2", alert)
    unknown_ca = ssl.SSLError(1, "alert unknown ca")
    unknown_ca.reason = "TLSV1_ALERT_UNKNOWN_CA"
    assert "TLSV1_ALERT_UNKNOWN_CA" in early_refusal("TLSv1.3", unknown_ca)
    assert "TLS 1.3" in early_refusal("TLSv1.3", None)
    assert "TLS 1.3" in early_refusal("TLSv1.3", ConnectionResetError())
    assert "TLS 1.3" in early_refusal("TLSv1.3", ssl.SSLEOFError())
    assert early_refusal("TLSv1.2", None) is None
    assert early_refusal("TLSv1.3", OSError(9, "bad file descriptor")) is None  # closed by us
    assert early_refusal("TLSv1.3", ssl.SSLWantReadError()) is None


class _Connection:
    def __init__(self, refusal):
        self.sock = SimpleNamespace(refusal=refusal)
        self.address = ("127.0.0.1", 5701)
        self.closed_with = None

    def close(self, reason, error=None):
        self.closed_with = (reason, error)


def _config(certfile):
    return SimpleNamespace(tls=SimpleNamespace(certfile=certfile))


def test_authentication_failed_turns_a_noted_refusal_into_a_tls_handshake_error():
    lost = ConnectionError("connection closed by the member")
    connection = _Connection("the member requires a client certificate (TLS alert X received)")
    error = authentication_failed(connection, _config(None), lost)
    assert isinstance(error, TlsHandshakeError)
    assert str(error).startswith("TLS handshake with 127.0.0.1:5701 failed: the member requires a client certificate")
    assert "no client certificate is configured (ssl_certfile, ssl_keyfile)" in str(error)
    assert error.__cause__ is lost
    assert connection.closed_with[1] is error
    with_cert = authentication_failed(_Connection("refused"), _config("/c.pem"), lost)
    assert "ssl_certfile" in str(with_cert) and "trusts" in str(with_cert)


def test_authentication_failed_keeps_other_errors():
    lost = ConnectionError("connection closed by the member")
    connection = _Connection(None)
    assert authentication_failed(connection, _config(None), lost) is lost
    assert connection.closed_with == ("authentication failed: connection closed by the member", lost)
    stop = KeyboardInterrupt()
    assert authentication_failed(_Connection("refused"), _config(None), stop) is stop  # never converted
