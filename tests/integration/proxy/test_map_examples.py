"""examples/map.py and examples/event_journal.py run against the session member, under each handler."""

from tests.integration.example_runner import run_example


def test_map_example(hz_cluster, hz_handler_name):
    output = run_example("map.py", hz_cluster, hz_handler_name)
    assert "get: value" in output
    assert "after replace_if_same: newvalue somevalue" in output
    assert "counter: 1 locked: False" in output
    assert "try_put: True" in output and "remove_if_same (wrong value): False" in output
    assert "entry view: value=token ttl=60000 ms version=0" in output
    assert "set_ttl: True" in output
    assert "age >= 27: [7, 8, 9]" in output and "people left: 5" in output
    assert "async get: newvalue" in output


def test_event_journal_example(hz_cluster, hz_handler_name):
    output = run_example("event_journal.py", hz_cluster, hz_handler_name)
    assert "read: ADDED None -> new" in output and "read: UPDATED new -> paid" in output
    assert "followed 5 events" in output
    assert "resumed: [('order-10', 'REMOVED')]" in output
    assert "lost" not in output
