"""TLS to one real 5.4.0 member that requires a client certificate (mutual authentication), both handlers."""

import pytest

from hzgreen.exceptions import TlsHandshakeError
from hzgreen.testing import Cluster
from hzgreen.testing.tls import TlsSettings
from tests.integration.private_cluster import keep_workdir, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mtls_cluster(request):
    settings = TlsSettings(require_client_cert=True, key_password="s3cret")
    yield from serve(Cluster(members=1, tls=settings, keep_workdir=keep_workdir(request)))


def make(factory, cluster, start=True, **options):
    return factory(
        cluster=None,
        start=start,
        cluster_members=cluster.tls.addresses,
        cluster_name=cluster.cluster_name,
        connection_timeout=3.0,
        **cluster.tls.client_options(**options),
    )


def test_one_member_with_client_certificate_and_key_password(mtls_cluster, hz_client_factory, unique_name):
    client = make(hz_client_factory, mtls_cluster, **mtls_cluster.tls.client_cert_options())
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"
    assert [c.sock.version() for c in client._connections.active_connections] == ["TLSv1.2"]
    assert mtls_cluster.tls.fronts[0].peer_certs


def test_one_member_refuses_a_client_without_certificate(mtls_cluster, hz_client_factory):
    client = make(hz_client_factory, mtls_cluster, start=False)
    with pytest.raises(TlsHandshakeError):
        client.start(timeout=30)
