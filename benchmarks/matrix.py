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
)

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
}


class Absent(Exception):
    """The contender lacks this scenario; the message says why."""
