"""CountDownLatch against a real member (CP unsafe mode), both handlers."""

import pytest

from hzgreen.cp import CountDownLatch


def test_latch_full_method_set(hz_client, unique_name):
    latch = hz_client.cp.get_count_down_latch(unique_name)
    assert isinstance(latch, CountDownLatch)
    assert latch.get_count() == 0
    assert latch.await_latch(0) is True  # nothing to wait for
    assert latch.try_set_count(2) is True
    assert latch.try_set_count(5) is False  # only when the count is 0
    assert latch.get_count() == 2
    assert latch.await_latch(0.2) is False
    latch.count_down()
    assert latch.get_count() == 1
    latch.count_down()
    assert latch.get_count() == 0
    assert latch.await_latch(0) is True
    latch.count_down()  # no-op at 0
    assert latch.get_count() == 0
    # Reusable: a new round.
    assert latch.try_set_count(1) is True
    assert latch.get_count() == 1


def test_validation(hz_client, unique_name):
    latch = hz_client.cp.get_count_down_latch(unique_name)
    with pytest.raises(ValueError):
        latch.try_set_count(0)
    with pytest.raises(TypeError):
        latch.try_set_count(1.5)
    with pytest.raises(TypeError):
        latch.await_latch("1")


def test_waiters_released_by_count_down(hz_client, unique_name, elsewhere):
    latch = hz_client.cp.get_count_down_latch(unique_name)
    latch.try_set_count(2)
    forever = [elsewhere(hz_client, latch.await_latch) for _ in range(3)]
    bounded = latch.await_latch_async(30)
    assert bounded.wait(0.3) is False
    latch.count_down()
    assert not any(w.ready() for w in forever)
    elsewhere(hz_client, latch.count_down).result(30)
    assert [w.result(30) for w in forever] == [True, True, True]
    assert bounded.result(30) is True


def test_async_twins(hz_client, unique_name):
    latch = hz_client.cp.get_count_down_latch(unique_name)
    assert latch.try_set_count_async(1).result(30) is True
    waiting = latch.await_latch_async()
    assert latch.get_count_async().result(30) == 1
    assert latch.count_down_async().result(30) is None
    assert waiting.result(30) is True
    assert latch.get_count_async().result(30) == 0


def test_await_longer_than_invocation_timeout(hz_client_factory, unique_name):
    client = hz_client_factory(invocation_timeout=1.0)
    latch = client.cp.get_count_down_latch(unique_name)
    latch.try_set_count(1)
    forever = latch.await_latch_async()
    start = client.handler.monotonic()
    assert latch.await_latch(2.0) is False  # a bounded wait past invocation_timeout
    assert client.handler.monotonic() - start >= 1.9
    assert forever.ready() is False
    latch.count_down()
    assert forever.result(30) is True


def test_destroy(hz_client, unique_name):
    cp = hz_client.cp
    latch = cp.get_count_down_latch(unique_name)
    latch.try_set_count(3)
    latch.destroy()
    assert cp.get_count_down_latch(unique_name) is not latch
