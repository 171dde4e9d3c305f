"""Harness helpers that need no JVM: ports, process states, jar lookup, CLI."""

import os
import signal
import socket
import subprocess
import sys
import time
import zipfile

import pytest

from hzgreen.testing import jar as jarmod
from hzgreen.testing.cli import main
from hzgreen.testing.cluster import Cluster
from hzgreen.testing.process import (
    kill_all_members,
    live_member_pids,
    process_state,
    reserve_ports,
    signal_member,
    spawn_member,
    wait_exit,
)


def test_reserved_ports_are_distinct_bindable_and_exclusive():
    first = reserve_ports(3)
    try:
        assert len(set(first.ports)) == 3
        for port in first.ports:
            probe = socket.socket()
            probe.bind(("127.0.0.1", port))
            probe.close()
        second = reserve_ports(20)
        try:
            assert not set(first.ports) & set(second.ports)
        finally:
            second.release()
    finally:
        first.release()


def test_ports_avoid_the_ephemeral_range():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
        low, high = (int(x) for x in handle.read().split())
    reservation = reserve_ports(5)
    try:
        assert all(not low <= port <= high for port in reservation.ports)
    finally:
        reservation.release()


def test_process_state_of_self_and_missing_pid():
    assert process_state(os.getpid()) in ("R", "S")
    assert process_state(2**22 + 12345) is None


def test_spawned_processes_are_registered_signalled_and_reaped(tmp_path):
    log = tmp_path / "sleep.log"
    process = spawn_member([sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)"], str(log))
    assert process.pid in live_member_pids()
    assert os.getpgid(process.pid) == process.pid  # own session and group
    assert signal_member(process, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    while process_state(process.pid) != "T" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process_state(process.pid) == "T"
    kill_all_members()
    assert wait_exit(process, 5)
    assert process.pid not in live_member_pids()
    assert not signal_member(process, signal.SIGKILL)  # never signal a reaped pid


def test_cluster_construction_reserves_ports_and_names(tmp_path):
    cluster = Cluster(members=3, cp_members=3, jar="unused.jar")
    try:
        assert cluster.cluster_name.startswith("hzgreen-")
        assert len(set(cluster.addresses)) == 3
        assert all(a.startswith("127.0.0.1:") for a in cluster.addresses)
        assert cluster.address(1) == cluster.addresses[1]
        assert cluster.pid(0) is None
        command = cluster.java_command(0)
        assert command[-1] == "com.hazelcast.core.server.HazelcastMemberStarter"
        assert "-Dhazelcast.config=" + cluster.members[0].config_path in command
        assert "-Xmx512m" in command
    finally:
        cluster.close()
    assert not os.path.exists(cluster.workdir)
    cluster.close()  # idempotent


@pytest.mark.parametrize("kwargs", [dict(members=0), dict(members=2, cp_members=3), dict(members=3, cp_members=1)])
def test_cluster_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError):
        Cluster(**kwargs)


def test_explicit_jar_wins(tmp_path, monkeypatch):
    path = tmp_path / "hz.jar"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.txt", "x")
    monkeypatch.setenv("HZGREEN_JAR", str(path))
    assert jarmod.ensure_member_jar() == str(path)
    monkeypatch.setenv("HZGREEN_JAR", str(tmp_path / "missing.jar"))
    with pytest.raises(jarmod.MemberJarError):
        jarmod.ensure_member_jar()


def test_missing_maven_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("HZGREEN_JAR", raising=False)
    monkeypatch.delenv("HZGREEN_MVN", raising=False)
    monkeypatch.setenv("HZGREEN_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(jarmod.MemberJarError, match="Maven"):
        jarmod.ensure_member_jar("0.0.0-nope")


def test_failing_maven_reports_its_output(tmp_path, monkeypatch):
    fake = tmp_path / "mvn"
    fake.write_text("#!/bin/sh\necho 'Could not resolve artifact, sorry'\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.delenv("HZGREEN_JAR", raising=False)
    monkeypatch.setenv("HZGREEN_MVN", str(fake))
    monkeypatch.setenv("HZGREEN_CACHE", str(tmp_path / "cache"))
    with pytest.raises(jarmod.MemberJarError, match="Could not resolve artifact, sorry"):
        jarmod.ensure_member_jar("0.0.0-nope")
    assert not (tmp_path / "cache" / "hazelcast-0.0.0-nope.jar").exists()


def test_cli_run_without_command_is_a_usage_error():
    assert main(["run", "--"]) == 2


def test_cli_help_runs():
    done = subprocess.run([sys.executable, "-m", "hzgreen.testing", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "fetch" in done.stdout and "member" in done.stdout and "run" in done.stdout


def test_process_spawned_from_a_worker_thread_outlives_the_thread(tmp_path):
    import threading

    box = []
    worker = threading.Thread(
        target=lambda: box.append(
            spawn_member([sys.executable, "-c", "import time; time.sleep(60)"], str(tmp_path / "log"))
        )
    )
    worker.start()
    worker.join()
    process = box[0]
    try:
        # PR_SET_PDEATHSIG fires when the forking *thread* exits: it must not be set here.
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            assert process.poll() is None
            time.sleep(0.05)
    finally:
        signal_member(process, signal.SIGKILL)
        wait_exit(process, 5)


def test_log_scanner_matches_whole_lines_only_once_complete(tmp_path):
    from hzgreen.testing.logs import LogScanner

    log = tmp_path / "member.log"
    log.write_bytes(b"old run: is STARTED\n")
    scanner = LogScanner(str(log), log.stat().st_size, "is STARTED")
    assert scanner.find() is None  # the previous run does not count
    with open(log, "ab") as handle:
        handle.write(b"12:00 INFO [127.0.0.1]:5701 is STAR")
    assert scanner.find() is None
    with open(log, "ab") as handle:
        handle.write(b"TED")
    assert scanner.find() is None  # line not finished yet
    with open(log, "ab") as handle:
        handle.write(b"\nnext\n")
    assert scanner.find() == "12:00 INFO [127.0.0.1]:5701 is STARTED"


def test_a_flooded_log_is_scanned_and_read_in_bounded_pieces(tmp_path, monkeypatch):
    from hzgreen.testing import logs

    monkeypatch.setattr(logs, "READ_CHUNK", 64)
    log = tmp_path / "member.log"
    flood = b"".join(b"WARNING retrying partition table fetch %05d\n" % i for i in range(2000))
    log.write_bytes(b"start\n" + flood + b"12:00 INFO is STARTED\n" + b"x" * 500 + b"\ntail line\n")
    scanner = logs.LogScanner(str(log), 0, "is STARTED")
    assert scanner.find() == "12:00 INFO is STARTED"
    assert len(scanner.pending) <= 64
    assert logs.LogScanner(str(log), 0, "absent").find() is None

    text = logs.read_text(str(log), 0, limit=1000)
    assert text.startswith("[") and "bytes of the log left out]" in text.splitlines()[0]
    assert text.endswith("tail line\n") and len(text) < 1100
    assert logs.read_text(str(log), 0) == log.read_text()  # under the limit: all of it
    assert logs.read_tail(str(log), 0, 2, 20) == "x" * 20 + " [...]\ntail line"
    assert logs.read_text(str(tmp_path / "missing.log")) == ""


def test_a_member_log_file_is_capped(tmp_path):
    import resource
    import subprocess
    import sys

    from hzgreen.testing import logs

    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        logs.cap_log_size(child.pid)
        assert resource.prlimit(child.pid, resource.RLIMIT_FSIZE) == (logs.LOG_SIZE_CAP, logs.LOG_SIZE_CAP)
    finally:
        child.communicate(b"")
