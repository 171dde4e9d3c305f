"""What the client sends to authenticate (fake peer: the Community member has no security realm).

A tiny fake member accepts one connection, reads the protocol preamble and the first
client message, decodes it with the generated codec, and answers "credentials failed"
so the client stops. The tests check the decoded fields: username and password in a
``Client.authentication`` request, the token bytes in ``Client.authenticationCustom``.
"""

import queue
import socket
import threading
import uuid

import pytest

from hzgreen import HzClient
from hzgreen.exceptions import AuthenticationError
from hzgreen.network.credentials import BasicTokenProvider, TokenProvider
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.testing.plugin import make_handler

pytestmark = [pytest.mark.fakepeer]

CREDENTIALS_FAILED = 1
WAIT = 30


class AuthCaptureFakePeer:
    """Accepts connections on loopback; answers each first message with CREDENTIALS_FAILED.

    ``messages`` receives every first client message (a ClientMessage), or the exception
    that stopped reading it.
    """

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.messages = queue.Queue()
        self.preambles = []
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while not self._closed:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        try:
            sock.settimeout(WAIT)
            data = b""
            while len(data) < 3:
                chunk = sock.recv(3 - len(data))
                if not chunk:
                    return
                data += chunk
            self.preambles.append(data)
            reader = ClientMessageReader()
            messages = []
            while not messages:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                messages = reader.feed(chunk)
            request = messages[0]
            self.messages.put(request)
            if request.get_message_type() == client_codec.AUTHENTICATION_CUSTOM_REQUEST_TYPE:
                encode = client_codec.encode_authentication_custom_response
            else:
                encode = client_codec.encode_authentication_response
            response = encode(CREDENTIALS_FAILED, None, None, 1, "5.4.0", 271, uuid.uuid4(), False)
            response.set_correlation_id(request.get_correlation_id())
            sock.sendall(response.to_bytes())
            sock.recv(1)  # the client closes the refused connection
        except Exception as error:  # a failure here is reported to the test through the queue
            self.messages.put(error)
        finally:
            sock.close()

    def first_message(self):
        message = self.messages.get(timeout=WAIT)
        if isinstance(message, Exception):
            raise message
        return message

    def close(self):
        self._closed = True
        self._server.close()


@pytest.fixture
def fake_peer():
    peer = AuthCaptureFakePeer()
    yield peer
    peer.close()


def start_against(peer, hz_handler_name, **options):
    """Start a client against the fake peer; returns the AuthenticationError start() raised."""
    client = HzClient(
        cluster_members=["127.0.0.1:%d" % peer.port],
        cluster_name="secure",
        handler=make_handler(hz_handler_name),
        **options,
    )
    try:
        with pytest.raises(AuthenticationError) as raised:
            client.start(timeout=WAIT)
    finally:
        client.close()
    return raised.value


def test_credentials_fake_peer_username_and_password_in_authentication(fake_peer, hz_handler_name):
    error = start_against(fake_peer, hz_handler_name, creds_username="alice", creds_password="s3cret")

    request = fake_peer.first_message()
    assert fake_peer.preambles[0] == b"CP2"
    assert request.get_message_type() == client_codec.AUTHENTICATION_REQUEST_TYPE
    fields = client_codec.decode_authentication_request(request)
    assert fields["cluster_name"] == "secure"
    assert fields["username"] == "alice"
    assert fields["password"] == "s3cret"
    assert "credentials" in str(error).lower()


def test_credentials_fake_peer_no_credentials_sends_null_fields(fake_peer, hz_handler_name):
    start_against(fake_peer, hz_handler_name)

    fields = client_codec.decode_authentication_request(fake_peer.first_message())
    assert fields["username"] is None
    assert fields["password"] is None


def test_credentials_fake_peer_token_in_authentication_custom(fake_peer, hz_handler_name):
    start_against(
        fake_peer,
        hz_handler_name,
        token_provider=BasicTokenProvider("s3crEt-tök"),
        creds_username="ignored",
        creds_password="ignored",
    )

    request = fake_peer.first_message()
    assert request.get_message_type() == client_codec.AUTHENTICATION_CUSTOM_REQUEST_TYPE
    fields = client_codec.decode_authentication_custom_request(request)
    assert fields["cluster_name"] == "secure"
    assert fields["credentials"] == "s3crEt-tök".encode("utf-8")
    assert fields["client_type"] == "PYH"


def test_credentials_fake_peer_token_provider_gets_the_member_address(fake_peer, hz_handler_name):
    asked = []

    class PerMemberTokens(TokenProvider):
        def token(self, address=None):
            asked.append((address.host, address.port))
            return b"token-for-%d" % address.port

    start_against(fake_peer, hz_handler_name, token_provider=PerMemberTokens())

    fields = client_codec.decode_authentication_custom_request(fake_peer.first_message())
    assert fields["credentials"] == b"token-for-%d" % fake_peer.port
    assert asked[0] == ("127.0.0.1", fake_peer.port)


@pytest.mark.parametrize("returned", ["text, not bytes", RuntimeError("vault unreachable")])
def test_credentials_fake_peer_broken_token_provider_ends_start_clearly(fake_peer, hz_handler_name, returned):
    class Broken(TokenProvider):
        def token(self, address=None):
            if isinstance(returned, Exception):
                raise returned
            return returned

    error = start_against(fake_peer, hz_handler_name, token_provider=Broken())
    assert "token_provider" in str(error)
    assert fake_peer.messages.empty()  # nothing was sent after the preamble
