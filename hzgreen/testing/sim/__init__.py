"""Deterministic simulation of the client runtime, FoundationDB-style.

* :class:`Simulation` (``scheduler.py``): greenlets, a virtual clock, timers, and a
  scheduler that runs ready tasks in FIFO or seeded random order;
* :class:`SimHandler` (``handler.py``): the :class:`hzgreen.interfaces.IHandler` on top of it;
* :class:`SimNetwork` (``network.py``): in-memory connections with latency and scripted
  refusals;
* :class:`SimCluster` / :class:`SimMember` (``peer.py``): scripted members answering
  with the generated codecs, with faults on command;
* :class:`SimWorld` (``world.py``): all of the above plus clients, torn down together.

Example::

    sim = Simulation(seed=7)
    network = SimNetwork(sim)
    cluster = SimCluster(sim, network, size=2)
    client = HzClient(handler=SimHandler(sim, network), cluster_members=cluster.addresses)
    client.start()                      # drives the simulation until connected
    cluster.members[0].pause()
    sim.advance(90)                     # ninety virtual seconds, in milliseconds of wall time
"""

from hzgreen.testing.sim.cluster import SimCluster
from hzgreen.testing.sim.handler import SimHandler
from hzgreen.testing.sim.network import PeerLink, SimNetwork, SimSocket
from hzgreen.testing.sim.peer import SimMember, message_type_name
from hzgreen.testing.sim.scheduler import SimDeadlock, SimTimeLimit, Simulation, SimulationError, Task
from hzgreen.testing.sim.world import SimWorld, StateLog

__all__ = [
    "PeerLink",
    "SimCluster",
    "SimDeadlock",
    "SimHandler",
    "SimMember",
    "SimNetwork",
    "SimSocket",
    "SimTimeLimit",
    "SimWorld",
    "Simulation",
    "SimulationError",
    "StateLog",
    "Task",
    "message_type_name",
]
