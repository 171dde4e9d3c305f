"""The connection lifecycle on plain numbers: fake connections, a float clock, no handler, no sockets.

Each test plays the driver: it feeds the lifecycle events (the loop's questions, attempts,
authentications, closes, ticks) and looks at the actions it returns; ``deliver`` plays the
reporter, turning the pulled reports into the states the client would hear.
"""

import logging
import uuid
from types import SimpleNamespace

import pytest

from hzgreen.config import ClientConfig
from hzgreen.exceptions import AuthenticationError, ClientNotActiveError, HzTimeoutError
from hzgreen.runtime.core.backoff import ReconnectBackoff
from hzgreen.runtime.core.lifecycle import ConnectionLifecycle
from hzgreen.runtime.core.lifecycle_actions import (
    CONNECT_MEMBERS,
    CONNECT_ROUND,
    LOOP_DONE,
    MEMBER_RECONNECT_PERIOD,
    RESEND_PARKED,
    STARTED,
    Announce,
    Close,
    ClosedAfterAuthentication,
    FailPending,
    Failure,
    GiveUp,
    Ping,
    Refuse,
    Removed,
    Report,
    ResetClusterView,
    StartConnecting,
    WaitUntil,
    WatchCluster,
)
from hzgreen.runtime.core.reports import StateReport

INTERVAL = 2.0  # heartbeat_interval: also how long a connection must stay up to be stable
TIMEOUT = 10.0  # heartbeat_timeout
CLUSTER = uuid.UUID(int=1)
OTHER_CLUSTER = uuid.UUID(int=2)
ADDRESS = ("10.0.0.1", 5701)


class Conn:
    """A stand-in connection: what the lifecycle reads, set by the test."""

    def __init__(self, number, member=None, now=0.0):
        self.address = ("10.0.0.%d" % number, 5701)
        self.member_uuid = member if member is not None else uuid.UUID(int=100 + number)
        self.alive = True
        self.close_reason = None
        self.last_read = self.last_write = now

    def __repr__(self):
        return "Conn(%s)" % self.address[0]


def member_of(conn):
    return SimpleNamespace(uuid=conn.member_uuid, address=SimpleNamespace(host=conn.address[0], port=5701))


def lifecycle(connect_timeout=-1, smart=True, reconnect=True, maximum=8.0):
    backoff = ReconnectBackoff(1.0, maximum, 2.0, 0.0, connect_timeout, INTERVAL, rand=lambda: 0.5)
    core = ConnectionLifecycle(
        [ADDRESS],
        backoff,
        cluster_name="dev",
        smart=smart,
        heartbeat_interval=INTERVAL,
        heartbeat_timeout=TIMEOUT,
        reconnect=reconnect,
    )
    assert core.start() == StartConnecting(initial=True)
    assert core.claim_loop()
    core.loop_began(True, 0.0)
    return core


def accept(core, conn, now, cluster=CLUSTER):
    assert core.admit(conn.address, 0, 271) is None
    actions = core.authenticated(conn, conn.member_uuid, cluster, now)
    assert isinstance(actions, list), actions
    return actions


def drop(core, conn, now, reason="dropped by the peer"):
    conn.alive = False
    conn.close_reason = reason
    return core.closed(conn, reason, now)


def deliver(core, actions=None):
    """Play the reporter for each Report among ``actions`` (or once, as a task that may block).

    Returns the states delivered, in order. A report handed over is finished as the driver
    does: by a reporter that may block.
    """
    if actions is None:
        turns = [True]
    else:
        turns = [action.may_block for action in actions if isinstance(action, Report)]
    states = []
    for may_block in turns:
        if not core.want_report():
            continue
        while True:
            report = core.next_report(may_block)
            if report is None:
                break
            if report.suspend:
                states.append("SUSPENDED")
            if report.connect:
                states.append(("CONNECTED", report.cluster_changed))
            if report.hand_over:
                core.end_reporting()
                states += deliver(core)
                break
    return states


def kinds(actions):
    return [type(action).__name__ for action in actions]


# -- the reconnect loop -------------------------------------------------------------------------


def test_rounds_are_paced_by_the_backoff_until_a_connection_is_accepted():
    core = lifecycle()
    now, pauses = 0.0, []
    for _ in range(5):
        assert core.next_step(now) is CONNECT_ROUND
        core.round_ended(False, now)
        step = core.next_step(now)
        assert isinstance(step, WaitUntil)
        pauses.append(step.when - now)
        now = step.when
    assert pauses == pytest.approx([1.0, 2.0, 4.0, 8.0, 8.0])
    assert core.next_step(now) is CONNECT_ROUND
    accept(core, Conn(1), now)
    core.round_ended(True, now)  # a round that connected is not a failed one
    assert core.next_step(now) is LOOP_DONE
    assert core.claim_loop(), "LOOP_DONE ends the loop: a new one may start at once"


def test_only_one_loop_runs_and_none_after_stop():
    core = lifecycle()
    assert not core.claim_loop()
    core.loop_exited()
    assert core.claim_loop()
    core.loop_exited()
    assert core.stop() == []
    assert not core.claim_loop() and core.next_step(0.0) is LOOP_DONE and not core.round_wanted()


def test_cluster_connect_timeout_gives_up_mid_reconnect():
    core = lifecycle(connect_timeout=5.0)
    conn = Conn(1)
    accept(core, conn, 0.0)
    assert core.next_step(0.0) is LOOP_DONE
    actions = drop(core, conn, 10.0)  # up 10 s: stable, so the budget starts afresh at the loss
    assert actions[-1] == StartConnecting(initial=False)
    assert core.claim_loop()
    core.loop_began(False, 10.0)
    rounds, now = [], 10.0
    while True:
        step = core.next_step(now)
        if isinstance(step, WaitUntil):
            now = step.when
            continue
        if step is not CONNECT_ROUND:
            break
        rounds.append(now)
        core.round_ended(False, now)
    assert rounds == pytest.approx([10.0, 11.0, 13.0, 15.0])  # the last round at the deadline, then give up
    assert step == GiveUp(initial=False, timeout=5.0)
    error = step.error([ADDRESS, ("10.0.0.2", 5702)])
    assert isinstance(error, HzTimeoutError)
    assert str(error) == (
        "could not connect to any of 10.0.0.1:5701, 10.0.0.2:5702 within cluster_connect_timeout=5.0 s"
    )


def test_start_gives_up_as_initial():
    core = lifecycle(connect_timeout=1.0)
    core.round_ended(False, 0.0)
    assert core.next_step(0.5) == WaitUntil(1.0)
    core.round_ended(False, 1.0)
    assert core.next_step(1.0) == GiveUp(initial=True, timeout=1.0)


def test_attempt_failures_say_how_loud_and_whether_start_fails(caplog):
    core = lifecycle()
    refused = AuthenticationError("bad credentials")
    unresolved = OSError("cannot resolve")
    with caplog.at_level(logging.DEBUG, logger="hzgreen.runtime.connection"):
        assert core.connect_failed(ADDRESS, Failure.REFUSED, refused) == (True, True)  # start() raises it
        assert core.connect_failed(ADDRESS, Failure.UNRESOLVED, unresolved) == (True, False)
        assert core.connect_failed(ADDRESS, Failure.UNRESOLVED, unresolved) == (False, False)  # said once
        core.connect_succeeded(ADDRESS)
        assert core.connect_failed(ADDRESS, Failure.UNRESOLVED, unresolved) == (True, False)  # it resolved between
        assert core.connect_failed(ADDRESS, Failure.UNREACHABLE, OSError("refused")) == (False, False)  # routine
        assert core.connect_failed(ADDRESS, Failure.UNEXPECTED, RuntimeError("bug")) == (True, False)
        core.loop_exited()
        core.loop_began(False, 5.0)
        assert core.connect_failed(ADDRESS, Failure.REFUSED, refused) == (True, False)  # reconnecting: retried
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "authentication to 10.0.0.1:5701 failed: bad credentials"),
        (logging.WARNING, "cannot resolve 10.0.0.1: cannot resolve; trying the other addresses"),
        (logging.DEBUG, "cannot resolve 10.0.0.1: cannot resolve"),
        (logging.WARNING, "cannot resolve 10.0.0.1: cannot resolve; trying the other addresses"),
        (logging.DEBUG, "could not connect to 10.0.0.1:5701: refused"),
        (logging.WARNING, "could not connect to 10.0.0.1:5701: RuntimeError('bug'); trying the other addresses"),
        (logging.WARNING, "authentication to 10.0.0.1:5701 failed: bad credentials"),
    ]


def test_one_attempt_per_address_at_a_time():
    core = lifecycle()
    assert core.begin_attempt(ADDRESS)
    assert not core.begin_attempt(ADDRESS)
    core.end_attempt(ADDRESS)
    assert core.begin_attempt(ADDRESS)


def test_candidate_addresses_are_the_configured_then_the_members_others():
    core = lifecycle()
    members = [member_of(Conn(1)), member_of(Conn(2)), member_of(Conn(2))]
    assert core.candidate_addresses(members) == [ADDRESS, ("10.0.0.2", 5701)]
    assert core.addresses == [ADDRESS]


# -- authentication ---------------------------------------------------------------------------


def test_a_refused_authentication_names_the_reason_and_the_cluster():
    core = lifecycle()
    refusal = core.admit(ADDRESS, 1, 271)
    assert refusal.reason == "authentication refused: credentials failed (wrong cluster name, user name or password)"
    assert isinstance(refusal.error, AuthenticationError)
    assert str(refusal.error) == (
        "10.0.0.1:5701 refused the client: credentials failed (wrong cluster name, "
        "user name or password) (cluster_name='dev')"
    )
    assert "status 9" in core.admit(ADDRESS, 9, 271).reason
    assert core.partition_count == 0  # a refusal fixes nothing


def test_the_first_member_fixes_the_partition_count():
    core = lifecycle()
    assert core.admit(ADDRESS, 0, 271) is None and core.partition_count == 271
    refusal = core.admit(ADDRESS, 0, 13)
    assert refusal.reason == "member of another cluster (partition count 13)"
    assert isinstance(refusal.error, AuthenticationError)


def test_the_first_connection_is_watched_reported_and_announced():
    core = lifecycle()
    conn = Conn(1)
    actions = accept(core, conn, 0.0)
    assert actions == [WatchCluster(conn), Report(may_block=True), STARTED, Announce(conn), RESEND_PARKED]
    assert core.active == [conn] and core.by_member == {conn.member_uuid: conn}
    assert core.cluster_id == CLUSTER and core.view_connection is conn
    assert deliver(core, actions) == [("CONNECTED", False)]
    second = Conn(2)
    assert accept(core, second, 0.5) == [Announce(second), RESEND_PARKED]
    assert deliver(core) == []  # nothing new to say


def test_a_duplicate_member_connection_is_closed():
    core = lifecycle()
    first = Conn(1)
    accept(core, first, 0.0)
    duplicate = Conn(1, member=first.member_uuid)
    verdict = core.authenticated(duplicate, first.member_uuid, CLUSTER, 1.0)
    assert verdict == Close(duplicate, "duplicate connection to member %s" % first.member_uuid)
    assert core.active == [first]
    first.alive = False  # dying, its close not yet seen: a new connection to the member replaces it
    replacement = Conn(1, member=first.member_uuid)
    accept(core, replacement, 2.0)
    assert core.by_member[first.member_uuid] is replacement


def test_a_second_connection_to_another_cluster_is_closed():
    core = lifecycle()
    accept(core, Conn(1), 0.0)
    stranger = Conn(2)
    assert core.authenticated(stranger, stranger.member_uuid, OTHER_CLUSTER, 1.0) == Close(
        stranger, "member of another cluster"
    )
    assert len(core.active) == 1 and core.cluster_id == CLUSTER


def test_a_connection_closed_or_a_client_stopped_before_acceptance_is_refused():
    core = lifecycle()
    gone = Conn(1)
    drop(core, gone, 0.0, reason="reset by peer")
    verdict = core.authenticated(gone, gone.member_uuid, CLUSTER, 0.0)
    assert isinstance(verdict, Refuse) and verdict.reason is None  # closed already: nothing to close
    assert isinstance(verdict.error, ClosedAfterAuthentication) and isinstance(verdict.error, ConnectionError)
    assert "right after authenticating the client: reset by peer" in str(verdict.error)
    core.stop()
    late = Conn(2)
    verdict = core.authenticated(late, late.member_uuid, CLUSTER, 0.0)
    assert verdict.reason == "client stopped" and isinstance(verdict.error, ClientNotActiveError)
    assert core.active == []


def test_a_new_cluster_id_resets_the_view_and_is_reported_as_a_changed_cluster():
    core = lifecycle()
    first = Conn(1)
    assert deliver(core, accept(core, first, 0.0)) == [("CONNECTED", False)]
    assert deliver(core, drop(core, first, 60.0)) == ["SUSPENDED"]
    restarted = Conn(1)
    actions = accept(core, restarted, 70.0, cluster=OTHER_CLUSTER)
    assert actions[0] == ResetClusterView(CLUSTER, OTHER_CLUSTER)
    assert core.cluster_id == OTHER_CLUSTER
    assert deliver(core, actions) == [("CONNECTED", True)]  # the client goes LOST, then CONNECTED
    second = Conn(2)
    assert ResetClusterView not in map(type, accept(core, second, 71.0, cluster=OTHER_CLUSTER))
    assert deliver(core) == []  # said once


# -- losing connections -------------------------------------------------------------------------


def test_the_view_listener_moves_when_its_connection_dies():
    core = lifecycle()
    first, second = Conn(1), Conn(2)
    accept(core, first, 0.0)
    accept(core, second, 0.1)
    actions = drop(core, first, 5.0)
    assert actions == [FailPending(first, "dropped by the peer"), Removed(first), WatchCluster(second)]
    assert core.view_connection is second and core.by_member == {second.member_uuid: second}
    actions = drop(core, second, 6.0)
    assert kinds(actions) == ["FailPending", "Removed", "Report", "StartConnecting"]
    assert core.view_connection is None and core.active == []


def test_losing_a_connection_that_is_not_the_view_one_keeps_the_view():
    core = lifecycle()
    first, second = Conn(1), Conn(2)
    accept(core, first, 0.0)
    accept(core, second, 0.1)
    assert drop(core, second, 5.0) == [FailPending(second, "dropped by the peer"), Removed(second)]
    assert core.view_connection is first


def test_a_connection_never_accepted_only_fails_its_invocations():
    core = lifecycle()
    stray = Conn(1)
    assert drop(core, stray, 1.0) == [FailPending(stray, "dropped by the peer")]


def test_without_reconnect_the_last_loss_is_reported_but_not_retried():
    core = lifecycle(reconnect=False)
    conn = Conn(1)
    accept(core, conn, 0.0)
    assert kinds(drop(core, conn, 10.0)) == ["FailPending", "Removed", "Report"]


def test_after_stop_a_close_reports_nothing_and_reconnects_nowhere():
    core = lifecycle()
    first, second = Conn(1), Conn(2)
    accept(core, first, 0.0)
    accept(core, second, 0.0)
    closes = core.stop()
    assert closes == [Close(first, "client stopped"), Close(second, "client stopped")]
    assert drop(core, first, 1.0) == [FailPending(first, "dropped by the peer"), Removed(first)]
    assert drop(core, second, 1.0) == [FailPending(second, "dropped by the peer"), Removed(second)]
    assert deliver(core) == []


def test_auth_then_drop_flapping_coalesces_connected_and_suspended(caplog):
    core = lifecycle()
    first = Conn(1)
    states = deliver(core, accept(core, first, 0.0))
    states += deliver(core, drop(core, first, 60.0, reason="member restarted"))  # stable, then lost
    now = 60.0
    with caplog.at_level(logging.DEBUG, logger="hzgreen.runtime.connection"):
        for _ in range(6):  # a peer that authenticates the client and drops it at once
            step = core.next_step(now)
            if isinstance(step, WaitUntil):
                now = step.when
            conn = Conn(2)
            states += deliver(core, accept(core, conn, now))
            states += deliver(core, drop(core, conn, now + 0.01))
    # The first two flaps are reported (one could be a member restarting), the rest not.
    assert states == [("CONNECTED", False), "SUSPENDED"] * 3
    drops = [r for r in caplog.records if "dropped before it was up" in r.getMessage()]
    assert [r.levelno for r in drops] == [logging.WARNING] * 2 + [logging.DEBUG] * 4  # quiet once flapping
    assert core.backoff.flapping
    assert core.next_step(now + 0.01) == WaitUntil(now + 0.01 + 8.0)  # the pause kept growing

    now += 20.0
    held = Conn(3, now=now)
    actions = accept(core, held, now)
    assert core.held and deliver(core, actions) == []  # connected, not yet reported
    assert Report(False) not in core.tick(now + INTERVAL - 0.1, SimpleNamespace(members=[]))
    actions = core.tick(now + INTERVAL, SimpleNamespace(members=[]))  # up one heartbeat_interval: stable
    assert actions == [Report(may_block=False)] and not core.held
    # The I/O loop must not deliver CONNECTED itself: it hands the report over to a task.
    assert core.want_report()
    assert core.next_report(may_block=False) == StateReport(False, False, False, hand_over=True)
    core.end_reporting()
    assert deliver(core) == [("CONNECTED", False)]
    assert not core.backoff.flapping and core.backoff.current_backoff == 1.0


def test_a_held_connection_lost_before_it_is_stable_is_not_reported():
    core = lifecycle()
    for now in (0.0, 0.5):
        conn = Conn(1)
        deliver(core, accept(core, conn, now))
        deliver(core, drop(core, conn, now + 0.1))
    conn = Conn(1)
    assert deliver(core, accept(core, conn, 5.0)) == []
    assert deliver(core, drop(core, conn, 5.1)) == []
    assert core.tick(10.0, SimpleNamespace(members=[])) == []  # nothing up: nothing to release


def test_news_arriving_while_a_reporter_is_busy_goes_to_that_reporter():
    core = lifecycle()
    first = Conn(1)
    assert core.want_report()  # a reporter is busy
    accept(core, first, 0.0)
    assert not core.want_report()  # news left to the busy one
    drop(core, first, 60.0)
    accept(core, Conn(2), 61.0)
    assert not core.want_report()
    assert core.next_report(may_block=True) == StateReport(False, True, False, False)
    assert core.next_report(may_block=True) is None  # its turn is over
    assert deliver(core) == []  # the loss happened before CONNECTED was said: nothing to take back


def test_a_reported_connection_lost_while_another_is_up_is_still_reported():
    core = lifecycle()
    first = Conn(1)
    deliver(core, accept(core, first, 0.0))
    assert core.want_report()  # a reporter is busy while the connection is lost and another comes up
    drop(core, first, 60.0)
    accept(core, Conn(2), 61.0)
    core.end_reporting()  # its delivery raised
    assert deliver(core) == ["SUSPENDED", ("CONNECTED", False)]


def test_a_stopped_client_ends_the_reporters_turn():
    core = lifecycle()
    accept(core, Conn(1), 0.0)
    assert core.want_report()
    core.stop()
    assert core.next_report(may_block=True) is None
    assert core.want_report()  # the turn is free again


# -- the periodic tick --------------------------------------------------------------------------


def test_heartbeat_timeout_closes_exactly_the_silent_connection(caplog):
    core = lifecycle()
    silent, chatty = Conn(1), Conn(2)
    accept(core, silent, 0.0)
    accept(core, chatty, 0.0)
    silent.last_read = 1.0
    chatty.last_read = chatty.last_write = silent.last_write = 11.0
    view = SimpleNamespace(members=[member_of(silent), member_of(chatty)])
    assert core.tick(11.0, view) == []  # silent for exactly heartbeat_timeout: not yet
    with caplog.at_level(logging.WARNING, logger="hzgreen.runtime.connection"):
        assert core.tick(11.01, view) == [Close(silent, "heartbeat timeout")]
    assert "no data from Conn(10.0.0.1) for 10.0s" in caplog.text


def test_a_connection_idle_for_an_interval_is_pinged_once_per_interval():
    core = lifecycle(smart=False)
    conn = Conn(1)
    accept(core, conn, 0.0)
    view = SimpleNamespace(members=[])

    def pings(now):
        conn.last_read = now  # the member answers: never silent
        return [a for a in core.tick(now, view) if isinstance(a, Ping)]

    assert pings(2.0) == []  # idle exactly one interval: not yet
    assert pings(2.05) == [Ping(conn)]
    assert pings(2.1) == pings(4.0) == []  # one ping per interval, whether or not it was written yet
    assert pings(4.1) == [Ping(conn)]
    conn.last_write = 5.0  # a user request went out
    assert pings(6.2) == []
    assert pings(7.05) == [Ping(conn)]


def test_missing_members_are_connected_to_about_once_a_second():
    core = lifecycle()
    first = Conn(1)
    accept(core, first, 0.0)
    other = member_of(Conn(2))
    view = SimpleNamespace(members=[member_of(first), other])
    first.last_read = first.last_write = 100.0
    assert core.tick(0.5, view) == []  # within the first period
    assert core.tick(1.1, view) == [CONNECT_MEMBERS]
    assert core.tick(1.5, view) == []  # once per period
    assert core.begin_attempt(("10.0.0.2", 5701))
    assert core.tick(1.1 + MEMBER_RECONNECT_PERIOD + 0.1, view) == []  # being connected to already
    assert core.member_needs_connection(other.uuid) and not core.member_needs_connection(first.member_uuid)
    assert core.may_connect_members() and core.view_changed()
    core.stop()
    assert not core.member_needs_connection(other.uuid) and not core.may_connect_members()
    assert not core.view_changed()


def test_unisocket_never_connects_to_other_members():
    core = lifecycle(smart=False)
    accept(core, Conn(1), 0.0)
    assert core.tick(5.0, SimpleNamespace(members=[member_of(Conn(2))])) == [Ping(core.active[0])]
    assert not core.may_connect_members() and not core.view_changed()


def test_abandon_stops_without_closing():
    core = lifecycle()
    accept(core, Conn(1), 0.0)
    core.abandon()
    assert not core.running and len(core.active) == 1 and not core.claim_loop()


def test_from_config_reads_the_client_options():
    config = ClientConfig(
        cluster_members=["10.0.0.9:5702"],
        cluster_name="prod",
        smart_routing=False,
        heartbeat_interval=3.0,
        heartbeat_timeout=30.0,
        reconnect_mode="OFF",
        cluster_connect_timeout=12.0,
    )
    core = ConnectionLifecycle.from_config(config, rand=lambda: 0.5)
    assert core.addresses == [("10.0.0.9", 5702)] and core.cluster_name == "prod"
    assert (core.smart, core.heartbeat_interval, core.heartbeat_timeout, core.reconnect) == (False, 3.0, 30.0, False)
    assert core.backoff.stable_after == 3.0 and core.backoff.connect_timeout == 12.0
    assert not core.running and core.start() == StartConnecting(initial=True) and core.running
