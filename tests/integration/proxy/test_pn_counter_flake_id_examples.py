"""examples/pn_counter.py and examples/flake_id_generator.py run against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_pn_counter_example(hz_cluster, hz_handler_name):
    output = run_example("pn_counter.py", hz_cluster, hz_handler_name)
    lines = output.splitlines()
    for expected in [
        "initial: 0",
        "add_and_get(5): 5",
        "decrement_and_get(): 4",
        "get_and_increment(): 4",
        "get(): 5",
        "before each subtraction: [3, 4, 5]",
        "subtract_and_get(2): 0",
        "get() again: 0",
    ]:
        assert expected in lines, output


def test_flake_id_generator_example(hz_cluster, hz_handler_name):
    output = run_example("flake_id_generator.py", hz_cluster, hz_handler_name)
    lines = output.splitlines()
    assert any(line.startswith("ID: ") and int(line[4:]) > 0 for line in lines), output
    assert "500 more, all unique: True | larger than the first: True" in lines
    assert "10 workers x 100 ids, unique: True" in lines
    assert "async id is new: True" in lines
