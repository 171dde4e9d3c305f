"""The reconnect policy on plain numbers: no clock, no sockets, no handler."""

import types

import pytest

from hzgreen.config import ClientConfig
from hzgreen.runtime.core.backoff import Action, ReconnectBackoff, Step


def policy(
    initial=1.0,
    maximum=8.0,
    multiplier=2.0,
    jitter=0.0,
    connect_timeout=-1,
    stable_after=5.0,
    rand=lambda: 0.5,
    flapping_after=2,
):
    return ReconnectBackoff(initial, maximum, multiplier, jitter, connect_timeout, stable_after, rand, flapping_after)


def pauses_after_failed_rounds(backoff, rounds, start=0.0):
    """Fail ``rounds`` rounds, each as soon as it is due; the pauses the policy asked for."""
    now = start
    pauses = []
    for _ in range(rounds):
        assert backoff.next_step(now) == Step(Action.CONNECT, 0.0)
        backoff.round_failed(now)
        step = backoff.next_step(now)
        assert step.action is Action.WAIT
        pauses.append(step.delay)
        now += step.delay
    return pauses, now


def test_first_round_is_at_once_then_pauses_grow_by_the_multiplier_up_to_the_cap():
    backoff = policy()
    backoff.begin(100.0)
    pauses, _ = pauses_after_failed_rounds(backoff, 6, start=100.0)
    assert pauses == pytest.approx([1.0, 2.0, 4.0, 8.0, 8.0, 8.0])


def test_a_fractional_multiplier_grows_slowly_and_never_past_the_cap():
    backoff = policy(initial=1.0, maximum=1.2, multiplier=1.05)
    backoff.begin(0.0)
    pauses, _ = pauses_after_failed_rounds(backoff, 6)
    assert pauses == pytest.approx([1.0, 1.05, 1.1025, 1.157625, 1.2, 1.2])


def test_waiting_part_of_a_pause_leaves_the_rest():
    backoff = policy()
    backoff.begin(0.0)
    backoff.round_failed(0.0)
    assert backoff.next_step(0.25) == Step(Action.WAIT, 0.75)
    assert backoff.next_step(1.0) == Step(Action.CONNECT, 0.0)


@pytest.mark.parametrize("draw, factor", [(0.0, 0.8), (0.5, 1.0), (0.999999, 1.2)])
def test_jitter_spreads_each_pause_within_its_bounds(draw, factor):
    backoff = policy(initial=2.0, maximum=100.0, jitter=0.2, rand=lambda: draw)
    backoff.begin(0.0)
    pauses, _ = pauses_after_failed_rounds(backoff, 3)
    assert pauses == pytest.approx([2.0 * factor, 4.0 * factor, 8.0 * factor], rel=1e-5)


def test_jitter_never_takes_a_pause_past_the_cap_nor_below_its_lower_bound():
    draws = iter([0.999999, 0.0] * 10)
    backoff = policy(initial=4.0, maximum=5.0, jitter=0.5, rand=lambda: next(draws))
    backoff.begin(0.0)
    pauses, _ = pauses_after_failed_rounds(backoff, 6)
    assert all(pause <= 5.0 for pause in pauses), pauses
    assert pauses[0] == pytest.approx(5.0)  # 4.0 spread up to 6.0, capped
    assert pauses[1] == pytest.approx(5.0 * 0.5)  # the base is capped at 5.0, then spread down


def test_random_jitter_stays_in_bounds():
    backoff = ReconnectBackoff(1.0, 1.0, 1.0, 0.3, -1, 5.0)
    backoff.begin(0.0)
    pauses, _ = pauses_after_failed_rounds(backoff, 200)
    assert all(0.7 - 1e-9 <= pause <= 1.0 + 1e-9 for pause in pauses)  # (float noise of now + pause - now)
    assert len({round(pause, 6) for pause in pauses}) > 10  # actually spread


def test_authenticating_then_dropping_at_once_does_not_reset_the_backoff():
    backoff = policy(stable_after=5.0)
    backoff.begin(0.0)
    now = 0.0
    pauses = []
    for attempt in range(5):
        assert backoff.next_step(now).action is Action.CONNECT
        backoff.connected_at(now)
        now += 0.01  # the peer drops the client right after authenticating it
        assert backoff.disconnected_at(now) is False
        assert backoff.flapping == (attempt >= 1)  # from the second loss in a row
        step = backoff.next_step(now)
        assert step.action is Action.WAIT
        pauses.append(step.delay)
        now += step.delay
    assert pauses == pytest.approx([1.0, 2.0, 4.0, 8.0, 8.0])


def test_a_connection_stable_for_stable_after_resets_the_backoff():
    backoff = policy(stable_after=5.0)
    backoff.begin(0.0)
    _, now = pauses_after_failed_rounds(backoff, 4)  # the next pause would be 8 s
    backoff.connected_at(now)
    assert backoff.check_stable(now + 4.9) is False
    assert backoff.current_backoff == 8.0
    assert backoff.check_stable(now + 5.0) is True
    assert backoff.current_backoff == 1.0 and not backoff.flapping
    assert backoff.disconnected_at(now + 60.0) is True
    assert backoff.next_step(now + 60.0) == Step(Action.CONNECT, 0.0)  # at once after a stable one
    backoff.round_failed(now + 60.0)
    assert backoff.next_step(now + 60.0) == Step(Action.WAIT, 1.0)


def test_losing_a_connection_after_stable_after_resets_even_without_check_stable():
    backoff = policy(stable_after=5.0)
    backoff.begin(0.0)
    _, now = pauses_after_failed_rounds(backoff, 3)
    backoff.connected_at(now)
    assert backoff.disconnected_at(now + 5.0) is True
    assert not backoff.flapping and backoff.current_backoff == 1.0
    assert backoff.next_step(now + 5.0).action is Action.CONNECT


def test_one_short_connection_is_not_flapping_two_in_a_row_are():
    backoff = policy(stable_after=5.0)
    backoff.begin(0.0)
    backoff.connected_at(0.0)
    backoff.disconnected_at(1.0)  # a member restarted just after the client connected
    assert not backoff.flapping
    backoff.connected_at(2.0)
    backoff.disconnected_at(3.0)
    assert backoff.flapping


def test_flapping_lasts_until_a_connection_is_stable():
    backoff = policy(stable_after=5.0, flapping_after=1)
    backoff.begin(0.0)
    backoff.connected_at(0.0)
    backoff.disconnected_at(1.0)
    assert backoff.flapping
    backoff.connected_at(2.0)
    assert backoff.flapping  # still: this one has not proved itself yet
    assert not backoff.check_stable(6.9)
    assert backoff.check_stable(7.0) and not backoff.flapping
    backoff.disconnected_at(8.0)  # a stable one's loss does not count
    assert not backoff.flapping


def test_gives_up_after_a_last_round_at_the_deadline():
    backoff = policy(initial=1.0, maximum=1.0, connect_timeout=3.5)
    backoff.begin(10.0)
    assert backoff.deadline == 13.5
    pauses, now = pauses_after_failed_rounds(backoff, 4, start=10.0)
    assert pauses == pytest.approx([1.0, 1.0, 1.0, 0.5])  # the last wait ends at the deadline
    assert now == pytest.approx(13.5)
    assert backoff.next_step(now).action is Action.CONNECT  # the last round
    backoff.round_failed(now)
    assert backoff.next_step(now) == Step(Action.GIVE_UP, 0.0)


def test_a_round_that_fails_past_the_deadline_gives_up_at_once():
    backoff = policy(connect_timeout=2.0)
    backoff.begin(0.0)
    backoff.round_failed(30.0)  # a round that took long (slow connection timeouts)
    assert backoff.next_step(30.0).action is Action.GIVE_UP


def test_no_deadline_by_default():
    backoff = policy(connect_timeout=-1)
    backoff.begin(0.0)
    assert backoff.deadline is None
    _, now = pauses_after_failed_rounds(backoff, 50)
    assert backoff.next_step(now).action is Action.CONNECT


def test_unstable_connections_do_not_extend_the_give_up_budget():
    backoff = policy(initial=0.5, maximum=0.5, connect_timeout=3.0, stable_after=5.0)
    backoff.begin(0.0)
    now = 0.0
    while True:
        step = backoff.next_step(now)
        if step.action is Action.GIVE_UP:
            break
        if step.action is Action.WAIT:
            now += step.delay
            continue
        backoff.connected_at(now)
        now += 0.1
        backoff.disconnected_at(now)
        assert now < 10, "never gave up"
    assert now == pytest.approx(3.1)  # the last connection, made at the deadline, lived 0.1 s


def test_a_stable_connection_starts_a_new_budget_when_lost():
    backoff = policy(initial=1.0, maximum=1.0, connect_timeout=3.0, stable_after=5.0)
    backoff.begin(0.0)
    backoff.connected_at(0.5)
    assert backoff.disconnected_at(100.0) is True
    assert backoff.deadline == 103.0
    assert backoff.next_step(102.0).action is Action.CONNECT


def test_without_begin_the_first_decision_starts_the_budget():
    backoff = policy(connect_timeout=2.0)
    assert backoff.next_step(50.0).action is Action.CONNECT
    assert backoff.deadline == 52.0


def test_begin_starts_afresh():
    backoff = policy(connect_timeout=2.0)
    backoff.begin(0.0)
    backoff.connected_at(0.0)
    backoff.disconnected_at(0.1)
    backoff.round_failed(5.0)
    assert backoff.next_step(5.0).action is Action.GIVE_UP
    backoff.begin(9.0)
    assert backoff.next_step(9.0) == Step(Action.CONNECT, 0.0)
    assert not backoff.flapping and backoff.deadline == 11.0 and not backoff.connected


def test_from_config_uses_the_connection_strategy_options_and_heartbeat_interval():
    config = ClientConfig(
        retry_initial_backoff=0.25,
        retry_max_backoff=3.0,
        retry_multiplier=1.5,
        retry_jitter=0.1,
        cluster_connect_timeout=20,
        heartbeat_interval=2.0,
    )
    backoff = ReconnectBackoff.from_config(config)
    assert (backoff.initial, backoff.maximum, backoff.multiplier, backoff.jitter) == (0.25, 3.0, 1.5, 0.1)
    assert (backoff.connect_timeout, backoff.stable_after) == (20, 2.0)
    plain = types.SimpleNamespace(
        retry_initial_backoff=1.0,
        retry_max_backoff=1.0,
        retry_multiplier=1.0,
        retry_jitter=0.0,
        cluster_connect_timeout=-1,
        heartbeat_interval=5.0,
    )
    assert ReconnectBackoff.from_config(plain).stable_after == 5.0


@pytest.mark.parametrize(
    "arguments, word",
    [
        ((2.0, 1.0, 2.0, 0.0, -1, 1.0), "initial"),
        ((-1.0, 1.0, 2.0, 0.0, -1, 1.0), "initial"),
        ((1.0, 2.0, 0.5, 0.0, -1, 1.0), "multiplier"),
        ((1.0, 2.0, 2.0, 1.5, -1, 1.0), "jitter"),
        ((1.0, 2.0, 2.0, 0.0, -1, -1.0), "stable_after"),
        ((1.0, 2.0, 2.0, 0.0, -1, 1.0, None, 0), "flapping_after"),
    ],
)
def test_bad_parameters_are_refused_by_name(arguments, word):
    with pytest.raises(ValueError, match=word):
        ReconnectBackoff(*arguments)


def test_the_module_does_no_io():
    import hzgreen.runtime.core.backoff as module

    with open(module.__file__) as file:
        source = file.read()
    for name in ("import time", "import socket", "import threading", "import gevent", "import select"):
        assert name not in source
