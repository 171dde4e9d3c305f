"""start(timeout=...) is checked before anything starts: no thread, no connection attempt."""

import pytest

from hzgreen import HzClient, HzState
from hzgreen.proxy.map import Map
from hzgreen.proxy.queue import Queue


@pytest.mark.parametrize(
    "timeout,error",
    [
        pytest.param("5", TypeError, id="str"),
        pytest.param(True, TypeError, id="bool"),
        pytest.param(float("nan"), ValueError, id="nan"),
        pytest.param(float("inf"), ValueError, id="inf"),
        pytest.param(-1, ValueError, id="negative"),
        pytest.param(0, ValueError, id="zero"),
    ],
)
def test_bad_start_timeout_is_refused_at_once(timeout, error):
    # An unroutable member: if start() went ahead, it would try to connect.
    client = HzClient(cluster_members=["192.0.2.1:5701"], connection_timeout=0.5)
    try:
        with pytest.raises(error) as info:
            client.start(timeout=timeout)
        assert "timeout" in str(info.value) and repr(timeout) in str(info.value)
        assert client.state == HzState.LOST
        assert not client.handler.running
        assert not client._started
    finally:
        client.close()


@pytest.mark.parametrize(
    "call,name",
    [
        pytest.param(lambda m, q: m.put_async("k", "v", ttl=float("nan")), "ttl", id="map-ttl-nan"),
        pytest.param(lambda m, q: m.put_async("k", "v", ttl=float("inf")), "ttl", id="map-ttl-inf"),
        pytest.param(lambda m, q: m.set_async("k", "v", max_idle=float("nan")), "max_idle", id="map-max-idle-nan"),
        pytest.param(lambda m, q: q.poll_async(timeout=float("nan")), "timeout", id="queue-poll-nan"),
        pytest.param(lambda m, q: q.offer_async("x", timeout=float("inf")), "timeout", id="queue-offer-inf"),
    ],
)
def test_non_finite_call_timeouts_are_refused_before_sending(call, name):
    # Proxies of a client that is not started: a request that got past the checks would
    # be parked waiting for a connection and the _async call would return instead of raising.
    client = HzClient(cluster_members=["192.0.2.1:5701"], invocation_timeout=1.0)
    try:
        with pytest.raises(ValueError) as info:
            call(Map("m", client), Queue("q", client))
        assert name in str(info.value) and "finite" in str(info.value)
    finally:
        client.close()
