"""``hazelcast.client`` for hzgreen: HazelcastClient, the official client's API over :class:`hzgreen.HzClient`.

A thin layer: every call goes to the native client and its proxies; data-structure
methods return :class:`~hzgreen.compat.future.Future` objects built from the native
``_async`` twins, and ``blocking()`` returns the native proxy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, TypeVar, cast

from hzgreen.client import HzClient
from hzgreen.compat.config import Config
from hzgreen.compat.cp import CPSubsystem
from hzgreen.compat.future import Future
from hzgreen.compat.lifecycle import LifecycleService
from hzgreen.compat.proxy.base import Proxy
from hzgreen.exceptions import HzTimeoutError
from hzgreen.server_errors import IllegalStateError, InvalidConfigurationError
from hzgreen.transaction import TWO_PHASE

if TYPE_CHECKING:
    import uuid

    from hzgreen.handler_types import Handler
    from hzgreen.proxy.distributed_objects import DistributedObjectEvent
    from hzgreen.runtime.cluster import ClusterService
    from hzgreen.sql.service import SqlService
    from hzgreen.transaction import Transaction

__all__ = ["HazelcastClient", "PartitionService"]

T = TypeVar("T")


class PartitionService:
    """``client.partition_service``: partition count, a key's partition and a partition's owner."""

    def __init__(self, client: HzClient) -> None:
        self._client = client

    def get_partition_count(self) -> int:
        """Returns the cluster's partition count (0 before the first partition table arrived)."""
        return self._client.partitions.partition_count

    def get_partition_id(self, key: Any) -> int:
        """Returns the partition ``key`` belongs to.

        Raises the serialization error of ``key``, or IllegalStateError (a subclass of
        hzgreen's error) when the partition count is not known yet.
        """
        partitions = self._client.partitions
        if partitions.partition_count == 0:
            raise IllegalStateError("Partition count cannot be 0 before the client is connected")
        data = self._client.serialization.to_data(key)
        return partitions.partition_id_of(cast(bytes, data))

    def get_partition_owner(self, partition_id: int) -> "Optional[uuid.UUID]":
        """Returns the uuid of the member owning ``partition_id``, or None when unknown."""
        return self._client.partitions.owner_of(partition_id)


class HazelcastClient:
    """A client with the official ``hazelcast.HazelcastClient`` API; it connects in its constructor.

    Configure it with the official keyword options or a :class:`~hzgreen.compat.config.Config`
    (not both), plus hzgreen's ``handler`` keyword (e.g. ``SequentialGeventHandler()`` for a
    client cooperative under gevent without monkey-patching) and hzgreen's own options.

    Raises InvalidConfigurationError for a Config given with keyword options or an unknown
    option, TypeError/ValueError naming a bad option value, IllegalStateError (its cause
    the native HzTimeoutError) when no member was reached within ``cluster_connect_timeout``,
    as the official client does, and otherwise what :meth:`hzgreen.HzClient.start` raises.
    """

    def __init__(self, config: Optional[Config] = None, *, handler: Any = None, **kwargs: Any) -> None:
        if config is not None:
            if kwargs:
                raise InvalidConfigurationError(
                    "Ambiguous client configuration is found. Either provide the config object as "
                    "the only parameter, or do not pass it and use keyword arguments to configure the client."
                )
        else:
            config = Config.from_dict(kwargs)
        self.config = config
        self._native = HzClient(handler=handler, **config.client_options())
        self._handler: "Handler" = self._native.handler
        self._lifecycle = LifecycleService(self._native)
        self._partition_service = PartitionService(self._native)
        self._cp_subsystem: Optional[CPSubsystem] = None
        self._sql: Optional[Proxy[SqlService]] = None
        try:
            self._native.start(timeout=None)
        except HzTimeoutError as error:  # cluster_connect_timeout ran out
            self._native.close()
            raise IllegalStateError("Unable to connect to any cluster: %s" % error) from error
        except BaseException:
            self._native.close()
            raise
        self._lifecycle._set_running(True)

    @property
    def native(self) -> HzClient:
        """The :class:`hzgreen.HzClient` underneath, for hzgreen's own API (state, recipes, retry)."""
        return self._native

    @property
    def name(self) -> str:
        """The client's name (``client_name``, or the one hzgreen made up)."""
        return self._native.config.client_name

    @property
    def lifecycle_service(self) -> LifecycleService:
        """The lifecycle service: ``is_running``, ``add_listener``, ``remove_listener``."""
        return self._lifecycle

    @property
    def cluster_service(self) -> "ClusterService":
        """The cluster service: ``get_members``, ``add_listener``, ``remove_listener``."""
        return self._native.cluster_service

    @property
    def partition_service(self) -> PartitionService:
        """The partition service: ``get_partition_count``, ``get_partition_id``, ``get_partition_owner``."""
        return self._partition_service

    @property
    def cp_subsystem(self) -> CPSubsystem:
        """The CP subsystem, whose ``get_*`` return future-returning CP proxies."""
        if self._cp_subsystem is None:
            self._cp_subsystem = CPSubsystem(self._native.cp, self._handler)
        return self._cp_subsystem

    @property
    def sql(self) -> "Proxy[SqlService]":
        """The SQL service: ``execute(...)`` and ``execute_statement(...)`` return a Future of the SqlResult."""
        if self._sql is None:
            self._sql = Proxy(self._native.sql, self._handler)
        return self._sql

    # -- data structures ----------------------------------------------------------------

    def _wrap(self, native: T) -> Proxy[T]:
        return Proxy(native, self._handler)

    def get_executor(self, name: str) -> Proxy[Any]:
        """Returns the executor service ``name``, its methods returning futures."""
        return self._wrap(self._native.get_executor(name))

    def get_flake_id_generator(self, name: str) -> Proxy[Any]:
        """Returns the Flake ID generator ``name``, its methods returning futures."""
        return self._wrap(self._native.get_flake_id_generator(name))

    def get_queue(self, name: str) -> Proxy[Any]:
        """Returns the queue ``name``, its methods returning futures."""
        return self._wrap(self._native.get_queue(name))

    def get_list(self, name: str) -> Proxy[Any]:
        """Returns the list ``name``, its methods returning futures."""
        return self._wrap(self._native.get_list(name))

    def get_map(self, name: str) -> Proxy[Any]:
        """Returns the map ``name``, its methods returning futures; ``blocking()`` gives the native map."""
        return self._wrap(self._native.get_map(name))

    def get_multi_map(self, name: str) -> Proxy[Any]:
        """Returns the multimap ``name``, its methods returning futures."""
        return self._wrap(self._native.get_multi_map(name))

    def get_pn_counter(self, name: str) -> Proxy[Any]:
        """Returns the PN counter ``name``, its methods returning futures."""
        return self._wrap(self._native.get_pn_counter(name))

    def get_reliable_topic(self, name: str) -> Proxy[Any]:
        """Returns the reliable topic ``name``, its methods returning futures."""
        return self._wrap(self._native.get_reliable_topic(name))

    def get_replicated_map(self, name: str) -> Proxy[Any]:
        """Returns the replicated map ``name``, its methods returning futures."""
        return self._wrap(self._native.get_replicated_map(name))

    def get_ringbuffer(self, name: str) -> Proxy[Any]:
        """Returns the ringbuffer ``name``, its methods returning futures."""
        return self._wrap(self._native.get_ringbuffer(name))

    def get_set(self, name: str) -> Proxy[Any]:
        """Returns the set ``name``, its methods returning futures."""
        return self._wrap(self._native.get_set(name))

    def get_topic(self, name: str) -> Proxy[Any]:
        """Returns the topic ``name``, its methods returning futures."""
        return self._wrap(self._native.get_topic(name))

    def new_transaction(self, timeout: float = 120, durability: int = 1, type: int = TWO_PHASE) -> "Transaction":
        """Returns a new, not yet begun transaction (hzgreen's own; its proxies' methods wait for the answer).

        Raises TypeError/ValueError naming a bad argument.
        """
        return self._native.new_transaction(timeout, durability, type)

    # -- distributed objects --------------------------------------------------------------

    def _resolved(self, func: Callable[..., T], *args: Any) -> Future[T]:
        """Returns a future holding what ``func(*args)`` returned or raised."""
        future: Future[T] = Future(handler=self._handler)
        try:
            future.set_result(func(*args))
        except Exception as error:
            future.set_exception(error)
        return future

    def get_distributed_objects(self) -> Future[List[Proxy[Any]]]:
        """Returns a future of a proxy for every distributed object on the cluster."""

        def fetch() -> List[Proxy[Any]]:
            return [self._wrap(native) for native in self._native.get_distributed_objects()]

        return self._resolved(fetch)

    def add_distributed_object_listener(self, listener_func: Callable[["DistributedObjectEvent"], Any]) -> Future[str]:
        """Returns a future of the registration id; ``listener_func(event)`` runs for every creation and destruction."""
        return self._resolved(self._native.add_distributed_object_listener, listener_func)

    def remove_distributed_object_listener(self, registration_id: str) -> Future[bool]:
        """Returns a future of whether the listener ``registration_id`` was registered."""
        return self._resolved(self._native.remove_distributed_object_listener, registration_id)

    # -- lifecycle ------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Disconnect and free the client (idempotent); it cannot be used afterwards."""
        self._lifecycle._set_running(False)
        self._native.close()

    def __repr__(self) -> str:
        return "HazelcastClient(name=%r, state=%s)" % (self.name, self._native.state)
