"""The real-member harness itself, against real Hazelcast JVMs.

Every wait polls with a deadline: nothing here sleeps to synchronise.
"""

import os
import re
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from hzgreen.testing import CP_READY_LINE, STARTED_LINE
from hzgreen.testing.process import process_state

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def eventually(predicate, timeout=30.0, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("%s not reached within %ss" % (message, timeout))
        time.sleep(0.05)


def accepts(address):
    host, port = address.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        return True
    except OSError:
        return False


def gone(pid):
    state = process_state(pid)
    return state is None or state == "Z"


def member_uuid(cluster, i):
    found = re.search(
        r"Member \[[\d.]+\]:%d - ([0-9a-f-]{36}) this" % cluster.port(i), cluster.members[i].current_log()
    )
    return found.group(1)


def test_session_cluster_is_up(hz_cluster):
    assert hz_cluster.cp_members == 0
    assert len(hz_cluster.addresses) == 1
    assert accepts(hz_cluster.address(0))
    assert STARTED_LINE in hz_cluster.log(0)


@pytest.mark.fault
def test_member_kill_restart_pause_resume_stop(hz_cluster_factory):
    cluster = hz_cluster_factory(members=1)
    address = cluster.address(0)
    assert accepts(address)
    assert "%s is STARTED" % re.sub(r"^([\d.]+):", r"[\1]:", address) in cluster.log(0)
    first_uuid = member_uuid(cluster, 0)

    pid = cluster.pid(0)
    cluster.kill(0)
    assert cluster.pid(0) is None
    assert gone(pid)
    eventually(lambda: not accepts(address), message="port refusing after kill")

    cluster.restart(0)
    assert cluster.address(0) == address
    assert accepts(address)
    assert member_uuid(cluster, 0) != first_uuid

    pid = cluster.pid(0)
    cluster.pause(0)
    eventually(lambda: process_state(pid) == "T", message="member stopped by SIGSTOP")
    cluster.resume(0)
    eventually(lambda: process_state(pid) in ("R", "S", "D"), message="member running after SIGCONT")
    assert accepts(address)

    cluster.stop()
    assert gone(pid)
    assert not os.path.exists("/proc/%d" % pid) or process_state(pid) is None
    cluster.stop()  # idempotent
    eventually(lambda: not accepts(address), message="port refusing after stop")

    cluster.start()  # a whole-cluster restart: same port, new member
    assert cluster.address(0) == address
    assert accepts(address)


@pytest.mark.slow
def test_cp_cluster_of_three(hz_cluster3):
    assert hz_cluster3.cp_members == 3
    assert len(set(hz_cluster3.addresses)) == 3
    for i in range(3):
        assert accepts(hz_cluster3.address(i))
        assert CP_READY_LINE in hz_cluster3.log(i)
        assert "Members {size:3" in hz_cluster3.log(i)


@pytest.mark.slow
@pytest.mark.fault
def test_cp_member_killed_and_started_again_is_a_cp_member_again(hz_cluster3):
    from hzgreen.testing import rest

    cluster = hz_cluster3
    old = rest.local_cp_member(cluster.address(2))
    assert old is not None
    cluster.kill(2)
    cluster.start_member(2)  # promotes the new incarnation, replacing the old identity
    new = rest.local_cp_member(cluster.address(2))
    assert new is not None and new["uuid"] != old["uuid"]
    group = rest.cp_group(cluster.address(0), "METADATA")
    uuids = {m["uuid"] for m in group["members"]}
    assert len(uuids) == 3 and new["uuid"] in uuids and old["uuid"] not in uuids
    # Safe again before the next test kills a member: everybody joined, nothing migrating.
    assert cluster.ensure_running() is cluster
    for i in range(3):
        report = rest.health(cluster.address(i))
        assert report["clusterSafe"] is True and report["clusterSize"] == 3 and report["migrationQueueSize"] == 0


# --- no JVM survives its test run ---------------------------------------------------

CONFTEST = textwrap.dedent(
    """
    import sys
    if "hzgreen.testing.plugin" not in sys.modules:
        pytest_plugins = ["hzgreen.testing.plugin"]
    """
)

TESTS = textwrap.dedent(
    """
    import os, signal, time

    def started(hz_cluster_factory):
        cluster = hz_cluster_factory(members=1)
        with open(os.environ["PID_FILE"], "w") as handle:
            handle.write(str(cluster.pid(0)))
        return cluster

    def test_fails(hz_cluster_factory):
        started(hz_cluster_factory)
        raise RuntimeError("boom")

    def test_interrupted(hz_cluster_factory):
        started(hz_cluster_factory)
        # A runner started in the background inherits SIGINT ignored: act as Ctrl-C does.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(60)

    def test_terminated(hz_cluster_factory):
        started(hz_cluster_factory)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(60)

    def test_session_cluster_fails(hz_cluster):
        with open(os.environ["PID_FILE"], "w") as handle:
            handle.write(str(hz_cluster.pid(0)))
        assert False
    """
)


@pytest.fixture
def sandbox(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_sandbox.py").write_text(TESTS)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO, env.get("PYTHONPATH")) if p)
    env["PID_FILE"] = str(tmp_path / "member.pid")
    return tmp_path, env


@pytest.mark.slow
@pytest.mark.parametrize(
    "test_name", ["test_fails", "test_interrupted", "test_terminated", "test_session_cluster_fails"]
)
def test_no_jvm_left_behind(sandbox, test_name):
    folder, env = sandbox
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_sandbox.py::" + test_name],
        cwd=str(folder),
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode != 0, done.stdout
    pid = int((folder / "member.pid").read_text())
    eventually(lambda: gone(pid), timeout=20, message="member JVM %d gone" % pid)
    if test_name in ("test_fails", "test_session_cluster_fails"):
        assert "boom" in done.stdout or "assert False" in done.stdout
        assert "(log tail)" in done.stdout  # member logs attached to the failure report


@pytest.mark.slow
def test_jvm_dies_with_a_killed_parent(tmp_path):
    script = textwrap.dedent(
        """
        import sys, time
        from hzgreen.testing import Cluster
        cluster = Cluster(members=1, workdir=sys.argv[1])  # a SIGKILL leaves it behind
        cluster.start()
        print(cluster.pid(0), flush=True)
        time.sleep(600)
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO, env.get("PYTHONPATH")) if p)
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "work")], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        line = parent.stdout.readline()
        assert line.strip().isdigit(), line
        pid = int(line)
        assert not gone(pid)
    finally:
        parent.kill()  # SIGKILL: no atexit, no finally: only PR_SET_PDEATHSIG can help
        parent.wait()
    eventually(lambda: gone(pid), timeout=20, message="orphaned member JVM %d gone" % pid)
