"""HzClient: wires the layers together and exposes the public entry points.

Deliberately thin: connections, invocations, cluster view, state and proxies each live
in their own module; this class only builds them and forwards to them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence, Set, TypeVar, Union

from zope.interface.exceptions import Invalid  # type: ignore[import-untyped]  # zope.interface ships no type information
from zope.interface.verify import verifyObject  # type: ignore[import-untyped]  # as above

from hzgreen import forks
from hzgreen.config import ClientConfig, ClientOptions, check_seconds, with_option_signature
from hzgreen.config_discovery import DEFAULT_TRY_COUNT, failover_options
from hzgreen.exceptions import ClientNotActiveError
from hzgreen.interfaces import IHandler
from hzgreen.lifecycle import StateTracker
from hzgreen.near_cache.map import map_class_for
from hzgreen.proxy import distributed_objects
from hzgreen.proxy import list as list_proxy
from hzgreen.proxy import set as set_proxy
from hzgreen.proxy.executor import Executor
from hzgreen.proxy.flake_id_generator import FlakeIdGenerator
from hzgreen.proxy.manager import ProxyManager
from hzgreen.proxy.map import Map
from hzgreen.proxy.multi_map import MultiMap
from hzgreen.proxy.pn_counter import PNCounter
from hzgreen.proxy.queue import Queue
from hzgreen.proxy.reliable_topic import ReliableTopic
from hzgreen.proxy.replicated_map import ReplicatedMap
from hzgreen.proxy.ringbuffer import Ringbuffer
from hzgreen.proxy.topic import Topic
from hzgreen.recipes.bound import BoundRecipes
from hzgreen.retry import HzRetry
from hzgreen.runtime.backup_acks import install_backup_acks
from hzgreen.runtime.cluster import ClusterService, PartitionService
from hzgreen.runtime.connection import create_io_loop
from hzgreen.runtime.connection_manager import ConnectionManager
from hzgreen.runtime.connection_strategy import AsyncStart, prepare
from hzgreen.runtime.context import RuntimeContext
from hzgreen.runtime.invocation import InvocationService
from hzgreen.runtime.listeners import ListenerService
from hzgreen.runtime.schema_service import SchemaService
from hzgreen.runtime.statistics import StatisticsService
from hzgreen.serialization import SerializationService
from hzgreen.sql.service import SqlService
from hzgreen.states import HzState, LifecycleState
from hzgreen.transaction import TWO_PHASE, Transaction

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from hzgreen.cp.subsystem import CPSubsystem
    from hzgreen.proxy.base import Proxy
    from hzgreen.proxy.distributed_objects import DistributedObjectEvent

log = logging.getLogger("hzgreen.client")
T = TypeVar("T")


#: Handler classes already checked against IHandler (verification costs about half a
#: millisecond, which would otherwise be paid by every client construction).
_VERIFIED_HANDLER_TYPES: Set[type] = set()

#: What an HzRetry sleeps with unless told otherwise; a ``command_retry`` left at it sleeps with the handler's instead.
_DEFAULT_RETRY_SLEEP = HzRetry().sleep_func


class HzClient(BoundRecipes):
    """A client of one Hazelcast cluster.

    Keyword options are those of the official Hazelcast Python client
    (``cluster_members``, ``cluster_name``, ``invocation_timeout``, ``smart_routing``, ...)
    plus ``handler`` (the concurrency model, default
    :class:`~hzgreen.handlers.threading.SequentialThreadingHandler`), ``command_retry``
    (the policy of :meth:`retry`) and ``max_frame_size``: the signature lists each with its
    default, :class:`hzgreen.config.ClientOptions` says what each means. Raises TypeError
    or ValueError naming the option for an unknown option or a bad value, TypeError for a
    handler that does not provide IHandler.
    """

    @with_option_signature
    def __init__(self, handler: Any = None, **options: Unpack[ClientOptions]) -> None:
        if handler is None:
            from hzgreen.handlers.threading import SequentialThreadingHandler

            handler = SequentialThreadingHandler()
        if type(handler) not in _VERIFIED_HANDLER_TYPES:
            try:
                verifyObject(IHandler, handler)
            except Invalid as error:
                raise TypeError("handler must provide hzgreen.interfaces.IHandler: %s" % error) from None
            _VERIFIED_HANDLER_TYPES.add(type(handler))
        self.handler = handler
        self.config = ClientConfig(**options)
        self.serialization = SerializationService(**self.config.serialization_options)
        self._state = StateTracker(handler, self.config.lifecycle_listeners)
        self.cluster = ClusterService(handler)
        prepare(self.config, self.cluster)  # logging, membership_listeners, load_balancer
        self.partitions = PartitionService()
        self._io_loop = create_io_loop(handler)
        self._connections = ConnectionManager(
            self.config,
            handler,
            self._io_loop,
            self.cluster,
            self.partitions,
            self._on_connected,
            self._on_disconnected,
            self._on_cluster_unreachable,
        )
        self.invocations = InvocationService(self.config, handler, self._connections, self.partitions)
        self._connections.invocations = self.invocations
        self._io_loop.add_tick(self.invocations.check_deadlines)
        self._io_loop.add_tick(self._connections.tick)
        self._async_start = AsyncStart(
            self.config, handler, self._connections, self.invocations, self._state, self._on_cluster_unreachable
        )
        self._backup_acks = install_backup_acks(self.config, handler, self.invocations, self._connections, self.cluster)
        if self._backup_acks is not None:
            self._io_loop.add_tick(self._backup_acks.check_timeouts)
        self._context = context = RuntimeContext(
            handler,
            self.config,
            self.serialization,
            self._state,
            self.cluster,
            self.partitions,
            self._connections,
            self.invocations,
        )
        context.proxies = self._proxies = ProxyManager(context)
        context.schemas = self.schemas = SchemaService(context)
        context.listeners = self.listeners = ListenerService(context)
        self._sql = SqlService(context)
        self.statistics = StatisticsService(context)
        self._retry = self.config.command_retry
        if self._retry.sleep_func is _DEFAULT_RETRY_SLEEP:
            self._retry.sleep_func = handler.sleep_func
        self._lifecycle_lock = handler.rlock_object()
        self._started = False
        self._closed = False
        self._fork_guard = forks.ForkGuard(self._state, self._connections, self._io_loop)

    @classmethod
    def create_failover_client(
        cls, client_configs: Sequence[Mapping[str, Any]], try_count: int = DEFAULT_TRY_COUNT, handler: Any = None
    ) -> "HzClient":
        """A client going round ``client_configs`` (option dicts, one per cluster) when its cluster is unreachable.

        Returns it, not started. Raises TypeError/ValueError as the constructor does; only
        cluster-level options may differ between the configs (docs/failover.rst).
        """
        return cls(handler, **failover_options(client_configs, try_count))

    # -- state -------------------------------------------------------------------------

    @property
    def state(self) -> HzState:
        """The current :class:`HzState` (LOST in a process that inherited the client through fork())."""
        return HzState.LOST if self._fork_guard.inherited() else self._state.state

    @property
    def connected(self) -> bool:
        """True while the client is CONNECTED."""
        return self.state == HzState.CONNECTED

    @property
    def cluster_service(self) -> ClusterService:
        """The members and membership listeners (``add_listener``, ``remove_listener``, ``get_members``), as in the official client."""
        return self.cluster

    @property
    def client_uuid(self) -> Any:
        """Returns this client's UUID (a ``uuid.UUID`` chosen at construction), as the members know it.
        Raises nothing."""
        return self._connections.client_uuid

    def add_listener(self, listener: Callable[[HzState], Any]) -> None:
        """Call ``listener(state)`` on every state transition (on the callback worker)."""
        self._state.add_listener(listener)

    def remove_listener(self, listener: Callable[[HzState], Any]) -> None:
        """Stops calling ``listener`` (added with :meth:`add_listener`); returns None. A listener not
        registered is ignored; raises nothing."""
        self._state.remove_listener(listener)

    def add_lifecycle_listener(self, listener: Callable[[LifecycleState], Any]) -> str:
        """Call ``listener(event)`` for STARTING, STARTED, CONNECTED, DISCONNECTED, SHUTTING_DOWN, SHUTDOWN.

        Returns the registration id for :meth:`remove_lifecycle_listener`."""
        return self._state.add_lifecycle_listener(listener)

    def remove_lifecycle_listener(self, listener: Union[str, Callable[[LifecycleState], Any]]) -> bool:
        """Stop a lifecycle listener, given its registration id (or the function); returns whether it was registered."""
        return self._state.remove_lifecycle_listener(listener)

    def _on_connected(self, cluster_changed: bool) -> None:
        self.schemas.on_connected(cluster_changed)  # re-sends Compact schemas to a new cluster
        if cluster_changed:
            self._state.transition(HzState.LOST)
        self._state.transition(HzState.CONNECTED)
        self._state.fire_lifecycle(LifecycleState.CONNECTED)

    def _on_disconnected(self) -> None:
        self._state.transition(HzState.SUSPENDED)
        self._state.fire_lifecycle(LifecycleState.DISCONNECTED)
        if self.config.reconnect_mode == "OFF":
            self.handler.spawn(self.stop)

    def _on_cluster_unreachable(self) -> None:
        # cluster_connect_timeout ran out while reconnecting: shut down, as the official client does.
        self.handler.spawn(self.stop)

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, timeout: Optional[float] = 15.0) -> None:
        """Connect and authenticate within ``timeout`` seconds (None: wait as long as it takes).

        With ``async_start=True`` it returns at once and connects in the background.

        Raises TypeError/ValueError for a ``timeout`` that is not a finite number > 0 or
        None, HzTimeoutError if not CONNECTED in time, ClientNotActiveError after close(),
        ClientForkedError in a process that inherited the client through fork().
        """
        self._fork_guard.check()
        timeout = check_seconds(timeout, "start() timeout", allow_none=True)
        with self._lifecycle_lock:
            if self._closed:
                raise ClientNotActiveError("the client was closed; create a new one")
            if self._started:
                return
            self.handler.start()
            self._state.fire_lifecycle(LifecycleState.STARTING)
            self._io_loop.start()
            self.invocations.restart()
            self._started = True
            self._state.fire_lifecycle(LifecycleState.STARTED)  # before CONNECTED, as in the official client
            if self._async_start.enabled:
                self._async_start.begin()
                return
            try:
                self._connections.start(timeout)
            except BaseException:
                self.stop()
                raise

    def stop(self) -> None:
        """Disconnect gracefully; the client may be started again. Idempotent.

        In a process that inherited the client through fork() it only drops local state
        (the connections are the parent's); it cannot be started again there.
        """
        if self._fork_guard.release():
            self._started = False
            return
        with self._lifecycle_lock:
            if not self._started:
                return
            self._started = False
            self._state.fire_lifecycle(LifecycleState.SHUTTING_DOWN)
            self._context.run_shutdown_hooks(lambda error: log.error("error in a shutdown hook", exc_info=error))
            self._connections.shutdown()
            self.invocations.shutdown()
            self._io_loop.stop()
            if self._state.state == HzState.CONNECTED:
                self._state.fire_lifecycle(LifecycleState.DISCONNECTED)  # before SHUTDOWN, as in the official client
            self._state.transition(HzState.LOST)
            self._state.fire_lifecycle(LifecycleState.SHUTDOWN)
            self.handler.stop()

    def close(self) -> None:
        """Free everything; the client cannot be started again. Idempotent.

        Besides stopping, it unlinks the client's parts from each other (callbacks, hooks,
        listeners, proxies), so that reference counting frees them at once. Left in reference
        cycles they would wait for the garbage collector, which would then run in the middle
        of some later, unrelated call.
        """
        self.stop()
        if self._fork_guard.inherited():
            self._closed = True  # the parent's client: take none of its locks (a parent thread may hold one)
            return
        with self._lifecycle_lock:
            if self._closed:
                return
            self._closed = True
            self._state.unlink()
            self._io_loop.unlink()
            self._connections.unlink()
            self._async_start.unlink()
            self.invocations.unlink()
            self.cluster.unlink()
            self.schemas.unlink()
            self._proxies.unlink()
            self._context.unlink()

    def __enter__(self) -> "HzClient":
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
        self.close()

    def add_shutdown_hook(self, hook: Callable[[], Any]) -> None:
        """Run ``hook()`` at ``stop()``, while the connections are still up (e.g. closing CP sessions)."""
        self._context.add_shutdown_hook(hook)

    # -- helpers ---------------------------------------------------------------------------

    def retry(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``func`` under a fresh copy of the client's ``command_retry`` policy."""
        return self._retry.copy()(func, *args, **kwargs)

    # -- data structures ----------------------------------------------------------------

    def get_map(self, name: str) -> Map:
        """The distributed map ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(map_class_for(self.config, name), name)

    def get_queue(self, name: str) -> Queue:
        """The distributed queue ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(Queue, name)

    def get_ringbuffer(self, name: str) -> Ringbuffer:
        """The distributed ringbuffer ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(Ringbuffer, name)

    def get_topic(self, name: str) -> Topic:
        """The distributed topic ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(Topic, name)

    def get_reliable_topic(self, name: str) -> ReliableTopic:
        """The reliable topic ``name``, kept in the ringbuffer ``"_hz_rb_" + name`` (created on first use)."""
        return self._proxies.get_or_create(ReliableTopic, name)

    def get_pn_counter(self, name: str) -> PNCounter:
        """The CRDT PN counter ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(PNCounter, name)

    def get_flake_id_generator(self, name: str) -> FlakeIdGenerator:
        """The Flake ID generator ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(FlakeIdGenerator, name)

    def get_executor(self, name: str) -> Executor:
        """The executor service ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(Executor, name)

    def get_set(self, name: str) -> set_proxy.Set:
        """The distributed set ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(set_proxy.Set, name)

    def get_list(self, name: str) -> list_proxy.List:
        """The distributed list ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(list_proxy.List, name)

    def get_replicated_map(self, name: str) -> ReplicatedMap:
        """The replicated map ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(ReplicatedMap, name)

    def get_distributed_objects(self) -> list[Proxy]:
        """A proxy for every distributed object on the cluster (see :mod:`hzgreen.proxy.distributed_objects`)."""
        return distributed_objects.get_distributed_objects(self._context)

    def add_distributed_object_listener(self, listener_func: Callable[[DistributedObjectEvent], Any]) -> str:
        """Call ``listener_func(event)`` on the callback worker when an object is created or destroyed.

        Returns the registration id; see :func:`hzgreen.proxy.distributed_objects.add_distributed_object_listener`."""
        return distributed_objects.add_distributed_object_listener(self._context, listener_func)

    def remove_distributed_object_listener(self, registration_id: str) -> bool:
        """Stop a distributed object listener; returns False if the id is unknown."""
        return distributed_objects.remove_distributed_object_listener(self._context, registration_id)

    def get_multi_map(self, name: str) -> MultiMap:
        """The distributed multimap ``name`` (created on the cluster on first use)."""
        return self._proxies.get_or_create(MultiMap, name)

    def new_transaction(self, timeout: float = 120, durability: int = 1, type: int = TWO_PHASE) -> Transaction:
        """Returns a new, not yet begun :class:`~hzgreen.transaction.Transaction` (see :mod:`hzgreen.transaction`).

        ``timeout`` (seconds) bounds its life, ``durability`` is how many members keep a copy of
        its log, ``type`` is TWO_PHASE or ONE_PHASE. Raises TypeError/ValueError naming a bad argument."""
        return Transaction(self._context, timeout, durability, type)

    @property
    def sql(self) -> SqlService:
        """The SQL service: ``client.sql.execute("SELECT ...")`` (see :mod:`hzgreen.sql`)."""
        return self._sql

    @property
    def cp(self) -> "CPSubsystem":
        """The CP subsystem: ``client.cp.get_lock(name)``, ``get_atomic_long``, ... (created on first use).

        Raises ClientNotActiveError once the client was closed."""
        context = self._context
        if context.cp is None:
            from hzgreen.cp.subsystem import CPSubsystem

            with self._lifecycle_lock:
                if self._closed:
                    raise ClientNotActiveError("the client was closed; create a new one")
                if context.cp is None:
                    context.cp = CPSubsystem(context)
        return context.cp
