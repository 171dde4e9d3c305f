"""DeadlineQueue: a sans-IO heap of deadlines with lazy deletion."""

import math
import random
import threading

import pytest

from hzgreen.runtime.core.deadlines import DeadlineQueue


def test_expired_pops_only_what_is_due_earliest_first():
    queue = DeadlineQueue()
    for deadline, item in ((5.0, "e"), (1.0, "a"), (3.0, "c"), (2.0, "b"), (4.0, "d")):
        queue.add(deadline, item)
    assert queue.expired(0.5) == []
    assert queue.expired(3.0) == ["a", "b", "c"]  # a deadline equal to now is due
    assert len(queue) == 2
    assert queue.expired(3.0) == []  # each item is handed out once
    assert queue.expired(100.0) == ["d", "e"]
    assert len(queue) == 0 and queue.held == 0


def test_equal_deadlines_come_out_in_insertion_order_and_items_are_never_compared():
    queue = DeadlineQueue()
    items = [object() for _ in range(50)]  # objects without an order: comparing them would raise
    for item in items:
        queue.add(7.0, item)
    assert queue.expired(7.0) == items


def test_next_deadline_is_the_earliest_live_one():
    queue = DeadlineQueue()
    assert queue.next_deadline() is None
    first = queue.add(2.0, "a")
    queue.add(9.0, "b")
    assert queue.next_deadline() == 2.0
    queue.cancel(first)
    assert queue.next_deadline() == 9.0
    queue.expired(9.0)
    assert queue.next_deadline() is None


def test_cancelled_entries_are_skipped_and_cancelling_twice_or_late_is_harmless():
    queue = DeadlineQueue()
    gone = queue.add(1.0, "gone")
    kept = queue.add(2.0, "kept")
    queue.cancel(gone)
    queue.cancel(gone)
    assert len(queue) == 1
    assert queue.expired(5.0) == ["kept"]
    queue.cancel(kept)  # already handed out
    later = queue.add(6.0, "later")
    assert queue.expired(10.0) == ["later"]
    assert queue.held == 0 and later[2] == "later"


def test_cancelled_entries_are_rebuilt_away_once_they_outnumber_live_ones():
    queue = DeadlineQueue()
    entries = [queue.add(float(i), i) for i in range(1000)]
    for entry in entries[:900]:
        queue.cancel(entry)
    # Without rebuilding the heap would still hold all 1000 entries.
    assert queue.held < 1000 - 400
    assert len(queue) == 100
    assert queue.expired(2000.0) == list(range(900, 1000))
    assert queue.held == 0


def test_a_pass_with_nothing_due_examines_one_entry_however_many_wait():
    queue = DeadlineQueue()
    for i in range(10_000):
        queue.add(100.0 + i, i)
    before = queue.examined
    for _ in range(100):
        assert queue.expired(50.0) == []
    assert queue.examined - before == 100
    before = queue.examined
    assert queue.expired(102.0) == [0, 1, 2]
    assert queue.examined - before == 4  # three popped, one found not yet due


def test_post_joins_the_heap_at_the_owners_next_call():
    queue = DeadlineQueue()
    queue.post(1.0, "posted")
    assert queue.held == 1 and len(queue) == 1
    assert queue.next_deadline() == 1.0
    queue.post(0.5, "earlier")
    assert queue.expired(1.0) == ["earlier", "posted"]


def test_items_that_are_no_longer_live_are_dropped_not_handed_out():
    live = {"a", "b", "c"}
    queue = DeadlineQueue(live.__contains__)
    queue.post(1.0, "a")
    queue.post(1.0, "b")
    live.discard("a")
    assert queue.admit() == 1 and queue.held == 1  # "a" was dropped on admission
    queue.add(3.0, "c")
    live.discard("b")
    assert queue.next_deadline() == 3.0  # "b" dropped on the way
    assert queue.held == 1
    live.discard("c")
    assert queue.expired(10.0) == []


def test_compact_drops_cancelled_and_dead_entries():
    live = set(range(20))
    queue = DeadlineQueue(live.__contains__)
    entries = [queue.add(float(i), i) for i in range(10)]
    posted = [queue.post(float(i), i) for i in range(10, 20)]
    live.difference_update(range(4))
    live.difference_update(range(10, 16))
    queue.cancel(entries[4])
    queue.cancel(posted[7])
    assert queue.compact() == 12
    assert queue.held == 8 and len(queue) == 8
    assert queue.expired(100.0) == [5, 6, 7, 8, 9, 16, 18, 19]


def test_nan_deadline_is_refused_before_anything_is_queued():
    queue = DeadlineQueue()
    with pytest.raises(ValueError, match="NaN"):
        queue.add(math.nan, "x")
    with pytest.raises(ValueError, match="NaN"):
        queue.post(math.nan, "x")
    assert queue.held == 0


def test_infinite_deadline_never_falls_due():
    queue = DeadlineQueue()
    queue.add(math.inf, "never")
    assert queue.expired(1e300) == []
    assert queue.next_deadline() == math.inf


def test_clear_returns_the_waiting_items():
    queue = DeadlineQueue()
    queue.add(1.0, "a")
    gone = queue.add(2.0, "b")
    queue.post(3.0, "c")
    queue.cancel(gone)
    assert queue.clear() == ["a", "c"]
    assert queue.held == 0 and len(queue) == 0 and queue.expired(10.0) == []


def test_posts_from_many_threads_all_arrive():
    queue = DeadlineQueue()
    per_thread = 5000

    def poster(base):
        for i in range(per_thread):
            queue.post(float(i), (base, i))

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(queue.expired(float(per_thread))) == 4 * per_thread


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_a_naive_model(seed):
    rng = random.Random(seed)
    model = {}  # key -> deadline of the live items
    live = set()
    queue = DeadlineQueue(live.__contains__)
    entries = {}
    now = 0.0
    for key in range(2000):
        action = rng.random()
        if action < 0.45:
            deadline = now + rng.choice([0.0, rng.uniform(0, 50), rng.randint(0, 5)])
            entries[key] = (queue.add if rng.random() < 0.5 else queue.post)(deadline, key)
            model[key] = deadline
            live.add(key)
        elif action < 0.65 and model:
            victim = rng.choice(sorted(model))
            if rng.random() < 0.5:
                queue.cancel(entries[victim])
            else:
                live.discard(victim)
            del model[victim]
        elif action < 0.7:
            queue.compact()
        elif action < 0.75:
            waiting = sorted(model.values())
            assert queue.next_deadline() == (waiting[0] if waiting else None)
        else:
            now += rng.uniform(0, 5)
            due = sorted((deadline, key) for key, deadline in model.items() if deadline <= now)
            got = queue.expired(now)
            assert sorted(got) == sorted(key for _, key in due)
            assert [model[key] for key in got] == sorted(model[key] for key in got)
            for key in got:
                del model[key]
    assert sorted(queue.expired(math.inf)) == sorted(model)


def test_add_all_queues_a_batch_in_deadline_then_insertion_order_skipping_infinite_and_nan():
    queue = DeadlineQueue()
    queue.add(2.0, "single")
    queued = queue.add_all([3.0, 1.0, math.inf, 2.0, math.nan, -math.inf], ["c", "a", "never", "b", "nan", "now"])
    assert queued == 4
    assert queue.held == 5 and queue.next_deadline() == -math.inf
    assert queue.expired(2.0) == ["now", "a", "single", "b"]  # "single" was added before "b"
    assert queue.expired(math.inf) == ["c"]
    assert queue.add_all([], []) == 0


def test_add_all_items_are_dropped_when_no_longer_live_and_compaction_keeps_the_live_ones():
    live = {1, 3}
    queue = DeadlineQueue(live.__contains__)
    queue.add_all([5.0, 6.0, 7.0, 8.0], [1, 2, 3, 4])
    assert queue.compact() == 2 and queue.held == 2
    live.discard(1)
    assert queue.expired(10.0) == [3]
