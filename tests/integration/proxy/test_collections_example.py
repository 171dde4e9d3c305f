"""examples/queue_set_list.py runs against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_collections_example(hz_cluster, hz_handler_name):
    output = run_example("queue_set_list.py", hz_cluster, hz_handler_name)
    lines = output.splitlines()
    assert "queue: item another-item yet-another-item" in lines
    assert "set: ['item1', 'item2', 'item3']" in lines
    assert "Removed: item1" in lines and "Current size is 1" in lines
    assert "list: ['a', 'B', 'c', 'item2'] sub_list(1, 3): ['B', 'c']" in lines
    assert "get(10): index out of bounds" in lines
    assert "listener saw: ['job-1', 'job-2']" in lines
