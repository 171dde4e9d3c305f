"""CountDownLatch, Barrier and DoubleBarrier recipes (both handlers)."""

import pytest

from hzgreen.recipes.barrier import DoubleBarrierTimeout

WAIT = 30


def _spawn(client, func, *args):
    result = client.handler.async_result()

    def run():
        try:
            result.set(func(*args))
        except BaseException as error:
            result.set_exception(error)

    client.handler.spawn(run)
    return result


def test_latch_counts_down_and_releases(hz_client, hz_client_factory, unique_name):
    latch = hz_client.CountDownLatch(unique_name, 2)
    assert latch.armed and latch.count == 2
    again = hz_client_factory().CountDownLatch(unique_name, 5)
    assert not again.armed and again.count == 2
    assert latch.wait(0.2) is False
    waiter = _spawn(hz_client, latch.wait, WAIT)
    latch.count_down()
    assert not waiter.ready() or waiter.get() is False
    again.count_down()
    assert waiter.get(timeout=WAIT) is True
    assert latch.count == 0 and latch.wait(0) is True
    assert latch.reset(1) and latch.count == 1


def test_barrier_create_wait_remove(hz_client, hz_client_factory, unique_name):
    barrier = hz_client.Barrier(unique_name)
    assert barrier.wait(0) is True  # no barrier set: open
    assert barrier.create() is True
    assert barrier.create() is False
    assert barrier.wait(0.2) is False
    waiter = _spawn(hz_client, hz_client_factory().Barrier(unique_name).wait, WAIT)
    assert barrier.remove() is True
    assert waiter.get(timeout=WAIT) is True
    assert barrier.remove() is False


def test_double_barrier_two_generations(hz_client, hz_client_factory, unique_name):
    clients = [hz_client, hz_client_factory(), hz_client_factory()]
    log = []

    def participant(client, tag):
        barrier = client.DoubleBarrier(unique_name, 3)
        for generation in range(2):
            barrier.enter(WAIT)
            log.append(("in", generation, tag))
            barrier.leave(WAIT)
            log.append(("out", generation, tag))
        return True

    results = [_spawn(c, participant, c, i) for i, c in enumerate(clients)]
    assert all(r.get(timeout=2 * WAIT) for r in results)
    # nobody left generation g before all three entered it
    for g in range(2):
        ins = [i for i, e in enumerate(log) if e[:2] == ("in", g)]
        outs = [i for i, e in enumerate(log) if e[:2] == ("out", g)]
        assert len(ins) == len(outs) == 3 and max(ins) < min(outs)


def test_double_barrier_enter_times_out(hz_client, unique_name):
    barrier = hz_client.DoubleBarrier(unique_name, 2)
    with pytest.raises(DoubleBarrierTimeout):
        barrier.enter(0.3)
    with pytest.raises(ValueError):
        hz_client.DoubleBarrier(unique_name, 0)
