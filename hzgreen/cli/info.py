"""``hzgreen info``: members, partitions, clients and the CP subsystem of a cluster."""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict, List, Optional

from hzgreen.cli.calls import await_partition_table, call, owned_partitions, partition_of
from hzgreen.cli.connection import connect
from hzgreen.cli.errors import EXIT_OK
from hzgreen.exceptions import HzError
from hzgreen.protocol.codecs import cp_subsystem as cp_codec
from hzgreen.protocol.codecs import mc as mc_codec

_CLUSTER_STATES = {0: "ACTIVE", 1: "NO_MIGRATION", 2: "FROZEN", 3: "PASSIVE", 4: "IN_TRANSITION"}
_CP_DISABLED = "CP Subsystem is not enabled"
_SESSIONS_PATH = "/hazelcast/rest/cp-subsystem/groups/%s/sessions"


def register(commands: Any, connection: argparse.ArgumentParser) -> None:
    """Add the ``info`` command to the ``commands`` sub-parsers; returns None."""
    parser = commands.add_parser(
        "info",
        parents=[connection],
        help="show members, partitions, clients, CP groups and sessions",
        description="Show the cluster: its members and the partitions each owns, how many clients are "
        "connected, and the CP groups with their sessions (or 'CP: disabled').",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Connect, gather :func:`gather`'s report and print it; returns 0.

    Raises CliError (from :func:`~hzgreen.cli.connection.connect`) when the cluster is unreachable.
    """
    with connect(args) as client:
        report = gather(client)
    print(json.dumps(report, indent=2, sort_keys=True) if args.json else render(report))
    return EXIT_OK


def gather(client: Any) -> Dict[str, Any]:
    """The cluster report of a started client, as a JSON-ready dict.

    Keys: ``cluster`` (name, id, state, version), ``partition_count``, ``members`` (address,
    uuid, version, lite, partitions), ``clients`` (connected client count, None when the
    members do not say) and ``cp`` (``{"enabled": False}``, or the groups with their sessions,
    None where unknown, and the CP members). Raises the HzError of a call that fails for another reason
    than a disabled CP subsystem.
    """
    metadata = call(
        client, mc_codec.encode_get_cluster_metadata_request(), mc_codec.decode_get_cluster_metadata_response
    )
    await_partition_table(client)
    members = []
    for member in client.cluster_service.members:
        members.append(
            {
                "address": "%s:%d" % (member.address.host, member.address.port),
                "uuid": str(member.uuid),
                "version": "%d.%d.%d" % (member.version.major, member.version.minor, member.version.patch),
                "lite": bool(member.lite_member),
                "partitions": owned_partitions(client, member.uuid),
            }
        )
    return {
        "cluster": {
            "name": client.config.cluster_name,
            "id": str(metadata["cluster_id"]) if metadata.get("cluster_id") else None,
            "state": _CLUSTER_STATES.get(metadata["current_state"], str(metadata["current_state"])),
            "version": metadata["member_version"],
        },
        "partition_count": client.partitions.partition_count,
        "members": members,
        "clients": _client_count(client),
        "cp": _cp_report(client),
    }


def _client_count(client: Any) -> Optional[int]:
    """Distinct clients connected to any data member, from each member's management state."""
    seen = set()
    asked = False
    for member in client.cluster_service.members:
        partition_id = partition_of(client, member.uuid)
        if partition_id is None:
            continue  # a lite member: no partition routes a call to it
        try:
            text = call(
                client,
                mc_codec.encode_get_timed_member_state_request(),
                mc_codec.decode_get_timed_member_state_response,
                partition_id,
            )
        except HzError:
            continue
        if not text:
            continue
        state = json.loads(text).get("timedMemberState", {}).get("memberState", {})
        asked = True
        for entry in state.get("clients") or ():
            seen.add(entry.get("uuid"))
    return len(seen) if asked else None


def _cp_report(client: Any) -> Dict[str, Any]:
    try:
        group_ids = call(client, cp_codec.encode_get_cp_group_ids_request(), cp_codec.decode_get_cp_group_ids_response)
        cp_members = call(client, mc_codec.encode_get_cp_members_request(), mc_codec.decode_get_cp_members_response)
    except HzError as error:
        if _CP_DISABLED in str(error):
            return {"enabled": False}
        raise
    addresses = {
        member.uuid: "%s:%d" % (member.address.host, member.address.port) for member in client.cluster_service.members
    }
    rest_address = next(iter(addresses.values()), None)
    groups = []
    for group_id in sorted(group_ids, key=lambda g: (g.name, g.id)):
        groups.append({"name": group_id.name, "id": group_id.id, "sessions": _sessions(rest_address, group_id.name)})
    return {
        "enabled": True,
        "groups": groups,
        "members": [
            {"cp_uuid": str(cp_uuid), "address": addresses.get(member_uuid, str(member_uuid))}
            for cp_uuid, member_uuid in cp_members
        ],
    }


def _sessions(address: Optional[str], group_name: str) -> Optional[List[Dict[str, Any]]]:
    """The CP sessions of a group (id, endpoint, type, name) from the member's REST endpoint (the
    client protocol has no such call); None when that endpoint is off or unreachable, and for
    METADATA, which holds no sessions."""
    if address is None or group_name == "METADATA":
        return None
    from hzgreen.testing import rest

    try:
        status, text = rest.request(address, _SESSIONS_PATH % group_name, timeout=5.0)
        sessions = json.loads(text) if status == 200 and text else None
    except (OSError, ValueError):
        return None
    if not isinstance(sessions, list):
        return None
    return [
        {
            "id": session.get("id"),
            "endpoint": session.get("endpoint"),
            "type": session.get("endpointType"),
            "name": session.get("endpointName"),
        }
        for session in sessions
        if isinstance(session, dict)
    ]


def render(report: Dict[str, Any]) -> str:
    """The report of :func:`gather` as text lines; raises KeyError for a report missing keys."""
    cluster = report["cluster"]
    lines = [
        "cluster: %s (state %s, version %s, id %s)"
        % (cluster["name"], cluster["state"], cluster["version"], cluster["id"] or "unknown"),
        "partitions: %d" % report["partition_count"],
        "members: %d" % len(report["members"]),
    ]
    for member in report["members"]:
        lines.append(
            "  %s  %s  %s  partitions %d%s"
            % (
                member["address"],
                member["uuid"],
                member["version"],
                member["partitions"],
                "  lite" if member["lite"] else "",
            )
        )
    clients = report["clients"]
    lines.append("clients: %s" % ("unknown" if clients is None else clients))
    lines.extend(_render_cp(report["cp"]))
    return "\n".join(lines)


def _render_cp(cp: Dict[str, Any]) -> List[str]:
    if not cp["enabled"]:
        return ["CP: disabled"]
    lines = ["CP members: %d" % len(cp["members"])]
    lines.extend("  %s  %s" % (member["address"], member["cp_uuid"]) for member in cp["members"])
    lines.append("CP groups: %d" % len(cp["groups"]))
    for group in cp["groups"]:
        sessions = group["sessions"]
        if sessions is None:
            count = "-" if group["name"] == "METADATA" else "unknown (needs the member's REST CP endpoint)"
            lines.append("  %s (id %d)  sessions: %s" % (group["name"], group["id"], count))
            continue
        lines.append("  %s (id %d)  sessions: %d" % (group["name"], group["id"], len(sessions)))
        for session in sessions:
            lines.append(
                "    session %s  %s %s at %s" % (session["id"], session["type"], session["name"], session["endpoint"])
            )
    return lines
