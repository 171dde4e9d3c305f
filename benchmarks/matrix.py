"""The benchmark matrix: contender and scenario names, and the pairs known to be absent.

Standard library only (imported by the worker before a contender may monkey-patch).
"""

CONTENDERS = ("hzgreen-threading", "hzgreen-gevent", "official", "official-asyncio", "java")
SCENARIOS = (
    "seq_put",
    "seq_get",
    "pipelined_put",
    "mixed_threads",
    "mixed_greenlets",
    "big_values",
    "cp_lock",
    "cp_atomic",
    "connect",
    "topic_publish",
    "ringbuffer_read_many",
    "near_cache_get",
    "transform",
    "mixed_3_members",
    "cp_atomic_3_members",
    "member_ceiling",
    "fleet_1",
    "fleet_2",
    "fleet_4",
)

#: Scenarios run against the 3-member cluster (every member a CP member, so the CP
#: scenario's group is a 3-member Raft group); the others use the one-member cluster.
THREE_MEMBER_SCENARIOS = ("mixed_3_members", "cp_atomic_3_members", "fleet_1", "fleet_2", "fleet_4")

#: ``fleet_N``: N worker processes at once, each running this scenario against the
#: 3-member cluster; the run is their sum.
FLEETS = {"fleet_1": 1, "fleet_2": 2, "fleet_4": 4}
FLEET_SCENARIO = "mixed_greenlets"

_FLEET_JAVA = "compared at the same total CPU instead: see the fleet table (from java's mixed_3_members CPU/op)"
_FLEET_THREADS = "a fleet runs mixed_greenlets in each process: the gevent handler's model"
_FLEET_OFFICIAL = "the official client's fleet runs its asyncio client (official-asyncio), its best at mixed_greenlets"
_CEILING = "the member's ceiling is measured from the Java client, with as many clients and threads as it takes"

#: Known absences, decided without starting a client.  Anything else that is
#: missing (hzgreen's CP before it lands) is found out at run time.
STATIC_ABSENT = {
    (
        "hzgreen-threading",
        "mixed_greenlets",
    ): "the threading handler runs on OS threads; greenlets are the gevent handler's model",
    ("hzgreen-gevent", "mixed_threads"): "the gevent handler serves greenlets of one hub thread, not 8 OS threads",
    ("java", "mixed_greenlets"): "Java has no greenlets",
    ("java", "topic_publish"): "Bench.java has no topic scenario",
    ("java", "ringbuffer_read_many"): "Bench.java has no ringbuffer scenario",
    ("java", "near_cache_get"): "Bench.java has no near cache scenario",
    ("java", "transform"): "Bench.java has no transform scenario",
    ("official", "transform"): "the official client has no event journal reader to run a transform on",
    (
        "official-asyncio",
        "mixed_threads",
    ): "the asyncio client runs on one event loop, not on 8 OS threads; its 500 tasks are its mixed_greenlets",
    ("official-asyncio", "transform"): "the official client has no event journal reader to run a transform on",
    ("java", "fleet_1"): _FLEET_JAVA,
    ("java", "fleet_2"): _FLEET_JAVA,
    ("java", "fleet_4"): _FLEET_JAVA,
    ("hzgreen-threading", "fleet_1"): _FLEET_THREADS,
    ("hzgreen-threading", "fleet_2"): _FLEET_THREADS,
    ("hzgreen-threading", "fleet_4"): _FLEET_THREADS,
    ("official", "fleet_1"): _FLEET_OFFICIAL,
    ("official", "fleet_2"): _FLEET_OFFICIAL,
    ("official", "fleet_4"): _FLEET_OFFICIAL,
    ("hzgreen-threading", "member_ceiling"): _CEILING,
    ("hzgreen-gevent", "member_ceiling"): _CEILING,
    ("official", "member_ceiling"): _CEILING,
    ("official-asyncio", "member_ceiling"): _CEILING,
}


class Absent(Exception):
    """The contender lacks this scenario; the message says why."""
