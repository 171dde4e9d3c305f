"""The few member REST calls the harness needs (CP membership, health).

The generated configuration enables the REST endpoint groups HEALTH_CHECK,
CLUSTER_READ and CP on the member port.  Hazelcast 5.4 Community still has
these (deprecated) endpoints; write calls take "cluster-name&password" as
the form body, with an empty password when security is off.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "RestError",
    "cp_group",
    "cp_groups",
    "cp_members",
    "health",
    "local_cp_member",
    "promote_local_member",
    "remove_cp_member",
    "request",
]

_PREFIX = "/hazelcast/rest/cp-subsystem"


class RestError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__("HTTP %s: %s" % (status, message))
        self.status = status


def request(address: str, path: str, body: Optional[str] = None, timeout: float = 10.0) -> Tuple[int, str]:
    """GET (or POST ``body``) ``path`` on member ``address``; (status, text)."""
    data = body.encode("utf-8") if body is not None else None
    req = urllib.request.Request(
        "http://%s%s" % (address, path), data=data, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _json(address: str, path: str) -> Any:
    status, text = request(address, path)
    if status != 200:
        raise RestError(status, "GET %s on %s: %s" % (path, address, text))
    return json.loads(text) if text else None


def health(address: str) -> Dict[str, Any]:
    """The member's health report: ``nodeState``, ``clusterState``, ``clusterSafe``,
    ``migrationQueueSize`` and ``clusterSize``. Raises RestError, OSError or ValueError."""
    report: Dict[str, Any] = _json(address, "/hazelcast/health") or {}
    return report


def cp_members(address: str) -> List[Dict[str, Any]]:
    """The CP member list as ``[{"uuid": ..., "address": "[127.0.0.1]:port"}]``."""
    return _json(address, _PREFIX + "/members") or []


def local_cp_member(address: str) -> Optional[Dict[str, Any]]:
    """The CP identity of the member at ``address``, or None if it is an AP member."""
    status, text = request(address, _PREFIX + "/members/local")
    if status == 200 and text:
        member: Dict[str, Any] = json.loads(text)
        return member
    return None


def cp_groups(address: str) -> List[Dict[str, Any]]:
    """The CP group ids, e.g. ``[{"name": "METADATA", "id": 0}]``."""
    return _json(address, _PREFIX + "/groups") or []


def cp_group(address: str, name: str = "METADATA") -> Dict[str, Any]:
    return _json(address, _PREFIX + "/groups/" + name) or {}


def remove_cp_member(address: str, cp_member_uuid: str, cluster_name: str) -> None:
    """Remove a CP member that has left the cluster (asked of a live member)."""
    status, text = request(address, "%s/members/%s/remove" % (_PREFIX, cp_member_uuid), cluster_name + "&")
    if status != 200:
        raise RestError(status, "remove CP member %s via %s: %s" % (cp_member_uuid, address, text))


def promote_local_member(address: str, cluster_name: str, timeout: float = 60.0) -> None:
    """Promote the member at ``address`` to a CP member."""
    status, text = request(address, _PREFIX + "/members", cluster_name + "&", timeout=timeout)
    if status != 200:
        raise RestError(status, "promote %s: %s" % (address, text))
