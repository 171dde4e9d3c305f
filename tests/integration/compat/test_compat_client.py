"""hzgreen.compat.HazelcastClient against a real 5.4 member, under both handlers."""

from __future__ import annotations

from typing import Any, Callable, Iterator, List

import pytest

import hzgreen.compat as hazelcast
from hzgreen.compat.future import Future
from hzgreen.compat.lifecycle import LifecycleState
from hzgreen.proxy.map import Map
from hzgreen.testing.plugin import make_handler

WAIT = 10.0  # bound for "promptly"; never a synchronisation sleep


@pytest.fixture
def compat_factory(hz_cluster: Any, hz_handler_name: str) -> Iterator[Callable[..., hazelcast.HazelcastClient]]:
    """``make(**official options)`` -> a connected compat client of ``hz_cluster``, shut down at teardown."""
    made: List[hazelcast.HazelcastClient] = []

    def make(**kwargs: Any) -> hazelcast.HazelcastClient:
        kwargs.setdefault("cluster_members", hz_cluster.addresses)
        kwargs.setdefault("cluster_name", hz_cluster.cluster_name)
        kwargs.setdefault("handler", make_handler(hz_handler_name))
        client = hazelcast.HazelcastClient(**kwargs)
        made.append(client)
        return client

    try:
        yield make
    finally:
        for client in reversed(made):
            client.shutdown()


def test_map_methods_return_futures(compat_factory: Any, unique_name: str) -> None:
    client = compat_factory()
    m = client.get_map(unique_name)
    put = m.put("k", "v1")
    assert isinstance(put, Future)
    assert put.result() is None
    assert m.put("k", "v2").result() == "v1"
    assert m.get("k").result() == "v2"
    assert m.put_all({"a": 1, "b": 2}).result() is None
    assert m.size().result() == 3
    sizes = m.key_set().continue_with(lambda f: len(f.result()))
    assert sizes.result() == 3
    assert m.contains_key("missing").result() is False
    assert m.remove("k").result() == "v2"

    seen = client.native.handler.async_result()
    m.get("a").add_done_callback(lambda f: seen.set(f.result()))
    assert seen.get(timeout=WAIT) == 1


def test_blocking_is_the_native_proxy(compat_factory: Any, unique_name: str) -> None:
    client = compat_factory()
    blocking = client.get_map(unique_name).blocking()
    assert isinstance(blocking, Map)
    blocking.put("x", 1)
    assert blocking.get("x") == 1
    assert client.get_map(unique_name).get("x").result() == 1
    queue = client.get_queue(unique_name).blocking()
    assert queue.offer("item") is True and queue.poll() == "item"


def test_lifecycle_listener_and_service(hz_cluster: Any, hz_handler_name: str) -> None:
    events: List[Any] = []
    client = hazelcast.HazelcastClient(
        cluster_members=hz_cluster.addresses,
        cluster_name=hz_cluster.cluster_name,
        handler=make_handler(hz_handler_name),
        lifecycle_listeners=[events.append],
    )
    later: List[Any] = []
    try:
        assert client.lifecycle_service.is_running()
        registration = client.lifecycle_service.add_listener(later.append)
        assert isinstance(registration, str)
    finally:
        client.shutdown()
    assert not client.lifecycle_service.is_running()
    assert events[:3] == [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]
    assert events[-1] == "SHUTDOWN" and later[-1] == LifecycleState.SHUTDOWN
    assert client.lifecycle_service.remove_listener(registration) is True


def test_cluster_and_partition_services(compat_factory: Any) -> None:
    client = compat_factory()
    members = client.cluster_service.get_members()
    assert len(members) == 1
    assert members[0].address.port in {
        int(address.rsplit(":", 1)[1]) for address in client.native.config.cluster_members
    }
    partitions = client.partition_service
    assert partitions.get_partition_count() == 271
    partition_id = partitions.get_partition_id("key")
    assert 0 <= partition_id < 271
    # None until the member's partition table has arrived, as in the official client
    assert partitions.get_partition_owner(partition_id) in (None, members[0].uuid)


def test_cp_atomic_long_through_cp_subsystem(compat_factory: Any, unique_name: str) -> None:
    client = compat_factory()
    counter = client.cp_subsystem.get_atomic_long(unique_name)
    assert counter.increment_and_get().result() == 1
    assert counter.compare_and_set(expect=1, update=10).result() is True
    assert counter.add_and_get(5).result() == 15
    assert counter.blocking().get() == 15
    assert counter.destroy().result() is None


def test_config_object_and_distributed_objects(hz_cluster: Any, hz_handler_name: str, unique_name: str) -> None:
    config = hazelcast.config.Config()
    config.cluster_members = hz_cluster.addresses
    config.cluster_name = hz_cluster.cluster_name
    client = hazelcast.HazelcastClient(config, handler=make_handler(hz_handler_name))
    try:
        client.get_map(unique_name).put("a", 1).result()
        names = [proxy.name for proxy in client.get_distributed_objects().result()]
        assert unique_name in names
        assert client.name == client.native.config.client_name
    finally:
        client.shutdown()


def test_sql_returns_a_future_of_the_result(compat_factory: Any) -> None:
    client = compat_factory()
    result = client.sql.execute("SELECT CAST(? AS INTEGER) AS n", 7).result()
    assert [row.get_object("n") for row in result] == [7]


def test_gevent_result_lets_other_greenlets_run(hz_cluster: Any, unique_name: str) -> None:
    gevent = pytest.importorskip("gevent")
    from hzgreen.handlers.gevent import SequentialGeventHandler

    client = hazelcast.HazelcastClient(
        cluster_members=hz_cluster.addresses, cluster_name=hz_cluster.cluster_name, handler=SequentialGeventHandler()
    )
    try:
        latch = client.cp_subsystem.get_count_down_latch(unique_name)
        assert latch.try_set_count(1).result() is True
        ticks: List[int] = []

        def count_down() -> None:
            ticks.append(1)  # runs only if the waiting greenlet below let the hub switch
            latch.count_down().result()

        waiting = latch.await_latch(WAIT)
        gevent.spawn(count_down)
        assert waiting.result() is True  # parks this greenlet; count_down runs meanwhile
        assert ticks == [1]
    finally:
        client.shutdown()


def test_listeners_register_through_futures(compat_factory: Any, unique_name: str) -> None:
    client = compat_factory()
    handler = client.native.handler
    added = handler.async_result()
    m = client.get_map(unique_name)
    registration = m.add_entry_listener(include_value=True, added_func=lambda event: added.set(event)).result()
    assert isinstance(registration, str)
    m.put("k", "v").result()
    event = added.get(timeout=WAIT)
    assert (event.key, event.value) == ("k", "v")
    assert m.remove_entry_listener(registration).result() is True

    message = handler.async_result()
    topic = client.get_topic(unique_name)
    topic.add_listener(lambda topic_message: message.set(topic_message.message)).result()
    topic.publish("hello").result()
    assert message.get(timeout=WAIT) == "hello"


def test_transaction_and_shutdown(compat_factory: Any, unique_name: str) -> None:
    client = compat_factory()
    transaction = client.new_transaction(timeout=10)
    transaction.begin()
    transaction.get_map(unique_name).put("1", "value1")
    transaction.commit()
    assert client.get_map(unique_name).get("1").result() == "value1"
    client.shutdown()
    client.shutdown()  # idempotent
    assert not client.lifecycle_service.is_running()


def test_unreachable_cluster_raises_illegal_state(hz_handler_name: str) -> None:
    from hzgreen.server_errors import IllegalStateError

    with pytest.raises(IllegalStateError, match="Unable to connect"):
        hazelcast.HazelcastClient(
            cluster_members=["127.0.0.1:1"], cluster_connect_timeout=1, handler=make_handler(hz_handler_name)
        )


def test_calls_after_shutdown_fail_through_the_future(compat_factory: Any, unique_name: str) -> None:
    from hzgreen.exceptions import ClientNotActiveError

    client = compat_factory()
    m = client.get_map(unique_name)
    client.shutdown()
    assert isinstance(m.get("k").exception(), ClientNotActiveError)
