"""What the layers above the runtime get from the client: a typed context, not the client.

Proxies, the CP subsystem, the listener and schema services receive one
:class:`RuntimeContext`. It names every service they may use, with its type, so none of
them needs the client object or its private attributes, and mypy checks each use.

The client builds the context in two steps, because some services need the context to
be built (the listener service registers itself with the connection manager; the proxy
manager hands the context to each proxy): :meth:`RuntimeContext.__init__` takes the
services that need nothing else, and the client then assigns ``listeners``, ``schemas``
and ``proxies``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.cp.subsystem import CPSubsystem
    from hzgreen.handler_types import Handler
    from hzgreen.lifecycle import StateTracker
    from hzgreen.proxy.manager import ProxyManager
    from hzgreen.runtime.cluster import ClusterService, PartitionService
    from hzgreen.runtime.connection_manager import ConnectionManager
    from hzgreen.runtime.invocation import InvocationService
    from hzgreen.runtime.listeners import ListenerService
    from hzgreen.runtime.schema_service import SchemaService
    from hzgreen.serialization import SerializationService


class RuntimeContext:
    """The client's services, as the layers above the runtime see them.

    ``cp`` is None until the CP subsystem is first used (``client.cp``).
    """

    listeners: "ListenerService"
    schemas: "SchemaService"
    proxies: "ProxyManager"

    def __init__(
        self,
        handler: "Handler",
        config: "ClientConfig",
        serialization: "SerializationService",
        state: "StateTracker",
        cluster: "ClusterService",
        partitions: "PartitionService",
        connections: "ConnectionManager",
        invocations: "InvocationService",
    ) -> None:
        self.handler = handler
        self.config = config
        self.serialization = serialization
        self.state = state
        self.cluster = cluster
        self.partitions = partitions
        self.connections = connections
        self.invocations = invocations
        self.cp: Optional["CPSubsystem"] = None
        self._shutdown_hooks: List[Callable[[], Any]] = []

    @property
    def connected(self) -> bool:
        """True while the client is CONNECTED."""
        return self.state.state == HzState.CONNECTED

    @property
    def cluster_id(self) -> Optional[uuid.UUID]:
        """The id of the cluster the client is (or was last) connected to; None before the first connection."""
        return self.connections.cluster_id

    def add_shutdown_hook(self, hook: Callable[[], Any]) -> None:
        """Run ``hook()`` at the client's ``stop()``, while the connections are still up; returns None."""
        self._shutdown_hooks.append(hook)

    def unlink(self) -> None:
        """Forget the shutdown hooks and the CP subsystem, which point back here (the client
        was closed: see ``HzClient.close``). Returns None."""
        self._shutdown_hooks.clear()
        if self.cp is not None:
            self.cp.unlink()
            self.cp = None

    def run_shutdown_hooks(self, on_error: Callable[[BaseException], None]) -> None:
        """Call every shutdown hook in the order added; an Exception a hook raises goes to ``on_error``."""
        for hook in list(self._shutdown_hooks):
            try:
                hook()
            except Exception as error:
                on_error(error)
