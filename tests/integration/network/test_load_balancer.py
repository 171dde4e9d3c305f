"""The load_balancer option against three real members: requests bound to no partition follow the balancer.

Every request goes through the connection manager's ``connection_for``; the tests record
which member's connection it returned for partition-less requests (``map.size()``), the
real routing path of a real request.
"""

import collections

import pytest

from hzgreen import HzClient
from hzgreen.network.load_balancer import AbstractLoadBalancer, RandomLB, RoundRobinLB
from hzgreen.testing.waiting import wait_until

WAIT = 120


def connected_to_all(client, members=3):
    wait_until(
        client.handler,
        lambda: (
            len(client._connections.active_connections) == members
            and len(client.cluster_service.get_members()) == members
        ),
        WAIT,
        "connections to every member",
    )


def record_routing(client):
    """Count the member uuid of each connection ``connection_for(-1)`` returns; returns the Counter."""
    manager = client._connections
    route = manager.connection_for
    counts = collections.Counter()

    def recording(partition_id):
        connection = route(partition_id)
        if partition_id < 0 and connection is not None:
            counts[connection.member_uuid] += 1
        return connection

    manager.connection_for = recording
    return counts


def send_partitionless(client, name, times):
    m = client.get_map(name)  # proxy creation first: not counted below
    for _ in range(times):
        assert m.size() == 0


def test_round_robin_is_the_default_and_spreads_over_every_member(hz_client_factory, hz_cluster3, unique_name):
    client = hz_client_factory(hz_cluster3)
    assert isinstance(client.config.connection_options.load_balancer, RoundRobinLB)
    connected_to_all(client)
    client.get_map(unique_name)
    counts = record_routing(client)
    send_partitionless(client, unique_name, 30)
    member_uuids = {member.uuid for member in client.cluster_service.get_members()}
    assert set(counts) == member_uuids, counts
    assert min(counts.values()) >= 8, counts  # 10 each, give or take background requests


def test_random_lb_reaches_every_member(hz_client_factory, hz_cluster3, unique_name):
    client = hz_client_factory(hz_cluster3, load_balancer=RandomLB())
    connected_to_all(client)
    client.get_map(unique_name)
    counts = record_routing(client)
    send_partitionless(client, unique_name, 60)
    assert set(counts) == {member.uuid for member in client.cluster_service.get_members()}, counts


class HighestPortLB(AbstractLoadBalancer):
    """A user's balancer: always the member with the highest port."""

    def next(self):
        members = self._members
        return max(members, key=lambda member: member.address.port) if members else None


class DuckTypedLB:
    """A user's balancer without any hzgreen base class: always the member with the lowest port."""

    def init(self, cluster_service):
        self.cluster_service = cluster_service

    def next(self):
        members = self.cluster_service.get_members()
        return min(members, key=lambda member: member.address.port) if members else None


@pytest.mark.parametrize("balancer_class, pick", [(HighestPortLB, max), (DuckTypedLB, min)])
def test_a_users_load_balancer_choice_is_honoured(hz_client_factory, hz_cluster3, unique_name, balancer_class, pick):
    client = hz_client_factory(hz_cluster3, load_balancer=balancer_class())
    connected_to_all(client)
    client.get_map(unique_name)
    counts = record_routing(client)
    send_partitionless(client, unique_name, 20)
    chosen = pick(client.cluster_service.get_members(), key=lambda member: member.address.port)
    assert counts == {chosen.uuid: 20}


def test_a_failing_load_balancer_falls_back_to_any_connection(hz_client_factory, hz_cluster3, unique_name):
    class Broken(DuckTypedLB):
        def next(self):
            raise RuntimeError("broken balancer")

    client = hz_client_factory(hz_cluster3, load_balancer=Broken())
    connected_to_all(client)
    send_partitionless(client, unique_name, 5)  # answered all the same


@pytest.mark.parametrize("bad", ["round-robin", RoundRobinLB, object()])
def test_a_bad_load_balancer_fails_at_construction(hz_cluster3, bad):
    with pytest.raises(TypeError, match="load_balancer"):
        HzClient(cluster_members=hz_cluster3.addresses, load_balancer=bad)
