"""hzgreen.testing.safety.linearizability on known register histories."""

import random

import pytest

from hzgreen.testing.safety import LINEARIZABILITY, History, SearchLimitExceeded, check_linearizable_register, linearize
from hzgreen.testing.safety.history import Event


def ops(*spans):
    """spans: (process, op, argument, start, end, outcome, result); end None = no completion."""
    events = []
    for process, op, argument, start, end, outcome, result in spans:
        events.append(Event(process, "invoke", op, argument, float(start)))
        if end is not None:
            events.append(Event(process, outcome, op, result, float(end)))
    history = History()
    history.extend(events)
    return history


def w(process, value, start, end, outcome="ok"):
    return (process, "write", value, start, end, outcome, value)


def r(process, value, start, end, outcome="ok"):
    return (process, "read", None, start, end, outcome, value)


def cas(process, expected, new, start, end, outcome="ok"):
    return (process, "cas", [expected, new], start, end, outcome, None)


def test_sequential_history_is_linearizable_with_its_order():
    history = ops(w("a", 1, 0, 1), r("b", 1, 2, 3), w("b", 2, 4, 5), r("a", 2, 6, 7))
    order, stuck = linearize(history, initial=0)
    assert [(o.process, o.op) for o in order] == [("a", "write"), ("b", "read"), ("b", "write"), ("a", "read")]
    assert stuck == []


def test_concurrent_reads_may_see_the_old_or_the_new_value():
    history = ops(w("a", 1, 0, 10), r("b", 0, 1, 2), r("c", 1, 3, 4), r("d", 1, 11, 12))
    assert check_linearizable_register(history, initial=0) == []


def test_a_stale_read_after_a_completed_write_is_not_linearizable():
    history = ops(w("a", 1, 0, 1), r("b", 0, 2, 3))
    violations = check_linearizable_register(history, initial=0)
    assert [v.check for v in violations] == [LINEARIZABILITY]
    assert [(o.process, o.op) for o in violations[0].operations] == [("b", "read")]


def test_a_read_may_not_go_back_to_the_old_value():
    # the write is concurrent with both reads, but once 1 was read a later read can't see 0
    history = ops(w("a", 1, 0, 10), r("b", 1, 1, 2), r("c", 0, 3, 4))
    assert [v.check for v in check_linearizable_register(history, initial=0)] == [LINEARIZABILITY]


def test_an_indeterminate_write_may_take_effect_late():
    history = ops(w("a", 1, 0, 1), w("b", 2, 2, 3, "info"), r("c", 1, 4, 5), r("c", 2, 6, 7))
    assert check_linearizable_register(history, initial=0) == []


def test_an_indeterminate_write_without_a_completion_may_never_take_effect():
    history = ops(w("a", 1, 0, 1), w("b", 2, 2, None), r("c", 1, 4, 5), r("c", 1, 6, 7))
    assert check_linearizable_register(history, initial=0) == []


def test_an_indeterminate_write_once_seen_stays():
    history = ops(w("a", 1, 0, 1), w("b", 2, 2, 3, "info"), r("c", 2, 4, 5), r("c", 1, 6, 7))
    assert [v.check for v in check_linearizable_register(history, initial=0)] == [LINEARIZABILITY]


def test_a_failed_write_never_happened():
    history = ops(w("a", 2, 0, 1, "fail"), r("b", 2, 2, 3))
    assert [v.check for v in check_linearizable_register(history, initial=0)] == [LINEARIZABILITY]
    unknown_read = ops(w("a", 1, 0, 1), r("b", 0, 2, 3, "info"))
    assert check_linearizable_register(unknown_read, initial=0) == []


def test_compare_and_set():
    one_wins = ops(cas("a", 0, 1, 0, 5), cas("b", 0, 2, 1, 6, "fail"), r("c", 1, 7, 8))
    assert check_linearizable_register(one_wins, initial=0) == []
    both_win = ops(cas("a", 0, 1, 0, 5), cas("b", 0, 2, 1, 6))
    assert [v.check for v in check_linearizable_register(both_win, initial=0)] == [LINEARIZABILITY]
    with pytest.raises(ValueError, match="expected, new"):
        linearize(ops(("a", "cas", 3, 0, 1, "ok", None)))


def simulated(seed, count=14, processes=4):
    """A linearizable history: each op takes effect at a random point inside its interval."""
    rng = random.Random(seed)
    spans, free_at = [], [0.0] * processes
    for _ in range(count):
        p = rng.randrange(processes)
        start = free_at[p] + rng.random()
        end = start + rng.random() * 3
        free_at[p] = end
        point = rng.uniform(start, end)
        kind = rng.choice(["read", "write", "write"])
        spans.append([point, "p%d" % p, kind, rng.randrange(5), start, end])
    value, rows = 0, []
    for _point, process, kind, argument, start, end in sorted(spans):
        if kind == "write":
            value = argument
            rows.append(w(process, argument, start, end))
        else:
            rows.append(r(process, value, start, end))
    return rows


@pytest.mark.parametrize("seed", range(20))
def test_simulated_histories_are_linearizable_and_a_corrupted_read_is_caught(seed):
    rows = simulated(seed)
    assert check_linearizable_register(ops(*rows), initial=0) == []
    reads = [i for i, row in enumerate(rows) if row[1] == "read"]
    if not reads:
        pytest.skip("no read drawn for this seed")
    corrupted = list(rows)
    i = reads[len(reads) // 2]
    corrupted[i] = r(rows[i][0], 99, rows[i][3], rows[i][4])  # a value nobody wrote
    assert [v.check for v in check_linearizable_register(ops(*corrupted), initial=0)] == [LINEARIZABILITY]


def test_the_search_gives_up_past_its_state_limit():
    rows = [w("p%d" % i, i, 0, 100) for i in range(10)] + [r("q", 5, 101, 102)]
    with pytest.raises(SearchLimitExceeded):
        linearize(ops(*rows), max_states=50)
    assert check_linearizable_register(ops(*rows)) == []
