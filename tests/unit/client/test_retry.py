"""HzRetry: what it retries, when it gives up, and that each call gets a fresh copy."""

import pytest

from hzgreen.exceptions import (
    ClientNotActiveError,
    ConnectionLoss,
    HzTimeoutError,
    IllegalStateError,
    RetryFailedError,
    RetryInterruptedError,
)
from hzgreen.retry import HzRetry


class Flaky:
    def __init__(self, failures, error=ConnectionLoss):
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self, value):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("boom")
        return value


def no_sleep(waits):
    return lambda seconds: waits.append(seconds)


def test_retries_connection_loss_and_timeouts_until_success():
    waits = []
    retry = HzRetry(max_tries=5, delay=0.1, backoff=2, max_jitter=0, sleep_func=no_sleep(waits))
    flaky = Flaky(2)
    assert retry(flaky, "ok") == "ok"
    assert flaky.calls == 3
    assert waits == [0.1, 0.2]
    timeouts = Flaky(1, HzTimeoutError)
    assert retry(timeouts, 1) == 1 and timeouts.calls == 2


@pytest.mark.parametrize("error", [IllegalStateError, ValueError, ClientNotActiveError])
def test_other_errors_are_raised_at_once(error):
    flaky = Flaky(1, error)
    with pytest.raises(error):
        HzRetry(max_tries=5, sleep_func=no_sleep([]))(flaky, 1)
    assert flaky.calls == 1


def test_gives_up_after_max_tries_keeping_the_cause():
    flaky = Flaky(10)
    with pytest.raises(RetryFailedError) as info:
        HzRetry(max_tries=3, sleep_func=no_sleep([]))(flaky, 1)
    assert flaky.calls == 3
    assert isinstance(info.value.__cause__, ConnectionLoss)


def test_deadline_stops_retrying():
    waits = []
    retry = HzRetry(max_tries=-1, delay=1.0, backoff=1, max_jitter=0, deadline=0.5, sleep_func=no_sleep(waits))
    with pytest.raises(RetryFailedError):
        retry(Flaky(100), 1)
    assert waits == []


def test_max_delay_caps_the_wait_and_jitter_stays_in_bounds():
    waits = []
    retry = HzRetry(max_tries=6, delay=1, backoff=10, max_jitter=0.25, max_delay=3, sleep_func=no_sleep(waits))
    retry(Flaky(5), 1)
    assert len(waits) == 5
    assert all(w <= 3 for w in waits)
    assert 0.75 <= waits[0] <= 1.25


def test_interrupt():
    with pytest.raises(RetryInterruptedError):
        HzRetry(max_tries=5, sleep_func=no_sleep([]), interrupt=lambda: True)(Flaky(3), 1)


def test_copy_is_fresh_and_equal_in_settings():
    retry = HzRetry(max_tries=4, delay=0.3)
    retry._attempts = 3
    fresh = retry.copy()
    assert fresh is not retry and fresh._attempts == 0
    assert (fresh.max_tries, fresh.delay) == (4, 0.3)


@pytest.mark.parametrize(
    "kwargs", [dict(max_tries=0), dict(delay=-1), dict(max_jitter=1.5), dict(deadline=0), dict(sleep_func=5)]
)
def test_bad_arguments(kwargs):
    with pytest.raises((ValueError, TypeError)):
        HzRetry(**kwargs)


@pytest.mark.parametrize("name", ["delay", "backoff", "max_delay", "deadline"])
@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_waits_are_refused_naming_the_argument(name, value):
    with pytest.raises(ValueError, match=name):
        HzRetry(**{name: value})


def test_non_finite_command_retry_is_refused_by_the_client_config():
    from hzgreen.config import ClientConfig

    with pytest.raises(ValueError, match="command_retry: delay"):
        ClientConfig(command_retry={"delay": float("nan")})
