"""hzgreen benchmarks: hzgreen (threading and gevent handlers) against the official
Hazelcast Python client and a Java-client ceiling, on one real member.

Run ``make bench`` (full) or ``make bench-quick`` (smoke), or ``python -m benchmarks --help``.
Not part of the hzgreen package.
"""
