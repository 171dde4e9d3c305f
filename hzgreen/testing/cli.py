"""``python -m hzgreen.testing``: fetch the member jar, run members, run a command.

    python -m hzgreen.testing fetch
    python -m hzgreen.testing member [--members N] [--cp-members N] [--cluster-name X]
    python -m hzgreen.testing run [--members N] [--cp-members N] -- CMD ARGS...

``run`` starts a cluster, runs CMD with env ``HZGREEN_MEMBERS`` (comma-separated
addresses) and ``HZGREEN_CLUSTER_NAME`` and this Python's folder first on
PATH, stops the cluster and exits with CMD's exit status.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from typing import List, Optional, Tuple

from hzgreen.testing.cluster import Cluster, ClusterError
from hzgreen.testing.jar import MemberJarError, ensure_member_jar, ensure_sql_jar, hazelcast_version


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hzgreen.testing",
        description="Real Hazelcast members for hzgreen tests, examples and demos.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    fetch = commands.add_parser("fetch", help="fetch the member and SQL jars (with Maven), print their paths")
    fetch.add_argument("--hz-version", default=None, help="Hazelcast version (default: %s)" % hazelcast_version())

    member = commands.add_parser("member", help="run members in the foreground until Ctrl-C / SIGTERM")
    run = commands.add_parser("run", help="start members, run a command against them, stop them")
    for sub in (member, run):
        sub.add_argument("--members", type=int, default=1, help="number of members (default 1)")
        sub.add_argument("--cp-members", type=int, default=0, help="CP members: 0 = unsafe mode (default), >= 3 = Raft")
        sub.add_argument("--cluster-name", default=None, help="cluster name (default: random hzgreen-<hex>)")
        sub.add_argument("--heap", default="256m", help="heap per member (default 256m)")
        sub.add_argument("--keep-logs", action="store_true", help="keep the work folder with configs and logs")
        sub.add_argument(
            "--java-sources",
            action="append",
            default=[],
            metavar="PATH",
            help="compile these .java files/folders against the member jar and put them on the "
            "members' classpath (repeatable)",
        )
        sub.add_argument(
            "--data-serializable-factory",
            action="append",
            default=[],
            metavar="ID=CLASS",
            type=_factory,
            help="register a Java DataSerializableFactory on the members (repeatable)",
        )
        sub.add_argument(
            "--portable-factory",
            action="append",
            default=[],
            metavar="ID=CLASS",
            type=_factory,
            help="register a Java PortableFactory on the members (repeatable)",
        )
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- then the command and its arguments")
    return parser


def _factory(text: str) -> Tuple[int, str]:
    factory_id, _, class_name = text.partition("=")
    try:
        return int(factory_id), class_name.strip()
    except ValueError:
        raise argparse.ArgumentTypeError("expected FACTORY_ID=JAVA_CLASS, got %r" % text) from None


def _cluster(args: argparse.Namespace) -> Cluster:
    return Cluster(
        members=args.members,
        cp_members=args.cp_members,
        cluster_name=args.cluster_name,
        heap=args.heap,
        keep_workdir=True if args.keep_logs else None,
        java_sources=args.java_sources,
        data_serializable_factories=dict(args.data_serializable_factory),
        portable_factories=dict(args.portable_factory),
    )


def _say(message: str) -> None:
    print("hzgreen.testing: " + message, file=sys.stderr, flush=True)


class _Terminated(Exception):
    pass


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated(signum)


def _cmd_fetch(args: argparse.Namespace) -> int:
    print(ensure_member_jar(args.hz_version))
    print(ensure_sql_jar(args.hz_version))
    return 0


def _cmd_member(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _raise_terminated)
    cluster = _cluster(args)
    try:
        _say("starting %d member(s) of cluster %s in %s" % (args.members, cluster.cluster_name, cluster.workdir))
        cluster.start()
        print("cluster name: %s" % cluster.cluster_name)
        for i, address in enumerate(cluster.addresses):
            print("member %d: %s (pid %s, log %s)" % (i, address, cluster.pid(i), cluster.members[i].log_path))
        print("export HZGREEN_MEMBERS=%s HZGREEN_CLUSTER_NAME=%s" % (",".join(cluster.addresses), cluster.cluster_name))
        print("press Ctrl-C to stop", flush=True)
        while True:
            for member in cluster.members:
                if not member.is_running:
                    _say("member %d exited; log tail:\n%s" % (member.index, member.log_tail()))
                    return 1
            time.sleep(0.5)
    except (KeyboardInterrupt, _Terminated):
        _say("stopping")
        return 0
    finally:
        cluster.close()


def _cmd_run(args: argparse.Namespace) -> int:
    cmd: List[str] = list(args.cmd)
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    if not cmd:
        _say("run: no command given (use: run [options] -- CMD ARGS...)")
        return 2
    signal.signal(signal.SIGTERM, _raise_terminated)
    cluster = _cluster(args)
    child: Optional["subprocess.Popen[bytes]"] = None
    try:
        cluster.start()
        _say("cluster %s up at %s" % (cluster.cluster_name, ",".join(cluster.addresses)))
        env = dict(os.environ)
        env["HZGREEN_MEMBERS"] = ",".join(cluster.addresses)
        env["HZGREEN_CLUSTER_NAME"] = cluster.cluster_name
        env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
        child = subprocess.Popen(cmd, env=env)
        while True:
            try:
                status = child.wait()
                break
            except KeyboardInterrupt:
                # Ctrl-C reached the child too (same process group): let it finish.
                continue
            except _Terminated:
                child.send_signal(signal.SIGTERM)
        return 128 - status if status < 0 else status
    except KeyboardInterrupt:
        _say("interrupted")
        return 128 + signal.SIGINT
    except _Terminated:
        _say("terminated")
        return 128 + signal.SIGTERM
    finally:
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()
        cluster.close()


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "fetch":
            return _cmd_fetch(args)
        if args.command == "member":
            return _cmd_member(args)
        return _cmd_run(args)
    except (MemberJarError, ClusterError) as exc:
        _say("error: %s" % exc)
        return 1
