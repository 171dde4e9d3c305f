"""hzgreen.testing.safety.history: recording, pairing, files shared by processes."""

import json
import subprocess
import sys
import threading

import pytest

from hzgreen.testing.safety import History
from hzgreen.testing.safety.history import Event


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def test_invocations_pair_with_the_same_process_next_completion():
    history = History(clock=Clock())
    history.invoke("a", "write", 1)
    history.invoke("b", "write", 2)
    history.ok("b", "write", 2)
    history.info("a", "write", 1)
    history.invoke("a", "read")
    operations = history.operations()
    assert [(o.process, o.op, o.outcome, o.start, o.end) for o in operations] == [
        ("a", "write", "info", 1.0, 4.0),
        ("b", "write", "ok", 2.0, 3.0),
        ("a", "read", "info", 5.0, None),
    ]
    assert [o.op for o in history.operations("read")] == ["read"]


def test_operation_context_records_ok_fail_and_info():
    history = History(clock=Clock())
    with history.operation("p", "read") as call:
        call.value = 7
    with pytest.raises(KeyError):
        with history.operation("p", "write", 1, failures=(KeyError,)):
            raise KeyError("refused")
    with pytest.raises(TimeoutError):
        with history.operation("p", "write", 2, failures=(KeyError,)):
            raise TimeoutError
    outcomes = [(o.op, o.outcome, o.completion.value) for o in history.operations()]
    assert outcomes == [("read", "ok", 7), ("write", "fail", 1), ("write", "info", 2)]


def test_critical_section_is_an_interval_even_when_the_body_raises():
    history = History(clock=Clock())
    with history.critical_section("p", 5):
        pass
    with pytest.raises(RuntimeError):
        with history.critical_section("q", 6):
            raise RuntimeError("boom")
    sections = history.operations("cs")
    assert [(s.process, s.invoke.value, s.outcome, s.start, s.end) for s in sections] == [
        ("p", 5, "ok", 1.0, 2.0),
        ("q", 6, "info", 3.0, 4.0),
    ]


def test_threads_record_concurrently_without_losing_events():
    history = History()

    def work(name):
        for i in range(200):
            with history.critical_section(name, i):
                pass

    threads = [threading.Thread(target=work, args=("t%d" % n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(history.events) == 4 * 200 * 2
    times = [event.time for event in history.events]
    assert times == sorted(times)
    assert all(o.outcome == "ok" for o in history.operations("cs"))


CHILD = """
import sys
from hzgreen.testing.safety import History
with History(sys.argv[1]) as history:
    for i in range(50):
        with history.critical_section(sys.argv[2], i):
            pass
"""


def test_processes_append_json_lines_that_load_merged_by_time(tmp_path):
    path = str(tmp_path / "history.jsonl")
    with History(path) as mine:
        mine.invoke("parent", "write", "before")
        children = [subprocess.Popen([sys.executable, "-c", CHILD, path, "c%d" % i]) for i in range(2)]
        for child in children:
            assert child.wait(60) == 0
        mine.ok("parent", "write", "before")
    with open(path) as lines:
        records = [json.loads(line) for line in lines]
    assert len(records) == 2 + 2 * 50 * 2
    loaded = History.load(path)
    events = loaded.events
    assert (events[0].process, events[0].type) == ("parent", "invoke")
    assert (events[-1].process, events[-1].type) == ("parent", "ok")  # one clock across processes
    sections = loaded.operations("cs")
    assert len(sections) == 100
    assert {s.process for s in sections} == {"c0", "c1"}
    assert all(s.outcome == "ok" and s.start <= s.end for s in sections)


def test_malformed_records_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="not a history event"):
        Event.from_dict({"process": "p", "type": "ok"})
    with pytest.raises(ValueError, match="unknown event type"):
        Event.from_dict({"process": "p", "type": "done", "op": "x", "time": 1})
    with pytest.raises(ValueError, match="event type must be"):
        History().record("p", "done", "x")
    path = tmp_path / "bad.jsonl"
    path.write_text('{"process": "p", "type": "invoke", "op": "x", "time": 1}\n{"oops": 1}\n')
    with pytest.raises(ValueError):
        History.load(str(path))
