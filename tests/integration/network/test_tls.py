"""TLS to real 5.4.0 members through the harness's TLS fronts, under both handlers.

One private cluster of three members with a TLS front before each client endpoint; the
members advertise the fronts, so a smart client reaches every member through TLS. Extra
fronts to member 0 carry another certificate or require a client certificate.
"""

import socket
import ssl
import threading
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
def tls_cluster(request):
    yield from serve(Cluster(members=3, tls=True, keep_workdir=keep_workdir(request)))


def tls_client(factory, cluster, members=None, start=True, **options):
    """A client of ``cluster`` through its TLS fronts (``members`` defaults to front 0)."""
    settings = cluster.tls.client_options()
    settings.update(options)
    return factory(
        cluster=None,
        start=start,
        cluster_members=members or cluster.tls.addresses[:1],
        cluster_name=cluster.cluster_name,
        connection_timeout=CONNECT_TIMEOUT,
        **settings,
    )


def refused_start(factory, cluster, members, **options):
    """Start a client that must be refused; returns the TlsHandshakeError and the seconds it took."""
    client = tls_client(factory, cluster, members, start=False, **options)
    began = time.monotonic()
    with pytest.raises(TlsHandshakeError) as caught:
        client.start(timeout=60)
    return caught.value, time.monotonic() - began


def tls_versions(client):
    return sorted({connection.sock.version() for connection in client._connections.active_connections})


def test_smart_client_reaches_every_member_through_tls(tls_cluster, hz_client_factory, unique_name):
    client = tls_client(hz_client_factory, tls_cluster)
    m = client.get_map(unique_name)
    for i in range(200):  # keys on every member's partitions
        m.put(i, "v%d" % i)
    assert m.size() == 200
    assert m.get(123) == "v123"
    deadline = time.monotonic() + 60
    while len(client._connections.active_connections) < 3 and time.monotonic() < deadline:
        client._connections.connect_to_members()
        m.get(0)
    addresses = sorted("%s:%d" % c.address for c in client._connections.active_connections)
    assert addresses == sorted(tls_cluster.tls.addresses)
    assert tls_versions(client) == ["TLSv1.2"]  # the default ssl_protocol
    assert all(front.accepted >= 1 for front in tls_cluster.tls.fronts)


def test_tls13_when_asked(tls_cluster, hz_client_factory, unique_name):
    client = tls_client(hz_client_factory, tls_cluster, ssl_protocol=SSLProtocol.TLSv1_3, smart_routing=False)
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"
    assert tls_versions(client) == ["TLSv1.3"]


def test_large_values_both_ways(tls_cluster, hz_client_factory, hz_handler_name, unique_name):
    client = tls_client(hz_client_factory, tls_cluster, members=tls_cluster.tls.addresses)
    m = client.get_map(unique_name)
    big = bytes(range(256)) * (5 * 1024 * 1024 // 256)  # 5 MiB
    gaps = []
    if hz_handler_name == "gevent":  # the hub keeps serving other greenlets during the big transfers
        import gevent

        def tick():
            last = time.monotonic()
            while True:
                gevent.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        ticker = gevent.spawn(tick)
    for key in ("a", "b", "c"):
        m.put(key, big)
    futures = [m.get_async(key) for key in ("a", "b", "c")]
    assert [f.result(60) for f in futures] == [big, big, big]
    assert m.get("a") == big
    if hz_handler_name == "gevent":
        ticker.kill()
        assert len(gaps) > 3
        assert max(gaps) < 2.0


def test_wrong_ca_is_refused(tls_cluster, hz_client_factory, tmp_path):
    import trustme

    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    error, took = refused_start(hz_client_factory, tls_cluster, tls_cluster.tls.addresses[:1], ssl_cafile=str(other_ca))
    assert "certificate" in str(error)
    assert took < CONNECT_TIMEOUT + SLACK


def test_hostname_mismatch_is_refused_when_checked(tls_cluster, hz_client_factory, unique_name):
    front = tls_cluster.tls.add_front(0, server_names=["member.invalid"])
    error, took = refused_start(hz_client_factory, tls_cluster, [front.address], ssl_check_hostname=True)
    assert "127.0.0.1" in str(error) or "hostname" in str(error).lower()
    assert took < CONNECT_TIMEOUT + SLACK
    # Without the check the same certificate is trusted (it is the test CA's).
    client = tls_client(hz_client_factory, tls_cluster, [front.address], smart_routing=False)
    client.get_map(unique_name).put("k", 1)
    assert client.get_map(unique_name).get("k") == 1


def test_matching_hostname_passes_the_check(tls_cluster, hz_client_factory, unique_name):
    client = tls_client(hz_client_factory, tls_cluster, ssl_check_hostname=True)
    client.get_map(unique_name).put("k", 2)
    assert client.get_map(unique_name).get("k") == 2


def test_client_certificate_required(tls_cluster, hz_client_factory, unique_name):
    front = tls_cluster.tls.add_front(0, require_client_cert=True)
    error, took = refused_start(hz_client_factory, tls_cluster, [front.address])
    assert "TLS handshake" in str(error)
    assert took < CONNECT_TIMEOUT + SLACK
    assert front.peer_certs == []
    # Mutual authentication: with the client certificate the same front lets the client in.
    client = tls_client(
        hz_client_factory, tls_cluster, [front.address], smart_routing=False, **tls_cluster.tls.client_cert_options()
    )
    client.get_map(unique_name).put("k", 3)
    assert client.get_map(unique_name).get("k") == 3
    subjects = [dict(pair[0] for pair in cert["subject"]) for cert in front.peer_certs]
    assert [subject["commonName"] for subject in subjects] == ["hzgreen-client"]


def test_plain_text_member_gives_a_clear_error(tls_cluster, hz_client_factory):
    error, took = refused_start(hz_client_factory, tls_cluster, [tls_cluster.tls.plain_address(0)])
    assert "TLS handshake with %s failed" % tls_cluster.tls.plain_address(0) in str(error)
    assert took < CONNECT_TIMEOUT + SLACK


def test_silent_peer_times_out_within_connection_timeout_fakepeer(tls_cluster, hz_client_factory):
    """A peer that accepts TCP and never answers the ClientHello (what no member does)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        address = "127.0.0.1:%d" % listener.getsockname()[1]
        error, took = refused_start(hz_client_factory, tls_cluster, [address])
        assert "connection_timeout" in str(error)
        assert CONNECT_TIMEOUT - 0.5 <= took < CONNECT_TIMEOUT + SLACK
        assert accepted
    finally:
        stop.set()
        thread.join(5)
        for sock in accepted:
            sock.close()
        listener.close()


def test_the_context_verifies_members(tls_cluster, hz_client_factory):
    client = tls_client(hz_client_factory, tls_cluster, start=False)
    context = client.config.tls.context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.minimum_version == context.maximum_version == ssl.TLSVersion.TLSv1_2
