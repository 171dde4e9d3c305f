"""examples/near_cache.py runs against a real member, under each handler."""

import re

from tests.integration.example_runner import run_example


def test_near_cache_example(hz_cluster, hz_handler_name):
    output = run_example("near_cache.py", hz_cluster, hz_handler_name)
    stats = re.search(r"hits: (\d+) misses: (\d+) entries: (\d+)", output)
    assert stats, output
    hits, misses, entries = map(int, stats.groups())
    assert hits + misses == 1000 and hits >= 800 and entries == 100
    assert "after own put: changed here" in output
    assert "after another client's put: changed elsewhere" in output
    assert "sessions cached: 1" in output
