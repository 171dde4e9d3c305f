"""Cloud discovery without members: the discovery request over a local HTTPS endpoint under both handlers,
the answer's parsing, address translation, and the options' checks."""

import json
import socket
import threading
import time

import pytest

from hzgreen import HzClient
from hzgreen.config import ClientConfig
from hzgreen.exceptions import HzTimeoutError
from hzgreen.network.cloud import (
    DEFAULT_CLOUD_URL,
    MAX_RESPONSE_BYTES,
    CloudAddressProvider,
    CloudDiscovery,
    CloudDiscoveryError,
    parse_discovery_response,
)
from hzgreen.testing.plugin import make_handler
from tests.integration.network.discovery_front import DiscoveryFront

ENTRIES = [
    {"private-address": "10.255.255.1:5701", "public-address": "127.0.0.1:31001"},
    {"private-address": "10.255.255.2", "public-address": "127.0.0.1:31002"},
]


@pytest.fixture
def handler(hz_handler_name):
    handler = make_handler(hz_handler_name)
    handler.start()
    yield handler
    handler.stop()


@pytest.fixture
def front(tmp_path):
    front = DiscoveryFront(str(tmp_path), ENTRIES)
    yield front
    front.close()


def test_parse_maps_private_to_public_and_a_portless_private_takes_the_public_port():
    mapping = parse_discovery_response(json.dumps(ENTRIES).encode())
    assert mapping == {("10.255.255.1", 5701): ("127.0.0.1", 31001), ("10.255.255.2", 31002): ("127.0.0.1", 31002)}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"private-address": "a:1"}',
        b"[1]",
        b'[{"private-address": "10.0.0.1:5701"}]',
        b'[{"private-address": 5, "public-address": "1.2.3.4:5701"}]',
        b'[{"private-address": "10.0.0.1:99999", "public-address": "1.2.3.4:5701"}]',
        b"\xff\xfe",
    ],
)
def test_parse_refuses_malformed_answers(body):
    with pytest.raises(CloudDiscoveryError):
        parse_discovery_response(body)


def test_discover_asks_the_https_endpoint_with_the_token(handler, front):
    discovery = CloudDiscovery(handler, front.token, front.url, front.cafile, 10.0)
    mapping = discovery.discover()
    assert mapping[("10.255.255.1", 5701)] == ("127.0.0.1", 31001)
    assert front.requests == ["/cluster/discovery?token=secret-token"]


def test_a_base_url_with_a_path_prefixes_the_request_and_the_token_is_quoted(handler, front):
    front.token = "a b/c"
    CloudDiscovery(handler, "a b/c", front.url + "/base/", front.cafile, 10.0).discover()
    assert front.requests == ["/base/cluster/discovery?token=a%20b%2Fc"]


def test_a_refused_token_raises_with_the_services_message(handler, front):
    with pytest.raises(CloudDiscoveryError, match="401: Invalid token"):
        CloudDiscovery(handler, "wrong", front.url, front.cafile, 10.0).discover()


def test_an_untrusted_certificate_is_refused(handler, front):
    with pytest.raises(CloudDiscoveryError, match="TLS"):
        CloudDiscovery(handler, front.token, front.url, None, 10.0).discover()


def test_an_oversized_answer_is_refused(handler, front):
    front.entries = [{"private-address": "10.0.0.1:5701", "public-address": "x" * MAX_RESPONSE_BYTES}]
    with pytest.raises(CloudDiscoveryError, match="larger than"):
        CloudDiscovery(handler, front.token, front.url, front.cafile, 10.0).discover()


def test_an_unreachable_service_raises():
    handler = make_handler("threading")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    with pytest.raises(CloudDiscoveryError, match="cannot reach"):
        CloudDiscovery(handler, "t", "https://127.0.0.1:%d" % port, None, 5.0).discover()


def test_fake_peer_that_never_answers_times_out(handler):
    """A fake peer (a real service always answers): accepts the connection and stays silent."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    ticks = []
    done = handler.event_object()

    def ticker():  # runs only if the waiting discovery leaves the hub (gevent) free
        while not done.is_set():
            ticks.append(1)
            handler.sleep_func(0.01)

    try:
        discovery = CloudDiscovery(handler, "t", "https://127.0.0.1:%d" % listener.getsockname()[1], None, 0.5)
        handler.spawn(ticker)
        began = time.monotonic()
        with pytest.raises(HzTimeoutError):
            discovery.discover()
        assert time.monotonic() - began < 5.0
        assert len(ticks) >= 5  # the other task kept running while the request waited
    finally:
        done.set()
        listener.close()
        for sock, _ in accepted:
            sock.close()


def test_the_provider_loads_public_addresses_and_translates_refreshing_on_a_miss(handler, front):
    provider = CloudAddressProvider(CloudDiscovery(handler, front.token, front.url, front.cafile, 10.0))
    assert provider.load() == [("127.0.0.1", 31001), ("127.0.0.1", 31002)]
    assert provider.translate(("10.255.255.1", 5701)) == ("127.0.0.1", 31001)
    assert provider.translate(("127.0.0.1", 31002)) == ("127.0.0.1", 31002)  # already public
    asked = len(front.requests)
    front.entries = ENTRIES + [{"private-address": "10.255.255.3:5701", "public-address": "127.0.0.1:31003"}]
    assert provider.translate(("10.255.255.3", 5701)) == ("127.0.0.1", 31003)  # a miss asks again
    assert len(front.requests) == asked + 1
    assert provider.translate(("10.9.9.9", 5701)) is None


def test_a_failed_discovery_loads_no_addresses(handler, front):
    provider = CloudAddressProvider(CloudDiscovery(handler, "wrong", front.url, front.cafile, 10.0))
    assert provider.load() == []
    assert provider.translate(("10.255.255.1", 5701)) is None


def test_cloud_options_defaults_and_checks():
    config = ClientConfig(cloud_discovery_token="t", cluster_members=[])
    assert config.discovery.token == "t"
    assert config.discovery.url == DEFAULT_CLOUD_URL == "https://api.viridian.hazelcast.com"
    assert ClientConfig().discovery.token is None
    with pytest.raises(ValueError, match="cluster_members must be empty"):
        ClientConfig(cloud_discovery_token="t", cluster_members=["127.0.0.1:5701"])
    with pytest.raises(ValueError, match="cluster_members must not be empty"):
        ClientConfig(cluster_members=[])
    with pytest.raises(TypeError, match="cloud_discovery_token"):
        ClientConfig(cloud_discovery_token=5)
    with pytest.raises(ValueError, match="cloud_discovery_token"):
        ClientConfig(cloud_discovery_token="")
    with pytest.raises(ValueError, match="cloud_discovery_url"):
        ClientConfig(cloud_discovery_url="http://plain.example.com")
    with pytest.raises(TypeError, match="cloud_discovery_url"):
        ClientConfig(cloud_discovery_url=None)
    with pytest.raises(TypeError, match="cloud_discovery_cafile"):
        ClientConfig(cloud_discovery_cafile=b"/ca.pem")
    with pytest.raises(ValueError, match="cloud_discovery_cafile: no such file"):
        ClientConfig(cloud_discovery_cafile="/nonexistent/ca.pem")


def test_a_cafile_that_is_no_certificate_fails_at_construction(tmp_path, hz_handler_name):
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ValueError, match="cloud_discovery_cafile"):
        HzClient(cloud_discovery_token="t", cloud_discovery_cafile=str(bogus), handler=make_handler(hz_handler_name))
