"""The member configuration generator (no JVM needed)."""

import xml.etree.ElementTree as ET

import pytest

from hzgreen.testing.config import HZ_NAMESPACE, member_config_xml

NS = {"hz": HZ_NAMESPACE}


def parse(**kwargs):
    args = dict(cluster_name="c1", port=25701, member_addresses=["127.0.0.1:25701", "127.0.0.1:25702"])
    args.update(kwargs)
    root = ET.fromstring(member_config_xml(**args))
    assert root.tag == "{%s}hazelcast" % HZ_NAMESPACE
    return root


def text(root, path):
    node = root.find(path, NS)
    assert node is not None, path
    return node.text


def properties(root):
    return {p.get("name"): p.text for p in root.findall("hz:properties/hz:property", NS)}


def test_cluster_name_and_port():
    root = parse()
    assert text(root, "hz:cluster-name") == "c1"
    port = root.find("hz:network/hz:port", NS)
    assert port.text == "25701"
    assert port.get("auto-increment") == "false"


def test_loopback_only_tcp_join():
    root = parse()
    assert root.find("hz:network/hz:join/hz:multicast", NS).get("enabled") == "false"
    tcp = root.find("hz:network/hz:join/hz:tcp-ip", NS)
    assert tcp.get("enabled") == "true"
    assert [m.text for m in tcp.findall("hz:member", NS)] == ["127.0.0.1:25701", "127.0.0.1:25702"]
    interfaces = root.find("hz:network/hz:interfaces", NS)
    assert interfaces.get("enabled") == "true"
    assert [i.text for i in interfaces.findall("hz:interface", NS)] == ["127.0.0.1"]
    props = properties(root)
    assert props["hazelcast.local.localAddress"] == "127.0.0.1"
    assert props["hazelcast.socket.bind.any"] == "false"


def test_default_properties_and_overrides():
    props = properties(parse(properties={"hazelcast.partition.count": 7, "hazelcast.logging.type": "none"}))
    assert props["hazelcast.phone.home.enabled"] == "false"
    assert props["hazelcast.partition.count"] == "7"
    assert props["hazelcast.logging.type"] == "none"
    assert int(props["hazelcast.wait.seconds.before.join"]) <= 1


def test_cp_unsafe_mode():
    cp = parse().find("hz:cp-subsystem", NS)
    assert cp.find("hz:cp-member-count", NS).text == "0"
    assert cp.find("hz:group-size", NS) is None
    assert cp.find("hz:session-time-to-live-seconds", NS).text == "10"
    assert cp.find("hz:session-heartbeat-interval-seconds", NS).text == "1"


def test_cp_raft_mode():
    root = parse(cp_member_count=3, session_ttl_seconds=20, session_heartbeat_seconds=2)
    cp = root.find("hz:cp-subsystem", NS)
    assert cp.find("hz:cp-member-count", NS).text == "3"
    assert cp.find("hz:group-size", NS).text == "3"
    assert cp.find("hz:session-time-to-live-seconds", NS).text == "20"
    assert cp.find("hz:session-heartbeat-interval-seconds", NS).text == "2"
    # Hazelcast requires auto-removal >= session TTL.
    assert int(cp.find("hz:missing-cp-member-auto-removal-seconds", NS).text) >= 20
    assert cp.find("hz:raft-algorithm/hz:leader-heartbeat-period-in-millis", NS).text == "1000"


@pytest.mark.parametrize("count, size", [(3, 3), (4, 3), (5, 5), (6, 5), (9, 7)])
def test_cp_group_size_is_odd(count, size):
    root = parse(cp_member_count=count)
    assert root.find("hz:cp-subsystem/hz:group-size", NS).text == str(size)


def test_event_journal_on_journal_and_streamed_maps():
    root = parse()
    maps = root.findall("hz:map", NS)
    assert [m.get("name") for m in maps] == ["journal*", "streamed*"]
    assert all(m.find("hz:event-journal", NS).get("enabled") == "true" for m in maps)
    single = parse(journal_map_pattern="orders*").findall("hz:map", NS)
    assert [m.get("name") for m in single] == ["orders*"]
    assert parse(journal_map_pattern=None).findall("hz:map", NS) == []


def test_rest_api_groups():
    rest = parse().find("hz:network/hz:rest-api", NS)
    assert rest.get("enabled") == "true"
    groups = {g.get("name"): g.get("enabled") for g in rest.findall("hz:endpoint-group", NS)}
    assert groups == {"HEALTH_CHECK": "true", "CLUSTER_READ": "true", "CP": "true"}
    assert parse(rest_api=False).find("hz:network/hz:rest-api", NS) is None


def test_extra_xml_is_appended_in_namespace():
    root = parse(extra_xml='<queue name="q"><max-size>3</max-size></queue>')
    queue = root.find("hz:queue", NS)
    assert queue.get("name") == "q"
    assert queue.find("hz:max-size", NS).text == "3"


def test_special_characters_are_escaped():
    root = parse(cluster_name="a<b&c")
    assert text(root, "hz:cluster-name") == "a<b&c"


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(cp_member_count=2),
        dict(cp_member_count=-1),
        dict(session_ttl_seconds=1, session_heartbeat_seconds=1),
        dict(session_ttl_seconds=10, missing_cp_member_auto_removal_seconds=5),
        dict(port=0),
        dict(cluster_name=""),
        dict(extra_xml="<queue>"),
    ],
)
def test_invalid_settings_are_rejected(kwargs):
    with pytest.raises(ValueError):
        parse(**kwargs)
