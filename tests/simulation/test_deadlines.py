"""Invocation deadlines in virtual time: late answers, thousands of pending calls."""

from __future__ import annotations

import pytest

from hzgreen.exceptions import HzTimeoutError
from hzgreen.protocol.codecs import map as map_codec

TICK = 0.05
EPS = 1e-6


def test_response_after_its_deadline_is_dropped_and_caller_sees_one_timeout(sim, sim_client):
    cluster = sim.cluster()
    client = sim_client(cluster, invocation_timeout=10.0)
    m = client.get_map("m")
    m.put("k", "v")
    member = cluster.members[0]
    member.answer_delay_for[map_codec.GET_REQUEST_TYPE] = 15.0
    completions = []
    issued = sim.now
    future = m.get_async("k")
    future.add_done_callback(lambda f: completions.append((sim.now, f.exception)))
    sim.advance(20.0)  # the answer arrives at +15 s, five seconds after the deadline
    assert len(completions) == 1
    when, error = completions[0]
    assert isinstance(error, HzTimeoutError)
    assert 10.0 <= when - issued <= 10.0 + TICK + EPS
    with pytest.raises(HzTimeoutError):
        future.get(timeout=0)
    assert len(member.requests("Map.get")) == 1
    # The late answer was dropped quietly: the connection is fine and serves the next call.
    [connection] = client._connections.active_connections
    assert connection.alive
    member.answer_delay_for.clear()
    assert m.get("k") == "v"
    assert len(completions) == 1


@pytest.mark.parametrize("count", [5000])
def test_thousands_pending_all_time_out_once_at_their_deadline(sim, sim_client, count):
    cluster = sim.cluster()
    client = sim_client(cluster, invocation_timeout=30.0, heartbeat_timeout=60.0)
    m = client.get_map("m")
    member = cluster.members[0]
    member.pause()
    completions = {}
    issued = {}
    for i in range(count):
        issued[i] = sim.now
        future = m.get_async(i)
        future.add_done_callback(lambda f, i=i: completions.setdefault(i, []).append((sim.now, f.exception)))
        if i % 500 == 499:
            sim.advance(1.0)  # spread the deadlines over several seconds
    sim.advance(45.0)
    assert sorted(completions) == list(range(count))
    late = []
    for i, outcomes in completions.items():
        assert len(outcomes) == 1, "invocation %d completed %d times" % (i, len(outcomes))
        when, error = outcomes[0]
        assert isinstance(error, HzTimeoutError), error
        waited = when - issued[i]
        if not 30.0 <= waited <= 30.0 + TICK + EPS:
            late.append((i, waited))
    assert not late, late[:5]
    member.resume()
    sim.advance(5.0)
    assert all(len(outcomes) == 1 for outcomes in completions.values())
