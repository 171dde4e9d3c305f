"""examples/replicated_map.py and examples/distributed_objects.py run against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_replicated_map_example(hz_cluster, hz_handler_name):
    output = run_example("replicated_map.py", hz_cluster, hz_handler_name)
    assert "replaced value = None" in output
    assert "value for key = value" in output
    assert "listener saw: ['price: 90 -> 120']" in output
    assert "size: 5" in output
    assert "keys: ['colour', 'key', 'price', 'session', 'stock']" in output
    assert "has colour red: True True" in output
    assert "removed stock: 3" in output
    assert "async puts done: [None, None, None, None, None]" in output
    assert "empty after clear: True" in output


def test_distributed_objects_example(hz_cluster, hz_handler_name):
    output = run_example("distributed_objects.py", hz_cluster, hz_handler_name)
    assert "Distributed object event >>> test_map hz:impl:mapService CREATED" in output
    assert "objects: [('hz:impl:mapService', 'test_map')]" in output
    assert "Distributed object event >>> test_map hz:impl:mapService DESTROYED" in output
    assert "events seen: 2" in output
