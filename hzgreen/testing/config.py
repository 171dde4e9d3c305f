"""Generate the XML configuration file of a test member.

The configuration is deliberately small: loopback-only networking, TCP/IP
join with a fixed member list (so members started one after the other find
each other, and a restarted member finds its old peers), short CP session
timeouts (so tests about session expiry run in seconds), and an event
journal on every map whose name starts with ``journal`` or ``streamed``.

Element names follow the Hazelcast 5.4 schema
(``http://www.hazelcast.com/schema/config``, ``hazelcast-config-5.4.xsd``
inside the member jar).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "HZ_NAMESPACE",
    "DEFAULT_PROPERTIES",
    "member_config_xml",
]

HZ_NAMESPACE = "http://www.hazelcast.com/schema/config"

#: Properties every test member gets (callers may override any of them).
DEFAULT_PROPERTIES: Mapping[str, str] = {
    "hazelcast.phone.home.enabled": "false",
    "hazelcast.logging.type": "jdk",
    "hazelcast.logging.emoji.enabled": "false",
    "hazelcast.socket.bind.any": "false",
    "hazelcast.local.localAddress": "127.0.0.1",
    "hazelcast.wait.seconds.before.join": "0",
    "hazelcast.max.wait.seconds.before.join": "1",
    "hazelcast.heartbeat.interval.seconds": "1",
    "hazelcast.max.no.heartbeat.seconds": "10",
    "hazelcast.merge.first.run.delay.seconds": "5",
    "hazelcast.merge.next.run.delay.seconds": "5",
    "hazelcast.shutdownhook.policy": "TERMINATE",
    "hazelcast.graceful.shutdown.max.wait": "10",
    "hazelcast.health.monitoring.level": "OFF",
    "hazelcast.security.recommendations": "false",
}


def _el(parent: ET.Element, tag: str, text: Optional[object] = None, **attrs: object) -> ET.Element:
    node = ET.SubElement(parent, "{%s}%s" % (HZ_NAMESPACE, tag))
    for key, value in attrs.items():
        node.set(key.replace("_", "-"), _text(value))
    if text is not None:
        node.text = _text(text)
    return node


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _default_group_size(cp_member_count: int) -> int:
    """The largest odd group size Hazelcast accepts (3..7) for this many CP members."""
    size = min(cp_member_count, 7)
    return size if size % 2 else size - 1


def _extra_elements(extra_xml: str) -> List[ET.Element]:
    """Parse a fragment of top-level elements written without a namespace."""
    if not extra_xml.strip():
        return []
    wrapper = '<hazelcast xmlns="%s">%s</hazelcast>' % (HZ_NAMESPACE, extra_xml)
    try:
        root = ET.fromstring(wrapper)
    except ET.ParseError as exc:
        raise ValueError("extra_config_xml is not well-formed XML: %s" % exc) from None
    return list(root)


def member_config_xml(
    *,
    cluster_name: str,
    port: int,
    member_addresses: Iterable[str],
    host: str = "127.0.0.1",
    instance_name: Optional[str] = None,
    cp_member_count: int = 0,
    cp_group_size: Optional[int] = None,
    session_ttl_seconds: int = 10,
    session_heartbeat_seconds: int = 1,
    missing_cp_member_auto_removal_seconds: Optional[int] = None,
    raft_leader_heartbeat_millis: int = 1000,
    raft_max_missed_leader_heartbeats: int = 5,
    rest_api: bool = True,
    journal_map_pattern: "Optional[Union[str, Sequence[str]]]" = ("journal*", "streamed*"),
    journal_capacity: int = 10000,
    properties: Optional[Mapping[str, object]] = None,
    extra_xml: str = "",
    data_serializable_factories: Optional[Mapping[int, str]] = None,
    portable_factories: Optional[Mapping[int, str]] = None,
    jet: bool = True,
    client_endpoint: Optional[Tuple[int, str]] = None,
) -> str:
    """Return the XML configuration of one member as a string.

    ``member_addresses`` is the TCP/IP join list ("host:port" strings; it may
    include the member itself).  ``cp_member_count`` 0 leaves the CP subsystem
    in unsafe mode; 3 or more enables Raft.  ``missing_cp_member_auto_removal_seconds``
    defaults to the session TTL (Hazelcast requires it to be >= the TTL).
    The Raft leader heartbeat settings make a dead CP leader noticed after
    about ``raft_leader_heartbeat_millis * raft_max_missed_leader_heartbeats``
    (Hazelcast's defaults make that 25 seconds).
    ``rest_api`` enables the member REST endpoint groups for health checks
    and CP membership changes (used by :meth:`Cluster.promote_to_cp`).
    ``extra_xml`` is a fragment of additional top-level elements (written
    without namespace), appended verbatim.
    ``data_serializable_factories`` / ``portable_factories`` map factory ids to
    Java factory class names, registered in ``<serialization>`` (the classes must be
    on the member's classpath).
    ``jet`` enables the Jet engine, which SQL needs (it adds no measurable start time).
    ``client_endpoint`` = ``(client port, public "host:port")`` switches to the advanced
    network: members talk on ``port``, clients on the client port, and the member list
    clients receive carries the public address (a TLS front); REST is then off.
    """
    if not cluster_name:
        raise ValueError("cluster_name must not be empty")
    if not 0 < int(port) < 65536:
        raise ValueError("port out of range: %r" % (port,))
    if cp_member_count < 0 or (0 < cp_member_count < 3):
        raise ValueError("cp_member_count must be 0 (unsafe mode) or >= 3, got %r" % (cp_member_count,))
    if session_heartbeat_seconds < 1 or session_ttl_seconds <= session_heartbeat_seconds:
        raise ValueError(
            "need 1 <= session_heartbeat_seconds < session_ttl_seconds, got %r and %r"
            % (session_heartbeat_seconds, session_ttl_seconds)
        )
    if missing_cp_member_auto_removal_seconds is None:
        missing_cp_member_auto_removal_seconds = session_ttl_seconds
    if missing_cp_member_auto_removal_seconds < session_ttl_seconds:
        raise ValueError("missing_cp_member_auto_removal_seconds must be >= session_ttl_seconds")

    ET.register_namespace("", HZ_NAMESPACE)
    root = ET.Element("{%s}hazelcast" % HZ_NAMESPACE)

    _el(root, "cluster-name", cluster_name)
    if instance_name:
        _el(root, "instance-name", instance_name)

    props = dict(DEFAULT_PROPERTIES)
    props.update({k: _text(v) for k, v in (properties or {}).items()})
    props_el = _el(root, "properties")
    for name in sorted(props):
        _el(props_el, "property", props[name], name=name)

    if client_endpoint is not None:
        _advanced_network(root, int(port), client_endpoint, member_addresses, host)
    else:
        _network(root, int(port), member_addresses, host)
    if rest_api and client_endpoint is None:
        network = root.find("{%s}network" % HZ_NAMESPACE)
        assert network is not None
        rest = _el(network, "rest-api", enabled=True)
        for group in ("HEALTH_CHECK", "CLUSTER_READ", "CP"):
            _el(rest, "endpoint-group", name=group, enabled=True)

    patterns = [journal_map_pattern] if isinstance(journal_map_pattern, str) else list(journal_map_pattern or ())
    for pattern in patterns:
        map_el = _el(root, "map", name=pattern)
        journal = _el(map_el, "event-journal", enabled=True)
        _el(journal, "capacity", int(journal_capacity))

    cp = _el(root, "cp-subsystem")
    _el(cp, "cp-member-count", int(cp_member_count))
    if cp_member_count:
        _el(cp, "group-size", int(cp_group_size or _default_group_size(cp_member_count)))
    _el(cp, "session-time-to-live-seconds", int(session_ttl_seconds))
    _el(cp, "session-heartbeat-interval-seconds", int(session_heartbeat_seconds))
    _el(cp, "missing-cp-member-auto-removal-seconds", int(missing_cp_member_auto_removal_seconds))
    raft = _el(cp, "raft-algorithm")
    _el(raft, "leader-heartbeat-period-in-millis", int(raft_leader_heartbeat_millis))
    _el(raft, "max-missed-leader-heartbeat-count", int(raft_max_missed_leader_heartbeats))

    _el(root, "jet", enabled=bool(jet), resource_upload_enabled=False)

    _serialization(root, data_serializable_factories, portable_factories)

    for node in _extra_elements(extra_xml):
        root.append(node)

    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _network(root: ET.Element, port: int, member_addresses: Iterable[str], host: str) -> None:
    """``<network>``: one port for members and clients, TCP/IP join with ``member_addresses``."""
    network = _el(root, "network")
    _el(network, "port", port, auto_increment=False, port_count=1)
    join = _el(network, "join")
    _el(join, "multicast", enabled=False)
    _el(join, "auto-detection", enabled=False)
    tcp = _el(join, "tcp-ip", enabled=True, connection_timeout_seconds=1)
    for address in member_addresses:
        _el(tcp, "member", address)
    interfaces = _el(network, "interfaces", enabled=True)
    _el(interfaces, "interface", host)


def _advanced_network(
    root: ET.Element, port: int, client_endpoint: Tuple[int, str], member_addresses: Iterable[str], host: str
) -> None:
    """``<advanced-network>``: the member endpoint on ``port``, the client endpoint with its public address."""
    advanced = _el(root, "advanced-network", enabled=True)
    join = _el(advanced, "join")
    _el(join, "multicast", enabled=False)
    _el(join, "auto-detection", enabled=False)
    tcp = _el(join, "tcp-ip", enabled=True, connection_timeout_seconds=1)
    for address in member_addresses:
        _el(tcp, "member", address)
    client_port, public_address = client_endpoint
    for tag, endpoint_port, public in (
        ("member-server-socket-endpoint-config", port, None),
        ("client-server-socket-endpoint-config", int(client_port), public_address),
    ):
        endpoint = _el(advanced, tag)
        if public is not None:
            _el(endpoint, "public-address", public)
        _el(endpoint, "port", endpoint_port, auto_increment=False, port_count=1)
        interfaces = _el(endpoint, "interfaces", enabled=True)
        _el(interfaces, "interface", host)


def _serialization(
    root: ET.Element,
    data_serializable_factories: Optional[Mapping[int, str]],
    portable_factories: Optional[Mapping[int, str]],
) -> None:
    """``<serialization>`` with the user's factory classes (nothing when there are none)."""
    groups = (
        ("data-serializable-factories", "data-serializable-factory", data_serializable_factories),
        ("portable-factories", "portable-factory", portable_factories),
    )
    if not any(factories for _, _, factories in groups):
        return
    serialization = _el(root, "serialization")
    for group_tag, tag, factories in groups:
        if not factories:
            continue
        group = _el(serialization, group_tag)
        for factory_id, class_name in sorted(factories.items()):
            if isinstance(factory_id, bool) or not isinstance(factory_id, int) or factory_id <= 0:
                raise ValueError(
                    "%s: factory ids must be positive ints (member configuration), got %r" % (group_tag, factory_id)
                )
            if not isinstance(class_name, str) or not class_name:
                raise ValueError("%s: factory %d needs a Java class name, got %r" % (group_tag, factory_id, class_name))
            _el(group, tag, class_name, factory_id=factory_id)
