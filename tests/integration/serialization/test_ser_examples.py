"""examples/serialization.py and examples/query.py run against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_serialization_example(java_cluster, hz_handler_name):
    output = run_example("serialization.py", java_cluster, hz_handler_name)
    assert "Float values: ['ratio']" in output
    assert "short key 7: short key | int key 7: None" in output
    assert "documents knowing Java: ['ada']" in output
    assert "stored Address('MAIN STREET', 15)" in output
    assert "staff over 35: ['emp3', 'emp4', 'emp5']" in output
    assert "GenericRecord: Point {'x': 3, 'y': 4} INT32" in output


def test_query_example(java_cluster, hz_handler_name):
    output = run_example("query.py", java_cluster, hz_handler_name)
    assert "people: 300" in output and "cities: ['Berlin', 'London', 'Oslo', 'Paris']" in output
    lines = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    assert lines["65+ in Oslo"] == lines["same with SQL"]
    assert "Berlin page 1" in lines
