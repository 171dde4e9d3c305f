"""Errors say what failed: the operation, the object, the time limit and the member."""

import pytest

from hzgreen.exceptions import HazelcastServerError, HzTimeoutError
from hzgreen.query.predicate import sql


def test_timeouts_name_operation_limit_and_member(hz_cluster_factory, hz_client_factory, unique_name):
    cluster = hz_cluster_factory()
    client = hz_client_factory(cluster, invocation_timeout=2.0)
    m = client.get_map(unique_name)
    q = client.get_queue(unique_name)
    m.put("k", "v")
    q.offer("item")
    member = cluster.addresses[0]
    cluster.pause(0)
    try:
        with pytest.raises(HzTimeoutError) as info:
            m.get("k")
        with pytest.raises(HzTimeoutError) as waiting:
            q.poll(timeout=1)
    finally:
        cluster.resume(0)
    assert str(info.value) == (
        "Map.get on %r timed out after 2.0 s (invocation_timeout) waiting for %s" % (unique_name, member)
    )
    assert (info.value.operation, info.value.member) == ("Map.get on %r" % unique_name, member)
    assert str(waiting.value) == (
        "Queue.poll on %r timed out after 3.0 s (timeout + invocation_timeout) waiting for %s" % (unique_name, member)
    )
    assert m.get("k") == "v"  # the member is back and the client with it


def test_server_errors_name_operation_and_member(hz_cluster, hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    with pytest.raises(HazelcastServerError) as info:
        m.values(sql("this is ((( not a predicate"))
    error = info.value
    member = hz_cluster.addresses[0]
    assert str(error).startswith("Map.values_with_predicate on %r failed on %s: " % (unique_name, member))
    assert (error.operation, error.member) == ("Map.values_with_predicate on %r" % unique_name, member)
    assert error.class_name and error.class_name in str(error)
