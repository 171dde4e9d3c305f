"""benchmarks.instructions' arithmetic and its reading of callgrind's output (no valgrind run),
and the driver's refusal of an unknown scenario."""

import subprocess
import sys

import pytest

from benchmarks import instructions

CALLGRIND_TAIL = """==4242== Events    : Ir
==4242== Collected : 3081785336
==4242==
==4242== I   refs:      3,081,785,336
"""


def test_the_total_is_read_from_callgrinds_summary():
    assert instructions.parse_total("some driver output\n" + CALLGRIND_TAIL) == 3081785336


def test_a_run_without_a_total_names_what_it_got():
    with pytest.raises(ValueError, match="(?s)no instruction total.*Segmentation"):
        instructions.parse_total("==1== Process terminating: Segmentation fault\n")


def test_per_operation_leaves_the_setup_out():
    setup, per_op = 5_000_000, 120_000
    small, large = 300, 2300
    assert instructions.per_operation(setup + small * per_op, setup + large * per_op, small, large) == per_op
    with pytest.raises(ValueError, match="must exceed"):
        instructions.per_operation(1, 2, 10, 10)


def test_changes_are_relative_to_the_baseline_of_the_same_scenario_and_handler():
    rows = {
        ("base", "seq_get", "gevent"): 100_000.0,
        ("head", "seq_get", "gevent"): 105_000.0,
        ("base", "connect", "threading"): 2_000_000.0,
        ("head", "connect", "threading"): 1_900_000.0,
        ("head", "seq_put", "gevent"): 90_000.0,  # no baseline row: left out
    }
    table = instructions.relative(rows, "base")
    assert table[("seq_get", "gevent")]["head"] == pytest.approx(0.05)
    assert table[("connect", "threading")]["head"] == pytest.approx(-0.05)
    assert table[("seq_get", "gevent")]["base"] == 0
    assert ("seq_put", "gevent") not in table


def test_the_driver_refuses_an_unknown_scenario_before_connecting():
    done = subprocess.run(
        [sys.executable, instructions.DRIVER, "seq_gett", "gevent", "127.0.0.1:1", "dev", "10"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "unknown scenario 'seq_gett'" in done.stderr


def test_the_driver_freezes_the_setup_heap_before_the_counted_part():
    import gc

    from benchmarks import instructions_driver

    try:
        instructions_driver.settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_counted_window_calls_the_function_once_inside_reduce(monkeypatch):
    import functools

    from benchmarks import instructions_driver

    reductions = []
    real_reduce = functools.reduce

    def spy_reduce(function, items):
        reductions.append(items)
        return real_reduce(function, items)

    monkeypatch.setattr(instructions_driver.functools, "reduce", spy_reduce)
    calls = []
    result = instructions_driver.within_counted_window(lambda *args: calls.append(args) or "client", 1, 2)
    assert result == "client"
    assert calls == [(1, 2)]
    assert len(reductions) == 1


def _run_recording(monkeypatch, scenario):
    """The valgrind command count_instructions builds for ``scenario`` (subprocess.run replaced)."""
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, "", "==1== Collected : 1,234\n")

    monkeypatch.setattr(instructions.subprocess, "run", fake_run)
    assert instructions.count_instructions("/checkout", scenario, "gevent", ["h:1"], "c", 5) == 1234
    return commands[0]


def test_a_connect_counts_only_the_counted_window_and_operations_count_everything(monkeypatch):
    from benchmarks import instructions_driver

    toggle = "--toggle-collect=%s" % instructions_driver.COUNTED_FUNCTION
    connect = _run_recording(monkeypatch, "connect")
    assert toggle in connect
    assert connect.index(toggle) < connect.index(instructions.sys.executable)  # a valgrind option
    assert toggle not in _run_recording(monkeypatch, "seq_get")


def test_revisions_are_checked_out_for_the_run_and_removed_after():
    import os

    from benchmarks.run import ROOT

    with instructions.checkouts_of([instructions.WORKTREE, "HEAD"], "hzgreen-test-checkouts-") as checkouts:
        assert checkouts[instructions.WORKTREE] == ROOT
        made = checkouts["HEAD"]
        assert os.path.isfile(os.path.join(made, "hzgreen", "__init__.py"))
    assert not os.path.exists(made)
