"""Client statistics sent to the cluster (``statistics_enabled``, ``statistics_period``).

Every ``statistics_period`` seconds a client with ``statistics_enabled`` sends
``Client.statistics`` on one of its connections: a ``name=value`` list joined by commas,
with the official client's metric names (``lastStatisticsCollectionTime``,
``enterprise``, ``clientType``, ``clientVersion``, ``clusterConnectionTimestamp``,
``clientAddress``, ``clientName``, ``os.*`` and ``runtime.*`` gauges, and for each near
cache ``nc.<map name>.hits``, ``misses``, ``evictions``, ...). The member keeps the last
list per client and shows it to Management Center.

The same gauges and near cache metrics also travel as the request's compressed metrics
blob (:mod:`hzgreen.runtime.metrics_blob`), as the official clients send them: the
``os.*`` / ``runtime.*`` gauges with prefix ``os`` / ``runtime`` and no unit
(``systemLoadAverage`` a double, the rest longs), and per near cache the prefix
``nearcache`` with discriminator ``name`` = the map name (unescaped), ``creationTime``
in ms, ``ownedEntryMemoryCost`` in bytes, the other counters as counts.

Names in a metric key escape ``\\``, ``,``, ``.`` and ``=`` with a backslash (a leading
``/`` of a name is dropped), as the official clients do; text values escape ``\\``, ``,``
and ``=``.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from hzgreen import __version__
from hzgreen.protocol.codecs.client import encode_statistics_request
from hzgreen.runtime.handshake import CLIENT_TYPE
from hzgreen.runtime.invocation import Invocation
from hzgreen.runtime.metrics_blob import MetricDescriptor, MetricsBlobWriter, ProbeUnit

try:
    import resource
except ImportError:  # not on every platform
    resource = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from hzgreen.handler_types import TimerHandle
    from hzgreen.near_cache.stats import NearCacheStats
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext

__all__ = [
    "NEAR_CACHE_METRICS",
    "StatisticsService",
    "add_near_cache_blob",
    "add_system_blob",
    "escape_name",
    "escape_value",
    "format_metrics",
]

log = logging.getLogger("hzgreen.runtime.statistics")

#: ``(official metric name, NearCacheStats attribute)`` of each near cache metric.
NEAR_CACHE_METRICS: Tuple[Tuple[str, str], ...] = (
    ("creationTime", "creation_time"),
    ("evictions", "evictions"),
    ("hits", "hits"),
    ("misses", "misses"),
    ("ownedEntryCount", "owned_entry_count"),
    ("expirations", "expirations"),
    ("invalidations", "invalidations"),
    ("invalidationRequests", "invalidation_requests"),
    ("ownedEntryMemoryCost", "owned_entry_memory_cost"),
)

Metric = Tuple[str, Union[str, int, float]]

#: Descriptor prefix and discriminator of the near cache metrics in the blob.
NEAR_CACHE_BLOB_PREFIX = "nearcache"
NEAR_CACHE_BLOB_DISCRIMINATOR = "name"
_NEAR_CACHE_UNITS = {"creationTime": ProbeUnit.MS, "ownedEntryMemoryCost": ProbeUnit.BYTES}


def escape_name(name: str) -> str:
    """``name`` as it may appear inside a metric key: ``\\``, ``,``, ``.`` and ``=`` escaped
    with a backslash, a leading ``/`` dropped; returns it."""
    if name.startswith("/"):
        name = name[1:]
    return name.replace("\\", "\\\\").replace(",", "\\,").replace(".", "\\.").replace("=", "\\=")


def escape_value(value: str) -> str:
    """``value`` as it may appear after ``=``: ``\\``, ``,`` and ``=`` escaped with a backslash; returns it."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def format_metrics(metrics: List[Metric]) -> str:
    """The ``name=value,name=value`` text of ``metrics`` (values as ``str`` gives them); returns it."""
    return ",".join("%s=%s" % (name, value) for name, value in metrics)


def near_cache_metrics(map_name: str, stats: "NearCacheStats") -> List[Metric]:
    """The ``nc.<map>.<metric>`` entries of one near cache (``creationTime`` in epoch ms); returns them."""
    prefix = "nc.%s." % escape_name(map_name)
    metrics: List[Metric] = []
    for metric, attribute in NEAR_CACHE_METRICS:
        value = getattr(stats, attribute)
        if attribute == "creation_time":
            value = int(value * 1000)
        metrics.append((prefix + metric, value))
    return metrics


def add_near_cache_blob(writer: MetricsBlobWriter, entries: List[Metric], map_name: str) -> None:
    """Add the ``nc.<map>.<metric>`` ``entries`` of one near cache to ``writer`` as
    ``nearcache[name=<map_name>].<metric>`` longs; returns None."""
    for key, value in entries:
        metric = key.rsplit(".", 1)[1]
        descriptor = MetricDescriptor(
            metric,
            prefix=NEAR_CACHE_BLOB_PREFIX,
            discriminator=NEAR_CACHE_BLOB_DISCRIMINATOR,
            discriminator_value=map_name,
            unit=_NEAR_CACHE_UNITS.get(metric, ProbeUnit.COUNT),
        )
        writer.add_long(descriptor, int(value))


def add_system_blob(writer: MetricsBlobWriter, entries: List[Metric]) -> None:
    """Add the ``os.*`` / ``runtime.*`` gauges ``entries`` to ``writer`` (prefix before the
    last dot, no unit; floats as doubles, the rest as longs); returns None."""
    for key, value in entries:
        prefix, metric = key.rsplit(".", 1)
        if isinstance(value, float):
            writer.add_double(MetricDescriptor(metric, prefix=prefix), value)
        else:
            writer.add_long(MetricDescriptor(metric, prefix=prefix), int(value))


def system_metrics(started: float) -> List[Metric]:
    """The ``os.*`` and ``runtime.*`` gauges this platform can give (those it cannot are left
    out); ``started`` is the client's creation time (``time.time()``). Returns them."""
    metrics: List[Metric] = []
    try:
        metrics.append(("os.systemLoadAverage", os.getloadavg()[0]))
    except (AttributeError, OSError):
        pass
    metrics.append(("runtime.availableProcessors", os.cpu_count() or 1))
    times = os.times()
    metrics.append(("os.processCpuTime", int((times.user + times.system) * 1e9)))
    metrics.append(("runtime.uptime", int((time.time() - started) * 1000)))
    try:
        page = os.sysconf("SC_PAGE_SIZE")
        metrics.append(("os.totalPhysicalMemorySize", os.sysconf("SC_PHYS_PAGES") * page))
        metrics.append(("os.freePhysicalMemorySize", os.sysconf("SC_AVPHYS_PAGES") * page))
        with open("/proc/self/statm", "rb") as statm:
            fields = statm.read().split()
        metrics.append(("os.committedVirtualMemorySize", int(fields[0]) * page))
        metrics.append(("runtime.usedMemory", int(fields[1]) * page))
        metrics.append(("os.openFileDescriptorCount", len(os.listdir("/proc/self/fd"))))
    except (AttributeError, OSError, ValueError, IndexError):
        pass
    if resource is not None:
        try:
            metrics.append(("os.maxFileDescriptorCount", resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        except (OSError, ValueError):
            pass
    return metrics


class StatisticsService:
    """Sends the client's statistics every ``statistics_period`` while it has a connection.

    Does nothing unless ``statistics_enabled``. The timer starts with the first usable
    connection and stops when the client stops (it starts again with the next connection).
    """

    def __init__(self, context: "RuntimeContext") -> None:
        options = context.config.operations
        self._context = context
        self._handler = context.handler
        self.enabled = options.statistics_enabled
        self.period = options.statistics_period
        self._client_name = context.config.client_name
        self._started = time.time()
        self._lock = self._handler.lock_object()
        self._timer: Optional["TimerHandle"] = None
        self._connected_at: Dict[int, int] = {}  # connection id -> epoch ms it became usable
        #: The attribute text of the last send (for logs and tests).
        self.last_sent: Optional[str] = None
        #: The compressed metrics blob of the last send (for logs and tests).
        self.last_blob: Optional[bytes] = None
        if self.enabled:
            context.connections.add_connection_listener(self)
            context.add_shutdown_hook(self.stop)

    # -- connection listener -------------------------------------------------------------

    def connection_added(self, connection: "Connection") -> None:
        """Remember when ``connection`` came up; start the timer if it is not running. Returns None."""
        self._connected_at[connection.connection_id] = int(time.time() * 1000)
        with self._lock:
            if self._timer is None:
                self._timer = self._handler.call_later(self.period, self._handler.spawn, self._run)

    def connection_removed(self, connection: "Connection") -> None:
        """Forget ``connection``; returns None."""
        self._connected_at.pop(connection.connection_id, None)

    def stop(self) -> None:
        """Stop sending (the client stops); returns None."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    # -- sending ---------------------------------------------------------------------------

    def _run(self) -> None:
        """Send once, then schedule the next send (a spawned task). Returns None."""
        try:
            self.send_now()
        except Exception:
            log.exception("could not send the client statistics")
        with self._lock:
            if self._timer is not None:
                self._timer = self._handler.call_later(self.period, self._handler.spawn, self._run)

    def send_now(self) -> Optional[Any]:
        """Collect the statistics and send them on one live connection; returns the async
        result of the request (None when there is no connection: nothing is sent)."""
        connections = self._context.connections.active_connections
        if not connections:
            return None
        connection = connections[0]
        now_ms = int(time.time() * 1000)
        writer = MetricsBlobWriter()
        text = format_metrics(self.collect(connection, now_ms, writer))
        blob = writer.blob()
        self.last_sent, self.last_blob = text, blob
        result: Any = self._handler.async_result()
        request = encode_statistics_request(now_ms, text, blob)
        self._context.invocations.invoke(Invocation(request, result, connection=connection))
        return result

    def collect(
        self, connection: "Connection", now_ms: int, writer: Optional[MetricsBlobWriter] = None
    ) -> List[Metric]:
        """The metrics sent on ``connection`` at ``now_ms`` (epoch ms); returns them in order.
        With a ``writer``, the near cache and system metrics are added to it too."""
        metrics: List[Metric] = [
            ("lastStatisticsCollectionTime", now_ms),
            ("enterprise", "false"),
            ("clientType", CLIENT_TYPE),
            ("clientVersion", __version__),
            ("clusterConnectionTimestamp", self._connected_at.get(connection.connection_id, now_ms)),
            ("clientAddress", _local_address(connection)),
            ("clientName", escape_value(self._client_name)),
        ]
        for proxy in self._context.proxies.proxies():
            stats = getattr(proxy, "get_near_cache_stats", None)
            if stats is not None:
                entries = near_cache_metrics(proxy.name, stats())
                metrics.extend(entries)
                if writer is not None:
                    try:
                        add_near_cache_blob(writer, entries, proxy.name)
                    except ValueError as error:  # a name too long for the blob's dictionary
                        log.debug("near cache %r left out of the metrics blob: %s", proxy.name, error)
        system = system_metrics(self._started)
        metrics.extend(system)
        if writer is not None:
            add_system_blob(writer, system)
        return metrics


def _local_address(connection: "Connection") -> str:
    """``"host:port"`` of the client's end of ``connection``; empty when the socket cannot tell."""
    getsockname = getattr(connection.sock, "getsockname", None)
    if getsockname is None:
        return ""
    try:
        host, port = getsockname()[:2]
    except (OSError, TypeError, ValueError):
        return ""
    return "%s:%d" % (host, port)
