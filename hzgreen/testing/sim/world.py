"""SimWorld: one simulation, its network, its clusters and its clients, set up and torn down together.

The runtime draws reconnect jitter and connection choices from the ``random`` module;
a world seeds it with its own seed while it is open (and restores the previous state on
:meth:`SimWorld.close`), so the same seed replays the same run.
"""

from __future__ import annotations

import random
from typing import Any, Callable, List, Optional, Tuple

from hzgreen.states import HzState, LifecycleState
from hzgreen.testing.sim.cluster import SimCluster
from hzgreen.testing.sim.handler import SimHandler
from hzgreen.testing.sim.network import SimNetwork
from hzgreen.testing.sim.scheduler import Simulation

__all__ = ["SimWorld", "StateLog"]


class StateLog:
    """Records a client's state and lifecycle events with the virtual time they were seen.

    ``states`` and ``lifecycle`` are lists of ``(virtual time, event)`` as the client's
    listeners (on its callback worker) received them.
    """

    def __init__(self, world: "SimWorld", client: Any) -> None:
        self._world = world
        self.states: List[Tuple[float, HzState]] = []
        self.lifecycle: List[Tuple[float, LifecycleState]] = []
        client.add_listener(self._on_state)
        client.add_lifecycle_listener(self._on_lifecycle)

    def _on_state(self, state: HzState) -> None:
        self.states.append((self._world.sim.now, state))
        self._world.sim.record("state %s" % state)

    def _on_lifecycle(self, event: LifecycleState) -> None:
        self.lifecycle.append((self._world.sim.now, event))
        self._world.sim.record("lifecycle %s" % event)

    def state_names(self) -> List[str]:
        """The states seen, in order (e.g. ``["CONNECTED", "SUSPENDED", "CONNECTED"]``)."""
        return [str(state) for _, state in self.states]

    def first(self, state: Any, after: float = float("-inf")) -> Optional[float]:
        """Virtual time of the first ``state`` (HzState or LifecycleState) seen after ``after``; None if never."""
        events = self.states if isinstance(state, HzState) else self.lifecycle
        for when, seen in events:
            if seen == state and when > after:
                return when
        return None


class SimWorld:
    """A :class:`Simulation` with a :class:`SimNetwork`; builds scripted clusters and simulated clients.

    ``latency`` is the one-way network latency in virtual seconds. With ``shuffle``, ready
    tasks run in a seeded random order and (unless ``preempt`` says otherwise) a task
    yields at one lock boundary in five, as a preempted thread would. ``io_style`` is the
    clients' (see :class:`SimHandler`); ``deferred_writes=False`` gives them sockets
    without ``send_nowait``, so every write goes out from the caller.
    """

    def __init__(
        self,
        seed: int = 0,
        shuffle: bool = False,
        latency: float = 0.0005,
        deferred_writes: bool = True,
        time_limit: float = 24 * 3600.0,
        preempt: Optional[float] = None,
        io_style: str = "tasks",
    ) -> None:
        self.io_style = io_style
        self._random_state = random.getstate()
        random.seed(seed)
        if preempt is None:
            preempt = 0.2 if shuffle else 0.0
        self.sim = Simulation(seed=seed, shuffle=shuffle, time_limit=time_limit, preempt=preempt)
        self.network = SimNetwork(self.sim, latency=latency, deferred_writes=deferred_writes)
        self.clusters: List[SimCluster] = []
        self.clients: List[Any] = []
        self.closed = False

    @property
    def now(self) -> float:
        return self.sim.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` virtual seconds pass; returns None."""
        self.sim.advance(seconds)

    def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` as a simulated task until it ends; returns its value, raises its error."""
        return self.sim.run(func, *args, **kwargs)

    def spawn(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Start ``func`` as a simulated task; returns its Task."""
        return self.sim.spawn(func, *args, **kwargs)

    def cluster(self, size: int = 1, **options: Any) -> SimCluster:
        """A new scripted cluster of ``size`` started members (options: see :class:`SimCluster`)."""
        if self.clusters and "host" not in options:
            options["host"] = "10.0.%d.1" % len(self.clusters)
        cluster = SimCluster(self.sim, self.network, size=size, **options)
        self.clusters.append(cluster)
        return cluster

    def client(self, cluster: Optional[SimCluster] = None, start: bool = True, **options: Any) -> Any:
        """An HzClient on a SimHandler, started (unless ``start`` is False) against ``cluster``.

        ``cluster_members`` and ``cluster_name`` default to the cluster's; a
        :class:`StateLog` is attached as ``client.sim_log``.
        """
        from hzgreen.client import HzClient

        if cluster is None:
            cluster = self.clusters[0] if self.clusters else self.cluster()
        options.setdefault("cluster_members", cluster.addresses)
        options.setdefault("cluster_name", cluster.cluster_name)
        client: Any = HzClient(handler=SimHandler(self.sim, self.network, io_style=self.io_style), **options)
        client.sim_log = StateLog(self, client)
        self.clients.append(client)
        if start:
            client.start(timeout=60)
        return client

    def close(self) -> None:
        """Close every client, end every task left, restore the ``random`` module's state."""
        if self.closed:
            return
        self.closed = True
        try:
            for client in self.clients:
                try:
                    client.close()
                except Exception:
                    pass
        finally:
            self.sim.close()
            random.setstate(self._random_state)
