"""The installed ``hzgreen`` console script against real members.

Every call starts a Python process, so each test makes few calls; the map test runs under
both handlers (``--handler``), the others under the default one.
"""

import ast
import json
import os
import pty
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest

from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.testing.process import reserve_ports

SCRIPT = os.path.join(os.path.dirname(sys.executable), "hzgreen")
CALL_TIMEOUT = 60

threading_only = pytest.mark.parametrize("hz_handler_name", ["threading"])


def cli_env(cluster):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HZGREEN_")}
    env["HZGREEN_MEMBERS"] = ",".join(cluster.addresses)
    env["HZGREEN_CLUSTER"] = cluster.cluster_name
    return env


def run_cli(cluster, *args, stdin=None):
    if not os.access(SCRIPT, os.X_OK):
        pytest.fail("%s is missing: run .venv/bin/python -m pip install -e '.[gevent,test]'" % SCRIPT)
    return subprocess.run(
        [SCRIPT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(cluster),
        timeout=CALL_TIMEOUT,
    )


def ok(done):
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


class Lines:
    """The lines a child writes to one stream, read by a thread, waited for with a timeout."""

    def __init__(self, stream):
        self._lines = queue.Queue()
        self.seen = []
        thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        thread.start()

    def _pump(self, stream):
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, pattern, timeout):
        """The first line matching ``pattern``; fails the test at EOF or after ``timeout`` s."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail("no line matching %r within %ss; got %r" % (pattern, timeout, self.seen))
            if line is None:
                pytest.fail("stream ended without a line matching %r; got %r" % (pattern, self.seen))
            self.seen.append(line)
            if re.search(pattern, line):
                return line


def test_map_put_get_entries_remove(hz_cluster, hz_client, hz_handler_name, unique_name):
    handler = ["--handler", hz_handler_name]
    assert ok(run_cli(hz_cluster, "map", unique_name, "put", "alice", '{"age": 31}', *handler)) == "null\n"
    assert hz_client.get_map(unique_name).get("alice") == HazelcastJsonValue('{"age":31}')
    hz_client.get_map(unique_name).put(7, {"native": [1, 2]})
    assert ok(run_cli(hz_cluster, "map", unique_name, "get", "alice", *handler)) == '{"age": 31}\n'
    lines = ok(run_cli(hz_cluster, "map", unique_name, "entries", *handler)).splitlines()
    assert {json.dumps(json.loads(line), sort_keys=True) for line in lines} == {
        '{"key": "alice", "value": {"age": 31}}',
        '{"key": 7, "value": {"native": [1, 2]}}',
    }
    assert ok(run_cli(hz_cluster, "map", unique_name, "remove", "7", "--json-key", *handler)) == '{"native": [1, 2]}\n'
    assert hz_client.get_map(unique_name).size() == 1


@threading_only
def test_load_jsonl_then_size(hz_cluster, hz_client, unique_name, tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text("".join(json.dumps({"key": "k%d" % i, "value": {"i": i}}) + "\n" for i in range(1200)))
    done = run_cli(hz_cluster, "map", unique_name, "load", str(path))
    assert ok(done) == "loaded 1200 entries into map %s\n" % unique_name
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    assert hz_client.get_map(unique_name).size() == 1200
    assert hz_client.get_map(unique_name).get("k1199").loads() == {"i": 1199}


@threading_only
def test_load_draws_a_progress_bar_on_a_terminal(hz_cluster, hz_client, unique_name, tmp_path):
    path = tmp_path / "few.jsonl"
    path.write_text('{"key": "a", "value": 1}\n{"key": "b", "value": 2}\n')
    master, slave = pty.openpty()
    try:
        loader = subprocess.Popen(
            [SCRIPT, "map", unique_name, "load", str(path)],
            stdout=subprocess.PIPE,
            stderr=slave,
            text=True,
            env=cli_env(hz_cluster),
        )
        os.close(slave)
        slave = None
        out, _ = loader.communicate(timeout=CALL_TIMEOUT)
        assert loader.returncode == 0
        drawn = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)
    assert out == "loaded 2 entries into map %s\n" % unique_name
    assert ("load %s [" % unique_name).encode() in drawn
    assert b"] 100% 2/2" in drawn


@threading_only
def test_watch_streams_entry_events(hz_cluster, hz_client, unique_name):
    watcher = subprocess.Popen(
        [SCRIPT, "map", unique_name, "watch", "--count", "2", "--duration", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(hz_cluster),
    )
    try:
        Lines(watcher.stderr).wait_for("watching map", timeout=CALL_TIMEOUT)
        events = Lines(watcher.stdout)
        target = hz_client.get_map(unique_name)
        target.put("k", HazelcastJsonValue('{"n": 1}'))
        target.remove("k")
        added = json.loads(events.wait_for("ADDED", timeout=30))
        removed = json.loads(events.wait_for("REMOVED", timeout=30))
        assert added == {"event": "ADDED", "key": "k", "value": {"n": 1}, "old_value": None}
        assert removed["key"] == "k" and removed["old_value"] == {"n": 1}
        assert watcher.wait(timeout=30) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()


@threading_only
def test_info_shows_members_partitions_clients_and_cp_disabled(hz_cluster, hz_client):
    report = json.loads(ok(run_cli(hz_cluster, "info", "--json")))
    assert report["cluster"]["name"] == hz_cluster.cluster_name
    assert report["cluster"]["state"] == "ACTIVE"
    assert [m["address"] for m in report["members"]] == hz_cluster.addresses
    assert sum(m["partitions"] for m in report["members"]) == report["partition_count"] == 271
    assert report["clients"] >= 2  # hz_client and the command itself
    assert report["cp"] == {"enabled": False}  # unsafe mode: no CP members, no groups
    text = ok(run_cli(hz_cluster, "info", "--handler", "gevent"))
    assert "partitions 271" in text
    assert text.rstrip().endswith("CP: disabled")


@threading_only
def test_lock_status_free_and_held(hz_cluster, hz_client, unique_name):
    assert ok(run_cli(hz_cluster, "lock", unique_name, "status")) == "lock %s: free\n" % unique_name
    lock = hz_client.cp.get_lock(unique_name)
    fence = lock.lock()
    try:
        status = json.loads(ok(run_cli(hz_cluster, "lock", unique_name, "status", "--json")))
    finally:
        lock.unlock()
    assert status["held"] is True
    assert status["fence"] == fence
    assert status["count"] == 1
    assert status["session_id"] > 0


@threading_only
def test_sql_prints_an_aligned_table(hz_cluster, hz_client):
    out = ok(
        run_cli(
            hz_cluster,
            "sql",
            "SELECT v, 'n' || CAST(v * 10 AS VARCHAR) AS label FROM TABLE(generate_series(1, 3)) ORDER BY v",
        )
    )
    assert out.splitlines() == [
        "v | label",
        "--+------",
        "1 | n10",
        "2 | n20",
        "3 | n30",
        "(3 rows)",
    ]


@threading_only
def test_errors_are_one_line_with_exit_status(hz_cluster, hz_client, unique_name):
    bad_json = run_cli(hz_cluster, "map", unique_name, "put", "k", "{not json")
    assert bad_json.returncode == 2
    assert bad_json.stderr.startswith("hzgreen: error: VALUE is not valid JSON")
    bad_sql = run_cli(hz_cluster, "sql", "SELECT * FROM %s" % unique_name)
    assert bad_sql.returncode == 1
    assert bad_sql.stderr.startswith("hzgreen: error: SQL: ")
    assert bad_sql.stderr.count("\n") == 1 and "Traceback" not in bad_sql.stderr


@pytest.mark.slow
@threading_only
def test_member_command_prints_a_working_client_line_and_stops_its_jvm(hz_client_factory):
    ports = reserve_ports(1)
    port = ports.ports[0]
    member = subprocess.Popen(
        [SCRIPT, "member", "--port", str(port), "--cluster-name", "cli-member-test", "--heap", "256m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        out = Lines(member.stdout)
        jvm_pid = int(re.search(r"pid (\d+)", out.wait_for(r"^member 0: ", timeout=120)).group(1))
        line = out.wait_for(r"^connect with: HzClient\(", timeout=30)
        call = ast.parse(line.split(": ", 1)[1].strip(), mode="eval").body
        kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
        assert kwargs == {"cluster_members": ["127.0.0.1:%d" % port], "cluster_name": "cli-member-test"}
        client = hz_client_factory(**kwargs)
        client.get_map("m").put("k", 1)
        assert client.get_map("m").get("k") == 1
        client.stop()
        member.send_signal(signal.SIGTERM)
        assert member.wait(timeout=60) == 0
        with pytest.raises(ProcessLookupError):
            os.kill(jvm_pid, 0)  # the JVM exited and was reaped with its parent
    finally:
        if member.poll() is None:
            member.kill()  # its JVM dies with it (parent-death signal)
            member.wait()
        ports.release()


@pytest.mark.slow
def test_tls_options_from_the_environment(hz_cluster_factory, unique_name):
    from hzgreen.testing.tls import TlsSettings

    cluster = hz_cluster_factory(tls=TlsSettings(require_client_cert=True))
    env = cli_env(cluster)
    env["HZGREEN_MEMBERS"] = ",".join(cluster.tls.addresses)
    env["HZGREEN_SSL_CAFILE"] = cluster.tls.client_options()["ssl_cafile"]
    without_cert = subprocess.run(
        [SCRIPT, "map", unique_name, "size", "--timeout", "5"],
        capture_output=True,
        text=True,
        env=env,
        timeout=CALL_TIMEOUT,
    )
    assert without_cert.returncode == 1
    assert without_cert.stderr.startswith("hzgreen: error: could not connect to cluster")
    assert without_cert.stderr.count("\n") == 1
    cert = cluster.tls.client_cert_options()
    env["HZGREEN_SSL_CERTFILE"] = cert["ssl_certfile"]
    env["HZGREEN_SSL_KEYFILE"] = cert["ssl_keyfile"]
    put = subprocess.run(
        [SCRIPT, "map", unique_name, "put", "k", '"v"'], capture_output=True, text=True, env=env, timeout=CALL_TIMEOUT
    )
    assert ok(put) == "null\n"
    size = subprocess.run(
        [SCRIPT, "map", unique_name, "size"], capture_output=True, text=True, env=env, timeout=CALL_TIMEOUT
    )
    assert ok(size) == "1\n"
