"""hzgreen.testing.safety.nemesis against a recording cluster stand-in and real child processes."""

import subprocess
import sys

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.testing.process import process_state
from hzgreen.testing.safety import Action, History, Nemesis
from hzgreen.testing.waiting import wait_until

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class RecordingCluster:
    def __init__(self):
        self.calls = []

    def kill(self, i):
        self.calls.append(("kill", i))

    def pause(self, i):
        self.calls.append(("pause", i))

    def resume(self, i):
        self.calls.append(("resume", i))

    def restart(self, i, timeout=None, promote=None):
        if i == 9:
            raise RuntimeError("no member 9")
        self.calls.append(("restart", i))


@pytest.fixture
def sleepers():
    started = []

    def start():
        process = subprocess.Popen(SLEEPER)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def nemesis_ops(history):
    return [(o.op, o.invoke.value, o.outcome) for o in history.operations() if o.process == "nemesis"]


def test_member_actions_run_in_schedule_order_and_are_recorded():
    history, cluster = History(), RecordingCluster()
    schedule = [Action(0.02, "restart", 1), Action(0.0, "kill", 1), Action(0.01, "pause", 2), Action(0.01, "resume", 2)]
    nemesis = Nemesis(history, schedule, cluster=cluster).start()
    assert nemesis.join(30)
    assert cluster.calls == [("kill", 1), ("pause", 2), ("resume", 2), ("restart", 1)]
    assert nemesis_ops(history) == [
        ("kill", ["member", 1], "ok"),
        ("pause", ["member", 2], "ok"),
        ("resume", ["member", 2], "ok"),
        ("restart", ["member", 1], "ok"),
    ]
    assert nemesis.errors == []


def test_a_failed_action_is_recorded_as_info_and_the_schedule_goes_on():
    history, cluster = History(), RecordingCluster()
    nemesis = Nemesis(history, [Action(0, "restart", 9), Action(0, "kill", 0)], cluster=cluster)
    nemesis.run()
    assert [error.args[0] for _, error in nemesis.errors] == ["no member 9"]
    outcomes = [(o.op, o.outcome) for o in history.operations()]
    assert outcomes == [("restart", "info"), ("kill", "ok")]
    assert "no member 9" in history.operations()[0].completion.value[2]


def test_client_processes_are_paused_resumed_killed_and_restarted(sleepers):
    history = History()
    first = sleepers()
    schedule = [Action(0, "pause", "p0")]
    nemesis = Nemesis(history, schedule, processes={"p0": first}, restarters={"p0": sleepers})
    nemesis.run()
    handler = SequentialThreadingHandler()
    wait_until(handler, lambda: process_state(first.pid) == "T", 30, "SIGSTOP never took effect")
    Nemesis(history, [Action(0, "resume", "p0")], processes={"p0": first}).run()
    wait_until(handler, lambda: process_state(first.pid) in ("S", "R"), 30, "SIGCONT never took effect")
    restarting = Nemesis(history, [Action(0, "restart", "p0")], processes={"p0": first}, restarters={"p0": sleepers})
    restarting.run()
    assert first.returncode is not None
    replacement = restarting.processes["p0"]
    assert replacement is not first and replacement.poll() is None
    Nemesis(history, [Action(0, "kill", "p0")], processes={"p0": replacement}).run()
    assert replacement.returncode is not None
    broken = Nemesis(history, [Action(0, "pause", "p0")], processes={"p0": replacement})
    broken.run()
    assert len(broken.errors) == 1
    assert [(op, outcome) for op, _, outcome in nemesis_ops(history)] == [
        ("pause", "ok"),
        ("resume", "ok"),
        ("restart", "ok"),
        ("kill", "ok"),
        ("pause", "info"),
    ]


def test_stop_skips_the_rest_of_the_schedule():
    history, cluster = History(), RecordingCluster()
    nemesis = Nemesis(history, [Action(0, "kill", 0), Action(600, "kill", 1)], cluster=cluster).start()
    nemesis.stop()
    assert nemesis.join(30)
    assert ("kill", 1) not in cluster.calls
    with pytest.raises(RuntimeError):
        nemesis.start()


def test_schedules_are_validated():
    history = History()
    with pytest.raises(ValueError, match="action must be"):
        Action(0, "explode", 1)
    with pytest.raises(ValueError, match="at must be"):
        Action(-1, "kill", 1)
    with pytest.raises(ValueError, match="no cluster"):
        Nemesis(history, [Action(0, "kill", 1)])
    with pytest.raises(ValueError, match="unknown process"):
        Nemesis(history, [Action(0, "kill", "p9")], cluster=RecordingCluster())
    with pytest.raises(ValueError, match="restarter"):
        Nemesis(history, [Action(0, "restart", "p0")], processes={"p0": None})
