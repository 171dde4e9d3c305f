"""Real Hazelcast members on loopback, for tests, examples and demos.

>>> from hzgreen.testing import Cluster
>>> with Cluster(members=3, cp_members=3) as cluster:     # doctest: +SKIP
...     client = HzClient(cluster_members=cluster.addresses,
...                       cluster_name=cluster.cluster_name)
...     cluster.kill(0)
...     cluster.restart(0)

Members are started one after the other, each waiting for its ``is STARTED``
log line, so they form one cluster; with ``cp_members`` >= 3, :meth:`Cluster.start`
also waits until every CP member logs ``CP Subsystem is initialized``.
Ports are chosen at construction and kept for the cluster's life, so a
restarted member comes back at the same address.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import uuid
from typing import Dict, List, Mapping, Optional, Sequence, Union

from hzgreen.testing import rest
from hzgreen.testing.config import member_config_xml
from hzgreen.testing.jar import ensure_member_jar, ensure_sql_jar
from hzgreen.testing.member import (
    CP_READY_LINE,
    STARTED_LINE,
    ClusterError,
    Member,
    java_executable,
)
from hzgreen.testing.process import PortReservation, reserve_ports, signal_member
from hzgreen.testing.tls import ClusterTls, TlsSettings

__all__ = [
    "CP_READY_LINE",
    "DEFAULT_JVM_FLAGS",
    "ClusterError",
    "Cluster",
    "Member",
    "STARTED_LINE",
    "java_executable",
]

MAIN_CLASS = "com.hazelcast.core.server.HazelcastMemberStarter"

#: Module access Hazelcast asks for on Java 9+ (without them it logs a warning
#: and falls back to slower code paths).
MODULE_FLAGS = (
    "--add-modules",
    "java.se",
    "--add-exports",
    "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens",
    "java.base/java.lang=ALL-UNNAMED",
    "--add-opens",
    "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens",
    "java.management/sun.management=ALL-UNNAMED",
    "--add-opens",
    "jdk.management/com.sun.management.internal=ALL-UNNAMED",
)

#: JVM flags for a quick start on small machines (C1 only, serial GC).  Pass
#: ``jvm_flags=()`` for long benchmarks, where the C2 compiler pays off.
DEFAULT_JVM_FLAGS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")

#: One line per log record: "HH:MM:SS.mmm LEVEL logger message".
_LOG_FORMAT = "%1$tT.%1$tL %4$s %3$s %5$s%6$s%n"


def _raft_node_created(log: str, group_name: str) -> bool:
    marker = "RaftNode[CPGroupId{name='%s'," % group_name
    return any(marker in line and "is created with" in line for line in log.splitlines())


class Cluster:
    """A cluster of real Hazelcast members on loopback.

    ``cp_members`` 0 leaves the CP subsystem in unsafe mode (CP data
    structures work on any number of members, without Raft); 3 or more
    enables Raft with that many CP members (the first ``cp_members`` members).
    ``properties`` adds or overrides member properties; ``extra_config_xml``
    appends top-level elements to the generated configuration.

    User Java classes (serializers, entry processors, comparators, ...): ``java_sources``
    lists ``.java`` files or folders, compiled with ``javac`` against the member jar
    (cached, see :mod:`hzgreen.testing.java`) and put on the members' classpath;
    ``data_serializable_factories`` and ``portable_factories`` map factory ids to the
    Java factory classes the members register::

        Cluster(java_sources=["tests/java"],
                data_serializable_factories={1: "hzgreen.interop.InteropDataSerializableFactory"},
                portable_factories={2: "hzgreen.interop.InteropPortableFactory"})

    ``tls`` (True or a :class:`~hzgreen.testing.tls.TlsSettings`) puts a TLS front before
    each member's client endpoint and makes the members advertise the fronts: connect with
    ``cluster.tls.addresses`` and ``**cluster.tls.client_options()`` (see
    :mod:`hzgreen.testing.tls`). Such members have no REST endpoint.

    ``ports`` fixes the members' ports (one each, not locked against other runs) instead
    of reserving free ones.
    """

    def __init__(
        self,
        members: int = 1,
        cp_members: int = 0,
        cluster_name: Optional[str] = None,
        cp_session_ttl_seconds: int = 10,
        cp_session_heartbeat_seconds: int = 1,
        heap: str = "512m",
        java_opts: Sequence[str] = (),
        jvm_flags: Sequence[str] = DEFAULT_JVM_FLAGS,
        classpath: Sequence[str] = (),
        extra_config_xml: str = "",
        startup_timeout: float = 120,
        properties: Optional[Mapping[str, object]] = None,
        missing_cp_member_auto_removal_seconds: Optional[int] = None,
        jar: Optional[str] = None,
        host: str = "127.0.0.1",
        workdir: Optional[str] = None,
        keep_workdir: Optional[bool] = None,
        die_with_parent: bool = True,
        java_sources: Sequence[str] = (),
        data_serializable_factories: Optional[Mapping[int, str]] = None,
        portable_factories: Optional[Mapping[int, str]] = None,
        tls: Union[bool, TlsSettings, None] = None,
        ports: Optional[Sequence[int]] = None,
    ) -> None:
        if members < 1:
            raise ValueError("members must be >= 1, got %r" % (members,))
        if cp_members and not 3 <= cp_members <= members:
            raise ValueError("cp_members must be 0 or between 3 and members (%d), got %r" % (members, cp_members))
        if ports is not None and len(ports) != members:
            raise ValueError("ports must give one port per member (%d), got %r" % (members, list(ports)))
        self.size = members
        self.cp_members = cp_members
        self.cluster_name = cluster_name or "hzgreen-" + uuid.uuid4().hex[:12]
        self.cp_session_ttl_seconds = cp_session_ttl_seconds
        self.cp_session_heartbeat_seconds = cp_session_heartbeat_seconds
        self.missing_cp_member_auto_removal_seconds = missing_cp_member_auto_removal_seconds
        self.heap = heap
        self.java_opts = list(java_opts)
        self.jvm_flags = list(jvm_flags)
        self.classpath = list(classpath)
        self.java_sources = [os.fspath(p) for p in java_sources]
        self.data_serializable_factories = dict(data_serializable_factories or {})
        self.portable_factories = dict(portable_factories or {})
        self._java_classes: Optional[str] = None
        self.extra_config_xml = extra_config_xml
        self.startup_timeout = startup_timeout
        self.properties = dict(properties or {})
        self.host = host
        self.die_with_parent = die_with_parent
        self._jar = jar
        if keep_workdir is None:
            keep_workdir = bool(os.environ.get("HZGREEN_KEEP_LOGS"))
        self.keep_workdir = keep_workdir
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="hzgreen-%s-" % self.cluster_name)
        os.makedirs(self.workdir, exist_ok=True)
        if ports is not None:
            self._ports = PortReservation(list(ports), [])
        else:
            self._ports = reserve_ports(members, host)
        self.members: List[Member] = [Member(self, i, port) for i, port in enumerate(self._ports.ports)]
        self.tls: Optional[ClusterTls] = None
        if tls:
            self._client_ports = reserve_ports(members, host)
            settings = tls if isinstance(tls, TlsSettings) else TlsSettings()
            self.tls = ClusterTls(settings, os.path.join(self.workdir, "tls"), host, self._client_ports.ports)
        self.closed = False
        # The last whole-cluster start and how long it took (seconds).
        self.last_start_seconds: Optional[float] = None

    def __repr__(self) -> str:
        return "<Cluster %s %s>" % (self.cluster_name, " ".join(m.state for m in self.members))

    # --- addresses -----------------------------------------------------------

    @property
    def addresses(self) -> List[str]:
        """Every member's "127.0.0.1:port", running or not."""
        return [m.address for m in self.members]

    @property
    def running_addresses(self) -> List[str]:
        """Returns the ``host:port`` addresses of the members whose JVM is running (paused ones included).
        Raises nothing."""
        return [m.address for m in self.members if m.is_running]

    def address(self, i: int) -> str:
        """Returns the ``host:port`` address of member ``i``. Raises IndexError for a bad ``i``."""
        return self.members[i].address

    def port(self, i: int) -> int:
        """Returns the port of member ``i``. Raises IndexError for a bad ``i``."""
        return self.members[i].port

    def pid(self, i: int) -> Optional[int]:
        """Returns the pid of member ``i``'s JVM, or None when it is not running. Raises IndexError for a
        bad ``i``."""
        return self.members[i].pid

    def log(self, i: int) -> str:
        """Returns the whole log of member ``i`` (every run of it). Raises IndexError for a bad ``i``."""
        return self.members[i].log()

    def member(self, i: int) -> Member:
        """Returns the :class:`Member` ``i`` (its process, address and controls). Raises IndexError for a
        bad ``i``."""
        return self.members[i]

    @property
    def jar(self) -> str:
        """Returns the path of the member jar, found or fetched with Maven on first use. Raises
        MemberJarError when it cannot be fetched."""
        if self._jar is None:
            self._jar = ensure_member_jar()
        return self._jar

    # --- configuration -------------------------------------------------------

    def java_classpath(self) -> List[str]:
        """The compiled ``java_sources`` folder (compiled on first use), as a classpath list."""
        if not self.java_sources:
            return []
        if self._java_classes is None:
            from hzgreen.testing.java import compile_java_sources

            self._java_classes = compile_java_sources(self.java_sources, self.jar)
        return [self._java_classes]

    def config_xml(self, i: int) -> str:
        """The XML configuration of member ``i``."""
        return member_config_xml(
            cluster_name=self.cluster_name,
            port=self.members[i].port,
            member_addresses=self.addresses,
            host=self.host,
            instance_name="%s-%d" % (self.cluster_name, i),
            cp_member_count=self.cp_members,
            session_ttl_seconds=self.cp_session_ttl_seconds,
            session_heartbeat_seconds=self.cp_session_heartbeat_seconds,
            missing_cp_member_auto_removal_seconds=self.missing_cp_member_auto_removal_seconds,
            properties=self.properties,
            extra_xml=self.extra_config_xml,
            data_serializable_factories=self.data_serializable_factories,
            portable_factories=self.portable_factories,
            client_endpoint=(None if self.tls is None else (self.tls.client_ports[i], self.tls.fronts[i].address)),
        )

    def java_command(self, i: int) -> List[str]:
        """The command line that starts member ``i``."""
        member = self.members[i]
        classpath = os.pathsep.join([self.jar, ensure_sql_jar()] + self.java_classpath() + self.classpath)
        return [
            java_executable(),
            "-Xms" + self.heap,
            "-Xmx" + self.heap,
            *self.jvm_flags,
            *MODULE_FLAGS,
            "-Djava.net.preferIPv4Stack=true",
            "-Djava.util.logging.SimpleFormatter.format=" + _LOG_FORMAT,
            "-Dhazelcast.local.localAddress=" + self.host,
            *self.java_opts,
            "-Dhazelcast.config=" + member.config_path,
            "-cp",
            classpath,
            MAIN_CLASS,
        ]

    # --- whole cluster -------------------------------------------------------

    def start(self, timeout: Optional[float] = None) -> "Cluster":
        """Start every member that is not running, one after the other.

        Each member must log STARTED before the next one starts; with Raft
        enabled, also wait until every CP member logs that the CP subsystem
        is initialized.  On failure the members started by this call are
        killed and :class:`ClusterError` carries the log tail.
        """
        self._check_open()
        timeout = self.startup_timeout if timeout is None else timeout
        began = time.monotonic()
        deadline = began + timeout
        fresh = [m for m in self.members if not m.is_running]
        whole = len(fresh) == len(self.members)
        try:
            for member in fresh:
                member.start(wait=True, timeout=max(0.1, deadline - time.monotonic()))
            if self.cp_members and whole:
                for member in self.members[: self.cp_members]:
                    member.wait_for_log(CP_READY_LINE, max(0.1, deadline - time.monotonic()))
            elif self.cp_members:
                for member in fresh:
                    if member.index < self.cp_members:
                        self.promote_to_cp(member.index, max(0.1, deadline - time.monotonic()))
        except BaseException:
            for member in fresh:
                member.kill()
            raise
        for member in self.members:
            if member.paused:
                member.resume()
        if whole:
            self.last_start_seconds = time.monotonic() - began
        return self

    def stop(self, grace: float = 10.0) -> None:
        """Stop every member (SIGTERM, then SIGKILL after ``grace`` s). Idempotent."""
        for member in self.members:
            process = member.process
            if process is not None and member.is_running:
                if member.paused:
                    member.resume()
                signal_member(process, signal.SIGTERM)
        for member in self.members:
            member._finish(grace)

    def kill_all(self) -> None:
        """SIGKILLs every member's JVM (a crash: no shutdown hook); returns None. Members not running are
        skipped."""
        for member in self.members:
            member.kill()

    def restart_all(self, timeout: Optional[float] = None) -> "Cluster":
        """Stop the whole cluster and start it again: same ports, new cluster id."""
        self.stop()
        return self.start(timeout)

    def ensure_running(self, timeout: Optional[float] = None) -> "Cluster":
        """Resume paused members and start stopped ones, then :meth:`wait_safe`; returns self.

        Killing a member while the partitions still migrate after the previous restart
        can leave a Hazelcast 5.4 cluster stuck (a member retrying its partition-table
        recovery for ever), so a test that kills members starts from a safe cluster.
        """
        if not all(m.is_running and not m.paused for m in self.members):
            self.start(timeout)
        return self.wait_safe(timeout) if self.size > 1 else self

    def wait_safe(self, timeout: Optional[float] = None) -> "Cluster":
        """Wait until every running member reports the cluster safe (its health endpoint):
        all running members joined, no migration queued, every backup in sync. Returns self.

        Raises ClusterError with the members' last reports when that takes longer than
        ``timeout`` (default: ``startup_timeout``).
        """
        timeout = self.startup_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            running = [m for m in self.members if m.is_running]
            reports: Dict[str, object] = {}
            for member in running:
                if member.paused:
                    reports[member.address] = "paused"
                    continue
                try:
                    report = rest.health(member.address)
                except (OSError, ValueError, rest.RestError) as exc:
                    reports[member.address] = "no report: %s" % exc
                    continue
                reports[member.address] = report
            if all(_is_safe(report, len(running)) for report in reports.values()):
                return self
            if time.monotonic() >= deadline:
                raise ClusterError("the cluster was not safe within %.0fs; last reports: %s" % (timeout, reports))
            time.sleep(0.1)

    def close(self) -> None:
        """Stop the members, release the ports and remove the work folder."""
        if self.closed:
            return
        try:
            self.stop()
        finally:
            self.closed = True
            self._ports.release()
            if self.tls is not None:
                self.tls.close()
                self._client_ports.release()
            if self._own_workdir and not self.keep_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self.closed:
            raise ClusterError("cluster %s is closed" % self.cluster_name)

    # --- single members ------------------------------------------------------

    def start_member(self, i: int, timeout: Optional[float] = None, promote: Optional[bool] = None) -> Member:
        """Start member ``i`` (same port as before) and wait until STARTED.

        In a Raft cluster, a member started again comes back with a new
        identity, as an AP member.  With ``promote`` (the default for the
        first ``cp_members`` members of a Raft cluster) it is then made a CP
        member again, replacing its old identity: see :meth:`promote_to_cp`.
        """
        self._check_open()
        member = self.members[i]
        was_running = member.is_running
        member.start(wait=True, timeout=timeout)
        if promote is None:
            promote = bool(self.cp_members) and i < self.cp_members and not was_running
        if promote:
            self.promote_to_cp(i, timeout)
        return member

    def promote_to_cp(self, i: int, timeout: Optional[float] = None) -> None:
        """Make running member ``i`` a CP member (Raft clusters only).

        First removes, through a live peer, any CP identity left at member
        ``i``'s address by its previous run (without that, Hazelcast refuses
        the promotion), then promotes it and waits until it is in the
        METADATA group.  Needs a CP majority among the other members.
        """
        if not self.cp_members:
            raise ClusterError("promote_to_cp needs a cluster with cp_members >= 3")
        timeout = self.startup_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        member = self.members[i]
        my_address = "[%s]:%d" % (member.host, member.port)
        last_error: Optional[BaseException] = None
        while True:
            try:
                if self._promotion_done(member, my_address):
                    return
            except (OSError, ValueError, rest.RestError) as exc:
                last_error = exc
            if time.monotonic() >= deadline:
                raise ClusterError(
                    "member %d (%s) could not be made a CP member within %.0fs (last error: %s); "
                    "a CP majority must be up. Log tail:\n%s"
                    % (i, member.address, timeout, last_error, member.log_tail())
                )
            time.sleep(0.2)

    def _promotion_done(self, member: Member, my_address: str) -> bool:
        """One step of :meth:`promote_to_cp`; True once the member has caught up.

        Caught up means: the member applied its own addition to the CP member
        list (so its METADATA Raft node exists and follows the leader), and it
        has a Raft node for every other CP group, all of which list it.
        """
        if not member.is_running:
            raise ClusterError("member %d is not running" % member.index)
        peers = [m for m in self.members if m is not member and m.is_running and not m.paused]
        if not peers:
            raise ClusterError("no live peer to promote member %d through" % member.index)
        peer = peers[0].address
        mine = rest.local_cp_member(member.address)
        if mine is None:
            for stale in rest.cp_members(peer):
                if stale.get("address") == my_address:
                    rest.remove_cp_member(peer, stale["uuid"], self.cluster_name)
            rest.promote_local_member(member.address, self.cluster_name)
            mine = rest.local_cp_member(member.address)
            if mine is None:
                return False
        log = member.current_log()
        if "Added new CPMember{uuid=%s" % mine["uuid"] not in log:
            return False
        for group_id in rest.cp_groups(peer):
            name = group_id["name"]
            group = rest.cp_group(peer, name)
            if not any(m.get("uuid") == mine["uuid"] for m in group.get("members", ())):
                return False
            if name != "METADATA" and not _raft_node_created(log, name):
                return False
        return True

    def restart(self, i: int, timeout: Optional[float] = None, promote: Optional[bool] = None) -> Member:
        """Stop member ``i`` if it runs (gracefully), start it again, wait STARTED.

        In a Raft cluster the restarted member has a new identity; by default
        it is made a CP member again (see :meth:`start_member`).
        """
        self.members[i].stop()
        return self.start_member(i, timeout, promote)

    def kill(self, i: int) -> None:
        """SIGKILLs member ``i``'s JVM (a crash: connections reset); returns None. Raises IndexError for a
        bad ``i``."""
        self.members[i].kill()

    def pause(self, i: int) -> None:
        """SIGSTOPs member ``i``'s JVM: it stops answering, its sockets stay open; returns None. Raises
        IndexError for a bad ``i``, ClusterError when it is not running."""
        self.members[i].pause()

    def resume(self, i: int) -> None:
        """SIGCONTs a paused member ``i``; returns None. Raises IndexError for a bad ``i``, ClusterError
        when it is not running."""
        self.members[i].resume()

    def logs(self) -> Dict[str, str]:
        """Every member's log tail keyed by "member <i> <address>" (for reports)."""
        return {"member %d %s" % (m.index, m.address): m.log_tail() for m in self.members}


def _is_safe(report: object, size: int) -> bool:
    """True for a member health report of a safe cluster of ``size`` members."""
    return (
        isinstance(report, dict)
        and report.get("clusterSafe") is True
        and report.get("migrationQueueSize") == 0
        and report.get("clusterSize") == size
    )
