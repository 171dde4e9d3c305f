"""hzgreen.testing.safety.checks on hand-made histories: valid ones pass, broken ones are named."""

import pytest

from hzgreen.testing.safety import (
    FENCE_MONOTONICITY,
    MUTUAL_EXCLUSION,
    ONE_LEADER_PER_TERM,
    PERMITS_EXCEEDED,
    History,
    check_fence_monotonicity,
    check_mutual_exclusion,
    check_one_leader_per_term,
    check_permits,
)
from hzgreen.testing.safety.history import Event


def history_of(*rows):
    """rows: (time, process, type, op, value)."""
    history = History()
    history.extend([Event(process, type_, op, value, float(time)) for time, process, type_, op, value in rows])
    return history


def sections(*spans, op="cs"):
    """spans: (process, start, end, value); end None = never completed."""
    rows = []
    for process, start, end, value in spans:
        rows.append((start, process, "invoke", op, value))
        if end is not None:
            rows.append((end, process, "ok", op, value))
    return history_of(*rows)


def test_mutual_exclusion_accepts_disjoint_and_touching_sections():
    history = sections(("a", 0, 1, 1), ("b", 1, 2, 2), ("a", 3, 4, 3))
    assert check_mutual_exclusion(history) == []


def test_mutual_exclusion_names_overlapping_sections():
    history = sections(("a", 0, 5, 1), ("b", 1, 2, 2), ("c", 3, 6, 3), ("a", 7, 8, 4))
    violations = check_mutual_exclusion(history)
    assert [v.check for v in violations] == [MUTUAL_EXCLUSION, MUTUAL_EXCLUSION]
    assert [tuple(o.process for o in v.operations) for v in violations] == [("a", "b"), ("a", "c")]
    assert "b entered 'cs'" in violations[0].message


def test_mutual_exclusion_ignores_a_section_whose_process_died_inside():
    history = sections(("a", 0, None, 1), ("b", 1, 2, 2))
    assert check_mutual_exclusion(history) == []


def test_a_section_that_raised_still_counts():
    history = history_of(
        (0, "a", "invoke", "cs", 1), (3, "a", "info", "cs", 1), (1, "b", "invoke", "cs", 2), (2, "b", "ok", "cs", 2)
    )
    assert [v.check for v in check_mutual_exclusion(history)] == [MUTUAL_EXCLUSION]


def test_fences_strictly_increasing_pass():
    assert check_fence_monotonicity(sections(("a", 0, 1, 3), ("b", 2, 3, 4), ("a", 4, 5, 9))) == []


@pytest.mark.parametrize("fences", [(3, 3), (4, 3)])
def test_a_repeated_or_reordered_fence_is_a_violation(fences):
    history = sections(("a", 0, 1, fences[0]), ("b", 2, 3, fences[1]), ("c", 4, 5, 10))
    violations = check_fence_monotonicity(history)
    assert [v.check for v in violations] == [FENCE_MONOTONICITY]
    assert [(e.process, e.value) for e in violations[0].operations] == [("a", fences[0]), ("b", fences[1])]


def test_fences_of_acquire_ok_events():
    history = history_of(
        (0, "a", "invoke", "acquire", None),
        (1, "a", "ok", "acquire", 7),
        (2, "b", "invoke", "acquire", None),
        (3, "b", "ok", "acquire", 6),
    )
    assert check_fence_monotonicity(history) == []  # no "cs" events
    assert [v.check for v in check_fence_monotonicity(history, op="acquire", at="ok")] == [FENCE_MONOTONICITY]


def test_one_leader_per_term():
    good = history_of((0, "a", "ok", "lead", 1), (1, "a", "ok", "lead", 1), (2, "b", "ok", "lead", 2))
    assert check_one_leader_per_term(good) == []
    bad = history_of((0, "a", "ok", "lead", 1), (1, "b", "ok", "lead", 1), (2, "b", "info", "lead", 2))
    violations = check_one_leader_per_term(bad)
    assert [v.check for v in violations] == [ONE_LEADER_PER_TERM]
    assert violations[0].message == "term 1 led by a, b"


def test_permits_within_the_limit_pass():
    history = sections(("a", 0, 4, 1), ("b", 1, 3, 1), ("c", 3, 5, 1), op="permit")
    assert check_permits(history, 2) == []


def test_permits_exceeded_names_the_holders():
    history = sections(("a", 0, 4, 1), ("b", 1, 3, 1), ("c", 2, 5, 1), op="permit")
    violations = check_permits(history, 2)
    assert [v.check for v in violations] == [PERMITS_EXCEEDED]
    assert sorted(o.process for o in violations[0].operations) == ["a", "b", "c"]
    assert violations[0].message.startswith("3 of 2 permits held at 2.000000")


def test_permit_counts_come_from_the_hold_value():
    history = sections(("a", 0, 4, 2), ("b", 1, 3, 1), op="permit")
    assert check_permits(history, 3) == []
    assert [v.check for v in check_permits(history, 2)] == [PERMITS_EXCEEDED]
    with pytest.raises(ValueError):
        check_permits(history, -1)
