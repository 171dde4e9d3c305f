"""The listener registration table on plain numbers: fake connections, no handler, no sockets.

Each test plays the driver: it feeds the table events and looks at the actions it returns.
"""

import logging
import random
from types import SimpleNamespace

import pytest

from hzgreen.exceptions import (
    ClientNotActiveError,
    HzTimeoutError,
    IllegalArgumentError,
    TargetDisconnectedError,
)
from hzgreen.runtime.core.registrations import (
    CONFIRMATION_GRACE,
    CONNECT_MEMBERS,
    REREGISTER_ATTEMPTS,
    Announce,
    AwaitConfirmations,
    CompleteAdd,
    FailAdd,
    RegistrationTable,
    RetryAdd,
    SendAdd,
    SendRemove,
)

TIMEOUT = 10.0
PAUSE = 0.5


class Link:
    def __init__(self, name):
        self.name = name
        self.alive = True
        self.member_uuid = "uuid-" + name

    def __repr__(self):
        return "Link(%s)" % self.name


def member(link):
    return SimpleNamespace(uuid=link.member_uuid, address=SimpleNamespace(host="10.0.0.1", port=5701))


def table(smart=True):
    return RegistrationTable(smart_routing=smart, timeout=TIMEOUT, retry_pause=PAUSE)


def adds(actions):
    return [action for action in actions if isinstance(action, SendAdd)]


def kinds(actions):
    return [type(action).__name__ for action in actions]


def active(t, links, announce=False, now=0.0):
    """A registration confirmed on every one of ``links`` (the member list is theirs)."""
    registration = t.register("listener", announce, now)
    for add in adds(t.progress(registration, links, [member(c) for c in links], now)):
        assert t.confirmed(add.entry, "server-" + add.entry.connection.name) == []
    assert kinds(t.progress(registration, links, [member(c) for c in links], now)) == ["CompleteAdd"]
    return registration


# -- adding -----------------------------------------------------------------------------------


def test_an_add_is_sent_on_every_live_connection_with_local_only_under_smart_routing():
    t = table()
    a, b, dead = Link("a"), Link("b"), Link("dead")
    dead.alive = False
    registration = t.register("listener", False, 0.0)
    assert registration.id in t and len(t) == 1
    assert registration.listener == "listener" and registration.deadline == TIMEOUT
    actions = t.progress(registration, [a, b, dead], [member(a), member(b)], 0.0)
    assert kinds(actions) == ["SendAdd", "SendAdd", "ConnectMembers"]  # asked for once, while missing
    assert [(add.entry.connection, add.local_only, add.entry.attempt) for add in adds(actions)] == [
        (a, True, 1),
        (b, True, 1),
    ]
    assert all(add.entry.registration is registration for add in adds(actions))
    # Looking again sends nothing more: the adds are on their way.
    assert t.progress(registration, [a, b], [member(a), member(b)], 1.0) == []


def test_unisocket_sends_without_local_only_and_completes_on_its_one_connection():
    t = table(smart=False)
    a, b = Link("a"), Link("b")
    registration = t.register("listener", False, 0.0)
    (add,) = t.progress(registration, [a], [member(a), member(b)], 0.0)
    assert add.local_only is False
    assert t.missing(registration, [a], [member(a), member(b)]) == ["no connection to the cluster"]
    t.confirmed(add.entry, "server-a")
    actions = t.progress(registration, [a], [member(a), member(b)], 0.1)
    assert actions == [CompleteAdd(registration)]  # member b is not waited for, nor connected to
    assert registration.active and registration.settled


def test_the_add_completes_once_every_member_confirmed_and_only_once():
    t = table()
    a, b = Link("a"), Link("b")
    members = [member(a), member(b)]
    registration = t.register("listener", False, 0.0)
    first, second = adds(t.progress(registration, [a, b], members, 0.0))
    t.confirmed(first.entry, "server-a")
    assert t.progress(registration, [a, b], members, 0.1) == []
    assert t.missing(registration, [a, b], members) == ["member uuid-b (10.0.0.1:5701)"]
    t.confirmed(second.entry, "server-b")
    assert t.progress(registration, [a, b], members, 0.2) == [CompleteAdd(registration)]
    assert t.progress(registration, [a, b], members, 0.3) == []
    assert set(t.confirmed_connections(registration.id)) == {a, b}


def test_a_member_without_a_connection_is_waited_for_and_its_connection_asked_for_once():
    t = table()
    a, b = Link("a"), Link("b")
    members = [member(a), member(b)]
    registration = t.register("listener", False, 0.0)
    assert t.progress(registration, [], members, 0.0) == []  # no live connection: nothing to send or ask for
    actions = t.progress(registration, [a], members, 0.1)
    assert kinds(actions) == ["SendAdd", "ConnectMembers"] and actions[1] is CONNECT_MEMBERS
    t.confirmed(actions[0].entry, "server-a")
    assert t.progress(registration, [a], members, 0.2) == []  # asked once only
    (add_b,) = t.progress(registration, [a, b], members, 0.3)
    assert add_b.entry.connection is b
    t.confirmed(add_b.entry, "server-b")
    assert t.progress(registration, [a, b], members, 0.4) == [CompleteAdd(registration)]


def test_without_members_nor_connections_the_add_waits_for_the_cluster():
    t = table()
    registration = t.register("listener", False, 0.0)
    assert t.missing(registration, [], []) == ["no connection to the cluster"]
    assert t.progress(registration, [], [], 1.0) == []
    assert not registration.settled


def test_the_add_times_out_and_is_undone_on_the_members_that_confirmed_it():
    t = table()
    a, b = Link("a"), Link("b")
    members = [member(a), member(b)]
    registration = t.register("listener", False, 5.0)
    add_a, _ = t.progress(registration, [a], members, 5.0)
    t.confirmed(add_a.entry, "server-a")
    assert t.progress(registration, [a], members, 5.0 + TIMEOUT - 0.001) == []
    actions = t.progress(registration, [a], members, 5.0 + TIMEOUT)
    assert kinds(actions) == ["FailAdd", "SendRemove"]
    error = actions[0].error
    assert isinstance(error, HzTimeoutError)
    assert "invocation_timeout=10.000s" in str(error) and "uuid-b" in str(error) and "uuid-a" not in str(error)
    assert actions[1].entry is add_a.entry and actions[1].entry.server_id == "server-a"
    assert registration.removed and registration.settled and not registration.active
    assert registration.id not in t and registration.entries == {}
    assert t.progress(registration, [a], members, 99.0) == []


def test_a_refusal_fails_the_add_and_the_confirmed_members_are_undone_but_not_the_pending_ones():
    t = table()
    a, b, c = Link("a"), Link("b"), Link("c")
    members = [member(a), member(b), member(c)]
    registration = t.register("listener", False, 0.0)
    add_a, add_b, add_c = adds(t.progress(registration, [a, b, c], members, 0.0))
    t.confirmed(add_a.entry, "server-a")
    refusal = IllegalArgumentError("bad predicate")
    assert t.refused(add_b.entry, refusal) == []
    assert t.refused(add_b.entry, IllegalArgumentError("second")) == []  # the first error stays
    actions = t.progress(registration, [a, b, c], members, 0.1)
    assert actions == [FailAdd(registration, refusal), SendRemove(add_a.entry)]
    # c answers after the add failed: it is taken off as well.
    assert t.confirmed(add_c.entry, "server-c") == [SendRemove(add_c.entry)]


def test_a_connection_lost_while_adding_is_not_an_error_once_its_member_left():
    t = table()
    a, b = Link("a"), Link("b")
    registration = t.register("listener", False, 0.0)
    add_a, add_b = adds(t.progress(registration, [a, b], [member(a), member(b)], 0.0))
    t.confirmed(add_a.entry, "server-a")
    b.alive = False
    assert t.refused(add_b.entry, TargetDisconnectedError("closed")) == []
    assert registration.error is None and b not in registration.entries
    assert t.progress(registration, [a], [member(a), member(b)], 0.1) == []  # b is still a member
    assert t.progress(registration, [a], [member(a)], 0.2) == [CompleteAdd(registration)]


def test_deregistering_during_the_add_completes_it_and_a_late_confirmation_is_removed():
    t = table()
    a, b = Link("a"), Link("b")
    members = [member(a), member(b)]
    registration = t.register("listener", False, 0.0)
    add_a, add_b = adds(t.progress(registration, [a, b], members, 0.0))
    t.confirmed(add_a.entry, "server-a")
    assert t.deregister(registration.id) == [SendRemove(add_a.entry)]  # b is still on its way
    assert registration.removed and registration.id not in t
    assert t.progress(registration, [a, b], members, 0.1) == [CompleteAdd(registration)]
    assert t.confirmed(add_b.entry, "server-b") == [SendRemove(add_b.entry)]
    assert t.deregister(registration.id) is None


def test_an_add_refused_and_deregistered_meanwhile_fails_without_removing_twice():
    t = table()
    a, b = Link("a"), Link("b")
    members = [member(a), member(b)]
    registration = t.register("listener", False, 0.0)
    add_a, add_b = adds(t.progress(registration, [a, b], members, 0.0))
    t.confirmed(add_a.entry, "server-a")
    refusal = IllegalArgumentError("bad predicate")
    t.refused(add_b.entry, refusal)
    assert t.deregister(registration.id) == [SendRemove(add_a.entry)]
    assert t.progress(registration, [a, b], members, 0.1) == [FailAdd(registration, refusal)]


def test_a_deregistered_registration_is_not_sent_anywhere_and_is_not_awaited():
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a])
    t.deregister(registration.id)
    assert t.connection_added(b) == []
    assert t.connection_authenticated(b, 0.0) == []
    assert not t.awaiting(a)


# -- connections coming and going ----------------------------------------------------------------


def test_a_new_connection_gets_the_registration_once_and_announces_it_when_asked():
    t = table()
    a, b = Link("a"), Link("b")
    quiet = active(t, [a])
    loud = active(t, [a], announce=True)
    actions = t.connection_added(b)
    assert [(add.entry.registration, add.entry.connection) for add in actions] == [(quiet, b), (loud, b)]
    assert t.connection_added(b) == []  # twice (raced with an add): sent once
    quiet_b, loud_b = actions
    assert t.confirmed(quiet_b.entry, "server-quiet-b") == []
    assert t.confirmed(loud_b.entry, "server-loud-b") == [Announce(loud_b.entry)]
    assert set(t.confirmed_connections(loud.id)) == {a, b}


def test_the_connections_of_the_add_itself_are_not_announced():
    t = table()
    a = Link("a")
    registration = t.register("listener", True, 0.0)
    (add,) = adds(t.progress(registration, [a], [member(a)], 0.0))
    assert t.confirmed(add.entry, "server-a") == []


def test_a_stale_entry_is_not_announced():
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a], announce=True)
    (add,) = t.connection_added(b)
    t.connection_removed(b)  # b died before its answer arrived
    assert t.confirmed(add.entry, "server-b") == []
    assert t.confirmed_connections(registration.id) == [a]


def test_an_authenticated_connection_is_registered_and_awaited_until_every_answer():
    t = table()
    a, b, old = Link("a"), Link("b"), Link("old")
    first = active(t, [a, old])
    second = active(t, [a, old])
    old.alive = False
    actions = t.connection_authenticated(b, 100.0)
    assert kinds(actions) == ["SendAdd", "SendAdd", "AwaitConfirmations"]
    assert actions[2] == AwaitConfirmations(b, 100.0 + TIMEOUT + CONFIRMATION_GRACE)
    assert old not in first.entries and old not in second.entries  # dead entries forgotten
    assert t.awaiting(b) and not t.awaiting(a)
    t.confirmed(actions[0].entry, "server-b1")
    assert t.awaiting(b)
    t.refused(actions[1].entry, IllegalArgumentError("not now"))
    assert not t.awaiting(b)
    # Made usable: only the refused registration is sent again.
    assert [(add.entry.registration, add.entry.connection) for add in t.connection_added(b)] == [(second, b)]


def test_an_authenticated_connection_with_nothing_registered_is_not_awaited():
    assert table().connection_authenticated(Link("a"), 0.0) == []


def test_a_lost_connection_is_forgotten_and_the_next_one_registers_again():
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a])
    a.alive = False
    t.connection_removed(a)
    assert t.confirmed_connections(registration.id) == []
    (add,) = t.connection_added(b)
    t.confirmed(add.entry, "server-b")
    assert t.deregister(registration.id) == [SendRemove(add.entry)]
    assert add.entry.server_id == "server-b"


def test_confirmed_connections_leaves_out_dead_unconfirmed_and_unknown():
    t = table()
    a, b, c = Link("a"), Link("b"), Link("c")
    registration = active(t, [a, b])
    t.connection_added(c)  # on its way
    b.alive = False
    assert t.confirmed_connections(registration.id) == [a]
    assert t.confirmed_connections("unknown") == []


def test_nothing_is_sent_on_a_dead_connection():
    t = table()
    a = Link("a")
    active(t, [Link("x")])
    a.alive = False
    assert t.connection_added(a) == []


# -- re-registering after the add returned -------------------------------------------------------


def test_a_refused_reregistration_is_retried_with_a_growing_pause_then_given_up(caplog):
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a])
    (add,) = t.connection_added(b)
    pauses = []
    for attempt in range(1, REREGISTER_ATTEMPTS):
        assert add.entry.attempt == attempt
        (retry,) = t.refused(add.entry, IllegalArgumentError("not yet"))
        assert isinstance(retry, RetryAdd) and (retry.connection, retry.attempt) == (b, attempt + 1)
        pauses.append(retry.delay)
        (add,) = t.retry(retry)
        assert add.entry.connection is b
    assert pauses == [PAUSE * n for n in range(1, REREGISTER_ATTEMPTS)]
    with caplog.at_level(logging.WARNING, logger="hzgreen.runtime.listeners"):
        assert t.refused(add.entry, IllegalArgumentError("still not")) == []
    assert "could not register listener %s" % registration.id in caplog.text
    assert t.confirmed_connections(registration.id) == [a]


def test_a_retry_that_succeeds_announces_and_counts():
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a], announce=True)
    (add,) = t.connection_added(b)
    (retry,) = t.refused(add.entry, IllegalArgumentError("transient"))
    (again,) = t.retry(retry)
    assert t.confirmed(again.entry, "server-b") == [Announce(again.entry)]
    assert set(t.confirmed_connections(registration.id)) == {a, b}


@pytest.mark.parametrize("error", [ClientNotActiveError("stopped"), TargetDisconnectedError("closed")])
def test_no_retry_after_the_client_stopped_or_the_connection_was_lost(error):
    t = table()
    active(t, [Link("a")])
    (add,) = t.connection_added(Link("b"))
    assert t.refused(add.entry, error) == []


def test_no_retry_on_a_dead_connection_nor_for_a_removed_registration(caplog):
    t = table()
    a, b, c = Link("a"), Link("b"), Link("c")
    registration = active(t, [a])
    (add_b,) = t.connection_added(b)
    (add_c,) = t.connection_added(c)
    b.alive = False
    with caplog.at_level(logging.WARNING, logger="hzgreen.runtime.listeners"):
        assert t.refused(add_b.entry, IllegalArgumentError("x")) == []
        t.deregister(registration.id)
        assert t.refused(add_c.entry, IllegalArgumentError("x")) == []
    assert caplog.records == []  # nothing worth a warning: the connection or the registration is gone


def test_a_retry_is_dropped_when_the_registration_went_or_the_connection_has_it_already():
    t = table()
    a, b = Link("a"), Link("b")
    registration = active(t, [a])
    (add,) = t.connection_added(b)
    (retry,) = t.refused(add.entry, IllegalArgumentError("x"))
    t.connection_added(b)  # b got it again meanwhile
    assert t.retry(retry) == []
    t.deregister(registration.id)
    assert t.retry(retry) == []


# -- stopping ------------------------------------------------------------------------------------


def test_stopping_fails_adds_in_progress_and_new_ones_until_a_connection_is_usable():
    t = table()
    a, b = Link("a"), Link("b")
    done = active(t, [a])
    registration = t.register("listener", False, 0.0)
    (add,) = adds(t.progress(registration, [a], [member(a), member(b)], 0.0))
    t.confirmed(add.entry, "server-a")
    t.stop()
    actions = t.progress(registration, [a], [member(a), member(b)], 0.1)
    assert kinds(actions) == ["FailAdd", "SendRemove"]
    assert isinstance(actions[0].error, ClientNotActiveError)
    assert done.error is None and done.id in t  # what was added stays
    with pytest.raises(ClientNotActiveError, match="stopped"):
        t.register("listener", False, 0.2)
    t.connection_added(a)
    assert not t.stopped
    assert t.register("listener", False, 0.3).id in t


def test_the_repr_names_the_registration():
    t = table()
    registration = active(t, [Link("a")])
    assert registration.id in repr(registration)
    assert registration.id in repr(next(iter(registration.entries.values())))


# -- many interleavings ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_shuffled_events_settle_every_add_once_and_undo_what_was_forgotten(seed):
    """Adds, answers, refusals, joins, deaths and removals in a random order: every add settles
    exactly once, and every confirmation of a forgotten registration on a live connection is
    removed exactly once (a registration that is kept is never removed anywhere)."""
    rng = random.Random(seed)
    t = table()
    uuids = ["m%d" % i for i in range(4)]
    members = [member(Link(name)) for name in uuids]
    live = [Link("m0"), Link("m1")]
    registrations, in_flight, confirmed, removals, settled = [], [], [], [], {}
    now = 0.0

    def run(actions):
        for action in actions:
            if isinstance(action, SendAdd):
                in_flight.append(action.entry)
            elif isinstance(action, (CompleteAdd, FailAdd)):
                assert action.registration.id not in settled
                settled[action.registration.id] = action
            elif isinstance(action, SendRemove):
                assert action.entry.server_id is not None
                removals.append(action.entry)

    for step in range(300):
        now += 0.05
        choice = rng.random()
        if choice < 0.1 and len(registrations) < 6:
            registrations.append(t.register("listener", rng.random() < 0.5, now))
        elif choice < 0.55 and in_flight:
            entry = in_flight.pop(rng.randrange(len(in_flight)))
            if rng.random() < 0.85:
                confirmed.append(entry)
                run(t.confirmed(entry, "server-%d" % step))
            else:
                refusal = IllegalArgumentError("no") if rng.random() < 0.5 else TargetDisconnectedError("x")
                run(t.refused(entry, refusal))
        elif choice < 0.65 and len(live) < len(uuids):
            joining = Link(rng.choice([name for name in uuids if "uuid-" + name not in {c.member_uuid for c in live}]))
            run(t.connection_authenticated(joining, now))
            live.append(joining)
            run(t.connection_added(joining))
        elif choice < 0.7 and len(live) > 1:
            dying = live.pop(rng.randrange(len(live)))
            dying.alive = False
            t.connection_removed(dying)
        elif choice < 0.75 and registrations:
            run(t.deregister(rng.choice(registrations).id) or [])
        for registration in registrations:
            run(t.progress(registration, live, members, now))
    now += TIMEOUT
    for registration in registrations:
        run(t.progress(registration, live, members, now))

    assert set(settled) == {r.id for r in registrations}
    assert len(removals) == len(set(map(id, removals)))
    for registration in registrations:
        if isinstance(settled[registration.id], FailAdd):
            assert registration.id not in t and not registration.active
        else:
            assert registration.active
        mine = [entry for entry in confirmed if entry.registration is registration]
        removed = [entry for entry in removals if entry.registration is registration]
        if registration.id in t:
            assert removed == []
        else:
            assert registration.entries == {}
            assert {id(e) for e in mine if e.connection.alive} <= {id(e) for e in removed}
