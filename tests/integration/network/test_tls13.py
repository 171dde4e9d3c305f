"""TLS 1.3 with a required client certificate, against a real 5.4.0 member behind the harness's TLS front.

Under TLS 1.3 the server checks the client's certificate after the client has finished
its side of the handshake, so the refusal (an alert) arrives with the first read of the
connection: the client must still report it as a TlsHandshakeError naming the likely
cause, at once (not retried until cluster_connect_timeout).
"""

import time

import pytest

from hzgreen.exceptions import TlsHandshakeError
from hzgreen.network.tls import SSLProtocol
from hzgreen.testing import Cluster
from tests.integration.private_cluster import keep_workdir, serve

pytestmark = pytest.mark.slow

CONNECT_TIMEOUT = 3.0
#: Time allowed past connection_timeout for a refused start() to come back (2 shared cores).
SLACK = 4.0


@pytest.fixture(scope="module")
def tls13_cluster(request):
    yield from serve(Cluster(members=1, tls=True, keep_workdir=keep_workdir(request)))


@pytest.fixture(scope="module")
def cert_front(tls13_cluster):
    """A TLS front to the member that requires a client certificate of the test CA."""
    return tls13_cluster.tls.add_front(0, require_client_cert=True)


def tls13_client(factory, cluster, address, start=True, **options):
    settings = cluster.tls.client_options(ssl_protocol=SSLProtocol.TLSv1_3)
    settings.update(options)
    return factory(
        cluster=None,
        start=start,
        cluster_members=[address],
        cluster_name=cluster.cluster_name,
        connection_timeout=CONNECT_TIMEOUT,
        cluster_connect_timeout=60,
        smart_routing=False,
        **settings,
    )


def test_missing_client_certificate_is_a_clear_handshake_error(tls13_cluster, cert_front, hz_client_factory):
    client = tls13_client(hz_client_factory, tls13_cluster, cert_front.address, start=False)
    began = time.monotonic()
    with pytest.raises(TlsHandshakeError) as caught:
        client.start(timeout=90)
    took = time.monotonic() - began
    message = str(caught.value)
    assert "TLS handshake with %s failed" % cert_front.address in message
    assert "client certificate" in message
    assert took < CONNECT_TIMEOUT + SLACK  # not retried until cluster_connect_timeout (60 s)
    assert cert_front.peer_certs == []


def test_with_the_client_certificate_tls13_passes(tls13_cluster, cert_front, hz_client_factory, unique_name):
    client = tls13_client(
        hz_client_factory, tls13_cluster, cert_front.address, **tls13_cluster.tls.client_cert_options()
    )
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"
    assert [connection.sock.version() for connection in client._connections.active_connections] == ["TLSv1.3"]
    subjects = [dict(pair[0] for pair in cert["subject"]) for cert in cert_front.peer_certs]
    assert "hzgreen-client" in [subject["commonName"] for subject in subjects]
