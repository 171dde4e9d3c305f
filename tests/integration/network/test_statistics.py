"""Client statistics reach a real member: read back through the member's own state (MC.getTimedMemberState)."""

from __future__ import annotations

import json
import os
import subprocess

from hzgreen.protocol.codecs import mc
from hzgreen.protocol.codecs.client import STATISTICS_RESPONSE_TYPE
from hzgreen.runtime.invocation import Invocation
from hzgreen.testing.jar import ensure_member_jar
from hzgreen.testing.java import compile_java_sources
from hzgreen.testing.member import java_executable
from hzgreen.testing.waiting import wait_until


def _member_view(client):
    """The statistics text the member holds for each client, by client uuid (str)."""
    [connection, *_] = client._connections.active_connections
    result = client.handler.async_result()
    client.invocations.invoke(
        Invocation(
            mc.encode_get_timed_member_state_request(),
            result,
            connection=connection,
            response_handler=mc.decode_get_timed_member_state_response,
        )
    )
    state = json.loads(result.get(timeout=30))
    return state["timedMemberState"]["memberState"].get("clientStats", {})


def _parse(text):
    """``{name: value}`` of a statistics text (names with escaped separators are kept escaped)."""
    entries, name, current, escaped = {}, None, [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "=" and name is None:
            name, current = "".join(current), []
        elif char == ",":
            entries[name] = "".join(current)
            name, current = None, []
        else:
            current.append(char)
    if name is not None:
        entries[name] = "".join(current)
    return entries


def _wait_for_stats(client, predicate, what):
    seen = {}

    def arrived():
        text = _member_view(client).get(str(client.client_uuid))
        if text is None:
            return False
        seen.update(_parse(text))
        return predicate(seen)

    wait_until(client.handler, arrived, 60, what, interval=0.2)
    return seen


def test_member_receives_the_official_metric_names(hz_client_factory, unique_name):
    client = hz_client_factory(statistics_enabled=True, statistics_period=1, near_caches={unique_name: {}})
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"  # a miss, then cached
    assert m.get("k") == "v"  # a hit
    assert m.get("k") == "v"  # a hit
    prefix = "nc.%s." % unique_name
    stats = _wait_for_stats(
        client,
        lambda seen: seen.get(prefix + "hits") == "2",
        "the member never showed this client's near cache hits",
    )
    assert stats["enterprise"] == "false"
    assert stats["clientType"] == "PYH"
    assert stats["clientName"] == client.config.client_name
    assert int(stats["lastStatisticsCollectionTime"]) > 0
    assert int(stats["clusterConnectionTimestamp"]) <= int(stats["lastStatisticsCollectionTime"])
    assert stats["clientAddress"].startswith("127.0.0.1:")
    assert stats[prefix + "misses"] == "1"
    assert stats[prefix + "ownedEntryCount"] == "1"
    for name in ("evictions", "expirations", "invalidations", "invalidationRequests", "ownedEntryMemoryCost"):
        assert int(stats[prefix + name]) >= 0
    assert int(stats["runtime.availableProcessors"]) >= 1
    assert int(stats["os.processCpuTime"]) > 0


def test_disabled_by_default(hz_client_factory):
    quiet = hz_client_factory()
    assert quiet.config.operations.statistics_enabled is False
    talking = hz_client_factory(statistics_enabled=True, statistics_period=1)
    _wait_for_stats(talking, lambda seen: "clientName" in seen, "the enabled client's statistics never arrived")
    # A period of the enabled client has passed: the default client sent nothing meanwhile.
    assert str(quiet.client_uuid) not in _member_view(talking)


def test_dotted_map_names_are_escaped(hz_client_factory, unique_name):
    name = "a.b," + unique_name
    client = hz_client_factory(statistics_enabled=True, statistics_period=1, near_caches={name: {}})
    m = client.get_map(name)
    m.put("k", 1)
    assert m.get("k") == 1
    escaped = "nc.a\\.b\\,%s." % unique_name
    stats = _wait_for_stats(
        client, lambda seen: escaped + "misses" in seen, "the escaped near cache name never arrived"
    )
    assert stats[escaped + "misses"] == "1"


JAVA_DUMP = os.path.join(os.path.dirname(__file__), "..", "..", "java", "hzgreen", "metrics")


def _java_decode(blob, tmp_path):
    """The metrics the member's own MetricsCompressor.extractMetrics reads from ``blob``:
    a list of (prefix, metric, discriminator, value, unit, excluded, tags, type, value) text tuples."""
    jar = ensure_member_jar()
    classes = compile_java_sources([JAVA_DUMP], jar)
    path = tmp_path / "blob.bin"
    path.write_bytes(blob)
    done = subprocess.run(
        [java_executable(), "-cp", os.pathsep.join([jar, classes]), "hzgreen.metrics.MetricsBlobDump", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [tuple(line.split("\t")) for line in done.stdout.splitlines()]


def test_the_metrics_blob_sent_to_the_member_decodes_in_java(hz_client_factory, unique_name, tmp_path):
    client = hz_client_factory(statistics_enabled=True, statistics_period=600, near_caches={unique_name: {}})
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"  # a miss
    assert m.get("k") == "v"  # a hit
    result = client.statistics.send_now()
    # the member accepted the request (an error would raise here)
    assert result.get(timeout=30).get_message_type() == STATISTICS_RESPONSE_TYPE
    blob = client.statistics.last_blob
    metrics = _java_decode(blob, tmp_path)
    near = {row[1]: row for row in metrics if row[0] == "nearcache"}
    assert set(near) == {
        "creationTime", "evictions", "hits", "misses", "ownedEntryCount", "expirations",
        "invalidations", "invalidationRequests", "ownedEntryMemoryCost",
    }  # fmt: skip
    assert near["hits"][2:] == ("name", unique_name, "COUNT", "[]", "", "long", "1")
    assert near["misses"][2:] == ("name", unique_name, "COUNT", "[]", "", "long", "1")
    assert near["ownedEntryCount"][-1] == "1"
    assert near["creationTime"][4] == "MS"
    assert near["ownedEntryMemoryCost"][4] == "BYTES"
    gauges = {"%s.%s" % row[:2]: row for row in metrics if row[0] in ("os", "runtime")}
    text = _parse(client.statistics.last_sent)
    assert set(gauges) == {name for name in text if name.startswith(("os.", "runtime."))}
    assert int(gauges["runtime.availableProcessors"][-1]) >= 1
    assert gauges["runtime.availableProcessors"][2:5] == ("null", "null", "null")
    if "os.systemLoadAverage" in gauges:
        assert gauges["os.systemLoadAverage"][-2] == "double"
    assert len(metrics) == len(near) + len(gauges)
