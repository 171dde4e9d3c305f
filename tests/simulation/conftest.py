"""Fixtures of the deterministic simulation tests (hzgreen.testing.sim).

``sim`` is a :class:`~hzgreen.testing.sim.SimWorld` (scheduler, virtual clock, network);
``sim_client(cluster=None, start=True, **options)`` builds an HzClient on a SimHandler
against a scripted cluster (a one-member cluster is made when none exists). Everything
runs in virtual time: a test takes milliseconds of wall time whatever it simulates.
"""

from __future__ import annotations

import pytest

from hzgreen.testing.sim import SimWorld

_HERE = __file__.rsplit("/", 1)[0]


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder ``simulation``; each must finish fast in wall time
    (virtual time is free), so a 60 s timeout is generous."""
    for item in items:
        if str(item.fspath).startswith(_HERE):
            item.add_marker(pytest.mark.simulation)
            item.add_marker(pytest.mark.timeout(60))


@pytest.fixture(params=["tasks", "select"])
def sim(request):
    """A SimWorld seeded with 0; closed after the test, which fails if a simulated task crashed.

    Every test runs twice: with the client reading each connection from its own task and
    deferring writes to the loop (as under gevent), and with one task polling every
    connection and writes sent by the caller (as under threads).
    """
    world = SimWorld(seed=0, io_style=request.param, deferred_writes=request.param == "tasks")
    try:
        yield world
    finally:
        world.close()
    assert world.sim.errors == [], "simulated tasks crashed: %r" % (world.sim.errors,)


@pytest.fixture
def sim_client(sim):
    """``sim_client(cluster=None, start=True, **options)``: a client on the simulation."""
    return sim.client
