"""Real Hazelcast members for tests, examples, demos and benchmarks.

``ensure_member_jar()`` finds (or fetches with Maven) the member jar;
``Cluster`` starts members with ``java`` on loopback and controls them
(kill, pause, restart); ``hzgreen.testing.plugin`` is the pytest plugin
with the ``hz_*`` fixtures; ``python -m hzgreen.testing`` is the command line.
"""

from hzgreen.testing.cluster import (
    CP_READY_LINE,
    STARTED_LINE,
    Cluster,
    ClusterError,
    Member,
    java_executable,
)
from hzgreen.testing.config import member_config_xml
from hzgreen.testing.jar import (
    DEFAULT_HZ_VERSION,
    MemberJarError,
    cache_dir,
    ensure_member_jar,
    hazelcast_version,
)
from hzgreen.testing.process import kill_all_members, live_member_pids

__all__ = [
    "CP_READY_LINE",
    "Cluster",
    "ClusterError",
    "DEFAULT_HZ_VERSION",
    "Member",
    "MemberJarError",
    "STARTED_LINE",
    "cache_dir",
    "ensure_member_jar",
    "hazelcast_version",
    "java_executable",
    "kill_all_members",
    "live_member_pids",
    "member_config_xml",
]
