"""examples/ringbuffer.py and examples/topic.py run against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_ringbuffer_example(hz_cluster, hz_handler_name):
    lines = run_example("ringbuffer.py", hz_cluster, hz_handler_name).splitlines()
    assert lines[:2] == ["100", "200"]
    assert "capacity: 10000" in lines
    assert "last sequence: 2 size: 3" in lines
    assert ["read 0 login:ada", "read 1 view:home", "read 2 logout:ada"] == [
        line for line in lines if line.startswith("read ")
    ]
    assert "next sequence to read from: 3" in lines
    assert "added with FAIL at: 3" in lines
    assert "waited for: view:news" in lines


def test_topic_example(hz_cluster, hz_handler_name):
    lines = run_example("topic.py", hz_cluster, hz_handler_name).splitlines()
    assert "Got message: Hello to distributed world" in lines
    assert "reliable listener got: ['order-1', 'order-2', 'order-3'] last sequence: 2" in lines
