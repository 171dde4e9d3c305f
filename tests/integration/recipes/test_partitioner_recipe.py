"""Partitioner recipe (Kazoo SetPartitioner semantics), both handlers, real members."""

import pytest

from hzgreen.recipes.partitioner import PartitionState, round_robin

WAIT = 30
ITEMS = list(range(10))
FAST = dict(time_boundary=0.5, lease=3)


def wait_until(handler, predicate, what, timeout=WAIT):
    deadline = handler.monotonic() + timeout
    pause = handler.event_object()
    while not predicate():
        assert handler.monotonic() < deadline, what
        pause.wait(0.1)


def assert_split(partitioners, items=ITEMS):
    sets = [list(p) for p in partitioners]
    flat = [item for part in sets for item in part]
    assert sorted(flat) == sorted(items), "not complete or not disjoint: %r" % (sets,)
    assert all(sets), "a member got nothing: %r" % (sets,)


def claims(client, name):
    return dict(client.get_map(name + ".__owners").entry_set())


def test_round_robin_default_function():
    assert round_robin("b", ["c", "a", "b"], [5, 1, 4, 2, 3]) == [2, 5]
    assert round_robin("z", ["a"], [1, 2]) == []
    assert round_robin("a", ["a"], ["x", 1]) == ["x", 1]  # mixed types: sorted by repr


def test_two_split_disjointly_and_completely(hz_client, hz_client_factory, unique_name):
    a = hz_client.Partitioner(unique_name, ITEMS, identifier="a", **FAST)
    b = hz_client_factory().Partitioner(unique_name, ITEMS, identifier="b", **FAST)
    try:
        handler = hz_client.handler
        wait_until(handler, lambda: a.acquired and b.acquired, "never both acquired: %r %r" % (a, b))
        assert a.state == PartitionState.ACQUIRED and not (a.allocating or a.release or a.failed)
        assert_split([a, b])
        assert sorted(a) == [0, 2, 4, 6, 8] and sorted(b) == [1, 3, 5, 7, 9]  # round robin
        owners = claims(hz_client, unique_name)
        assert sorted(owners) == ITEMS
        assert len({owners[i] for i in a} & {owners[i] for i in b}) == 0  # two owner tokens
    finally:
        a.finish()
        b.finish()
    assert a.failed and b.failed and list(a) == []
    assert claims(hz_client, unique_name) == {}
    assert len(hz_client.Party(unique_name)) == 0


def test_join_release_reacquire_then_finish_rebalances(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    a = hz_client.Partitioner(unique_name, ITEMS, identifier="a", **FAST)
    b = hz_client_factory().Partitioner(unique_name, ITEMS, identifier="b", **FAST)
    c = None
    try:
        wait_until(handler, lambda: a.acquired and b.acquired, "a, b never acquired")
        c = hz_client_factory().Partitioner(unique_name, ITEMS, identifier="c", **FAST)
        assert a.wait_for_change(WAIT, PartitionState.ACQUIRED) == PartitionState.RELEASE
        wait_until(handler, lambda: b.release, "b never told to release: %r" % (b,))
        assert a.wait_for_change(0.2) == PartitionState.RELEASE  # no change: times out
        assert not c.acquired  # it needs the items a and b still hold
        assert_split([a, b])  # still held (and refreshed) until release_set
        a.release_set()
        b.release_set()
        for p in (a, b, c):
            assert p.wait_for_acquire(WAIT), p
        assert_split([a, b, c])
        assert sorted(c) == [2, 5, 8]
        assert sorted(set(claims(hz_client, unique_name).values())) == sorted({p._token for p in (a, b, c)})
        # one finishes: the others are told to release, then rebalance
        b.finish()
        assert b.failed and list(b) == []
        wait_until(handler, lambda: a.release and c.release, "a, c never told to release")
        a.release_set()
        c.release_set()
        assert a.wait_for_acquire(WAIT) and c.wait_for_acquire(WAIT)
        assert_split([a, c])
    finally:
        for p in (a, b, c):
            if p is not None:
                p.finish()


def test_dead_member_claims_expire_and_survivor_takes_all(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    a = hz_client.Partitioner(unique_name, ITEMS, identifier="a", **FAST)
    doomed_client = hz_client_factory()
    b = doomed_client.Partitioner(unique_name, ITEMS, identifier="b", **FAST)
    try:
        wait_until(handler, lambda: a.acquired and b.acquired, "never both acquired")
        doomed_client.stop()  # LOST: b fails, its claims are left to expire
        wait_until(handler, lambda: b.failed, "b did not fail on LOST")
        wait_until(handler, lambda: a.release, "a never saw b go", timeout=WAIT)
        a.release_set()
        assert a.wait_for_acquire(WAIT), a
        assert sorted(a) == ITEMS
        assert set(claims(hz_client, unique_name).values()) == {a._token}
    finally:
        a.finish()


def test_custom_partition_func_and_state_event(hz_client, unique_name):
    event = hz_client.handler.event_object()

    def evens_only(identifier, members, items):
        return [item for item in items if item % 2 == 0]

    p = hz_client.Partitioner(unique_name, ITEMS, partition_func=evens_only, state_change_event=event, **FAST)
    try:
        assert p.wait_for_acquire(WAIT)
        assert event.is_set()
        assert sorted(p) == [0, 2, 4, 6, 8] and len(p) == 5
        assert sorted(claims(hz_client, unique_name)) == [0, 2, 4, 6, 8]
        assert isinstance(p.identifier, str) and p.identifier
    finally:
        p.finish()
    assert p.state == PartitionState.FAILURE


def test_items_held_by_another_fail_after_acquire_timeout(hz_client, unique_name):
    hz_client.get_map(unique_name + ".__owners").set(3, "someone-else", ttl=60)
    p = hz_client.Partitioner(unique_name, ITEMS, acquire_timeout=1.5, **FAST)
    try:
        p.wait_for_acquire(WAIT)
        assert p.failed
        assert claims(hz_client, unique_name) == {3: "someone-else"}  # its own were given back
    finally:
        p.finish()


@pytest.mark.parametrize("bad", [dict(lease=0), dict(time_boundary=-1)])
def test_bad_arguments(hz_client, unique_name, bad):
    with pytest.raises(ValueError):
        hz_client.Partitioner(unique_name, ITEMS, **bad)
