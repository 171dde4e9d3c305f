"""A listener registration racing a member that joins: the registration is on the new
member before any request is routed to it, under many interleavings (shuffled schedules)."""

from __future__ import annotations

import pytest

from hzgreen.testing.sim import SimWorld

SEEDS = range(12)


def _first(entries, name):
    for index, entry in enumerate(entries):
        if entry[2] == name:
            return index
    return None


def _check_registered_before_routed(member):
    """On every connection to ``member``: no Map.put arrived before the registration was in place."""
    links = {link_id for _, link_id, _ in member.received}
    for link_id in links:
        puts = [when for when, link, name in member.received if link == link_id and name == "Map.put"]
        if not puts:
            continue
        registered = member.registered_at.get(link_id)
        assert registered is not None and registered <= puts[0], (
            "member %s got a Map.put at %.4f, its listener registration was in place at %s"
            % (member.address_text, puts[0], registered)
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_registration_reaches_joining_member_before_requests(seed):
    world = SimWorld(seed=seed, shuffle=seed > 0)
    try:
        cluster = world.cluster(size=1)
        cluster.registration_delay = 0.02
        client = world.client(cluster, invocation_timeout=30.0)
        m = client.get_map("m")
        events = []
        m.add_entry_listener(added_func=lambda event: events.append(event.key))
        stop = []

        def writer():
            i = 0
            while not stop:
                m.put("k%d" % i, i)
                i += 1
                world.sim.sleep(0.003)
            return i

        task = world.spawn(writer)
        world.advance(0.05 + 0.01 * (seed % 5))
        newcomer = cluster.add_member()
        world.advance(3.0)
        stop.append(True)
        task.join()
        assert task.exception is None
        assert len(client._connections.active_connections) == 2
        assert newcomer.requests("Map.put"), "no request was ever routed to the new member"
        _check_registered_before_routed(newcomer)
        # Once settled, every put is seen exactly once (local_only registrations on both members).
        events.clear()
        keys = ["after-%d" % i for i in range(60)]
        for key in keys:
            m.put(key, 1)
        world.advance(1.0)
        assert sorted(events) == sorted(keys)
        owners = {cluster.owner_of_key(m._key_data(key)) for key in keys}
        assert owners == set(cluster.members)
    finally:
        world.close()
    assert world.sim.errors == []


@pytest.mark.parametrize("seed", SEEDS)
def test_listener_added_while_member_joins_is_active_everywhere_on_return(seed):
    world = SimWorld(seed=seed, shuffle=seed > 0)
    try:
        cluster = world.cluster(size=1)
        cluster.registration_delay = 0.02
        client = world.client(cluster, invocation_timeout=30.0)
        m = client.get_map("m")
        events = []

        def add():
            return m.add_entry_listener(added_func=lambda event: events.append(event.key))

        task = world.spawn(add)
        world.advance(0.001 * (seed % 4))
        newcomer = cluster.add_member()
        task.join()
        assert task.exception is None, task.exception
        # Active on every member of the member list the client knew when the add returned.
        registered = {member.address_text for member in cluster.members if member.requests("Map.addEntryListener")}
        known = {"%s:%d" % (info.address.host, info.address.port) for info in client.cluster.members}
        assert known <= registered, (known, registered)
        world.advance(2.0)
        assert newcomer.requests("Map.addEntryListener")
        _check_registered_before_routed(newcomer)
        keys = ["k%d" % i for i in range(40)]
        for key in keys:
            m.put(key, 1)
        world.advance(1.0)
        assert sorted(events) == sorted(keys)
    finally:
        world.close()
    assert world.sim.errors == []
