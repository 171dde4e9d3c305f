"""Executor (client.get_executor) against two real members running Java tasks.

The module starts its own two-member cluster whose classpath holds the tasks of
tests/java/hzgreen/executor (compiled by the harness) and whose configuration registers
their factory; executor_tasks.py holds their Python twins.
"""

import pytest
from executor_tasks import FACTORIES, JAVA_FACTORIES, JAVA_SOURCES, FailingTask, MemberAddressTask, MultiplyTask

from hzgreen.exceptions import HazelcastServerError
from hzgreen.testing import Cluster
from tests.integration.example_runner import run_example

pytestmark = pytest.mark.slow
WAIT = 60


@pytest.fixture(scope="module")
def executor_cluster(request):
    cluster = Cluster(
        members=2,
        java_sources=[JAVA_SOURCES],
        data_serializable_factories=JAVA_FACTORIES,
        keep_workdir=True if request.config.getoption("--hz-keep-logs") else None,
    )
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def client(executor_cluster, hz_client_factory):
    made = hz_client_factory(cluster=executor_cluster, data_serializable_factories=FACTORIES)
    deadline = made.handler.monotonic() + WAIT
    while len(made.cluster.members) < 2:  # the member list arrives with the first connection
        assert made.handler.monotonic() < deadline, "the client never saw both members"
        made.cluster.wait_initial_member_list(1)
    return made


def _address(member):
    return "%s:%d" % (member.address.host, member.address.port)


def _owner_of(client, key):
    """The uuid of the member owning ``key``'s partition, once the client's partition table names it."""
    partition_id = client.partitions.partition_id_of(client.serialization.to_data(key))
    deadline = client.handler.monotonic() + WAIT
    while client.partitions.owner_of(partition_id) is None:
        assert client.handler.monotonic() < deadline, "no partition table"
        client.handler.sleep_func(0.1)  # polling the table the members send, not synchronising threads
    return client.partitions.owner_of(partition_id)


def test_runs_on_the_key_owner(client, unique_name):
    executor = client.get_executor(unique_name)
    assert client.get_executor(unique_name) is executor
    client.get_map(unique_name).put("any", 1)  # the members assign the partitions on first use
    owners = set()
    for key in ["alpha", "beta", "gamma", "delta", "epsilon", 42, 43, 44]:
        owner = _owner_of(client, key)
        owners.add(owner)
        expected = _address(client.cluster.get_member(owner))
        assert executor.execute_on_key_owner(key, MemberAddressTask()) == expected
    assert len(owners) == 2  # both members owned some of the keys


def test_runs_on_the_chosen_member(client, unique_name):
    executor = client.get_executor(unique_name)
    for member in client.cluster.members:
        assert executor.execute_on_member(member, MemberAddressTask()) == _address(member)
        assert executor.execute_on_member_async(member, MultiplyTask(6, 7)).get(timeout=WAIT) == 42


def test_runs_on_the_given_members_and_on_all(client, executor_cluster, unique_name):
    executor = client.get_executor(unique_name)
    members = client.cluster.members
    assert executor.execute_on_members(members[::-1], MemberAddressTask()) == [_address(m) for m in members[::-1]]
    assert executor.execute_on_members([members[1]], MultiplyTask(-3, 5)) == [-15]
    assert executor.execute_on_members([], MultiplyTask(1, 1)) == []
    everywhere = executor.execute_on_all_members(MemberAddressTask())
    assert sorted(everywhere) == sorted(executor_cluster.addresses)
    assert executor.execute_on_all_members_async(MultiplyTask(2**40, 2)).get(timeout=WAIT) == [2**41, 2**41]
    second = members[1]
    assert executor.execute_on_members_matching(lambda m: m.uuid == second.uuid, MemberAddressTask()) == [
        _address(second)
    ]
    assert executor.execute_on_members_matching(lambda m: m.lite_member, MemberAddressTask()) == []


def test_execute_runs_somewhere(client, executor_cluster, unique_name):
    executor = client.get_executor(unique_name)
    assert executor.execute(MemberAddressTask()) in executor_cluster.addresses
    assert executor.execute(MultiplyTask(11, 11)) == 121


def test_a_failing_task_fails_the_result(client, unique_name):
    executor = client.get_executor(unique_name)
    with pytest.raises(HazelcastServerError, match="boom on purpose"):
        executor.execute_on_key_owner("k", FailingTask("boom on purpose"))
    with pytest.raises(HazelcastServerError, match="boom again"):
        executor.execute_on_all_members(FailingTask("boom again"))


def test_shutdown(client, unique_name):
    executor = client.get_executor(unique_name)
    assert executor.is_shutdown() is False
    assert executor.execute_on_all_members(MultiplyTask(1, 1)) == [1, 1]
    executor.shutdown()  # reaches every member: whichever is asked next knows
    assert [executor.is_shutdown_async().get(timeout=WAIT) for _ in range(6)] == [True] * 6
    assert client.get_executor(unique_name + "-other").is_shutdown() is False


def test_bad_arguments_raise_before_sending(client, unique_name):
    executor = client.get_executor(unique_name)
    with pytest.raises(ValueError, match="task"):
        executor.execute_on_key_owner("k", None)
    with pytest.raises(ValueError, match="key"):
        executor.execute_on_key_owner(None, MultiplyTask())
    with pytest.raises(ValueError, match="member"):
        executor.execute_on_member(None, MultiplyTask())
    with pytest.raises(TypeError, match="MemberInfo"):
        executor.execute_on_member("127.0.0.1:5701", MultiplyTask())
    with pytest.raises(TypeError, match="list of MemberInfo"):
        executor.execute_on_members(client.cluster.members[0], MultiplyTask())
    with pytest.raises(ValueError, match="members"):
        executor.execute_on_members(None, MultiplyTask())


def test_executor_example(executor_cluster, hz_handler_name):
    output = run_example("executor.py", executor_cluster, hz_handler_name)
    lines = output.splitlines()
    addresses = executor_cluster.addresses
    key_owner = next(line for line in lines if line.startswith("key owner of 'customer-1': "))
    assert key_owner.split(": ")[1] in addresses
    assert "on the given members: [42]" in lines
    assert "on all members: %s" % sorted(addresses) in lines
    assert "anywhere: 144" in lines and "async result: 42" in lines
    assert "task failed: True" in lines and "shut down: True" in lines
