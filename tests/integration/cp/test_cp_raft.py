"""The CP layer on three members with the CP subsystem enabled (Raft), both handlers.

Every test here uses ``hz_cluster3`` and so carries the ``cp3`` mark.
"""

import itertools
import re

import pytest

from hzgreen.cp import INVALID_FENCE, SessionAwareSemaphore
from hzgreen.exceptions import HazelcastServerError, IllegalMonitorStateError
from hzgreen.testing.waiting import wait_until


@pytest.fixture
def raft_client(hz_cluster3, hz_client_factory):
    return hz_client_factory(cluster=hz_cluster3)


def test_fences_grow_across_clients_and_reentrancy(hz_cluster3, hz_client_factory, unique_name):
    clients = [hz_client_factory(cluster=hz_cluster3) for _ in range(2)]
    locks = [c.cp.get_lock(unique_name) for c in clients]
    fences = []
    for round_ in range(6):
        lock = locks[round_ % 2]
        fence = lock.lock()
        assert lock.lock() == fence  # reentrant: same fence
        assert lock.get_lock_count() == 2
        assert locks[(round_ + 1) % 2].try_lock() == INVALID_FENCE
        lock.unlock()
        lock.unlock()
        fences.append(fence)
    assert fences == sorted(fences) and len(set(fences)) == len(fences)
    with pytest.raises(IllegalMonitorStateError):
        locks[0].unlock()


def test_named_group(raft_client, unique_name):
    cp = raft_client.cp
    lock = cp.get_lock(unique_name + "@mygroup")
    counter = cp.get_atomic_long("c-" + unique_name + "@mygroup")
    default_lock = cp.get_lock(unique_name)
    assert lock.group_id.name == "mygroup"
    assert lock.object_name == unique_name and lock.name == unique_name + "@mygroup"
    # With Raft every object of a group shares the group's id.
    assert counter.group_id == lock.group_id == cp.get_group_id("x@mygroup")
    assert default_lock.group_id.name == "default"
    assert default_lock.group_id != lock.group_id
    # Two objects with the same name in two groups are two objects.
    lock.lock()
    assert default_lock.is_locked() is False
    default_lock.lock()
    # One session per group.
    sessions = cp.session_manager.sessions()
    assert set(sessions) == {lock.group_id, default_lock.group_id}
    assert all(references == 1 for _, references in sessions.values())
    counter.add_and_get(5)
    assert cp.get_atomic_long("c-" + unique_name).get() == 0
    assert counter.get() == 5
    lock.unlock()
    default_lock.unlock()
    with pytest.raises(ValueError):
        cp.get_lock(unique_name + "@METADATA")


def test_session_aware_semaphore(hz_cluster3, hz_client_factory, unique_name, elsewhere):
    first = hz_client_factory(cluster=hz_cluster3)
    second = hz_client_factory(cluster=hz_cluster3)
    sem = first.cp.get_semaphore(unique_name)
    assert isinstance(sem, SessionAwareSemaphore)
    assert sem.init(2) is True
    sem.acquire(2)
    assert first.cp.session_manager.sessions()[sem.group_id][1] == 2
    other = second.cp.get_semaphore(unique_name)
    assert other.try_acquire() is False
    with pytest.raises(HazelcastServerError):
        other.release()  # permits belong to the session that acquired them
    waiting = elsewhere(second, other.acquire)
    assert waiting.wait(0.3) is False
    sem.release()
    assert waiting.result(30) is None
    assert other.held_permits() == 1
    other.release()
    sem.release()
    assert sem.available_permits() == 2
    assert first.cp.session_manager.sessions()[sem.group_id][1] == 0


def test_atomics_and_latch(raft_client, unique_name, elsewhere):
    cp = raft_client.cp
    counter = cp.get_atomic_long(unique_name)
    assert counter.add_and_get(3) == 3
    assert counter.compare_and_set(3, 8) is True
    ref = cp.get_atomic_reference(unique_name)
    assert ref.get_and_set("v") is None
    assert ref.contains("v") is True
    latch = cp.get_count_down_latch(unique_name)
    assert latch.try_set_count(2) is True
    waiters = [elsewhere(raft_client, latch.await_latch) for _ in range(3)]
    latch.count_down()
    assert latch.await_latch(0.1) is False
    latch.count_down()
    assert [w.result(30) for w in waiters] == [True] * 3
    assert latch.get_count() == 0
    counter.destroy()
    ref.destroy()
    latch.destroy()


_LEADER_LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d+) .*\(default\) \[([\d.]+)\]:(\d+) .*We are the LEADER!")


def _default_group_leader(cluster):
    """The address of the member that last logged itself leader of the default group, or None."""
    found = []
    for i in range(len(cluster.addresses)):
        for line in cluster.log(i).splitlines():
            match = _LEADER_LINE.match(line)
            if match:
                found.append((match.group(1), (match.group(2), int(match.group(3)))))
    return max(found)[1] if found else None


def test_calls_of_a_group_learn_to_go_to_its_raft_leader(raft_client, hz_cluster3, unique_name):
    counter = raft_client.cp.get_atomic_long(unique_name)
    counter.increment_and_get()  # the default group exists (and has a leader) from here on
    handler = raft_client.handler
    wait_until(handler, lambda: _default_group_leader(hz_cluster3) is not None, 30, "a default-group leader")
    leader = _default_group_leader(hz_cluster3)
    group = counter.group_id.id, counter.group_id.seed
    calls = iter(range(2, 10**9))

    def leader_is_quickest():
        # The followers forward every call to the leader: one hop more. A slow answer (a
        # loaded machine) can put the leader behind for a while; exploration samples bring
        # it back, so calls go on, in rounds of 400, until it is the quickest.
        for expected in itertools.islice(calls, 400):
            assert counter.increment_and_get() == expected
        ranked = raft_client.cp.leaders.answer_times(group)
        assert len(ranked) == 3, ranked  # every member was sampled (warm-up and exploration)
        return tuple(ranked[0][0].address) == leader

    wait_until(handler, leader_is_quickest, 60, "the leader %s never became the quickest" % (leader,), interval=0)
