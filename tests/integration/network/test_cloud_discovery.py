"""Hazelcast Cloud discovery in front of three real members: the client finds them through a local HTTPS
discovery endpoint and reaches them only at the "public" addresses it maps their announced addresses to
(TCP relays), under both handlers."""

import pytest

from hzgreen.exceptions import HzTimeoutError
from hzgreen.testing import Cluster
from hzgreen.testing.waiting import wait_until
from tests.integration.network.discovery_front import DiscoveryFront
from tests.integration.private_cluster import keep_workdir, serve
from tests.integration.tcp_relay import TcpRelay

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster3(request):
    """Three members of this module's own (their announced addresses are the "private" ones)."""
    yield from serve(Cluster(members=3, keep_workdir=keep_workdir(request)))


@pytest.fixture(scope="module")
def cloud(cluster3, tmp_path_factory):
    """The discovery front and one relay per member; yields ``(front, relays)``."""
    relays = [TcpRelay(("127.0.0.1", cluster3.port(i))) for i in range(cluster3.size)]
    entries = [
        {"private-address": "127.0.0.1:%d" % cluster3.port(i), "public-address": "%s:%d" % relay.address}
        for i, relay in enumerate(relays)
    ]
    front = DiscoveryFront(str(tmp_path_factory.mktemp("cloud")), entries)
    try:
        yield front, relays
    finally:
        front.close()
        for relay in relays:
            relay.close()


def cloud_client(hz_client_factory, cluster3, front, **options):
    return hz_client_factory(
        cluster_members=[],
        cluster_name=cluster3.cluster_name,
        cloud_discovery_token=front.token,
        cloud_discovery_url=front.url,
        cloud_discovery_cafile=front.cafile,
        **options,
    )


def test_smart_client_reaches_every_member_through_its_public_address(cluster3, cloud, hz_client_factory, unique_name):
    front, relays = cloud
    before = [relay.accepted for relay in relays]
    client = cloud_client(hz_client_factory, cluster3, front)
    public = {relay.address for relay in relays}
    connections = client._connections
    wait_until(
        client.handler,
        lambda: {c.address for c in connections.active_connections} == public,
        60,
        "a connection to each member through its public address",
    )
    assert [relay.accepted - n for relay, n in zip(relays, before)] == [1, 1, 1]
    assert front.requests and all(path == "/cluster/discovery?token=secret-token" for path in front.requests)
    m = client.get_map(unique_name)
    m.put_all({i: "v%d" % i for i in range(100)})  # keys of every member's partitions
    assert m.size() == 100 and m.get(42) == "v42"
    assert len(client.cluster.members) == 3


def test_unisocket_client_uses_one_public_address(cluster3, cloud, hz_client_factory, unique_name):
    front, relays = cloud
    client = cloud_client(hz_client_factory, cluster3, front, smart_routing=False)
    addresses = [c.address for c in client._connections.active_connections]
    assert len(addresses) == 1 and addresses[0] in {relay.address for relay in relays}
    client.get_map(unique_name).put("k", "v")
    assert client.get_map(unique_name).get("k") == "v"


def test_a_refused_token_never_connects(cluster3, cloud, hz_client_factory):
    front, _ = cloud
    client = hz_client_factory(
        cluster_members=[],
        cluster_name=cluster3.cluster_name,
        cloud_discovery_token="not-the-token",
        cloud_discovery_url=front.url,
        cloud_discovery_cafile=front.cafile,
        start=False,
    )
    with pytest.raises(HzTimeoutError):
        client.start(timeout=3)
    assert not client.connected
