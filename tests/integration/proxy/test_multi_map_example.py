"""examples/multi_map.py runs against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_multi_map_example(hz_cluster, hz_handler_name):
    output = run_example("multi_map.py", hz_cluster, hz_handler_name)
    lines = [line for line in output.splitlines() if ":" in line]
    assert "values: ['value1', 'value2', 'value3']" in lines
    assert "after remove: ['value1', 'value3']" in lines
    assert "keys: ['fruit', 'my-key', 'vegetable'] | pairs: 5" in lines
    assert "fruit count: 2" in lines
    assert "event: ADDED fruit=plum" in lines
    assert "locked: True" in lines and "locked after unlock: False" in lines
    assert "try_lock: acquired for at most 10 s" in lines
    assert "removed fruit: ['apple', 'cherry', 'pear', 'plum']" in lines
