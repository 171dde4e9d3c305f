"""``hzgreen member``: run local Hazelcast members in the foreground until Ctrl-C or SIGTERM.

The members are started by :class:`hzgreen.testing.Cluster` (the jar comes from Maven
Central on first use); the command prints the ``HzClient(...)`` line that connects to them.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any, List, Optional

from hzgreen.cli.errors import EXIT_OK, CliError, UsageError

#: Seconds between two checks that the members still run.
_WATCH_INTERVAL = 0.5


def register(commands: Any) -> None:
    """Add the ``member`` command to the ``commands`` sub-parsers; returns None."""
    from hzgreen.testing.jar import DEFAULT_HZ_VERSION

    parser = commands.add_parser(
        "member",
        help="run a local member (or a CP cluster) in the foreground",
        description="Start Hazelcast members on this machine and keep them running until Ctrl-C or "
        "SIGTERM, then stop them. Prints the HzClient(...) line that connects to them. Needs Java 17+ "
        "(and Maven the first time, to fetch the member jar).",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=5701,
        help="port of the first member; more members take the next ports (default %(default)s)",
    )
    parser.add_argument("--cluster-name", default="dev", help="cluster name (default %(default)s)")
    parser.add_argument(
        "--cp-members",
        type=_cp_members,
        default=0,
        metavar="N",
        help="0: one member, CP subsystem in unsafe mode (default); 3 to 7: that many members, all CP members (Raft)",
    )
    parser.add_argument(
        "--hz-version",
        default=os.environ.get("HZGREEN_HZ_VERSION") or DEFAULT_HZ_VERSION,
        metavar="VERSION",
        help="Hazelcast version of the members (env HZGREEN_HZ_VERSION; default %(default)s)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--heap", default="512m", help="heap per member (default %(default)s)")
    parser.set_defaults(run=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a port number, got %r" % text) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535, got %d" % port)
    return port


def _cp_members(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, got %r" % text) from None
    if count != 0 and not 3 <= count <= 7:
        raise argparse.ArgumentTypeError("expected 0 (unsafe mode) or 3 to 7, got %d" % count)
    return count


def client_line(addresses: List[str], cluster_name: str) -> str:
    """The Python expression that connects a client to ``addresses``; raises nothing."""
    return "HzClient(cluster_members=%r, cluster_name=%r)" % (list(addresses), cluster_name)


def _check_ports_free(host: str, ports: List[int]) -> None:
    import socket

    for port in ports:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError("cannot use port %d on %s: %s" % (port, host, error.strerror or error)) from None
        finally:
            probe.close()


def run(args: argparse.Namespace) -> int:
    """Start the members, print how to connect, wait for Ctrl-C/SIGTERM, stop them.

    Returns 0 after a requested stop and 1 when a member exits by itself. Raises UsageError
    when a port is taken and CliError when the members cannot start.
    """
    from hzgreen.testing.cluster import Cluster, ClusterError
    from hzgreen.testing.jar import MemberJarError

    size = max(1, args.cp_members)
    ports = [args.port + i for i in range(size)]
    if ports[-1] > 65535:
        raise UsageError("--port %d leaves no room for %d members" % (args.port, size))
    _check_ports_free(args.host, ports)
    # The SQL jar is looked up with the member version from the environment.
    os.environ["HZGREEN_HZ_VERSION"] = args.hz_version
    stop = threading.Event()
    started = threading.Event()
    previous = _install_signal_handlers(stop, started)
    cluster: Optional[Cluster] = None
    try:
        cluster = Cluster(
            members=size,
            cp_members=args.cp_members,
            cluster_name=args.cluster_name,
            heap=args.heap,
            host=args.host,
            ports=ports,
            cp_session_ttl_seconds=300,
            cp_session_heartbeat_seconds=5,
        )
        _say("starting %d member(s) of cluster %s (Hazelcast %s)" % (size, args.cluster_name, args.hz_version))
        cluster.start()
        started.set()
        _announce(cluster)
        while not stop.wait(_WATCH_INTERVAL):
            for member in cluster.members:
                if not member.is_running:
                    _say("member %d log tail:\n%s" % (member.index, member.log_tail()))
                    raise CliError("member %d exited (log tail above)" % member.index)
        _say("stopping")
        return EXIT_OK
    except (ClusterError, MemberJarError) as error:
        summary, _, detail = str(error).partition("\n")
        if detail:
            _say(detail)
        raise CliError(summary + (" (details above)" if detail else "")) from None
    except KeyboardInterrupt:
        _say("stopping")
        return EXIT_OK
    finally:
        try:
            if cluster is not None:
                cluster.close()
        finally:
            _restore_signal_handlers(previous)


def _announce(cluster: Any) -> None:
    for i, address in enumerate(cluster.addresses):
        print("member %d: %s (pid %s, log %s)" % (i, address, cluster.pid(i), cluster.members[i].log_path))
    print("connect with: " + client_line(cluster.addresses, cluster.cluster_name))
    print("or: export HZGREEN_MEMBERS=%s HZGREEN_CLUSTER=%s" % (",".join(cluster.addresses), cluster.cluster_name))
    print("press Ctrl-C to stop", flush=True)


def _say(message: str) -> None:
    print("hzgreen: " + message, file=sys.stderr, flush=True)


def _install_signal_handlers(stop: threading.Event, started: threading.Event) -> List[Any]:
    """SIGINT and SIGTERM set ``stop``; before ``started`` is set they also interrupt the start."""

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()
        if not started.is_set():
            raise KeyboardInterrupt(signum)

    previous = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous.append((signum, signal.signal(signum, on_signal)))
    return previous


def _restore_signal_handlers(previous: List[Any]) -> None:
    for signum, handler in previous:
        signal.signal(signum, handler)
