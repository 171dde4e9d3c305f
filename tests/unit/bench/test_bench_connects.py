"""benchmarks.connects' round orders and arithmetic (no member, no process)."""

import math

import pytest

from benchmarks import connects


def test_the_order_rotates_through_every_permutation():
    found = connects.orders(["a", "b", "c"], 8)
    assert len({tuple(order) for order in found[:6]}) == 6
    assert found[6] == found[0] and found[7] == found[1]
    assert all(sorted(order) == ["a", "b", "c"] for order in found)


def _row(cpu, wall):
    return {"construct_cpu_ms": cpu / 4, "start_cpu_ms": cpu * 3 / 4, "wall_ms": wall}


def test_a_revision_is_compared_round_by_round_with_the_baseline():
    rounds = [
        {"base": _row(1.0, 2.0), "head": _row(0.9, 2.2)},
        {"base": _row(2.0, 4.0), "head": _row(1.8, 4.4)},
        {"base": _row(1.5, 3.0), "head": _row(1.35, 3.3)},
    ]
    cpu = connects.compare(rounds, "base", "head", "cpu")
    wall = connects.compare(rounds, "base", "head", "wall")
    assert cpu["n"] == 3 and math.isclose(cpu["ratio"], 0.9) and math.isclose(cpu["median"], 0.9)
    assert math.isclose(wall["ratio"], 1.1)
    assert math.isclose(cpu["low"], 0.9) and math.isclose(cpu["high"], 0.9)  # the same ratio each round


def test_the_interval_widens_with_scatter_and_holds_the_mean():
    rounds = [{"base": _row(1.0, 1.0), "head": _row(c, 1.0)} for c in (0.8, 1.2, 0.9, 1.1)]
    found = connects.compare(rounds, "base", "head", "cpu")
    assert found["low"] < found["ratio"] < found["high"]


def test_fewer_than_three_rounds_are_refused():
    with pytest.raises(ValueError, match="at least 3 rounds"):
        connects.compare([{"base": _row(1, 1), "head": _row(1, 1)}] * 2, "base", "head", "wall")


def test_one_revision_alone_is_refused():
    with pytest.raises(SystemExit):
        connects.parse_args(["--revisions", "HEAD"])
    assert connects.parse_args(["--revisions", "c580f32", "HEAD"]).fresh_members == 10
