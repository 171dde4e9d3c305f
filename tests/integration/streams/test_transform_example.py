"""examples/transform.py (the JEX flow of seed 004) runs against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_transform_example(hz_cluster, hz_handler_name):
    output = run_example("transform.py", hz_cluster, hz_handler_name)
    assert output.splitlines()[:6] == [
        "Connect to cluster...",
        "Connected",
        "Add entry to streamed-map: example-key-20 = SomeThing(Value=20)",
        "Added",
        "wait for entry with key example-key-20 to appear in result-map",
        "Found: example-key-20 = OtherThing(Value=__20__)",
    ], output
